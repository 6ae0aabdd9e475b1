"""The P3 scorecard as a few plain lines, for the terminal.

`--json` always carried the scorecard, but a rep reading the text reply had no way to see
which checks passed. One line per criterion, a pass or a fail and one short reason (the
rep's own words when it passed, the first sentence of the advice when it did not), keeps
the verdict scannable above the longer outline.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from coaching.review.service import CRITERIA, ReviewOutcome
from coaching.types import ScorecardEntry

_MAX_REASON = 90
_FIRST_SENTENCE = re.compile(r"(.+?[.!?])(?:\s|$)", re.DOTALL)


def review_text(reply: str, outcome: ReviewOutcome) -> str:
    """The rendered reply, then the scorecard, then the outline and signals."""
    card = scorecard_text(outcome.result.scorecard or [])
    return "\n\n".join(part for part in (reply, card, outcome.extras_text()) if part)


def scorecard_text(entries: Sequence[ScorecardEntry]) -> str:
    """ "Scorecard: n of m checks pass" and one line per check; "" when there is no scorecard."""
    if not entries:
        return ""
    passed = sum(1 for e in entries if e.passed)
    lines = [f"Scorecard: {passed} of {len(entries)} checks pass"]
    lines += [_line(entry) for entry in entries]
    return "\n".join(lines)


def _line(entry: ScorecardEntry) -> str:
    mark = "pass" if entry.passed else "FAIL"
    label = CRITERIA.get(entry.criterion, entry.criterion.replace("_", " "))
    return f"  [{mark}] {label[:1].upper()}{label[1:]}: {_reason(entry)}"


def _reason(entry: ScorecardEntry) -> str:
    """The quoted evidence for a pass, else the advice's first sentence; cut at a word."""
    evidence = " ".join(entry.evidence.split())
    if entry.passed and evidence:
        return f"\u201c{_short(evidence)}\u201d"
    advice = " ".join(entry.advice.split())
    found = _FIRST_SENTENCE.match(advice)
    return _short(found.group(1) if found else advice)


def _short(text: str) -> str:
    if len(text) <= _MAX_REASON:
        return text
    return text[:_MAX_REASON].rsplit(" ", 1)[0].rstrip(",;:") + "\u2026"
