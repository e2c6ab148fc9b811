"""The changes page: what a watched workspace gained since a time, and nothing before it."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from starlette.testclient import TestClient

from storyline.web.app import create_app
from storyline.workspace import Workspace

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_changes_since_a_time_list_only_what_came_after(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "w.db") as ws:
        ws.ingest(sorted(EXAMPLES.glob("bridge_*")))
        ws.run()
        time.sleep(1.1)  # stored times have one-second resolution
        mark = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        ws.ingest(sorted(EXAMPLES.glob("quake_*")))
        ws.run()
        quake_ids = {a.id for a in ws.articles() if a.source.split("/")[-1].startswith("quake")}
        client = TestClient(create_app(ws))
        data = client.get("/api/changes", params={"since": mark}).json()
        assert data["since"] == mark
        assert {a["id"] for a in data["articles"]} == quake_ids
        changed = {s["id"]: s for s in data["stories"]}
        quake_stories = {ws.store.stories.story_of(a) for a in quake_ids}
        assert set(changed) == quake_stories  # the bridge stories did not change
        assert sum(s["size"] for s in changed.values()) == len(quake_ids)
        assert all(s["events"].get("open", 0) >= 1 and s["rechecked"] for s in changed.values())
        story = max(changed.values(), key=lambda s: s["size"])
        everything = client.get("/api/changes", params={"since": "2000-01-01"}).json()
        assert len(everything["stories"]) > 1 and len(everything["articles"]) > len(quake_ids)
        page = client.get("/changes", params={"since": mark})
        assert page.status_code == 200 and story["label"] in page.text
        bad = client.get("/api/changes", params={"since": "yesterday-ish"})
        assert bad.status_code == 422 and bad.json()["error"]["code"]
