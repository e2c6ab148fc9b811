"""The stories stage: articles not yet in a story join one or open one (incremental).

Reads what extraction found (entity names join the word features) and the publication days
(inferred ones included), then hands the arrivals to the clusterer with the stories already
stored, so a run costs in proportion to the new articles, not the whole workspace.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from storyline.model import Article, Granularity
from storyline.store.sqlite import SQLiteStore
from storyline.stories.cluster import MARGIN, THRESHOLD, Arrival, Story, resume
from storyline.stories.features import StoryText, terms, weigh
from storyline.stories.label import story_label


@dataclass(slots=True)
class StoriesSummary:
    processed: int = 0
    opened: int = 0
    joined: int = 0
    merged: int = 0
    stories: int = 0


class StoriesStage:
    name: ClassVar[str] = "stories.tfidf.v1"
    requires: ClassVar[frozenset[str]] = frozenset({"articles", "entities"})
    provides: ClassVar[frozenset[str]] = frozenset({"stories"})

    def __init__(
        self,
        threshold: float = THRESHOLD,
        margin: float = MARGIN,
        merge_threshold: float | None = None,
    ) -> None:
        self.threshold = threshold
        self.margin = margin
        self.merge_threshold = merge_threshold

    def run(
        self, store: SQLiteStore, progress: Callable[[int], None] | None = None
    ) -> StoriesSummary:
        summary = StoriesSummary()
        pending = store.stories.unassigned()
        if pending:
            articles = store.articles_by_ids(pending)
            names = store.extract.entity_names_by_article(pending)
            ordered = sorted(pending, key=lambda a: (_day(articles[a]) or dt.date.min, a))
            counts = {
                a: terms(
                    StoryText(a, articles[a].text, articles[a].title, frozenset(names.get(a, ())))
                )
                for a in ordered
            }
            with store.atomic():
                for a in ordered:
                    store.stories.add_document_frequencies(counts[a])
                df, seen = store.stories.document_frequencies()
                n_docs = seen + len(ordered)
                arrivals = [
                    Arrival(a, weigh(counts[a], df, n_docs), _day(articles[a])) for a in ordered
                ]
                clusterer = resume(
                    store.stories.load(),
                    threshold=self.threshold,
                    margin=self.margin,
                    merge_threshold=self.merge_threshold,
                )
                placements = clusterer.add(arrivals)
                touched = {p.story_id for p in placements}
                merges = clusterer.merge_similar(touched)
                absorbed_into = dict((absorbed, survivor) for survivor, absorbed in merges)

                def final(story_id: str) -> str:
                    """The story an id ends up in after this run's merges (they may chain)."""
                    while story_id in absorbed_into:
                        story_id = absorbed_into[story_id]
                    return story_id

                involved = touched | set(absorbed_into) | set(absorbed_into.values())
                alive = {final(s) for s in involved}
                members: dict[str, list[str]] = {s: [] for s in alive}
                for story_id, ids in store.stories.members_of(sorted(involved)).items():
                    members[final(story_id)].extend(ids)
                for placement in placements:
                    members[final(placement.story_id)].append(placement.article_id)
                labels = self._labels(store, clusterer.stories, members)
                now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
                store.stories.save([clusterer.stories[s] for s in sorted(alive)], labels)
                store.stories.add_members(
                    [(p.article_id, final(p.story_id), p.similarity) for p in placements], now
                )
                for survivor, absorbed in merges:
                    # History names the direct survivor; members move to the final one.
                    store.stories.merge(survivor, absorbed, final(absorbed), now)
                summary.merged = len(merges)
            summary.processed = len(placements)
            summary.opened = sum(p.similarity is None for p in placements)
            summary.joined = summary.processed - summary.opened
            if progress:
                progress(len(placements))
        summary.stories = len(store.stories.stories())
        return summary

    @staticmethod
    def _labels(
        store: SQLiteStore, stories: dict[str, Story], members: dict[str, list[str]]
    ) -> dict[str, str]:
        everyone = [a for ids in members.values() for a in ids]
        names = store.extract.entity_names_by_article(everyone)
        return {
            story_id: story_label(
                stories[story_id].centroid,
                Counter(n for a in ids for n in names.get(a, ())),
            )
            for story_id, ids in members.items()
        }


def _day(article: Article) -> dt.date | None:
    """The publication day (given or inferred); a month or a year is not a day."""
    published = article.published
    if published is None or published.granularity is not Granularity.DAY:
        return None
    return published.value
