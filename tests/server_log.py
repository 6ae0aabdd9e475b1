"""The JSON-lines log `coach serve` writes, captured while a test drives the real app."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from bot.logging_setup import configure_logging

# A log line longer than this means something wrote a body or a long text into it.
MAX_LINE_CHARS = 1_000


class ServerLog:
    def __init__(self, stream: io.StringIO) -> None:
        self._stream = stream

    @property
    def text(self) -> str:
        return self._stream.getvalue()

    def entries(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.text.splitlines()]

    def requests(self) -> list[dict[str, Any]]:
        return [entry for entry in self.entries() if entry["logger"] == "bot.request_log"]

    def assert_clean(self, *secrets: str) -> None:
        """No secret anywhere, no traceback, and every line short."""
        for secret in secrets:
            assert secret not in self.text
        assert "Traceback" not in self.text
        assert all(len(line) <= MAX_LINE_CHARS for line in self.text.splitlines())


@contextmanager
def server_log() -> Iterator[ServerLog]:
    """`configure_logging` as `coach serve` runs it, into a buffer; undone afterwards."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    stream = io.StringIO()
    configure_logging("INFO", stream)
    try:
        yield ServerLog(stream)
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
