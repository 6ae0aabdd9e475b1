"""Call review: a 60-minute, two-speaker Teams-style .vtt through `CallService` on SQLite.

The call is generated here, in our own words: about 9,000 words over an hour (a brisk
150 words a minute), the rep talking about two thirds of them, with feature tours, a few
long stretches, questions, and promises with dates on both sides. The baseline, measured in
the same run, is `parse_transcript` of the same file: the work any reviewer must do just to
read it. The ratio says how many "reads of the call" a full review costs (rep detection,
talk ratio and monologues, the playbooks over the rep's words, both sides' commitments and
the stored turn), independent of how fast this machine is. Goal: < 2 s median, about as
long as a reply in Slack or Teams can take after the upload and still feel immediate.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bench.review import p95, timings
from coaching.calls.parse import parse_transcript
from coaching.calls.review import CallService
from coaching.engine import OfflineEngine
from coaching.service import CoachService
from coaching.types import IncomingMessage, Platform
from storage.repository import open_store

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("America/Chicago"))
MINUTES = 60
WORDS_PER_MINUTE = 150
RUNS = 5
GOAL_MS = 2000.0
LIMITS = {"max_bytes": 10 * 1024 * 1024, "max_chars": 200_000}
REP, CUSTOMER = "Dana Whitfield", "Omar Castillo"
REP_LINES = (
    "Thanks for the time today, Omar. I'm Dana from Brightline, and I'd like to hear how "
    "your dispatch team works before I show you anything.",
    "Our scheduler balances routes every few minutes, it reads live traffic, it handles "
    "driver breaks, it supports multi-drop loads and it exports to every payroll system.",
    "What happens today when a driver calls in sick at six in the morning?",
    "We also have a customer portal, branded tracking pages, text alerts, photo proof of "
    "delivery, signature capture and a reporting suite with forty standard dashboards.",
    "How many people touch a delivery between the order and the invoice?",
    "That makes sense. So the real cost is the overtime in the depot, not the software.",
    "I will send you the pilot plan with the three depots we discussed by Thursday.",
    "Our largest customer runs eleven hundred vehicles on it across four countries.",
    "Could you walk me through how the planners decide which depot takes an order?",
    "Let me show you the mobile app, the offline mode, the barcode scanner, the fuel log, "
    "the vehicle checks and the new route replay, which our customers really like.",
    "What would have to be true for your COO to sign this off before the summer peak?",
    "I'll book the final presentation with your COO for the twelfth of March.",
)
CUSTOMER_LINES = (
    "Sure. Right now two planners build the routes in spreadsheets every evening.",
    "When someone calls in sick we ring around, and usually a planner drives the van.",
    "The invoices go out a week late because proof of delivery arrives on paper.",
    "Our COO cares about one thing this year: overtime in the Leeds depot.",
    "I'll send you last quarter's delivery volumes by Friday.",
    "Honestly the last vendor showed us features for an hour and never asked about us.",
    "I'll check with finance whether the budget sits in this year or the next.",
    "That's helpful. Can you put the depot numbers in writing for me?",
)


def sixty_minute_vtt(seed: int = 19) -> bytes:
    """A Teams-style WEBVTT export: `<v Name>` voice tags on cues of a few seconds each."""
    chooser = random.Random(seed)
    target = MINUTES * WORDS_PER_MINUTE
    cues, words, clock = [], 0, 0.0
    while words < target:
        rep_turn = chooser.random() < 0.62
        who, pool = (REP, REP_LINES) if rep_turn else (CUSTOMER, CUSTOMER_LINES)
        sentences = chooser.randint(1, 4 if rep_turn else 2)
        for _ in range(sentences):
            text = chooser.choice(pool)
            said = len(text.split())
            seconds = said * 60 / WORDS_PER_MINUTE
            cues.append(f"{_stamp(clock)} --> {_stamp(clock + seconds)}\n<v {who}>{text}</v>\n")
            clock += seconds
            words += said
    numbered = [f"{index}\n{cue}" for index, cue in enumerate(cues, 1)]
    return ("WEBVTT\n\n" + "\n".join(numbered)).encode()


def _stamp(seconds: float) -> str:
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours:02}:{minutes:02}:{secs:02}.{round((seconds % 1) * 1000) % 1000:03}"


async def measure(url: str, data: bytes) -> tuple[list[float], list[float], int, float]:
    transcript = parse_transcript("call.vtt", data, **LIMITS)
    store = await open_store(url, migrate=True)
    coach = CoachService(
        store=store, engine=OfflineEngine(), max_input_chars=200_000, memory_turns=6
    )
    calls = CallService(coach)
    sequence = iter(range(RUNS + 1))

    async def review() -> object:
        run = next(sequence)
        message = IncomingMessage(
            platform=Platform.CONSOLE,
            tenant="bench",
            user="dana",
            user_name=REP,
            text="",
            now=NOW + timedelta(minutes=run),  # a new turn each run: no idempotent replay
        )
        return await calls.review(message, parse_transcript("call.vtt", data, **LIMITS))

    async def baseline() -> object:
        return parse_transcript("call.vtt", data, **LIMITS)

    try:
        reviews = await timings(review, RUNS)
        words = sum(turn.words for turn in transcript.turns)
        return reviews, await timings(baseline, RUNS), words, transcript.turns[-1].end or 0.0
    finally:
        await store.close()


def run() -> bool:
    """Print the call review benchmark; True when the median meets the goal."""
    data = sixty_minute_vtt()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        reviews, baseline, words, duration = asyncio.run(measure(url, data))
    median = statistics.median(reviews)
    parse = statistics.median(baseline)
    met = median < GOAL_MS
    print(f"call review (baseline: parse_transcript of the same {len(data) // 1024} KB .vtt)")
    print(
        f"{duration / 60:.0f}-minute call {words:>6,} words  median {median:8.2f} ms  "
        f"p95 {p95(reviews):8.2f} ms  {median / parse:6.1f}x baseline "
        f"(parse median {parse:.2f} ms)  goal < {GOAL_MS:g} ms: {'met' if met else 'NOT met'}"
    )
    return met


if __name__ == "__main__":
    sys.exit(0 if run() else 1)
