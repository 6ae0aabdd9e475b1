"""The situation corpus: clauses and whole messages in our own words, split once by scenario.

Records live in `coaching/corpus/<group>/*.jsonl` (the format is in that folder's README).
The split is a hash of each record's scenario, fixed forever: variants of one situation always
fall on the same side, so the test split measures situations the model has not seen, and
nobody tunes on it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

CORPUS_DIR = Path(__file__).resolve().parents[1] / "corpus"
NOT_SITUATIONS = frozenset({"commitments"})
TEST_SHARE_OUT_OF_100 = 20
DEAL_TALK = "deal.talk"
"""Not a finding: the label of every record about selling, against small talk with the coach."""
SMALL_TALK = "smalltalk"


@dataclass(frozen=True)
class Record:
    """One corpus unit: a clause, or a message with the evidence span of each code."""

    id: str
    scenario: str
    unit: str
    text: str
    codes: tuple[str, ...]
    role: str = "rep"
    kind: str = "chat"
    category: str | None = None
    evidence: dict[str, str] = field(default_factory=dict)
    style: str = ""

    @property
    def is_message(self) -> bool:
        return self.unit == "message"

    @property
    def labels(self) -> tuple[str, ...]:
        """The codes, plus `deal.talk` for anything that is not small talk."""
        return self.codes if self.style == SMALL_TALK else (*self.codes, DEAL_TALK)


def in_test_split(scenario: str) -> bool:
    """Whether a scenario belongs to the held-out test split (about one in five)."""
    digest = hashlib.sha256(scenario.encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") % 100 < TEST_SHARE_OUT_OF_100


DOCUMENT_STYLES = frozenset({"outline", "proposal"})


def _parse(line: str) -> Record:
    """One record; outline and proposal lines are reviews unless they say otherwise."""
    raw = json.loads(line)
    default_kind = "review" if raw.get("style") in DOCUMENT_STYLES else "chat"
    return Record(
        id=raw["id"],
        scenario=raw["scenario"],
        unit=raw.get("unit", "clause"),
        text=raw["text"],
        codes=tuple(raw.get("codes", ())),
        role=raw.get("role", "rep"),
        kind=raw.get("kind", default_kind),
        category=raw.get("category"),
        evidence=dict(raw.get("evidence") or {}),
        style=raw.get("style", ""),
    )


def corpus_files(root: Path = CORPUS_DIR) -> list[Path]:
    return sorted(path for path in root.glob("*/*.jsonl") if path.parent.name not in NOT_SITUATIONS)


def load(root: Path = CORPUS_DIR) -> list[Record]:
    """Every situation record, in file order (files sorted), so training is reproducible."""
    return [
        _parse(line)
        for path in corpus_files(root)
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def split(records: list[Record]) -> tuple[list[Record], list[Record]]:
    """(train, test) by scenario."""
    train = [r for r in records if not in_test_split(r.scenario)]
    test = [r for r in records if in_test_split(r.scenario)]
    return train, test
