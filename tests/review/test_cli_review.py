"""`coach review FILE` as a rep runs it: a .pdf, .docx or .pptx in, a scorecard out, bad files
refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.review.files import as_docx, as_pdf, as_pptx, encrypted_pdf
from tests.review.outlines import SELLER_OUTLINE
from tests.test_cli import count_rows, run_coach

NOW = ("--now", "2026-03-02T09:00", "--tz", "America/Chicago")


BUILDERS = {".pdf": as_pdf, ".docx": as_docx, ".pptx": as_pptx}


@pytest.mark.parametrize("name", ["outline.pdf", "outline.docx", "deck.pptx"])
def test_a_file_review_prints_the_scorecard_and_the_outline(tmp_path: Path, name: str) -> None:
    document = tmp_path / name
    document.write_bytes(BUILDERS[document.suffix](SELLER_OUTLINE))
    done = run_coach("review", str(document), "--json", *NOW, db=tmp_path / "coach.db")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    failed = {e["criterion"] for e in result["scorecard"] if not e["passed"]}
    assert {"customer_is_hero", "outcomes_not_process", "emotional_connection"} <= failed
    assert "p3.seller_centric" in {f["code"] for f in result["findings"]}
    assert result["outline"]
    assert "signals" in result


def test_a_locked_pdf_is_refused_and_nothing_is_stored(tmp_path: Path) -> None:
    db = tmp_path / "coach.db"
    run_coach("db", "upgrade", db=db)
    document = tmp_path / "locked.pdf"
    document.write_bytes(encrypted_pdf(SELLER_OUTLINE))
    done = run_coach("review", str(document), "--json", db=db)
    assert done.returncode == 2
    error = json.loads(done.stdout)["error"]
    assert error["code"] == "input.unreadable_file"
    assert "password" in error["message"]
    assert count_rows(db, "proposal_reviews") == 0
    assert count_rows(db, "conversation_turns") == 0


def test_a_deck_with_a_password_is_refused_in_one_line_and_nothing_is_stored(
    tmp_path: Path,
) -> None:
    db = tmp_path / "coach.db"
    run_coach("db", "upgrade", db=db)
    deck = tmp_path / "Helios final.pptx"
    deck.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096))
    done = run_coach("review", str(deck), db=db)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "coach: Helios final.pptx is password-protected (or an old .ppt file renamed), so I "
        "can't read it. Save a copy as .pptx without the password, or paste the text."
    ]
    assert count_rows(db, "proposal_reviews") == 0
    assert count_rows(db, "conversation_turns") == 0


def test_an_unsupported_file_is_refused(tmp_path: Path) -> None:
    document = tmp_path / "photo.png"
    document.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    done = run_coach("review", str(document), "--json", db=tmp_path / "coach.db")
    assert done.returncode == 2
    assert json.loads(done.stdout)["error"]["code"] == "input.unsupported_file"


def test_reviewing_the_same_file_twice_suggests_the_request_once(tmp_path: Path) -> None:
    db = tmp_path / "coach.db"
    document = tmp_path / "helios.md"
    document.write_text(SELLER_OUTLINE, encoding="utf-8")
    first = run_coach("review", str(document), *NOW, db=db)
    second = run_coach("review", str(document), *NOW, db=db)
    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    assert "Suggested next step: Request a post-proposal presentation" in first.stdout
    assert "Suggested next step:" not in second.stdout
    assert "Already on your list: Request a post-proposal presentation" in second.stdout
    assert count_rows(db, "commitments") == 1
