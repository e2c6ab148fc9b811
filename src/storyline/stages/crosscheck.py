"""The cross-check stage: for every story whose members changed, check its sources against
each other (facts, contradictions, single-source claims, framing) and store the result.

Per-story work: its cost grows with story size, not corpus size, and a run only redoes the
stories that gained or lost articles since the last one.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from storyline.crosscheck.align import FACT_THRESHOLD, needs_vector
from storyline.crosscheck.check import cross_check, story_claims
from storyline.crosscheck.material import StoryMaterial, story_material
from storyline.crosscheck.serialise import check_sections
from storyline.executors import Executor, Resources
from storyline.store.crosscheck_tables import members_hash
from storyline.store.sqlite import SQLiteStore
from storyline.stories.embeddings import DIMENSION, Embedder

STORIES_PER_GROUP = 64  # stories whose claims are embedded in one call
VECTOR_CACHE_SIZE = 50_000  # claim vectors kept per process (~77 MB)


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
    # one worker: 429 MB for one group of stories, plus up to ~80 MB of cached claim
    # vectors (docs/scaling.md); rounded up
    resources: ClassVar[Resources] = Resources(cpus=1, memory_mb=600)

    def __init__(
        self, fact_threshold: float = FACT_THRESHOLD, executor: Executor | None = None
    ) -> None:
        self.fact_threshold = fact_threshold
        self._embedder: Embedder | None = None
        self.executor = executor  # with workers > 1, stories are checked in worker processes

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = Embedder()  # its model loads on first use, not here
        return self._embedder

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
        groups = (todo[i : i + STORIES_PER_GROUP] for i in range(0, len(todo), STORIES_PER_GROUP))
        jobs = (
            ([story_material(store, story.id, story.articles) for story, _ in group],
             self.fact_threshold)
            for group in groups
        )  # fmt: skip
        if self.executor is not None and self.executor.parallel:
            checked_groups = self.executor.map(check_in_worker, jobs, self.resources)
        else:
            checked_groups = (check_group(job, self.embedder) for job in jobs)
        checked = (sections for group in checked_groups for sections in group)
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


class VectorCache:
    """Claim vectors this process has computed, most recent kept. A sentence's MiniLM vector
    does not depend on its batch mates (checked: bit-identical alone and in a batch), so
    reusing one changes nothing; it saves re-embedding wire copies carried by many outlets
    and the old claims of a story re-checked because it grew."""

    def __init__(self, capacity: int = VECTOR_CACHE_SIZE) -> None:
        self.capacity = capacity
        self._vectors: OrderedDict[str, NDArray[np.float32]] = OrderedDict()

    def lookup(
        self, texts: list[str], embed: Callable[[Sequence[str]], NDArray[np.float32]]
    ) -> dict[str, NDArray[np.float32]]:
        missing = [text for text in texts if text not in self._vectors]
        if missing:
            for text, vector in zip(missing, embed(missing), strict=True):
                self._vectors[text] = vector
        found = {}
        for text in texts:
            self._vectors.move_to_end(text)
            found[text] = self._vectors[text]
        while len(self._vectors) > self.capacity:
            self._vectors.popitem(last=False)
        return found


_VECTORS = VectorCache()  # one per process (each worker has its own)


def check_group(job: tuple[list[StoryMaterial], float], embedder: Embedder) -> list[dict[str, Any]]:
    """Several stories' cross-checks with one embedding call for all their claims: MiniLM
    runs ~1.8x faster on full, length-sorted batches than story by story (most stories
    have a handful of claims). The grouping is fixed by the story order, never by the
    executor, so every executor computes the same vectors. Claims whose vector cannot change
    the facts (align.needs_vector) are not embedded; they get a zero vector, which keeps
    them apart exactly as their own would."""
    materials, threshold = job
    claims = [story_claims(material) for material in materials]
    wanted: list[str] = []
    for story in claims:
        needed = needs_vector(story, embedder.token_ids, threshold)
        wanted += [c.text for c, keep in zip(story, needed, strict=True) if keep]
    table = _VECTORS.lookup(list(dict.fromkeys(wanted)), embedder.embed)
    absent = np.zeros(DIMENSION, dtype=np.float32)

    def lookup(texts: Sequence[str]) -> NDArray[np.float32]:
        return np.stack([table.get(text, absent) for text in texts]).astype(np.float32)

    return [
        check_sections(cross_check(material, lookup, threshold, story))
        for material, story in zip(materials, claims, strict=True)
    ]


_WORKER_EMBEDDER: list[Embedder] = []  # one MiniLM session per worker process, loaded on first use


def check_in_worker(job: tuple[list[StoryMaterial], float]) -> list[dict[str, Any]]:
    """A group of stories checked in a worker process: the material was read by the parent;
    the embedder is loaded once per worker, single-threaded (the workers are the threads)."""
    if not _WORKER_EMBEDDER:
        _WORKER_EMBEDDER.append(Embedder(threads=1))
    return check_group(job, _WORKER_EMBEDDER[0])
