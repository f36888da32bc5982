"""What the argument checks cost: the share of each benchmarked call spent validating its input.

    python -m benchmarks.validation_cost            # -> benchmarks/results/validation-cpu.json
    python -m benchmarks.validation_cost --quick    # the smallest size of each case, a smoke test

Every gdl module checks its arguments with the helpers of ``gdl.tools`` (``check_tensor``,
``as_float``, ``check_index``, ``check_number``, ``check_dtype_matches``) and with its own
``_check_*`` functions built on them; ``validate_mesh`` checks a mesh. This script wraps each of
those names, in every loaded ``gdl`` module, with a clock that adds up the time spent inside the
outermost check, then runs the calls that ``benchmarks.run`` compares with the peers and
reports, for each, the median share of its time spent in checks. The share is measured inside
the one timed call, so it does not depend on how loaded the machine is, as a ratio between two
runs would. The timed calls run with one thread.
"""
from __future__ import annotations

import argparse
import functools
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CHECKS = ("check_tensor", "as_float", "check_index", "check_number", "check_dtype_matches", "validate_mesh")


class CheckClock:
    """Wraps the argument checks of every loaded gdl module; ``seconds`` adds up the time spent in
    the outermost check (a check that calls another is counted once)."""

    def __init__(self):
        self.seconds, self._depth, self._patched = 0.0, 0, []

    def _wrap(self, fn: Callable) -> Callable:
        @functools.wraps(fn)
        def timed(*args, **kwargs):
            if self._depth:
                return fn(*args, **kwargs)
            self._depth += 1
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - start
                self._depth -= 1
        timed.__wrapped_check__ = fn
        return timed

    def __enter__(self):
        wrapped = {}
        for name, module in list(sys.modules.items()):
            if not (name == "gdl" or name.startswith("gdl.")) or module is None:
                continue
            space = vars(module)
            for key, value in list(space.items()):
                if not callable(value) or not (key in CHECKS or key.startswith("_check")):
                    continue
                if getattr(value, "__module__", "").split(".")[0] != "gdl":
                    continue
                if id(value) not in wrapped:
                    wrapped[id(value)] = self._wrap(value)
                self._patched.append((space, key, value))
                space[key] = wrapped[id(value)]
        return self

    def __exit__(self, *exc):
        for space, key, value in reversed(self._patched):
            space[key] = value
        self._patched.clear()


def share_in_checks(fn: Callable[[], object], repeats: int) -> dict:
    """Run ``fn`` ``repeats`` times (after two warm-up calls) and return the median share of each
    call's time spent in checks, its spread and the median time."""
    fn(), fn()
    shares, totals, checks = [], [], []
    with CheckClock() as clock:
        for _ in range(repeats):
            clock.seconds = 0.0
            start = time.perf_counter()
            fn()
            total = time.perf_counter() - start
            shares.append(clock.seconds / total)
            totals.append(total)
            checks.append(clock.seconds)
    q = statistics.quantiles(shares, n=4) if len(shares) > 1 else [shares[0]] * 3
    return {"share_median": statistics.median(shares), "share_q1": q[0], "share_q3": q[2],
            "time_median_s": statistics.median(totals), "checks_median_s": statistics.median(checks),
            "n": repeats}


def _cases(quick: bool):
    """(family, size label, zero-argument call), the calls that benchmarks.run times."""
    from benchmarks.cases import AVG_DEGREE, random_graph
    from gdl.datasets.meshes import icosphere
    from gdl.egnn import EGNNLayer
    from gdl.gcnn import GroupConv, LiftingConv
    from gdl.graphs import GATConv, GCNConv, GINConv
    from gdl.meshes import cotan_laplacian, heat_geodesic
    from gdl.spheres import sht

    cpu = torch.device("cpu")
    for E in [10_000] if quick else [10_000, 1_000_000]:
        N = max(E // AVG_DEGREE, 16)
        torch.manual_seed(0)
        x, ei = torch.randn(N, 64), random_graph(N, E, cpu)
        h, pos = torch.randn(N, 32), torch.randn(N, 3)
        net = torch.nn.Sequential(torch.nn.Linear(64, 64), torch.nn.ReLU(), torch.nn.Linear(64, 64))
        for family, layer, args in (("gcn", GCNConv(64, 64), (x, ei)), ("gin", GINConv(net), (x, ei)),
                                    ("gat", GATConv(64, 16, heads=4), (x, ei)),
                                    ("egnn", EGNNLayer(32), (h, pos, ei))):
            layer.eval()

            def call(layer=layer, args=args):
                with torch.inference_mode():
                    return layer(*args)
            yield family, f"{E} edges", call
    for size in [32] if quick else [32, 128]:
        img = torch.randn(8, 3, size, size)
        lift, conv = LiftingConv(3, 8, 3, "C4").eval(), GroupConv(8, 8, 3, "C4").eval()

        def gcnn(img=img, lift=lift, conv=conv):
            with torch.inference_mode():
                return conv(lift(img))
        yield "gcnn", f"{size}x{size} images", gcnn
    for nlat in [32] if quick else [32, 128]:
        f = torch.randn(8, nlat, 2 * nlat)
        yield "sht", f"nlat {nlat}", lambda f=f, nlat=nlat: sht(f, nlat)
    for level in [3] if quick else [3, 5]:
        v, faces = icosphere(level)
        yield "cotan", f"{len(v)} vertices", lambda v=v, faces=faces: cotan_laplacian(v, faces)
        if level == 3:
            yield "heat", f"{len(v)} vertices", lambda v=v, faces=faces: heat_geodesic(v, faces, [0])


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.validation_cost", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="the smallest size of each case, 3 repeats")
    p.add_argument("--out", type=Path, default=None, help="default benchmarks/results/validation-cpu.json")
    args = p.parse_args(argv)
    from benchmarks import harness

    torch.set_num_threads(1)
    load, rows = harness.load_average(), []
    for family, size, call in _cases(args.quick):
        res = share_in_checks(call, 3 if args.quick else 11)
        rows.append({"family": family, "size": size, **res})
        print(f"{family:6s} {size:18s} checks {1e6 * res['checks_median_s']:7.1f} µs, "
              f"{100 * res['share_median']:5.1f}% of {1e3 * res['time_median_s']:9.2f} ms "
              f"(IQR {100 * res['share_q1']:.1f}-{100 * res['share_q3']:.1f}%)", flush=True)
    if not args.quick or args.out:
        meta = {"schema": 1, "date": harness.now_utc(), "command": harness.command_line(),
                "quick": args.quick, "machine": harness.machine(torch.device("cpu"), 1),
                "versions": harness.versions(), "load_average_start": load, "threads": 1}
        out = args.out or ROOT / "benchmarks" / "results" / "validation-cpu.json"
        out.write_text(json.dumps({"meta": meta, "validation": rows}, indent=1) + "\n")
        print(f"wrote {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
