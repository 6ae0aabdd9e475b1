"""The message-level decision: whether a label is present, read from every unit's scores at once.

The clause model scores each sentence and clause on its own. Taking the best clause as the
verdict raises a false alarm when another clause of the same message settles the matter
("...I'll wait for their vote. The final with their CFO is booked for the 9th") and misses a
problem spread thinly over two clauses. The decision is a second, small logistic model per
label over a summary of the whole message: the label's best and second-best clause, how many
clauses lean towards it, how long the message is, and the best clause of every other label, so
a booked presentation or a customer's own action elsewhere can outweigh the alarm. Training and
inference share this one definition of the summary, so the two never drift.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

_CLIP = 8.0
_LEANING = 0.5


def logit(probability: float) -> float:
    """The log-odds of a probability, held inside +-8 so a sure clause does not dominate."""
    low = 1.0 / (1.0 + math.exp(_CLIP))
    p = min(1.0 - low, max(low, probability))
    return math.log(p / (1.0 - p))


def summary(
    unit_probabilities: Sequence[Sequence[float]], labels: int
) -> tuple[list[list[float]], list[float]]:
    """What the decision reads, from each unit's probabilities (`[unit][label]`).

    Per label: its best and second-best unit (log-odds), how many units lean towards it, the
    number of units, and best times size; then, shared by every label, the best unit
    probability of every label, so the labels can answer one another. A label's features are
    its own row followed by that shared row.
    """
    best = [0.0] * labels
    second = [0.0] * labels
    leaning = [0] * labels
    for row in unit_probabilities:
        for index, probability in enumerate(row):
            if probability > best[index]:
                best[index], second[index] = probability, best[index]
            elif probability > second[index]:
                second[index] = probability
            leaning[index] += probability >= _LEANING
    size = math.log1p(len(unit_probabilities))
    own = []
    for index in range(labels):
        top = logit(best[index])
        own.append([top, logit(second[index]), math.log1p(leaning[index]), size, top * size / 4])
    return own, best


def probability(
    own: Sequence[float], shared: Sequence[float], weights: Sequence[float], bias: float
) -> float:
    """The decision model's probability for one label, from its row and the shared row."""
    features = [*own, *shared]
    total = bias + math.fsum(w * f for w, f in zip(weights, features, strict=True))
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, total))))
