"""`coach ask`, `review`, `chat` and `trust-check`: coaching turns in the terminal.

Each checks its flags and reads its input before anything is opened, so bad input is one
line and exit status 2 with the store untouched; the services (and the model client behind
them) are imported only once a command runs.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from bot.cli.input import clean_text, read_all, read_lines, read_upload
from bot.cli.options import (
    DbOpt,
    JsonOpt,
    NowOpt,
    RoleOpt,
    TzOpt,
    UserOpt,
    claim,
    fail,
    run,
    settings_for,
)
from coaching.errors import CoachingError
from coaching.types import MessageKind

if TYPE_CHECKING:
    from bot.cli.identity import Claim
    from config.settings import Settings


def register(app: typer.Typer) -> None:
    """Add the coaching commands to the `coach` app."""
    app.command("ask")(ask)
    app.command("review")(review)
    app.command("chat")(chat)
    app.command("trust-check")(trust_check)


def _read_input(source: str) -> str:
    """TEXT, or `-` for standard input (read whatever its encoding)."""
    return read_all(sys.stdin.buffer) if source == "-" else clean_text(source)


def _read_document(source: str, settings: Settings) -> tuple[str | None, str]:
    """A proposal's title (its file name) and text, from a file or standard input."""
    from coaching.review.documents import extract_text

    limits = {
        "max_bytes": settings.limits.max_file_bytes,
        "max_chars": settings.limits.max_document_chars,
    }
    name, data = read_upload(source, settings.limits.max_file_bytes)
    return name, clean_text(extract_text(name or "stdin", data, **limits))


async def _review(
    settings: Settings, who: Claim, title: str | None, text: str, as_json: bool
) -> None:
    from bot.console import render_text
    from bot.scorecard_text import review_text
    from bot.wiring import open_services

    async with open_services(settings) as services:
        identity = await who.confirm(services.team)
        outcome = await services.review.review(identity.message(text, MessageKind.REVIEW), title)
    if as_json:
        print(outcome.model_dump_json(indent=2))
    else:
        print(review_text(render_text(outcome.result), outcome))


async def _one_turn(
    settings: Settings, who: Claim, text: str, kind: MessageKind, as_json: bool
) -> None:
    from bot.console import render_text
    from bot.wiring import open_services

    async with open_services(settings) as services:
        identity = await who.confirm(services.team)
        result = await services.coach.handle(identity.message(text, kind))
    print(result.model_dump_json(indent=2) if as_json else render_text(result))


def ask(
    text: Annotated[str, typer.Argument(help="What to coach, or - to read standard input.")],
    as_json: JsonOpt = False,
    now: NowOpt = None,
    tz: TzOpt = None,
    db: DbOpt = None,
    user: UserOpt = "me",
    role: RoleOpt = None,
) -> None:
    """One coaching turn."""
    try:
        settings = settings_for(db)
        who = claim(settings, user, role, now, tz)
        body = _read_input(text)
    except CoachingError as error:
        fail(error, as_json=as_json)
    run(_one_turn(settings, who, body, MessageKind.CHAT, as_json), as_json=as_json)


def review(
    file: Annotated[str, typer.Argument(help="Proposal or outline file, or - for stdin.")],
    as_json: JsonOpt = False,
    now: NowOpt = None,
    tz: TzOpt = None,
    db: DbOpt = None,
    user: UserOpt = "me",
    role: RoleOpt = None,
) -> None:
    """Post-proposal-presentation (P3) review of a proposal or presentation outline."""
    try:
        settings = settings_for(db)
        who = claim(settings, user, role, now, tz)
        title, body = _read_document(file, settings)
    except CoachingError as error:
        fail(error, as_json=as_json)
    run(_review(settings, who, title, body, as_json), as_json=as_json)


def chat(
    as_json: JsonOpt = False,
    now: NowOpt = None,
    tz: TzOpt = None,
    db: DbOpt = None,
    user: UserOpt = "me",
    role: RoleOpt = None,
) -> None:
    """Interactive coaching in the terminal; piped input gets one answer per line or email."""
    try:
        settings = settings_for(db)
        who = claim(settings, user, role, now, tz)
    except CoachingError as error:
        fail(error, as_json=as_json)

    async def session() -> None:
        from bot.chat_commands import CommitmentCommands
        from bot.clock import make_clock
        from bot.console import ConsoleChat
        from bot.console_input import bracketed_paste
        from bot.wiring import open_services

        async with open_services(settings) as services:
            identity = await who.confirm(services.team)
            commitments = CommitmentCommands(
                services.commitments,
                identity.ref(),
                lambda: make_clock(now, tz, settings, one_user=True),
                lambda: identity.clock().date(),
            )
            chat = ConsoleChat(
                services.coach,
                services.trust,
                services.review,
                identity,
                commitments,
                as_json=as_json,
                privacy=services.privacy,
            )
            lines = read_lines(sys.stdin.buffer)
            if not sys.stdin.isatty():
                await chat.run(lines, piped=True)
                return
            with bracketed_paste(sys.stdin, sys.stdout):
                await chat.run(lines, piped=False)

    run(session(), as_json=as_json)


def trust_check(
    answers: Annotated[
        str | None,
        typer.Option(help="All twelve answers at once, e.g. '4,5,3,4,4,3,5,4,3,2,2,3'."),
    ] = None,
    as_json: JsonOpt = False,
    now: NowOpt = None,
    tz: TzOpt = None,
    db: DbOpt = None,
    user: UserOpt = "me",
) -> None:
    """Trust self-assessment: rate twelve statements 1-5 and see your trust equation."""
    from coaching.trust_check import build_report, parse_answers

    try:
        settings = settings_for(db)
        identity = claim(settings, user, None, now, tz).unconfirmed()
        given = parse_answers(answers) if answers is not None else None
    except CoachingError as error:
        fail(error, as_json=as_json)

    async def session() -> None:
        from bot.console import ask_statements, render_trust
        from bot.wiring import open_services

        interactive = sys.stdin.isatty() and not as_json
        chosen = given or ask_statements(
            read_lines(sys.stdin.buffer),
            lambda text: print(text, file=sys.stderr),
            interactive=interactive,
        )
        if chosen is None:
            raise CoachingError("input.cancelled", "Self-assessment cancelled; nothing saved.")
        async with open_services(settings) as services:
            assessment, history = await services.trust.submit(
                identity.ref(), chosen, identity.clock()
            )
        report = build_report(assessment, history)
        print(report.model_dump_json(indent=2) if as_json else render_trust(report))

    run(session(), as_json=as_json)
