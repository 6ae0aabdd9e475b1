"""What the command line reads from a person: their text on stdin and their files.

Input that is not UTF-8 (a Windows-1252 export, a stray byte) is read, never a crash: each
line is decoded as UTF-8, else as Windows-1252, with any byte neither knows replaced.
NUL characters are dropped, because PostgreSQL cannot store them and extracted PDFs
often contain them.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from coaching.errors import CoachingError


def clean_text(text: str) -> str:
    """`text` without NUL characters."""
    return text.replace("\x00", "")


def decode(raw: bytes) -> str:
    """UTF-8, else Windows-1252 (what spreadsheet exports often are); never an error."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    return clean_text(text)


def read_all(stream: BinaryIO) -> str:
    """Everything on `stream`, line by line decoded as `decode` does."""
    return "".join(read_lines(stream))


def read_lines(stream: BinaryIO) -> Iterator[str]:
    """The lines of `stream` as they arrive (a piped chat answers each before the next)."""
    for raw in iter(stream.readline, b""):
        yield decode(raw)


def read_upload(source: str, max_bytes: int) -> tuple[str | None, bytes]:
    """A file's name and bytes, or (None, standard input) for `-`; a missing, oversized or
    unreadable file is a CoachingError the user can act on."""
    if source == "-":
        return None, sys.stdin.buffer.read()
    path = Path(source)
    if not path.is_file():
        raise CoachingError("input.unreadable_file", f"There is no file at {path}.")
    if path.stat().st_size > max_bytes:
        raise CoachingError(
            "input.too_large", f"{path.name} is larger than the {max_bytes / 1e6:.1f} MB limit."
        )
    try:
        return path.name, path.read_bytes()
    except OSError as exc:
        raise CoachingError("input.unreadable_file", f"{path.name} could not be read.") from exc
