"""Text from an uploaded proposal: .txt, .md, .pdf, .docx and .pptx in, plain text out.

Every surface (console, Slack, Teams) hands the coach a file's bytes, so this module is the
one place that decides what a file may be and turns every way it can go wrong into a
contract error code with a message the rep can act on. It is pure (no file system, no
network) so adapters can call it on whatever they downloaded, and it is defensive: files
come from anyone, so sizes are checked before parsing, a .docx or .pptx archive is measured
before it is unpacked, and no parser exception ever reaches a user. Decks are read slide by
slide with their speaker notes by `coaching.review.slides`.
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING

from coaching.errors import CoachingError
from coaching.review.slides import TooMuchText, deck_text

if TYPE_CHECKING:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown"})
DOCUMENT_SUFFIXES = TEXT_SUFFIXES | {".pdf", ".docx", ".pptx"}
SUPPORTED = ".txt, .md, .pdf, .docx or .pptx"
# Office's own formats from before 2007, and the one to save them as instead.
_OLD_OFFICE = {".doc": ".docx", ".ppt": ".pptx"}
_DOCX_PART = "word/document.xml"
_PPTX_PART = "ppt/presentation.xml"
# A .docx or .pptx is a zip archive: its parts may unpack to this many times the upload
# limit in all, and its XML to this many bytes per character of text we accept, before we
# refuse to parse.
UNPACKED_FACTOR = 10
XML_BYTES_PER_CHAR = 100
_MAX_NAME = 80
_MAX_CONTROL_SHARE = 0.01
_PDF_MAGIC = b"%PDF-"
_ZIP_MAGIC = b"PK\x03\x04"
# Word and PowerPoint wrap a password-protected .docx or .pptx in this format.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
_MD_HEADING = re.compile(r"^[ ]{0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$", re.MULTILINE)
_MD_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_LIST_MARK = re.compile(r"^\s*(?:\d{1,2}[.)]|[-*\u2022])\s")
_BLANK_RUN = re.compile(r"\n{3,}")

Reader = Callable[[str, bytes, int, int], str]

# pypdf warns about every repaired file; the rep gets our one message, the logs keep theirs.
logging.getLogger("pypdf").addHandler(logging.NullHandler())


def extract_text(name: str, data: bytes, *, max_bytes: int, max_chars: int) -> str:
    """The text of one uploaded file, or a CoachingError naming what is wrong with it.

    `name` only chooses the reader (by extension, or by content when there is none);
    `max_bytes` bounds the upload and `max_chars` the text it may yield.
    """
    label = file_label(name)
    if len(data) > max_bytes:
        raise CoachingError(
            "input.too_large",
            f"{label} is {readable_size(len(data))}; the limit for a file is "
            f"{readable_size(max_bytes)}. "
            "Share a shorter version, or paste the part you want reviewed.",
        )
    read = _reader(name, data, label)
    try:
        raw = read(label, data, max_bytes, max_chars)
    except CoachingError:
        raise
    except Exception as error:  # a parser's failure on a malformed file, whatever its type
        raise _unreadable(label) from error
    text = _tidy(raw)
    if not text:
        raise _empty(label, scanned=read is _pdf_text, deck=read is _pptx_text)
    if len(text) > max_chars:
        raise _too_much_text(label, max_chars)
    return text


@dataclass(frozen=True)
class FileLimits:
    """How large an upload may be, and how much text it may yield (from Settings)."""

    max_bytes: int
    max_chars: int


def check_supported(name: str) -> None:
    """Refuse a file type the coach cannot read before fetching it; no suffix is sniffed later."""
    suffix = PurePath(name.strip()).suffix.lower()
    if suffix and suffix not in DOCUMENT_SUFFIXES:
        modern = _OLD_OFFICE.get(suffix)
        hint = f" Save a {suffix} as {modern} first." if modern else ""
        raise CoachingError(
            "input.unsupported_file",
            f"{name}: I can review {SUPPORTED} files, not {suffix}.{hint} "
            "Or paste the text instead.",
        )


def _reader(name: str, data: bytes, label: str) -> Reader:
    """The reader for this file: by extension, or by its first bytes when it has none."""
    suffix = PurePath(name.strip()).suffix.lower()
    by_suffix: dict[str, Reader] = {
        ".txt": _plain_text,
        ".pdf": _pdf_text,
        ".docx": _docx_text,
        ".pptx": _pptx_text,
    }
    if suffix in by_suffix:
        return by_suffix[suffix]
    if suffix in TEXT_SUFFIXES:
        return _markdown_text
    check_supported(label)
    if data.startswith(_PDF_MAGIC):
        return _pdf_text
    if data.startswith(_ZIP_MAGIC):
        return _pptx_text if _is_deck(data) else _docx_text
    return _plain_text


def _is_deck(data: bytes) -> bool:
    """An archive without a name is a deck when it holds a presentation part."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return _PPTX_PART in archive.namelist()
    except zipfile.BadZipFile:
        return False


