"""SQLite access for the per-story result tables: the cross-check's (migration 0006) and the
synthesis's (0007).

A story's result is stored whole, as the report sections it produces: it is read whole
(report, CLI, web) and rebuilt whole when the story changes, so rows per fact would only add
joins. `members_hash` says which membership a result belongs to.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from collections.abc import Iterable
from typing import Any


def members_hash(article_ids: Iterable[str]) -> str:
    return hashlib.sha256("\x1f".join(sorted(article_ids)).encode()).hexdigest()[:32]


class StoryResultTable:
    """One row per story in `table` (crosschecks or syntheses)."""

    TABLES = frozenset({"crosschecks", "syntheses"})

    def __init__(self, db: sqlite3.Connection, table: str = "crosschecks") -> None:
        if table not in self.TABLES:
            raise ValueError(f"unknown story result table {table!r}")
        self.db = db
        self.table = table

    def hashes(self, stage: str | None = None) -> dict[str, str]:
        """Story -> the membership hash of its stored result (of one stage version, if given)."""
        if stage is None:
            rows = self.db.execute(f"SELECT story_id, members_hash FROM {self.table}")
        else:
            rows = self.db.execute(
                f"SELECT story_id, members_hash FROM {self.table} WHERE stage = ?", (stage,)
            )
        return {str(s): str(h) for s, h in rows}

    def put(self, story_id: str, hash_: str, stage: str, sections: dict[str, Any]) -> None:
        self.db.execute(
            f"INSERT INTO {self.table} VALUES (?, ?, ?, ?, ?) ON CONFLICT (story_id) DO UPDATE SET "
            "members_hash = excluded.members_hash, stage = excluded.stage, "
            "result_json = excluded.result_json, at = excluded.at",
            (
                story_id,
                hash_,
                stage,
                json.dumps(sections, ensure_ascii=False),
                dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            ),
        )

    def drop_except(self, story_ids: Iterable[str]) -> int:
        """Forget the cross-checks of stories that no longer exist (merged away)."""
        keep = set(story_ids)
        rows = self.db.execute(f"SELECT story_id FROM {self.table}")
        gone = [s for (s,) in rows if s not in keep]
        self.db.executemany(f"DELETE FROM {self.table} WHERE story_id = ?", [(s,) for s in gone])
        return len(gone)

    def updated_since(self, at: str) -> dict[str, dict[str, Any]]:
        """Results written at or after `at` (ISO, UTC), by story."""
        return {
            str(s): json.loads(r)
            for s, r in self.db.execute(
                f"SELECT story_id, result_json FROM {self.table} WHERE at >= ?", (at,)
            )
        }

    def sections(self) -> dict[str, dict[str, Any]]:
        return {
            str(s): json.loads(r)
            for s, r in self.db.execute(f"SELECT story_id, result_json FROM {self.table}")
        }

    def get(self, story_id: str) -> dict[str, Any] | None:
        row = self.db.execute(
            f"SELECT result_json FROM {self.table} WHERE story_id = ?", (story_id,)
        ).fetchone()
        return json.loads(row[0]) if row else None


CrossCheckTables = StoryResultTable  # the name the cross-check stage reads best with
