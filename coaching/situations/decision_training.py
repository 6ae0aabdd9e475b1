"""Fitting the message-level decision (`decision.py`) on the clause model's out-of-fold scores.

Each training record (a clause, or a whole message) is summarised from the scores its units got
from clause models that never saw its scenario, exactly what an unseen message looks like at
inference. One logistic model per label learns from those summaries whether the record has the
label; its threshold comes from its own out-of-fold predictions, grouped by scenario again.
The Never categories keep the clause model's reading: they only name what `creepy.never` found.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from coaching.situations.corpus import Record
from coaching.situations.decision import summary

C = 1.0
MIN_THRESHOLD, MAX_THRESHOLD = 0.5, 0.97
BETA = 0.5
DECIMALS = 3
SEED = 0


@dataclass(frozen=True)
class Summaries:
    """Every scored record's summary as arrays: `own[record, label]` rows and `shared[record]`."""

    kept: list[int]
    own: Any
    shared: Any

    def features(self, label: int) -> Any:
        import numpy as np  # noqa: PLC0415 - training only

        return np.hstack([self.own[:, label, :], self.shared])


def summaries(unit_scores: Sequence[Sequence[Sequence[float]]], labels: int) -> Summaries:
    """The summary of every record with a scored unit (`decision.summary`)."""
    import numpy as np  # noqa: PLC0415 - training only

    kept = [r for r, units in enumerate(unit_scores) if units]
    pairs = [summary(unit_scores[r], labels) for r in kept]
    own = np.array([own for own, _ in pairs], dtype=np.float64)
    shared = np.array([shared for _, shared in pairs], dtype=np.float64)
    return Summaries(kept, own, shared)


def _fit(rows: Any, targets: list[int]) -> Any:
    from sklearn.linear_model import LogisticRegression  # noqa: PLC0415 - training only

    model = LogisticRegression(C=C, solver="liblinear", random_state=SEED, max_iter=5000)
    model.fit(rows, targets)
    return model


def threshold(scores: Sequence[float], targets: Sequence[int]) -> float:
    """The cut that maximises F-beta over records, held inside sensible bounds."""
    ranked = sorted(zip(scores, targets, strict=True), reverse=True)
    positives = sum(targets)
    beta2 = BETA * BETA
    best, best_score, hits = MAX_THRESHOLD, -1.0, 0
    for seen, (score, target) in enumerate(ranked, start=1):
        hits += target
        if positives and hits:
            precision, recall = hits / seen, hits / positives
            f_beta = (1 + beta2) * precision * recall / (beta2 * precision + recall)
            if f_beta > best_score:
                best_score, best = f_beta, score
    return round(min(MAX_THRESHOLD, max(MIN_THRESHOLD, best)), 2)


def fit_label(
    index: int, rows: Summaries, records: Sequence[Record], label: str, folds: list[Any]
) -> tuple[float, float, list[float]] | None:
    """(bias, threshold, weights) of one label's decision, or None when it has no positives.

    `folds` are (fit, held) positions into `rows.kept`, grouped by scenario.
    """
    features = rows.features(index)
    targets = [int(label in records[r].labels) for r in rows.kept]
    if not any(targets) or all(targets):
        return None
    out_of_fold = [0.0] * len(targets)
    for fit_rows, held_rows in folds:
        fit_targets = [targets[i] for i in fit_rows]
        if len(set(fit_targets)) < 2:
            continue
        model = _fit(features[fit_rows], fit_targets)
        scores = model.predict_proba(features[held_rows])[:, 1]
        for row, score in zip(held_rows, scores, strict=True):
            out_of_fold[row] = float(score)
    model = _fit(features, targets)
    weights = [round(float(w), DECIMALS) for w in model.coef_[0]]
    return round(float(model.intercept_[0]), DECIMALS), threshold(out_of_fold, targets), weights
