"""JSON-lines logs for `coach serve`: one object per line, ready for any log shipper.

Only the message, the logger, the level and a short list of safe `extra` fields are
written. Prompt text and message bodies never go through here: callers log kinds and
counts, and exceptions are reduced to their type so an error message cannot leak input.

Libraries are not so careful: Bolt logs a refused request's whole body at INFO, and SDK
and pydantic errors quote the input they rejected. `LibraryFilter` keeps their warnings
and errors as a fixed phrase with the exception's class, and drops the rest.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import TextIO

# `extra=` keys that carry labels or numbers, never user content.
SAFE_FIELDS = (
    "kind",
    "engine",
    "seconds",
    "code",
    "platform",
    "status",
    "count",
    "method",
    "path",
    "size",
    "request_id",
)
# Our own packages; their messages are written with care (no bodies, no exception text).
OWN_PACKAGES = ("bot", "coaching", "storage")
# Loggers named like ours that we hand to a library to write into.
LIBRARY_LOGGERS = ("bot.slack.bolt",)
LIBRARY_PHRASE = "library reported a problem (details withheld: they may quote a request)"
# No line grows past this, whatever a caller passes as a message or a field.
MAX_FIELD_CHARS = 500


def is_own(name: str) -> bool:
    """Whether records of logger `name` come from our code rather than a library's."""
    if any(name == lib or name.startswith(f"{lib}.") for lib in LIBRARY_LOGGERS):
        return False
    return any(name == own or name.startswith(f"{own}.") for own in OWN_PACKAGES)


class LibraryFilter(logging.Filter):
    """Library records: below WARNING dropped, the rest reduced to a fixed phrase."""

    def filter(self, record: logging.LogRecord) -> bool:
        if is_own(record.name):
            return True
        if record.levelno < logging.WARNING:
            return False
        record.msg = LIBRARY_PHRASE
        record.args = None
        record.exc_text = None
        record.stack_info = None
        return True


class JsonLinesFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": _bounded(record.getMessage()),
        }
        for field in SAFE_FIELDS:
            if field in record.__dict__:
                value = record.__dict__[field]
                entry[field] = value if isinstance(value, int | float) else _bounded(str(value))
        if record.exc_info and record.exc_info[0] is not None:
            entry["error"] = record.exc_info[0].__name__
        return json.dumps(entry, default=str)


def _bounded(text: str) -> str:
    return text if len(text) <= MAX_FIELD_CHARS else f"{text[:MAX_FIELD_CHARS]}..."


def configure_logging(level: str, stream: TextIO | None = None) -> None:
    """Route the root logger to `stream` (stderr) as JSON lines at `level`, replacing other
    handlers; library records pass through `LibraryFilter` first."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonLinesFormatter())
    handler.addFilter(LibraryFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
