"""The shipped model and word clusters are exactly what `make train` builds in this checkout.

If someone edits the corpus or the features and forgets to retrain, or commits a model trained
elsewhere, this fails: the artefact must be reproducible byte for byte.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from coaching.situations import build_clusters, training
from coaching.situations.clusters import CLUSTERS
from coaching.situations.corpus import load, split
from coaching.situations.model import ARTEFACT, SituationModel


# Training is the one test that takes minutes: longer than the suite's per-test limit on a
# loaded two-core machine.
@pytest.mark.timeout(1800)
def test_training_rebuilds_the_committed_artefact(tmp_path: Path) -> None:
    rebuilt = tmp_path / "model.json.gz"

    assert training.main(["--out", str(rebuilt)]) == 0

    assert rebuilt.read_bytes() == ARTEFACT.read_bytes()


@pytest.mark.timeout(600)
def test_clustering_rebuilds_the_committed_word_clusters(tmp_path: Path) -> None:
    rebuilt = tmp_path / "clusters.json.gz"

    assert build_clusters.main(["--out", str(rebuilt)]) == 0

    assert rebuilt.read_bytes() == CLUSTERS.read_bytes()


def test_the_test_split_is_never_trained_on() -> None:
    train, test = split(load())
    model = SituationModel.from_file(ARTEFACT)

    assert test
    assert {r.scenario for r in train}.isdisjoint({r.scenario for r in test})
    assert set(model.labels) >= {code for r in train for code in r.codes}
