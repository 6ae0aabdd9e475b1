"""The `coach` command line, as fixed by `coaching-contract.md`.

Every command builds its service from Settings, runs one asyncio loop, and turns anything
the user must fix into one line on stderr, exit status 2 and, with `--json`, an error
object on stdout. No stack trace reaches a user.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Coroutine
from pathlib import Path
from typing import Annotated, Any, NoReturn, Protocol, runtime_checkable

import typer

from bot.chat_commands import CommitmentCommands
from bot.cli_audit import audit
from bot.cli_call import call
from bot.cli_commitments import commitments_app, reminders_app
from bot.cli_crm import crm_app
from bot.cli_feedback import feedback_app
from bot.cli_identity import Claim
from bot.cli_input import clean_text, read_all, read_lines, read_upload
from bot.cli_nudges import nudges_app, outbox
from bot.cli_privacy import register as register_privacy
from bot.cli_system import cannot_listen, cannot_write, check_out_path
from bot.cli_team import team_app
from bot.cli_worker import scheduler, worker
from bot.console import ConsoleChat, ask_statements, render_text, render_trust
from bot.console_input import bracketed_paste
from bot.demo import demo
from bot.scorecard_text import review_text
from bot.server import run_server
from bot.team_wiring import make_clock
from bot.teams.manifest import write_app_package
from bot.wiring import open_services
from coaching.config import Settings, load_settings
from coaching.documents import extract_text
from coaching.trust_check import build_report, parse_answers
from coaching.types import CoachingError, MessageKind, Role
from storage.db import StoreUnavailable
from storage.migrate import upgrade_to_head

app = typer.Typer(
    name="coach",
    help="salescoach: a sales coach for Slack, Teams and the terminal.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(team_app, name="team")
app.add_typer(commitments_app, name="commitments")
app.add_typer(reminders_app, name="reminders")
app.add_typer(nudges_app, name="nudges")
app.command("outbox")(outbox)
app.command("audit")(audit)
app.command("call")(call)
app.add_typer(feedback_app, name="feedback")
app.add_typer(crm_app, name="crm")
app.command("demo")(demo)
register_privacy(app)
app.command("worker")(worker)
app.command("scheduler")(scheduler)
teams_app = typer.Typer(help="Microsoft Teams.", no_args_is_help=True)
app.add_typer(teams_app, name="teams")

JsonOpt = Annotated[bool, typer.Option("--json", help="Print the result object as JSON only.")]
NowOpt = Annotated[
    str | None, typer.Option("--now", help="Clock for due dates: YYYY-MM-DD[THH:MM].")
]
TzOpt = Annotated[str | None, typer.Option("--tz", help="Time zone, e.g. Europe/Berlin.")]
DbOpt = Annotated[str | None, typer.Option("--db", help="Database URL (default: local SQLite).")]
UserOpt = Annotated[str, typer.Option("--user", help="Who is talking to the coach.")]
RoleOpt = Annotated[
    Role | None,
    typer.Option("--role", help="Your stored role, as a check; someone new may claim it."),
]


def _fail(error: CoachingError, *, as_json: bool) -> NoReturn:
    if as_json:
        print(json.dumps(error.to_json()))
    print(f"coach: {error.message}", file=sys.stderr)
    raise typer.Exit(2)


def _run(coro: Coroutine[Any, Any, None], *, as_json: bool) -> None:
    try:
        asyncio.run(coro)
    except CoachingError as error:
        _fail(error, as_json=as_json)
    except StoreUnavailable as error:
        _fail(CoachingError("store.unavailable", str(error)), as_json=as_json)


def _claim(
    settings: Settings, user: str, role: Role | None, now: str | None, tz: str | None
) -> Claim:
    return Claim(user, role, now, tz, settings.default_timezone).check()


def _settings(db: str | None) -> Settings:
    return load_settings(database_url=db)


def _read_input(source: str) -> str:
    """TEXT, or `-` for standard input (read whatever its encoding)."""
    return read_all(sys.stdin.buffer) if source == "-" else clean_text(source)


def _read_document(source: str, settings: Settings) -> tuple[str | None, str]:
    """A proposal's title (its file name) and text, from a file or standard input."""
    limits = {"max_bytes": settings.max_file_bytes, "max_chars": settings.max_document_chars}
    name, data = read_upload(source, settings.max_file_bytes)
    return name, clean_text(extract_text(name or "stdin", data, **limits))


async def _review(
    settings: Settings, claim: Claim, title: str | None, text: str, as_json: bool
) -> None:
    async with open_services(settings) as services:
        identity = await claim.confirm(services.team)
        outcome = await services.review.review(identity.message(text, MessageKind.REVIEW), title)
    if as_json:
        print(outcome.model_dump_json(indent=2))
    else:
        print(review_text(render_text(outcome.result), outcome))


