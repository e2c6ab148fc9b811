"""RSS and Atom feeds through feedparser: the entries a pull may ingest.

feedparser reads every RSS/Atom dialect and survives broken XML (it sets `bozo`); a feed that
yields no entries and is broken is a problem, a broken one with entries is still read.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

import feedparser


class FeedError(Exception):
    """The bytes are not a readable feed."""


@dataclass(frozen=True, slots=True)
class FeedEntry:
    key: str  # the entry's id, else its link, else a hash of its title and summary
    link: str | None
    title: str | None
    published: str | None  # ISO 8601 (UTC), when the feed dates the entry
    summary: str | None


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    title: str | None
    entries: list[FeedEntry]
    warning: str | None  # what feedparser complained about, when it still read entries


def parse_feed(body: bytes, base_url: str) -> ParsedFeed:
    parsed = feedparser.parse(body, response_headers={"content-location": base_url})
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    entries = [_entry(e) for e in parsed.entries]
    if not entries and (problem is not None or not parsed.get("version")):
        reason = f" ({str(problem).strip()[:160]})" if problem is not None else ""
        raise FeedError(f"not a readable RSS or Atom feed{reason}")
    title = parsed.feed.get("title") or None
    warning = f"malformed feed, read anyway: {str(problem)[:160]}" if problem else None
    return ParsedFeed(str(title) if title else None, entries, warning)


def _entry(entry: Any) -> FeedEntry:
    link = entry.get("link") or None
    if link and not str(link).lower().startswith(("http://", "https://")):
        link = None  # feedparser falls back to the entry's id ("urn:..."): not a page
    title = entry.get("title") or None
    summary = entry.get("summary") or None
    key = entry.get("id") or link
    if not key:
        key = hashlib.sha256(f"{title}\n{summary}".encode()).hexdigest()[:32]
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    published = (
        dt.datetime.fromtimestamp(calendar.timegm(stamp), dt.UTC).isoformat() if stamp else None
    )
    return FeedEntry(str(key), str(link) if link else None, title, published, summary)
