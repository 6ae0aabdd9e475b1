"""Proposal review: a 20-page .docx proposal through `ReviewService.review` on SQLite.

The baseline, measured in the same run, is `extract_text` of the same document: the work
any reviewer must do just to read the file. The ratio says how many "reads of the file" a
full review costs (coaching, outline, signals, history and both writes), independent of how
fast this machine is; the absolute median and p95 sit next to it. Goal: < 200 ms median.
"""

from __future__ import annotations

import asyncio
import io
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import docx

from coaching.engine import OfflineEngine
from coaching.review.documents import extract_text
from coaching.review.service import ReviewService
from coaching.service import CoachService
from coaching.types import IncomingMessage, Platform
from storage.repository import open_store
from storage.review_repo import SqlReviewHistory

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("America/Chicago"))
PAGES = 20
PARAGRAPHS_PER_SECTION = 3  # about 3,000 characters a page, a dense printed page
RUNS = 30
GOAL_MS = 200.0
LIMITS = {"max_bytes": 10 * 1024 * 1024, "max_chars": 200_000}
SECTIONS = (
    (
        "Where Ridgeway is today",
        "Your claims team carries a nine-day backlog and your nurses re-key every referral by "
        "hand. The audit finding from November is still open, and month-end means overtime.",
    ),
    (
        "What it costs",
        "The backlog costs your billing team about 1,400 hours each month, and late claims "
        "put revenue at risk with two of your largest payers.",
    ),
    (
        "Our approach",
        "Phase 1 discovery takes four weeks; phase 2 configuration ten weeks. Our "
        "implementation methodology and governance model follow our standard workstreams.",
    ),
    (
        "Results you can hold us to",
        "We will reduce the backlog to under 2 days by Q3 and give 1,200 staff hours a month "
        "back to patient work, with a monthly report you can check.",
    ),
    (
        "What changes for your team",
        "Relief at a clean audit, confidence going into the board review, and a billing "
        "team that looks forward to month-end instead of dreading it.",
    ),
    (
        "About us",
        "Founded in 1998, we have 14 offices and 2,300 employees, and our awards include "
        "three industry titles for claims software.",
    ),
)


def proposal_docx() -> bytes:
    """20 pages: each a heading, six short sections and a small results table."""
    document = docx.Document()
    document.add_heading("Proposal for Ridgeway Health: final presentation to the COO", 0)
    for page in range(1, PAGES + 1):
        document.add_heading(f"Part {page}", level=1)
        for title, body in SECTIONS:
            document.add_heading(title, level=2)
            for _ in range(PARAGRAPHS_PER_SECTION):
                document.add_paragraph(body)
        table = document.add_table(rows=2, cols=3)
        for cell, value in zip(table.rows[0].cells, ("Measure", "Today", "Q3"), strict=True):
            cell.text = value
        for cell, value in zip(table.rows[1].cells, ("Backlog", "9 days", "2 days"), strict=True):
            cell.text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


async def timings(func: Callable[[], Awaitable[object]], runs: int) -> list[float]:
    await func()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        await func()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1]


async def measure(url: str, data: bytes) -> tuple[list[float], list[float], int]:
    text = extract_text("proposal.docx", data, **LIMITS)
    store = await open_store(url, migrate=True)
    coach = CoachService(
        store=store, engine=OfflineEngine(), max_input_chars=200_000, memory_turns=6
    )
    service = ReviewService(SqlReviewHistory(store.engine), coach)
    sequence = iter(range(RUNS + 1))

    async def review() -> object:
        day = next(sequence)
        message = IncomingMessage(
            platform=Platform.CONSOLE,
            tenant="bench",
            user="rep",
            text=f"{text}\n\nDraft {day}.",  # a new text each run: no cache helps
            now=NOW + timedelta(minutes=day),
        )
        return await service.review(message, title="Ridgeway proposal")

    async def baseline() -> object:
        return extract_text("proposal.docx", data, **LIMITS)

    try:
        return await timings(review, RUNS), await timings(baseline, RUNS), len(text)
    finally:
        await store.close()


def run() -> bool:
    """Print the review benchmark; True when the median meets the goal."""
    data = proposal_docx()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        reviews, baseline, chars = asyncio.run(measure(url, data))
    median = statistics.median(reviews)
    ratio = median / statistics.median(baseline)
    met = median < GOAL_MS
    print(f"proposal review (baseline: extract_text of the same {len(data) // 1024} KB .docx)")
    print(
        f"{PAGES}-page review {chars:>8,} chars  median {median:8.2f} ms  "
        f"p95 {p95(reviews):8.2f} ms  {ratio:6.1f}x baseline "
        f"(extract median {statistics.median(baseline):.2f} ms)  "
        f"goal < {GOAL_MS:g} ms: {'met' if met else 'NOT met'}"
    )
    return met


if __name__ == "__main__":
    sys.exit(0 if run() else 1)
