"""Speed of the offline coach, as ratios against a baseline from the same run.

The baseline is the cheapest honest pass over the same text (splitting it into words), so
the ratio says how many "reads of the text" one coaching turn costs, independent of how
fast or busy this machine is. Absolute medians and p95s are printed next to it.
"""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from coaching.engine import OfflineEngine
from coaching.playbooks.base import Context
from coaching.types import MessageKind

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("America/Chicago"))
CHAT = (
    "Quick one: the Northwind proposal is done and I'm emailing it to Priya (their IT director) "
    "on Thursday. The steering committee decides on March 19. I'll send her the revised "
    "pricing by Friday. Anything I should add to the cover email?"
)
PAGE = (
    "Our company was founded in 1998 and has 14 offices. Phase 1 discovery takes four weeks, "
    "phase 2 configuration ten weeks. Your claims backlog costs your team hours every month; "
    "we will reduce it to under two days by Q3, and your nurses will stop re-keying data. "
    "We are the leading provider of claims software with best-in-class support.\n"
) * 12
PROPOSAL = PAGE * 20
WORD = re.compile(r"\w+")
GOALS_MS = {"chat turn": 30.0, "20-page review": 1000.0}


def timings(func: Callable[[], object], runs: int) -> list[float]:
    func()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        func()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1]


def report(name: str, text: str, kind: MessageKind, runs: int) -> bool:
    engine = OfflineEngine()
    ctx = Context(text=text, now=NOW, kind=kind)
    coach = timings(lambda: engine.coach(ctx), runs)
    baseline = timings(lambda: WORD.findall(text), runs)
    median = statistics.median(coach)
    ratio = median / statistics.median(baseline)
    goal = GOALS_MS[name]
    met = median < goal
    print(
        f"{name:16} {len(text):>8,} chars  median {median:8.2f} ms  p95 {p95(coach):8.2f} ms  "
        f"{ratio:7.1f}x baseline  goal < {goal:g} ms: {'met' if met else 'NOT met'}"
    )
    return met


def run() -> bool:
    print("offline coaching turn (baseline: one word split of the same text)")
    ok = report("chat turn", CHAT, MessageKind.CHAT, runs=200)
    return report("20-page review", PROPOSAL, MessageKind.REVIEW, runs=30) and ok
