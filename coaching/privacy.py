"""Export, forget and retention: what a person may ask of the coach about their own data.

`export` gathers every stored row about one user; `forget` deletes them and leaves an audit
entry naming only the internal id, the actor and the counts; retention purges conversation
turns (and their findings) older than `COACH_RETENTION_DAYS`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Protocol

from coaching.ports import UserRef
from coaching.types import CoachingError

# Rate and token windows are minutes and days: two days covers every window still counted.
COUNTER_KEEP = timedelta(days=2)


class PrivacyPort(Protocol):
    async def export(self, who: UserRef) -> dict[str, Any] | None:
        """Everything stored about this user as JSON-ready data; None if they are unknown."""
        ...

    async def forget(self, who: UserRef, *, actor: str) -> dict[str, int] | None:
        """Delete everything about this user and audit it; rows deleted per table."""
        ...

    async def purge(
        self, *, turns_before: datetime | None, counters_before: datetime
    ) -> dict[str, int]:
        """Delete turns (with their findings) and usage counters older than the cutoffs."""
        ...


class PrivacyService:
    def __init__(self, port: PrivacyPort, *, retention_days: int) -> None:
        self._port = port
        self._retention_days = retention_days

    async def export(self, who: UserRef) -> dict[str, Any]:
        data = await self._port.export(who)
        if data is None:
            raise _unknown(who)
        return data

    async def forget(self, who: UserRef, *, actor: str) -> dict[str, int]:
        """Delete the user's data; `actor` ("cli", "self") is recorded, never their content."""
        deleted = await self._port.forget(who, actor=actor)
        if deleted is None:
            raise _unknown(who)
        return deleted

    async def run_retention(self, now: datetime) -> dict[str, int]:
        """Purge what is older than the retention period (turns are kept forever at 0 days)."""
        turns_before = None
        if self._retention_days > 0:
            turns_before = now - timedelta(days=self._retention_days)
        return await self._port.purge(turns_before=turns_before, counters_before=now - COUNTER_KEEP)


def _unknown(who: UserRef) -> CoachingError:
    return CoachingError("user.not_found", f"The coach has nothing stored about {who.user}.")
