"""`storyline ingest URL`, `feeds` and `watch` as a user runs them: a real process, a real
workspace file, the loopback site."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from storyline.workspace import Workspace
from tests.processes import storyline_env
from tests.sources.conftest import PAGES_FOR_TESTS, Site


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "storyline", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=storyline_env(),
    )


def test_ingest_url_refuses_loopback_without_the_flag_and_fetches_with_it(
    tmp_path: Path, site: Site
) -> None:
    db = str(tmp_path / "w.db")
    url = site.url(PAGES_FOR_TESTS[0])
    refused = run("ingest", url, "--db", db)
    assert refused.returncode == 1  # nothing read, a problem
    assert "problem [private-address]" in refused.stderr and "--allow-private" in refused.stderr
    assert sum(site.hits.values()) == 0
    done = run("ingest", url, site.url("/error"), "--db", db, "--allow-private", "--timeout", "1")
    assert done.returncode == 0, done.stderr
    assert "read 1 documents: 1 new" in done.stdout
    assert done.stderr.count("problem [") == 1 and "problem [http-500]" in done.stderr


def test_feeds_add_pull_list_and_watch(tmp_path: Path, site: Site) -> None:
    db = str(tmp_path / "w.db")
    feed = site.url("/feed.xml")
    assert "added" in run("feeds", "add", feed, "--outlet", "Loopback Ledger", "--db", db).stdout
    pulled = run("feeds", "pull", "--db", db, "--allow-private")
    assert pulled.returncode == 0, pulled.stderr
    assert f"{feed}: 200 (3 new), 3 items, 3 new, 3 articles added" in pulled.stdout
    listed = run("feeds", "list", "--db", db, "--json")
    (entry,) = [json.loads(line) for line in listed.stdout.splitlines()]
    assert entry["url"] == feed and entry["last_status"] == "200 (3 new)"
    watched = run("watch", "--db", db, "--every", "0", "--cycles", "2", "--allow-private")
    assert watched.returncode == 0, watched.stderr
    lines = [line for line in watched.stdout.splitlines() if "cycle" in line]
    assert len(lines) == 2
    assert "1 feeds, 0 new items, 0 articles added" in lines[0]
    assert "cross-check 1 stories" in lines[0]  # the three Suez pages: one story, checked
    assert "stories 0 opened, 0 joined, 0 merged · cross-check 0 stories" in lines[1]
    with Workspace.open(db) as ws:
        (story,) = ws.store.stories.stories()
        assert len(story.articles) == 3
        assert ws.store.crosschecks.hashes(ws.crosscheck_stage.name)
    assert all(site.hits[p] == 1 for p in PAGES_FOR_TESTS)


def test_watch_without_feeds_says_what_to_do(tmp_path: Path) -> None:
    result = run("watch", "--db", str(tmp_path / "w.db"), "--cycles", "1")
    assert result.returncode == 1 and "storyline feeds add URL" in result.stderr


def test_feeds_add_rejects_what_is_not_a_web_address(tmp_path: Path) -> None:
    result = run("feeds", "add", "/etc/passwd", "--db", str(tmp_path / "w.db"))
    assert result.returncode == 1 and "not an http(s) URL" in result.stderr
