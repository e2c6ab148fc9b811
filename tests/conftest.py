"""Shared fixtures. Tests that read ../shared (seeds, dev data) are marked `quality` and skip
with a reason when it is absent, so a stranger's clone still runs everything else."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from storyline.workspace import Workspace

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"


@pytest.fixture
def examples_dir() -> Path:
    return EXAMPLES


@pytest.fixture
def seeds_dir() -> Path:
    if not SEEDS.is_dir() or not any(SEEDS.glob("*.txt")):
        pytest.skip(f"seed articles not found at {SEEDS} (CI has ../shared beside the checkout)")
    return SEEDS


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    with Workspace.open(tmp_path / "ws.db") as ws:
        yield ws


@pytest.fixture(scope="session")
def analysed_seeds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    """The seeds through the whole pipeline, once per test session (read-only for tests)."""
    if not SEEDS.is_dir() or not any(SEEDS.glob("*.txt")):
        pytest.skip(f"seed articles not found at {SEEDS} (CI has ../shared beside the checkout)")
    with Workspace.open(tmp_path_factory.mktemp("seeds") / "w.db") as ws:
        ws.ingest([SEEDS])
        ws.run()
        yield ws
