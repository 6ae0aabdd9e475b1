"""Slack, Teams and the CLI say the same line for the same error, and none an exception's text.

Each adapter asks `coaching.errors.user_message` what a user may read; only the apology for
a bug is the platform's own. A bug's text (here a driver message with a password in it)
never reaches a user anywhere: the chat platforms apologise, and the CLI leaves it to the
traceback of a crash instead of dressing it as a user's error.
"""

from __future__ import annotations

import json

import pytest
import typer

from bot.cli.options import run
from bot.slack import turns as slack
from bot.teams import turns as teams
from coaching.errors import CoachError, CoachingError, StoreUnavailable
from storage.db import NOT_ANSWERING

SECRET = 'connection to "db.internal" failed: password "hunter2" rejected'
READABLE = [
    CoachingError("input.empty", "There is nothing to coach yet: tell me about a deal."),
    StoreUnavailable(NOT_ANSWERING),
]
BUGS = [RuntimeError(SECRET), KeyError(SECRET), OSError(SECRET)]


async def _raise(error: Exception) -> None:
    raise error


def cli_says(error: Exception, capsys: pytest.CaptureFixture[str]) -> tuple[str, dict[str, str]]:
    """The CLI's one stderr line (without its `coach: ` prefix) and its JSON error object."""
    with pytest.raises(typer.Exit) as exited:
        run(_raise(error), as_json=True)
    out, err = capsys.readouterr()
    assert exited.value.exit_code == 2
    assert err.count("\n") == 1
    return err.removeprefix("coach: ").rstrip("\n"), json.loads(out)["error"]


@pytest.mark.parametrize("error", READABLE, ids=lambda e: type(e).__name__)
def test_every_adapter_gives_a_readable_error_the_same_line(
    error: CoachError, capsys: pytest.CaptureFixture[str]
) -> None:
    line, as_json = cli_says(error, capsys)
    assert slack.friendly(error) == teams.friendly(error) == line == error.message
    assert as_json == {"code": error.code, "message": error.message}


def test_the_database_away_keeps_its_code_and_words(capsys: pytest.CaptureFixture[str]) -> None:
    line, as_json = cli_says(StoreUnavailable(NOT_ANSWERING), capsys)
    assert as_json == {"code": "store.unavailable", "message": NOT_ANSWERING}
    assert line == NOT_ANSWERING


@pytest.mark.parametrize("error", BUGS, ids=lambda e: type(e).__name__)
def test_no_adapter_shows_a_bugs_text(error: Exception, capsys: pytest.CaptureFixture[str]) -> None:
    assert slack.friendly(error) == slack.SORRY
    assert teams.friendly(error) == teams.SORRY
    with pytest.raises(type(error)):
        run(_raise(error), as_json=True)
    out, err = capsys.readouterr()
    assert "hunter2" not in out + err
