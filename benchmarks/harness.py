"""Timing harness: interleaved repeats of ours and the peer, and their paired ratio.

The timing itself is PyTorch's: each turn is one ``torch.utils.benchmark.Timer.timeit`` call, which
sets the number of threads for its duration, runs untimed warm-up calls, and reads its clock (by
default after synchronising the accelerator, so CUDA kernels are counted in full). The per-side
statistics are those of its ``Measurement`` (median, interquartile range).

What is ours is the protocol: *ours* and the *peer* take turns in one loop, alternating which goes
first, so that drifts in machine load hit both alike; and the ratio ours / peer is formed per turn
(paired) and summarised by its median and interquartile range.
"""
from __future__ import annotations

import datetime as _dt
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from importlib import metadata

import torch
from torch.utils import benchmark


# ------------------------------------------------------------------------------------------------
# Clocks and repeats
# ------------------------------------------------------------------------------------------------
def clock_function(clock: str | Callable[[], float]) -> Callable[[], float]:
    """The clock a Timer reads: "wall" (torch's default: synchronise the accelerator, then read
    ``timeit.default_timer``), "cpu" (this process's CPU time, all threads: on a shared machine it
    leaves out the time spent waiting for a core), or any callable returning seconds."""
    if callable(clock):
        return clock
    if clock == "wall":
        return benchmark.utils.timer.timer
    if clock == "cpu":
        return time.process_time
    raise ValueError(f"clock must be 'wall', 'cpu' or a callable, got {clock!r}")


def budget(quick: bool) -> dict:
    """Repeat counts for compare(): a few for a smoke test, more for a measurement."""
    if quick:
        return {"min_repeats": 3, "max_repeats": 5, "budget_s": 0.2}
    return {"min_repeats": 5, "max_repeats": 21, "budget_s": 2.0}


def quantiles(xs) -> tuple[float, float, float]:
    """(median, q1, q3) of a list of numbers."""
    xs = sorted(xs)
    if len(xs) == 1:
        return xs[0], xs[0], xs[0]
    q1, med, q3 = statistics.quantiles(xs, n=4, method="inclusive")
    return med, q1, q3


def summary(m: benchmark.Measurement) -> dict:
    """One side's times, as the Measurement summarises them."""
    return {"median_s": m.median, "iqr_s": m.iqr, "n": len(m.times)}


def compare(ours: Callable, peer: Callable | None, *, clock: str | Callable[[], float] = "wall",
            num_threads: int = 1, min_repeats: int = 5, max_repeats: int = 21,
            budget_s: float = 2.0) -> dict:
    """Time ours() against peer() in turns; return both summaries and the paired ratio ours/peer.

    Each side gets a ``torch.utils.benchmark.Timer`` on ``clock`` with ``num_threads`` threads.
    From one estimate each, the number of turns is chosen so that the comparison takes about
    ``budget_s`` (clamped to [min_repeats, max_repeats]). In each turn both run once, timed by
    ``Timer.timeit(1)``, which first makes two untimed calls (so each side starts its turn warm,
    although the other side has just run); the two alternate which goes first.
    """
    fns = {"ours": ours} if peer is None else {"ours": ours, "peer": peer}
    timers = {name: benchmark.Timer("fn()", globals={"fn": fn}, timer=clock_function(clock),
                                    num_threads=num_threads, description=name)
              for name, fn in fns.items()}
    per_turn = sum(t.timeit(1).median for t in timers.values())  # also the first warm-up
    # each timeit(1) makes two untimed calls before the timed one: a turn costs three calls a side
    turns = int(max(min_repeats, min(max_repeats, budget_s / max(3 * per_turn, 1e-9))))
    runs: dict[str, list[benchmark.Measurement]] = {name: [] for name in fns}
    order = list(fns)
    for i in range(turns):
        for name in (order if i % 2 == 0 else order[::-1]):  # alternate who goes first
            runs[name].append(timers[name].timeit(1))
    merged = {name: benchmark.Measurement.merge(ms)[0] for name, ms in runs.items()}
    out = {name: summary(m) for name, m in merged.items()}
    if peer is not None:  # the paired ratio: one per turn, then its median and IQR
        ratios = [a / b for a, b in zip(merged["ours"].times, merged["peer"].times, strict=True)]
        med, q1, q3 = quantiles(ratios)
        out["ratio"] = {"median": med, "q1": q1, "q3": q3}
    return out


