"""A transcript file's bytes in, a `Transcript` out, or one friendly error.

Like `coaching.review.documents` for proposals, this is the one place that decides what a call
file may be: sizes are checked before parsing, the format is chosen by extension (or by
content when there is none), WebVTT and SubRip go through their own well-kept parsers,
and no parser exception reaches a rep. It is pure, so every adapter calls it on whatever
it downloaded.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from pathlib import PurePath

from coaching.calls.plain import parse_plain
from coaching.calls.transcript import Transcript, Utterance, join_turns
from coaching.errors import CoachingError
from coaching.review.documents import file_label, readable_size

CALL_SUFFIXES = frozenset({".vtt", ".srt", ".txt"})
SUPPORTED = ".vtt, .srt or .txt"
_MAX_CONTROL_SHARE = 0.01
_SRT_START = re.compile(r"^\s*\d+\s*\n\s*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}\s*-->")
_SPEAKER_PREFIX = re.compile(r"^\s*(?:-\s*)?\[?([^\W\d_][\w.'\u2019 -]{0,58}?)\]?\s*:\s+(.*)$")
_ISO_DAY = re.compile(r"\b(20\d{2})-(\d{2})-(\d{2})\b")
_ZOOM_DAY = re.compile(r"GMT(20\d{2})(\d{2})(\d{2})")
_MONTH_DAY = re.compile(
    r"\b(?P<month>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+(?P<day>\d{1,2}),?"
    r"\s+(?P<year>20\d{2})\b|\b(?P<day2>\d{1,2})\s+(?P<month2>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|"
    r"Sep|Oct|Nov|Dec)[a-z]*\.?,?\s+(?P<year2>20\d{2})\b"
)
_PREAMBLE_LINES = 12
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def is_transcript(name: str) -> bool:
    """A call transcript by its name alone (.vtt, .srt): a shared .txt stays a proposal."""
    return PurePath(name.strip()).suffix.lower() in CALL_SUFFIXES - {".txt"}


def check_call_file(name: str) -> None:
    """Refuse a file type the call review cannot read, before it is fetched."""
    suffix = PurePath(name.strip()).suffix.lower()
    if suffix and suffix not in CALL_SUFFIXES:
        raise CoachingError(
            "input.unsupported_file",
            f"{file_label(name)}: I can review call transcripts saved as {SUPPORTED}, not "
            f"{suffix}. Export the transcript from your meeting tool in one of those.",
        )


def parse_transcript(name: str, data: bytes, *, max_bytes: int, max_chars: int) -> Transcript:
    """The speaker turns of one transcript file, or a CoachingError saying what to fix."""
    label = file_label(name)
    if len(data) > max_bytes:
        raise CoachingError(
            "input.too_large",
            f"{label} is {readable_size(len(data))}; the limit for a file is "
            f"{readable_size(max_bytes)}. "
            "Share the transcript of one call, or cut it to the part you want reviewed.",
        )
    check_call_file(name)
    text = _decode(label, data)
    if not text.strip():
        raise CoachingError("input.empty", f"{label} is empty, so there is no call to review.")
    if len(text) > max_chars:
        raise CoachingError(
            "input.too_large",
            f"{label} holds more than {max_chars:,} characters, the most I review at once. "
            "Share the transcript of one call, or the part that matters.",
        )
    try:
        lines, preamble = _read(name, text)
    except ValueError as error:
        raise CoachingError(
            "input.unreadable_file",
            f"I couldn't read {label} as a transcript: its captions look damaged. "
            "Export it again from your meeting tool.",
        ) from error
    turns = join_turns(lines)
    if not turns:
        raise CoachingError(
            "input.no_speakers",
            f"I found no speakers in {label}. A call review needs lines like "
            "'Dana: ...' or speaker names in the captions; export it with speaker names on.",
        )
    return Transcript(turns=turns, recorded=recorded_on(name, preamble))


def _read(name: str, text: str) -> tuple[list[Utterance], str]:
    """The spoken lines and the text before them, by format."""
    suffix = PurePath(name.strip()).suffix.lower()
    if suffix == ".vtt" or (suffix != ".srt" and text.lstrip().startswith("WEBVTT")):
        return _vtt(text)
    if suffix == ".srt" or _SRT_START.match(text):
        return _srt(text)
    found = parse_plain(text)
    return found.lines, "\n".join(found.preamble[:_PREAMBLE_LINES])


def _vtt(text: str) -> tuple[list[Utterance], str]:
    """WebVTT cues: the speaker from a `<v Name>` voice tag, else a "Name:" prefix.

    The parser is imported here, on the first caption file, so a web worker that never
    sees one does not hold it; its errors become the ValueError `parse_transcript` reports.
    """
    import webvtt
    from webvtt.errors import MalformedCaptionError, MalformedFileError

    try:
        captions = webvtt.WebVTT.from_string(text).captions
    except (MalformedFileError, MalformedCaptionError) as error:
        raise ValueError("damaged captions") from error
    if not captions and "-->" in text:
        # The lenient parser skips broken cues; a file that is nothing but broken cues is damaged.
        raise ValueError("no readable cue")
    lines: list[Utterance] = []
    for caption in captions:
        start = caption.start_time.in_milliseconds() / 1000
        end = caption.end_time.in_milliseconds() / 1000
        voice: str | None = caption.voice
        lines.extend(_spoken(caption.text, voice, start, end, lines))
    header = text.split("-->", 1)[0]
    return lines, header


def _srt(text: str) -> tuple[list[Utterance], str]:
    """SubRip subtitles: speakers only ever appear as a "Name:" or "[Name]:" prefix.

    Imported on first use, like the WebVTT parser, with its errors as ValueError."""
    import srt

    lines: list[Utterance] = []
    try:
        for subtitle in srt.parse(text):
            start = subtitle.start.total_seconds()
            end = subtitle.end.total_seconds()
            lines.extend(_spoken(subtitle.content, None, start, end, lines))
    except srt.SRTParseError as error:
        raise ValueError("damaged subtitles") from error
    return lines, ""


def _spoken(
    content: str, voice: str | None, start: float, end: float, before: list[Utterance]
) -> list[Utterance]:
    """One cue's lines by speaker; a line without a name continues the last speaker."""
    spoken: list[Utterance] = []
    speaker = voice or (before[-1].speaker if before else None)
    for row in content.split("\n"):
        words = row
        found = None if voice else _SPEAKER_PREFIX.match(row)
        if found:
            speaker, words = found.group(1).strip(), found.group(2)
        if speaker and words.strip():
            spoken.append(Utterance(speaker, words.strip(), start, end))
    return spoken


