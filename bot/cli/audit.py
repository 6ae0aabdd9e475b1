"""`coach audit`: an admin reads what managers and admins did, and what was refused.

Entries name the actor, the action and its target (a user id or commitment number) and
carry counts and codes only, never message content.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bot.cli.options import DbOpt, JsonOpt, UserOpt, fail, run_work
from coaching.errors import CoachingError

if TYPE_CHECKING:
    from bot.wiring import Workspace
    from coaching.team.ports import AuditRecord
    from coaching.team.rules import Clock

SinceOpt = Annotated[
    str | None, typer.Option("--since", help="Only entries from this day on (YYYY-MM-DD).")
]
LimitOpt = Annotated[
    int, typer.Option("--limit", min=1, max=1000, help="At most this many, newest first.")
]


def audit(
    *,
    since: SinceOpt = None,
    limit: LimitOpt = 100,
    as_json: JsonOpt = False,
    db: DbOpt = None,
    user: UserOpt = "me",
) -> None:
    """The audit log of your organisation, newest first (admins only)."""
    try:
        start = _day(since)
    except CoachingError as error:
        fail(error, as_json=as_json)

    async def work(space: Workspace, _clock: Clock) -> None:
        from bot.console_ids import console_user

        entries = await space.audit.read(console_user(user), since=start, limit=limit)
        if as_json:
            print(json.dumps({"entries": [entry_json(e) for e in entries]}, indent=2))
            return
        if not entries:
            print("The audit log has no entries for that period.")
        for entry in entries:
            target = f" {entry.target}" if entry.target else ""
            print(f"{entry.at:%Y-%m-%d %H:%M}  {entry.actor or '-'}  {entry.action}{target}")

    run_work(work, db=db, now=None, tz=None, as_json=as_json)


def entry_json(entry: AuditRecord) -> dict[str, Any]:
    return {
        "at": entry.at.isoformat(timespec="seconds"),
        "actor": entry.actor,
        "action": entry.action,
        "target": entry.target,
        "details": entry.details,
    }


def _day(value: str | None) -> datetime | None:
    """Midnight UTC of `value`, as the log stores its times (UTC, without a zone)."""
    if value is None:
        return None
    try:
        day = datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError as error:
        raise CoachingError(
            "input.bad_date", f"--since wants YYYY-MM-DD, not {value!r}."
        ) from error
    return day.replace(tzinfo=None)
