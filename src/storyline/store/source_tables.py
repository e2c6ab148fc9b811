"""SQLite access for fetched pages, feeds and feed items (migration 0009)."""

from __future__ import annotations

import sqlite3
import zlib
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class StoredPage:
    url: str
    final_url: str
    canonical_url: str | None
    article_id: str | None
    status: int
    content_type: str | None
    fetched_at: str
    body: bytes


@dataclass(frozen=True, slots=True)
class Feed:
    url: str
    outlet: str | None
    title: str | None
    etag: str | None
    last_modified: str | None
    added_at: str
    last_pulled: str | None
    last_status: str | None


class SourceTables:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    # -- pages --------------------------------------------------------------------------

    def put_page(self, page: StoredPage) -> None:
        self.db.execute(
            "INSERT INTO fetched_pages VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (url) DO "
            "UPDATE SET final_url = excluded.final_url, canonical_url = excluded.canonical_url,"
            " article_id = excluded.article_id, status = excluded.status, content_type = "
            "excluded.content_type, fetched_at = excluded.fetched_at, html_zlib = "
            "excluded.html_zlib",
            (
                page.url,
                page.final_url,
                page.canonical_url,
                page.article_id,
                page.status,
                page.content_type,
                page.fetched_at,
                zlib.compress(page.body, 6),
            ),
        )

    def page(self, url: str) -> StoredPage | None:
        row = self.db.execute(
            "SELECT url, final_url, canonical_url, article_id, status, content_type, "
            "fetched_at, html_zlib FROM fetched_pages WHERE url = ?",
            (url,),
        ).fetchone()
        if row is None:
            return None
        url_, final_url, canonical, article_id, status, content_type, fetched_at, blob = row
        return StoredPage(
            str(url_),
            str(final_url),
            canonical,
            article_id,
            int(status),
            content_type,
            str(fetched_at),
            zlib.decompress(blob),
        )

    # -- feeds --------------------------------------------------------------------------

    def add_feed(self, url: str, outlet: str | None, at: str) -> bool:
        """Subscribe; False when the feed was already there (its outlet is updated if given)."""
        exists = self.db.execute("SELECT 1 FROM feeds WHERE url = ?", (url,)).fetchone()
        if exists:
            if outlet:
                self.db.execute("UPDATE feeds SET outlet = ? WHERE url = ?", (outlet, url))
            return False
        self.db.execute(
            "INSERT INTO feeds (url, outlet, added_at) VALUES (?, ?, ?)", (url, outlet, at)
        )
        return True

    def remove_feed(self, url: str) -> bool:
        self.db.execute("DELETE FROM feed_items WHERE feed_url = ?", (url,))
        return self.db.execute("DELETE FROM feeds WHERE url = ?", (url,)).rowcount > 0

    def feeds(self) -> list[Feed]:
        rows = self.db.execute(
            "SELECT url, outlet, title, etag, last_modified, added_at, last_pulled, last_status "
            "FROM feeds ORDER BY added_at, url"
        )
        return [Feed(*row) for row in rows]

    def pulled(
        self,
        url: str,
        at: str,
        status: str,
        etag: str | None = None,
        last_modified: str | None = None,
        title: str | None = None,
    ) -> None:
        """Record a pull; validators are replaced only when the server sent new ones."""
        self.db.execute(
            "UPDATE feeds SET last_pulled = ?, last_status = ?, etag = COALESCE(?, etag), "
            "last_modified = COALESCE(?, last_modified), title = COALESCE(?, title) "
            "WHERE url = ?",
            (at, status, etag, last_modified, title, url),
        )

    def seen(self, feed_url: str, keys: list[str]) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(
                str(r[0])
                for r in self.db.execute(
                    f"SELECT item_key FROM feed_items WHERE feed_url = ? AND item_key IN ({marks})",
                    (feed_url, *chunk),
                )
            )
        return found

    def mark_seen(
        self, feed_url: str, key: str, link: str | None, article_id: str | None, at: str
    ) -> None:
        self.db.execute(
            "INSERT OR IGNORE INTO feed_items VALUES (?, ?, ?, ?, ?)",
            (feed_url, key, link, article_id, at),
        )