# ------------------------------------------------------------------------------------------------
# The allocator
# ------------------------------------------------------------------------------------------------
M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
STEADY_MMAP_THRESHOLD = 32 * 2**20  # glibc's DEFAULT_MMAP_THRESHOLD_MAX on 64-bit
STEADY_TRIM_THRESHOLD = 2 * STEADY_MMAP_THRESHOLD


def pin_allocator() -> dict:
    """Fix glibc malloc's thresholds at the values a long-running process settles on.

    glibc starts by mapping every block above 128 KB straight from the OS (so each call of a layer
    page-faults its buffers afresh) and raises that threshold, up to 32 MB, each time such a block
    is freed. Left alone, the timings of a case then depend on which cases ran before it. Setting
    the thresholds explicitly (to 32 MB and 64 MB, the steady state) makes every case see the
    same allocator. Returns what was set, or why nothing was.
    """
    try:
        import ctypes
        libc = ctypes.CDLL("libc.so.6")
        ok = libc.mallopt(M_MMAP_THRESHOLD, STEADY_MMAP_THRESHOLD) == 1 and \
            libc.mallopt(M_TRIM_THRESHOLD, STEADY_TRIM_THRESHOLD) == 1
    except (OSError, AttributeError) as e:
        return {"pinned": False, "reason": f"{type(e).__name__}: {e}"}
    if not ok:
        return {"pinned": False, "reason": "mallopt refused"}
    return {"pinned": True, "M_MMAP_THRESHOLD": STEADY_MMAP_THRESHOLD,
            "M_TRIM_THRESHOLD": STEADY_TRIM_THRESHOLD}


# ------------------------------------------------------------------------------------------------
# The memory-traffic floor of message passing
# ------------------------------------------------------------------------------------------------
def copy_bandwidth(device: torch.device, mbytes: int = 256, *, clock: str | Callable[[], float] = "wall",
                   num_threads: int = 1, min_run_time: float = 0.5) -> float:
    """Measured copy bandwidth in bytes/s: a large tensor copy moves 2 x its size (read + write).

    Timed on the same clock and threads as the layers, so that layer time / floor is consistent.
    """
    n = mbytes * 2**20 // 4
    src = torch.rand(n, device=device)
    dst = torch.empty_like(src)
    timer = benchmark.Timer("dst.copy_(src)", globals={"src": src, "dst": dst},
                            timer=clock_function(clock), num_threads=num_threads)
    return 2 * n * 4 / timer.blocked_autorange(min_run_time=min_run_time).median


def message_passing_bytes(num_edges: int, num_nodes: int, gathered: int, node_in: int,
                          node_out: int, dtype_bytes: int = 4, index_bytes: int = 8) -> int:
    """Bytes a gather-scatter layer must move at least, forward.

    The edge list is read once (2 x E indices), one gathered row of ``gathered`` floats per edge
    is read (a random graph gives the cache little reuse), the node inputs are read once and the
    node outputs written once. Dense matmuls and all intermediates are left out: this is a floor.
    """
    return (2 * num_edges * index_bytes + num_edges * gathered * dtype_bytes
            + num_nodes * (node_in + node_out) * dtype_bytes)


# ------------------------------------------------------------------------------------------------
# What machine, which versions
# ------------------------------------------------------------------------------------------------
PACKAGES = ["gdl", "torch", "numpy", "scipy", "torch_geometric", "e2cnn", "torch_harmonics",
            "robust_laplacian", "potpourri3d", "nbclient"]
_DISTS = {"torch_geometric": "torch-geometric", "torch_harmonics": "torch-harmonics",
          "robust_laplacian": "robust-laplacian"}


def versions() -> dict:
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(_DISTS.get(name, name))
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def load_average():
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def machine(device: torch.device, num_threads: int) -> dict:
    try:
        import psutil
        physical = psutil.cpu_count(logical=False)
        mem_gb = round(psutil.virtual_memory().total / 2**30, 1)
    except ImportError:
        physical, mem_gb = None, None
    info = {"platform": platform.platform(), "arch": platform.machine(), "cpu_model": cpu_model(),
            "cpu_count": os.cpu_count(), "cpu_physical": physical, "memory_gb": mem_gb,
            "torch_threads": num_threads, "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS"),
            "malloc_env": {k: v for k, v in os.environ.items() if k.startswith("MALLOC_")},
            "device": device.type, "gpu": None}
    if device.type == "cuda":
        info["gpu"] = torch.cuda.get_device_name(device)
        info["cuda"] = torch.version.cuda
    return info


def now_utc() -> str:
    return _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def command_line() -> str:
    return " ".join(["python"] + [os.path.relpath(a) if os.path.exists(a) else a for a in sys.argv])
