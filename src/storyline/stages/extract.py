"""The extraction stage: entities, times, quantities and quotes per article (incremental),
then entities merged across the whole workspace (cheap, so recomputed each run)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import ClassVar

from storyline.algorithms.quantities import Quantity, find_quantities
from storyline.algorithms.quotes import Attribution, find_attributions
from storyline.algorithms.timex import Precision, TimeMention, find_time_mentions
from storyline.executors import Executor, Resources
from storyline.extract.entities import EntityRecognizer, Mention
from storyline.extract.publication_dates import DatingInput, infer_from_neighbours
from storyline.extract.variants import Entity, merge
from storyline.model import Article, Granularity, PublishedDate
from storyline.store.sqlite import SQLiteStore

BATCH_SIZE = 100


@lru_cache(maxsize=1)
def shared_recognizer() -> EntityRecognizer:
    """One recogniser per process: the model and gazetteer are read-only once loaded, and
    loading them (about 6 s) per workspace would dominate small runs and the tests."""
    return EntityRecognizer()


@dataclass(slots=True)
class ExtractSummary:
    processed: int = 0
    entities: int = 0
    dates_inferred: int = 0


class ExtractStage:
    name: ClassVar[str] = "extract.rules_spacy.v1"
    requires: ClassVar[frozenset[str]] = frozenset({"articles"})
    provides: ClassVar[frozenset[str]] = frozenset(
        {"mentions", "entities", "times", "quantities", "quotes"}
    )
    # one worker: 565 MB after two batches alone, 719 MB the largest Ray process of a
    # 10,000-article run (docs/scaling.md); rounded up
    resources: ClassVar[Resources] = Resources(cpus=1, memory_mb=800)

    def __init__(
        self, recognizer: EntityRecognizer | None = None, executor: Executor | None = None
    ) -> None:
        self._recognizer = recognizer
        # Worker processes annotate with the shared recogniser; a custom one stays in process.
        self.executor = executor if recognizer is None else None

    @property
    def recognizer(self) -> EntityRecognizer:
        if self._recognizer is None:
            self._recognizer = shared_recognizer()
        return self._recognizer

    def run(
        self, store: SQLiteStore, progress: Callable[[int], None] | None = None
    ) -> ExtractSummary:
        summary = ExtractSummary()
        pending = store.extract.ids_without_extraction(self.name)
        batches = (
            [(a.id, a.text, a.published) for a in _in_order(store, ids)]
            for ids in (pending[i : i + BATCH_SIZE] for i in range(0, len(pending), BATCH_SIZE))
        )
        if self.executor is not None and self.executor.parallel:
            annotated = self.executor.map(annotate_batch, batches, self.resources)
        else:
            annotated = (annotate_batch(batch, self.recognizer) for batch in batches)
        for batch in annotated:
            with store.atomic():
                for item in batch:
                    store.extract.put_annotations(self.name, *item)
            summary.processed += len(batch)
            if progress:
                progress(len(batch))
        if summary.processed or not store.extract.entities():
            entities = merge(store.extract.all_mentions(), self.recognizer.gazetteer)
            with store.atomic():
                store.extract.replace_entities(entities)
                summary.dates_inferred = _date_from_neighbours(store, entities)
        summary.entities = len(store.extract.entities())
        return summary


Annotations = tuple[
    str, list[Mention], list[TimeMention], dt.date | None, list[Quantity], list[Attribution]
]


def annotate_batch(
    batch: list[tuple[str, str, PublishedDate | None]],
    recognizer: EntityRecognizer | None = None,
) -> list[Annotations]:
    """Everything extraction finds in a batch of (id, text, publication date): pure, so it
    can run in a worker process (which uses its own shared recogniser)."""
    recognizer = recognizer or shared_recognizer()
    mentions = recognizer.mentions_many([(article_id, text) for article_id, text, _ in batch])
    found = []
    for article_id, text, published in batch:
        reference, precision = _reference(published)
        found.append(
            (
                article_id,
                mentions[article_id],
                find_time_mentions(text, reference, precision),
                reference if precision == "day" else None,
                find_quantities(text),
                find_attributions(text),
            )
        )
    return found


def _in_order(store: SQLiteStore, ids: list[str]) -> list[Article]:
    articles = store.articles_by_ids(ids)
    return [articles[i] for i in ids]


def _reference(published: PublishedDate | None) -> tuple[dt.date | None, Precision]:
    """The date time expressions resolve against, and how precise it is."""
    if published is None:
        return None, "day"
    if published.granularity is Granularity.DAY:
        return published.value, "day"
    return published.value, "month" if published.granularity is Granularity.MONTH else "year"


def _date_from_neighbours(store: SQLiteStore, entities: list[Entity]) -> int:
    """Lend day-dated articles' days to related articles that lack one, then re-resolve the
    time expressions of every article whose borrowed day changed."""
    by_article: dict[str, set[str]] = defaultdict(set)
    for entity in entities:
        for mention in entity.mentions:
            by_article[mention.article_id].add(entity.id)
    named = store.extract.named_days()
    inputs = [
        DatingInput(
            article_id,
            published,
            text,
            frozenset(by_article.get(article_id, ())),
            frozenset(named.get(article_id, set())),
        )
        for article_id, published, text in store.extract.dating_inputs()
    ]
    before = store.extract.date_inferences()
    after = infer_from_neighbours(inputs)
    store.extract.replace_date_inferences(after)
    changed = [a for a in before.keys() | after.keys() if before.get(a) != after.get(a)]
    for article_id, article in store.articles_by_ids(changed).items():
        reference, precision = _reference(article.published)
        times = find_time_mentions(article.text, reference, precision)
        store.extract.replace_times(article_id, times, reference if precision == "day" else None)
    return len(after)
