"""Worker processes killed midway lose no digest or reminder and send none twice.

Real processes on a real database: one worker (`python -m tests.nudges.stalled`, wired like
`coach`) claims its batch, hands half of it to the console outbox and stalls there; once the
database shows its claims, two `coach ... run` workers start and the stalled one is killed
with SIGKILL, so three run at once. The survivors race for the rest and must leave the dead
worker's claims alone while their lease runs; a later run past the lease takes them over.
In the end every due recipient has exactly one message, the ones the dead worker had
already delivered included.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import ColumnElement, func, select

from coaching.digests.ports import Schedule
from coaching.digests.service import DELIVERY_LEASE
from coaching.team.ports import AuditNote, MemberUpdate
from coaching.types import Commitment, CommitmentKind, Party, Role
from storage.digest_repo import SqlDigestStore
from storage.models import CommitmentRow, NudgeDelivery, OutboxMessage
from storage.repository import SqlStore, open_store
from storage.seed_repo import SeedCommitment
from tests.nudges.org import Org, at, ref

ROOT = Path(__file__).resolve().parents[2]
COACH = str(Path(sys.executable).with_name("coach"))
MANAGERS, REPS_PER_MANAGER = 40, 5
WEDNESDAY = date(2026, 3, 4)
# Digests: even managers' slot is Monday 09:00 (the stalled worker's), odd ones' 10:00.
STALLED_DIGESTS, SURVIVOR_DIGESTS, LATER_DIGESTS = (
    "2026-03-02T09:58",
    "2026-03-02T10:00",
    "2026-03-02T10:40",  # past DELIVERY_LEASE after the stalled run
)
# Reminders: Tuesday begins in Berlin (even managers' reps) before the stalled worker runs
# and in UTC (odd managers' reps) just before the survivors run.
STALLED_REMINDERS, SURVIVOR_REMINDERS, LATER_REMINDERS = (
    "2026-03-02T23:55+00:00",
    "2026-03-03T00:05+00:00",
    "2026-03-03T00:35+00:00",  # past DELIVERY_LEASE after the stalled run
)


@pytest.mark.parametrize(
    "runs",
    [
        (STALLED_DIGESTS, SURVIVOR_DIGESTS, LATER_DIGESTS),
        (STALLED_REMINDERS, SURVIVOR_REMINDERS, LATER_REMINDERS),
    ],
)
def test_the_survivors_run_inside_the_lease_and_the_later_run_past_it(
    runs: tuple[str, str, str],
) -> None:
    stalled, survivor, later = (datetime.fromisoformat(run) for run in runs)
    assert survivor - stalled < DELIVERY_LEASE <= later - stalled


@pytest.fixture
async def org_store(database_url: str) -> AsyncIterator[SqlStore]:
    store = await open_store(database_url, migrate=True)
    try:
        await seed_org(store)
        yield store
    finally:
        await store.close()


async def seed_org(store: SqlStore) -> None:
    """Managers with five reps each, every rep with a promise due on Wednesday."""
    org = Org(store)
    updates = []
    for m in range(MANAGERS):
        zone = "Europe/Berlin" if m % 2 == 0 else "UTC"
        updates.append(MemberUpdate(f"m{m}", Role.MANAGER, f"Manager {m}", "UTC"))
        updates += [
            MemberUpdate(f"r{m}-{r}", Role.REP, f"Rep {m}-{r}", zone, f"m{m}")
            for r in range(REPS_PER_MANAGER)
        ]
    await org.team.save_members(ref("m0"), updates, AuditNote("test"))
    members = await org.team.members(ref("m0"), [u.user for u in updates])
    promise = Commitment(
        text="send the pricing", kind=CommitmentKind.FOLLOW_UP, due=WEDNESDAY, party=Party.REP
    )
    changed = at(date(2026, 2, 20))
    await org.seeder.add_commitments(
        [
            SeedCommitment(member.id, f"due:{user}", promise, changed, changed)
            for user, member in members.items()
            if member.role is Role.REP
        ]
    )
    schedules = SqlDigestStore(store.engine)
    for m in range(1, MANAGERS, 2):
        await schedules.set_schedule(members[f"m{m}"].id, Schedule(weekday=0, hour=10))


def start(*argv: str, cwd: Path) -> subprocess.Popen[str]:
    """A worker process with a clean environment (UTC as the default zone, no .env)."""
    env = dict(os.environ)
    env.update(COACH_TIMEZONE="UTC", PYTHONPATH=str(ROOT))
    return subprocess.Popen(
        argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def stalled_worker(job: str, url: str, now: str, cwd: Path) -> subprocess.Popen[str]:
    return start(sys.executable, "-m", "tests.nudges.stalled", job, url, now, cwd=cwd)


def coach_worker(command: str, url: str, now: str, cwd: Path) -> subprocess.Popen[str]:
    return start(COACH, command, "run", "--now", now, "--db", url, "--json", cwd=cwd)


def report(worker: subprocess.Popen[str]) -> dict[str, Any]:
    out, err = worker.communicate(timeout=300)
    assert worker.returncode == 0, err
    result: dict[str, Any] = json.loads(out)
    return result


def kill(worker: subprocess.Popen[str]) -> None:
    worker.kill()
    worker.communicate(timeout=60)
    assert worker.returncode == -9


async def until(check: Callable[[], Awaitable[bool]], worker: subprocess.Popen[str]) -> None:
    """Poll the database (bounded) until `check` holds, while `worker` is still alive."""
    for _ in range(1_200):
        if await check():
            return
        if worker.poll() is not None:
            pytest.fail(f"the stalled worker ended early: {worker.communicate()[1][-2000:]}")
        await asyncio.sleep(0.1)
    kill(worker)
    pytest.fail("the stalled worker never claimed its batch")


async def count(store: SqlStore, model: type[Any], *where: ColumnElement[bool]) -> int:
    async with store.sessions() as session:
        return await session.scalar(select(func.count()).select_from(model).where(*where)) or 0


async def per_recipient(store: SqlStore, kind: str) -> list[int]:
    """How many messages of `kind` each recipient has in the outbox."""
    query = (
        select(func.count()).where(OutboxMessage.kind == kind).group_by(OutboxMessage.recipient_id)
    )
    async with store.sessions() as session:
        return list((await session.scalars(query)).all())


async def test_a_digest_worker_killed_midway_loses_nothing(
    org_store: SqlStore, database_url: str, tmp_path: Path
) -> None:
    store, half = org_store, MANAGERS // 2
    pending = NudgeDelivery.status == "pending"
    digests = OutboxMessage.kind == "digest"
    victim = stalled_worker("digests", database_url, STALLED_DIGESTS, tmp_path)

    async def victim_claimed() -> bool:
        claimed = await count(store, NudgeDelivery, pending) == half
        return claimed and await count(store, OutboxMessage, digests) == half // 2

    await until(victim_claimed, victim)
    survivors = [coach_worker("nudges", database_url, SURVIVOR_DIGESTS, tmp_path) for _ in range(2)]
    kill(victim)
    reports = [report(worker) for worker in survivors]

    assert sum(r["sent"] for r in reports) == MANAGERS - half
    assert await count(store, NudgeDelivery, pending) == half
    later = report(coach_worker("nudges", database_url, LATER_DIGESTS, tmp_path))
    assert later["sent"] == half
    assert await count(store, NudgeDelivery, NudgeDelivery.status == "sent") == MANAGERS
    assert await count(store, NudgeDelivery) == MANAGERS
    assert await per_recipient(store, "digest") == [1] * MANAGERS


async def test_a_reminders_worker_killed_midway_loses_nothing(
    org_store: SqlStore, database_url: str, tmp_path: Path
) -> None:
    store, half = org_store, MANAGERS // 2 * REPS_PER_MANAGER
    pending = CommitmentRow.reminded_day_before_pending.is_(True)
    reminders = OutboxMessage.kind == "reminder"
    victim = stalled_worker("reminders", database_url, STALLED_REMINDERS, tmp_path)

    async def victim_claimed() -> bool:
        claimed = await count(store, CommitmentRow, pending) == half
        return claimed and await count(store, OutboxMessage, reminders) == half // 2

    await until(victim_claimed, victim)
    survivors = [
        coach_worker("reminders", database_url, SURVIVOR_REMINDERS, tmp_path) for _ in range(2)
    ]
    kill(victim)
    reports = [report(worker) for worker in survivors]

    assert sum(r["sent"] for r in reports) == MANAGERS * REPS_PER_MANAGER - half
    assert await count(store, CommitmentRow, pending) == half
    later = report(coach_worker("reminders", database_url, LATER_REMINDERS, tmp_path))
    assert later["sent"] == half
    assert await count(store, CommitmentRow, pending) == 0
    assert await per_recipient(store, "reminder") == [1] * MANAGERS * REPS_PER_MANAGER
