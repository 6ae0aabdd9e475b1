"""Builds an organisation's stored state through the real stores, for the nudges tests."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import event

from coaching.digests.deals import Deal, DealStage
from coaching.ports import UserRef
from coaching.team.ports import AuditNote, Member, MemberUpdate
from coaching.types import (
    CoachingResult,
    Commitment,
    CommitmentKind,
    CommitmentStatus,
    Finding,
    IncomingMessage,
    Party,
    Platform,
    Role,
    Severity,
)
from storage.repository import SqlStore
from storage.seed_repo import SeedCommitment, SqlSeeder
from storage.team_repo import SqlTeamStore

TENANT = "console"


def ref(user: str, tenant: str = TENANT) -> UserRef:
    return UserRef(platform=Platform.CONSOLE, tenant=tenant, user=user)


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), UTC)


class Org:
    """One tenant's people, commitments, deals and findings, written like the app writes."""

    def __init__(self, store: SqlStore, tenant: str = TENANT) -> None:
        self.store = store
        self.tenant = tenant
        self.team = SqlTeamStore(store.engine)
        self.seeder = SqlSeeder(store.engine)
        self._keys = 0

    async def people(self, *rows: tuple[str, Role, str | None]) -> dict[str, Member]:
        """(user, role, manager) rows; display names are the capitalised user ids."""
        updates = [MemberUpdate(u, role, u.capitalize(), None, m) for u, role, m in rows]
        await self.team.save_members(ref(rows[0][0], self.tenant), updates, AuditNote("test"))
        return await self.team.members(ref(rows[0][0], self.tenant), [u for u, _, _ in rows])

    async def member(self, user: str) -> Member:
        found = await self.team.member(ref(user, self.tenant))
        assert found is not None
        return found

    async def promise(
        self,
        owner: str,
        text: str,
        *,
        due: date | None,
        status: CommitmentStatus = CommitmentStatus.OPEN,
        kind: CommitmentKind = CommitmentKind.FOLLOW_UP,
        counterpart: str | None = "Lena",
        party: Party = Party.REP,
        changed: datetime | None = None,
        snoozed_until: date | None = None,
    ) -> int:
        """Store one commitment; its id."""
        self._keys += 1
        member = await self.member(owner)
        commitment = Commitment(
            text=text, kind=kind, due=due, counterpart=counterpart, status=status, party=party
        )
        when = changed or datetime(2026, 2, 1, tzinfo=UTC)
        await self.seeder.add_commitments(
            [SeedCommitment(member.id, f"t:{self._keys}", commitment, when, when, snoozed_until)]
        )
        listed = await self.team.tracked(owner_id=member.id, statuses=None)
        return max(t.id for t in listed)

    async def deal(self, owner: str, name: str, stage: DealStage, **fields: Any) -> None:
        member = await self.member(owner)
        await self.seeder.add_deals([Deal(owner_id=member.id, name=name, stage=stage, **fields)])

    async def finding(
        self, owner: str, code: str, when: datetime, *, evidence: str, category: str | None = None
    ) -> None:
        """A coaching turn by `owner` at `when` that raised `code`."""
        self._keys += 1
        message = IncomingMessage(
            platform=Platform.CONSOLE,
            tenant=self.tenant,
            user=owner,
            text=f"draft with {evidence} in it",
            now=when,
            idempotency_key=f"f:{self._keys}",
        )
        found = Finding(
            code=code,
            severity=Severity.MEDIUM,
            evidence=evidence,
            advice="Leave it out.",
            category=category,
        )
        result = CoachingResult(reply="noted", findings=[found])
        await self.store.save_turn(message=message, result=result)


class StatementCounter:
    """Counts the SQL statements an engine runs while it is attached."""

    def __init__(self, store: SqlStore) -> None:
        self.count = 0
        self._engine = store.engine.sync_engine

    def _seen(self, *_args: Any) -> None:
        self.count += 1

    def __enter__(self) -> StatementCounter:
        event.listen(self._engine, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *_exc: object) -> None:
        event.remove(self._engine, "before_cursor_execute", self._seen)
