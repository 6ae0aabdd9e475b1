"""Scoring text with the trained artefact: one logistic model per situation label.

The artefact (`model.json.gz`, written by `make train`) holds, per feature, the labels it
moves and by how much; scoring a unit is a sum over its features, so a chat turn costs a few
milliseconds in pure Python. A label is detected in a message when its best unit clears the
label's threshold, chosen at training time on held-out folds of the training split.
"""

from __future__ import annotations

import gzip
import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TypedDict, cast

from coaching.situations.features import featurise
from coaching.situations.segments import Unit, units

ARTEFACT = Path(__file__).with_name("model.json.gz")
_EVIDENCE_MARGIN = 0.1


class Artefact(TypedDict):
    """The JSON the training command writes."""

    version: int
    labels: list[str]
    bias: list[float]
    thresholds: list[float]
    weights: dict[str, list[list[float]]]


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
        self.labels: tuple[str, ...] = tuple(payload["labels"])
        self._bias: tuple[float, ...] = tuple(payload["bias"])
        self._thresholds: tuple[float, ...] = tuple(payload["thresholds"])
        raw = payload["weights"]
        self._weights = {
            feature: tuple((int(i), w) for i, w in pairs) for feature, pairs in raw.items()
        }

    @classmethod
    def from_file(cls, path: Path) -> SituationModel:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            return cls(cast(Artefact, json.load(handle)))

    def probabilities(self, text: str) -> list[float]:
        """Each label's probability for one unit of text."""
        totals = list(self._bias)
        for feature, value in featurise(text).items():
            for index, weight in self._weights.get(feature, ()):
                totals[index] += weight * value
        return [1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, t)))) for t in totals]

    def detect(self, text: str, *, clauses: bool = True) -> list[Detection]:
        """The labels present in a message, each with the unit that shows it best."""
        best: dict[int, tuple[float, Unit]] = {}
        for unit in units(text, clauses=clauses):
            for index, probability in enumerate(self.probabilities(text[unit.start : unit.end])):
                if probability < self._thresholds[index]:
                    continue
                held = best.get(index)
                if held is None or _better(probability, unit, *held):
                    best[index] = (probability, unit)
        return [Detection(self.labels[i], p, u.start, u.end) for i, (p, u) in sorted(best.items())]


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


@cache
def default_model() -> SituationModel:
    """The shipped artefact, loaded once per process (`make train` rebuilds it)."""
    return SituationModel.from_file(ARTEFACT)
