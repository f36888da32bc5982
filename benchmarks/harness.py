"""Timing harness: warm-up, device synchronisation, interleaved repeats, medians with IQR, ratios.

Every comparison times *ours* and the *peer* in one loop, alternating which goes first, so that
drifts in machine load hit both alike. The ratio ours / peer is computed per repeat (paired) and
summarised by its median and interquartile range.
"""
from __future__ import annotations

import datetime as _dt
import os
import platform
import statistics
import sys
import time
from importlib import metadata

import torch


# ------------------------------------------------------------------------------------------------
# Clocks
# ------------------------------------------------------------------------------------------------
def _sync(device: torch.device):
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def time_call(fn, device: torch.device) -> tuple[float, float]:
    """(wall, cpu) seconds of one call of fn().

    On the GPU both are the CUDA-event time. On the CPU, wall is perf_counter and cpu is the
    process's CPU time (all its threads): on a shared machine the latter does not count the time
    the process waited for a core, so it is the steadier measure of the work done.
    """
    if device.type == "cuda":
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        fn()
        end.record()
        torch.cuda.synchronize(device)
        t = start.elapsed_time(end) / 1e3
        return t, t
    c0, t0 = time.process_time(), time.perf_counter()
    fn()
    return time.perf_counter() - t0, time.process_time() - c0


def quantiles(xs):
    """(median, q1, q3) of a list of numbers."""
    xs = sorted(xs)
    if len(xs) == 1:
        return xs[0], xs[0], xs[0]
    q1, med, q3 = statistics.quantiles(xs, n=4, method="inclusive")
    return med, q1, q3


def summary(xs) -> dict:
    med, q1, q3 = quantiles(xs)
    return {"median_s": med, "q1_s": q1, "q3_s": q3, "n": len(xs)}


def compare(ours, peer, device: torch.device, *, warmup: int = 2, min_repeats: int = 5,
            max_repeats: int = 40, budget_s: float = 2.0, clock: str = "wall") -> dict:
    """Time ours() against peer() interleaved; return both summaries and the paired ratio ours/peer.

    The number of repeats is chosen from the warm-up times so that a case takes about budget_s,
    clamped to [min_repeats, max_repeats]; the two alternate which goes first. ``clock`` ("wall"
    or "cpu") picks the times summarised under "ours", "peer" and "ratio"; the other clock's
    summaries are kept under "ours_<other>", "peer_<other>" and "ratio_<other>".
    """
    fns = {"ours": ours} if peer is None else {"ours": ours, "peer": peer}
    est = {}
    for name, fn in fns.items():
        for _ in range(warmup):
            fn()
        _sync(device)
        est[name] = time_call(fn, device)[0]
    per_round = sum(est.values())
    repeats = int(max(min_repeats, min(max_repeats, budget_s / max(per_round, 1e-9))))
    times = {(name, c): [] for name in fns for c in ("wall", "cpu")}
    order = list(fns)
    for i in range(repeats):
        for name in (order if i % 2 == 0 else order[::-1]):  # alternate who goes first
            wall, cpu = time_call(fns[name], device)
            times[name, "wall"].append(wall)
            times[name, "cpu"].append(max(cpu, 1e-9))
    out = {}
    for c in ("wall", "cpu"):
        suffix = "" if c == clock else f"_{c}"
        for name in fns:
            out[name + suffix] = summary(times[name, c])
        if peer is not None:
            med, q1, q3 = quantiles([a / b for a, b in zip(times["ours", c], times["peer", c])])
            out["ratio" + suffix] = {"median": med, "q1": q1, "q3": q3}
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
    return {"pinned": True, "M_MMAP_THRESHOLD": STEADY_MMAP_THRESHOLD, "M_TRIM_THRESHOLD": STEADY_TRIM_THRESHOLD}


# ------------------------------------------------------------------------------------------------
# The memory-traffic floor of message passing
# ------------------------------------------------------------------------------------------------
def copy_bandwidth(device: torch.device, mbytes: int = 256, repeats: int = 10, clock: str = "wall") -> float:
    """Measured copy bandwidth in bytes/s: a large tensor copy moves 2 x its size (read + write).

    Timed on the same clock as the layers ("wall" or "cpu"), so that layer time / floor is consistent.
    """
    n = mbytes * 2**20 // 4
    src = torch.rand(n, device=device)
    dst = torch.empty_like(src)
    for _ in range(2):
        dst.copy_(src)
    _sync(device)
    ts = [time_call(lambda: dst.copy_(src), device)[clock == "cpu"] for _ in range(repeats)]
    return 2 * n * 4 / statistics.median(ts)


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


def machine(device: torch.device) -> dict:
    try:
        import psutil
        physical = psutil.cpu_count(logical=False)
        mem_gb = round(psutil.virtual_memory().total / 2**30, 1)
    except ImportError:
        physical, mem_gb = None, None
    info = {"platform": platform.platform(), "arch": platform.machine(), "cpu_model": cpu_model(),
            "cpu_count": os.cpu_count(), "cpu_physical": physical, "memory_gb": mem_gb,
            "torch_threads": torch.get_num_threads(),
            "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS"),
            "malloc_env": {k: v for k, v in os.environ.items() if k.startswith("MALLOC_")}, "device": device.type, "gpu": None}
    if device.type == "cuda":
        info["gpu"] = torch.cuda.get_device_name(device)
        info["cuda"] = torch.version.cuda
    return info


def now_utc() -> str:
    return _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def command_line() -> str:
    return " ".join(["python"] + [os.path.relpath(a) if os.path.exists(a) else a for a in sys.argv])
