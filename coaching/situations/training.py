"""`make train`: fit the situation model on the corpus's training split and write the artefact.

One L2-regularised logistic regression per label (scikit-learn's liblinear, fixed seed) over
the features of `features.py`. Clause records are examples as they are; each message adds its
sentences and clauses, positive for a code where they hold that code's evidence, unknown
(left out for that code) where the message has the code elsewhere, negative otherwise.
Thresholds come from out-of-fold predictions on the training split, grouped by scenario; the
test split is never read here. Weights are rounded and tiny ones dropped, so the artefact is
small and the same bytes come out of every run on the same corpus.
"""

from __future__ import annotations

import argparse
import base64
import gzip
import io
import json
import sys
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from coaching.situations.corpus import CORPUS_DIR, DEAL_TALK, Record, load, split
from coaching.situations.features import featurise, featurise_context
from coaching.situations.model import ARTEFACT, ARTEFACT_VERSION
from coaching.situations.segments import units

C = 4.0
FOLDS = 3
DECIMALS = 2
MIN_WEIGHT = 0.1
MIN_EXAMPLES_PER_FEATURE = 2
MIN_THRESHOLD, MAX_THRESHOLD = 0.7, 0.97
BETA = 1.0
SEED = 0


@dataclass
class Example:
    text: str
    group: str
    positive: set[str]
    unknown: set[str] = field(default_factory=set)
    record: int = 0
    context: str = ""


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _message_examples(record: Record) -> list[Example]:
    spans: dict[str, tuple[int, int]] = {}
    for code, quote in record.evidence.items():
        at = record.text.find(quote)
        if at >= 0:
            spans[code] = (at, at + len(quote))
    found: list[Example] = []
    for unit in units(record.text):
        bounds = (unit.start, unit.end)
        positive, unknown = set(), set()
        if DEAL_TALK in record.labels:
            positive.add(DEAL_TALK)
        for code in record.codes:
            span = spans.get(code)
            shared = _overlap(bounds, span) if span else 0
            shortest = min(unit.end - unit.start, span[1] - span[0]) if span else 0
            if span and shared >= 0.5 * shortest:
                positive.add(code)
            else:
                unknown.add(code)
        text = record.text[unit.start : unit.end]
        found.append(
            Example(text, record.scenario, positive | _category(record, positive), unknown)
        )
    return found


def _weight(example: Example, label: str) -> float:
    """0 leaves the example out for this label: unknown, or a category of nothing Never."""
    if label in example.unknown:
        return 0.0
    if label.startswith("category.") and "creepy.never" not in example.positive:
        return 0.0
    return 1.0


def _category(record: Record, positive: set[str]) -> set[str]:
    """The Never category as a label of its own, so the finding can name it."""
    if "creepy.never" in positive and record.category:
        return {f"category.{record.category}"}
    return set()


def examples(records: Sequence[Record]) -> list[Example]:
    """Every training unit, each knowing the record it came from."""
    found: list[Example] = []
    for number, record in enumerate(records):
        if record.is_message:
            units_of_record = _message_examples(record)
        else:
            codes = set(record.labels)
            units_of_record = [
                Example(record.text, record.scenario, codes | _category(record, codes))
            ]
        for example in units_of_record:
            example.record = number
            example.context = record.text
        found.extend(units_of_record)
    return found


def _fit(matrix: Any, targets: list[int], weights: list[float]) -> Any:
    from sklearn.linear_model import LogisticRegression  # noqa: PLC0415 - training only

    model = LogisticRegression(
        C=C,
        class_weight="balanced",
        solver="liblinear",
        dual=True,
        random_state=SEED,
        max_iter=5000,
    )
    model.fit(matrix, targets, sample_weight=weights)
    return model


def _threshold(scores: list[float], targets: list[int]) -> float:
    """The cut that maximises F-beta over records, held inside sensible bounds.

    A record (a clause, or a whole message) raises a label when its best unit clears the cut,
    exactly as at inference, so a long message's many units count against the cut too.
    """
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
    return round(min(MAX_THRESHOLD, max(MIN_THRESHOLD, best)), DECIMALS)


def _record_scores(
    data: Sequence[Example], scores: list[float], *, label: str, records: Sequence[Record]
) -> tuple[list[float], list[int]]:
    """Each record's best unit score and whether the record has the label."""
    best = [0.0] * len(records)
    for example, score in zip(data, scores, strict=True):
        best[example.record] = max(best[example.record], score)
    return best, [int(label in record.labels) for record in records]


