"""The extraction stage: entities, times, quantities and quotes per article (incremental),
then entities merged across the whole workspace (cheap, so recomputed each run)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import ClassVar

from storyline.algorithms.quantities import find_quantities
from storyline.algorithms.quotes import find_attributions
from storyline.algorithms.timex import Precision, find_time_mentions
from storyline.extract.entities import EntityRecognizer
from storyline.extract.variants import merge
from storyline.model import Granularity
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
                    published = article.published
                    reference = published.value if published else None
                    precision: Precision = "day"
                    if published is not None and published.granularity is not Granularity.DAY:
                        precision = (
                            "month" if published.granularity is Granularity.MONTH else "year"
                        )
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
        summary.entities = len(store.extract.entities())
        return summary
