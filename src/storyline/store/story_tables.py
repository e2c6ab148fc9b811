"""SQLite access for the stories stage's tables (migration 0005)."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from storyline.stories.cluster import Story


@dataclass(frozen=True, slots=True)
class StoredStory:
    id: str
    label: str
    first_day: str | None
    last_day: str | None
    articles: list[str]  # member ids, in the order they joined


@dataclass(frozen=True, slots=True)
class StoryEvent:
    kind: str  # open | join | merge | split
    story_id: str
    other: str | None
    at: str


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _merged(spans: Sequence[tuple[dt.date, dt.date]], reach_days: int) -> list[tuple[str, str]]:
    """The spans widened by the reach and joined where they overlap, as ISO day pairs."""
    reach = dt.timedelta(days=reach_days)
    merged: list[list[dt.date]] = []
    for first, last in sorted(spans):
        low, high = first - reach, last + reach
        if merged and low <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], high)
        else:
            merged.append([low, high])
    return [(low.isoformat(), high.isoformat()) for low, high in merged]


class StoryTables:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def unassigned(self) -> list[str]:
        rows = self.db.execute(
            "SELECT a.id FROM articles a LEFT JOIN story_members m ON m.article_id = a.id "
            "WHERE m.article_id IS NULL ORDER BY a.seq"
        )
        return [str(r[0]) for r in rows]

    def document_frequencies(self, terms: Iterable[str] | None = None) -> tuple[Counter[str], int]:
        """Document frequencies (of the given terms only, when given: a run needs those of its
        arrivals, not the whole vocabulary) and the number of documents placed so far."""
        if terms is None:
            rows = self.db.execute("SELECT term, df FROM story_terms")
        else:
            self.db.execute("CREATE TEMP TABLE IF NOT EXISTS wanted_terms (term TEXT PRIMARY KEY)")
            self.db.execute("DELETE FROM wanted_terms")
            self.db.executemany(
                "INSERT OR IGNORE INTO wanted_terms VALUES (?)", [(t,) for t in terms]
            )
            rows = self.db.execute(
                "SELECT s.term, s.df FROM wanted_terms w JOIN story_terms s ON s.term = w.term"
            )
        df = Counter({str(t): int(n) for t, n in rows})
        n_docs = int(self.db.execute("SELECT COUNT(*) FROM story_members").fetchone()[0])
        return df, n_docs

    def replace_document_frequencies(self, df: Counter[str]) -> None:
        self.db.execute("DELETE FROM story_terms")
        self.db.executemany("INSERT INTO story_terms VALUES (?, ?)", df.items())

    def add_document_frequencies(self, documents_with: Counter[str]) -> None:
        """Add, for each term, the number of new documents holding it (one statement)."""
        self.db.executemany(
            "INSERT INTO story_terms VALUES (?, ?) ON CONFLICT (term) DO UPDATE SET "
            "df = df + excluded.df",
            documents_with.items(),
        )

    def load(
        self,
        near: Sequence[tuple[dt.date, dt.date]] | None = None,
        reach_days: int = 0,
        skip: Iterable[str] = (),
    ) -> list[Story]:
        """Stored stories; with `near` (spans of days), only those whose own span comes within
        `reach_days` of one of them, plus the undated ones (they can match any day)."""
        columns = "SELECT id, centroid_json, size, first_day, last_day FROM stories"
        queries: list[tuple[str, tuple[str, ...]]] = [(columns, ())]
        if near is not None:
            queries = [(columns + " WHERE last_day IS NULL OR first_day IS NULL", ())]
            for low, high in _merged(near, reach_days):
                queries.append((columns + " WHERE last_day >= ? AND first_day <= ?", (low, high)))
        skipped = set(skip)
        rows = []
        for sql, params in queries:
            for row in self.db.execute(sql, params):
                if row[0] not in skipped:
                    skipped.add(row[0])
                    rows.append(row)
        return [
            Story(
                id=str(story_id),
                centroid=json.loads(centroid),
                size=int(size),
                first=_day(first),
                last=_day(last),
            )
            for story_id, centroid, size, first, last in rows
        ]

    def save(self, stories: Iterable[Story], labels: dict[str, str]) -> None:
        self.db.executemany(
            "INSERT INTO stories VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
            "label = excluded.label, first_day = excluded.first_day, "
            "last_day = excluded.last_day, size = excluded.size, "
            "centroid_json = excluded.centroid_json",
            [
                (
                    s.id,
                    labels[s.id],
                    s.first.isoformat() if s.first else None,
                    s.last.isoformat() if s.last else None,
                    s.size,
                    json.dumps({t: round(w, 6) for t, w in s.centroid.items()}),
                )
                for s in stories
            ],
        )

    def add_members(self, members: Iterable[tuple[str, str, float | None]], at: str) -> None:
        """(article, story, similarity) rows; a None similarity opened the story."""
        rows = list(members)
        self.db.executemany("INSERT INTO story_members VALUES (?, ?, ?)", rows)
        self.record_placements(rows, at)

    def record_placements(self, rows: Iterable[tuple[str, str, float | None]], at: str) -> None:
        """History only: each (article, story, similarity) opened or joined its story."""
        self.db.executemany(
            "INSERT INTO story_events (kind, story_id, other, at) VALUES (?, ?, ?, ?)",
            [
                ("open" if sim is None else "join", story, article, at)
                for article, story, sim in rows
            ],
        )

    def merge(self, survivor: str, absorbed: str, target: str, at: str) -> None:
        """Record that `survivor` absorbed `absorbed`, and move the absorbed story's members
        to `target` (the survivor, or the story the survivor itself merged into later in the
        same run; already saved)."""
        self.db.execute(
            "UPDATE story_members SET story_id = ? WHERE story_id = ?", (target, absorbed)
        )
        self.db.execute("DELETE FROM stories WHERE id = ?", (absorbed,))
        self.record_merge(survivor, absorbed, at)

    def record_merge(self, survivor: str, absorbed: str, at: str) -> None:
        self.db.execute(
            "INSERT INTO story_events (kind, story_id, other, at) VALUES ('merge', ?, ?, ?)",
            (survivor, absorbed, at),
        )

    def split(self, kept: str, split_off: str, at: str) -> None:
        """Record that part of story `kept` now forms story `split_off`."""
        self.db.execute(
            "INSERT INTO story_events (kind, story_id, other, at) VALUES ('split', ?, ?, ?)",
            (kept, split_off, at),
        )

    def replace_all(
        self,
        stories: Iterable[Story],
        labels: dict[str, str],
        members: Iterable[tuple[str, str, float | None]],
    ) -> None:
        """Every story and membership at once (a batch rebuild); history is kept."""
        self.db.execute("DELETE FROM story_members")
        self.db.execute("DELETE FROM stories")
        self.save(stories, labels)
        self.db.executemany("INSERT INTO story_members VALUES (?, ?, ?)", list(members))

    def count_members(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM story_members").fetchone()[0])

    def count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM stories").fetchone()[0])

    def memberships(self) -> dict[str, str]:
        """Every placed article's story."""
        return {
            str(a): str(s)
            for a, s in self.db.execute("SELECT article_id, story_id FROM story_members")
        }

    def members_of(self, story_ids: list[str]) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for start in range(0, len(story_ids), 500):
            chunk = story_ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for article_id, story_id in self.db.execute(
                f"SELECT article_id, story_id FROM story_members WHERE story_id IN ({marks})",
                chunk,
            ):
                found.setdefault(str(story_id), []).append(str(article_id))
        return found

    def find(self, id_or_prefix: str) -> list[StoredStory]:
        """Stories whose id starts with the prefix (an exact id first), with their members."""
        key = id_or_prefix.strip().lower()
        if not key or not all(c in "0123456789abcdef" for c in key):
            return []
        rows = self.db.execute(
            "SELECT id, label, first_day, last_day FROM stories WHERE id >= ? AND id < ? "
            "ORDER BY id LIMIT 10",
            (key, key + "g"),
        ).fetchall()
        found = []
        for story_id, label, first, last in rows:
            members = [
                str(r[0])
                for r in self.db.execute(
                    "SELECT m.article_id FROM story_members m JOIN articles a "
                    "ON a.id = m.article_id WHERE m.story_id = ? ORDER BY a.seq",
                    (story_id,),
                )
            ]
            found.append(StoredStory(str(story_id), str(label), first, last, members))
        return sorted(found, key=lambda s: s.id != key)

    def stories(self) -> list[StoredStory]:
        members: dict[str, list[str]] = {}
        for article_id, story_id in self.db.execute(
            "SELECT m.article_id, m.story_id FROM story_members m "
            "JOIN articles a ON a.id = m.article_id ORDER BY a.seq"
        ):
            members.setdefault(str(story_id), []).append(str(article_id))
        rows = self.db.execute("SELECT id, label, first_day, last_day FROM stories")
        found = [
            StoredStory(str(i), str(label), first, last, members.get(str(i), []))
            for i, label, first, last in rows
        ]
        return sorted(found, key=lambda s: (-len(s.articles), s.first_day or "", s.id))

    def story_of(self, article_id: str) -> str | None:
        row = self.db.execute(
            "SELECT story_id FROM story_members WHERE article_id = ?", (article_id,)
        ).fetchone()
        return str(row[0]) if row else None

    def events_since(self, at: str) -> list[StoryEvent]:
        """Every event recorded at or after `at` (ISO, UTC), oldest first."""
        rows = self.db.execute(
            "SELECT kind, story_id, other, at FROM story_events WHERE at >= ? ORDER BY seq", (at,)
        )
        return [StoryEvent(*row) for row in rows]

    def events(self, story_id: str | None = None) -> list[StoryEvent]:
        sql = "SELECT kind, story_id, other, at FROM story_events"
        params: tuple[str, ...] = ()
        if story_id:
            sql += " WHERE story_id = ? OR other = ?"
            params = (story_id, story_id)
        return [StoryEvent(*row) for row in self.db.execute(sql + " ORDER BY seq", params)]