def _train_label(
    matrix: Any,
    folds: list[tuple[Any, Any]],
    targets: list[int],
    sample: list[float],
    by_record: Any,
) -> tuple[float, float, Any]:
    """(bias, threshold, weights) of one label; the threshold from out-of-fold scores."""
    out_of_fold = [0.0] * len(targets)
    for fit_rows, held_rows in folds:
        model = _fit(
            matrix[fit_rows], [targets[i] for i in fit_rows], [sample[i] for i in fit_rows]
        )
        scores = model.predict_proba(matrix[held_rows])[:, 1]
        for row, score in zip(held_rows, scores, strict=True):
            out_of_fold[row] = float(score)
    model = _fit(matrix, targets, sample)
    threshold = _threshold(*by_record(out_of_fold))
    return float(model.intercept_[0]), threshold, model.coef_[0]


def _matrix(data: Sequence[Example]) -> tuple[Any, list[str]]:
    """The feature matrix (32-bit indices, as liblinear wants) of features seen twice or more."""
    from sklearn.feature_extraction import DictVectorizer  # noqa: PLC0415 - training only

    vectoriser = DictVectorizer(sort=True)
    rows = [featurise(e.text) | featurise_context(e.context) for e in data]
    matrix = vectoriser.fit_transform(rows).tocsc()
    counts = matrix.getnnz(axis=0)
    keep = [i for i, count in enumerate(counts) if count >= MIN_EXAMPLES_PER_FEATURE]
    names = vectoriser.get_feature_names_out()
    matrix = matrix[:, keep].tocsr()
    matrix.indices = matrix.indices.astype("int32")
    matrix.indptr = matrix.indptr.astype("int32")
    return matrix, [str(names[i]) for i in keep]


def train(records: Sequence[Record], jobs: int = 2) -> dict[str, Any]:
    """The artefact's payload: labels, biases, thresholds and the sparse weights."""
    from joblib import Parallel, delayed  # noqa: PLC0415 - training only
    from sklearn.model_selection import GroupKFold  # noqa: PLC0415 - training only

    data = examples(records)
    labels = sorted({code for e in data for code in e.positive | e.unknown})
    matrix, names = _matrix(data)
    folds = list(GroupKFold(n_splits=FOLDS).split(matrix, groups=[e.group for e in data]))
    fitted = Parallel(n_jobs=jobs)(
        delayed(_train_label)(
            matrix,
            folds,
            [int(label in e.positive) for e in data],
            [_weight(e, label) for e in data],
            partial(_record_scores, data, label=label, records=records),
        )
        for label in labels
    )
    weights: dict[str, list[tuple[int, float]]] = {}
    for index, (_, _, coef) in enumerate(fitted):
        for column in coef.nonzero()[0]:
            rounded = round(float(coef[column]), DECIMALS)
            if abs(rounded) >= MIN_WEIGHT:
                weights.setdefault(names[column], []).append((index, rounded))
    return pack(
        labels,
        [round(bias, DECIMALS) for bias, _, _ in fitted],
        [threshold for _, threshold, _ in fitted],
        weights,
    )


def pack(
    labels: list[str],
    bias: list[float],
    thresholds: list[float],
    weights: dict[str, list[tuple[int, float]]],
) -> dict[str, Any]:
    """The artefact's layout: features in order, then each one's (label, weight) entries."""
    features = sorted(weights)
    counts = array("B", (len(weights[f]) for f in features))
    label_ids = array("B", (i for f in features for i, _ in weights[f]))
    values = array("f", (w for f in features for _, w in weights[f]))
    return {
        "version": ARTEFACT_VERSION,
        "labels": labels,
        "bias": bias,
        "thresholds": thresholds,
        "features": "\n".join(features),
        "counts": _encoded(counts),
        "label_ids": _encoded(label_ids),
        "weights": _encoded(values),
    }


def _encoded(values: array[Any]) -> str:
    if sys.byteorder != "little":
        values.byteswap()
    return base64.b64encode(values.tobytes()).decode("ascii")


def write(payload: dict[str, Any], path: Path) -> None:
    """Gzipped JSON with no timestamp, so identical payloads give identical bytes."""
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0) as handle:
        handle.write(text.encode("utf-8"))
    path.write_bytes(buffer.getvalue())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Train the situation model.")
    parser.add_argument("--corpus", type=Path, default=CORPUS_DIR)
    parser.add_argument("--out", type=Path, default=ARTEFACT)
    args = parser.parse_args(argv)
    train_split, _ = split(load(args.corpus))
    payload = train(train_split)
    write(payload, args.out)
    features = payload["features"].count("\n") + 1
    print(
        f"trained {len(payload['labels'])} labels on {len(train_split)} records; "
        f"{features} features -> {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
