"""`coach commitments ...` and `coach reminders run`: a rep's next steps, from the terminal.

The console's way to confirm what the coach captured (accept, edit the date, dismiss) and
to keep the list honest (done, snooze, cancel); Slack buttons and Teams card actions call
the same `CommitmentService`.
"""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from bot.cli.options import DbOpt, JsonOpt, NowOpt, TzOpt, UserOpt, fail, run_work
from bot.commitment_text import DONE_HINTS, MAX_ID, render_line, to_json
from coaching.commitments.tracking import Action
from coaching.errors import CoachingError
from coaching.types import CommitmentStatus

if TYPE_CHECKING:
    from bot.wiring import Workspace
    from coaching.commitments.service import Listing
    from coaching.team.rules import Clock

commitments_app = typer.Typer(
    help="Your commitments: list, confirm, finish, snooze, cancel.", no_args_is_help=True
)
reminders_app = typer.Typer(help="Reminders the day before and on the due day.")

IdArg = Annotated[
    int, typer.Argument(help="The commitment's number, as listed.", min=1, max=MAX_ID)
]
DateOpt = Annotated[str | None, typer.Option("--due", help="The new due date, YYYY-MM-DD.")]
UntilOpt = Annotated[
    str | None, typer.Option("--until", help="Snooze until YYYY-MM-DD (default: +2 workdays).")
]


def _render_listing(listing: Listing, as_json: bool) -> str:
    if as_json:
        items = [to_json(t, listing.today) for t in listing.items]
        payload = {"user": listing.owner, "today": listing.today.isoformat(), "commitments": items}
        return json.dumps(payload, indent=2)
    if not listing.items:
        return "No open commitments. Nice and tidy."
    lines = [render_line(t, listing.today) for t in listing.items]
    if any(t.commitment.status is CommitmentStatus.SUGGESTED for t in listing.items):
        lines.append("Suggested ones need a yes: 'coach commitments accept ID' or 'dismiss ID'.")
    return "\n".join(lines)


@commitments_app.command("list")
def list_commitments(
    *,
    as_json: JsonOpt = False,
    include_all: Annotated[bool, typer.Option("--all", help="Include done and cancelled.")] = False,
    rep: Annotated[
        str | None, typer.Option("--rep", help="A rep on your team (managers and admins).")
    ] = None,
    now: NowOpt = None,
    tz: TzOpt = None,
    db: DbOpt = None,
    user: UserOpt = "me",
) -> None:
    """Your open, snoozed and suggested commitments, soonest first (overdue ones flagged)."""

    async def work(space: Workspace, clock: Clock) -> None:
        from bot.console_ids import console_user

        listing = await space.commitments.listing(
            console_user(user), clock, rep=rep, include_closed=include_all
        )
        print(_render_listing(listing, as_json))

    run_work(work, db=db, now=now, tz=tz, as_json=as_json)


