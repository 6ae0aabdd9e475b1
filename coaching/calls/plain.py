"""Plain-text transcripts: the shapes Zoom, Teams, Google Meet and Gong exports take.

Two layouts cover them. Prefixed lines put the speaker before the words ("Dana: ...",
"[00:01:02] Dana: ...", "Dana (01:02): ..."); headed blocks put the speaker and a time on
their own line with the words below ("Speaker 1  00:01:02", "Dana Li | 01:02",
"00:01:02 Dana Li"). A file with at least as many header lines as prefixed ones is read as
headed blocks, so a colon inside someone's words ("Agenda: pricing") invents no speaker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from coaching.calls.transcript import Utterance

_TIME = r"(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"
_NAME = r"[^\W\d_][\w.'\u2019-]*(?:[ \t][\w.'\u2019()-]+){0,3}"
_SEP = r"\s*(?:[|\u2013\u2014-]\s*)?"
_HEADER_AFTER = re.compile(rf"^(?P<name>{_NAME}?){_SEP}[\[(]?(?P<time>{_TIME})[\])]?$")
_HEADER_BEFORE = re.compile(rf"^[\[(]?(?P<time>{_TIME})[\])]?{_SEP}(?P<name>{_NAME})$")
_PREFIXED = re.compile(
    rf"^(?:[\[(]?(?P<time>{_TIME})[\])]?{_SEP})?(?P<name>{_NAME}?)"
    rf"\s*(?:[\[(](?P<after>{_TIME})[\])])?\s*:\s+(?P<text>.+)$"
)
_TIME_ONLY = re.compile(rf"^[\[(]?{_TIME}[\])]?$")
MAX_NAME = 60


@dataclass(frozen=True)
class PlainParse:
    """The lines spoken, and what came before the first speaker (where a date may be)."""

    lines: list[Utterance]
    preamble: list[str]


def parse_plain(text: str) -> PlainParse:
    """Speaker lines of a plain-text transcript, in either layout."""
    rows = [row.strip() for row in text.split("\n")]
    headers = sum(1 for row in rows if _header(row))
    prefixed = sum(1 for row in rows if _PREFIXED.match(row))
    if headers and headers >= prefixed:
        return _blocks(rows)
    return _prefixed(rows)


def seconds(stamp: str) -> float:
    """ "1:02:03.5" or "01:02" (minutes and seconds) as seconds."""
    parts = stamp.replace(",", ".").split(":")
    total = 0.0
    for part in parts:
        total = total * 60 + float(part)
    return total


def _header(row: str) -> tuple[str, float] | None:
    found = _HEADER_AFTER.match(row) or _HEADER_BEFORE.match(row)
    if found is None:
        return None
    name = found.group("name").strip()
    if not name or len(name) > MAX_NAME:
        return None
    return name, seconds(found.group("time"))


def _blocks(rows: list[str]) -> PlainParse:
    lines: list[Utterance] = []
    preamble: list[str] = []
    speaker: tuple[str, float] | None = None
    said: list[str] = []

    def flush() -> None:
        if speaker is not None and said:
            lines.append(Utterance(speaker[0], " ".join(said), speaker[1]))

    for row in rows:
        if header := _header(row):
            flush()
            speaker, said = header, []
        elif speaker is None:
            preamble.append(row)
        elif row and not _TIME_ONLY.match(row):
            said.append(row)
    flush()
    return PlainParse(lines, preamble)


def _prefixed(rows: list[str]) -> PlainParse:
    lines: list[Utterance] = []
    preamble: list[str] = []
    for row in rows:
        found = _PREFIXED.match(row)
        name = found.group("name").strip() if found else ""
        if found and name and len(name) <= MAX_NAME:
            stamp = found.group("time") or found.group("after")
            start = seconds(stamp) if stamp else None
            lines.append(Utterance(name, found.group("text"), start))
        elif lines and row and not _TIME_ONLY.match(row):
            last = lines[-1]
            lines[-1] = Utterance(last.speaker, f"{last.text} {row}", last.start)
        elif not lines:
            preamble.append(row)
    return PlainParse(lines, preamble)
