"""Readers while a writer runs, and two writers at once, on one workspace file (WAL)."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from storyline.web.app import create_app
from storyline.workspace import Workspace
from tests.processes import start_storyline

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def analyze(db: Path, out: Path) -> subprocess.Popen[str]:
    return start_storyline(
        "analyze", str(EXAMPLES), "--db", str(db), "--out", str(out),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


@pytest.mark.slow
def test_the_web_app_keeps_answering_while_a_run_writes(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    Workspace.open(db).close()  # the file exists (and is migrated) before the app opens it
    writer = analyze(db, tmp_path / "out")
    statuses: list[int] = []
    with Workspace.open(db) as reader:
        client = TestClient(create_app(reader))
        while writer.poll() is None:
            for path in ("/api/stories", "/", "/api/articles", "/api/changes"):
                statuses.append(client.get(path).status_code)
            time.sleep(0.05)
        assert writer.returncode == 0, writer.stderr.read() if writer.stderr else ""
        final = client.get("/api/stories").json()
    assert len(statuses) >= 20 and set(statuses) == {200}
    assert final["total"] >= 3  # the app sees the finished run


@pytest.mark.slow
def test_two_runs_on_one_workspace_serialise_or_the_second_refuses_clearly(
    tmp_path: Path,
) -> None:
    db = tmp_path / "w.db"
    first, second = analyze(db, tmp_path / "a"), analyze(db, tmp_path / "b")
    outcomes = []
    for process in (first, second):
        _stdout, stderr = process.communicate(timeout=600)
        outcomes.append((process.returncode, stderr))
    for code, stderr in outcomes:
        assert code == 0 or (code == 1 and "is being written by another process" in stderr), stderr
        assert "Traceback" not in stderr and "database is locked" not in stderr
    assert any(code == 0 for code, _ in outcomes)
    # Whatever happened, the workspace holds one complete, consistent result.
    with Workspace.open(db) as ws:
        ws.run()
        assert ws.store.count_articles() == 16
        placed = sum(len(s.articles) for s in ws.store.stories.stories())
        assert placed == 16
        assert ws.store._db.execute("PRAGMA integrity_check").fetchall()[0][0] == "ok"