def _plain_text(label: str, data: bytes, _max_bytes: int, _max_chars: int) -> str:
    """UTF-8 (with or without a byte-order mark), UTF-16 with one, else Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    elif b"\x00" in data:
        raise _binary(label)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = _legacy(label, data)
    if _control_share(text) > _MAX_CONTROL_SHARE:
        raise _binary(label)
    return text


def _legacy(label: str, data: bytes) -> str:
    """Windows-1252, what older editors save; bytes it cannot map mean binary content."""
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise _binary(label) from error


def _markdown_text(label: str, data: bytes, max_bytes: int, max_chars: int) -> str:
    """Markdown minus heading and bold markers, so its text matches the same .txt or .docx."""
    text = _plain_text(label, data, max_bytes, max_chars)
    return _MD_STRONG.sub(r"\2", _MD_HEADING.sub(r"\1", text))


def _pdf_text(label: str, data: bytes, _max_bytes: int, max_chars: int) -> str:
    """Page by page, stopping as soon as the text passes the limit.

    pypdf is imported on the first PDF: a process that never reads one never holds it."""
    from pypdf import PasswordType, PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise _locked(label)
        pages: list[str] = []
        size = 0
        for page in reader.pages:
            pages.append(page.extract_text() or "")
            size += len(pages[-1])
            if size > max_chars:
                raise _too_much_text(label, max_chars)
    except (FileNotDecryptedError, DependencyError) as error:
        raise _locked(label) from error
    except LimitReachedError as error:
        raise CoachingError(
            "input.too_large",
            f"{label} unpacks to far more data than its size suggests, so I stopped reading "
            "it. Export it again, or paste the text.",
        ) from error
    return "\n".join(pages)


def _docx_text(label: str, data: bytes, max_bytes: int, max_chars: int) -> str:
    """Paragraphs and table rows in document order, after measuring the archive.

    python-docx is imported on the first .docx, as pypdf is on the first PDF."""
    import docx
    from docx.table import Table

    _check_archive(label, data, max_bytes, max_chars, part=_DOCX_PART)
    document = docx.Document(io.BytesIO(data))
    lines: list[str] = []
    number = 0
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            number = 0
            lines.extend(_table_lines(block))
            continue
        prefix, number = _list_prefix(block, number)
        lines.append(prefix + block.text)
    return "\n".join(lines)


def _pptx_text(label: str, data: bytes, max_bytes: int, max_chars: int) -> str:
    """Slide by slide with speaker notes, after measuring the archive."""
    _check_archive(label, data, max_bytes, max_chars, part=_PPTX_PART)
    try:
        return deck_text(data, max_chars)
    except TooMuchText as error:
        raise _too_much_text(label, max_chars) from error


def _check_archive(label: str, data: bytes, max_bytes: int, max_chars: int, *, part: str) -> None:
    """Refuse a locked file, an archive without its main `part`, and a zip bomb, from the
    sizes its directory declares (zipfile enforces them)."""
    if data.startswith(_OLE_MAGIC):
        old, modern = (".ppt", ".pptx") if part == _PPTX_PART else (".doc", ".docx")
        raise CoachingError(
            "input.unreadable_file",
            f"{label} is password-protected (or an old {old} file renamed), so I can't read "
            f"it. Save a copy as {modern} without the password, or paste the text.",
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile as error:
        raise _unreadable(label) from error
    if not any(member.filename == part for member in members):
        raise _unreadable(label)
    unpacked = sum(member.file_size for member in members)
    xml = sum(m.file_size for m in members if m.filename.endswith((".xml", ".rels")))
    limit = min(max_bytes * UNPACKED_FACTOR, max(max_chars * XML_BYTES_PER_CHAR, max_bytes))
    if unpacked > max_bytes * UNPACKED_FACTOR or xml > limit:
        raise CoachingError(
            "input.too_large",
            f"{label} unpacks to {readable_size(unpacked)}, more than the "
            f"{readable_size(limit)} I open "
            "safely. Save a copy without large images, or paste the text.",
        )


def _list_prefix(paragraph: Paragraph, number: int) -> tuple[str, int]:
    """Word's automatic numbering is not in the text; restore "1." or "-" so outlines read
    as outlines. Returns the prefix and the running number of the current list.

    It reads the raw style id and numbering mark: resolving `paragraph.style` walks the
    whole style sheet each time, which made a 20-page document take a third of a second.
    """
    element = paragraph._p
    style = element.style or ""
    listed = element.pPr is not None and element.pPr.numPr is not None
    if _LIST_MARK.match(paragraph.text) or not (listed or style.startswith("List")):
        return "", 0
    if style.startswith("ListNumber"):
        return f"{number + 1}. ", number + 1
    return "- ", number


def _table_lines(table: Table) -> list[str]:
    """One line per row, cells joined by " | "; a merged cell is read once."""
    lines: list[str] = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            text = " ".join(cell.text.split())
            if text and (not cells or cells[-1] != text):
                cells.append(text)
        if cells:
            lines.append(" | ".join(cells))
    return lines


def _tidy(text: str) -> str:
    """One newline convention, no trailing spaces or control characters, no blank runs."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = "".join(c for c in text if c in "\n\t" or unicodedata.category(c) != "Cc")
    lines = (line.rstrip() for line in text.split("\n"))
    return _BLANK_RUN.sub("\n\n", "\n".join(lines)).strip()


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    control = sum(1 for c in text if c not in "\n\r\t\f" and unicodedata.category(c) == "Cc")
    return control / len(text)


