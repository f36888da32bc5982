"""The benchmark harness's logic and results schema (no timing is asserted: benchmarks are not tests)."""
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch
from torch.utils import benchmark

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import harness, run  # noqa: E402
from benchmarks.cases import FAMILIES, random_graph  # noqa: E402

CPU = torch.device("cpu")
ROW_KEYS = {"family", "case", "peer", "mode", "x", "size", "ours", "peer_time", "ratio", "check", "floor"}
META_KEYS = {"schema", "date", "command", "quick", "machine", "versions", "load_average_start", "allocator",
             "load_average_end", "clock", "copy_bandwidth_GBps", "wall_s"}
MACHINE_KEYS = {"cpu_model", "cpu_count", "torch_threads", "device", "platform"}
SIDE_KEYS = {"median_s", "iqr_s", "n"}  # schema 2: a torch.utils.benchmark Measurement's summary


class FakeClock:
    """A clock that moves only when a timed function says so: no real time is measured."""

    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_quantiles():
    assert harness.quantiles([3.0, 1.0, 2.0, 5.0, 4.0]) == (3.0, 2.0, 4.0)
    assert harness.quantiles([7.0]) == (7.0, 7.0, 7.0)


def test_compare_interleaves_ours_and_the_peer():
    calls = []
    clock = FakeClock()

    def timed(name):
        def fn():
            calls.append(name)
            clock.now += 1.0
        return fn
    res = harness.compare(timed("o"), timed("p"), clock=clock, min_repeats=4, max_repeats=4, budget_s=0.0)
    # Timer.timeit(1) makes two untimed calls, then the timed one: three calls a turn
    turns = [calls[i] for i in range(0, len(calls), 3)]
    assert all(calls[i:i + 3] == [turns[i // 3]] * 3 for i in range(0, len(calls), 3))
    assert turns[:2] == ["o", "p"], "one estimate each first"
    assert turns[2:] == ["o", "p", "p", "o", "o", "p", "p", "o"], "ours and peer alternate who goes first"
    assert set(res) == {"ours", "peer", "ratio"}
    assert set(res["ours"]) == set(res["peer"]) == SIDE_KEYS
    assert res["ours"]["n"] == res["peer"]["n"] == 4
    assert res["ours"]["median_s"] == res["peer"]["median_s"] == 1.0 and res["ours"]["iqr_s"] == 0.0
    assert res["ratio"] == {"median": 1.0, "q1": 1.0, "q3": 1.0}


def test_compare_pairs_the_ratio_per_turn():
    """The load changes from turn to turn (fast, slow, fast, ...); ours always takes twice the peer's
    time within a turn. Paired per turn, every ratio is exactly 2 although each side's times vary
    tenfold."""
    clock = FakeClock()
    calls = {"ours": 0, "peer": 0}

    def timed(name, cost):
        def fn():
            calls[name] += 1
            turn = (calls[name] - 1) // 3  # three calls a turn, the same count for both sides
            clock.now += cost * (10.0 if turn % 2 else 1.0)
        return fn
    res = harness.compare(timed("ours", 2.0), timed("peer", 1.0), clock=clock, min_repeats=6,
                          max_repeats=6, budget_s=0.0)
    assert res["ratio"] == {"median": 2.0, "q1": 2.0, "q3": 2.0}
    assert res["ours"]["iqr_s"] > 0 and res["peer"]["iqr_s"] > 0  # the sides alone are noisy
    assert res["ours"]["n"] == 6


def test_compare_without_a_peer_and_on_the_clocks():
    res = harness.compare(lambda: None, None, clock="cpu", min_repeats=3, max_repeats=3, budget_s=0.0)
    assert set(res) == {"ours"} and res["ours"]["n"] == 3 and res["ours"]["median_s"] > 0
    assert harness.clock_function("cpu") is time.process_time
    assert harness.clock_function("wall") is benchmark.utils.timer.timer  # synchronises CUDA
    with pytest.raises(ValueError, match="clock must be"):
        harness.clock_function("sundial")


def test_compare_sets_the_threads_of_the_timed_calls():
    seen = []
    before = torch.get_num_threads()
    harness.compare(lambda: seen.append(torch.get_num_threads()), None, num_threads=1,
                    min_repeats=2, max_repeats=2, budget_s=0.0)
    assert set(seen) == {1} and torch.get_num_threads() == before


def test_message_passing_bytes_counts_index_rows_and_nodes():
    assert harness.message_passing_bytes(10, 4, gathered=3, node_in=2, node_out=5) == \
        2 * 10 * 8 + 10 * 3 * 4 + 4 * (2 + 5) * 4


def test_random_graph_has_no_self_loops_and_right_size():
    ei = random_graph(50, 400, CPU)
    assert ei.shape == (2, 400) and (ei[0] != ei[1]).all() and int(ei.max()) < 50


def test_a_missing_dependency_is_skipped_with_its_reason(monkeypatch):
    def needs_missing(device, quick, record, timing):
        import gdl_no_such_peer  # noqa: F401
    monkeypatch.setitem(FAMILIES, "missing", {"fn": needs_missing, "peer": "nothing", "cpu_only": False,
                                              "doc": ""})
    results, skipped = run.run_families(CPU, True, ["missing"], {"clock": "cpu"}, log=lambda *a: None)
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
    assert doc["meta"]["clock"] == "cpu" and doc["meta"]["schema"] == run.SCHEMA
    assert doc["meta"]["machine"]["torch_threads"] == 1
    families = {r["family"] for r in doc["results"]} | {s["family"] for s in doc["skipped"]}
    assert families == {"gcn", "cotan"}
    for s in doc["skipped"]:
        assert s["reason"]
    for r in doc["results"]:
        assert ROW_KEYS <= set(r), set(r)
        assert set(r["ours"]) == set(r["peer_time"]) == SIDE_KEYS
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
        elif path.name.startswith("validation-"):  # python -m benchmarks.validation_cost
            keys = {"family", "size", "share_median", "share_q1", "share_q3", "time_median_s",
                    "checks_median_s"}
            assert doc["validation"] and all(keys <= set(r) for r in doc["validation"]), path.name
            assert all(0 <= r["share_median"] <= 1 for r in doc["validation"]), path.name
        else:
            assert doc["results"] and all(ROW_KEYS <= set(r) for r in doc["results"]), path.name


def test_the_check_clock_counts_the_outermost_check_only_and_restores_the_modules():
    import gdl.grids
    import gdl.tools
    from benchmarks.validation_cost import CheckClock, share_in_checks

    original = gdl.grids.check_tensor
    calls = []

    def slow_call():
        gdl.grids.as_float(torch.zeros(3), "x")  # as_float calls check_tensor: one outermost check
        time.sleep(0.002)
        calls.append(1)

    with CheckClock() as clock:
        assert gdl.grids.check_tensor is not original
        gdl.grids.as_float(torch.zeros(3), "x")
        assert 0 < clock.seconds < 0.05
    assert gdl.grids.check_tensor is original and gdl.tools.check_tensor is original
    res = share_in_checks(slow_call, repeats=3)
    assert len(calls) == 5 and res["n"] == 3
    assert 0 < res["share_median"] < 0.5 and res["time_median_s"] >= 0.002
