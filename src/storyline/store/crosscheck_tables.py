"""SQLite access for the cross-check stage's table (migration 0006).

A story's cross-check is stored whole, as the report sections it produces: it is read whole
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


class CrossCheckTables:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def hashes(self, stage: str) -> dict[str, str]:
        rows = self.db.execute(
            "SELECT story_id, members_hash FROM crosschecks WHERE stage = ?", (stage,)
        )
        return {str(s): str(h) for s, h in rows}

    def put(self, story_id: str, hash_: str, stage: str, sections: dict[str, Any]) -> None:
        self.db.execute(
            "INSERT INTO crosschecks VALUES (?, ?, ?, ?, ?) ON CONFLICT (story_id) DO UPDATE SET "
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
        gone = [s for (s,) in self.db.execute("SELECT story_id FROM crosschecks") if s not in keep]
        self.db.executemany("DELETE FROM crosschecks WHERE story_id = ?", [(s,) for s in gone])
        return len(gone)

    def sections(self) -> dict[str, dict[str, Any]]:
        return {
            str(s): json.loads(r)
            for s, r in self.db.execute("SELECT story_id, result_json FROM crosschecks")
        }

    def get(self, story_id: str) -> dict[str, Any] | None:
        row = self.db.execute(
            "SELECT result_json FROM crosschecks WHERE story_id = ?", (story_id,)
        ).fetchone()
        return json.loads(row[0]) if row else None
