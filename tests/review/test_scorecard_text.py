"""`coach review FILE` without --json: the rep sees every P3 check, passed or failed, and why."""

from __future__ import annotations

from pathlib import Path

from bot.scorecard_text import scorecard_text
from coaching.types import ScorecardEntry
from tests.review.outlines import CUSTOMER_OUTLINE, SELLER_OUTLINE
from tests.test_cli import run_coach

NOW = ("--now", "2026-03-02T09:00", "--tz", "America/Chicago")


def _review_text(tmp_path: Path, outline: str) -> str:
    document = tmp_path / "outline.md"
    document.write_text(outline, encoding="utf-8")
    done = run_coach("review", str(document), *NOW, db=tmp_path / "coach.db")
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_text_mode_prints_one_line_per_check_with_a_verdict(tmp_path: Path) -> None:
    out = _review_text(tmp_path, SELLER_OUTLINE)
    assert "Scorecard: 2 of 6 checks pass" in out
    card = out.split("Scorecard:", 1)[1].split("\n\n", 1)[0].splitlines()[1:]
    assert len(card) == 6
    assert "[FAIL] The customer is the hero of the story: " in card[0]
    assert "[FAIL] Measurable outcomes rather than process: " in card[1]
    assert any(line.startswith("  [pass] The final presentation is requested") for line in card)


def test_a_passing_check_quotes_the_reps_words(tmp_path: Path) -> None:
    out = _review_text(tmp_path, CUSTOMER_OUTLINE)
    assert "Scorecard: 6 of 6 checks pass" in out
    assert "[pass] Measurable outcomes rather than process: \u201c" in out


def test_reasons_stay_short_and_an_empty_scorecard_prints_nothing() -> None:
    long_advice = "Add outcomes " + "with numbers " * 30 + ". Then more."
    entry = ScorecardEntry(
        criterion="outcomes_not_process", passed=False, evidence="", advice=long_advice
    )
    line = scorecard_text([entry]).splitlines()[1]
    assert len(line) < 150
    assert line.endswith("\u2026")
    assert scorecard_text([]) == ""
