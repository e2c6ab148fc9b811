"""Workspaces written by earlier versions of Storyline open, migrate forward and keep their
data. One fixture per schema version that reached main (tests/fixtures/schemas/, built by
build_fixture.sh from the commit named below); add one whenever a migration lands."""

from __future__ import annotations

import multiprocessing
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from storyline.report import validate_report
from storyline.store.sqlite import SQLiteStore
from storyline.workspace import Workspace

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "schemas"
# version -> the commit that wrote it (see build_fixture.sh)
WRITTEN_BY = {1: "f459ab8", 4: "c903393^", 7: "93577ac"}


def _rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as db:
        return db.execute(sql).fetchall()


@pytest.mark.parametrize("version", sorted(WRITTEN_BY))
def test_an_older_workspace_migrates_forward_and_keeps_its_articles(
    tmp_path: Path, version: int
) -> None:
    fixture = FIXTURES / f"schema_v{version}.db"
    path = tmp_path / fixture.name
    shutil.copy(fixture, path)
    before = _rows(path, "SELECT id, text, outlet, published FROM articles ORDER BY id")
    assert _rows(path, "PRAGMA user_version") == [(version,)]
    assert len(before) == 4
    with Workspace.open(path) as ws:
        latest = ws.store.schema_version()
        assert latest > version
        ws.run()  # every stage works on the migrated file
        stories = ws.store.stories.stories()
        assert sum(len(s.articles) for s in stories) == 4
        validate_report(ws.report().to_dict())
    after = _rows(path, "SELECT id, text, outlet, published FROM articles ORDER BY id")
    assert after == before
    assert _rows(path, "PRAGMA integrity_check") == [("ok",)]
    assert _rows(path, "PRAGMA user_version") == [(latest,)]


def test_a_story_history_survives_the_split_migration(tmp_path: Path) -> None:
    """Migration 0008 rebuilds story_events (to allow 'split'); v7's events must all be kept."""
    path = tmp_path / "v7.db"
    shutil.copy(FIXTURES / "schema_v7.db", path)
    before = _rows(path, "SELECT seq, kind, story_id, other, at FROM story_events ORDER BY seq")
    assert before
    Workspace.open(path).close()
    after = _rows(path, "SELECT seq, kind, story_id, other, at FROM story_events ORDER BY seq")
    assert after == before
    with Workspace.open(path) as ws, ws.store.atomic():
        ws.store.stories.split(str(before[0][2]), "ffffffffffffffff", "2026-11-22T00:00:00+00:00")
    assert _rows(path, "SELECT MAX(seq) FROM story_events") == [(len(before) + 1,)]


def _open_when_released(path: str, barrier: Any) -> int:
    barrier.wait()
    store = SQLiteStore(path)
    version = store.schema_version()
    store.close()
    return version


def test_processes_creating_one_new_workspace_at_once_each_open_it(tmp_path: Path) -> None:
    """Both see version 0 before either migrates; the one that waits for the lock must
    not replay migrations the other applied (it once failed: table articles exists)."""
    context = multiprocessing.get_context("fork")
    for attempt in range(8):
        path = str(tmp_path / f"race{attempt}.db")
        with context.Manager() as manager:
            barrier = manager.Barrier(3)
            with context.Pool(3) as pool:
                results = [pool.apply_async(_open_when_released, (path, barrier)) for _ in range(3)]
                versions = [result.get(timeout=60) for result in results]
        assert len(set(versions)) == 1 and versions[0] > 0
