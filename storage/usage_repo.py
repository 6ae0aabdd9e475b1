"""`SqlUsage`: the rate and token counters of `coaching.team.limits`, as atomic upserts.

`INSERT ... ON CONFLICT DO UPDATE ... RETURNING` works the same on SQLite (3.35+) and
PostgreSQL, so two workers counting the same window never lose an increment.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from storage.db import conflict_insert
from storage.models import UsageCounter

_KEY = ("scope", "subject", "window_start")


class _OverLimit(Exception):
    """Raised inside the transaction so the increment is rolled back."""


class SqlUsage:
    def __init__(self, engine: AsyncEngine) -> None:
        self._dialect = engine.dialect.name
        self._sessions = async_sessionmaker(engine, expire_on_commit=False)

    async def add_within(
        self, *, scope: str, subject: str, window: datetime, amount: int, limit: int
    ) -> bool:
        try:
            async with self._sessions.begin() as session:
                total = await session.scalar(self._upsert(scope, subject, window, amount))
                if total is None or total > limit:
                    raise _OverLimit
        except _OverLimit:
            return False
        return True

    async def add(self, *, scope: str, subject: str, window: datetime, amount: int) -> None:
        async with self._sessions.begin() as session:
            await session.execute(self._upsert(scope, subject, window, amount))

    async def used(self, *, scope: str, subject: str, window: datetime) -> int:
        async with self._sessions() as session:
            amount = await session.scalar(
                select(UsageCounter.amount).where(
                    UsageCounter.scope == scope,
                    UsageCounter.subject == subject,
                    UsageCounter.window_start == window,
                )
            )
            return int(amount or 0)

    def _upsert(self, scope: str, subject: str, window: datetime, amount: int) -> Any:
        insert = conflict_insert(self._dialect)
        statement = insert(UsageCounter).values(
            scope=scope, subject=subject, window_start=window, amount=amount
        )
        return statement.on_conflict_do_update(
            index_elements=list(_KEY), set_={"amount": UsageCounter.amount + amount}
        ).returning(UsageCounter.amount)
