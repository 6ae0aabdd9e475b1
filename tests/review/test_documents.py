"""Uploaded proposals: the same outline in every format reads the same; bad files are named."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import docx
import pptx
import pytest
from pptx.util import Inches

from coaching.errors import CoachingError
from coaching.review.documents import extract_text
from coaching.types import CoachingResult
from tests.playbooks.support import coach
from tests.review.files import (
    as_docx,
    as_markdown,
    as_pdf,
    as_pptx,
    encrypted_pdf,
    owner_locked_pdf,
    zip_bomb_docx,
    zip_bomb_pptx,
)
from tests.review.outlines import (
    CUSTOMER_OUTLINE,
    HELIOS_REWRITE,
    INJECTED_PROPOSAL,
    SELLER_OUTLINE,
)

LIMITS = {"max_bytes": 1024 * 1024, "max_chars": 50_000}
FORMATS = {
    "outline.txt": lambda text: text.encode(),
    "outline.md": as_markdown,
    "outline.docx": as_docx,
    "outline.pdf": as_pdf,
    "outline.pptx": as_pptx,
}


def read(name: str, data: bytes, **limits: int) -> str:
    return extract_text(name, data, **{**LIMITS, **limits})


def failure(name: str, data: bytes, **limits: int) -> CoachingError:
    with pytest.raises(CoachingError) as raised:
        read(name, data, **limits)
    return raised.value


def fingerprint(result: CoachingResult) -> tuple[object, ...]:
    findings = [(f.code, f.severity, f.evidence) for f in result.findings]
    card = [(e.criterion, e.passed, e.evidence) for e in result.scorecard or []]
    return tuple(findings), tuple(card), tuple(result.playbooks)


@pytest.mark.parametrize("outline", [SELLER_OUTLINE, CUSTOMER_OUTLINE, INJECTED_PROPOSAL])
@pytest.mark.parametrize("name", list(FORMATS))
def test_every_format_gives_the_same_findings_and_scorecard(name: str, outline: str) -> None:
    text = read(name, FORMATS[name](outline))
    expected = fingerprint(coach(outline, review=True))
    assert fingerprint(coach(text, review=True)) == expected


def test_docx_reads_paragraphs_and_tables_in_document_order() -> None:
    document = docx.Document()
    document.add_paragraph("Where Acme is today")
    grid = document.add_table(rows=2, cols=3)
    for cell, value in zip(grid.rows[0].cells, ["Metric", "Today", "Target"], strict=True):
        cell.text = value
    for cell, value in zip(grid.rows[1].cells, ["Backlog", "9 days", "2 days"], strict=True):
        cell.text = value
    document.add_paragraph("Their decision", style="List Number")
    document.add_paragraph("First 30 days", style="List Number")
    document.add_paragraph("Appendix", style="List Bullet")
    out = io.BytesIO()
    document.save(out)
    assert read("plan.docx", out.getvalue()).split("\n") == [
        "Where Acme is today",
        "Metric | Today | Target",
        "Backlog | 9 days | 2 days",
        "1. Their decision",
        "2. First 30 days",
        "- Appendix",
    ]


def test_a_deck_reads_slide_by_slide_with_text_boxes_tables_and_speaker_notes() -> None:
    deck = pptx.Presentation()
    cover = deck.slides.add_slide(deck.slide_layouts[0])
    assert cover.shapes.title is not None
    cover.shapes.title.text = "Final presentation to Acme"
    body = deck.slides.add_slide(deck.slide_layouts[1])
    assert body.shapes.title is not None
    body.shapes.title.text = "Where Acme is today"
    body.placeholders[1].text_frame.text = "Backlog of 9 days"
    body.placeholders[1].text_frame.add_paragraph().text = "Nurses re-keying\vclaims"
    body.notes_slide.notes_text_frame.text = "Ask Maria how month-end feels.\nPause."
    grid = deck.slides.add_slide(deck.slide_layouts[5])
    assert grid.shapes.title is not None
    grid.shapes.title.text = "Results"
    table = grid.shapes.add_table(2, 3, Inches(1), Inches(2), Inches(6), Inches(1)).table
    for column, value in enumerate(["Metric", "Today", "Target"]):
        table.cell(0, column).text = value
    for column, value in enumerate(["Backlog", "9 days", "2 days"]):
        table.cell(1, column).text = value
    out = io.BytesIO()
    deck.save(out)
    assert read("deck.pptx", out.getvalue()).split("\n") == [
        "Final presentation to Acme",
        "",
        "Where Acme is today",
        "Backlog of 9 days",
        "Nurses re-keying claims",
        "Speaker notes: Ask Maria how month-end feels. Pause.",
        "",
        "Results",
        "Metric | Today | Target",
        "Backlog | 9 days | 2 days",
    ]


def test_what_the_rep_will_say_in_the_speaker_notes_is_reviewed_too() -> None:
    """The feelings step lives only in the notes of the fifth slide: without them the deck
    fails the emotional connection check, with them it passes."""
    lines = HELIOS_REWRITE.split("\n")
    slides = "\n".join(line for index, line in enumerate(lines) if index != 5)
    feelings = lines[5].split(": ", 1)[1]

    def emotional(data: bytes) -> bool:
        result = coach(read("helios.pptx", data), review=True)
        [entry] = [e for e in result.scorecard or [] if e.criterion == "emotional_connection"]
        return entry.passed

    assert not emotional(as_pptx(slides))
    assert emotional(as_pptx(slides, notes={4: f"Close on this: {feelings}."}))


def test_text_files_in_older_encodings_and_without_an_extension_are_read() -> None:
    assert read("notes.txt", "Caf\u00e9 \u2014 r\u00e9sum\u00e9".encode("cp1252")) == (
        "Caf\u00e9 \u2014 r\u00e9sum\u00e9"
    )
    assert read("notes.txt", "Hello\r\nthere".encode("utf-16")) == "Hello\nthere"
    assert read("download", as_pdf(SELLER_OUTLINE)) == SELLER_OUTLINE
    assert read("download", as_docx(SELLER_OUTLINE)) == SELLER_OUTLINE
    assert read("download", as_pptx(SELLER_OUTLINE)) == read("deck.pptx", as_pptx(SELLER_OUTLINE))


def test_a_pdf_locked_only_against_editing_is_still_read() -> None:
    assert read("outline.pdf", owner_locked_pdf(SELLER_OUTLINE)) == SELLER_OUTLINE


@pytest.mark.parametrize(
    ("name", "data", "code", "words"),
    [
        ("locked.pdf", encrypted_pdf(SELLER_OUTLINE), "input.unreadable_file", "password"),
        ("broken.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog", "input.unreadable_file", "damaged"),
        ("locked.docx", b"\xd0\xcf\x11\xe0" + bytes(512), "input.unreadable_file", "password"),
        ("broken.docx", b"PK\x03\x04 not really a zip", "input.unreadable_file", "damaged"),
        ("fake.docx", b"plain words, not a Word file", "input.unreadable_file", "damaged"),
        ("locked.pptx", b"\xd0\xcf\x11\xe0" + bytes(512), "input.unreadable_file", "password"),
        ("broken.pptx", b"PK\x03\x04 not really a zip", "input.unreadable_file", "damaged"),
        ("renamed.pptx", as_docx(SELLER_OUTLINE), "input.unreadable_file", "damaged"),
        ("pictures.pptx", as_pptx(""), "input.empty", "only images"),
        ("old.ppt", b"\xd0\xcf\x11\xe0", "input.unsupported_file", "Save a .ppt as .pptx"),
        ("scan.pdf", as_pdf(""), "input.empty", "scanned"),
        ("empty.txt", b"", "input.empty", "empty"),
        ("blank.md", b" \n\t\n", "input.empty", "empty"),
        ("photo.txt", bytes(range(256)) * 8, "input.unsupported_file", "binary"),
        ("photo.png", b"\x89PNG\r\n\x1a\n", "input.unsupported_file", ".png"),
        ("old.doc", b"\xd0\xcf\x11\xe0", "input.unsupported_file", ".docx"),
    ],
)
def test_bad_files_get_the_contract_code_and_a_clear_message(
    name: str, data: bytes, code: str, words: str
) -> None:
    error = failure(name, data)
    assert error.code == code
    assert words in error.message
    assert name in error.message or code == "input.empty"


def test_oversized_files_and_texts_name_the_limit() -> None:
    big = failure("big.txt", b"x" * (LIMITS["max_bytes"] + 1))
    assert big.code == "input.too_large"
    assert "1.0 MB" in big.message
    wordy = failure(
        "long.pdf", as_pdf("\n".join(["A long line of proposal text."] * 200)), max_chars=2_000
    )
    assert wordy.code == "input.too_large"
    assert "2,000 characters" in wordy.message
    deck = failure("long.pptx", as_pptx("\n".join(["A long slide title."] * 200)), max_chars=2_000)
    assert deck.code == "input.too_large"
    assert "2,000 characters" in deck.message


@pytest.mark.parametrize(
    ("name", "bomb"), [("bomb.docx", zip_bomb_docx), ("bomb.pptx", zip_bomb_pptx)]
)
def test_a_zip_bomb_is_refused_before_it_is_unpacked(
    name: str, bomb: Callable[[int], bytes]
) -> None:
    data = bomb(30 * 1024 * 1024)
    assert len(data) < LIMITS["max_bytes"]
    error = failure(name, data)
    assert error.code == "input.too_large"
    assert "unpacks to" in error.message


@pytest.mark.parametrize(
    ("name", "make"),
    [("damaged.pdf", as_pdf), ("damaged.docx", as_docx), ("damaged.pptx", as_pptx)],
)
def test_no_parser_exception_escapes_on_damaged_files(
    name: str, make: Callable[[str], bytes]
) -> None:
    whole = make(SELLER_OUTLINE)
    codes = set()
    for cut in range(40, len(whole), max(1, len(whole) // 60)):
        damaged = whole[:cut] + b"\x00garbage" + whole[cut + 8 :]
        try:
            read(name, damaged)
        except CoachingError as error:
            codes.add(error.code)
    # Garbage in an archive's directory can declare a part gigabytes long: refused as a bomb.
    allowed = {"input.unreadable_file", "input.empty", "input.unsupported_file", "input.too_large"}
    assert codes <= allowed


def test_the_slide_reader_loads_on_the_first_deck_only(tmp_path: Path) -> None:
    """A worker that never sees a deck never pays for python-pptx (lxml and Pillow)."""
    (tmp_path / "plan.docx").write_bytes(as_docx("Title\nBody"))
    (tmp_path / "deck.pptx").write_bytes(as_pptx("Deck title\nA slide"))
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from coaching.review.documents import extract_text\n"
        "limits = {'max_bytes': 1 << 20, 'max_chars': 50_000}\n"
        "for name in ('plan.docx', 'deck.pptx'):\n"
        "    extract_text(name, Path(name).read_bytes(), **limits)\n"
        "    print('pptx' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "True"]
