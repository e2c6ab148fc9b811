"""The stories stage places articles chunk by chunk: bounded memory, resumable after a kill."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.stages.stories import StoriesStage
from storyline.store.sqlite import SQLiteStore
from storyline.workspace import Workspace

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


@pytest.fixture()
def prepared(tmp_path: Path) -> Path:
    """The examples ingested, deduplicated and extracted, not yet placed in stories."""
    path = tmp_path / "w.db"
    with Workspace.open(path) as ws:
        ws.ingest([EXAMPLES])
        ws.dedupe_stage.run(ws.store)
        ws.extract_stage.run(ws.store)
    return path


def test_a_run_killed_after_its_first_chunk_keeps_it_and_resumes(
    prepared: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stage = StoriesStage(chunk_size=5)
    place = stage._place_chunk
    calls = []

    def place_then_die(*args: object, **kwargs: object) -> None:
        if calls:
            raise KeyboardInterrupt  # the second chunk never commits
        calls.append(1)
        place(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(stage, "_place_chunk", place_then_die)
    store = SQLiteStore(prepared)
    try:
        total = store.count_articles()
        with pytest.raises(KeyboardInterrupt):
            stage.run(store)
        assert len(store.stories.unassigned()) == total - 5  # the first chunk is stored
        summary = StoriesStage(chunk_size=5).run(store)
        assert summary.processed == total - 5 and not store.stories.unassigned()
    finally:
        store.close()


def test_chunk_size_must_be_positive() -> None:
    with pytest.raises(ValueError, match="chunk_size"):
        StoriesStage(chunk_size=0)
