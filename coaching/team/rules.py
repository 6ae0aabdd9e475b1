"""Who may see and change whose data: the authorization rules of teams, in one place.

A rep sees only their own commitments and coaching; a manager sees their own reps'; an
admin sees everyone in their tenant. Nothing ever crosses a tenant. The rules are pure
functions over `Member` so every adapter (console, Slack, Teams) applies the same ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from coaching.errors import CoachingError
from coaching.team.ports import Member, MemberUpdate
from coaching.types import Role


@dataclass(frozen=True)
class Clock:
    """What "now" is for each user.

    `at` is either an aware instant (the real clock, or `--now` with `--tz`) or a naive
    wall-clock time every user shares in their own zone (`--now` alone), so a test can say
    "Monday 09:00" for managers in Chicago and Berlin alike. `override` is `--tz` on a
    one-user command: that user's zone for this run.
    """

    at: datetime
    default_zone: tzinfo = UTC
    override: tzinfo | None = None

    def zone(self, name: str | None) -> tzinfo:
        if self.override is not None:
            return self.override
        if name:
            try:
                return ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                return self.default_zone
        return self.default_zone

    def local(self, zone_name: str | None) -> datetime:
        """Now in the user's zone, always timezone-aware."""
        zone = self.zone(zone_name)
        if self.at.tzinfo is None:
            return self.at.replace(tzinfo=zone)
        return self.at.astimezone(zone)


def forbidden(message: str) -> CoachingError:
    return CoachingError("auth.forbidden", message)


def can_view(actor: Member, owner: Member) -> bool:
    """Whether `actor` may read `owner`'s commitments, deals and digest material."""
    if actor.tenant_id != owner.tenant_id:
        return False
    if actor.id == owner.id or actor.role is Role.ADMIN:
        return True
    return actor.role is Role.MANAGER and owner.manager_id == actor.id


def check_can_lead(actor: Member) -> None:
    """Team views and changes are for managers and admins."""
    if actor.role is Role.REP:
        raise forbidden(
            "Team views are for managers and admins. Your own commitments are in "
            "'coach commitments list'."
        )


def check_can_add(actor: Member, rep: Member | None, manager: Member) -> None:
    """A manager adds reps to their own team; an admin to any manager's team in the tenant.

    Refuses moving a rep who already reports to someone else (only an admin's import
    does that) and adding anyone who is not a rep.
    """
    check_can_lead(actor)
    if actor.role is Role.MANAGER and manager.id != actor.id:
        raise forbidden("Managers add reps to their own team only.")
    if manager.role is not Role.MANAGER:
        raise forbidden(f"{manager.label} is not a manager, so they cannot have reps.")
    if rep is None:
        return
    if rep.role is not Role.REP:
        raise forbidden(f"{rep.label} is a {rep.role.value}, not a rep.")
    if rep.manager_id not in (None, manager.id):
        raise forbidden(
            f"{rep.label} already reports to another manager; an admin can move them "
            "with 'coach team import'."
        )


def check_can_preview(actor: Member, manager: Member) -> None:
    """A manager reads their own digest; an admin any digest in their tenant."""
    same_tenant = actor.tenant_id == manager.tenant_id
    if actor.id == manager.id or (actor.role is Role.ADMIN and same_tenant):
        return
    raise forbidden("A weekly digest is for its manager (or an admin of the same team) only.")


def check_zone(name: str | None) -> str | None:
    """A valid IANA zone name (or None); a friendly error otherwise."""
    if not name:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise CoachingError(
            "input.bad_timezone", f"Unknown time zone {name!r}; use a name like Europe/Berlin."
        ) from exc
    return name


@dataclass(frozen=True)
class ImportRow:
    """One line of a team CSV as read, before any checking; `line` is 1-based."""

    line: int
    user: str
    name: str
    role: str
    manager: str
    tz: str
    # Optional: matches the rep to their deals in a CRM (`coach crm sync`).
    email: str = ""


MAX_USER_ID = 255
MAX_EMAIL = 320
# One "@" with something on both sides and no spaces: the CRM decides what a valid address
# is; this only catches a shifted column or a typo'd separator.
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def check_import(
    rows: list[ImportRow], stored: dict[str, Member], actor: Member
) -> list[MemberUpdate]:
    """Validate a whole team file against what is stored; the first problem is an error.

    All or nothing: one bad line rejects the file, so a team is never half-imported.
    """
    if not rows:
        raise _bad_line(None, "the file has no team members")
    updates: dict[str, MemberUpdate] = {}
    for row in rows:
        update = _checked_row(row, actor)
        if update.user in updates:
            raise _bad_line(row.line, f"{update.user} appears twice")
        updates[update.user] = update
    for row in rows:
        _check_manager(row, updates, stored)
    return list(updates.values())


def check_no_cycle(updates: list[MemberUpdate], stored: dict[str, str | None]) -> None:
    """Refuse an import after which someone would (indirectly) manage themselves.

    `stored` is the tenant's reporting lines (user -> manager) before the import; the
    file's lines replace theirs. A cycle would leave a team nobody above can see.
    """
    lines = {**stored, **{u.user: u.manager for u in updates}}
    for update in updates:
        seen = {update.user}
        manager = update.manager
        while manager is not None:
            if manager in seen:
                raise _bad_line(None, f"{update.user} would end up managing themselves")
            seen.add(manager)
            manager = lines.get(manager)


def _checked_row(row: ImportRow, actor: Member) -> MemberUpdate:
    user = row.user.strip()
    if not user or len(user) > MAX_USER_ID:
        raise _bad_line(row.line, "the user column must hold an id of 1-255 characters")
    try:
        role = Role(row.role.strip().lower() or Role.REP.value)
    except ValueError:
        raise _bad_line(row.line, f"role {row.role!r} is not rep, manager or admin") from None
    if user == actor.user and role is not actor.role:
        raise _bad_line(row.line, "your own role can't change in your own import")
    try:
        zone = check_zone(row.tz.strip())
    except CoachingError:
        raise _bad_line(row.line, f"unknown time zone {row.tz.strip()!r}") from None
    manager = row.manager.strip() or None
    if manager == user:
        raise _bad_line(row.line, "nobody can be their own manager")
    email = row.email.strip().lower() or None
    if email is not None and (len(email) > MAX_EMAIL or not _EMAIL.fullmatch(email)):
        raise _bad_line(row.line, f"{row.email.strip()!r} is not an email address")
    return MemberUpdate(user, role, row.name.strip() or None, zone, manager, email)


def _check_manager(
    row: ImportRow, updates: dict[str, MemberUpdate], stored: dict[str, Member]
) -> None:
    manager = updates[row.user.strip()].manager
    if manager is None:
        return
    known = updates.get(manager) or stored.get(manager)
    if known is None:
        raise _bad_line(row.line, f"manager {manager} is neither in the file nor on the team")
    if known.role is not Role.MANAGER:
        raise _bad_line(row.line, f"{manager} is not a manager")


def _bad_line(line: int | None, problem: str) -> CoachingError:
    where = f"Line {line}: " if line is not None else ""
    return CoachingError("team.bad_import", f"{where}{problem}; nothing was imported.")
