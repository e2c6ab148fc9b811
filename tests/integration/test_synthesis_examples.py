"""Briefs and timelines of the example corpus: every brief sentence is supported by the spans
it cites (citation precision 1.0), disputes name both sides, and the planted conflicts reach
the briefs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from storyline.synthesis.verify import unsupported
from storyline.workspace import Workspace

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="module")
def stories(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    with Workspace.open(tmp_path_factory.mktemp("ex") / "w.db") as ws:
        ws.ingest([EXAMPLES])
        ws.run()
        return ws.stories()


def test_citation_precision_is_total(stories: list[dict[str, Any]]) -> None:
    sentences = [s for story in stories for s in story["brief"]]
    assert len(sentences) >= 20
    for sentence in sentences:
        cited = [c["text"] for c in sentence["citations"]]
        assert unsupported(sentence["text"], cited, sentence["outlets"]) == [], sentence["text"]


def test_multi_outlet_stories_get_a_full_brief_with_their_disputes(
    stories: list[dict[str, Any]],
) -> None:
    briefs = {s["label"]: s["brief"] for s in stories if len(s["outlets"]) >= 3}
    assert len(briefs) == 3
    for brief in briefs.values():
        assert 5 <= len(brief) <= 10
        for sentence in brief:
            if sentence["kind"] == "dispute":
                assert all(outlet in sentence["text"] for outlet in sentence["outlets"])
    disputes = " ".join(s["text"] for b in briefs.values() for s in b if s["kind"] == "dispute")
    assert "second-busiest port" in disputes  # the planted ranking conflict
    assert "Bernhard Schulte Shipmanagement" in disputes  # the planted misattribution
    assert "March 28" in disputes  # the planted date conflict
