"""Issue 7's must-show on the seeds: a brief of 5-10 cited sentences that states the
withdrawal, names HTS neutrally, states a dispute with both sides attributed and uses no
"terrorist" or "jihadist" label in its own voice; a timeline with 2024-11-27, 2024-12-04 and
2024-12-05 as news and 1982, 2011 and 2016 as background."""

from __future__ import annotations

import re
from typing import Any

import pytest

from storyline.synthesis.verify import unsupported
from storyline.workspace import Workspace

pytestmark = pytest.mark.quality
OUTLETS = ("RT", "Axios", "AFP", "Epoch Times", "Bloomberg")
QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")


@pytest.fixture(scope="module")
def story(analysed_seeds: Workspace) -> dict[str, Any]:
    [found] = analysed_seeds.stories()
    texts = {a.id: a.text for a in analysed_seeds.articles()}
    return {**analysed_seeds.synthesis(found["id"]), "texts": texts}


def test_brief_of_5_to_10_cited_sentences(story: dict[str, Any]) -> None:
    brief = story["brief"]
    assert 5 <= len(brief) <= 10
    for sentence in brief:
        assert sentence["citations"], sentence["text"]
        for span in sentence["citations"]:  # every citation is exact text of its article
            assert story["texts"][span["article_id"]][span["start"] : span["end"]] == span["text"]
        cited = [c["text"] for c in sentence["citations"]]
        assert unsupported(sentence["text"], cited, sentence["outlets"]) == []


def test_brief_states_the_withdrawal_first(story: dict[str, Any]) -> None:
    first = story["brief"][0]
    assert "Hama" in first["text"]
    assert re.search(r"withdr|ceded control|lost control|redeploy", first["text"])
    assert set(first["outlets"]) == set(OUTLETS)


def test_brief_names_hts_neutrally_and_without_loaded_labels(story: dict[str, Any]) -> None:
    text = " ".join(s["text"] for s in story["brief"])
    assert "Hayat Tahrir al-Sham" in text or "HTS" in text
    own_voice = QUOTED.sub(" ", text).lower()
    assert "terrorist" not in own_voice and "jihadist" not in own_voice


def test_brief_states_disputes_with_both_sides_attributed(story: dict[str, Any]) -> None:
    disputes = [s for s in story["brief"] if s["kind"] == "dispute"]
    assert disputes
    aleppo = next(s for s in disputes if "Aleppo" in s["text"])
    assert "AFP" in aleppo["text"] and "RT" in aleppo["text"]
    assert "largest" in aleppo["text"] and "second-largest" in aleppo["text"]


def test_timeline_news_and_background(story: dict[str, Any]) -> None:
    news = {e["date"] for e in story["timeline"] if not e["background"]}
    background = {e["date"] for e in story["timeline"] if e["background"]}
    assert {"2024-11-27", "2024-12-04", "2024-12-05"} <= news
    assert {"1982", "2011", "2016"} <= background
    dates = [(e["background"] is False, e["date"]) for e in story["timeline"]]
    assert dates == sorted(dates)  # history first, each part in date order
    offensive = next(e for e in story["timeline"] if e["date"] == "2024-11-27")
    assert "offensive" in offensive["text"] and offensive["granularity"] == "day"
    assert "<svg" in story["timeline_svg"] and "2024-11-27" in story["timeline_svg"]
