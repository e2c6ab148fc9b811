"""Issue 6's must-show on the seeds: the withdrawal is one fact backed by all five outlets, the
army's pledge one quote across RT, Bloomberg and Epoch Times, the genuine contradictions are
found and typed (Aleppo's rank among them) with no false alarm on top, 727 vs "at least 700"
is compatible, and RT's labels for the fighters sit beside AFP's and Bloomberg's."""

from __future__ import annotations

from typing import Any

import pytest

from storyline.workspace import Workspace

pytestmark = pytest.mark.quality
OUTLETS = {"RT", "Axios", "AFP", "Epoch Times", "Bloomberg"}


@pytest.fixture(scope="module")
def check(analysed_seeds: Workspace) -> dict[str, Any]:
    [story] = analysed_seeds.stories()
    return analysed_seeds.check(story["id"])


def _fact_holding(check: dict[str, Any], *phrases: str) -> dict[str, Any]:
    found = [
        f for f in check["facts"] if all(any(p in s["text"] for s in f["support"]) for p in phrases)
    ]
    assert len(found) == 1, f"expected one fact holding {phrases}, got {len(found)}"
    return found[0]


def test_the_withdrawal_from_hama_is_one_fact_of_all_five_outlets(check: dict[str, Any]) -> None:
    assert set(check["outlets"]) == OUTLETS
    fact = _fact_holding(check, "army has announced its withdrawal", "ceded control of the city")
    assert set(fact["outlets"]) == OUTLETS and fact["sources"] == 5
    assert fact["corroborated"]
    texts = " ".join(s["text"] for s in fact["support"])
    for phrase in ("withdrawn from the central city of Hama", "captured the city of Hama"):
        assert phrase in texts
    assert check["matrix"][0]["fact_id"] == fact["id"]  # the best-supported fact comes first
    assert set(check["matrix"][0]["cells"]) == OUTLETS


def test_the_armys_pledge_is_one_quote_across_rt_bloomberg_and_epoch(check: dict[str, Any]) -> None:
    fact = _fact_holding(check, "reclaiming the areas entered by", "restoring territories invaded")
    assert set(fact["outlets"]) == {"RT", "Bloomberg", "Epoch Times"}


def test_genuine_contradictions_typed_right_and_no_false_alarm(check: dict[str, Any]) -> None:
    conflicts = [c for c in check["contradictions"] if not c["compatible"]]
    kinds = {(c["kind"], frozenset(s["outlet"] for s in c["sides"])) for c in conflicts}
    assert ("ranking", frozenset({"AFP", "RT"})) in kinds  # Aleppo: largest vs second-largest
    assert ("numeric", frozenset({"RT", "Epoch Times"})) in kinds  # Homs: ~50 km vs 25 miles
    assert ("place", frozenset({"Bloomberg", "Epoch Times"})) in kinds  # 1982: Hama vs Homs
    assert len(conflicts) >= 3
    # every conflict reported is one of the planted-by-reality disputes: no false alarm on top
    assert len(conflicts[:10]) == 3
    ranking = next(c for c in conflicts if c["kind"] == "ranking")
    assert "Aleppo" in ranking["summary"]
    values = {s["outlet"]: s["value"] for s in ranking["sides"]}
    assert values == {"AFP": "largest city", "RT": "second-largest city"}
    for side in ranking["sides"]:  # the evidence span is exact text of its article
        assert side["span"]["text"] in side["claim"]["text"]


def test_727_and_at_least_700_are_compatible(check: dict[str, Any]) -> None:
    [item] = [
        c
        for c in check["contradictions"]
        if c["kind"] == "numeric" and {"AFP", "Bloomberg"} == {s["outlet"] for s in c["sides"]}
    ]
    assert item["compatible"]
    assert {s["span"]["text"] for s in item["sides"]} == {"727 people", "at last 700 people"}
    assert "differ in precision" in item["summary"]


def test_framing_sets_rts_labels_for_the_fighters_beside_afps_and_bloombergs(
    check: dict[str, Any],
) -> None:
    row = check["framing"][0]
    assert row["actor"] == "armed_opposition"
    assert "Hayat Tahrir al-Sham" in row["name"]
    labels = row["labels"]
    assert {"RT", "AFP", "Bloomberg"} <= set(labels)
    assert any("jihadist" in label for label in labels["RT"])
    assert "rebels" in labels["AFP"] and "rebels" not in labels["RT"]
    assert any("rebel" in label for label in labels["Bloomberg"])
    assert not any("jihadist" in label for label in labels["AFP"])
    # the army's own words, quoted, are not Bloomberg's voice
    assert "terrorist organizations" in row["quoted"]["Bloomberg"]
    assert "terrorist organizations" not in labels["Bloomberg"]
