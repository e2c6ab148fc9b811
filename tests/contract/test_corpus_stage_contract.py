"""The contract of corpus-level stages (they read the store and write their own tables):
lazy construction, versioned names, order in the pipeline, idempotence, incrementality and
order independence."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from storyline.errors import PipelineError
from storyline.stages import CleanStage, Pipeline
from storyline.stages.crosscheck import CrossCheckStage
from storyline.stages.dedupe import DedupeStage
from storyline.stages.extract import ExtractStage
from storyline.stages.stories import StoriesStage
from storyline.stages.synthesis import SynthesisStage
from storyline.store.story_tables import StoryTables
from storyline.stories.cluster import Story
from storyline.workspace import Workspace

CORPUS_STAGES = [DedupeStage, ExtractStage, StoriesStage, CrossCheckStage, SynthesisStage]
# What "nothing heavy loaded yet" means for each stage.
LAZY = {
    DedupeStage: lambda s: s._hasher is None and s._outlet_rules is None,
    ExtractStage: lambda s: s._recognizer is None,
    StoriesStage: lambda s: True,  # loads nothing: its state lives in the store
    CrossCheckStage: lambda s: s._embedder is None,
    SynthesisStage: lambda s: True,  # loads nothing: it reads the stored cross-checks
}
NAME = re.compile(r"^[a-z]+(\.[a-z0-9_]+)*\.v\d+$")
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


@pytest.mark.parametrize("cls", CORPUS_STAGES)
def test_lazy_versioned_and_ordered(
    cls: type[DedupeStage]
    | type[ExtractStage]
    | type[StoriesStage]
    | type[CrossCheckStage]
    | type[SynthesisStage],
) -> None:
    stage = cls()
    assert LAZY[cls](stage)
    assert NAME.match(stage.name)
    assert isinstance(stage.requires, frozenset) and isinstance(stage.provides, frozenset)
    before: list[object] = [CleanStage()]
    if cls is StoriesStage:
        before = [CleanStage(), ExtractStage()]
    if cls is CrossCheckStage:
        before = [CleanStage(), ExtractStage(), StoriesStage()]
    if cls is SynthesisStage:
        before = [CleanStage(), ExtractStage(), StoriesStage(), CrossCheckStage()]
    Pipeline([*before, stage])
    with pytest.raises(PipelineError, match=stage.name):
        Pipeline([stage, *before])
    if cls is StoriesStage:  # it reads what extraction found
        with pytest.raises(PipelineError, match="entities"):
            Pipeline([CleanStage(), DedupeStage(), stage])


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


def story_groups(ws: Workspace) -> set[frozenset[str]]:
    return {frozenset(s.articles) for s in ws.store.stories.stories()}


def test_stories_grow_incrementally_with_stable_ids_and_a_recorded_history(
    tmp_path: Path,
) -> None:
    """The seeds' story, opened by a first batch, keeps its id when the rest arrive; each
    open, join and merge is recorded; a run with nothing new changes nothing."""
    seeds = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
    files = seeds or example_files()
    with Workspace.open(tmp_path / "w.db") as ws:
        ws.ingest(files[:2])
        ws.run()
        before = {s.id: set(s.articles) for s in ws.store.stories.stories()}
        ws.ingest(files[2:])
        ws.run()
        after = {s.id: set(s.articles) for s in ws.store.stories.stories()}
        for story_id, members in before.items():
            # An old story may absorb another, but never loses its id or its articles.
            survivor = next((k for k, v in after.items() if members <= v), None)
            assert survivor is not None
            assert survivor == story_id or ws.store.stories.events(story_id)[-1].kind == "merge"
        events = ws.store.stories.events()
        assert {e.kind for e in events} <= {"open", "join", "merge"}
        assert sum(e.kind in ("open", "join") for e in events) == ws.store.count_articles()
        again = ws.stories_stage.run(ws.store)
        assert again.processed == 0 and story_groups(ws) == {frozenset(v) for v in after.values()}


def test_stories_of_the_examples_do_not_depend_on_arrival_order(tmp_path: Path) -> None:
    files = example_files()
    found = []
    for name, order in (("forward", files), ("reversed", list(reversed(files)))):
        with Workspace.open(tmp_path / f"{name}.db") as ws:
            ws.ingest(order)
            ws.run()
            found.append(story_groups(ws))
    assert found[0] == found[1]


@pytest.mark.parametrize(("threshold", "merge_threshold"), [(5.0, 0.01), (0.2, None)])
def test_story_tables_stay_consistent_through_chained_merges(
    tmp_path: Path, threshold: float, merge_threshold: float | None
) -> None:
    """Every article opening its own story and a merge bar near zero make the merge pass
    chain (a into b, b into c, in rounds) within one run and across runs; every article must
    still be in exactly one stored story whose size matches."""
    files = [p for p in example_files() if p.name.startswith(("quake", "suez"))]
    with Workspace.open(tmp_path / "w.db") as ws:
        ws.stories_stage = StoriesStage(threshold=threshold, merge_threshold=merge_threshold)
        for part in (files[::2], files[1::2]):
            ws.ingest(part)
            ws.run()
        db = ws.store._db
        orphans = db.execute(
            "SELECT COUNT(*) FROM story_members m LEFT JOIN stories s ON s.id = m.story_id "
            "WHERE s.id IS NULL"
        ).fetchone()[0]
        assert orphans == 0
        sizes = dict(db.execute("SELECT id, size FROM stories").fetchall())
        counts = dict(
            db.execute("SELECT story_id, COUNT(*) FROM story_members GROUP BY story_id").fetchall()
        )
        assert sizes == counts
        assert sum(counts.values()) == ws.store.count_articles()
        if merge_threshold is not None:
            merges = [e for e in ws.store.stories.events() if e.kind == "merge"]
            absorbed = {e.other for e in merges}
            assert len(merges) >= 4 and any(e.story_id in absorbed for e in merges)  # a chain


def test_crosscheck_reruns_only_changed_stories_and_forgets_merged_ones(tmp_path: Path) -> None:
    files = example_files()
    bridge = [f for f in files if f.name.startswith("bridge")]
    with Workspace.open(tmp_path / "w.db") as ws:
        ws.ingest(bridge[:2])
        ws.run()
        first = ws.last_crosscheck
        assert first.checked == len(ws.store.stories.stories())
        before = ws.store.crosschecks.sections()
        assert ws.last_synthesis.written == first.checked  # each checked story summarised
        briefs = ws.store.syntheses.sections()
        ws.run()
        assert (ws.last_crosscheck.checked, ws.last_crosscheck.unchanged) == (0, first.checked)
        assert ws.store.crosschecks.sections() == before  # nothing rewritten, same result
        assert ws.last_synthesis.written == 0 and ws.store.syntheses.sections() == briefs
        ws.ingest(bridge[2:])
        ws.run()
        stories = ws.store.stories.stories()
        assert ws.last_crosscheck.checked >= 1
        # one stored cross-check per living story, none for stories merged away
        assert set(ws.store.crosschecks.sections()) == {s.id for s in stories}
        assert set(ws.store.syntheses.sections()) == {s.id for s in stories}
        big = max(stories, key=lambda s: len(s.articles))
        check = ws.check(big.id)
        assert check["article_ids"] == big.articles
        assert {"Compass Wire", "Ridgeway Herald"} <= set(check["outlets"])


def test_crosscheck_is_deterministic(tmp_path: Path) -> None:
    results = []
    for name in ("a.db", "b.db"):
        with Workspace.open(tmp_path / name) as ws:
            ws.ingest(list(reversed(example_files())))
            ws.run()
            results.append((ws.store.crosschecks.sections(), ws.store.syntheses.sections()))
    assert results[0] == results[1]


def stored_stories(ws: Workspace) -> dict[str, frozenset[str]]:
    return {s.id: frozenset(s.articles) for s in ws.store.stories.stories()}


def test_loading_only_the_stories_within_reach_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The examples span 1999 to 2024: a run placing one event's articles need not read the
    others' stories, and must place, merge and name exactly as a run that reads them all."""
    loaded: list[int] = []
    original = StoryTables.load

    def counting_load(self: StoryTables, *args: Any, **kwargs: Any) -> list[Story]:
        found = original(self, *args, **kwargs)
        loaded.append(len(found))
        return found

    monkeypatch.setattr(StoryTables, "load", counting_load)
    files = sorted(example_files(), key=lambda p: p.name.split("_")[0])
    results, reads = [], []
    for windowed in (True, False):
        loaded.clear()
        with Workspace.open(tmp_path / f"{windowed}.db") as ws:
            ws.stories_stage = StoriesStage(windowed=windowed)
            for start in range(0, len(files), 4):
                ws.ingest(files[start : start + 4])
                ws.run()
            events = [(e.kind, e.story_id, e.other) for e in ws.store.stories.events()]
            results.append((stored_stories(ws), events))
            reads.append(sum(loaded))
    assert results[0] == results[1]
    assert reads[0] < reads[1]


