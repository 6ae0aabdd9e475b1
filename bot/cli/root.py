"""The `coach` app: every command group registered in one place, and the entry point.

Registration order is the order `coach --help` lists the commands in. The command modules
import their adapters inside the commands, so building this app (and printing its help)
loads typer and the domain's types only.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn, Protocol, runtime_checkable

import typer

from bot.cli import audit, call, coach, crm, demo, feedback, nudges, ops, privacy, worker
from bot.cli.commitments import commitments_app, reminders_app
from bot.cli.team import team_app
from coaching.errors import CoachError, CoachingError, user_error

app = typer.Typer(
    name="coach",
    help="salescoach: a sales coach for Slack, Teams and the terminal.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
app.add_typer(ops.db_app, name="db")
app.add_typer(team_app, name="team")
app.add_typer(commitments_app, name="commitments")
app.add_typer(reminders_app, name="reminders")
app.add_typer(nudges.nudges_app, name="nudges")
app.command("outbox")(nudges.outbox)
app.command("audit")(audit.audit)
app.command("call")(call.call)
app.add_typer(feedback.feedback_app, name="feedback")
app.add_typer(crm.crm_app, name="crm")
app.command("demo")(demo.demo)
privacy.register(app)
app.command("worker")(worker.worker)
app.command("scheduler")(worker.scheduler)
app.add_typer(ops.teams_app, name="teams")
coach.register(app)
app.command("serve")(ops.serve)


def main() -> None:
    """Entry point: usage mistakes, and anything the user must fix that a command did not
    report itself (an invalid setting, a database that cannot be opened), become one line
    and exit status 2, like bad input."""
    try:
        with _notices_on_stderr():
            code = app(standalone_mode=False)
    except typer.Abort:
        print("", file=sys.stderr)
        sys.exit(130)
    except Exception as error:
        if isinstance(error, _UsageError) and error.exit_code == 2:
            _usage_error(error)
        reported = user_error(error)
        if reported is None:
            raise
        _fatal(reported)
    sys.exit(code if isinstance(code, int) else 0)


OWN_LOGGERS = frozenset({"bot", "coaching", "config", "storage"})


@contextmanager
def _notices_on_stderr() -> Iterator[None]:
    """Warnings as plain lines on stderr ("llm fallback (http_500, ...): served the offline
    coaching"), what Python prints for a script with no logging set up, made explicit so it
    holds wherever the command runs; `coach serve` and `coach worker` replace it with JSON."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.WARNING)
    # Only the coach's own notices: a library's error (asyncio's "Task exception was never
    # retrieved") is no line for the person at the terminal, and never a traceback.
    handler.addFilter(lambda record: record.name.partition(".")[0] in OWN_LOGGERS)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield
    finally:
        if handler in root.handlers:
            root.removeHandler(handler)


def _fatal(error: CoachError) -> NoReturn:
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
