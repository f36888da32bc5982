"""Run the speed benchmarks and write a results file.

    python -m benchmarks.run                 # full CPU sweep -> benchmarks/results/cpu.json
    python -m benchmarks.run --device cuda   # on a GPU     -> benchmarks/results/cuda.json
    python -m benchmarks.run --quick         # one tiny size per family, a few repeats (a smoke test)
    python -m benchmarks.run --only gcn,gat  # some families only
    python -m benchmarks.run --course        # also time every chapter notebook -> results/course-cpu.json
    python -m benchmarks.run --course-only   # only that

Each family compares a gdl layer with its peer library, interleaved in one loop; a family whose
gdl module or peer cannot be imported is skipped and the reason is written to the results file.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
import traceback
from functools import partial
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python benchmarks/run.py` as well as `python -m benchmarks.run`
    sys.path.insert(0, str(ROOT))

from benchmarks import harness  # noqa: E402
from benchmarks.cases import FAMILIES  # noqa: E402

# 2: timed with torch.utils.benchmark; each side is {"median_s", "iqr_s", "n"} on one clock
# (schema 1 had "q1_s" and "q3_s", and the other clock's times under "other_clock")
SCHEMA = 2
RESULTS = ROOT / "benchmarks" / "results"


def parse_args(argv=None):
    p = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    p.add_argument("--quick", action="store_true", help="one tiny size per family, a few repeats")
    p.add_argument("--only", default="", help=f"comma-separated families from {','.join(FAMILIES)}")
    p.add_argument("--course", action="store_true", help="also time each chapters/*.ipynb end to end")
    p.add_argument("--course-only", action="store_true", help="only the notebook timing")
    p.add_argument("--out", type=Path, default=None,
                   help="results file (default benchmarks/results/<device>[-quick].json)")
    p.add_argument("--course-out", type=Path, default=None,
                   help="notebook timing file (default benchmarks/results/course-<device>.json)")
    p.add_argument("--threads", type=int, default=None,
                   help="threads of every timed call (torch.utils.benchmark's num_threads; default: torch's)")
    p.add_argument("--default-allocator", action="store_true",
                   help="leave glibc malloc's adaptive thresholds alone (see harness.pin_allocator)")
    p.add_argument("--clock", choices=["wall", "cpu"], default=None,
                   help="the clock of the timings (default: cpu when --device cpu --threads 1, else wall)")
    return p.parse_args(argv)


def run_families(device, quick, names, timing, log=print):
    """Run the families `names`; `timing` holds compare()'s clock, threads and repeat counts."""
    results, skipped = [], []
    for name in names:
        fam = FAMILIES[name]
        if fam["cpu_only"] and device.type != "cpu":
            skipped.append({"family": name, "peer": fam["peer"],
                            "reason": "CPU-only peer; run with --device cpu"})
            continue
        t0 = time.perf_counter()
        try:
            fam["fn"](device, quick, partial(_record, results, name, log), timing)
        except ImportError as e:  # gdl module or peer missing
            skipped.append({"family": name, "peer": fam["peer"], "reason": f"ImportError: {e}"})
            log(f"  {name}: skipped ({e})")
        except Exception as e:  # keep going; the reason goes into the results file
            skipped.append({"family": name, "peer": fam["peer"],
                            "reason": f"{type(e).__name__}: {e}",
                            "traceback": traceback.format_exc(limit=3)[-1500:]})
            log(f"  {name}: FAILED ({type(e).__name__}: {e})")
        log(f"  {name}: {time.perf_counter() - t0:.1f} s")
    return results, skipped


def _record(results, family, log, *, res, **kw):
    """One result row from compare()'s output `res` and the case's description `kw`."""
    row = {"family": family, **kw, "ours": res["ours"], "peer_time": res.get("peer"),
           "ratio": res.get("ratio")}
    results.append(row)
    r = row["ratio"]
    log(f"  {family:6s} {kw['case']:16s} {kw['mode']:17s} x={kw['x']:<9} "
        f"ours {res['ours']['median_s'] * 1e3:9.2f} ms  peer {res['peer']['median_s'] * 1e3:9.2f} ms  "
        f"ratio {r['median']:.2f} [{r['q1']:.2f}, {r['q3']:.2f}]  vs {kw['peer']}")


def add_floor(results, bandwidth):
    for row in results:
        b = row.pop("floor_bytes", None)
        if b is None:
            row["floor"] = None
            continue
        floor_s = b / bandwidth
        peer = row["peer_time"]
        row["floor"] = {"bytes": b, "floor_s": floor_s,
                        "ours_over_floor": row["ours"]["median_s"] / floor_s,
                        "peer_over_floor": peer["median_s"] / floor_s if peer else None}


def write(path: Path, doc: dict):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=1) + "\n")
    print(f"wrote {os.path.relpath(path)}")


def main(argv=None):
    args = parse_args(argv)
    if args.device == "cuda" and not torch.cuda.is_available():
        sys.exit("--device cuda: CUDA is not available here")
    allocator = {"pinned": False, "reason": "--default-allocator"} if args.default_allocator \
        else harness.pin_allocator()
    threads = args.threads or torch.get_num_threads()
    device = torch.device(args.device)
    clock = args.clock or ("cpu" if args.device == "cpu" and threads == 1 else "wall")
    if device.type == "cuda":
        clock = "wall"  # torch.utils.benchmark synchronises the device before reading it
    timing = {"clock": clock, "num_threads": threads, **harness.budget(args.quick)}
    names = [n for n in args.only.split(",") if n] or list(FAMILIES)
    unknown = [n for n in names if n not in FAMILIES]
    if unknown:
        sys.exit(f"unknown families {unknown}; choose from {list(FAMILIES)}")
    out = args.out or RESULTS / f"{args.device}{'-quick' if args.quick else ''}.json"
    meta = {"schema": SCHEMA, "date": harness.now_utc(), "command": harness.command_line(),
            "quick": args.quick, "machine": harness.machine(device, threads),
            "versions": harness.versions(), "load_average_start": harness.load_average(),
            "clock": clock, "timer": "torch.utils.benchmark.Timer", "allocator": allocator}
    m = meta["machine"]
    print(f"benchmarks on {device} ({m['cpu_model']}, {m['cpu_count']} cores, {threads} torch threads), "
          f"load average {meta['load_average_start']}; timed on the {clock} clock")
    t0 = time.perf_counter()
    doc = None
    if not args.course_only:
        doc = {"meta": meta, "results": [], "skipped": []}
        bw = harness.copy_bandwidth(device, mbytes=32 if args.quick else 256, clock=clock,
                                    num_threads=threads, min_run_time=0.1 if args.quick else 0.5)
        meta["copy_bandwidth_GBps"] = bw / 1e9
        print(f"copy bandwidth {bw / 1e9:.2f} GB/s")
        doc["results"], doc["skipped"] = run_families(device, args.quick, names, timing)
        add_floor(doc["results"], bw)
        meta["load_average_end"] = harness.load_average()
        meta["wall_s"] = time.perf_counter() - t0
        write(out, doc)
    if args.course or args.course_only:
        from benchmarks.course import time_notebooks
        course = {"meta": {**meta, "date": harness.now_utc()}}
        course["meta"].pop("copy_bandwidth_GBps", None)
        course["course"] = time_notebooks(ROOT / "chapters", device)
        course_out = args.course_out or RESULTS / f"course-{args.device}.json"
        write(course_out, course)
    return doc


if __name__ == "__main__":
    main()
