"""The cross-check stage: for every story whose members changed, check its sources against
each other (facts, contradictions, single-source claims, framing) and store the result.

Per-story work: its cost grows with story size, not corpus size, and a run only redoes the
stories that gained or lost articles since the last one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from storyline.crosscheck.align import FACT_THRESHOLD
from storyline.crosscheck.check import cross_check
from storyline.crosscheck.material import StoryMaterial, story_material
from storyline.crosscheck.serialise import check_sections
from storyline.executors import LocalExecutor
from storyline.store.crosscheck_tables import members_hash
from storyline.store.sqlite import SQLiteStore


@dataclass(slots=True)
class CrossCheckSummary:
    checked: int = 0  # stories (re)checked in this run
    unchanged: int = 0
    contradictions: int = 0  # conflicts (not compatible pairs) in the stories checked
    facts: int = 0


class CrossCheckStage:
    name: ClassVar[str] = "crosscheck.rules.v1"
    requires: ClassVar[frozenset[str]] = frozenset({"stories", "entities"})
    provides: ClassVar[frozenset[str]] = frozenset(
        {"facts", "contradictions", "single_source", "framing"}
    )

    def __init__(
        self, fact_threshold: float = FACT_THRESHOLD, executor: LocalExecutor | None = None
    ) -> None:
        self.fact_threshold = fact_threshold
        self._embedder: object | None = None  # loaded on first use, never at construction
        self.executor = executor  # with workers > 1, stories are checked in worker processes

    def _embed(self, texts: Sequence[str]) -> NDArray[np.float32]:
        from storyline.stories.embeddings import Embedder

        if self._embedder is None:
            self._embedder = Embedder()
        assert isinstance(self._embedder, Embedder)
        return self._embedder.embed(list(texts))

    def run(
        self, store: SQLiteStore, progress: Callable[[int], None] | None = None
    ) -> CrossCheckSummary:
        summary = CrossCheckSummary()
        stories = store.stories.stories()
        done = store.crosschecks.hashes(self.name)
        todo = []
        for story in stories:
            hash_ = members_hash(story.articles)
            if done.get(story.id) == hash_:
                summary.unchanged += 1
            else:
                todo.append((story, hash_))
        materials = (
            (story_material(store, story.id, story.articles), self.fact_threshold)
            for story, _ in todo
        )
        if self.executor is not None and self.executor.workers > 1:
            checked = self.executor.map(check_in_worker, materials)
        else:
            checked = (
                check_sections(cross_check(material, self._embed, threshold))
                for material, threshold in materials
            )
        for (story, hash_), sections in zip(todo, checked, strict=True):
            with store.atomic():
                store.crosschecks.put(story.id, hash_, self.name, sections)
            summary.checked += 1
            summary.facts += len(sections.get("facts", []))
            summary.contradictions += sum(
                not c["compatible"] for c in sections.get("contradictions", [])
            )
            if progress:
                progress(len(story.articles))
        with store.atomic():
            store.crosschecks.drop_except(s.id for s in stories)
        return summary


_WORKER_EMBEDDER: list[object] = []  # one MiniLM session per worker process, loaded on first use


def check_in_worker(job: tuple[StoryMaterial, float]) -> dict[str, Any]:
    """One story's cross-check in a worker process: the material was read by the parent;
    the embedder is loaded once per worker, single-threaded (the workers are the threads)."""
    from storyline.stories.embeddings import Embedder

    if not _WORKER_EMBEDDER:
        _WORKER_EMBEDDER.append(Embedder(threads=1))
    embedder = _WORKER_EMBEDDER[0]
    assert isinstance(embedder, Embedder)
    material, threshold = job
    return check_sections(
        cross_check(material, lambda texts: embedder.embed(list(texts)), threshold)
    )
