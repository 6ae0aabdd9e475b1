"""Scoring text with the trained artefact: one logistic model per situation label.

The artefact (`model.json.gz`, written by `make train`) holds, per feature, the labels it
moves and by how much; scoring a unit is a sum over its features, so a chat turn costs a few
milliseconds in pure Python. A label is detected in a message when its best unit clears the
label's threshold, chosen at training time on held-out folds of the training split; whether
the message as a whole shows the label is then the decision model's call (`decision.py`), which
reads every unit's scores at once.
"""

from __future__ import annotations

import base64
import gzip
import json
import math
import sys
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, TypedDict, cast

from coaching.situations import decision
from coaching.situations.features import featurise, featurise_context, words
from coaching.situations.segments import Unit, units

ARTEFACT = Path(__file__).with_name("model.json.gz")
ARTEFACT_VERSION = 3
_EVIDENCE_MARGIN = 0.1
MIN_WORDS = 3
"""A unit shorter than this says too little to be a situation ("asdf qwer", "ok thx")."""


class Decision(TypedDict):
    """Per label, the message-level decision's bias, threshold and weights; a label without
    one (threshold null) is present when its best unit clears the unit threshold."""

    bias: list[float]
    thresholds: list[float | None]
    weights: list[list[float]]


class Artefact(TypedDict):
    """The JSON the training command writes: per feature, its (label, weight) entries.

    `features` is newline-separated and sorted; `counts` says how many entries each feature
    has; `label_ids` (unsigned bytes) and `weights` (float32) hold the entries in that order,
    little-endian and base64-encoded, so loading costs a few milliseconds and little memory.
    """

    version: int
    labels: list[str]
    bias: list[float]
    thresholds: list[float]
    features: str
    counts: str
    label_ids: str
    weights: str
    decision: Decision


@dataclass(frozen=True)
class Detection:
    """A label the message shows, with the exact span of the unit that shows it best.

    `probability` is the message-level reading; `unit_probability` that unit's own score.
    """

    label: str
    probability: float
    start: int
    end: int
    unit_probability: float


