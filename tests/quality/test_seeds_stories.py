"""Issue 5's must-show on the seeds: one story of all five articles, and 000's glued Axios
part belongs to it on its own merits too (not only because it rides in 000)."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.stories.cluster import THRESHOLD, Arrival, StoryClusterer
from storyline.stories.features import StoryText, document_frequencies, terms, weigh
from storyline.workspace import Workspace

pytestmark = pytest.mark.quality
SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    if not SEEDS.is_dir():
        pytest.skip(f"seed articles not found at {SEEDS} (CI has ../shared beside the checkout)")
    ws = Workspace.open(tmp_path_factory.mktemp("seeds") / "w.db")
    ws.ingest([SEEDS])
    ws.run()
    return ws


def test_the_five_seeds_are_one_story(workspace: Workspace) -> None:
    [story] = workspace.stories()
    assert len(story["article_ids"]) == 5
    assert set(story["article_ids"]) == {a.id for a in workspace.articles()}
    assert story["start"] == story["end"] == "2024-12-05"
    assert "Hama" in story["label"]
    for word in ("terrorists", "rebels", "jihadists"):  # no outlet's framing in the label
        assert word not in story["label"].lower()


def test_000s_axios_part_joins_the_story_of_the_other_four(workspace: Workspace) -> None:
    articles = workspace.articles()
    glued = next(a for a in articles if Path(a.source).name.startswith("000"))
    axios = next(p for p in glued.parts if p.duplicate_of is None)
    others = [a for a in articles if a.id != glued.id]
    docs = [StoryText(a.id, a.text, a.title) for a in others]
    docs.append(StoryText("axios-part", glued.text[axios.start : axios.end]))
    counts = [terms(d) for d in docs]
    df = document_frequencies(counts)
    clusterer = StoryClusterer()
    placed = clusterer.add(
        [Arrival(d.id, weigh(c, df, len(docs))) for d, c in zip(docs, counts, strict=True)]
    )
    assert len({p.story_id for p in placed}) == 1
    assert placed[-1].similarity is not None and placed[-1].similarity >= THRESHOLD
