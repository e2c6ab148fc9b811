"""The contract of corpus-level stages (they read the store and write their own tables):
lazy construction, versioned names, order in the pipeline, idempotence, incrementality and
order independence."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from storyline.errors import PipelineError
from storyline.stages import CleanStage, Pipeline
from storyline.stages.dedupe import DedupeStage
from storyline.stages.extract import ExtractStage
from storyline.workspace import Workspace

CORPUS_STAGES = [DedupeStage, ExtractStage]
# What "nothing heavy loaded yet" means for each stage.
LAZY = {
    DedupeStage: lambda s: s._hasher is None and s._outlet_rules is None,
    ExtractStage: lambda s: s._recognizer is None,
}
NAME = re.compile(r"^[a-z]+(\.[a-z0-9_]+)*\.v\d+$")
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.parametrize("cls", CORPUS_STAGES)
def test_lazy_versioned_and_ordered(cls: type[DedupeStage] | type[ExtractStage]) -> None:
    stage = cls()
    assert LAZY[cls](stage)
    assert NAME.match(stage.name)
    assert isinstance(stage.requires, frozenset) and isinstance(stage.provides, frozenset)
    Pipeline([CleanStage(), stage])
    with pytest.raises(PipelineError, match=stage.name):
        Pipeline([stage, CleanStage()])


def links_of(ws: Workspace) -> set[tuple[str, str, str, float]]:
    return {(lk.a, lk.b, lk.kind, lk.similarity) for lk in ws.store.dedupe.links()}


def entities_of(ws: Workspace) -> set[tuple[str, str, int]]:
    return {(e.name, e.type, len(e.mentions)) for e in ws.store.extract.entities()}


def example_files() -> list[Path]:
    return sorted(p for p in EXAMPLES.iterdir() if p.suffix in (".txt", ".html", ".jsonl"))


def test_empty_store_gives_nothing(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "w.db") as ws:
        summary = ws.dedupe_stage.run(ws.store)
        assert (summary.hashed, summary.links) == (0, 0)


def test_idempotent_incremental_and_order_independent(tmp_path: Path) -> None:
    files = example_files()
    with Workspace.open(tmp_path / "all.db") as ws:
        ws.ingest(files)
        ws.run()
        everything = links_of(ws)
        parts = ws.store.dedupe.parts()
        entities = entities_of(ws)
        again = ws.dedupe_stage.run(ws.store)
        assert again.hashed == 0
        assert links_of(ws) == everything
    assert everything, "the example corpus has planted duplicates"

    with Workspace.open(tmp_path / "incremental.db") as ws:
        half = len(files) // 2
        ws.ingest(files[half:])
        ws.run()
        ws.ingest(files[:half])
        ws.run()
        assert links_of(ws) == everything
        assert ws.store.dedupe.parts() == parts
        assert entities_of(ws) == entities

    with Workspace.open(tmp_path / "reversed.db") as ws:
        ws.ingest(list(reversed(files)))
        ws.run()
        assert links_of(ws) == everything


def test_borrowed_day_arrives_with_its_neighbours_and_never_overwrites_the_own_date(
    tmp_path: Path,
) -> None:
    """quake_01 is dated only "2023-02": alone it keeps that; once the story's day-dated
    articles arrive, an incremental run lends it a day, re-resolves its weekdays, and leaves
    the stored own date as it was."""
    month_only = EXAMPLES / "quake_01_orbis_dispatch.txt"
    with Workspace.open(tmp_path / "w.db") as ws:
        ws.ingest([month_only])
        ws.run()
        (alone,) = ws.articles()
        assert alone.published is not None and alone.published.iso() == "2023-02"
        monday = [
            t for t in ws.store.extract.annotations(alone.id)["times"] if "Monday" in t["text"]
        ]
        assert monday and monday[0]["value_start"] is None  # no day to resolve against

        ws.ingest(example_files())
        ws.run()
        article = ws.article(alone.id)
        assert article.published is not None
        assert (article.published.iso(), article.published.inferred) == ("2023-02-07", True)
        monday = [
            t for t in ws.store.extract.annotations(alone.id)["times"] if "Monday" in t["text"]
        ]
        assert monday[0]["value_start"] == "2023-02-06"
        own = ws.store.extract.dating_inputs()
        assert [p.iso() for a, p, _ in own if a == alone.id and p] == ["2023-02"]
