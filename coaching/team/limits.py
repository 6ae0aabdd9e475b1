"""Per-user rate limits and per-tenant daily LLM token budgets, counted in the database.

Counters live in the store, not in memory, so every stateless worker sees the same numbers.
A refused turn writes nothing; a tenant over its budget still gets coached, offline.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from coaching.errors import CoachingError
from coaching.ports import UserRef
from coaching.team.ports import UsagePort, user_subject

RATE = "rate"
TOKENS = "tokens"
BUDGET_NOTE = (
    "(Your team has used today's AI allowance, so this is the built-in coaching; "
    "the full coach is back tomorrow.)"
)


@dataclass
class TokenTally:
    """Collects the tokens one turn's model calls spent, for the tenant's budget."""

    total: int = 0

    def add(self, tokens: int) -> None:
        self.total += max(tokens, 0)


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _tenant_subject(who: UserRef) -> str:
    return f"{who.platform.value}/{who.tenant}"


class Limits:
    """Enforces the configured rate and budget; `daily_tokens` 0 means no budget."""

    def __init__(
        self,
        usage: UsagePort,
        *,
        per_minute: int,
        daily_tokens: int,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self._usage = usage
        self._per_minute = per_minute
        self._daily_tokens = daily_tokens
        self._clock = clock

    async def admit(self, who: UserRef) -> None:
        """Count one turn for this user, or refuse it with `rate.limited`."""
        minute = self._clock().replace(second=0, microsecond=0)
        admitted = await self._usage.add_within(
            scope=RATE, subject=user_subject(who), window=minute, amount=1, limit=self._per_minute
        )
        if not admitted:
            raise CoachingError(
                "rate.limited",
                f"That's a lot of questions in one minute (the limit is {self._per_minute}). "
                "Take a breath and try again in a moment.",
            )

    async def has_budget(self, who: UserRef) -> bool:
        """Whether the user's tenant may still call the model today."""
        if self._daily_tokens == 0:
            return True
        used = await self._usage.used(
            scope=TOKENS, subject=_tenant_subject(who), window=self._day()
        )
        return used < self._daily_tokens

    async def spend(self, who: UserRef, tally: TokenTally) -> None:
        """Charge the tokens of a turn to the tenant's day (never refused: already spent)."""
        if tally.total == 0:
            return
        await self._usage.add(
            scope=TOKENS, subject=_tenant_subject(who), window=self._day(), amount=tally.total
        )

    def _day(self) -> datetime:
        return self._clock().replace(hour=0, minute=0, second=0, microsecond=0)