def file_label(name: str) -> str:
    """A file's name as safe to show in one line: no folders, no control characters."""
    base = PurePath(name.strip().replace("\\", "/")).name
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C")
    if len(base) > _MAX_NAME:
        base = base[: _MAX_NAME - 1] + "\u2026"
    return base or "The file"


def readable_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{size / 1024:.0f} KB" if size >= 1024 else f"{size} bytes"


def _too_much_text(label: str, max_chars: int) -> CoachingError:
    return CoachingError(
        "input.too_large",
        f"{label} holds more than {max_chars:,} characters of text, the most I review at once. "
        "Share the part that matters, such as the summary and the presentation outline.",
    )


def _unreadable(label: str) -> CoachingError:
    return CoachingError(
        "input.unreadable_file",
        f"I couldn't read {label}: it looks damaged, or it isn't the kind of file its name "
        "says. Export it again, or paste the text.",
    )


def _locked(label: str) -> CoachingError:
    return CoachingError(
        "input.unreadable_file",
        f"{label} is password-protected, so I can't read it. Save a copy without the "
        "password, or paste the text.",
    )


def _binary(label: str) -> CoachingError:
    return CoachingError(
        "input.unsupported_file",
        f"{label} doesn't contain text I can read; it looks like a binary file. "
        f"Save it as {SUPPORTED} and share it again.",
    )


def _empty(label: str, *, scanned: bool, deck: bool) -> CoachingError:
    if deck:
        return CoachingError(
            "input.empty",
            f"{label} has no text on its slides or in its speaker notes, only images. "
            "Add the slide titles and your notes, or paste the outline.",
        )
    if scanned:
        return CoachingError(
            "input.empty",
            f"{label} has no text in it, only images: it looks like a scanned document. "
            "Export it from the original file, or paste the text.",
        )
    return CoachingError("input.empty", f"{label} is empty, so there is nothing to review yet.")
