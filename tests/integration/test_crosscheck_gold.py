"""The cross-check against the example corpus's hand-made gold (examples/gold/crosscheck.json):
every gold phrase resolves to a claim, the planted conflicts are found and typed right, no
planted compatible pair is called a conflict, and fact alignment stays above its floors
(measured 0.878 precision / 0.729 recall when these floors were set)."""

from __future__ import annotations

import pytest

from storyline.evaluation.crosscheck_gold import (
    CrossCheckScores,
    analysed_examples,
    score,
    story_checks,
)
from storyline.stories.embeddings import Embedder

FACT_PRECISION_FLOOR = 0.85
FACT_RECALL_FLOOR = 0.70


@pytest.fixture(scope="module")
def scores(tmp_path_factory: pytest.TempPathFactory) -> CrossCheckScores:
    workspace = analysed_examples(tmp_path_factory.mktemp("examples") / "w.db")
    try:
        return score(workspace, story_checks(workspace, Embedder().embed))
    finally:
        workspace.close()


def test_every_gold_phrase_names_a_claim(scores: CrossCheckScores) -> None:
    assert scores.unresolved == []


def test_planted_conflicts_found_and_typed(scores: CrossCheckScores) -> None:
    assert scores.conflicts_gold == 6
    assert scores.missed == []
    assert scores.conflicts_found == scores.conflicts_kind_right == 6


def test_no_compatible_pair_is_called_a_conflict(scores: CrossCheckScores) -> None:
    assert scores.false_alarms == []
    # most compatible pairs are shown as differing in precision
    assert scores.compatible_reported >= 5


def test_fact_alignment_floors(scores: CrossCheckScores) -> None:
    assert scores.fact_precision >= FACT_PRECISION_FLOOR
    assert scores.fact_recall >= FACT_RECALL_FLOOR


def test_unjudged_conflicts_stay_few(scores: CrossCheckScores) -> None:
    # one today: the 1999 quake put near Izmit by one outlet and near Istanbul by another
    assert len(scores.other_conflicts) <= 2
