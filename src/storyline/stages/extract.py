"""The extraction stage: entities, times, quantities and quotes per article (incremental),
then entities merged across the whole workspace (cheap, so recomputed each run)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import ClassVar

from storyline.algorithms.quantities import find_quantities
from storyline.algorithms.quotes import find_attributions
from storyline.algorithms.timex import Precision, find_time_mentions
from storyline.extract.entities import EntityRecognizer
from storyline.extract.publication_dates import DatingInput, infer_from_neighbours
from storyline.extract.variants import Entity, merge
from storyline.model import Granularity, PublishedDate
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

    def __init__(self, recognizer: EntityRecognizer | None = None) -> None:
        self._recognizer = recognizer

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
        for start in range(0, len(pending), BATCH_SIZE):
            ids = pending[start : start + BATCH_SIZE]
            articles = store.articles_by_ids(ids)
            mentions = self.recognizer.mentions_many([(i, articles[i].text) for i in ids])
            with store.atomic():
                for article_id in ids:
                    article = articles[article_id]
                    reference, precision = _reference(article.published)
                    store.extract.put_annotations(
                        self.name,
                        article.id,
                        mentions[article_id],
                        find_time_mentions(article.text, reference, precision),
                        reference if precision == "day" else None,
                        find_quantities(article.text),
                        find_attributions(article.text),
                    )
            summary.processed += len(ids)
            if progress:
                progress(len(ids))
        if summary.processed or not store.extract.entities():
            entities = merge(store.extract.all_mentions(), self.recognizer.gazetteer)
            with store.atomic():
                store.extract.replace_entities(entities)
                summary.dates_inferred = _date_from_neighbours(store, entities)
        summary.entities = len(store.extract.entities())
        return summary


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
