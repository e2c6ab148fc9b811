"""Clustering scores (evaluation/cluster_eval.py) against hand-computed values and brute force."""

from __future__ import annotations

import itertools
import json
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline.errors import StorylineError
from storyline.evaluation.cluster_eval import ClusterScores, load_labelled, score_clustering


def test_identity_scores_one_everywhere() -> None:
    scores = score_clustering(list("aabbbc"), list("xxyyyz"))  # names differ, partition equal
    assert scores == ClusterScores(1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 6, 3, 3)


def test_worked_example() -> None:
    # gold:      A = {1, 2, 3}, B = {4, 5}, C = {6}
    # predicted: X = {1, 2},    Y = {3, 4, 5, 6}
    # cells: (A,X)=2, (A,Y)=1, (B,Y)=2, (C,Y)=1
    # BCubed P = (2*2/2 + 1*1/4 + 2*2/4 + 1*1/4) / 6 = 3.5 / 6 = 7/12
    # BCubed R = (2*2/3 + 1*1/3 + 2*2/2 + 1*1/1) / 6 = (14/3) / 6 = 7/9; F1 = 2/3
    # pairs together: C(2,2)+C(1,2)+C(2,2)+C(1,2) = 2; gold pairs 3+1 = 4; predicted 1+6 = 7
    # pairwise P = 2/7, R = 2/4, F1 = 2 * (2/7) * (1/2) / (2/7 + 1/2) = 4/11
    # ARI: all pairs C(6,2) = 15, expected = 4 * 7 / 15 = 28/15, max = (4 + 7) / 2 = 11/2,
    #      (2 - 28/15) / (11/2 - 28/15) = (2/15) / (109/30) = 4/109
    scores = score_clustering(list("aaabbc"), list("xxyyyy"))
    assert scores.bcubed_precision == pytest.approx(7 / 12)
    assert scores.bcubed_recall == pytest.approx(7 / 9)
    assert scores.bcubed_f1 == pytest.approx(2 / 3)
    assert scores.pairwise_precision == pytest.approx(2 / 7)
    assert scores.pairwise_recall == pytest.approx(1 / 2)
    assert scores.pairwise_f1 == pytest.approx(4 / 11)
    assert scores.ari == pytest.approx(4 / 109)
    assert (scores.items, scores.gold_clusters, scores.predicted_clusters) == (6, 3, 2)


def test_all_in_one_against_all_singletons() -> None:
    # every item alone in gold, one predicted cluster of 4: BCubed P = 1/4 per item, R = 1,
    # F1 = 2 * 0.25 / 1.25 = 0.4; 6 predicted pairs, none right; gold has no pair (R = 1 by
    # convention); ARI: expected = 0 * 6 / 6 = 0, max = 3, (0 - 0) / (3 - 0) = 0
    scores = score_clustering(list("abcd"), list("xxxx"))
    assert (scores.bcubed_precision, scores.bcubed_recall) == (0.25, 1.0)
    assert scores.bcubed_f1 == pytest.approx(0.4)
    assert (scores.pairwise_precision, scores.pairwise_recall, scores.pairwise_f1) == (0, 1, 0)
    assert scores.ari == 0.0
    # and the other way round: precision and recall swap, ARI is symmetric
    flipped = score_clustering(list("xxxx"), list("abcd"))
    assert (flipped.bcubed_precision, flipped.bcubed_recall) == (1.0, 0.25)
    assert (flipped.pairwise_precision, flipped.pairwise_recall, flipped.pairwise_f1) == (1, 0, 0)
    assert flipped.ari == 0.0


def test_degenerate_identical_partitions_score_one() -> None:
    assert score_clustering(list("abc"), list("xyz")).ari == 1.0
    assert score_clustering(list("aaa"), list("xxx")).ari == 1.0
    single = score_clustering(["a"], ["x"])
    assert (single.bcubed_f1, single.pairwise_f1, single.ari) == (1.0, 1.0, 1.0)


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="2 gold labels but 1"):
        score_clustering(["a", "b"], ["x"])
    with pytest.raises(ValueError, match="nothing"):
        score_clustering([], [])


