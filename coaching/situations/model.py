"""Scoring text with the trained artefact: one logistic model per situation label.

The artefact (`model.json.gz`, written by `make train`) holds, per feature, the labels it
moves and by how much; scoring a unit is a sum over its features, so a chat turn costs a few
milliseconds in pure Python. A label is detected in a message when its best unit clears the
label's threshold, chosen at training time on held-out folds of the training split.
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

from coaching.situations.features import featurise, featurise_context, words
from coaching.situations.segments import Unit, units

ARTEFACT = Path(__file__).with_name("model.json.gz")
ARTEFACT_VERSION = 2
_EVIDENCE_MARGIN = 0.1
MIN_WORDS = 3
"""A unit shorter than this says too little to be a situation ("asdf qwer", "ok thx")."""


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


@dataclass(frozen=True)
class Detection:
    """A label whose best unit cleared its threshold, with that unit's exact span."""

    label: str
    probability: float
    start: int
    end: int


class SituationModel:
    """Linear scores per label over the features of each sentence and clause."""

    def __init__(self, payload: Artefact) -> None:
        if payload["version"] != ARTEFACT_VERSION:
            raise ValueError(f"situation model version {payload['version']} is not supported")
        self.labels: tuple[str, ...] = tuple(payload["labels"])
        self._bias: tuple[float, ...] = tuple(payload["bias"])
        self._thresholds: tuple[float, ...] = tuple(payload["thresholds"])
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
        """Every label whose best unit comes within `margin` of its threshold: with margin 0
        the labels present; with a margin, also the situations the message only hints at,
        which a coach asks about rather than asserts."""
        best: dict[int, tuple[float, Unit]] = {}
        for unit, row in self._scored(text, clauses):
            for index, probability in enumerate(row):
                if probability < self._thresholds[index] - margin:
                    continue
                held = best.get(index)
                if held is None or _better(probability, unit, *held):
                    best[index] = (probability, unit)
        return [Detection(self.labels[i], p, u.start, u.end) for i, (p, u) in sorted(best.items())]

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

    def threshold(self, label: str) -> float:
        return self._thresholds[self.labels.index(label)]


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