class SituationModel:
    """Linear scores per label over the features of each sentence and clause."""

    def __init__(self, payload: Artefact) -> None:
        if payload["version"] != ARTEFACT_VERSION:
            raise ValueError(f"situation model version {payload['version']} is not supported")
        self.labels: tuple[str, ...] = tuple(payload["labels"])
        self._bias: tuple[float, ...] = tuple(payload["bias"])
        self._unit_thresholds: tuple[float, ...] = tuple(payload["thresholds"])
        decided = payload["decision"]
        self._decision_bias: tuple[float, ...] = tuple(decided["bias"])
        self._decision_weights = tuple(tuple(w) for w in decided["weights"])
        self._thresholds: tuple[float, ...] = tuple(
            unit if message is None else message
            for unit, message in zip(self._unit_thresholds, decided["thresholds"], strict=True)
        )
        self._decided = tuple(t is not None for t in decided["thresholds"])
        counts = _decoded("B", payload["counts"])
        self._label_ids = _decoded("B", payload["label_ids"])
        self._weights = _decoded("f", payload["weights"])
        self._starts: dict[str, int] = {}
        self._ends: list[int] = []
        self._recent: tuple[tuple[str, bool], list[tuple[Unit, list[float]]]] | None = None
        position = 0
        for index, feature in enumerate(payload["features"].split("\n")):
            self._starts[feature] = index
            position += counts[index]
            self._ends.append(position)

    @classmethod
    def from_file(cls, path: Path) -> SituationModel:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            return cls(cast(Artefact, json.load(handle)))

    def _sums(self, features: dict[str, float], start: Sequence[float]) -> list[float]:
        totals = list(start)
        label_ids, weights, ends = self._label_ids, self._weights, self._ends
        for feature, value in features.items():
            index = self._starts.get(feature)
            if index is None:
                continue
            for entry in range(ends[index - 1] if index else 0, ends[index]):
                totals[label_ids[entry]] += weights[entry] * value
        return totals

    def context(self, message: str) -> list[float]:
        """Each label's bias plus what the whole message contributes to every unit of it."""
        return self._sums(featurise_context(message), self._bias)

    def probabilities(self, text: str, context: Sequence[float] | None = None) -> list[float]:
        """Each label's probability for one unit of text, read within its message's context."""
        totals = self._sums(featurise(text), self.context(text) if context is None else context)
        return [1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, t)))) for t in totals]

    def detect(self, text: str, *, clauses: bool = True) -> list[Detection]:
        """The labels present in a message, each with the unit that shows it best."""
        return self.leanings(text, clauses=clauses, margin=0.0)

    def leanings(self, text: str, *, clauses: bool = True, margin: float) -> list[Detection]:
        """Every label whose message-level probability comes within `margin` of its threshold:
        with margin 0 the labels present; with a margin, also the situations the message only
        hints at, which a coach asks about rather than asserts. Each quotes its best unit."""
        scored = self._scored(text, clauses)
        if not scored:
            return []
        own, shared = decision.summary([row for _, row in scored], len(self.labels))
        found = []
        for index, label in enumerate(self.labels):
            unit, best = self._evidence(scored, index)
            sure = best
            if self._decided[index]:
                sure = decision.probability(
                    own[index], shared, self._decision_weights[index], self._decision_bias[index]
                )
            if sure >= self._thresholds[index] - margin:
                found.append(Detection(label, sure, unit.start, unit.end, best))
        return found

    def _scored(self, text: str, clauses: bool) -> list[tuple[Unit, list[float]]]:
        """Every unit of the message with its probabilities. A turn reads one message several
        times (its findings, then its near misses twice over); scoring the units is nearly
        all of the cost, so the last message's scores are kept and read again."""
        key = (text, clauses)
        recent = self._recent
        if recent is not None and recent[0] == key:
            return recent[1]
        around = self.context(text)
        scored: list[tuple[Unit, list[float]]] = []
        for unit in units(text, clauses=clauses):
            piece = text[unit.start : unit.end]
            if len(words(piece)) >= MIN_WORDS:
                scored.append((unit, self.probabilities(piece, around)))
        self._recent = (key, scored)
        return scored

    def _evidence(self, scored: list[tuple[Unit, list[float]]], index: int) -> tuple[Unit, float]:
        """The unit that shows a label best, and its probability: among the units that clear
        the unit threshold (or the single best one when none does), the shortest sure one."""
        top = max(row[index] for _, row in scored)
        cut = min(top, self._unit_thresholds[index])
        candidates = [(row[index], unit) for unit, row in scored if row[index] >= cut]
        held = candidates[0]
        for probability, unit in candidates[1:]:
            if _better(probability, unit, *held):
                held = (probability, unit)
        return held[1], held[0]

    def threshold(self, label: str) -> float:
        return self._thresholds[self.labels.index(label)]

    def unit_threshold(self, label: str) -> float:
        return self._unit_thresholds[self.labels.index(label)]


def _better(probability: float, unit: Unit, held_probability: float, held: Unit) -> bool:
    """Higher probability wins, shorter evidence when nearly as sure.

    A clause inside the held unit wins when within 0.1 of it; a two-sentence window has to beat
    a single sentence by 0.1, so evidence stays as short as the situation allows.
    """
    inside = held.start <= unit.start and unit.end <= held.end
    if inside and probability >= held_probability - _EVIDENCE_MARGIN:
        return True
    if unit.window and not held.window:
        return probability > held_probability + _EVIDENCE_MARGIN
    return probability > held_probability


def _decoded(typecode: str, text: str) -> array[Any]:
    values = array(typecode)
    values.frombytes(base64.b64decode(text))
    if sys.byteorder != "little":
        values.byteswap()
    return values


@cache
def default_model() -> SituationModel:
    """The shipped artefact, loaded once per process (`make train` rebuilds it)."""
    return SituationModel.from_file(ARTEFACT)
