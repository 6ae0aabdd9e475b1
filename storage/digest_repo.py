"""`SqlDigestStore`: what weekly digests and reminders read and the records that make them
exactly-once, on SQLite or PostgreSQL.

It implements `coaching.digests.service.DigestStore` and `coaching.digests.reminders.
ReminderStore`. Every read is one statement for all managers at once, and no query reads
finding evidence or chat text: digests count finding codes only.

Claims are atomic in the database. A digest is claimed by inserting its delivery record
(unique per manager and ISO week) with ON CONFLICT DO NOTHING, or by one UPDATE that flips
a `failed` record, or a `pending` one whose lease has lapsed, to `pending` with this run's
`claimed_at`; a reminder by one UPDATE that stamps its `reminded_*` time and pending flag
where it is unclaimed or its lease has lapsed. Whoever's statement returns the row owns the
send (row locks on PostgreSQL and the single writer on SQLite re-check the condition, so of
racing runs exactly one wins). The claim time is also the owner's token: a run records the
outcome only where the claim still carries its time, so a run that was taken over cannot
overwrite its successor's record.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple, cast

from sqlalchemy import Select, Table, bindparam, or_, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from coaching.commitments.ports import ReminderCandidate, ReminderKind
from coaching.digests.deals import CLOSED_STAGES, MIX_WINDOW_DAYS, Deal, DealStage
from coaching.digests.model import Digest, FindingMark
from coaching.digests.ports import Claims, DeliveryState, ManagerSlot, Schedule, TeamSnapshot
from coaching.team.ports import Member
from coaching.types import CommitmentStatus, Role
from storage.models import CommitmentRow, DealRow, DigestSchedule, FindingRow, NudgeDelivery, User
from storage.team_repo import (
    TRACKED_COLUMNS,
    SqlMembers,
    member_columns,
    to_member,
    to_tracked,
    tracked_from_columns,
)
from storage.upsert import insert_or_skip

_REMINDED = {
    ReminderKind.DAY_BEFORE: (
        CommitmentRow.reminded_day_before_at,
        CommitmentRow.reminded_day_before_pending,
    ),
    ReminderKind.DUE_DAY: (CommitmentRow.reminded_due_at, CommitmentRow.reminded_due_pending),
}
_LIVE = (CommitmentStatus.OPEN, CommitmentStatus.SNOOZED)


class SqlDigestStore(SqlMembers):
    async def managers(self) -> list[ManagerSlot]:
        query = (
            member_columns()
            .add_columns(DigestSchedule.weekday, DigestSchedule.hour)
            .outerjoin(DigestSchedule, DigestSchedule.manager_id == User.id)
            .where(User.role == Role.MANAGER)
            .order_by(User.id)
        )
        async with self.transaction() as session:
            return [
                ManagerSlot(to_member(row), _schedule(row.weekday, row.hour))
                for row in await session.execute(query)
            ]

    async def delivery_states(
        self, keys: Sequence[tuple[int, str]]
    ) -> dict[tuple[int, str], DeliveryState]:
        if not keys:
            return {}
        pair = tuple_(NudgeDelivery.manager_id, NudgeDelivery.iso_week)
        query = select(
            NudgeDelivery.manager_id,
            NudgeDelivery.iso_week,
            NudgeDelivery.status,
            NudgeDelivery.claimed_at,
        )
        async with self.transaction() as session:
            rows = await session.execute(query.where(pair.in_(list(keys))))
            return {
                (row.manager_id, row.iso_week): DeliveryState(row.status, row.claimed_at)
                for row in rows
            }

    async def snapshot(
        self, *, manager_ids: Sequence[int], since: datetime, until: date
    ) -> TeamSnapshot:
        queries = snapshot_queries(manager_ids=manager_ids, since=since, until=until)
        async with self.transaction() as session:
            # Core rows, not ORM results: the ORM's per-row loading cost more than the read.
            conn = await session.connection()
            members = (await conn.execute(queries.reps)).all()
            commitments = (await conn.execute(queries.commitments)).all()
            deals = (await conn.execute(queries.deals)).all()
            marks = (await conn.execute(queries.findings)).all()
            return TeamSnapshot(
                reps=[to_member(row) for row in members],
                commitments=[tracked_from_columns(row) for row in commitments],
                deals=[_deal(row) for row in deals],
                findings=[FindingMark(*row) for row in marks],
            )

    async def claim(
        self, digests: Sequence[tuple[int, Digest]], *, at: datetime, lapsed_before: datetime
    ) -> set[int]:
        if not digests:
            return set()
        payloads = {mid: digest.packed_json for mid, digest in digests}
        lapsed = (NudgeDelivery.status == "pending") & (
            NudgeDelivery.claimed_at.is_(None) | (NudgeDelivery.claimed_at <= lapsed_before)
        )
        async with self.transaction() as session:
            claimed = await _insert_pending(session, digests, payloads, at)
            retried = set(
                (
                    await session.execute(
                        update(NudgeDelivery)
                        .where(_among(digests), (NudgeDelivery.status == "failed") | lapsed)
                        .values(status="pending", claimed_at=at)
                        .returning(NudgeDelivery.manager_id)
                    )
                ).scalars()
            )
            if retried:
                await _store_digests(session, digests, payloads, retried)
            return claimed | retried

    async def finish(
        self, *, sent: Sequence[tuple[int, str]], failed: Sequence[tuple[int, str]], at: datetime
    ) -> None:
        pair = tuple_(NudgeDelivery.manager_id, NudgeDelivery.iso_week)
        ours = (NudgeDelivery.status == "pending") & (NudgeDelivery.claimed_at == at)
        async with self.transaction() as session:
            if sent:
                await session.execute(
                    update(NudgeDelivery)
                    .where(pair.in_(list(sent)), ours)
                    .values(status="sent", sent_at=at)
                )
            if failed:
                await session.execute(
                    update(NudgeDelivery)
                    .where(pair.in_(list(failed)), ours)
                    .values(status="failed")
                )

    async def set_schedule(self, manager_id: int, schedule: Schedule) -> None:
        async with self.transaction() as session:
            await session.merge(
                DigestSchedule(manager_id=manager_id, weekday=schedule.weekday, hour=schedule.hour)
            )

    async def reminder_candidates(
        self, *, around: datetime, lapsed_before: datetime
    ) -> list[tuple[ReminderCandidate, Member]]:
        first, last = around.date() - timedelta(days=1), around.date() + timedelta(days=2)
        day_before = _claimable(ReminderKind.DAY_BEFORE, lapsed_before)
        due_day = _claimable(ReminderKind.DUE_DAY, lapsed_before)
        query = (
            member_columns()
            .add_columns(
                CommitmentRow, day_before.label("day_before_open"), due_day.label("due_open")
            )
            .join(CommitmentRow, CommitmentRow.user_id == User.id)
            .where(
                or_(
                    (CommitmentRow.status == CommitmentStatus.OPEN)
                    & CommitmentRow.due.between(first, last),
                    (CommitmentRow.status == CommitmentStatus.SNOOZED)
                    & CommitmentRow.snoozed_until.between(first, last),
                ),
                day_before | due_day,
            )
        )
        async with self.transaction() as session:
            rows = await session.execute(query)
            return [(_candidate(row), to_member(row)) for row in rows]

    async def claim_reminders(
        self, claims: Claims, *, at: datetime, lapsed_before: datetime
    ) -> dict[ReminderKind, set[int]]:
        owned: dict[ReminderKind, set[int]] = {}
        async with self.transaction() as session:
            for kind, ids in claims.items():
                if not ids:
                    continue
                claimed_at, pending = _REMINDED[kind]
                result = await session.execute(
                    update(CommitmentRow)
                    .where(
                        CommitmentRow.id.in_(list(ids)),
                        _claimable(kind, lapsed_before),
                        CommitmentRow.status.in_(_LIVE),
                    )
                    .values({claimed_at: at, pending: True})
                    .returning(CommitmentRow.id)
                )
                owned[kind] = set(result.scalars())
        return owned

    async def finish_reminders(self, *, sent: Claims, failed: Claims, at: datetime) -> None:
        async with self.transaction() as session:
            for claims, delivered in ((sent, True), (failed, False)):
                for kind, ids in claims.items():
                    if not ids:
                        continue
                    claimed_at, pending = _REMINDED[kind]
                    outcome = {pending: False} if delivered else {pending: False, claimed_at: None}
                    await session.execute(
                        update(CommitmentRow)
                        .where(CommitmentRow.id.in_(list(ids)), claimed_at == at, pending)
                        .values(outcome)
                    )


def _claimable(kind: ReminderKind, lapsed_before: datetime) -> Any:
    """Whether a commitment's `kind` reminder is free to claim: never claimed, or claimed
    at or before `lapsed_before` and never recorded delivered."""
    claimed_at, pending = _REMINDED[kind]
    return claimed_at.is_(None) | (pending & (claimed_at <= lapsed_before))


def _schedule(weekday: int | None, hour: int | None) -> Schedule:
    default = Schedule()
    return Schedule(
        weekday=default.weekday if weekday is None else weekday,
        hour=default.hour if hour is None else hour,
    )


class SnapshotQueries(NamedTuple):
    """The four statements one digest run reads everything with, whatever the team size."""

    reps: Select[*tuple[Any, ...]]
    commitments: Select[*tuple[Any, ...]]
    deals: Select[*tuple[Any, ...]]
    findings: Select[*tuple[Any, ...]]


def snapshot_queries(
    *, manager_ids: Sequence[int], since: datetime, until: date
) -> SnapshotQueries:
    """What `snapshot` reads; public so the benchmark can time reading the same rows once."""
    reps = (User.manager_id.in_(list(manager_ids))) & (User.role == Role.REP)
    return SnapshotQueries(
        reps=member_columns().where(reps),
        commitments=_commitments(reps, since, until),
        deals=_deals(reps, since.date()),
        findings=select(FindingRow.user_id, FindingRow.code, FindingRow.created_at)
        .join(User, User.id == FindingRow.user_id)
        .where(reps, FindingRow.created_at >= since),
    )


def _commitments(reps: Any, since: datetime, until: date) -> Select[*tuple[Any, ...]]:
    """Live promises due before `until` (or undated), and those finished since `since`."""
    live = CommitmentRow.status.in_(_LIVE) & (
        CommitmentRow.due.is_(None) | (CommitmentRow.due <= until)
    )
    finished = (CommitmentRow.status == CommitmentStatus.DONE) & (CommitmentRow.updated_at >= since)
    return (
        select(*TRACKED_COLUMNS)
        .join(User, User.id == CommitmentRow.user_id)
        .where(reps, live | finished)
    )


def _deals(reps: Any, since: date) -> Select[*tuple[Any, ...]]:
    """Open deals, and deals closed recently enough to count in the revenue mix."""
    recent = since - timedelta(days=MIX_WINDOW_DAYS)
    closed = [stage.value for stage in CLOSED_STAGES]
    return (
        select(*_DEAL_COLUMNS)
        .join(User, User.id == DealRow.user_id)
        .where(reps, DealRow.stage.not_in(closed) | (DealRow.closed_at >= recent))
    )


_DEAL_COLUMNS = (
    DealRow.user_id,
    DealRow.name,
    DealRow.stage,
    DealRow.value,
    DealRow.product_line,
    DealRow.peak_interest_at,
    DealRow.last_customer_action_at,
    DealRow.proposal_sent_at,
    DealRow.p3_requested,
    DealRow.p3_at,
    DealRow.decider_confirmed,
    DealRow.closed_at,
)
"""What a `Deal` holds, in its fields' order: the CRM's own fields and the row's
timestamps are never read for a digest."""
_STAGES = {stage.value: stage for stage in DealStage}


def _deal(row: Sequence[Any]) -> Deal:
    """A `_DEAL_COLUMNS` row, unpacked by position (a run reads ~16,000 of them, and
    looking each column up by name cost more than reading it)."""
    owner_id, name, stage, *rest = row
    return Deal(owner_id, name, _STAGES[stage], *rest)


def _candidate(row: Any) -> ReminderCandidate:
    """A candidate whose reminders count as sent unless they are free to claim."""
    return ReminderCandidate(
        tracked=to_tracked(row.CommitmentRow),
        day_before_sent=not row.day_before_open,
        due_day_sent=not row.due_open,
    )


def _among(digests: Sequence[tuple[int, Digest]]) -> Any:
    pair = tuple_(NudgeDelivery.manager_id, NudgeDelivery.iso_week)
    return pair.in_([(mid, digest.iso_week) for mid, digest in digests])


async def _insert_pending(
    session: AsyncSession,
    digests: Sequence[tuple[int, Digest]],
    payloads: dict[int, bytes],
    at: datetime,
) -> set[int]:
    """New delivery records as `pending`, claimed `at`; one that exists is left alone."""
    statement = insert_or_skip(session, NudgeDelivery, ["manager_id", "iso_week"]).returning(
        NudgeDelivery.manager_id
    )
    rows = [
        {
            "manager_id": mid,
            "iso_week": d.iso_week,
            "status": "pending",
            "digest": payloads[mid],
            "claimed_at": at,
        }
        for mid, d in digests
    ]
    return set((await session.execute(statement, rows)).scalars())


async def _store_digests(
    session: AsyncSession,
    digests: Sequence[tuple[int, Digest]],
    payloads: dict[int, bytes],
    managers: set[int],
) -> None:
    """Replace a failed attempt's digest with the one about to be sent (one statement)."""
    table = cast(Table, NudgeDelivery.__table__)
    await session.execute(
        update(table)
        .where(table.c.manager_id == bindparam("m"), table.c.iso_week == bindparam("w"))
        .values(digest=bindparam("d")),
        [{"m": mid, "w": d.iso_week, "d": payloads[mid]} for mid, d in digests if mid in managers],
    )
