"""Per code, the coach recognises situations from the corpus's held-out test split.

These records were never trained on (the split is by scenario, fixed by a hash), so the
figures say how the coach does on situations it has not seen. The floors sit a little under
what `make eval` reports, so a change that makes understanding worse fails here.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo

import pytest

from coaching.codes import FINDING_CODES
from coaching.engine import OfflineEngine
from coaching.playbooks.base import Context
from coaching.situations.corpus import Record, load, split
from coaching.types import MessageKind, Role

NOW = datetime(2026, 11, 18, 9, 0, tzinfo=ZoneInfo("America/Chicago"))
CODE_RECALL_FLOOR = 0.35
OVERALL_RECALL_FLOOR = 0.6
HARMLESS_ALARM_CEILING = 0.15
MIN_EXAMPLES = 5
WHOLE_DOCUMENT_CODES = frozenset({"p3.no_emotion"})
"""A single outline line cannot lack emotion; these are judged on whole messages only."""


@cache
def held_out() -> tuple[tuple[Record, frozenset[str]], ...]:
    """Each test-split record with the codes the offline coach raised on it."""
    engine = OfflineEngine()
    found = []
    for record in split(load())[1]:
        kind = MessageKind.REVIEW if record.kind == "review" else MessageKind.CHAT
        role = Role.MANAGER if record.role == "manager" else Role.REP
        result = engine.coach(Context(text=record.text, now=NOW, role=role, kind=kind))
        found.append((record, frozenset(f.code for f in result.findings)))
    return tuple(found)


def recall_by_code() -> tuple[Counter[str], Counter[str]]:
    expected, hits = Counter[str](), Counter[str]()
    for record, raised in held_out():
        for code in set(record.codes) & FINDING_CODES:
            if code in WHOLE_DOCUMENT_CODES and not record.is_message:
                continue
            expected[code] += 1
            hits[code] += code in raised
    return expected, hits


@pytest.mark.parametrize("code", sorted(FINDING_CODES))
def test_each_code_is_recognised_on_unseen_situations(code: str) -> None:
    expected, hits = recall_by_code()
    if expected[code] < MIN_EXAMPLES:
        pytest.skip(f"{code} has {expected[code]} held-out examples")

    assert hits[code] / expected[code] >= CODE_RECALL_FLOOR, (hits[code], expected[code])


def test_most_coachable_situations_are_recognised() -> None:
    expected, hits = recall_by_code()

    assert sum(hits.values()) / sum(expected.values()) >= OVERALL_RECALL_FLOOR


def test_harmless_messages_rarely_raise_anything() -> None:
    harmless = [raised for record, raised in held_out() if record.is_message and not record.codes]

    alarmed = sum(bool(raised) for raised in harmless)

    assert harmless
    assert alarmed / len(harmless) <= HARMLESS_ALARM_CEILING