def _parse_day(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CoachingError(
            "input.bad_date", f"{option} takes a date like 2026-03-12, not {text!r}."
        ) from None


def _change(
    action: Action,
    commitment_id: int,
    *,
    due: str | None = None,
    until: str | None = None,
    as_json: bool,
    now: str | None,
    tz: str | None,
    db: str | None,
    user: str,
) -> None:
    """One change to one of the user's commitments, printed as text or JSON."""
    try:
        due_day, until_day = _parse_day(due, "--due"), _parse_day(until, "--until")
    except CoachingError as error:
        fail(error, as_json=as_json)

    async def work(space: Workspace, clock: Clock) -> None:
        from bot.console_ids import console_user

        result = await space.commitments.change(
            console_user(user), commitment_id, action, clock, due=due_day, until=until_day
        )
        changed, today = result.tracked, result.today
        if as_json:
            print(json.dumps({"commitment": to_json(changed, today)}, indent=2))
            return
        print(f"{DONE_HINTS[action]}: {render_line(changed, today)}")
        if action is Action.DONE:
            who = changed.commitment.counterpart or "them"
            print(f"What's the next step with {who}? Plan it now, while it's fresh.")

    run_work(work, db=db, now=now, tz=tz, as_json=as_json)


@commitments_app.command("accept")
def accept(
    commitment_id: IdArg,
    *,
    due: DateOpt = None,
    as_json: JsonOpt = False,
    now: NowOpt = None,
    tz: TzOpt = None,
    db: DbOpt = None,
    user: UserOpt = "me",
) -> None:
    """Confirm a commitment the coach suggested (optionally with a different date)."""
    _change(
        Action.ACCEPT, commitment_id, due=due, as_json=as_json, now=now, tz=tz, db=db, user=user
    )


@commitments_app.command("edit")
def edit(
    commitment_id: IdArg,
    *,
    due: DateOpt = None,
    as_json: JsonOpt = False,
    now: NowOpt = None,
    tz: TzOpt = None,
    db: DbOpt = None,
    user: UserOpt = "me",
) -> None:
    """Give a commitment a new due date (this also confirms a suggested one)."""
    _change(Action.EDIT, commitment_id, due=due, as_json=as_json, now=now, tz=tz, db=db, user=user)


@commitments_app.command("dismiss")
def dismiss(
    commitment_id: IdArg,
    *,
    as_json: JsonOpt = False,
    now: NowOpt = None,
    tz: TzOpt = None,
    db: DbOpt = None,
    user: UserOpt = "me",
) -> None:
    """Say a suggested commitment is not one."""
    _change(Action.DISMISS, commitment_id, as_json=as_json, now=now, tz=tz, db=db, user=user)


@commitments_app.command("done")
def done(
    commitment_id: IdArg,
    *,
    as_json: JsonOpt = False,
    now: NowOpt = None,
    tz: TzOpt = None,
    db: DbOpt = None,
    user: UserOpt = "me",
) -> None:
    """Mark a commitment kept."""
    _change(Action.DONE, commitment_id, as_json=as_json, now=now, tz=tz, db=db, user=user)


@commitments_app.command("snooze")
def snooze(
    commitment_id: IdArg,
    *,
    until: UntilOpt = None,
    as_json: JsonOpt = False,
    now: NowOpt = None,
    tz: TzOpt = None,
    db: DbOpt = None,
    user: UserOpt = "me",
) -> None:
    """Put a commitment aside until a date (default: two working days from today)."""
    _change(
        Action.SNOOZE, commitment_id, until=until, as_json=as_json, now=now, tz=tz, db=db, user=user
    )


@commitments_app.command("cancel")
def cancel(
    commitment_id: IdArg,
    *,
    as_json: JsonOpt = False,
    now: NowOpt = None,
    tz: TzOpt = None,
    db: DbOpt = None,
    user: UserOpt = "me",
) -> None:
    """Drop a commitment you no longer plan to keep (tell the other side, too)."""
    _change(Action.CANCEL, commitment_id, as_json=as_json, now=now, tz=tz, db=db, user=user)


@reminders_app.command("run")
def run_reminders(
    *,
    as_json: JsonOpt = False,
    now: NowOpt = None,
    tz: TzOpt = None,
    db: DbOpt = None,
) -> None:
    """Send today's reminders (each once), for every rep, in each rep's own zone."""

    async def work(space: Workspace, clock: Clock) -> None:
        from bot.outbox import plural, render_reminder

        sent = await space.reminders.run(clock)
        if as_json:
            items = [note.model_dump(mode="json") for note in sent]
            print(json.dumps({"sent": len(sent), "reminders": items}, indent=2))
            return
        print(f"Sent {plural(len(sent), 'reminder')}.")
        for note in sent:
            print(f"- to {note.rep}: {render_reminder(note)}")

    run_work(work, db=db, now=now, tz=tz, as_json=as_json, one_user=False)
