"""A whole coaching turn as a rep's message meets it: limits, engine, store, in one process.

`bench.offline` times the engine alone on one message. A real turn also counts the rep's
rate and the tenant's tokens, checks the event was not seen before, stores the turn, its
findings and commitments in one transaction, and reads the thread's memory. This runs varied
messages (deal updates, drafts, promises, small talk, a manager's question) through
`CoachService.process` on a fresh SQLite file, with the per-user rate limit lifted so the
benchmark measures coaching rather than refusals, and reports the median and p95 per turn
against the engine alone on the same messages in the same run.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from datetime import datetime
from itertools import cycle, islice
from pathlib import Path
from zoneinfo import ZoneInfo

from bench.offline import p95
from bot.wiring import open_services
from coaching.engine import OfflineEngine
from coaching.playbooks.base import Context
from coaching.types import IncomingMessage, Platform, Role
from config.settings import Settings

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Europe/Berlin"))
TURNS = 240
# Limits, idempotency, memory and one transaction may cost at most as much again as the
# coaching itself, three times over: the store must never be what a rep waits for.
GOAL_RATIO = 4.0
# Written for this benchmark: the shapes reps send, not sentences from any corpus or set.
MESSAGES: tuple[tuple[Role, str], ...] = (
    (Role.REP, "sent the proposal to Halvorsen Logistics yesterday, now waiting on their CFO"),
    (Role.REP, "I'll send Ines the updated security answers by Thursday"),
    (
        Role.REP,
        "Weekly update: 45 calls, 120 emails, 3 demos booked. Brightwater went quiet after "
        "the pilot. Marlow Foods wants pricing for 40 seats, I promised it for Monday. "
        "Kestrel's champion will take our deck to her COO herself next week.",
    ),
    (
        Role.REP,
        "Draft: Hi Tomas, great to see your post about your daughter's surgery, hope she is "
        "recovering! Quick question about your Q3 budget for warehouse scanners?",
    ),
    (Role.REP, "Tue 3pm works for the review with their ops team"),
    (Role.REP, "thanks, that helps"),
    (
        Role.REP,
        "We're the leading platform, best in class, nobody else comes close. Our quarter "
        "ends Friday so I can give you an extra 12% if you sign this week.",
    ),
    (Role.MANAGER, "Dana closed her whole number on the legacy analytics line again, ok?"),
    (
        Role.REP,
        "Northwind loved the demo in October, nothing from them since. Should I ping again?",
    ),
    (Role.REP, "not sure what to say when they ask why we're 20% pricier than Acme"),
)


def _message(number: int, role: Role, text: str) -> IncomingMessage:
    return IncomingMessage(
        platform=Platform.CONSOLE,
        tenant="bench",
        user=f"{role.value}-{number % 7}",
        role=role,
        text=text,
        now=NOW,
        idempotency_key=f"bench-turn-{number}",
    )


async def _turns(folder: Path) -> list[float]:
    settings = Settings(
        _env_file=None,
        COACH_DATABASE_URL=f"sqlite:///{folder / 'coach.db'}",
        COACH_RATE_LIMIT_PER_MINUTE=1_000_000,
    )
    samples = []
    async with open_services(settings) as services:
        await services.coach.process(_message(-1, Role.REP, MESSAGES[0][1]))  # migrate, warm
        for number, (role, text) in enumerate(islice(cycle(MESSAGES), TURNS)):
            started = time.perf_counter()
            await services.coach.process(_message(number, role, text))
            samples.append((time.perf_counter() - started) * 1000)
    return samples


def _engine_alone() -> list[float]:
    engine = OfflineEngine()
    samples = []
    for role, text in islice(cycle(MESSAGES), TURNS):
        ctx = Context(text=text, now=NOW, role=role)
        started = time.perf_counter()
        engine.coach(ctx)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def run() -> bool:
    with tempfile.TemporaryDirectory() as folder:
        turns = asyncio.run(_turns(Path(folder)))
    engine = _engine_alone()
    median, base = statistics.median(turns), statistics.median(engine)
    met = median / base <= GOAL_RATIO
    print(f"{TURNS} turns over {len(MESSAGES)} kinds of message, rate limit lifted")
    print(f"engine alone     median {base:8.2f} ms  p95 {p95(engine):8.2f} ms  (baseline)")
    print(
        f"full turn        median {median:8.2f} ms  p95 {p95(turns):8.2f} ms  "
        f"{median / base:5.1f}x baseline  goal <= {GOAL_RATIO:g}x: "
        f"{'met' if met else 'NOT met'}"
    )
    return met


if __name__ == "__main__":
    raise SystemExit(0 if run() else 1)
