"""Issue 3's must-show on the seeds: 000 = RT's story (001) with an Axios story glued under it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from storyline.workspace import analyze

pytestmark = pytest.mark.quality
SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    if not SEEDS.is_dir():
        pytest.skip(f"seed articles not found at {SEEDS} (CI has ../shared beside the checkout)")
    return analyze([SEEDS]).to_dict()


def seed(report: dict[str, Any], prefix: str) -> dict[str, Any]:
    return next(a for a in report["articles"] if Path(a["source"]).name.startswith(prefix))


def test_000_contains_001_with_the_span_of_001s_story(report: dict[str, Any]) -> None:
    rt, glued = seed(report, "001"), seed(report, "000")
    [entry] = report["duplicates"]  # no other seed pair is a duplicate
    assert entry["kind"] == "composite"
    assert entry["articles"] == [rt["id"], glued["id"]]
    container_span, original_span = entry["spans"]
    assert container_span["article_id"] == glued["id"]
    assert container_span["text"] == rt["text"]  # the whole RT story, nothing more
    assert original_span["text"] == rt["text"]
    assert entry["similarity"] >= 0.99


def test_remaining_part_is_kept_and_attributed_to_axios(report: dict[str, Any]) -> None:
    rt, glued = seed(report, "001"), seed(report, "000")
    first, second = glued["parts"]
    assert (first["outlet"], first["duplicate_of"]) == ("RT", rt["id"])
    assert (second["outlet"], second["duplicate_of"]) == ("Axios", None)
    remainder = glued["text"][second["start"] : second["end"]]
    assert "Israeli intelligence officials" in remainder
    assert "Human Rights Watch" not in remainder  # the last RT paragraph is in part one
    assert second["end"] == len(glued["text"])


def test_independent_units_count_rt_once_and_keep_the_axios_part(report: dict[str, Any]) -> None:
    rt, glued = seed(report, "001"), seed(report, "000")
    units = {(u["article_id"], u["outlet"]) for u in report["independent_units"]}
    assert (rt["id"], "RT") in units
    assert (glued["id"], "Axios") in units
    assert (glued["id"], "RT") not in units  # the copied half is not a second RT source
    assert len(report["independent_units"]) == 5  # 001, 000's Axios part, 002, 003, 004
