"""Stored full-size results (benchmarks/results/full_scale/*.json): well formed, with their provenance."""
import datetime
import json
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import full_scale  # noqa: E402

STORED = sorted(full_scale.RESULTS.glob("*.json"))


def check_record(record: dict) -> None:
    assert set(record) >= {"chapter", "date", "command", "environment", "wall_s", "machine", "versions",
                           "reported"}, sorted(record)
    assert (ROOT / "chapters" / record["chapter"]).is_file(), record["chapter"]
    datetime.datetime.strptime(record["date"], "%Y-%m-%dT%H:%M:%SZ")
    assert record["command"].startswith("python") and "full_scale" in record["command"]
    assert record["environment"] == {"GDL_FULL": "1"}
    assert record["wall_s"] > 0
    assert {"cpu_model", "cpu_count", "device", "platform"} <= set(record["machine"])
    assert record["versions"].get("torch") and record["versions"].get("python")
    assert record["reported"] and all(line.startswith(full_scale.PREFIXES) for line in record["reported"])


@pytest.mark.parametrize("path", STORED, ids=[p.name for p in STORED])
def test_stored_full_scale_results_are_well_formed(path):
    record = json.loads(path.read_text())
    check_record(record)
    assert path.stem == Path(record["chapter"]).stem


def test_the_checker_rejects_records_without_provenance():
    good = {"chapter": "01_erlangen.md", "date": "2026-12-01T20:00:00Z",
            "command": "python -m benchmarks.full_scale chapters/01_erlangen.md",
            "environment": {"GDL_FULL": "1"}, "wall_s": 12.0,
            "machine": {"cpu_model": "x", "cpu_count": 2, "device": "cpu", "platform": "Linux"},
            "versions": {"python": "3.11", "torch": "2.13"}, "reported": ["Headline: something measured"]}
    check_record(good)
    for key, bad in [("machine", {}), ("date", "yesterday"), ("versions", {"python": "3.11"}),
                     ("reported", []), ("environment", {}), ("chapter", "99_missing.md")]:
        with pytest.raises((AssertionError, ValueError)):
            check_record({**good, key: bad})


def test_reported_lines_keeps_only_the_prefixed_stdout_lines():
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("print(...)")
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout",
                                           text="noise\nHeadline: acc 0.9\nFull scale: n = 60000\n"),
                    nbformat.v4.new_output("stream", name="stderr", text="Headline: not this one\n")]
    nb.cells = [cell, nbformat.v4.new_markdown_cell("Headline: prose is not output")]
    assert full_scale.reported_lines(nb) == ["Headline: acc 0.9", "Full scale: n = 60000"]


def test_the_script_refuses_files_that_are_not_chapters(tmp_path, capsys):
    with pytest.raises(SystemExit):
        full_scale.main([str(tmp_path / "missing.md")])
    assert "chapters/NN_name.md" in capsys.readouterr().err
