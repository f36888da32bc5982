"""Run chapters at full size (``GDL_FULL=1``) and store what they report, with its provenance.

    python -m benchmarks.full_scale chapters/04_group_convolutions.md [...]  # -> results/full_scale/

Each chapter sizes its experiments for a minute or two on a 2-core CPU and reads
``gdl.tools.full_scale()`` to run the full-size setting instead (more data, epochs, bandwidth:
each chapter states both). This script converts the chapter to a notebook, executes it in a fresh
kernel with ``GDL_FULL=1``, and writes ``benchmarks/results/full_scale/<chapter>.json``: every
``Headline:`` and ``Full scale:`` line the chapter printed, the run time, and the machine, the
versions, the date and the command, as the speed appendix stores its timings. A chapter quotes a
full-size figure only from such a file; ``tests/test_full_scale.py`` checks that each is well formed.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.harness import command_line, load_average, machine, now_utc, versions  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "full_scale"
PREFIXES = ("Headline:", "Full scale:")
CELL_TIMEOUT = 6 * 3600


def reported_lines(nb) -> list[str]:
    """The lines of the executed notebook's printed output that start with one of PREFIXES."""
    lines = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stdout":
                lines += [line.strip() for line in output["text"].splitlines() if line.startswith(PREFIXES)]
    return lines


def run_chapter(chapter: Path) -> dict:
    """Execute `chapter` (a chapters/*.md file) with GDL_FULL=1 and return its record."""
    import jupytext
    from nbclient import NotebookClient

    nb = jupytext.read(chapter)
    os.environ["GDL_FULL"] = "1"  # inherited by the kernel
    start, load_start = time.perf_counter(), load_average()
    NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3",
                   resources={"metadata": {"path": str(chapter.parent)}}).execute()
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return {"chapter": chapter.name, "date": now_utc(), "command": command_line(),
            "environment": {"GDL_FULL": "1"}, "wall_s": round(time.perf_counter() - start, 1),
            "load_average_start": load_start, "load_average_end": load_average(),
            "machine": machine(device, torch.get_num_threads()), "versions": versions(),
            "reported": reported_lines(nb)}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.full_scale", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("chapters", nargs="+", type=Path, help="chapters/NN_name.md files")
    args = parser.parse_args(argv)
    for chapter in args.chapters:
        if chapter.suffix != ".md" or not chapter.is_file():
            parser.error(f"chapters must be chapter files chapters/NN_name.md, got {chapter}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    for chapter in args.chapters:
        record = run_chapter(chapter.resolve())
        out = RESULTS / f"{chapter.stem}.json"
        out.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n")
        print(f"{chapter.name}: {record['wall_s']:.0f} s, {len(record['reported'])} lines -> "
              f"{out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
