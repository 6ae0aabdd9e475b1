"""`SqlDigestStore`: what weekly digests and reminders read and the records that make them
exactly-once, on SQLite or PostgreSQL.

It implements `coaching.digest_service.DigestStore` and `coaching.reminder_service.
ReminderStore`. Every read is one statement for all managers at once, and no query reads
finding evidence or chat text: digests count finding codes only.

Claims are atomic in the database. A digest is claimed by inserting its delivery record
(unique per manager and ISO week) with ON CONFLICT DO NOTHING, or by flipping a `failed`
record back to `pending`; a reminder by setting its `reminded_*` column where it is still
NULL. Whoever's statement returns the row owns the send.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any, cast

from sqlalchemy import Select, Table, bindparam, or_, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from coaching.deals import CLOSED_STAGES, MIX_WINDOW_DAYS, Deal, DealStage
from coaching.digest_model import Digest, FindingMark
from coaching.digest_service import ManagerSlot, Schedule, TeamSnapshot
from coaching.reminder_service import Claims
from coaching.team import Member
from coaching.tracking import OPEN, SNOOZED, ReminderCandidate, ReminderKind
from coaching.types import CommitmentStatus, Role
from storage.models import CommitmentRow, DealRow, DigestSchedule, FindingRow, NudgeDelivery, User
from storage.team_repo import (
    TRACKED_COLUMNS,
    SqlMembers,
    insert_or_skip,
    member_columns,
    to_member,
    to_tracked,
)

_REMINDED = {
    ReminderKind.DAY_BEFORE: CommitmentRow.reminded_day_before_at,
    ReminderKind.DUE_DAY: CommitmentRow.reminded_due_at,
}
_LIVE = (OPEN, SNOOZED)


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

    async def delivery_states(self, keys: Sequence[tuple[int, str]]) -> dict[tuple[int, str], str]:
        if not keys:
            return {}
        pair = tuple_(NudgeDelivery.manager_id, NudgeDelivery.iso_week)
        query = select(NudgeDelivery.manager_id, NudgeDelivery.iso_week, NudgeDelivery.status)
        async with self.transaction() as session:
            rows = await session.execute(query.where(pair.in_(list(keys))))
            return {(row.manager_id, row.iso_week): row.status for row in rows}

    async def snapshot(
        self, *, manager_ids: Sequence[int], since: datetime, until: date
    ) -> TeamSnapshot:
        ids = list(manager_ids)
        reps = (User.manager_id.in_(ids)) & (User.role == Role.REP)
        async with self.transaction() as session:
            members = await session.execute(member_columns().where(reps))
            commitments = await session.execute(_commitments(reps, since, until))
            deals = await session.execute(_deals(reps, since.date()))
            marks = await session.execute(
                select(FindingRow.user_id, FindingRow.code, FindingRow.created_at)
                .join(User, User.id == FindingRow.user_id)
                .where(reps, FindingRow.created_at >= since)
            )
            return TeamSnapshot(
                reps=[to_member(row) for row in members],
                commitments=[to_tracked(row) for row in commitments],
                deals=[_deal(row) for row in deals],
                findings=[FindingMark(r.user_id, r.code, r.created_at) for r in marks],
            )

    async def claim(self, digests: Sequence[tuple[int, Digest]]) -> set[int]:
        if not digests:
            return set()
        payloads = {mid: digest.model_dump(mode="json") for mid, digest in digests}
        async with self.transaction() as session:
            claimed = await _insert_pending(session, digests, payloads)
            retried = set(
                (
                    await session.execute(
                        update(NudgeDelivery)
                        .where(_among(digests), NudgeDelivery.status == "failed")
                        .values(status="pending")
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
        pending = NudgeDelivery.status == "pending"
        async with self.transaction() as session:
            if sent:
                await session.execute(
                    update(NudgeDelivery)
                    .where(pair.in_(list(sent)), pending)
                    .values(status="sent", sent_at=at)
                )
            if failed:
                await session.execute(
                    update(NudgeDelivery)
                    .where(pair.in_(list(failed)), pending)
                    .values(status="failed")
                )

    async def set_schedule(self, manager_id: int, schedule: Schedule) -> None:
        async with self.transaction() as session:
            await session.merge(
                DigestSchedule(manager_id=manager_id, weekday=schedule.weekday, hour=schedule.hour)
            )

    async def reminder_candidates(
        self, *, around: datetime
    ) -> list[tuple[ReminderCandidate, Member]]:
        first, last = around.date() - timedelta(days=1), around.date() + timedelta(days=2)
        query = (
            member_columns()
            .add_columns(CommitmentRow)
            .join(CommitmentRow, CommitmentRow.user_id == User.id)
            .where(
                or_(
                    (CommitmentRow.status == OPEN) & CommitmentRow.due.between(first, last),
                    (CommitmentRow.status == SNOOZED)
                    & CommitmentRow.snoozed_until.between(first, last),
                ),
                or_(
                    CommitmentRow.reminded_day_before_at.is_(None),
                    CommitmentRow.reminded_due_at.is_(None),
                ),
            )
        )
        async with self.transaction() as session:
            rows = await session.execute(query)
            return [(_candidate(row), to_member(row)) for row in rows]

    async def claim_reminders(
        self, claims: Claims, *, at: datetime
    ) -> dict[ReminderKind, set[int]]:
        owned: dict[ReminderKind, set[int]] = {}
        async with self.transaction() as session:
            for kind, ids in claims.items():
                if not ids:
                    continue
                column = _REMINDED[kind]
                result = await session.execute(
                    update(CommitmentRow)
                    .where(
                        CommitmentRow.id.in_(list(ids)),
                        column.is_(None),
                        CommitmentRow.status.in_(_LIVE),
                    )
                    .values({column: at})
                    .returning(CommitmentRow.id)
                )
                owned[kind] = set(result.scalars())
        return owned

    async def release_reminders(self, claims: Claims) -> None:
        async with self.transaction() as session:
            for kind, ids in claims.items():
                if ids:
                    await session.execute(
                        update(CommitmentRow)
                        .where(CommitmentRow.id.in_(list(ids)))
                        .values({_REMINDED[kind]: None})
                    )


def _schedule(weekday: int | None, hour: int | None) -> Schedule:
    default = Schedule()
    return Schedule(
        weekday=default.weekday if weekday is None else weekday,
        hour=default.hour if hour is None else hour,
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
        select(*DealRow.__table__.columns)
        .join(User, User.id == DealRow.user_id)
        .where(reps, DealRow.stage.not_in(closed) | (DealRow.closed_at >= recent))
    )


def _deal(row: Any) -> Deal:
    return Deal(
        owner_id=row.user_id,
        name=row.name,
        stage=DealStage(row.stage),
        value=row.value,
        product_line=row.product_line,
        peak_interest_at=row.peak_interest_at,
        last_customer_action_at=row.last_customer_action_at,
        proposal_sent_at=row.proposal_sent_at,
        p3_requested=row.p3_requested,
        p3_at=row.p3_at,
        decider_confirmed=row.decider_confirmed,
        closed_at=row.closed_at,
    )


def _candidate(row: Any) -> ReminderCandidate:
    commitment: CommitmentRow = row.CommitmentRow
    return ReminderCandidate(
        tracked=to_tracked(commitment),
        day_before_sent=commitment.reminded_day_before_at is not None,
        due_day_sent=commitment.reminded_due_at is not None,
    )


def _among(digests: Sequence[tuple[int, Digest]]) -> Any:
    pair = tuple_(NudgeDelivery.manager_id, NudgeDelivery.iso_week)
    return pair.in_([(mid, digest.iso_week) for mid, digest in digests])


async def _insert_pending(
    session: AsyncSession,
    digests: Sequence[tuple[int, Digest]],
    payloads: dict[int, dict[str, Any]],
) -> set[int]:
    """New delivery records as `pending`; a record that exists already is left alone."""
    statement = insert_or_skip(session, NudgeDelivery, ["manager_id", "iso_week"]).returning(
        NudgeDelivery.manager_id
    )
    rows = [
        {"manager_id": mid, "iso_week": d.iso_week, "status": "pending", "digest": payloads[mid]}
        for mid, d in digests
    ]
    return set((await session.execute(statement, rows)).scalars())


async def _store_digests(
    session: AsyncSession,
    digests: Sequence[tuple[int, Digest]],
    payloads: dict[int, dict[str, Any]],
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