def test_rebuild_keeps_ids_records_splits_and_merges_and_the_later_stages_follow(
    tmp_path: Path,
) -> None:
    """A batch re-clustering of an already grouped workspace changes nothing; one after a
    wrong grouping (every article forced into one story) splits it back into events, keeping
    the id on its largest part and recording each split; the cross-checks follow."""
    files = example_files()
    with Workspace.open(tmp_path / "w.db") as ws:
        ws.ingest(files)
        ws.run()
        good = stored_stories(ws)
        same = ws.rebuild_stories()
        assert stored_stories(ws) == good
        assert (same.splits, same.merges, same.unchanged) == (0, 0, len(good))

        # Lump everything into the largest story, as a bad threshold would have.
        largest = max(good, key=lambda k: len(good[k]))
        db = ws.store._db
        with ws.store.atomic():
            db.execute("UPDATE story_members SET story_id = ?", (largest,))
            db.execute("DELETE FROM stories WHERE id != ?", (largest,))
        rebuilt = ws.rebuild_stories()
        after = stored_stories(ws)
        assert set(after.values()) == set(good.values())  # the events are back
        assert after[largest] == good[largest]  # the lumped story kept its id
        assert rebuilt.splits == len(good) - 1 and rebuilt.merges == 0
        splits = [e for e in ws.store.stories.events(largest) if e.kind == "split"]
        assert {e.other for e in splits} == set(after) - {largest}
        assert set(ws.store.crosschecks.hashes(ws.crosscheck_stage.name)) == set(after)
