"""`coach nudges run|preview|schedule` and `coach outbox`: the weekly manager digests.

`run` is the scheduler's job (cron, a systemd timer, or several workers at once): it sends
each digest whose slot has come, exactly once per manager and ISO week. `preview` shows a
digest without sending it. `outbox` reads what the console delivered.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer

from bot.cli.options import DbOpt, JsonOpt, NowOpt, TzOpt, UserOpt, fail, run_work
from coaching.errors import CoachingError

if TYPE_CHECKING:
    from bot.wiring import Workspace
    from coaching.team.rules import Clock

nudges_app = typer.Typer(help="Weekly manager digests.", no_args_is_help=True)


@nudges_app.command("run")
def run_digests(
    *,
    as_json: JsonOpt = False,
    now: NowOpt = None,
    tz: TzOpt = None,
    db: DbOpt = None,
) -> None:
    """Send the digests that are due (each manager's day and hour, in their zone)."""

    async def work(space: Workspace, clock: Clock) -> None:
        report = await space.digests.run(clock)
        payload = {
            "sent": len(report.digests),
            "skipped": report.skipped,
            "failed": report.failed,
            "digests": [digest.model_dump(mode="json") for digest in report.digests],
        }
        if as_json:
            print(json.dumps(payload, indent=2))
            return
        print(f"Sent {payload['sent']} digest(s); {report.skipped} not due or already sent.")
        if report.failed:
            print(f"{report.failed} could not be delivered; the next run retries them.")
        for digest in report.digests:
            print(f"- {digest.manager}: {digest.iso_week}, {len(digest.reps)} rep(s)")

    run_work(work, db=db, now=now, tz=tz, as_json=as_json, one_user=False)


@nudges_app.command("preview")
def preview(
    *,
    manager: Annotated[str, typer.Option("--manager", help="Whose digest (a manager's id).")],
    as_json: JsonOpt = False,
    now: NowOpt = None,
    tz: TzOpt = None,
    db: DbOpt = None,
    user: Annotated[
        str | None, typer.Option("--user", help="Who is asking (default: the manager).")
    ] = None,
) -> None:
    """Show a manager's digest for this week without sending it."""

    async def work(space: Workspace, clock: Clock) -> None:
        from bot.console_ids import console_user
        from bot.outbox import render_digest

        digest = await space.digests.preview(console_user(user or manager), manager, clock)
        print(digest.model_dump_json(indent=2) if as_json else render_digest(digest))

    run_work(work, db=db, now=now, tz=tz, as_json=as_json)


@nudges_app.command("schedule")
def schedule(
    *,
    day: Annotated[str, typer.Option("--day", help="monday ... sunday.")] = "monday",
    hour: Annotated[int, typer.Option("--hour", help="0-23, in your time zone.")] = 9,
    as_json: JsonOpt = False,
    db: DbOpt = None,
    user: UserOpt = "me",
) -> None:
    """Choose the day and hour your weekly digest arrives (default Monday 09:00)."""
    from coaching.digests.service import WEEKDAYS

    weekday = WEEKDAYS.index(day.lower()) if day.lower() in WEEKDAYS else -1
    if weekday < 0 or not 0 <= hour <= 23:
        fail(
            CoachingError("input.bad_schedule", "Use --day monday..sunday and --hour 0-23."),
            as_json=as_json,
        )

    async def work(space: Workspace, _clock: Clock) -> None:
        from bot.console_ids import console_user

        await space.digests.set_schedule(console_user(user), weekday, hour)
        if as_json:
            print(json.dumps({"day": WEEKDAYS[weekday], "hour": hour}))
        else:
            print(f"Your digest arrives on {WEEKDAYS[weekday].title()}s at {hour:02d}:00.")

    run_work(work, db=db, now=None, tz=None, as_json=as_json)


def outbox(
    *,
    limit: Annotated[
        int, typer.Option("--limit", help="How many, newest first.", min=1, max=1000)
    ] = 10,
    as_json: JsonOpt = False,
    db: DbOpt = None,
    user: UserOpt = "me",
) -> None:
    """Read the digests and reminders delivered to you on the console."""

    async def work(space: Workspace, _clock: Clock) -> None:
        from bot.console_ids import console_user

        me = await space.team.actor(console_user(user), None)
        messages = await space.outbox.read(me.id, limit=limit) if me.id else []
        if as_json:
            items = [
                {"kind": m.kind, "title": m.title, "body": m.body, "payload": m.payload}
                for m in messages
            ]
            print(json.dumps({"messages": items}, indent=2))
            return
        if not messages:
            print("Your outbox is empty.")
        for m in messages:
            print(f"### {m.title}\n{m.body}\n")

    run_work(work, db=db, now=None, tz=None, as_json=as_json)
