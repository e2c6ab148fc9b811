"""The incremental story clusterer: joins, opens, decay, stable ids, merges, batch-size and
resumption independence (stories/cluster.py, features.py, label.py)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from storyline.stories import cluster as cluster_module
from storyline.stories.cluster import Arrival, StoryClusterer, cluster_records, resume
from storyline.stories.features import StoryText, document_frequencies, terms, weigh
from storyline.stories.label import story_label

HAMA = [
    "The Syrian army withdrew from Hama after rebels led by HTS entered the city.",
    "Rebels entered Hama and the Syrian army said it had redeployed outside the city.",
    "HTS fighters took Hama; the army pulled out of the city to spare civilians.",
]
BRIDGE = [
    "A container ship struck the Key Bridge in Baltimore, and the bridge collapsed.",
    "The Key Bridge in Baltimore collapsed after the container ship Dali hit a pier.",
]
DAY = dt.date(2024, 12, 5)


def arrivals(texts: list[str], days: list[dt.date | None] | None = None) -> list[Arrival]:
    counts = [terms(StoryText(str(i), t)) for i, t in enumerate(texts)]
    df = document_frequencies(counts)
    days = days or [None] * len(texts)
    return [Arrival(f"a{i}", weigh(c, df, len(texts)), days[i]) for i, c in enumerate(counts)]


def groups(placements: list[object]) -> list[set[str]]:
    found: dict[str, set[str]] = {}
    for p in placements:
        found.setdefault(p.story_id, set()).add(p.article_id)  # type: ignore[attr-defined]
    return sorted(found.values(), key=sorted)


def test_same_event_joins_and_another_event_opens_a_story() -> None:
    placed = StoryClusterer(threshold=0.1).add(arrivals(HAMA + BRIDGE))
    assert groups(placed) == [{"a0", "a1", "a2"}, {"a3", "a4"}]
    assert [p.similarity is None for p in placed] == [True, False, False, True, False]
    assert {p.story_id for p in placed} == {"a0", "a3"}  # a story is named by its first article


def test_result_does_not_depend_on_batch_size(monkeypatch: pytest.MonkeyPatch) -> None:
    items = arrivals(HAMA + BRIDGE)
    whole = groups(StoryClusterer(threshold=0.1).add(items))
    monkeypatch.setattr(cluster_module, "BATCH", 1)
    assert groups(StoryClusterer(threshold=0.1).add(items)) == whole


def test_resuming_from_stored_stories_equals_one_run() -> None:
    items = arrivals(HAMA + BRIDGE)
    first = StoryClusterer(threshold=0.1)
    head = first.add(items[:2])
    later = resume(first.stories.values(), threshold=0.1).add(items[2:])
    assert groups(head + later) == groups(StoryClusterer(threshold=0.1).add(items))


def test_days_apart_decay_the_similarity() -> None:
    near = arrivals(HAMA[:2], [DAY, DAY + dt.timedelta(days=1)])
    far = arrivals(HAMA[:2], [DAY, DAY + dt.timedelta(days=120)])
    assert len(groups(StoryClusterer(threshold=0.1).add(near))) == 1
    assert len(groups(StoryClusterer(threshold=0.1).add(far))) == 2


def test_merge_pass_joins_stories_that_arrival_order_kept_apart() -> None:
    items = arrivals(HAMA)
    clusterer = StoryClusterer(threshold=0.1)
    first = clusterer.add(items[:1])
    # Open a second story by hand, as an early article with little overlap would have.
    clusterer.threshold = 2.0
    second = clusterer.add(items[1:])
    assert len(groups(first + second)) == 3
    clusterer.threshold = 0.1
    merges = clusterer.merge_similar({p.story_id for p in first + second})
    assert len(merges) == 2 and set(clusterer.stories) == {"a0"}
    assert clusterer.stories["a0"].size == 3


def test_cluster_records_orders_by_date_and_returns_labels_in_input_order() -> None:
    records = [
        {"text": BRIDGE[0], "published": "2024-03-27"},
        {"text": HAMA[0], "published": "2024-12-05"},
        {"text": BRIDGE[1], "published": "2024-03-26"},
        {"text": HAMA[1], "published": "2024-12-05"},
    ]
    labels = cluster_records(records, threshold=0.1)
    assert labels[0] == labels[2] == "2"  # the earlier bridge article names the story
    assert labels[1] == labels[3] != labels[0]


def test_names_and_numbers_get_their_own_features() -> None:
    found = terms(StoryText("x", "Rebels took Hama. The army lost 727 men.", "Hama falls"))
    assert found["hama"] == 3  # the title counts twice
    assert found["N:hama"] == 1  # inside a sentence; the title's "Hama" starts its line
    assert "N:rebels" not in found  # sentence-initial capitals are not names
    assert found["#:727"] == 1 and "the" not in found


def test_label_is_built_from_shared_entities_not_a_headline() -> None:
    centroid = {"E:Hama": 2.0, "E:Syria": 1.0, "army": 1.5, "withdrawal": 1.2, "city": 1.0}
    centroid["terrorists"] = 0.2  # one outlet's word weighs little in the whole story
    label = story_label(centroid, Counter({"Hama": 5, "Syria": 5, "the Syrian Army": 2}))
    # "army" is already in a name; words the names hold are not repeated
    assert label == "Hama, Syria, Syrian Army: withdrawal, city"
    assert story_label({}) == "untitled story"


def test_an_article_as_close_to_two_stories_opens_its_own() -> None:
    """The margin rule: in a crowded topic (many look-alike stories) joining the nearest is
    a guess, so an article must prefer one story clearly to join it."""
    a = Arrival("a", {"hama": 1.0})
    b = Arrival("b", {"homs": 1.0})
    both = Arrival("both", {"hama": 0.7071, "homs": 0.7071})
    loose = StoryClusterer(threshold=0.1, margin=1.0).add([a, b, both])
    strict = StoryClusterer(threshold=0.1, margin=1.5).add([a, b, both])
    assert loose[-1].story_id in ("a", "b")
    assert strict[-1].story_id == "both" and strict[-1].similarity is None
