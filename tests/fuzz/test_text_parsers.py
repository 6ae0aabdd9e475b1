"""Dates and commitments are read from anything a rep types: they never raise, and what
they report points back into the text."""

from __future__ import annotations

from datetime import datetime

from hypothesis import given

from coaching.commitments.dates import find_due_date, find_vague_timing
from coaching.commitments.extract import extract_commitments
from tests.fuzz.strategies import FUZZ, moments, rep_text


@FUZZ
@given(text=rep_text, now=moments)
def test_a_due_date_is_found_inside_the_text_or_not_at_all(text: str, now: datetime) -> None:
    found = find_due_date(text, now)
    if found is not None:
        assert 0 <= found.start < found.end <= len(text)


@FUZZ
@given(text=rep_text)
def test_vague_timing_is_a_span_of_the_text(text: str) -> None:
    span = find_vague_timing(text)
    if span is not None:
        assert 0 <= span[0] < span[1] <= len(text)


@FUZZ
@given(text=rep_text, now=moments)
def test_commitments_never_raise_and_quote_only_the_text(text: str, now: datetime) -> None:
    extraction = extract_commitments(text, now)
    for quote in extraction.undated:
        assert quote in text
    for commitment in extraction.commitments:
        assert commitment.text.strip()
