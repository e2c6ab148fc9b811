"""The hand-made extraction gold on the example corpus (examples/gold): the file is well-formed,
and the pipeline stays above floors a little under what it scores now.

The floors are not targets: where the system is wrong the gold stays right and the floor is
low (docs/extraction.md, "Gold set from the example corpus", lists the misses). Raise a floor
when a fix lifts its score.
"""

from __future__ import annotations

import json
from collections import defaultdict

import pytest

from storyline.evaluation.example_gold import (
    EXAMPLES,
    GOLD_PATH,
    ExampleGoldScores,
    article_texts,
    check_gold,
    evaluate,
    load_gold,
    locate,
    locate_entities,
    parse_value,
    speaker_matches,
)
from storyline.report import Report
from storyline.workspace import analyze

pytestmark = pytest.mark.slow

# Measured (docs/extraction.md) minus a small margin.
FLOORS = {
    "entity_exact_f1": 0.90,  # 0.927
    "entity_exact_typed_f1": 0.85,  # 0.875
    "entity_overlap_f1": 0.92,  # 0.948
    "entity_chain_f1": 0.93,  # 0.966 (all singletons: 0.674)
    "place_country": 0.74,  # 0.772
    "place_within_50km": 0.64,  # 0.676
    "time_found": 0.95,  # 0.980
    "time_resolved": 0.85,  # 0.880 (quake_01 month-dated: its day is inferred)
    "time_tagged": 0.92,  # 0.960
    "quantity_found": 0.96,  # 0.989
    "quantity_value": 0.80,  # 0.840
    "quantity_counted": 0.75,  # 0.789
    "quantity_approximator": 0.95,  # 0.987
    "quote_recall": 0.55,  # 0.592
    "quote_precision": 0.91,  # 0.955
    "quote_speaker": 0.51,  # 0.549
}


@pytest.fixture(scope="module")
def report() -> Report:
    return analyze([EXAMPLES])


@pytest.fixture(scope="module")
def scores(report: Report) -> ExampleGoldScores:
    return evaluate(report)


def test_gold_is_well_formed(report: Report) -> None:
    gold = load_gold()
    texts = {label: text for label, (_, text) in article_texts(report).items()}
    assert check_gold(gold, texts) == []
    assert len(gold.articles) >= 8
    assert {a.event for a in gold.articles} == {"bridge", "suez", "quake"}
    files = {a.file for a in gold.articles}
    assert "quake_01_orbis_dispatch.txt" in files
    assert any(f.endswith(".html") for f in files)
    assert any(a.file == "mixed_feed.jsonl" and a.id for a in gold.articles)


def test_every_annotated_string_is_in_its_cleaned_text(report: Report) -> None:
    gold = load_gold()
    texts = {label: text for label, (_, text) in article_texts(report).items()}
    total = 0
    for article in gold.articles:
        text = texts[article.label]
        for span, _, _ in locate_entities(text, article.entities):
            assert text[span.start : span.end] == span.text
        for item in (*article.times, *article.quantities, *article.quotes):
            span = locate(text, item)
            assert text[span.start : span.end] == item["text"]
        total += len(article.entities) + len(article.times)
        total += len(article.quantities) + len(article.quotes)
    assert 150 <= total <= 400


def test_referents_are_consistent() -> None:
    raw = json.loads(GOLD_PATH.read_text(encoding="utf-8"))
    types: dict[str, set[str]] = defaultdict(set)
    for article in raw["articles"]:
        for item in article["entities"]:
            types[item["referent"]].add(item["type"])
    assert {r: t for r, t in types.items() if len(t) > 1} == {}
    # One key for every spelling of the same thing, across articles.
    spellings: dict[str, set[str]] = defaultdict(set)
    for article in raw["articles"]:
        for item in article["entities"]:
            spellings[item["referent"]].add(item["text"])
    assert {"Turkey", "Türkiye"} <= spellings["Turkey"]
    assert {"Erdogan", "Erdoğan", "Tayyip Erdogan"} <= spellings["Recep Tayyip Erdoğan"]
    assert {"Wes Moore", "Moore"} <= spellings["Wes Moore"]
    places = set(raw["places"])
    assert {r for r, t in types.items() if "PLACE" in t} == places


def test_quake_01_is_resolved_against_its_real_day() -> None:
    (quake_01,) = [a for a in load_gold().articles if a.file == "quake_01_orbis_dispatch.txt"]
    assert quake_01.published.isoformat() == "2023-02-07"
    values = {t["text"]: t["value"] for t in quake_01.times}
    assert values["early Monday"] == "2023-02-06"
    assert values["By Tuesday morning"] == "2023-02-07"


def test_helpers() -> None:
    assert [d.isoformat() for d in parse_value("2021-03")] == ["2021-03-01", "2021-03-31"]
    assert [d.isoformat() for d in parse_value("1977")] == ["1977-01-01", "1977-12-31"]
    assert [d.isoformat() for d in parse_value("2021-03-29/2021-04-04")] == [
        "2021-03-29",
        "2021-04-04",
    ]
    assert speaker_matches("Suez Canal Authority", "The authority")
    assert speaker_matches("a crane operator", "A crane operator who had gathered")
    assert not speaker_matches("NATO", "Russia and several Gulf")
    assert not speaker_matches("engineers", "The")


def test_scores_stay_above_floors(scores: ExampleGoldScores) -> None:
    rates = scores.rates()
    assert set(rates) == set(FLOORS)
    below = {k: round(v, 3) for k, v in rates.items() if v < FLOORS[k]}
    assert below == {}, f"below floor: {below}"


def test_chains_beat_singletons(scores: ExampleGoldScores) -> None:
    assert scores.entities.chain_f1 > scores.entities.singleton_f1 + 0.2
