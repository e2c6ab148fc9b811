"""Extraction and cross-checks in worker processes give exactly what they give in process."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.executors import LocalExecutor
from storyline.workspace import Workspace, WorkspaceConfig

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TABLES = {
    "mentions": "SELECT * FROM mentions ORDER BY 1, 2, 3",
    "time_refs": "SELECT * FROM time_refs ORDER BY 1, 2, 3",
    "quantities": "SELECT * FROM quantities ORDER BY 1, 2, 3",
    "attributions": "SELECT * FROM attributions ORDER BY 1, 2, 3",
    "entities": "SELECT * FROM entities ORDER BY 1",
    "members": "SELECT article_id, story_id FROM story_members ORDER BY 1",
    "crosschecks": "SELECT story_id, members_hash, result_json FROM crosschecks ORDER BY 1",
    "syntheses": "SELECT story_id, result_json FROM syntheses ORDER BY 1",
}


def _dump(ws: Workspace) -> dict[str, list[tuple[object, ...]]]:
    return {name: [tuple(r) for r in ws.store._db.execute(sql)] for name, sql in TABLES.items()}


@pytest.mark.slow
def test_two_workers_give_the_same_annotations_stories_and_checks_as_one(tmp_path: Path) -> None:
    dumps = []
    for workers in (1, 2):
        config = WorkspaceConfig(workers=workers)
        with Workspace.open(tmp_path / f"w{workers}.db", config) as ws:
            ws.ingest([EXAMPLES])
            ws.run()
            dumps.append(_dump(ws))
    assert all(dumps[0][name] for name in TABLES)  # something was found in each table
    assert dumps[0] == dumps[1]


def test_the_executor_keeps_input_order_and_bounds_what_is_in_flight() -> None:
    executor = LocalExecutor(workers=2, prefetch=1)
    try:
        assert list(executor.map(abs, range(-20, 0))) == list(range(20, 0, -1))
    finally:
        executor.close()
    assert list(LocalExecutor().map(str, [1, 2])) == ["1", "2"]
    with pytest.raises(ValueError):
        LocalExecutor(workers=0)
