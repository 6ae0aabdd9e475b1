"""Who runs a coaching command, and in which clock: `--user`, `--role`, `--now`, `--tz`.

A `--role` is a claim, not a change: it must match the role stored for that user (only an
admin's `coach team import` or `coach team add` changes roles), and a new user may claim
rep or manager, or admin only while their team has none. The clock's zone is `--tz`, else
the user's stored zone, else `COACH_TIMEZONE`, else this machine's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.clock import resolve_now, resolve_zone
from bot.console import Identity
from bot.console_ids import check_user
from coaching.types import Role

if TYPE_CHECKING:
    from coaching.team.service import TeamService


@dataclass(frozen=True)
class Claim:
    """The identity and clock flags as given, checked before anything is opened."""

    user: str
    role: Role | None
    now: str | None
    tz: str | None
    default_zone: str | None

    def check(self) -> Claim:
        """Raise `CoachingError` for a bad user id, zone or clock; nothing is stored yet."""
        check_user(self.user)
        resolve_now(self.now, resolve_zone(self.tz or self.default_zone))
        return self

    def unconfirmed(self) -> Identity:
        """The identity without a look at the store, for commands that never use a role."""
        zone = resolve_zone(self.tz or self.default_zone)
        return Identity(user=self.user, role=None, clock=lambda: resolve_now(self.now, zone))

    async def confirm(self, team: TeamService) -> Identity:
        """The identity with the stored role and zone; a role claim that does not match
        the store is refused (and audited) before anything is written."""
        provisional = self.unconfirmed()
        member = await team.actor(provisional.ref(), self.role)
        zone = resolve_zone(self.tz or member.time_zone or self.default_zone)
        return Identity(user=self.user, role=member.role, clock=lambda: resolve_now(self.now, zone))
