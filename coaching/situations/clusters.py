"""Word clusters: which everyday words mean nearly the same, learned from static embeddings.

The n-gram features only know the words the corpus used; a rep who writes "dread" where the
corpus said "afraid", or "boss" where it said "manager", would be a stranger to them. Each
whole English word of wordllama's 256-d token embeddings (a model that ships in its wheel) is
assigned to one of a few hundred clusters of near neighbours by `build_clusters.py`, once, at
training time; at run time a word's cluster is a dictionary lookup, so the situation model can
carry what it learned about one word to its neighbours without an embedding model in the coach.
"""

from __future__ import annotations

import gzip
import json
from functools import cache
from pathlib import Path

CLUSTERS = Path(__file__).with_name("clusters.json.gz")


@cache
def word_clusters() -> dict[str, int]:
    """Each clustered word's cluster number (the shipped file, loaded once per process)."""
    with gzip.open(CLUSTERS, "rt", encoding="utf-8") as handle:
        groups: list[list[str]] = json.load(handle)["clusters"]
    return {word: number for number, members in enumerate(groups) for word in members}
