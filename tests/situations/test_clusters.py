"""Word clusters group words by meaning, so a word the corpus never used still reads like its
neighbours; a misspelling is left to the character n-grams."""

from __future__ import annotations

import pytest

from coaching.situations.clusters import word_clusters
from coaching.situations.features import featurise


@pytest.mark.parametrize(
    ("word", "neighbour"),
    [("afraid", "fear"), ("election", "vote"), ("church", "catholic"), ("ignore", "dismiss")],
)
def test_words_of_like_meaning_share_a_cluster(word: str, neighbour: str) -> None:
    clusters = word_clusters()

    assert clusters[word] == clusters[neighbour]


def test_unrelated_words_fall_in_different_clusters() -> None:
    clusters = word_clusters()

    assert clusters["afraid"] != clusters["church"]


def test_a_synonym_brings_its_cluster_into_the_features() -> None:
    feeling = f"k:{word_clusters()['afraid']}"

    assert feeling in featurise("honestly I fear the board meeting")
    assert feeling in featurise("honestly I am afraid of the board meeting")
    assert feeling not in featurise("honestly I booked the board meeting")


def test_a_misspelt_word_has_no_cluster() -> None:
    assert "propsal" not in word_clusters()
