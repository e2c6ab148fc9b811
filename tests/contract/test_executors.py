"""Extraction and cross-checks in worker processes (local or Ray) give exactly what they give
in process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline.evaluation.dupgen import generate
from storyline.executors import LocalExecutor, RayExecutor, Resources, make_executor
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


def _grown_corpus(tmp_path: Path, total: int) -> Path:
    """The examples plus generated near-duplicates of them (re-ledes, trims, rewordings,
    composites) under the outlets and dates of their originals: a few hundred articles."""
    with Workspace.open(tmp_path / "base.db") as ws:
        ws.ingest([EXAMPLES])
        articles = list(ws.store.iter_articles())
    by_id = {a.id: a for a in articles}
    rows = []
    for doc in generate([(a.id, a.text) for a in articles], total, copy_share=0.9):
        root = by_id[sorted(doc.roots)[0]]
        published = root.published.value.isoformat() if root.published else None
        outlet = root.outlet.name if root.outlet else None
        rows.append({"id": doc.id, "text": doc.text, "outlet": outlet, "published": published})
    path = tmp_path / "grown.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), "utf-8")
    return path


@pytest.mark.slow
def test_the_ray_executor_gives_what_the_local_one_gives(tmp_path: Path) -> None:
    pytest.importorskip("ray", reason="the Ray executor needs the 'ray' extra (in 'dev')")
    corpus = _grown_corpus(tmp_path, 300)
    dumps = []
    for name, config in (
        ("local", WorkspaceConfig(workers=1)),
        ("ray", WorkspaceConfig(workers=2, executor="ray")),
    ):
        with Workspace.open(tmp_path / f"{name}.db", config) as ws:
            summary = ws.ingest([corpus, EXAMPLES])
            assert summary.added >= 200  # some edits of short texts coincide
            ws.run()
            dumps.append(_dump(ws))
    assert all(dumps[0][name] for name in TABLES)
    assert dumps[0] == dumps[1]


@pytest.mark.slow
def test_ray_actors_keep_order_and_load_once_per_worker() -> None:
    pytest.importorskip("ray", reason="the Ray executor needs the 'ray' extra (in 'dev')")
    executor = RayExecutor(workers=2, prefetch=1)
    try:
        assert list(executor.map(abs, range(-20, 0))) == list(range(20, 0, -1))
        pids = set(executor.map(_worker_pid, range(8), Resources(cpus=1)))
        assert len(pids) == 2  # the same two long-lived actors served all eight batches
    finally:
        executor.close()


def _worker_pid(_: int) -> int:
    import os

    return os.getpid()


def test_executors_are_picked_by_name() -> None:
    assert isinstance(make_executor("local", 2), LocalExecutor)
    assert isinstance(make_executor("ray", 2), RayExecutor)  # nothing starts until used
    with pytest.raises(ValueError, match="unknown executor"):
        make_executor("dask")
