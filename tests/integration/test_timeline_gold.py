"""Storyline's timelines of the example corpus against the hand-made gold timelines
(examples/gold/timelines.json), with floors set from the measured scores (date F1 0.923 /
0.800 / 0.889 for suez / bridge / quake when set)."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.evaluation.timeline_gold import score_examples
from storyline.workspace import Workspace

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
DATE_F1_FLOOR = {"suez": 0.85, "bridge": 0.75, "quake": 0.8}


@pytest.fixture(scope="module")
def rows(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, float]]:
    with Workspace.open(tmp_path_factory.mktemp("tl") / "w.db") as ws:
        ws.ingest([EXAMPLES])
        ws.run()
        return score_examples(ws)


@pytest.mark.parametrize("event", sorted(DATE_F1_FLOOR))
def test_timeline_dates_and_content(rows: dict[str, dict[str, float]], event: str) -> None:
    assert rows[event]["date F1"] >= DATE_F1_FLOOR[event]
    assert rows[event]["align R1"] >= 0.18  # the events' words land on their dates
    assert rows[event]["background years F1"] >= 0.6
