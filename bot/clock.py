"""The injectable clock of the command line: `--now` and `--tz` as the contract defines them."""

from __future__ import annotations

from datetime import UTC, datetime, time, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from coaching.errors import CoachingError

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
