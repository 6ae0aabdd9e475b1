"""`SqlHealth`: the readiness probe's view of the database (reachable? digests sent?).

It has its own small engine, created without connecting, so `/readyz` can report a database
that went away (or never answered) instead of failing the whole process.
"""

from __future__ import annotations

from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from coaching.errors import StoreUnavailable
from storage.db import check_connection, create_engine_for, unavailable
from storage.models import FeedbackRow, NudgeDelivery


class SqlHealth:
    def __init__(self, url: str) -> None:
        self._url = url
        self._engine: AsyncEngine | None = None
        self._reason: str | None = None
        try:
            self._engine = create_engine_for(url)
        except StoreUnavailable as error:
            self._reason = str(error)

    async def problem(self) -> str | None:
        """None when `SELECT 1` succeeds; otherwise a reason fit to show (no password)."""
        if self._engine is None:
            return self._reason
        try:
            await check_connection(self._engine, self._url)
            async with self._engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except StoreUnavailable as error:
            return str(error)
        except DBAPIError:
            return str(unavailable(self._url))
        return None

    async def digests_sent(self) -> int:
        """Digests marked sent, across every worker and scheduler run."""
        if self._engine is None:
            return 0
        async with self._engine.connect() as connection:
            total = await connection.scalar(
                select(func.count())
                .select_from(NudgeDelivery)
                .where(NudgeDelivery.status == "sent")
            )
        return int(total or 0)

    async def feedback_totals(self) -> dict[str, int]:
        """Stored ratings of answers by verdict, every tenant and worker together."""
        if self._engine is None:
            return {}
        async with self._engine.connect() as connection:
            rows = await connection.execute(
                select(FeedbackRow.verdict, func.count()).group_by(FeedbackRow.verdict)
            )
            return {str(verdict): int(count) for verdict, count in rows}

    async def close(self) -> None:
        if self._engine is not None:
            await self._engine.dispose()
