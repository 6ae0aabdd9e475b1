"""The commitments corpus, its one fixed train/test split, and how extraction is scored.

The split is by scenario, never by case, so variants of one situation never sit on both
sides: the first byte of SHA-256 over the scenario id puts about a quarter of the scenarios
(byte < 64) in the test split. It depends on nothing but the id, so it never changes when
cases are added; rules are tuned on the train split only and the test split only measures.

A case scores when every expected commitment is found with the same kind, due date and party
(one found commitment answers one expected one); anything found beyond that is a false
commitment. Run `python -m tests.commitments.corpus` for the figures on both splits.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from coaching.commitments.extract import extract_commitments

CORPUS = Path(__file__).resolve().parents[2] / "coaching" / "corpus" / "commitments"
_TEST_SHARE = 64

Triple = tuple[str, date | None, str]


@dataclass(frozen=True)
class Case:
    """One message, its clock and the commitments a careful reader would record."""

    id: str
    scenario: str
    now: datetime
    text: str
    expected: tuple[Triple, ...]
    style: str


@dataclass
class Score:
    """Expected commitments found exactly, and commitments found that nobody made."""

    expected: int = 0
    found: int = 0
    false: int = 0
    false_on_empty: int = 0
    empty_cases: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.found / self.expected if self.expected else 1.0


def in_test_split(scenario: str) -> bool:
    """Whether a scenario belongs to the held-out test split (about 25% of scenarios)."""
    return hashlib.sha256(scenario.encode()).digest()[0] < _TEST_SHARE


def load_cases() -> list[Case]:
    """Every case of every style file, in file order."""
    cases: list[Case] = []
    for path in sorted(CORPUS.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                cases.append(_case(json.loads(line)))
    return cases


def _case(row: dict[str, object]) -> Case:
    expected = tuple(
        (
            str(item["kind"]),
            date.fromisoformat(str(item["due"])) if item["due"] else None,
            str(item["party"]),
        )
        for item in row["commitments"]  # type: ignore[attr-defined]
    )
    now = datetime.fromisoformat(str(row["now"])).replace(tzinfo=ZoneInfo(str(row["tz"])))
    return Case(
        str(row["id"]), str(row["scenario"]), now, str(row["text"]), expected, str(row["style"])
    )


def split(*, test: bool) -> list[Case]:
    """The test split, or the train split."""
    return [case for case in load_cases() if in_test_split(case.scenario) is test]


def score(cases: list[Case]) -> Score:
    """Exact kind+due+party matches over the expected commitments, and false commitments."""
    result = Score()
    for case in cases:
        got = Counter(
            (c.kind.value, c.due, c.party.value)
            for c in extract_commitments(case.text, case.now).commitments
        )
        want = Counter(case.expected)
        matched = sum((got & want).values())
        extra = sum((got - want).values())
        result.expected += len(case.expected)
        result.found += matched
        result.false += extra
        if not case.expected:
            result.empty_cases += 1
            result.false_on_empty += extra
        if matched < len(case.expected) or extra:
            missing = sorted(map(str, (want - got).elements()))
            unwanted = sorted(map(str, (got - want).elements()))
            result.misses.append(f"{case.id}: missing {missing} extra {unwanted}")
    return result


def _report(name: str, cases: list[Case]) -> None:
    result = score(cases)
    print(
        f"{name}: {len(cases)} cases, {result.found}/{result.expected} commitments exact "
        f"(rate {result.rate:.2f}), {result.false} false commitments, "
        f"{result.false_on_empty} on {result.empty_cases} no-commitment cases"
    )


if __name__ == "__main__":
    import sys

    train, test = split(test=False), split(test=True)
    if "-v" in sys.argv:
        for miss in score(train).misses:
            print(miss)
    _report("train", train)
    _report("test", test)
