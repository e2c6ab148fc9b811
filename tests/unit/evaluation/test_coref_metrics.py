"""MUC, BCubed, CEAF-e and CoNLL F1 against values computed by hand."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest

from storyline.evaluation.coref_metrics import (
    Score,
    _max_weight_pairing,
    bcubed,
    ceafe,
    conll_f1,
    coref_scores,
    muc,
    singletons,
)


def clustering(*clusters: str) -> dict[str, str]:
    """clustering("abc", "de") -> {a: c0, b: c0, c: c0, d: c1, e: c1}."""
    return {item: f"c{i}" for i, cluster in enumerate(clusters) for item in cluster}


def close(score: Score, precision: float, recall: float) -> None:
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    assert score == pytest.approx((precision, recall, f1))


def test_pradhan_2014_worked_example() -> None:
    """Key {a,b,c},{d,e,f,g}; response {a,b},{c,d},{f,g,h,i} (e, h, i are twinless).
    MUC: R = ((3-2) + (4-3)) / (2 + 3) = 2/5; P = ((2-1) + (2-2) + (4-3)) / (1 + 1 + 3) = 2/5.
    BCubed: R = (2/3 + 2/3 + 1/3 + 1/4 + 0 + 2/4 + 2/4) / 7 = 5/12;
            P = (1 + 1 + 1/2 + 1/2 + 2/4 + 2/4 + 0 + 0) / 8 = 1/2.
    CEAF-e: phi4 {a,b,c}~{a,b} = 4/5, {d,e,f,g}~{f,g,h,i} = 4/8; total 1.3;
            R = 1.3 / 2, P = 1.3 / 3.  (The paper's table: 0.40, 0.42/0.50, 0.65/0.43.)"""
    gold, predicted = clustering("abc", "defg"), clustering("ab", "cd", "fghi")
    close(muc(gold, predicted), 2 / 5, 2 / 5)
    close(bcubed(gold, predicted), 1 / 2, 5 / 12)
    close(ceafe(gold, predicted), 1.3 / 3, 1.3 / 2)


def test_over_merging_separates_the_metrics() -> None:
    """Gold {a,b},{c,d}; everything predicted as one cluster.
    MUC: R = 2/2 (no gold link lost), P = (4-2)/3. BCubed: R = 1, P = 2/4 for every item.
    CEAF-e: one predicted entity can align with one gold entity only: phi4 = 4/6, so
    R = (2/3)/2 and P = (2/3)/1 — a per-gold best match (no one-to-one rule) would give R 2/3.
    CoNLL = (0.8 + 2/3 + 4/9) / 3 = 86/135."""
    gold, predicted = clustering("ab", "cd"), clustering("abcd")
    close(muc(gold, predicted), 2 / 3, 1.0)
    close(bcubed(gold, predicted), 1 / 2, 1.0)
    close(ceafe(gold, predicted), 2 / 3, 1 / 3)
    assert conll_f1(gold, predicted) == pytest.approx(86 / 135)


def test_split_and_shift_on_the_same_items() -> None:
    """Gold {a,b,c},{d,e}; predicted {a,b},{c,d,e}.
    MUC: R = ((3-2) + (2-1)) / 3, P = ((2-1) + (3-2)) / 3.
    BCubed R: a, b 2/3; c 1/3; d, e 2/2 -> 11/15; P: a, b 1; c 1/3; d, e 2/3 -> 11/15.
    CEAF-e: {a,b,c}~{a,b} 4/5 + {d,e}~{c,d,e} 4/5 = 1.6 over 2 entities each side."""
    gold, predicted = clustering("abc", "de"), clustering("ab", "cde")
    close(muc(gold, predicted), 2 / 3, 2 / 3)
    close(bcubed(gold, predicted), 11 / 15, 11 / 15)
    close(ceafe(gold, predicted), 0.8, 0.8)


def test_identity_scores_one_whatever_the_cluster_names() -> None:
    gold = clustering("abc", "de", "f", "ghij")
    renamed = {item: f"x{cluster}" for item, cluster in gold.items()}
    crossed = {"a": "2", "b": "2", "c": "1"}  # the same partition as {"a": "1", ...}
    for predicted in (gold, renamed):
        scores = coref_scores(gold, predicted)
        for score in (scores.muc, scores.bcubed, scores.ceafe):
            assert score == pytest.approx((1.0, 1.0, 1.0))
        assert scores.conll_f1 == pytest.approx(1.0)
    assert ceafe({"a": "1", "b": "1", "c": "2"}, crossed) == pytest.approx((1.0, 1.0, 1.0))


def test_empty_input_scores_zero() -> None:
    for metric in (muc, bcubed, ceafe):
        assert metric({}, {}) == (0.0, 0.0, 0.0)
    assert conll_f1({}, {}) == 0.0


def test_singletons_give_muc_zero_by_definition() -> None:
    """MUC counts links: with none on a side its ratio is 0/0, defined as 0."""
    gold = clustering("abc", "de")
    baseline = singletons(gold)
    assert muc(gold, baseline) == (0.0, 0.0, 0.0)
    close(bcubed(gold, baseline), 1.0, (3 * 1 / 3 + 2 * 1 / 2) / 5)
    # CEAF-e: best phi4 per gold entity is 2/(3+1) and 2/(2+1); 5 predicted, 2 gold entities.
    total = 1 / 2 + 2 / 3
    close(ceafe(gold, baseline), total / 5, total / 2)
    only_singletons = singletons("abc")
    assert muc(only_singletons, only_singletons) == (0.0, 0.0, 0.0)
    assert bcubed(only_singletons, only_singletons) == (1.0, 1.0, 1.0)
    assert ceafe(only_singletons, only_singletons) == (1.0, 1.0, 1.0)


def brute_force_ceafe(gold: dict[str, str], predicted: dict[str, str]) -> float:
    """Best total phi4 by trying every pairing (small inputs only)."""
    g = [{i for i, c in gold.items() if c == k} for k in sorted(set(gold.values()))]
    p = [{i for i, c in predicted.items() if c == k} for k in sorted(set(predicted.values()))]
    g += [set()] * max(len(p) - len(g), 0)
    best = 0.0
    for order in itertools.permutations(range(len(g)), len(p)):
        total = sum(
            2 * len(g[gi] & p[pi]) / (len(g[gi]) + len(p[pi])) for pi, gi in enumerate(order)
        )
        best = max(best, total)
    return best


def test_ceafe_alignment_is_optimal_on_random_clusterings() -> None:
    """Catches a greedy alignment and a wrong split into independent groups."""
    rng = random.Random(7)
    items = list("abcdefghij")
    for _ in range(60):
        gold = {i: str(rng.randrange(4)) for i in items}
        predicted = {i: str(rng.randrange(5)) for i in items}
        best = brute_force_ceafe(gold, predicted)
        n_gold, n_pred = len(set(gold.values())), len(set(predicted.values()))
        close(ceafe(gold, predicted), best / n_pred, best / n_gold)


def test_pairing_beats_greedy_in_both_orientations() -> None:
    """Greedy takes 0.9 first and is left with 0.0; the best pairing is 0.8 + 0.6."""
    weights = np.array([[0.9, 0.8], [0.6, 0.0]])
    assert _max_weight_pairing(weights) == pytest.approx(1.4)
    tall = np.array([[0.9, 0.8], [0.6, 0.0], [0.1, 0.7]])  # 3 rows, 2 columns: 0.9 + 0.7
    assert _max_weight_pairing(tall) == pytest.approx(1.6)
    assert _max_weight_pairing(tall.T) == pytest.approx(1.6)


def test_ceafe_stays_small_on_many_clusters() -> None:
    """20,000 singletons: one dense 20k x 20k matrix would need gigabytes."""
    items = singletons(str(i) for i in range(20_000))
    assert ceafe(items, items) == pytest.approx((1.0, 1.0, 1.0))
