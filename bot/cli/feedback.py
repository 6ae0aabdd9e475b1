"""`coach feedback` and `coach feedback export FILE`: what reps thought of their answers.

Admins only, for their own platform and tenant (`--platform`, `--tenant`), like `coach
export`: a rating sits next to the rep's own words, so reading or exporting them is
refused to anyone else and audited. The export writes one evaluation case per line, which
`python -m bench.evaluate --cases FILE` replays.
"""

from __future__ import annotations

import errno
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bot.cli.options import DbOpt, JsonOpt, fail, run, settings_for
from bot.console_ids import CONSOLE_TENANT, check_user
from coaching.errors import CoachingError
from coaching.types import Platform

if TYPE_CHECKING:
    from coaching.feedback.ports import Rated
    from coaching.ports import UserRef

feedback_app = typer.Typer(
    help="Ratings of answers (admins): list them, or export them as evaluation cases.",
    invoke_without_command=True,
)

SinceOpt = Annotated[
    str | None, typer.Option("--since", help="Only ratings from this day on (YYYY-MM-DD).")
]
AdminOpt = Annotated[str, typer.Option("--user", help="Who asks: an admin of the tenant.")]
PlatformOpt = Annotated[Platform, typer.Option("--platform", help="console, slack or teams.")]
TenantOpt = Annotated[
    str, typer.Option("--tenant", help="Workspace or tenant id (console: console).")
]
FileArg = Annotated[Path, typer.Argument(help="Where to write the cases (JSON lines).")]


@feedback_app.callback()
def feedback(
    ctx: typer.Context,
    *,
    since: SinceOpt = None,
    as_json: JsonOpt = False,
    db: DbOpt = None,
    user: AdminOpt = "me",
    platform: PlatformOpt = Platform.CONSOLE,
    tenant: TenantOpt = CONSOLE_TENANT,
) -> None:
    """The ratings of your organisation's answers, newest first (admins only)."""
    if ctx.invoked_subcommand is not None:
        return
    try:
        who, start = _admin(platform, tenant, user), _day(since)
    except CoachingError as error:
        fail(error, as_json=as_json)

    async def work() -> None:
        from bot.wiring import open_services

        async with open_services(settings_for(db)) as services:
            rated = await services.feedback.read(who, since=start)
        if as_json:
            print(json.dumps({"feedback": [rated_json(r) for r in rated]}, indent=2))
            return
        if not rated:
            print("No ratings for that period.")
        for item in rated:
            codes = ", ".join(item.codes) or "no findings"
            note = f"  \u201c{item.comment}\u201d" if item.comment else ""
            print(f"{item.at:%Y-%m-%d %H:%M}  {item.user}  {item.verdict.value:4}  {codes}{note}")

    run(work(), as_json=as_json)


@feedback_app.command("export")
def export(
    path: FileArg,
    *,
    since: SinceOpt = None,
    as_json: JsonOpt = False,
    db: DbOpt = None,
    user: AdminOpt = "me",
    platform: PlatformOpt = Platform.CONSOLE,
    tenant: TenantOpt = CONSOLE_TENANT,
) -> None:
    """Write rated answers as evaluation cases (text, codes found, verdict, comment).

    The file holds what reps wrote: keep it where your customers' data may be kept.
    """
    try:
        who, start = _admin(platform, tenant, user), _day(since)
        _check_target(path)
    except CoachingError as error:
        fail(error, as_json=as_json)

    async def work() -> None:
        from bot.wiring import open_services

        async with open_services(settings_for(db)) as services:
            rated = await services.feedback.read(who, since=start)
        from coaching.feedback.service import evaluation_cases

        cases = evaluation_cases(rated)
        lines = "".join(json.dumps(case) + "\n" for case in cases)
        try:
            path.write_text(lines, encoding="utf-8")
        except OSError as error:
            raise _unwritable(path, error) from error
        skipped = len(rated) - len(cases)
        if as_json:
            print(json.dumps({"written": len(cases), "skipped": skipped, "file": str(path)}))
            return
        gone = f" ({skipped} left out: their text is no longer stored)" if skipped else ""
        print(f"Wrote {len(cases)} evaluation cases to {path}{gone}.")

    run(work(), as_json=as_json)


def rated_json(item: Rated) -> dict[str, Any]:
    """A rating as `--json` shows it: no rep text, which only the export carries."""
    return {
        "at": item.at.isoformat(timespec="seconds"),
        "user": item.user,
        "verdict": item.verdict.value,
        "comment": item.comment,
        "codes": list(item.codes),
        "kind": "review" if item.review else "chat",
        "answered_at": item.answered_at.isoformat(timespec="seconds"),
    }


def _admin(platform: Platform, tenant: str, user: str) -> UserRef:
    from coaching.ports import UserRef

    return UserRef(platform=platform, tenant=tenant, user=check_user(user))


def _day(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError as error:
        raise CoachingError(
            "input.bad_date", f"--since wants YYYY-MM-DD, not {value!r}."
        ) from error


def _check_target(path: Path) -> None:
    if path.is_dir():
        raise CoachingError("output.bad_path", f"{path} is a folder; name a file in it.")
    if not path.parent.is_dir():
        raise CoachingError("output.bad_path", f"There is no folder {path.parent} to write to.")


def _unwritable(path: Path, error: OSError) -> CoachingError:
    why = "permission denied" if error.errno == errno.EACCES else "the path is not writable"
    return CoachingError("output.bad_path", f"Cannot write {path}: {why}.")
