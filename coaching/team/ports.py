"""What teams, the audit log, privacy and limits need from a store, and the values that
cross it; `storage/` implements these ports and imports nothing else from this package.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from coaching.ports import UserRef
from coaching.types import Platform, Role


class UsagePort(Protocol):
    async def add_within(
        self, *, scope: str, subject: str, window: datetime, amount: int, limit: int
    ) -> bool:
        """Add `amount` to the window's counter unless the total would pass `limit`.

        Atomic across workers; returns False (and changes nothing) when over the limit.
        """
        ...

    async def add(self, *, scope: str, subject: str, window: datetime, amount: int) -> None:
        """Add `amount` to the window's counter unconditionally (atomic across workers)."""
        ...

    async def used(self, *, scope: str, subject: str, window: datetime) -> int:
        """The window's counter; 0 when nothing was counted."""
        ...


class LastAdmin(Exception):
    """Raised by `PrivacyPort.forget` when the user is their tenant's only admin."""


class PrivacyPort(Protocol):
    async def member(self, who: UserRef) -> Member | None: ...

    async def audit(self, who: UserRef, actor: Member | None, note: AuditNote) -> None: ...

    async def export(self, who: UserRef, *, actor_id: int | None) -> dict[str, Any] | None:
        """Everything stored about this user as JSON-ready data, audited with the actor
        (None: the user themselves); None if they are unknown."""
        ...

    async def forget(self, who: UserRef, *, actor_id: int | None) -> dict[str, int] | None:
        """Delete everything about this user and audit it with the actor (None: the user
        themselves); rows deleted per table. Raises `LastAdmin`, deleting nothing, when
        the user is their tenant's only admin."""
        ...

    async def purge(
        self, *, turns_before: datetime | None, counters_before: datetime
    ) -> dict[str, int]:
        """Delete turns (with their findings) and usage counters older than the cutoffs."""
        ...


@dataclass(frozen=True)
class AuditRecord:
    at: datetime
    actor: str | None
    action: str
    target: str | None
    details: dict[str, Any] = field(default_factory=dict)


class AuditStore(Protocol):
    async def member(self, who: UserRef) -> Member | None: ...

    async def audit(self, who: UserRef, actor: Member | None, note: AuditNote) -> None: ...

    async def entries(
        self, who: UserRef, *, since: datetime | None, limit: int
    ) -> list[AuditRecord]:
        """The newest entries of `who`'s tenant (at most `limit`), newest first."""
        ...


@dataclass(frozen=True)
class AuditNote:
    action: str
    target: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SaveResult:
    created: int
    updated: int


class TeamStore(Protocol):
    async def member(self, who: UserRef) -> Member | None:
        """The stored user `who` names, or None."""
        ...

    async def members(self, who: UserRef, users: Sequence[str]) -> dict[str, Member]:
        """The stored users of `who`'s tenant among `users`, by user id."""
        ...

    async def has_admin(self, who: UserRef) -> bool:
        """Whether `who`'s tenant has an admin."""
        ...

    async def reporting_lines(self, who: UserRef) -> dict[str, str | None]:
        """Every stored user of `who`'s tenant, with the user id of their manager."""
        ...

    async def save_members(
        self, who: UserRef, updates: Sequence[MemberUpdate], note: AuditNote
    ) -> SaveResult:
        """Create or update users in `who`'s tenant and log `note`, in one transaction."""
        ...

    async def team_of(self, actor: Member) -> list[Member]:
        """A manager's reps, or everyone in an admin's tenant."""
        ...

    async def audit(self, who: UserRef, actor: Member | None, note: AuditNote) -> None:
        """Append one entry to the audit log of `who`'s tenant."""
        ...


def user_subject(who: UserRef) -> str:
    """How counters name a user, so forgetting them can remove their counters too."""
    return f"{who.platform.value}/{who.tenant}/{who.user}"


@dataclass(frozen=True, slots=True)
class Member:
    """A stored user as the rules need them: identity, tenant, role and line manager."""

    id: int
    tenant_id: int
    platform: Platform
    tenant: str
    user: str
    role: Role
    name: str | None = None
    time_zone: str | None = None
    manager_id: int | None = None

    @property
    def label(self) -> str:
        """How people are named in messages: their display name, else their user id."""
        return self.name or self.user


@dataclass(frozen=True)
class MemberUpdate:
    """A user to create or update in a tenant. None for name, zone or email keeps what is
    stored; `manager` is the manager's user id, None for nobody."""

    user: str
    role: Role
    name: str | None = None
    time_zone: str | None = None
    manager: str | None = None
    email: str | None = None
