"""SQLite access for the extraction stage's tables."""

from __future__ import annotations

import datetime as dt
import math
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from storyline.algorithms.quantities import Quantity
from storyline.algorithms.quotes import Attribution
from storyline.algorithms.timex import TimeMention, is_background
from storyline.extract.entities import Mention
from storyline.extract.variants import Entity
from storyline.model import PublishedDate
from storyline.store.base import id_chunks


@dataclass(frozen=True, slots=True)
class StoredEntity:
    id: str
    name: str
    type: str
    geo: dict[str, Any] | None
    mentions: list[tuple[str, int, int]]  # (article_id, start, end)


class ExtractTables:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def ids_without_extraction(self, stage: str) -> list[str]:
        rows = self.db.execute(
            "SELECT a.id FROM articles a LEFT JOIN extract_done d "
            "ON d.article_id = a.id AND d.stage = ? WHERE d.article_id IS NULL ORDER BY a.seq",
            (stage,),
        )
        return [str(r[0]) for r in rows]

    def put_annotations(
        self,
        stage: str,
        article_id: str,
        mentions: list[Mention],
        times: list[TimeMention],
        published: dt.date | None,
        quantities: list[Quantity],
        attributions: list[Attribution],
    ) -> None:
        for table in ("mentions", "time_refs", "quantities", "attributions"):
            self.db.execute(f"DELETE FROM {table} WHERE article_id = ?", (article_id,))
        self.db.executemany(
            "INSERT OR IGNORE INTO mentions VALUES (?, ?, ?, ?, ?)",
            [(article_id, m.start, m.end, m.text, m.label) for m in mentions],
        )
        self._insert_times(article_id, times, published)
        self.db.executemany(
            "INSERT OR IGNORE INTO quantities VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    article_id,
                    q.start,
                    q.end,
                    q.text,
                    q.value,
                    q.low,
                    None if math.isinf(q.high) else q.high,
                    q.unit,
                    q.counted,
                    q.approximator,
                )
                for q in quantities
            ],
        )
        self.db.executemany(
            "INSERT OR IGNORE INTO attributions VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    article_id,
                    a.start,
                    a.end,
                    a.text,
                    a.speaker,
                    a.speaker_start,
                    a.speaker_end,
                    int(a.direct),
                )
                for a in attributions
            ],
        )
        self.db.execute("INSERT OR REPLACE INTO extract_done VALUES (?, ?)", (article_id, stage))

    def _insert_times(
        self, article_id: str, times: list[TimeMention], published: dt.date | None
    ) -> None:
        self.db.executemany(
            "INSERT OR IGNORE INTO time_refs VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    article_id,
                    t.start,
                    t.end,
                    t.text,
                    t.value.start.isoformat() if t.value else None,
                    t.value.end.isoformat() if t.value else None,
                    t.value.precision if t.value else None,
                    None
                    if t.value is None or published is None
                    else int(is_background(t.value, published)),
                )
                for t in times
            ],
        )

    def replace_times(
        self, article_id: str, times: list[TimeMention], published: dt.date | None
    ) -> None:
        """Times re-resolved against a publication day learnt after the first pass."""
        self.db.execute("DELETE FROM time_refs WHERE article_id = ?", (article_id,))
        self._insert_times(article_id, times, published)

    def dating_inputs(self) -> list[tuple[str, PublishedDate | None, str]]:
        """Every article's *own* date (never an inferred-from-neighbours one) and, for those
        not dated to the day, its text (the weekdays it names)."""
        rows = self.db.execute(
            "SELECT id, published, published_inferred, published_evidence, "
            "CASE WHEN published_granularity = 'day' THEN '' ELSE text END "
            "FROM articles ORDER BY seq"
        )
        return [
            (
                str(article_id),
                PublishedDate.from_iso(value, inferred=bool(inferred), evidence=evidence or "")
                if value
                else None,
                str(text),
            )
            for article_id, value, inferred, evidence, text in rows
        ]

    def named_days(self) -> dict[str, set[dt.date]]:
        """The single days each article's time expressions resolved to."""
        found: dict[str, set[dt.date]] = {}
        rows = self.db.execute(
            "SELECT article_id, value_start FROM time_refs "
            "WHERE precision = 'day' AND value_start = value_end"
        )
        for article_id, value in rows:
            found.setdefault(str(article_id), set()).add(dt.date.fromisoformat(value))
        return found

    def date_inferences(self) -> dict[str, PublishedDate]:
        rows = self.db.execute("SELECT article_id, published, evidence FROM date_inferences")
        return {str(a): PublishedDate.from_iso(p, inferred=True, evidence=e) for a, p, e in rows}

    def replace_date_inferences(self, inferred: dict[str, PublishedDate]) -> None:
        self.db.execute("DELETE FROM date_inferences")
        self.db.executemany(
            "INSERT INTO date_inferences VALUES (?, ?, ?)",
            [(a, d.iso(), d.evidence) for a, d in inferred.items()],
        )

    def all_mentions(self) -> list[Mention]:
        rows = self.db.execute(
            "SELECT article_id, start, end, text, label FROM mentions ORDER BY article_id, start"
        )
        return [Mention(*row) for row in rows]

    def replace_entities(self, entities: list[Entity]) -> None:
        self.db.execute("DELETE FROM entity_mentions")
        self.db.execute("DELETE FROM entities")
        for entity in entities:
            geo = entity.geo
            self.db.execute(
                "INSERT OR REPLACE INTO entities VALUES (?, ?, ?, ?, ?, ?)",
                (
                    entity.id,
                    entity.name,
                    entity.type,
                    geo.lat if geo else None,
                    geo.lon if geo else None,
                    geo.gazetteer_id if geo else None,
                ),
            )
            self.db.executemany(
                "INSERT OR IGNORE INTO entity_mentions VALUES (?, ?, ?, ?)",
                [(entity.id, m.article_id, m.start, m.end) for m in entity.mentions],
            )

    def entity_names_by_article(self, article_ids: list[str]) -> dict[str, set[str]]:
        """The canonical names of the entities each article mentions."""
        found: dict[str, set[str]] = {}
        for start in range(0, len(article_ids), 500):
            chunk = article_ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(
                "SELECT m.article_id, e.name FROM entity_mentions m "
                f"JOIN entities e ON e.id = m.entity_id WHERE m.article_id IN ({marks})",
                chunk,
            )
            for article_id, name in rows:
                found.setdefault(str(article_id), set()).add(str(name))
        return found

    def entities(self, type_: str | None = None) -> list[StoredEntity]:
        sql = "SELECT id, name, type, lat, lon, gazetteer_id FROM entities"
        params: tuple[str, ...] = ()
        if type_:
            sql += " WHERE type = ? COLLATE NOCASE"
            params = (type_,)
        found = []
        for entity_id, name, kind, lat, lon, gazetteer_id in self.db.execute(
            sql, params
        ).fetchall():
            mentions = [
                (str(a), int(s), int(e))
                for a, s, e in self.db.execute(
                    "SELECT article_id, start, end FROM entity_mentions WHERE entity_id = ? "
                    "ORDER BY article_id, start",
                    (entity_id,),
                )
            ]
            geo = None if lat is None else {"lat": lat, "lon": lon, "gazetteer_id": gazetteer_id}
            found.append(StoredEntity(entity_id, name, kind, geo, mentions))
        return sorted(found, key=lambda e: (-len(e.mentions), e.name))

    def entities_of(self, article_ids: Sequence[str]) -> list[StoredEntity]:
        """The entities named in these articles, with their mentions there only (indexed by
        article: cost grows with the articles asked for, not the workspace)."""
        grouped: dict[str, tuple[str, str, dict[str, Any] | None, list[tuple[str, int, int]]]]
        grouped = {}
        for part, marks in id_chunks(article_ids):
            rows = self.db.execute(
                "SELECT e.id, e.name, e.type, e.lat, e.lon, e.gazetteer_id, m.article_id, "
                "m.start, m.end FROM entity_mentions m JOIN entities e ON e.id = m.entity_id "
                f"WHERE m.article_id IN ({marks})",
                part,
            )
            for entity_id, name, kind, lat, lon, gazetteer_id, article_id, start, end in rows:
                geo = (
                    None if lat is None else {"lat": lat, "lon": lon, "gazetteer_id": gazetteer_id}
                )
                entry = grouped.setdefault(str(entity_id), (str(name), str(kind), geo, []))
                entry[3].append((str(article_id), int(start), int(end)))
        found = [
            StoredEntity(entity_id, name, kind, geo, sorted(mentions))
            for entity_id, (name, kind, geo, mentions) in grouped.items()
        ]
        return sorted(found, key=lambda e: (-len(e.mentions), e.name))

    def annotations(self, article_id: str) -> dict[str, list[dict[str, Any]]]:
        """Times, quantities and attributions of one article, as report records."""
        times = [
            {
                "start": s,
                "end": e,
                "text": t,
                "value_start": vs,
                "value_end": ve,
                "precision": p,
                "background": None if b is None else bool(b),
            }
            for s, e, t, vs, ve, p, b in self.db.execute(
                "SELECT start, end, text, value_start, value_end, precision, background "
                "FROM time_refs "
                "WHERE article_id = ? ORDER BY start",
                (article_id,),
            )
        ]
        quantities = [
            {
                "start": s,
                "end": e,
                "text": t,
                "value": v,
                "low": lo,
                "high": hi,
                "unit": u,
                "counted": c,
                "approximator": ap,
            }
            for s, e, t, v, lo, hi, u, c, ap in self.db.execute(
                "SELECT start, end, text, value, low, high, unit, counted, approximator "
                "FROM quantities WHERE article_id = ? ORDER BY start",
                (article_id,),
            )
        ]
        quotes = [
            {"start": s, "end": e, "text": t, "speaker": sp, "direct": bool(d)}
            for s, e, t, sp, d in self.db.execute(
                "SELECT start, end, text, speaker, direct FROM attributions "
                "WHERE article_id = ? ORDER BY start",
                (article_id,),
            )
        ]
        return {"times": times, "quantities": quantities, "quotes": quotes}
