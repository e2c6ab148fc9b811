"""SQLite access for the dedupe stage's tables (kept apart from sqlite.py, one job each)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from storyline.model import Part
from storyline.store.base import id_chunks

_CHUNK = 500  # parameters per IN (...) query, under SQLite's limit


@dataclass(frozen=True, slots=True)
class StoredFeatures:
    article_id: str
    shingles: int
    fingerprints: int
    signature: np.ndarray


@dataclass(frozen=True, slots=True)
class Link:
    a: str
    b: str
    kind: str
    similarity: float
    a_start: int | None = None
    a_end: int | None = None
    b_start: int | None = None
    b_end: int | None = None


class DedupeTables:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def ids_without_features(self, stage: str) -> list[str]:
        rows = self.db.execute(
            "SELECT a.id FROM articles a LEFT JOIN dedupe_features f "
            "ON f.article_id = a.id AND f.stage = ? WHERE f.article_id IS NULL ORDER BY a.seq",
            (stage,),
        )
        return [str(r[0]) for r in rows]

    def put_features(
        self,
        stage: str,
        article_id: str,
        shingles: int,
        signature: np.ndarray,
        band_keys: Sequence[int],
        fingerprints: Sequence[int],
    ) -> None:
        if self.db.execute(
            "SELECT 1 FROM dedupe_features WHERE article_id = ?", (article_id,)
        ).fetchone():  # hashed by another stage version: replace its rows
            self.db.execute("DELETE FROM dedupe_bands WHERE article_id = ?", (article_id,))
            self.db.execute("DELETE FROM dedupe_fingerprints WHERE article_id = ?", (article_id,))
        self.db.execute(
            "INSERT OR REPLACE INTO dedupe_features VALUES (?, ?, ?, ?, ?)",
            (
                article_id,
                stage,
                shingles,
                len(fingerprints),
                signature.astype("<u4").tobytes(),
            ),
        )
        self.db.executemany(
            "INSERT INTO dedupe_bands VALUES (?, ?)", [(int(k), article_id) for k in band_keys]
        )
        self.db.executemany(
            "INSERT INTO dedupe_fingerprints VALUES (?, ?)",
            [(int(v), article_id) for v in fingerprints],
        )

    def band_matches(self, keys: Iterable[int]) -> Iterator[tuple[int, str]]:
        yield from self._matches("dedupe_bands", "band_key", keys)

    def fingerprint_matches(self, values: Iterable[int]) -> Iterator[tuple[int, str]]:
        yield from self._matches("dedupe_fingerprints", "fingerprint", values)

    def _matches(self, table: str, column: str, values: Iterable[int]) -> Iterator[tuple[int, str]]:
        unique = sorted({int(v) for v in values})
        for i in range(0, len(unique), _CHUNK):
            chunk = unique[i : i + _CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(
                f"SELECT {column}, article_id FROM {table} WHERE {column} IN ({marks})", chunk
            )
            for value, article_id in rows:
                yield int(value), str(article_id)

    def features(self, ids: Iterable[str]) -> dict[str, StoredFeatures]:
        found: dict[str, StoredFeatures] = {}
        unique = sorted(set(ids))
        for i in range(0, len(unique), _CHUNK):
            chunk = unique[i : i + _CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(
                "SELECT article_id, shingles, fingerprints, signature FROM dedupe_features "
                f"WHERE article_id IN ({marks})",
                chunk,
            )
            for article_id, shingles, fps, blob in rows:
                found[article_id] = StoredFeatures(
                    article_id, int(shingles), int(fps), np.frombuffer(blob, dtype="<u4")
                )
        return found

    def put_link(self, link: Link) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO duplicate_links VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                link.a,
                link.b,
                link.kind,
                link.similarity,
                link.a_start,
                link.a_end,
                link.b_start,
                link.b_end,
            ),
        )

    def links(self) -> list[Link]:
        rows = self.db.execute(
            "SELECT a, b, kind, similarity, a_start, a_end, b_start, b_end FROM duplicate_links "
            "ORDER BY a, b"
        )
        return [Link(*row) for row in rows]

    def links_of(self, article_ids: Sequence[str]) -> list[Link]:
        """Links touching any of these articles (both ends indexed)."""
        found: dict[tuple[str, str, str], Link] = {}
        for part, marks in id_chunks(article_ids):
            rows = self.db.execute(
                "SELECT a, b, kind, similarity, a_start, a_end, b_start, b_end FROM "
                f"duplicate_links WHERE a IN ({marks}) OR b IN ({marks})",
                [*part, *part],
            )
            for row in rows:
                link = Link(*row)
                found[(link.a, link.b, link.kind)] = link
        return sorted(found.values(), key=lambda lk: (lk.a, lk.b))

    def parts_of(self, article_ids: Sequence[str]) -> dict[str, list[Part]]:
        found: dict[str, list[Part]] = {}
        for part, marks in id_chunks(article_ids):
            rows = self.db.execute(
                "SELECT article_id, start, end, outlet, duplicate_of FROM article_parts "
                f"WHERE article_id IN ({marks}) ORDER BY article_id, start",
                part,
            )
            for article_id, start, end, outlet, duplicate_of in rows:
                found.setdefault(article_id, []).append(
                    Part(start=start, end=end, outlet=outlet, duplicate_of=duplicate_of)
                )
        return found

    def put_parts(self, article_id: str, parts: Sequence[Part]) -> None:
        self.db.execute("DELETE FROM article_parts WHERE article_id = ?", (article_id,))
        self.db.executemany(
            "INSERT INTO article_parts VALUES (?, ?, ?, ?, ?)",
            [(article_id, p.start, p.end, p.outlet, p.duplicate_of) for p in parts],
        )

    def parts(self) -> dict[str, list[Part]]:
        found: dict[str, list[Part]] = {}
        rows = self.db.execute(
            "SELECT article_id, start, end, outlet, duplicate_of FROM article_parts "
            "ORDER BY article_id, start"
        )
        for article_id, start, end, outlet, duplicate_of in rows:
            found.setdefault(article_id, []).append(
                Part(start=start, end=end, outlet=outlet, duplicate_of=duplicate_of)
            )
        return found
