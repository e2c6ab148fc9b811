"""The Workspace facade: the one entry the CLI, the web app and Python users call."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, BinaryIO, Self, TypeVar
from urllib.parse import urlsplit

from storyline.crosscheck.serialise import EMPTY_SECTIONS
from storyline.errors import AmbiguousIdError, NotFoundError, SourceError
from storyline.executors import make_executor
from storyline.independence import Unit, independent_units
from storyline.ingest import IngestLimits, read_inputs
from storyline.ingest.sources import expand_inputs
from storyline.model import Article, Problem, RawDocument
from storyline.report import Report
from storyline.report.duplicates import duplicate_entries
from storyline.stages import CleanStage, Pipeline
from storyline.stages.crosscheck import CrossCheckStage, CrossCheckSummary
from storyline.stages.dedupe import DedupeStage, DedupeSummary
from storyline.stages.extract import ExtractStage, ExtractSummary
from storyline.stages.stories import RebuildSummary, StoriesStage, StoriesSummary
from storyline.stages.synthesis import SynthesisStage, SynthesisSummary
from storyline.store import SQLiteStore
from storyline.store.base import SearchHit
from storyline.store.extract_tables import StoredEntity
from storyline.store.source_tables import Feed

if TYPE_CHECKING:
    from storyline.sources.collect import Collector, FeedResult, PageResult
    from storyline.sources.fetch import FetchPolicy

BATCH_SIZE = 200  # articles per transaction: big enough to be fast, small enough to lose little

ProgressCallback = Callable[[int], None]
Placed = TypeVar("Placed")
Item = TypeVar("Item")
Done = TypeVar("Done")


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkspaceConfig:
    """Everything a run can be configured with; the defaults suit a laptop."""

    limits: IngestLimits = field(default_factory=IngestLimits)
    rules_path: Path | None = None
    outlets_path: Path | None = None
    detect_languages: bool = True
    batch_size: int = BATCH_SIZE  # articles per ingest transaction (what a crash can lose)
    workers: int = 1  # processes for extraction and cross-checks (1: all in this process)
    executor: str = "local"  # "local" (process pool) or "ray" (docs/scaling.md)
    ray_address: str | None = None  # a Ray cluster to join; None starts a local one


@dataclass(slots=True)
class IngestSummary:
    read: int = 0  # documents read from the inputs
    added: int = 0  # new articles stored
    unchanged: int = 0  # articles already in the workspace (same content id)
    problems: list[Problem] = field(default_factory=list)
    article_ids: list[str] = field(default_factory=list)


class Workspace:
    """A folder-free, single-file workspace: `Workspace.open("news.db")`."""

    def __init__(self, store: SQLiteStore, config: WorkspaceConfig | None = None) -> None:
        self.store = store
        self.config = config or WorkspaceConfig()
        self.clean_stage = CleanStage(
            self.config.rules_path, self.config.outlets_path, self.config.detect_languages
        )
        self.dedupe_stage = DedupeStage()
        self.executor = make_executor(
            self.config.executor, self.config.workers, self.config.ray_address
        )
        self.extract_stage = ExtractStage(executor=self.executor)
        self.stories_stage = StoriesStage()
        self.crosscheck_stage = CrossCheckStage(executor=self.executor)
        self.synthesis_stage = SynthesisStage()
        self.pipeline = Pipeline(
            [
                self.clean_stage,
                self.dedupe_stage,
                self.extract_stage,
                self.stories_stage,
                self.crosscheck_stage,
                self.synthesis_stage,
            ]
        )
        self.last_dedupe = DedupeSummary()
        self.last_extract = ExtractSummary()
        self.last_stories = StoriesSummary()
        self.last_crosscheck = CrossCheckSummary()
        self.last_synthesis = SynthesisSummary()

    @classmethod
    def open(cls, path: str | Path, config: WorkspaceConfig | None = None) -> Self:
        return cls(SQLiteStore(path), config)

    def close(self) -> None:
        self.executor.close()
        self.store.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- writing ----------------------------------------------------------------------

    def count_inputs(self, inputs: Iterable[str | Path]) -> int | None:
        """How many documents the inputs hold (JSONL/CSV by lines), for progress bars."""
        files, _ = expand_inputs(inputs)
        total = 0
        for entry in files:
            if entry.path is None:
                return None
            if entry.kind in ("jsonl", "csv"):
                try:
                    with entry.path.open("rb") as handle:
                        total += sum(1 for line in handle if line.strip())
                except OSError:
                    continue
                if entry.kind == "csv":
                    total -= 1
            else:
                total += 1
        return max(total, 0)

    def ingest(
        self,
        inputs: Iterable[str | Path],
        *,
        progress: ProgressCallback | None = None,
        stdin: BinaryIO | None = None,
    ) -> IngestSummary:
        """Read, clean and store every input; bad items become Problems, the rest goes on.

        Articles are committed in batches, so an interruption keeps every finished batch
        and a re-run skips what is already stored (ids are content hashes).
        """
        summary = IngestSummary()
        batch: list[Article | Problem] = []
        for item in read_inputs(inputs, self.config.limits, stdin):
            if isinstance(item, Problem):
                batch.append(item)
            else:
                summary.read += 1
                batch.extend(self._clean(item))
            if progress:
                progress(1)
            if len(batch) >= self.config.batch_size:
                self._commit(batch, summary)
                batch = []
        self._commit(batch, summary)
        return summary

    def _clean(self, raw: RawDocument) -> Iterator[Article | Problem]:
        article, problems = self.clean_stage.process(raw)
        yield from problems
        if article is not None:
            yield article

    def _commit(self, batch: list[Article | Problem], summary: IngestSummary) -> None:
        if not batch:
            return
        with self.store.atomic():
            for item in batch:
                if isinstance(item, Problem):
                    self.store.put_problem(item)
                    summary.problems.append(item)
                elif self.store.put_article(item):
                    summary.added += 1
                    summary.article_ids.append(item.id)
                else:
                    summary.unchanged += 1
                    summary.article_ids.append(item.id)

    def ingest_document(self, raw: RawDocument) -> tuple[str | None, bool, list[Problem]]:
        """Clean and store one document at once (a fetched page): its article id (None when
        cleaning gave no article), whether it was new, and the problems (also stored)."""
        summary = IngestSummary(read=1)
        self._commit(list(self._clean(raw)), summary)
        article_id = summary.article_ids[0] if summary.article_ids else None
        return article_id, summary.added > 0, summary.problems

    # -- web sources (pages, feeds) ----------------------------------------------------

    def _collect(
        self,
        items: Iterable[Item],
        work: Callable[[Collector, Item], Done],
        policy: FetchPolicy | None,
        progress: ProgressCallback | None,
    ) -> list[Done]:
        """`work` on each item with one fetcher (one robots.txt cache, one connection pool)."""
        from storyline.sources.collect import Collector
        from storyline.sources.fetch import Fetcher, FetchPolicy

        results = []
        with Fetcher(policy or FetchPolicy()) as fetcher:
            collector = Collector(self.store, self.ingest_document, fetcher)
            for item in items:
                results.append(work(collector, item))
                if progress:
                    progress(1)
        return results

    def ingest_urls(
        self,
        urls: Iterable[str],
        *,
        policy: FetchPolicy | None = None,
        refetch: bool = False,
        progress: ProgressCallback | None = None,
    ) -> list[PageResult]:
        """Fetch (or re-read from the stored copy), clean and store each page."""
        return self._collect(
            urls, lambda c, url: c.page(url.strip(), refetch=refetch), policy, progress
        )

    def add_feed(self, url: str, outlet: str | None = None) -> bool:
        """Subscribe to an RSS/Atom feed; False when it was already subscribed."""
        parts = urlsplit(url.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise SourceError(f"{url!r} is not an http(s) URL; give the feed's full address")
        with self.store.atomic():
            return self.store.sources.add_feed(
                url.strip(), outlet, dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
            )

    def remove_feed(self, url: str) -> bool:
        with self.store.atomic():
            return self.store.sources.remove_feed(url.strip())

    def feeds(self) -> list[Feed]:
        return self.store.sources.feeds()

    def pull_feeds(
        self,
        *,
        policy: FetchPolicy | None = None,
        refetch: bool = False,
        progress: ProgressCallback | None = None,
    ) -> list[FeedResult]:
        """New items of every subscribed feed (conditional GET; items seen before skipped)."""
        return self._collect(
            self.store.sources.feeds(),
            lambda c, feed: c.pull(feed, refetch=refetch),
            policy,
            progress,
        )

    def run(self, progress: ProgressCallback | None = None) -> list[str]:
        """Run the corpus-level stages after ingest (cleaning already ran during ingest).
        Each stage is incremental: it only processes articles it has not seen."""
        self.last_stories = self._run_stages(
            progress, lambda: self.stories_stage.run(self.store, progress)
        )
        return self.pipeline.names

    def _run_stages(self, progress: ProgressCallback | None, place: Callable[[], Placed]) -> Placed:
        """Every corpus stage in order, `place` putting articles into stories; its result."""
        self.last_dedupe = self.dedupe_stage.run(self.store, progress)
        self.last_extract = self.extract_stage.run(self.store, progress)
        placed = place()
        self.last_crosscheck = self.crosscheck_stage.run(self.store, progress)
        self.last_synthesis = self.synthesis_stage.run(self.store, progress)
        for stage in self.pipeline.stages:
            self.store.record_stage_run(stage.name, self.store.count_articles())
        return placed

    def rebuild_stories(self, progress: ProgressCallback | None = None) -> RebuildSummary:
        """Re-cluster every article at once (batch mode), keeping story ids where a story
        survives and recording splits and merges; then bring the later stages up to date."""
        return self._run_stages(progress, lambda: self.stories_stage.rebuild(self.store))

    def pending_for_run(self) -> int:
        """How many articles the corpus-level stages have yet to process (for progress bars)."""
        unassigned = self.store.stories.unassigned()
        return (
            len(self.store.dedupe.ids_without_features(self.dedupe_stage.name))
            + len(self.store.extract.ids_without_extraction(self.extract_stage.name))
            + 3 * len(unassigned)  # placed in a story, cross-checked, then summarised
        )

    # -- reading ----------------------------------------------------------------------

    def articles(
        self, *, outlet: str | None = None, limit: int | None = None, offset: int = 0
    ) -> list[Article]:
        return list(self.store.iter_articles(outlet=outlet, limit=limit, offset=offset))

    def article(self, id_or_prefix: str) -> Article:
        return self.store.get_article(id_or_prefix)

    def sources_of(self, article_id: str) -> list[str]:
        return self.store.sources_of(article_id)

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        return self.store.search(query, limit)

    def problems(self) -> list[Problem]:
        return self.store.problems()

    def stories(self) -> list[dict[str, Any]]:
        """Stories as report entries, biggest first; the sections later stages fill (facts,
        contradictions, timeline, brief ...) are empty lists until those stages exist."""
        stored = self.store.stories.stories()
        checks = self.store.crosschecks.sections()
        syntheses = self.store.syntheses.sections()
        story_of = {a: story.id for story in stored for a in story.articles}
        by_story: dict[str, list[dict[str, Any]]] = {story.id: [] for story in stored}
        for entity in self.entities():  # one pass: each entity's mentions split by story
            split: dict[str, list[dict[str, Any]]] = {}
            for mention in entity["mentions"]:
                if mention["article_id"] in story_of:
                    split.setdefault(story_of[mention["article_id"]], []).append(mention)
            for story_id, mentions in split.items():
                by_story[story_id].append({**entity, "mentions": mentions})
        entries = []
        for story in stored:
            story_entities = by_story[story.id]
            entries.append(
                {
                    "id": story.id,
                    "label": story.label,
                    "article_ids": story.articles,
                    "start": story.first_day,
                    "end": story.last_day,
                    "entities": story_entities,
                    **EMPTY_SECTIONS,
                    **checks.get(story.id, {}),
                    "timeline": syntheses.get(story.id, {}).get("timeline", []),
                    "brief": syntheses.get(story.id, {}).get("brief", []),
                    "timeline_svg": syntheses.get(story.id, {}).get("timeline_svg", ""),
                }
            )
        return entries

    def story(self, id_or_prefix: str) -> dict[str, Any]:
        """One story as a report entry; an id prefix is enough. Reads only that story's rows,
        so it costs the same in a small workspace and a large one."""
        found = self.store.stories.find(id_or_prefix)
        if not found:
            raise NotFoundError(
                f"no story with id {id_or_prefix!r} (`storyline stories` lists them)"
            )
        if len(found) > 1 and found[0].id != id_or_prefix.strip().lower():
            raise AmbiguousIdError(f"{id_or_prefix!r} matches several stories; give more of the id")
        story = found[0]
        texts = self.store.articles_by_ids(story.articles)
        entities = [
            _entity_entry(entity, texts)
            for entity in self.store.extract.entities_of(story.articles)
        ]
        synthesis = self.store.syntheses.get(story.id) or {}
        return {
            "id": story.id,
            "label": story.label,
            "article_ids": story.articles,
            "start": story.first_day,
            "end": story.last_day,
            "entities": entities,
            **EMPTY_SECTIONS,
            **(self.store.crosschecks.get(story.id) or {}),
            "timeline": synthesis.get("timeline", []),
            "brief": synthesis.get("brief", []),
            "timeline_svg": synthesis.get("timeline_svg", ""),
        }

    def check(self, id_or_prefix: str) -> dict[str, Any]:
        """One story's cross-check: facts x outlets, contradictions, single-source claims and
        framing (what `storyline check` shows)."""
        story = self.story(id_or_prefix)
        keys = ("id", "label", "article_ids", "start", "end", *EMPTY_SECTIONS)
        return {k: story[k] for k in keys}

    def synthesis(self, id_or_prefix: str) -> dict[str, Any]:
        """One story's brief and timeline (with its SVG plot)."""
        story = self.story(id_or_prefix)
        keys = ("id", "label", "article_ids", "start", "end", "brief", "timeline", "timeline_svg")
        return {k: story[k] for k in keys}

    def story_events(self, story_id: str) -> list[dict[str, Any]]:
        """How a story grew: open, join, merge and split events, oldest first."""
        return [
            {"kind": e.kind, "story_id": e.story_id, "other": e.other, "at": e.at}
            for e in self.store.stories.events(story_id)
        ]

    def duplicates(self, article_ids: list[str] | None = None) -> list[dict[str, Any]]:
        """Duplicate groups and containments, as report entries (those touching the given
        articles only, when asked)."""
        if article_ids is None:
            articles = {a.id: a for a in self.store.iter_articles()}
            return duplicate_entries(self.store.dedupe.links(), articles)
        links = self.store.dedupe.links_of(article_ids)
        involved = sorted({i for lk in links for i in (lk.a, lk.b)} | set(article_ids))
        return duplicate_entries(links, self.store.articles_by_ids(involved))

    def units(self) -> list[Unit]:
        """The independent text units later stages count (copies and copied parts left out)."""
        articles = {a.id: a for a in self.store.iter_articles()}
        return independent_units(articles, self.store.dedupe.links(), self.store.dedupe.parts())

    def entities(self, type_: str | None = None) -> list[dict[str, Any]]:
        """Merged entities with their mentions as spans, as report entries."""
        texts = {a.id: a for a in self.store.iter_articles()}
        return [_entity_entry(entity, texts) for entity in self.store.extract.entities(type_)]

    def report(self) -> Report:
        articles = tuple(self.store.iter_articles())
        by_id = {a.id: a for a in articles}
        return Report(
            articles=articles,
            problems=tuple(self.store.problems()),
            sources={a.id: self.store.sources_of(a.id) for a in articles},
            parts=self.store.dedupe.parts(),
            stages=tuple(self.pipeline.names),
            duplicates=tuple(duplicate_entries(self.store.dedupe.links(), by_id)),
            units=tuple(self.units()),
            entities=tuple(self.entities()),
            stories=tuple(self.stories()),
            annotations={a.id: self.store.extract.annotations(a.id) for a in articles},
        )


def _entity_entry(entity: StoredEntity, texts: Mapping[str, Article]) -> dict[str, Any]:
    """A merged entity as a report entry, its mentions as spans of the given articles."""
    return {
        "id": entity.id,
        "name": entity.name,
        "type": entity.type,
        "aliases": sorted(
            {texts[a].text[s:e] for a, s, e in entity.mentions if a in texts} - {entity.name}
        ),
        "geo": entity.geo,
        "mentions": [
            {"article_id": a, "start": s, "end": e, "text": texts[a].text[s:e]}
            for a, s, e in entity.mentions
            if a in texts
        ],
    }


def analyze(inputs: Iterable[str | Path], config: WorkspaceConfig | None = None) -> Report:
    """One-off analysis in memory: ingest, run every stage, return the report."""
    with Workspace.open(":memory:", config) as workspace:
        workspace.ingest(inputs)
        workspace.run()
        return workspace.report()