def recorded_on(name: str, preamble: str) -> date | None:
    """The call's date from its header ("Recorded 2026-03-04", "March 4, 2026") or a Zoom
    file name ("GMT20260304-..."), when one is there."""
    for found in (_ISO_DAY.search(preamble), _ZOOM_DAY.search(name), _ISO_DAY.search(name)):
        if found:
            try:
                return date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
            except ValueError:
                continue
    if found := _MONTH_DAY.search(preamble):
        month = found.group("month") or found.group("month2")
        day = found.group("day") or found.group("day2")
        year = found.group("year") or found.group("year2")
        try:
            return date(int(year), _MONTHS.index(month[:3].title()) + 1, int(day))
        except ValueError:
            return None
    return None


def _decode(label: str, data: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), UTF-16 with one, else Windows-1252."""
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = data.decode("utf-16")
        elif b"\x00" in data:
            raise _binary(label)
        else:
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise _binary(label) from error
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    control = sum(1 for c in text if c not in "\n\t\f" and unicodedata.category(c) == "Cc")
    if text and control / len(text) > _MAX_CONTROL_SHARE:
        raise _binary(label)
    return text


def _binary(label: str) -> CoachingError:
    return CoachingError(
        "input.unreadable_file",
        f"{label} doesn't contain text I can read; it looks like a recording or another "
        f"binary file. Export the transcript as {SUPPORTED} and share that.",
    )
