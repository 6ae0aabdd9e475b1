"""`make train`, first step: group the whole English words of wordllama's vocabulary by meaning.

Only single-token words are clustered: their embedding row is the word itself, while a word
the tokenizer splits would be grouped by its spelling, which the character n-grams already
cover. K-means with a fixed seed and one initialisation over unit-length vectors gives the same
groups on every run, so the committed file can be rebuilt byte for byte and checked in CI.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from coaching.situations.clusters import CLUSTERS
from coaching.situations.training import write

CLUSTER_COUNT = 512
SEED = 0
ITERATIONS = 100
_WORD_PIECE = re.compile(r"\u2581([A-Za-z]{2,})")
SOURCE = "wordllama l2_supercat, 256 dimensions"


def _embeddings() -> tuple[list[str], Any]:
    """The lower-cased whole words of the vocabulary and their unit-length embedding rows."""
    import numpy as np  # noqa: PLC0415 - training only
    import wordllama  # noqa: PLC0415 - training only

    # The loader looks for its tokenizer under the cache folder, not beside the weights.
    root = Path(wordllama.__file__).parent
    model = wordllama.WordLlama.load(cache_dir=root, disable_download=True)
    rows: dict[str, int] = {}
    for piece, index in model.tokenizer.get_vocab().items():
        whole = _WORD_PIECE.fullmatch(piece)
        if whole:
            word = whole.group(1).lower()
            rows[word] = min(index, rows.get(word, index))
    vocabulary = sorted(rows)
    vectors = np.asarray(model.embedding, dtype=np.float64)[[rows[w] for w in vocabulary]]
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return vocabulary, vectors


def build() -> dict[str, Any]:
    """The clusters file's payload: each cluster's words, sorted, clusters in k-means order."""
    from sklearn.cluster import KMeans  # noqa: PLC0415 - training only

    vocabulary, vectors = _embeddings()
    found = KMeans(
        n_clusters=CLUSTER_COUNT, random_state=SEED, n_init=1, max_iter=ITERATIONS
    ).fit_predict(vectors)
    groups: list[list[str]] = [[] for _ in range(CLUSTER_COUNT)]
    for word, cluster in zip(vocabulary, found, strict=True):
        groups[int(cluster)].append(word)
    return {"source": SOURCE, "clusters": groups}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Cluster wordllama's words for the features.")
    parser.add_argument("--out", type=Path, default=CLUSTERS)
    args = parser.parse_args(argv)
    payload = build()
    write(payload, args.out)
    words = sum(len(group) for group in payload["clusters"])
    print(f"clustered {words} words into {len(payload['clusters'])} groups -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
