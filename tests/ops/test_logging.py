"""The JSON-lines log formatter writes safe fields only; library records are reduced."""

from __future__ import annotations

import io
import json
import logging
import sys

import pytest

from bot.logging_setup import LIBRARY_PHRASE, MAX_FIELD_CHARS, JsonLinesFormatter, LibraryFilter


def _record(**extra: object) -> logging.LogRecord:
    record = logging.LogRecord(
        "coaching.llm", logging.WARNING, __file__, 1, "llm fallback", (), None
    )
    record.__dict__.update(extra)
    return record


def test_one_json_object_with_safe_extras_only() -> None:
    line = JsonLinesFormatter().format(_record(kind="timeout", prompt="secret deal text"))
    entry = json.loads(line)
    assert entry["message"] == "llm fallback"
    assert entry["kind"] == "timeout"
    assert entry["level"] == "WARNING"
    assert "secret deal text" not in line


def test_exceptions_are_reduced_to_their_type() -> None:
    try:
        raise ValueError("the rep's words")
    except ValueError:
        record = logging.LogRecord(
            "x", logging.ERROR, __file__, 1, "failed", (), exc_info=__import__("sys").exc_info()
        )
    line = JsonLinesFormatter().format(record)
    assert json.loads(line)["error"] == "ValueError"
    assert "the rep's words" not in line


def _written(name: str, level: int, message: str, *, vetted: tuple[str, ...] = ()) -> str:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonLinesFormatter())
    handler.addFilter(LibraryFilter(vetted))
    try:
        raise ValueError(message)
    except ValueError:
        record = logging.LogRecord(name, level, __file__, 1, message, (), sys.exc_info())
    handler.handle(record)
    return stream.getvalue()


@pytest.mark.parametrize("name", ["slack_bolt.App", "bot.slack.bolt", "aiohttp.access", "saq"])
def test_library_chatter_below_warning_is_dropped(name: str) -> None:
    assert _written(name, logging.INFO, "request body: the rep's words") == ""


def test_a_library_error_keeps_a_fixed_phrase_and_the_exception_class() -> None:
    entry = json.loads(_written("microsoft_agents.activity", logging.ERROR, "input_value='x'"))

    assert entry["message"] == LIBRARY_PHRASE
    assert entry["error"] == "ValueError"
    assert "input_value" not in json.dumps(entry)


def test_our_own_and_vetted_records_pass_whole() -> None:
    assert "Slack adapter ready" in _written("bot.slack.app", logging.INFO, "Slack adapter ready")
    assert "Finished job" in _written("saq", logging.INFO, "Finished job", vetted=("saq",))


def test_no_field_makes_a_line_longer_than_a_bound() -> None:
    line = _written("bot.x", logging.WARNING, "x" * 100_000)

    assert len(line) < 2 * MAX_FIELD_CHARS
