"""JSON-lines logs for `coach serve`: one object per line, ready for any log shipper.

Only the message, the logger, the level and a short list of safe `extra` fields are
written. Prompt text and message bodies never go through here: callers log kinds and
counts, and exceptions are reduced to their type so an error message cannot leak input.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

# `extra=` keys that carry labels or numbers, never user content.
SAFE_FIELDS = ("kind", "engine", "seconds", "code", "platform", "status", "count")


class JsonLinesFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in SAFE_FIELDS:
            if field in record.__dict__:
                entry[field] = record.__dict__[field]
        if record.exc_info and record.exc_info[0] is not None:
            entry["error"] = record.exc_info[0].__name__
        return json.dumps(entry, default=str)


def configure_logging(level: str) -> None:
    """Route the root logger to stderr as JSON lines at `level` (replacing other handlers)."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonLinesFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
