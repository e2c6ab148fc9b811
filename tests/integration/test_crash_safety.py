"""SIGKILL at random points of `storyline analyze`, twenty times over one workspace: the file
always opens and passes `PRAGMA integrity_check`, nothing committed is lost, and the run that
finally completes gives the same stories, checks and briefs as a run never interrupted."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from tests.processes import start_storyline

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
KILLS = int(os.environ.get("STORYLINE_KILLS", "20"))


def analyze(db: Path, out: Path) -> subprocess.Popen[bytes]:
    return start_storyline(
        "analyze", str(EXAMPLES), "--db", str(db), "--out", str(out),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def snapshot(db: Path) -> dict[str, Any]:
    """What must never be lost or duplicated, read with plain sqlite3."""
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "articles" not in tables:
            return {"articles": set(), "members": {}}
        articles = {r[0] for r in conn.execute("SELECT id FROM articles")}
        members = (
            dict(conn.execute("SELECT article_id, story_id FROM story_members").fetchall())
            if "story_members" in tables
            else {}
        )
        for table, key in (("articles", "id"), ("story_members", "article_id")):
            if table in tables:
                total, distinct = conn.execute(
                    f"SELECT COUNT(*), COUNT(DISTINCT {key}) FROM {table}"
                ).fetchone()
                assert total == distinct, f"duplicate rows in {table}"
        return {"articles": articles, "members": members}


def outcome(out: Path) -> dict[str, Any]:
    """The report's meaning, without times."""
    data = json.loads((out / "report.json").read_text("utf-8"))
    return {
        "articles": sorted(
            (a["id"], (a["outlet"] or {}).get("name"), json.dumps(a["published"]))
            for a in data["articles"]
        ),
        "stories": sorted(
            (
                s["id"],
                tuple(sorted(s["article_ids"])),
                s["label"],
                len(s.get("facts", [])),
                json.dumps(s.get("contradictions", []), sort_keys=True),
                json.dumps([b.get("text") for b in s.get("brief", [])]),
            )
            for s in data["stories"]
        ),
    }


def wait_or_kill(process: subprocess.Popen[bytes], after: float) -> bool:
    """SIGKILL the process `after` seconds in, unless it exits first; True if killed."""
    deadline = time.monotonic() + after
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        time.sleep(0.05)
    if process.poll() is not None:
        return False
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    return True


@pytest.mark.slow
def test_random_sigkills_lose_nothing_and_the_final_result_is_unchanged(tmp_path: Path) -> None:
    """Kills land at seeded random times within a whole run's duration, so they hit ingest,
    every stage and the report; a workspace that a run completes is checked against the
    reference and the kills go on in a fresh one, until KILLS kills have landed."""
    reference_out = tmp_path / "reference"
    begin = time.monotonic()
    reference = analyze(tmp_path / "reference.db", reference_out)
    assert reference.wait(timeout=600) == 0
    duration = time.monotonic() - begin
    expected = outcome(reference_out)

    rng = random.Random(20261122)
    kills, completed, generation = 0, 0, 0
    db, out = tmp_path / "killed0.db", tmp_path / "killed0"
    seen: dict[str, Any] = {"articles": set(), "members": {}}
    for _ in range(KILLS * 4):
        if kills >= KILLS:
            break
        process = analyze(db, out)
        if wait_or_kill(process, rng.uniform(0.3, 0.9 * duration)):
            kills += 1
            if db.exists():
                now = snapshot(db)
                assert seen["articles"] <= now["articles"], "committed articles were lost"
                assert set(seen["members"]) <= set(now["members"]), "placements were lost"
                seen = now
            continue
        assert process.returncode == 0
        snapshot(db)
        assert outcome(out) == expected  # this workspace survived its kills intact
        completed += 1
        generation += 1
        db, out = tmp_path / f"killed{generation}.db", tmp_path / f"killed{generation}"
        seen = {"articles": set(), "members": {}}
    assert kills >= KILLS
    final = analyze(db, out)
    assert final.wait(timeout=600) == 0
    snapshot(db)
    assert outcome(out) == expected
    assert completed + 1 >= 2  # at least two workspaces were finished after kills
    print(f"{kills} kills; {completed + 1} workspaces finished after them, all as the reference")
