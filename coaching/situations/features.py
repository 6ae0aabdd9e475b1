"""The features both training and inference see: the only definition, so the two never drift.

Word unigrams and bigrams carry the situation; character n-grams inside words carry it across
typos and inflections ("propsal", "presenting"); word clusters (`clusters.py`) carry it to
words of like meaning the corpus never used ("dread" for "afraid"). Digits fold to one symbol
so amounts and dates generalise. Each group is weighted so that a long sentence does not drown
a short one.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable
from functools import lru_cache

from coaching.situations.clusters import word_clusters

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[$\u20ac\u00a3\u00a5%?!]")
_DIGITS = re.compile(r"[0-9]+")
_CHAR_SIZES = (3, 4, 5)
_WORD_WEIGHT = 1.0
_CHAR_WEIGHT = 0.6
_CLUSTER_WEIGHT = 0.6
_CONTEXT_WEIGHT = 0.5


def normalise(text: str) -> str:
    """Lower case, straight apostrophes, digits folded to 0."""
    low = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    return _DIGITS.sub("0", low)


def words(text: str) -> list[str]:
    return _WORD.findall(normalise(text))


@lru_cache(maxsize=65536)
def _token_grams(token: str) -> frozenset[str]:
    """A word's character n-grams, cached: words repeat far more than sentences do."""
    padded = f"<{token}>"
    return frozenset(
        f"c:{padded[i : i + size]}" for size in _CHAR_SIZES for i in range(len(padded) - size + 1)
    )


def _char_grams(tokens: Iterable[str]) -> set[str]:
    grams: set[str] = set()
    for token in tokens:
        if len(token) >= 2:
            grams |= _token_grams(token)
    return grams


def _cluster_grams(tokens: list[str]) -> set[str]:
    """Each word's cluster, and each pair of neighbouring clustered words."""
    clusters = word_clusters()
    found = [clusters.get(t) for t in tokens]
    grams = {f"k:{c}" for c in found if c is not None}
    grams.update(
        f"kb:{a} {b}" for a, b in itertools.pairwise(found) if a is not None and b is not None
    )
    return grams


def featurise(text: str) -> dict[str, float]:
    """Binary n-gram features, each group scaled to unit length, then weighted.

    Sorted, so the model adds them up in the same order in every process (sets of strings
    iterate in a per-process order) and the same text always gets the same scores.
    """
    tokens = words(text)
    word_feats = {f"w:{t}" for t in tokens}
    word_feats.update(f"b:{a} {b}" for a, b in itertools.pairwise(tokens))
    char_feats = _char_grams(tokens)
    features: dict[str, float] = {}
    groups = (
        (word_feats, _WORD_WEIGHT),
        (char_feats, _CHAR_WEIGHT),
        (_cluster_grams(tokens), _CLUSTER_WEIGHT),
    )
    for group, weight in groups:
        if group:
            value = weight / math.sqrt(len(group))
            features.update(dict.fromkeys(sorted(group), value))
    return features


def featurise_context(text: str) -> dict[str, float]:
    """The words of the whole message, so a unit is read with what surrounds it.

    "60 calls this week" next to "they signed the pilot" is not the same situation as the
    same clause alone; the model learns that from these features.
    """
    tokens = {f"m:{t}" for t in words(text)}
    if not tokens:
        return {}
    return dict.fromkeys(sorted(tokens), _CONTEXT_WEIGHT / math.sqrt(len(tokens)))
