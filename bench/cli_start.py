"""How long `coach --help` takes to start, against `python -c pass` in the same run.

Each is run five times in a fresh interpreter and the median is reported, as wall time and
as CPU time (user + system): on a busy machine the wall time grows with the load, the CPU
time much less, so the budget is checked against the CPU time of `coach --help`.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import time

HELP_BUDGET_S = 0.4
RUNS = 5


def _timed(argv: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one run of `argv` to completion."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(argv, capture_output=True, check=True, timeout=120)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _median(argv: list[str]) -> tuple[float, float]:
    samples = [_timed(argv) for _ in range(RUNS)]
    return (
        statistics.median(wall for wall, _ in samples),
        statistics.median(cpu for _, cpu in samples),
    )


def run() -> bool:
    bare_wall, bare_cpu = _median([sys.executable, "-c", "pass"])
    help_wall, help_cpu = _median([sys.executable, "-m", "bot.cli", "--help"])
    ok = help_cpu <= HELP_BUDGET_S
    print(f"python -c pass: {bare_wall:.3f} s wall, {bare_cpu:.3f} s CPU (median of {RUNS})")
    print(
        f"coach --help:   {help_wall:.3f} s wall, {help_cpu:.3f} s CPU "
        f"(budget {HELP_BUDGET_S:g} s CPU, {help_cpu / HELP_BUDGET_S:.2f}x): "
        f"{'met' if ok else 'NOT met'}"
    )
    return ok
