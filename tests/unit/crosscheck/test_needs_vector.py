"""Claims whose vector cannot change the facts are not embedded, and skipping them changes
nothing: the facts of every example story are the same with and without the skip."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

from storyline.crosscheck.align import needs_vector
from storyline.crosscheck.check import cross_check, story_claims
from storyline.crosscheck.material import story_material
from storyline.crosscheck.serialise import check_sections
from tests.unit.crosscheck.helpers import claim


def _inputs(texts: Sequence[str]) -> list[tuple[int, ...]]:
    return [tuple(ord(ch) for ch in text.lower()) for text in texts]  # stands in for token ids


def test_two_sources_need_every_vector() -> None:
    claims = [claim("Talks resumed in Geneva."), claim("Rain fell.", "Outlet B", "b1")]
    assert needs_vector(claims, _inputs) == [True, True]


def test_one_source_needs_only_claims_that_could_join() -> None:
    texts = (
        "The toll rose to 22 on Monday.",  # shares the number 22 with the next claim
        "Rescuers said 22 people were found.",
        "Talks resumed in Geneva.",  # nothing in common with anything
        "talks resumed in geneva.",  # one model input with the claim before it
        "Prices fell sharply.",
    )
    claims = [claim(text) for text in texts]
    assert needs_vector(claims, _inputs) == [True, True, True, True, False]


@pytest.mark.slow
def test_skipping_vectors_leaves_every_example_story_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storyline.stages.crosscheck import VectorCache, check_group
    from storyline.stories.embeddings import Embedder
    from storyline.workspace import Workspace

    examples = Path(__file__).resolve().parents[3] / "examples"
    with Workspace.open(tmp_path / "w.db") as ws:
        ws.ingest([examples])
        for stage in (ws.dedupe_stage, ws.extract_stage, ws.stories_stage):
            stage.run(ws.store)
        stories = ws.store.stories.stories()
        materials = [story_material(ws.store, s.id, s.articles) for s in stories]
    embedder = Embedder()
    asked: list[str] = []

    class Counting(Embedder):
        def embed(
            self, texts: Sequence[str], batch_size: int = 32, max_tokens: int = 128
        ) -> NDArray[np.float32]:
            asked.extend(texts)
            return embedder.embed(texts, batch_size, max_tokens)

    import storyline.stages.crosscheck as stage_module

    monkeypatch.setattr(stage_module, "_VECTORS", VectorCache())  # nothing cached by other tests
    skipped = check_group((materials, 0.5), Counting())
    full = [check_sections(cross_check(m, embedder.embed, 0.5)) for m in materials]
    assert skipped == full
    every_claim = {c.text for m in materials for c in story_claims(m)}
    assert any(len(m.sources) == 1 for m in materials), "the examples have one-source stories"
    assert 0 < len(set(asked)) < len(every_claim)
