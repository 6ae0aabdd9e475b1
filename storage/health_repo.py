"""`SqlHealth`: the readiness probe's view of the database (reachable? digests sent?).

It works on the process's one engine (`bot.wiring`) and turns every failure into a reason,
so `/readyz` reports a database that went away instead of failing the request.
"""

from __future__ import annotations

from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from coaching.errors import StoreUnavailable
from storage.db import check_connection, unavailable
from storage.models import FeedbackRow, NudgeDelivery


class SqlHealth:
    def __init__(self, engine: AsyncEngine, url: str) -> None:
        """`url` is the one `engine` was made from, for messages (never its password)."""
        self._engine = engine
        self._url = url

    async def problem(self) -> str | None:
        """None when `SELECT 1` succeeds; otherwise a reason fit to show (no password)."""
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
        async with self._engine.connect() as connection:
            total = await connection.scalar(
                select(func.count())
                .select_from(NudgeDelivery)
                .where(NudgeDelivery.status == "sent")
            )
        return int(total or 0)

    async def feedback_totals(self) -> dict[str, int]:
        """Stored ratings of answers by verdict, every tenant and worker together."""
        async with self._engine.connect() as connection:
            rows = await connection.execute(
                select(FeedbackRow.verdict, func.count()).group_by(FeedbackRow.verdict)
            )
            return {str(verdict): int(count) for verdict, count in rows}