async def _one_turn(
    settings: Settings, claim: Claim, text: str, kind: MessageKind, as_json: bool
) -> None:
    async with open_services(settings) as services:
        identity = await claim.confirm(services.team)
        result = await services.coach.handle(identity.message(text, kind))
    print(result.model_dump_json(indent=2) if as_json else render_text(result))


@app.command()
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
        settings = _settings(db)
        claim = _claim(settings, user, role, now, tz)
        body = _read_input(text)
    except CoachingError as error:
        _fail(error, as_json=as_json)
    _run(_one_turn(settings, claim, body, MessageKind.CHAT, as_json), as_json=as_json)


@app.command()
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
        settings = _settings(db)
        claim = _claim(settings, user, role, now, tz)
        title, body = _read_document(file, settings)
    except CoachingError as error:
        _fail(error, as_json=as_json)
    _run(_review(settings, claim, title, body, as_json), as_json=as_json)


@app.command()
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
        settings = _settings(db)
        claim = _claim(settings, user, role, now, tz)
    except CoachingError as error:
        _fail(error, as_json=as_json)

    async def session() -> None:
        async with open_services(settings) as services:
            identity = await claim.confirm(services.team)
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

    _run(session(), as_json=as_json)


@app.command("trust-check")
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
    try:
        settings = _settings(db)
        identity = _claim(settings, user, None, now, tz).unconfirmed()
        given = parse_answers(answers) if answers is not None else None
    except CoachingError as error:
        _fail(error, as_json=as_json)

    async def session() -> None:
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

    _run(session(), as_json=as_json)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.", min=1, max=65535)] = None,
    db: DbOpt = None,
    socket_mode: Annotated[
        bool, typer.Option("--socket-mode", help="Receive Slack over Socket Mode (development).")
    ] = False,
) -> None:
    """The HTTP server: health now; Slack and Teams endpoints as they are configured."""
    settings = _settings(db)
    if socket_mode:
        settings = settings.model_copy(update={"slack_socket_mode": True})
    address = (host or settings.host, port or settings.port)
    try:
        run_server(settings, host=address[0], port=address[1])
    except StoreUnavailable as error:
        _fail(CoachingError("store.unavailable", str(error)), as_json=False)
    except CoachingError as error:
        _fail(error, as_json=False)
    except OSError as error:
        _fail(cannot_listen(error, *address), as_json=False)


@db_app.command("upgrade")
def db_upgrade(db: DbOpt = None) -> None:
    """Apply every pending migration to the database."""
    settings = _settings(db)
    try:
        upgrade_to_head(settings.database_url)
    except StoreUnavailable as error:
        _fail(CoachingError("store.unavailable", str(error)), as_json=False)
    print("Database is up to date.")


@teams_app.command("manifest")
def teams_manifest(
    website: Annotated[
        str, typer.Option(help="Your https:// site; also used as privacy and terms URL.")
    ],
    out: Annotated[Path, typer.Option(help="Where to write the zip.")] = Path(
        "salescoach-teams.zip"
    ),
    developer: Annotated[str, typer.Option(help="Publisher name shown in Teams.")] = "salescoach",
) -> None:
    """Write the Teams app package (manifest.json and icons) for the configured app id."""
    settings = _settings(None)
    try:
        path = write_app_package(
            check_out_path(out),
            app_id=settings.teams_client_id,
            website=website,
            developer=developer,
        )
    except CoachingError as error:
        _fail(error, as_json=False)
    except OSError as error:
        _fail(cannot_write(out, error), as_json=False)
    print(f"Wrote {path}: upload it in Teams under Apps > Manage your apps > Upload an app.")


def main() -> None:
    """Entry point: usage mistakes, and anything the user must fix that a command did not
    report itself (an invalid setting, a database that cannot be opened), become one line
    and exit status 2, like bad input."""
    try:
        code = app(standalone_mode=False)
    except typer.Abort:
        print("", file=sys.stderr)
        sys.exit(130)
    except StoreUnavailable as error:
        _fatal(CoachingError("store.unavailable", str(error)))
    except CoachingError as error:
        _fatal(error)
    except Exception as error:
        if not (isinstance(error, _UsageError) and error.exit_code == 2):
            raise
        _usage_error(error)
    sys.exit(code if isinstance(code, int) else 0)


def _fatal(error: CoachingError) -> NoReturn:
    if "--json" in sys.argv:
        print(json.dumps(error.to_json()))
    print(f"coach: {error.message}", file=sys.stderr)
    sys.exit(2)


@runtime_checkable
class _UsageError(Protocol):
    """Click's UsageError family, which typer vendors privately: exit code 2 and a message."""

    exit_code: int

    def format_message(self) -> str: ...


def _usage_error(error: _UsageError) -> NoReturn:
    message = error.format_message().replace("\n", " ")
    hint = " Try 'coach --help'."
    if "--json" in sys.argv:
        print(json.dumps(CoachingError("input.usage", message).to_json()))
    print(f"coach: {message}{hint}", file=sys.stderr)
    sys.exit(2)
