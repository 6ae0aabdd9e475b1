"""Builds the team, commitments, digest and reminder services from Settings.

The feature commands (`coach team`, `commitments`, `reminders`, `nudges`, `outbox`,
`demo`), the benchmark and (later) the server's scheduler share this: one migrated store,
the console outbox plus any platform senders, and the `--now`/`--tz` clock.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.clock import resolve_now, resolve_zone
from bot.console_ids import CONSOLE_TENANT, check_user
from bot.delivery import DigestSender, Dispatcher
from bot.outbox import ConsoleOutbox
from bot.senders import platform_senders
from coaching.commitments.service import CommitmentService
from coaching.digests.reminders import ReminderService
from coaching.digests.service import DigestService
from coaching.ports import UserRef
from coaching.team.audit import AuditService
from coaching.team.rules import Clock
from coaching.team.service import TeamService
from coaching.types import Platform
from config.settings import Settings
from storage.audit_repo import SqlAuditLog
from storage.digest_repo import SqlDigestStore
from storage.outbox_repo import SqlOutbox
from storage.repository import SqlStore, open_store
from storage.seed_repo import SqlSeeder
from storage.team_repo import SqlTeamStore


@dataclass(frozen=True)
class Workspace:
    store: SqlStore
    team: TeamService
    commitments: CommitmentService
    digests: DigestService
    reminders: ReminderService
    outbox: SqlOutbox
    seeder: SqlSeeder
    audit: AuditService


@asynccontextmanager
async def workspace(
    settings: Settings, senders: Sequence[DigestSender] | None = None
) -> AsyncIterator[Workspace]:
    """The services on a migrated store; delivery through the console outbox and `senders`
    (by default the Slack and Teams senders the settings configure, `platform_senders`)."""
    store = await open_store(settings.database.url, migrate=True)
    try:
        outbox = SqlOutbox(store.engine)
        chosen = platform_senders(settings) if senders is None else senders
        outbound = Dispatcher([ConsoleOutbox(outbox), *chosen])
        team_store = SqlTeamStore(store.engine)
        digest_store = SqlDigestStore(store.engine)
        yield Workspace(
            store=store,
            team=TeamService(team_store),
            commitments=CommitmentService(team_store),
            digests=DigestService(digest_store, outbound),
            reminders=ReminderService(digest_store, outbound),
            outbox=outbox,
            seeder=SqlSeeder(store.engine),
            audit=AuditService(SqlAuditLog(store.engine)),
        )
    finally:
        await store.close()


def console_user(user: str) -> UserRef:
    """The console user `--user` names; a friendly error for an id the store can't hold."""
    return UserRef(platform=Platform.CONSOLE, tenant=CONSOLE_TENANT, user=check_user(user))


def make_clock(now: str | None, tz: str | None, settings: Settings, *, one_user: bool) -> Clock:
    """The clock of `--now` and `--tz`.

    Without `--now` it is the real clock. `--now` alone is a wall-clock time every user
    shares in their own zone; with `--tz` (or an offset) it is one instant. On a one-user
    command `--tz` is also that user's zone for the run, as the contract says.
    """
    default = resolve_zone(tz or settings.coaching.default_timezone)
    override = default if tz and one_user else None
    if not now:
        return Clock(at=datetime.now(UTC), default_zone=default, override=override)
    at = resolve_now(now, default)
    if not tz and datetime.fromisoformat(now).tzinfo is None:
        at = at.replace(tzinfo=None)
    return Clock(at=at, default_zone=default, override=override)


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for a batch job, then collect what it left.

    The digest job holds about a million small objects until it ends; the collector kept
    rescanning them and cost ~40% of the run at 10,000 reps (`bench/digests.py`).
    Reference counting still frees everything the job drops. While the collector is off,
    everything the job allocates stays in the youngest generation, so the closing pass
    over the young generations finds the job's cycles without rescanning the long-lived
    objects of the process (those wait for the collector's own full passes). That pass
    costs what is still alive, so callers let go of the job's result inside the block.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
        gc.collect(1)
