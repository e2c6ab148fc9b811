"""A workspace of the example corpus plus one hostile article, analysed once per session."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from storyline.workspace import Workspace

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
HOSTILE_TEXT = (
    "The harbour council met on Monday <script>alert('x')</script> and voted to close the "
    "Quayside Bridge, officials said. <img src=x onerror=alert(1)> Read "
    '<a href="javascript:alert(1)">this</a> and [this](javascript:alert(2)).\n\n'
    "The Quayside Bridge carries 40,000 cars a day."
)


@pytest.fixture(scope="session")
def web_workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    folder = tmp_path_factory.mktemp("web")
    hostile = folder / "hostile.jsonl"
    hostile.write_text(
        json.dumps(
            {
                "id": "hostile-1",
                "outlet": "Evil <b>Gazette</b>",
                "title": "Council <script>alert('title')</script> votes",
                "published": "2024-03-04",
                "text": HOSTILE_TEXT,
            }
        )
        + "\n",
        encoding="utf-8",
    )
    with Workspace.open(folder / "w.db") as ws:
        ws.ingest([EXAMPLES, hostile])
        ws.run()
        yield ws
