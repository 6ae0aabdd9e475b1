"""`coach team add|import|list`: who reports to whom, from the terminal.

A manager adds reps to their own team; an admin imports a whole organisation from a CSV
with the columns user,name,role,manager,tz and an optional email (roles rep, manager, admin;
manager is the manager's user id; tz an IANA zone; email the work address a CRM knows the
rep by, for `coach crm sync`). Refusals are polite, change nothing and are logged.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bot.cli.input import clean_text
from bot.cli.options import DbOpt, JsonOpt, UserOpt, fail, run_work
from coaching.errors import CoachingError
from coaching.team.rules import ImportRow
from coaching.types import Role

if TYPE_CHECKING:
    from bot.wiring import Workspace
    from coaching.team.ports import Member
    from coaching.team.rules import Clock

team_app = typer.Typer(help="Teams: who reports to whom.", no_args_is_help=True)

ActorRoleOpt = Annotated[
    Role | None,
    typer.Option("--role", help="rep, manager or admin (default: your stored role)."),
]
COLUMNS = ("user", "name", "role", "manager", "tz", "email")
REQUIRED = ("user", "role")
MAX_CSV_BYTES = 10 * 1024 * 1024


def member_json(member: Member, managers: dict[int, str], fallback: str) -> dict[str, Any]:
    """A member as JSON; `fallback` names the manager when `managers` does not (a
    manager's own reps report to them, and a manager's list does not include themself)."""
    manager = managers.get(member.manager_id, fallback) if member.manager_id else None
    return {
        "user": member.user,
        "name": member.name,
        "role": member.role.value,
        "manager": manager,
        "tz": member.time_zone,
    }


@team_app.command("add")
def add(
    rep: Annotated[str, typer.Argument(help="The rep's user id.")],
    *,
    name: Annotated[str | None, typer.Option("--name", help="The rep's display name.")] = None,
    rep_tz: Annotated[
        str | None, typer.Option("--tz", help="The rep's time zone, e.g. Europe/Berlin.")
    ] = None,
    manager: Annotated[
        str | None, typer.Option("--manager", help="Admins: whose team (a manager's id).")
    ] = None,
    as_json: JsonOpt = False,
    db: DbOpt = None,
    user: UserOpt = "me",
    role: ActorRoleOpt = None,
) -> None:
    """Add a rep to your team (run as a manager), or to --manager's team (as an admin)."""

    async def work(space: Workspace, _clock: Clock) -> None:
        from bot.console_ids import console_user

        added = await space.team.add_rep(
            console_user(user), role, rep=rep, name=name, tz=rep_tz, manager=manager
        )
        lead = manager or user
        if as_json:
            print(json.dumps({"member": member_json(added, {}, lead)}, indent=2))
        else:
            print(f"{added.label} is on {lead}'s team.")

    run_work(work, db=db, now=None, tz=None, as_json=as_json)


@team_app.command("import")
def import_team(
    file: Annotated[Path, typer.Argument(help="CSV with columns user,name,role,manager,tz.")],
    *,
    as_json: JsonOpt = False,
    db: DbOpt = None,
    user: UserOpt = "me",
    role: ActorRoleOpt = None,
) -> None:
    """Create or update a whole team from a CSV (admins; all lines or none)."""
    try:
        rows = read_team_csv(file)
    except CoachingError as error:
        fail(error, as_json=as_json)

    async def work(space: Workspace, _clock: Clock) -> None:
        from bot.console_ids import console_user

        saved = await space.team.import_rows(console_user(user), role, rows)
        payload = {"imported": len(rows), "created": saved.created, "updated": saved.updated}
        if as_json:
            print(json.dumps(payload, indent=2))
        else:
            print(f"Imported {len(rows)} people: {saved.created} new, {saved.updated} updated.")

    run_work(work, db=db, now=None, tz=None, as_json=as_json)


@team_app.command("list")
def list_team(
    *,
    as_json: JsonOpt = False,
    db: DbOpt = None,
    user: UserOpt = "me",
    role: ActorRoleOpt = None,
) -> None:
    """Your reps (managers), or everyone in the organisation (admins)."""

    async def work(space: Workspace, _clock: Clock) -> None:
        from bot.console_ids import console_user

        members = await space.team.team(console_user(user), role)
        names = {m.id: m.user for m in members}
        rows = [member_json(m, names, user) for m in members]
        if as_json:
            print(json.dumps({"team": rows}, indent=2))
            return
        if not members:
            print("Nobody on your team yet: add reps with 'coach team add REP_ID'.")
        for m, row in zip(members, rows, strict=True):
            lead = f", reports to {row['manager']}" if row["manager"] else ""
            print(f"{m.user} ({m.label}): {m.role.value}{lead}")

    run_work(work, db=db, now=None, tz=None, as_json=as_json)


def read_team_csv(path: Path) -> list[ImportRow]:
    """The CSV's rows with their line numbers; a friendly error for anything unreadable."""
    if not path.is_file():
        raise CoachingError("input.unreadable_file", f"There is no file at {path}.")
    if path.suffix.lower() not in {".csv", ".txt"}:
        raise CoachingError("input.unsupported_file", f"{path.name}: use a .csv file.")
    if path.stat().st_size > MAX_CSV_BYTES:
        raise CoachingError("input.too_large", f"{path.name} is larger than 10 MB.")
    try:
        text = clean_text(path.read_text("utf-8-sig"))
    except (OSError, UnicodeDecodeError) as exc:
        raise CoachingError(
            "input.unreadable_file", f"{path.name} could not be read as UTF-8 text."
        ) from exc
    reader = csv.DictReader(io.StringIO(text))
    header = [(h or "").strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise CoachingError(
            "team.bad_import",
            f"{path.name} needs a header line with {', '.join(COLUMNS[:-1])}; missing "
            f"{', '.join(missing)}. Nothing was imported.",
        )
    reader.fieldnames = header
    return [
        ImportRow(
            line=reader.line_num,
            **{column: (row.get(column) or "").strip() for column in COLUMNS},
        )
        for row in reader
        if any((value or "").strip() for value in row.values() if isinstance(value, str))
    ]
