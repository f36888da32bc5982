"""The benchmark harness's logic and results schema (no timing is asserted: benchmarks are not tests)."""
import json
import subprocess
import sys
from pathlib import Path

import pytest
import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import harness, run  # noqa: E402
from benchmarks.cases import FAMILIES, random_graph  # noqa: E402

CPU = torch.device("cpu")
ROW_KEYS = {"family", "case", "peer", "mode", "x", "size", "ours", "peer_time", "ratio", "check", "floor"}
META_KEYS = {"schema", "date", "command", "quick", "machine", "versions", "load_average_start", "allocator",
             "load_average_end", "clock", "copy_bandwidth_GBps", "wall_s"}
MACHINE_KEYS = {"cpu_model", "cpu_count", "torch_threads", "device", "platform"}


def test_quantiles_and_summary():
    assert harness.quantiles([3.0, 1.0, 2.0, 5.0, 4.0]) == (3.0, 2.0, 4.0)
    assert harness.quantiles([7.0]) == (7.0, 7.0, 7.0)
    s = harness.summary([1.0, 2.0, 3.0])
    assert s["n"] == 3 and s["q1_s"] <= s["median_s"] <= s["q3_s"]


def test_compare_interleaves_and_pairs_the_ratio():
    calls = []
    res = harness.compare(lambda: calls.append("o"), lambda: calls.append("p"), CPU,
                          warmup=1, min_repeats=4, max_repeats=4, budget_s=0.0)
    timed = calls[4:]  # after one warm-up and one estimate call each
    assert timed == ["o", "p", "p", "o", "o", "p", "p", "o"], "ours and peer alternate who goes first"
    assert res["ours"]["n"] == res["peer"]["n"] == 4
    assert {"median", "q1", "q3"} <= set(res["ratio"]) and "ratio_cpu" in res


def test_compare_ratio_is_paired_per_repeat(monkeypatch):
    """With a fake clock (no real timing): ours takes 2, 4, 6, ... and the peer 1, 2, 3, ... units."""
    counts = {"ours": 0, "peer": 0}

    def fake_time_call(fn, device):
        name = fn()
        counts[name] += 1
        t = counts[name] * (2.0 if name == "ours" else 1.0)
        return t, t / 2
    monkeypatch.setattr(harness, "time_call", fake_time_call)
    res = harness.compare(lambda: "ours", lambda: "peer", CPU, warmup=0, min_repeats=5, max_repeats=5,
                          clock="cpu")
    assert res["ratio"] == {"median": 2.0, "q1": 2.0, "q3": 2.0}  # every paired ratio is 2
    assert res["ratio_wall"]["median"] == 2.0
    assert res["ours"]["median_s"] == 2 * res["peer"]["median_s"] > 0
    assert res["ours_wall"]["median_s"] == 2 * res["ours"]["median_s"]  # the cpu clock was chosen


def test_message_passing_bytes_counts_index_rows_and_nodes():
    assert harness.message_passing_bytes(10, 4, gathered=3, node_in=2, node_out=5) == \
        2 * 10 * 8 + 10 * 3 * 4 + 4 * (2 + 5) * 4


def test_random_graph_has_no_self_loops_and_right_size():
    ei = random_graph(50, 400, CPU)
    assert ei.shape == (2, 400) and (ei[0] != ei[1]).all() and int(ei.max()) < 50


def test_a_missing_dependency_is_skipped_with_its_reason(monkeypatch):
    def needs_missing(device, quick, record):
        import gdl_no_such_peer  # noqa: F401
    monkeypatch.setitem(FAMILIES, "missing", {"fn": needs_missing, "peer": "nothing", "cpu_only": False,
                                              "doc": ""})
    results, skipped = run.run_families(CPU, True, ["missing"], log=lambda *a: None)
    assert results == [] and skipped[0]["family"] == "missing"
    assert "gdl_no_such_peer" in skipped[0]["reason"]


def test_quick_run_writes_valid_results(tmp_path):
    pytest.importorskip("torch_geometric", reason="the quick run compares against PyG")
    out = tmp_path / "quick.json"
    proc = subprocess.run([sys.executable, "-m", "benchmarks.run", "--quick", "--only", "gcn,cotan",
                           "--threads", "1", "--out", str(out)], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    doc = json.loads(out.read_text())
    assert META_KEYS <= set(doc["meta"]) and MACHINE_KEYS <= set(doc["meta"]["machine"])
    assert doc["meta"]["quick"] is True and doc["meta"]["versions"]["torch"]
    assert doc["meta"]["clock"] == "cpu"
    families = {r["family"] for r in doc["results"]} | {s["family"] for s in doc["skipped"]}
    assert families == {"gcn", "cotan"}
    for s in doc["skipped"]:
        assert s["reason"]
    for r in doc["results"]:
        assert ROW_KEYS <= set(r), set(r)
        assert r["ours"]["median_s"] > 0 and r["peer_time"]["median_s"] > 0
        assert r["ratio"]["q1"] <= r["ratio"]["median"] <= r["ratio"]["q3"]
    gcn = [r for r in doc["results"] if r["family"] == "gcn"]
    if gcn:  # same weights: the outputs agree, and the forward pass has a memory floor
        assert gcn[0]["check"]["max_abs_diff"] < 1e-4
        assert {r["mode"] for r in gcn} == {"forward", "forward+backward"}
        fwd = next(r for r in gcn if r["mode"] == "forward")
        assert fwd["floor"]["bytes"] > 0 and fwd["floor"]["ours_over_floor"] > 0


def test_committed_results_follow_the_schema():
    files = sorted((ROOT / "benchmarks" / "results").glob("*.json"))
    assert files, "commit the results of `python -m benchmarks.run`"
    for path in files:
        doc = json.loads(path.read_text())
        assert {"schema", "date", "machine", "versions"} <= set(doc["meta"]), path.name
        if path.name.startswith("course-"):
            assert all({"notebook", "ok", "wall_s", "cpu_s"} <= set(r) for r in doc["course"]["notebooks"])
        else:
            assert doc["results"] and all(ROW_KEYS <= set(r) for r in doc["results"]), path.name
