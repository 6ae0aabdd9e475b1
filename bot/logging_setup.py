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
from collections.abc import Sequence
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


def _under(name: str, packages: Sequence[str]) -> bool:
    return any(name == package or name.startswith(f"{package}.") for package in packages)


class LibraryFilter(logging.Filter):
    """Library records: below WARNING dropped, the rest reduced to a fixed phrase.

    `vetted` names libraries whose records pass whole because the caller has filtered them
    already (`coach worker` strips saq's job arguments, keeping the job's function and key).
    """

    def __init__(self, vetted: Sequence[str] = ()) -> None:
        super().__init__()
        self._vetted = tuple(vetted)

    def filter(self, record: logging.LogRecord) -> bool:
        own = _under(record.name, OWN_PACKAGES) and not _under(record.name, LIBRARY_LOGGERS)
        if own or _under(record.name, self._vetted):
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


def configure_logging(
    level: str, stream: TextIO | None = None, *, vetted: Sequence[str] = ()
) -> None:
    """Route the root logger to `stream` (stderr) as JSON lines at `level`, replacing other
    handlers; library records pass through `LibraryFilter(vetted)` first."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonLinesFormatter())
    handler.addFilter(LibraryFilter(vetted))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
