"""The stories stage: articles not yet in a story join one or open one (incremental).

Reads what extraction found (entity names join the word features) and the publication days
(inferred ones included), then hands the arrivals to the clusterer with the stories already
stored, so a run costs in proportion to the new articles, not the whole workspace.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import ClassVar

from storyline.extract.publication_dates import BORROWED, WITHIN
from storyline.model import Article, Granularity
from storyline.store.sqlite import SQLiteStore
from storyline.stories.cluster import (
    MARGIN,
    TAU_DAYS,
    THRESHOLD,
    Arrival,
    Story,
    StoryClusterer,
    resume,
)
from storyline.stories.features import StoryText, document_frequencies, terms, weigh
from storyline.stories.label import story_label
from storyline.stories.reconcile import reconcile

# Articles placed per transaction. Placing a stream chunk by chunk gave the same quality as one
# batch (NeuS B3 F1 0.710 in chunks of 1,000 vs 0.705 at once; docs/benchmarks.md); the chunk
# bounds memory and what a crash can lose.
CHUNK_SIZE = 2_000


@dataclass(slots=True)
class StoriesSummary:
    processed: int = 0
    opened: int = 0
    joined: int = 0
    merged: int = 0
    stories: int = 0


@dataclass(frozen=True, slots=True)
class RebuildSummary:
    articles: int
    stories: int
    unchanged: int  # stories that kept exactly their members (and id)
    splits: int
    merges: int
    placed: int  # articles that had no story before


class StoriesStage:
    name: ClassVar[str] = "stories.tfidf.v2"  # v2: borrowed publication days not used
    requires: ClassVar[frozenset[str]] = frozenset({"articles", "entities"})
    provides: ClassVar[frozenset[str]] = frozenset({"stories"})

    def __init__(
        self,
        threshold: float = THRESHOLD,
        margin: float = MARGIN,
        merge_threshold: float | None = None,
        windowed: bool = True,
        chunk_size: int = CHUNK_SIZE,
    ) -> None:
        self.threshold = threshold
        self.margin = margin
        self.merge_threshold = merge_threshold
        self.windowed = windowed  # False: every run loads every stored story (for comparison)
        if chunk_size < 1:
            raise ValueError("chunk_size must be at least 1")
        self.chunk_size = chunk_size

    def run(
        self, store: SQLiteStore, progress: Callable[[int], None] | None = None
    ) -> StoriesSummary:
        summary = StoriesSummary()
        for chunk in self._chunks(store, store.stories.unassigned()):
            self._place_chunk(store, chunk, summary, progress)
        summary.stories = store.stories.count()
        return summary

    def _chunks(self, store: SQLiteStore, pending: list[str]) -> Iterator[list[str]]:
        """Unplaced articles in publication order, `chunk_size` at a time. Each chunk is one
        transaction: memory stays bounded by the chunk, and a killed run resumes from the
        first chunk it had not committed (the rest are still unassigned)."""
        days: dict[str, dt.date | None] = {}
        for start in range(0, len(pending), self.chunk_size):
            ids = pending[start : start + self.chunk_size]
            days.update((a, _day(article)) for a, article in store.articles_by_ids(ids).items())
        ordered = sorted(pending, key=lambda a: (days[a] or dt.date.min, a))
        for start in range(0, len(ordered), self.chunk_size):
            yield ordered[start : start + self.chunk_size]

    def _place_chunk(
        self,
        store: SQLiteStore,
        pending: list[str],
        summary: StoriesSummary,
        progress: Callable[[int], None] | None,
    ) -> None:
        articles = store.articles_by_ids(pending)
        names = store.extract.entity_names_by_article(pending)
        ordered = sorted(pending, key=lambda a: (_day(articles[a]) or dt.date.min, a))
        counts = {
            a: terms(StoryText(a, articles[a].text, articles[a].title, frozenset(names.get(a, ()))))
            for a in ordered
        }
        with store.atomic():
            store.stories.add_document_frequencies(Counter(t for a in ordered for t in counts[a]))
            df, seen = store.stories.document_frequencies({t for c in counts.values() for t in c})
            n_docs = seen + len(ordered)
            arrivals = [
                Arrival(a, weigh(counts[a], df, n_docs), _day(articles[a])) for a in ordered
            ]
            days = [arrival.day for arrival in arrivals]
            window = self._window([d for d in days if d is not None], len(days))
            clusterer = resume(
                store.stories.load(*window),
                threshold=self.threshold,
                margin=self.margin,
                merge_threshold=self.merge_threshold,
            )
            placements = clusterer.add(arrivals)
            touched = {p.story_id for p in placements}
            merges = self._merge(store, clusterer, touched, windowed=window[0] is not None)
            absorbed_into = dict((absorbed, survivor) for survivor, absorbed in merges)
            final = _follower(absorbed_into)
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
            summary.merged += len(merges)
        summary.processed += len(placements)
        opened = sum(p.similarity is None for p in placements)
        summary.opened += opened
        summary.joined += len(placements) - opened
        if progress:
            progress(len(placements))

    def rebuild(self, store: SQLiteStore) -> RebuildSummary:
        """Batch re-optimisation: place every article afresh, in publication order, with
        document frequencies of the whole workspace (the incremental run weighs early
        articles with the IDF of a smaller corpus), then merge. Story ids survive through
        `reconcile`; the splits and merges it finds join the story history. One transaction
        from the first read to the last write, so no run can slip in between."""
        with store.atomic():
            return self._rebuild(store)

    def _rebuild(self, store: SQLiteStore) -> RebuildSummary:
        previous = store.stories.memberships()
        articles = {a.id: a for a in store.iter_articles()}
        names = store.extract.entity_names_by_article(list(articles))
        ordered = sorted(articles, key=lambda a: (_day(articles[a]) or dt.date.min, a))
        counts = {
            a: terms(StoryText(a, articles[a].text, articles[a].title, frozenset(names.get(a, ()))))
            for a in ordered
        }
        df = document_frequencies(counts.values())
        clusterer = StoryClusterer(
            threshold=self.threshold, margin=self.margin, merge_threshold=self.merge_threshold
        )
        placements = clusterer.add(
            [Arrival(a, weigh(counts[a], df, len(ordered)), _day(articles[a])) for a in ordered]
        )
        final = _follower(
            dict(
                (absorbed, survivor)
                for survivor, absorbed in clusterer.merge_similar({p.story_id for p in placements})
            )
        )
        groups: dict[str, list[str]] = {}
        for placement in placements:
            groups.setdefault(final(placement.story_id), []).append(placement.article_id)
        keys = sorted(groups, key=lambda k: groups[k][0])
        outcome = reconcile([groups[k] for k in keys], previous)
        new_id = dict(zip(keys, outcome.ids, strict=True))
        stories = {new_id[k]: replace(clusterer.stories[k], id=new_id[k]) for k in keys}
        members = {new_id[k]: groups[k] for k in keys}
        similarity = {p.article_id: p.similarity for p in placements}
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        with store.atomic():
            store.stories.replace_all(
                stories.values(),
                self._labels(store, stories, members),
                [(a, story_id, similarity[a]) for story_id, ids in members.items() for a in ids],
            )
            store.stories.replace_document_frequencies(df)
            store.stories.record_placements(
                [
                    (a, story_id, None if a == story_id else similarity[a] or 0.0)
                    for story_id, ids in members.items()
                    for a in ids
                    if a not in previous
                ],
                now,
            )
            for survivor, absorbed in outcome.merges:
                store.stories.record_merge(survivor, absorbed, now)
            for kept, part in outcome.splits:
                store.stories.split(kept, part, now)
        return RebuildSummary(
            articles=len(ordered),
            stories=len(stories),
            unchanged=outcome.unchanged,
            splits=len(outcome.splits),
            merges=len(outcome.merges),
            placed=sum(a not in previous for a in ordered),
        )

    def reach_days(self) -> int:
        """Days beyond which no stored story can matter to an arrival: a story's score is its
        mean cosine (at most 1) times exp(-gap / tau), so past tau * ln(margin / threshold)
        it can neither be joined nor beat threshold / margin as the runner-up, and past
        tau * ln(1 / merge threshold) it cannot merge. Loading only the stories within reach
        gives the same result as loading all of them, at a cost bounded by the stories
        active around the batch's days instead of the whole workspace."""
        join = TAU_DAYS * math.log(max(self.margin, 1.0) / self.threshold)
        merge_bar = self.threshold if self.merge_threshold is None else self.merge_threshold
        merge = TAU_DAYS * math.log(1.0 / merge_bar) if merge_bar > 0 else math.inf
        reach = max(join, merge)
        return math.ceil(reach) + 1 if math.isfinite(reach) else -1

    def _window(
        self, days: list[dt.date], n_arrivals: int
    ) -> tuple[list[tuple[dt.date, dt.date]] | None, int]:
        """The days (as spans) and reach to load stored stories for; (None, 0) loads all
        (an undated arrival can join a story of any day)."""
        reach = self.reach_days()
        if not self.windowed or reach < 0 or not days or len(days) < n_arrivals:
            return None, 0
        return [(d, d) for d in sorted(set(days))], reach

    def _merge(
        self, store: SQLiteStore, clusterer: StoryClusterer, touched: set[str], windowed: bool
    ) -> list[tuple[str, str]]:
        """The merge pass; when only nearby stories were loaded, stories that grew (and then
        survivors of merges) may reach stored ones the arrivals did not: load those first."""
        merges: list[tuple[str, str]] = []
        active = set(touched)
        seen = set(clusterer.stories)  # absorbed stories leave the clusterer, not the store
        while active:
            if windowed and not self._load_near(store, clusterer, active, seen) and merges:
                break  # survivors reach nothing new: the last pass already saw everything
            found = clusterer.merge_similar(active)
            merges.extend(found)
            if not windowed:
                break
            active = {survivor for survivor, _ in found if survivor in clusterer.stories}
        return merges

    def _load_near(
        self, store: SQLiteStore, clusterer: StoryClusterer, ids: set[str], seen: set[str]
    ) -> int:
        """Load the stored stories within reach of these stories' spans; how many were new."""
        spans = [
            (story.first, story.last)
            for story_id in sorted(ids)
            if (story := clusterer.stories.get(story_id)) is not None
            and story.first is not None
            and story.last is not None
        ]
        if not spans:
            return 0
        found = store.stories.load(spans, self.reach_days(), skip=seen)
        for story in found:
            clusterer.stories[story.id] = story
            seen.add(story.id)
        return len(found)

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


def _follower(absorbed_into: dict[str, str]) -> Callable[[str], str]:
    """The story an id ends up in after a run's merges (they may chain)."""

    def final(story_id: str) -> str:
        while story_id in absorbed_into:
            story_id = absorbed_into[story_id]
        return story_id

    return final


def _day(article: Article) -> dt.date | None:
    """The publication day, as far as the article itself bounds it: given, read from its
    own page or text, or borrowed from related articles within a month or year it carries.
    A day borrowed by an article with no date of its own is left out: it was chosen by
    entity overlap alone (which clustering already weighs), and a wrong loan puts the
    article weeks away from its story. On NeuS 6,439 of 8,229 articles borrow so; leaving
    those out lifts the stage's BCubed F1 from 0.642 to 0.696 (docs/stories.md)."""
    published = article.published
    if published is None or published.granularity is not Granularity.DAY:
        return None
    borrowed = published.inferred and published.evidence.startswith(BORROWED)
    if borrowed and WITHIN not in published.evidence:
        return None
    return published.value
