"""The injectable clock of the command line: `--now` and `--tz` as the contract defines them."""

from __future__ import annotations

from datetime import UTC, datetime, time, tzinfo
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from coaching.errors import CoachingError
from coaching.team.rules import Clock

if TYPE_CHECKING:
    from config.settings import Settings

DEFAULT_HOUR = time(9, 0)


def resolve_zone(name: str | None) -> tzinfo:
    """The named IANA zone, or this machine's local zone when none is given."""
    if not name:
        return datetime.now().astimezone().tzinfo or UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise CoachingError(
            "input.bad_timezone", f"Unknown time zone {name!r}; use a name like Europe/Berlin."
        ) from exc


def resolve_now(now: str | None, zone: tzinfo) -> datetime:
    """`--now YYYY-MM-DD[THH:MM]` in `zone` (a bare date means 09:00); the real clock if absent."""
    if not now:
        return datetime.now(zone)
    try:
        parsed = datetime.fromisoformat(now)
    except ValueError as exc:
        raise CoachingError(
            "input.bad_clock", f"--now takes YYYY-MM-DD or YYYY-MM-DDTHH:MM, not {now!r}."
        ) from exc
    if len(now) == 10:
        parsed = datetime.combine(parsed.date(), DEFAULT_HOUR)
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=zone)
    return parsed.astimezone(zone)


def make_clock(now: str | None, tz: str | None, settings: Settings, *, one_user: bool) -> Clock:
    """The clock of `--now` and `--tz`.

    Without `--now` it is the real clock. `--now` alone is a wall-clock time every user
    shares in their own zone; with `--tz` (or an offset) it is one instant. On a one-user
    command `--tz` is also that user's zone for the run, as the contract says.
    """
    default = resolve_zone(tz or settings.coaching.default_timezone)
    override = default if tz and one_user else None
    if not now:
        return Clock(at=datetime.now(UTC), default_zone=default, override=override)
    at = resolve_now(now, default)
    if not tz and datetime.fromisoformat(now).tzinfo is None:
        at = at.replace(tzinfo=None)
    return Clock(at=at, default_zone=default, override=override)
