"""The JSON-lines log formatter writes safe fields only."""

from __future__ import annotations

import json
import logging

from bot.logging_setup import JsonLinesFormatter


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
