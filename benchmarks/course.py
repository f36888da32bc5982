"""Whole-course timing: execute each chapters/*.ipynb end to end and record its wall and CPU time.

Each notebook runs in a fresh subprocess (``python -m benchmarks.course NOTEBOOK``) that executes it
with nbclient, like nbval does; the CPU time is that subprocess's and its kernel's (user + sys),
read with ``os.wait4``, so it is less sensitive than the wall time to other load on the machine.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.harness import load_average, now_utc

CELL_TIMEOUT = 600


def execute(path: Path) -> None:
    """Execute one notebook in a fresh kernel (outputs are discarded); raise on a cell error."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()


def time_one(path: Path, env=None) -> dict:
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "benchmarks.course", str(path)],
                            cwd=Path(__file__).resolve().parent.parent, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    ok = os.waitstatus_to_exitcode(status) == 0
    row = {"notebook": path.name, "ok": ok, "wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime}
    if not ok:
        row["error"] = out.strip().splitlines()[-1][:300] if out.strip() else "failed"
    return row


def time_notebooks(chapters: Path, device) -> dict:
    env = dict(os.environ)
    if device.type == "cpu":
        env["CUDA_VISIBLE_DEVICES"] = ""
    rows = []
    start = {"date": now_utc(), "load_average_start": load_average(), "device": device.type,
             "cell_timeout_s": CELL_TIMEOUT}
    for nb in sorted(chapters.glob("*.ipynb")):
        row = time_one(nb, env)
        rows.append(row)
        print(f"  {row['notebook']:32s} {'ok' if row['ok'] else 'FAILED':6s} wall {row['wall_s']:7.1f} s"
              f"  cpu {row['cpu_s']:7.1f} s" + ("" if row["ok"] else f"  ({row['error']})"), flush=True)
    return {**start, "load_average_end": load_average(), "notebooks": rows,
            "total_wall_s": sum(r["wall_s"] for r in rows), "total_cpu_s": sum(r["cpu_s"] for r in rows)}


if __name__ == "__main__":
    execute(Path(sys.argv[1]))
