"""Proposal files built in memory, so no binary fixture is ever committed.

The PDF is written by hand: one page per 45 lines, one Helvetica text object per line with
WinAnsi encoding, and a cross-reference table with exact offsets, which is what a real PDF
reader (pypdf) expects from a valid file.
"""

from __future__ import annotations

import io
import zipfile

import docx
import pptx
from pypdf import PdfReader, PdfWriter

LINES_PER_PAGE = 45
_CLEAN_DOCX: bytes | None = None


def as_markdown(text: str) -> bytes:
    """The outline as markdown: the title as a heading, the list as it is."""
    title, _, rest = text.partition("\n")
    return f"# {title}\n\n{rest}\n".encode()


def as_docx(text: str, *, table: list[list[str]] | None = None) -> bytes:
    """One paragraph per line (the title as a heading), and a table at the end if given."""
    document = docx.Document()
    title, _, rest = text.partition("\n")
    document.add_heading(title, level=1)
    for line in rest.split("\n"):
        document.add_paragraph(line)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for row, values in zip(grid.rows, table, strict=True):
            for cell, value in zip(row.cells, values, strict=True):
                cell.text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def as_pptx(text: str, *, notes: dict[int, str] | None = None) -> bytes:
    """A deck as a rep builds one from an outline: the first line on a title slide, then one
    "Title Only" slide per line; `notes` maps a slide's index to its speaker notes."""
    deck = pptx.Presentation()
    for index, line in enumerate(text.split("\n")):
        slide = deck.slides.add_slide(deck.slide_layouts[0 if index == 0 else 5])
        assert slide.shapes.title is not None
        slide.shapes.title.text = line
        if notes and index in notes:
            slide.notes_slide.notes_text_frame.text = notes[index]
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def _pdf_string(line: str) -> bytes:
    raw = line.encode("cp1252")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _page_stream(lines: list[str]) -> bytes:
    rows = [
        b"BT /F1 10 Tf 50 %d Td " % (800 - 16 * index) + _pdf_string(line) + b" Tj ET"
        for index, line in enumerate(lines)
    ]
    return b"\n".join(rows)


def as_pdf(text: str) -> bytes:
    """A valid PDF whose text layer holds the lines of `text` (an empty text: a blank page)."""
    lines = text.split("\n") if text else []
    pages = [lines[i : i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)] or [[]]
    font = 3 + 2 * len(pages)
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(len(pages)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids.encode(), len(pages)),
    ]
    for index, page in enumerate(pages):
        stream = _page_stream(page)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>" % (font, 4 + 2 * index)
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    objects.append(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    )
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def encrypted_pdf(text: str, password: str = "s3cret") -> bytes:
    """The same PDF locked with a user password."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(as_pdf(text))))
    writer.encrypt(user_password=password, owner_password=password + "-owner")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def owner_locked_pdf(text: str) -> bytes:
    """Encrypted with an owner password only: anyone may open and read it."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(as_pdf(text))))
    writer.encrypt(user_password="", owner_password="owner-only")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def zip_bomb_docx(unpacked_bytes: int) -> bytes:
    """A real .docx whose document part is padded with blanks that compress to almost nothing."""
    return _padded(as_docx("Title\nBody"), "word/document.xml", unpacked_bytes)


def zip_bomb_pptx(unpacked_bytes: int) -> bytes:
    """A real .pptx whose presentation part is padded the same way."""
    return _padded(as_pptx("Title\nBody"), "ppt/presentation.xml", unpacked_bytes)


def _padded(archive: bytes, part: str, blanks: int) -> bytes:
    """The archive again, with `blanks` spaces after the XML declaration of `part`."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(archive), "r") as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == part:
                head, _, rest = data.partition(b"?>")
                data = head + b"?>" + b" " * blanks + rest
            target.writestr(item.filename, data)
    return out.getvalue()
