"""Pages and feeds into the workspace: fetch (or reuse the stored copy), clean, store.

Each page is committed on its own, with its raw HTML, so an interrupted pull keeps what it
fetched and a re-run neither fetches nor stores it twice. A feed item is marked seen once its
page gave an article or failed for good (not HTML, disallowed by robots.txt, gone); a timeout,
a network error or a 5xx leaves it unseen, so the next pull tries it again. A feed's
validators (ETag, Last-Modified) are saved only after its items are handled.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from storyline.model import Problem, RawDocument
from storyline.sources.feeds import FeedEntry, FeedError, parse_feed
from storyline.sources.fetch import Fetcher, FetchError
from storyline.sources.pages import fetch_problem, fragment_text, page_document
from storyline.store.source_tables import Feed, StoredPage
from storyline.store.sqlite import SQLiteStore

RETRYABLE = frozenset({"timeout", "network", "dns", "http-429"}) | {
    f"http-{code}" for code in range(500, 600)
}

# Cleans one document and stores the article (or its problems): (article id, was it new,
# problems). The workspace provides it, so cleaning stays in one place.
Accept = Callable[[RawDocument], tuple[str | None, bool, list[Problem]]]


@dataclass(slots=True)
class PageResult:
    url: str
    article_id: str | None = None
    added: bool = False  # a new article (not one the workspace already had)
    reused: bool = False  # read from the stored copy, not fetched
    problems: list[Problem] = field(default_factory=list)

    @property
    def retryable(self) -> bool:
        return any(p.code in RETRYABLE for p in self.problems)


@dataclass(slots=True)
class FeedResult:
    url: str
    status: str  # "200", "304 not modified", or the problem's code
    entries: int = 0  # entries in the feed
    new: int = 0  # entries not seen before
    pages: list[PageResult] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def added(self) -> int:
        return sum(p.added for p in self.pages)


class Collector:
    def __init__(self, store: SQLiteStore, accept: Accept, fetcher: Fetcher) -> None:
        self.store = store
        self.accept = accept
        self.fetcher = fetcher

    def page(
        self,
        url: str,
        *,
        refetch: bool = False,
        outlet: str | None = None,
        title: str | None = None,
        published: str | None = None,
    ) -> PageResult:
        """Ingest one page; a page fetched before is re-read from its stored HTML unless
        `refetch` (so re-extraction after a cleaner change costs no request)."""
        result = PageResult(url)
        stored = None if refetch else self.store.sources.page(url)
        if stored is not None:
            result.reused = True
            final_url, body, content_type = stored.final_url, stored.body, stored.content_type
            fetched_at, status = stored.fetched_at, stored.status
        else:
            try:
                fetched = self.fetcher.get(url)
            except FetchError as exc:
                result.problems.append(fetch_problem(url, exc.code, exc.reason))
                self._keep(result.problems)
                return result
            final_url, body, content_type = fetched.final_url, fetched.body, fetched.content_type
            fetched_at, status = fetched.fetched_at.isoformat(), fetched.status
        document, canonical, problem = page_document(
            url,
            final_url,
            body,
            content_type or "",
            outlet=outlet,
            title=title,
            published=published,
        )
        if problem is not None:
            result.problems.append(problem)
            self._keep(result.problems)
        else:
            assert document is not None
            result.article_id, result.added, problems = self.accept(document)
            result.problems.extend(problems)
        if stored is None or result.article_id != stored.article_id:
            with self.store.atomic():
                self.store.sources.put_page(
                    StoredPage(
                        url,
                        final_url,
                        canonical,
                        result.article_id,
                        status,
                        content_type,
                        fetched_at,
                        body,
                    )
                )
        return result

    def pull(self, feed: Feed, *, refetch: bool = False) -> FeedResult:
        """New items of one feed: conditional GET, parse, ingest each unseen item's page."""
        headers = {}
        if feed.etag and not refetch:
            headers["If-None-Match"] = feed.etag
        if feed.last_modified and not refetch:
            headers["If-Modified-Since"] = feed.last_modified
        now = _now()
        try:
            fetched = self.fetcher.get(feed.url, headers)
        except FetchError as exc:
            return self._failed(feed, exc.code, exc.reason, now)
        if fetched.status == 304:
            with self.store.atomic():
                self.store.sources.pulled(feed.url, now, "304 not modified")
            return FeedResult(feed.url, "304 not modified")
        try:
            parsed = parse_feed(fetched.body, fetched.final_url)
        except FeedError as exc:
            return self._failed(feed, "bad-feed", str(exc), now)
        result = FeedResult(feed.url, str(fetched.status), entries=len(parsed.entries))
        if parsed.warning:
            result.problems.append(fetch_problem(feed.url, "malformed-feed", parsed.warning))
        seen = self.store.sources.seen(feed.url, [e.key for e in parsed.entries])
        for entry in parsed.entries:
            if entry.key in seen:
                continue
            seen.add(entry.key)
            result.new += 1
            if entry.link:
                page = self.page(
                    entry.link,
                    refetch=refetch,
                    outlet=feed.outlet,
                    title=entry.title,
                    published=entry.published,
                )
            else:
                page = self._summary_only(feed, entry)
            result.pages.append(page)
            if not page.retryable:
                with self.store.atomic():
                    self.store.sources.mark_seen(
                        feed.url, entry.key, entry.link, page.article_id, _now()
                    )
        status = result.status = f"{fetched.status} ({result.new} new)"
        with self.store.atomic():
            self.store.sources.pulled(
                feed.url,
                now,
                status,
                etag=fetched.headers.get("etag"),
                last_modified=fetched.headers.get("last-modified"),
                title=parsed.title,
            )
            for problem in result.problems:
                self.store.put_problem(problem)
        return result

    def _summary_only(self, feed: Feed, entry: FeedEntry) -> PageResult:
        """An item without a link: its own summary is all there is to ingest."""
        source = f"{feed.url}#{entry.key}"
        summary = entry.summary
        result = PageResult(source)
        if not summary or not summary.strip():
            result.problems.append(
                fetch_problem(source, "empty", "the item has neither a link nor text")
            )
            self._keep(result.problems)
            return result
        document = RawDocument(
            source=source,
            text=fragment_text(summary),
            outlet=feed.outlet,
            title=entry.title,
            published=entry.published,
        )
        result.article_id, result.added, problems = self.accept(document)
        result.problems.extend(problems)
        return result

    def _failed(self, feed: Feed, code: str, reason: str, now: str) -> FeedResult:
        problem = fetch_problem(feed.url, code, reason)
        with self.store.atomic():
            self.store.sources.pulled(feed.url, now, code)
            self.store.put_problem(problem)
        return FeedResult(feed.url, code, problems=[problem])

    def _keep(self, problems: list[Problem]) -> None:
        with self.store.atomic():
            for problem in problems:
                self.store.put_problem(problem)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