def brute_force(gold: list[str], predicted: list[str]) -> tuple[float, float, float, float]:
    """O(n^2) definitions, for the property test."""
    n = len(gold)
    precision = recall = 0.0
    for i in range(n):
        same_pred = [j for j in range(n) if predicted[j] == predicted[i]]
        same_gold = [j for j in range(n) if gold[j] == gold[i]]
        both = len(set(same_pred) & set(same_gold))
        precision += both / len(same_pred) / n
        recall += both / len(same_gold) / n
    pairs = list(itertools.combinations(range(n), 2))
    pred_pairs = [p for p in pairs if predicted[p[0]] == predicted[p[1]]]
    gold_pairs = [p for p in pairs if gold[p[0]] == gold[p[1]]]
    together = len(set(pred_pairs) & set(gold_pairs))
    pair_p = together / len(pred_pairs) if pred_pairs else 1.0
    pair_r = together / len(gold_pairs) if gold_pairs else 1.0
    return precision, recall, pair_p, pair_r


labels = st.lists(st.sampled_from("abcde"), min_size=1, max_size=25)


@given(labels, st.data())
def test_matches_the_pairwise_definitions(gold: list[str], data: st.DataObject) -> None:
    predicted = data.draw(
        st.lists(st.sampled_from("vwxyz"), min_size=len(gold), max_size=len(gold))
    )
    scores = score_clustering(gold, predicted)
    expected = brute_force(gold, predicted)
    got = (
        scores.bcubed_precision,
        scores.bcubed_recall,
        scores.pairwise_precision,
        scores.pairwise_recall,
    )
    assert got == pytest.approx(expected)
    assert -1.0 <= scores.ari <= 1.0
    assert score_clustering(predicted, gold).ari == pytest.approx(scores.ari)


def test_ten_thousand_items_are_fast() -> None:
    gold = [f"s{i // 3}" for i in range(10_000)]
    predicted = [f"p{i // 4}" for i in range(10_000)]
    started = time.perf_counter()
    scores = score_clustering(gold, predicted)
    assert time.perf_counter() - started < 1.0
    assert scores.gold_clusters == 3334 and scores.predicted_clusters == 2500
    # gold in 3s, predicted in 4s: every 12 items repeat. Predicted pairs per 12: 3 * C(4,2) = 18;
    # shared: gold {0,1,2} {3,4,5} {6,7,8} {9,10,11} split by predicted {0-3} {4-7} {8-11}
    # into 3 + 1 + 1 + 3 = 8 pairs, so precision is 8/18 (the ragged end moves it a little)
    assert scores.pairwise_precision == pytest.approx(8 / 18, abs=1e-3)


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_load_labelled_keeps_order_and_skips_blank_lines(tmp_path: Path) -> None:
    rows = [{"id": "1", "story": "s1", "text": "a"}, {"id": "2", "story": 7, "text": "b"}]
    path = write_lines(tmp_path / "d.jsonl", [json.dumps(rows[0]), "", json.dumps(rows[1])])
    records, labels = load_labelled(path, "story")
    assert records == rows and labels == ["s1", "7"]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "not JSON"),
        ('["a list"]', "JSON object"),
        ('{"id": "2", "text": "b"}', "no 'story' label"),
        ('{"id": "2", "story": null, "text": "b"}', "no 'story' label"),
        ('{"id": "2", "story": "s"}', "no 'text'"),
        ('{"id": "2", "story": "s", "text": "  "}', "no 'text'"),
    ],
)
def test_load_labelled_names_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    good = json.dumps({"id": "1", "story": "s", "text": "a"})
    path = write_lines(tmp_path / "bad.jsonl", [good, line])
    with pytest.raises(StorylineError, match=message) as caught:
        load_labelled(path, "story")
    assert f"{path}:2:" in str(caught.value)


def test_load_labelled_missing_file(tmp_path: Path) -> None:
    with pytest.raises(StorylineError, match=r"absent\.jsonl"):
        load_labelled(tmp_path / "absent.jsonl", "story")
