"""Coreference scores over clusterings given as `{item: cluster id}`: MUC, BCubed, CEAF-e and
their CoNLL mean, so chains can be compared with the literature's numbers.

The definitions follow the CoNLL-2012 reference scorer (Pradhan et al. 2014): MUC counts links
(Vilain et al. 1995), BCubed averages per item (Bagga & Baldwin 1998), CEAF-e aligns entities
one-to-one with the phi4 similarity (Luo 2005). Gold and predicted normally hold the same items;
an item in only one of them (a "twinless" mention) is treated as the reference scorer does: a
singleton on the side that lacks it for MUC, an overlap of zero for BCubed and CEAF-e.

Undefined ratios are 0.0, again as in the reference scorer: empty input scores 0 on every
metric, and MUC, which counts only links, gives 0 recall when gold has no cluster with two or
more items and 0 precision when the prediction has none. So the all-singletons baseline scores
MUC 0 by construction, and even a perfect prediction of a singleton-only gold scores MUC 0.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

Clustering = Mapping[str, str]  # item -> cluster id


class Score(NamedTuple):
    """A tuple, so `p, r, f = bcubed(...)` and `bcubed(...)[2]` keep working."""

    precision: float
    recall: float
    f1: float


@dataclass(frozen=True, slots=True)
class CorefScores:
    """The three metrics and their CoNLL mean for one prediction."""

    muc: Score
    bcubed: Score
    ceafe: Score

    @property
    def conll_f1(self) -> float:
        return (self.muc.f1 + self.bcubed.f1 + self.ceafe.f1) / 3


def _ratio(numerator: float, denominator: float) -> float:
    """0.0 where the ratio is undefined (the reference scorer's convention)."""
    return numerator / denominator if denominator else 0.0


def _score(precision: float, recall: float) -> Score:
    return Score(precision, recall, _ratio(2 * precision * recall, precision + recall))


def _clusters(clustering: Clustering) -> dict[str, set[str]]:
    sets: dict[str, set[str]] = defaultdict(set)
    for item, cluster in clustering.items():
        sets[cluster].add(item)
    return dict(sets)


def _muc_side(key: Clustering, response: Clustering) -> float:
    """MUC recall of `response` against `key` (swap them for precision): per key cluster, the
    links kept = size minus the number of pieces the response cuts it into."""
    kept = links = 0
    for members in _clusters(key).values():
        pieces = {response[m] for m in members if m in response}
        twinless = sum(m not in response for m in members)
        kept += len(members) - len(pieces) - twinless
        links += len(members) - 1
    return _ratio(kept, links)


def muc(gold: Clustering, predicted: Clustering) -> Score:
    """Link-based: rewards merging, ignores singletons (see the module doc for 0/0)."""
    return _score(_muc_side(predicted, gold), _muc_side(gold, predicted))


def _bcubed_side(key: Clustering, response: Clustering) -> float:
    """Mean over key items of |key cluster ∩ response cluster| / |key cluster|."""
    key_sets, response_sets = _clusters(key), _clusters(response)
    total = 0.0
    for item, cluster in key.items():
        own = key_sets[cluster]
        other = response_sets[response[item]] if item in response else set()
        total += len(own & other) / len(own)
    return _ratio(total, len(key))


def bcubed(gold: Clustering, predicted: Clustering) -> Score:
    """Item-based: every item weighs the same, so big clusters dominate."""
    return _score(_bcubed_side(predicted, gold), _bcubed_side(gold, predicted))


def _phi4(a: set[str], b: set[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b))


def _components(gold: Clustering, predicted: Clustering) -> list[tuple[list[str], list[str]]]:
    """Groups of (gold ids, predicted ids) linked by shared items. Clusters in different groups
    share nothing (phi4 = 0), so the optimal alignment is the union of per-group alignments,
    which keeps the assignment matrices small however many clusters there are."""
    parent: dict[tuple[str, str], tuple[str, str]] = {}

    def root(node: tuple[str, str]) -> tuple[str, str]:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for cluster in gold.values():
        root(("g", cluster))
    for cluster in predicted.values():
        root(("p", cluster))
    for item, cluster in gold.items():
        if item in predicted:
            parent[root(("g", cluster))] = root(("p", predicted[item]))
    groups: dict[tuple[str, str], tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    for side, cluster in list(parent):
        groups[root((side, cluster))][0 if side == "g" else 1].append(cluster)
    return list(groups.values())


def _max_weight_pairing(weights: NDArray[np.float64]) -> float:
    """Largest total weight of a one-to-one pairing of rows with columns: the Hungarian
    algorithm with potentials (shortest augmenting paths), O(rows² x columns). Written here
    rather than taken from scipy, which is not otherwise a dependency (docs/dependencies.md)."""
    if weights.shape[0] > weights.shape[1]:
        weights = weights.T  # every row gets a column
    rows, cols = weights.shape
    cost = -weights  # maximise weight = minimise cost
    row_potential, col_potential = np.zeros(rows + 1), np.zeros(cols + 1)
    owner = np.zeros(cols + 1, dtype=np.int64)  # 1-based row on each column; column 0 is virtual
    for row in range(1, rows + 1):
        owner[0], col = row, 0
        slack = np.full(cols + 1, np.inf)
        came_from = np.zeros(cols + 1, dtype=np.int64)
        visited = np.zeros(cols + 1, dtype=bool)
        while owner[col]:  # grow a tree of tight edges from `row` until a free column is reached
            visited[col] = True
            current = owner[col]
            reduced = cost[current - 1] - row_potential[current] - col_potential[1:]
            better = ~visited[1:] & (reduced < slack[1:])
            slack[1:][better] = reduced[better]
            came_from[1:][better] = col
            open_slack = np.where(visited[1:], np.inf, slack[1:])
            nearest = int(np.argmin(open_slack)) + 1
            delta = open_slack[nearest - 1]
            row_potential[owner[visited]] += delta
            col_potential[visited] -= delta
            slack[~visited] -= delta
            col = nearest
        while col:  # flip the path: each column on it takes the row of its predecessor
            previous = came_from[col]
            owner[col] = owner[previous]
            col = previous
    matched = owner[1:] > 0
    return float(weights[owner[1:][matched] - 1, np.flatnonzero(matched)].sum())


def _best_alignment(gold: list[set[str]], predicted: list[set[str]]) -> float:
    """Largest total phi4 over one-to-one pairings of gold with predicted entities."""
    if not gold or not predicted:
        return 0.0
    if len(gold) == 1 and len(predicted) == 1:
        return _phi4(gold[0], predicted[0])
    return _max_weight_pairing(np.array([[_phi4(g, p) for p in predicted] for g in gold]))


def ceafe(gold: Clustering, predicted: Clustering) -> Score:
    """Entity-based CEAF: each gold entity may be matched to one predicted entity at most, so
    over-merging is punished (unlike BCubed recall). Recall divides the aligned similarity by
    the number of gold entities, precision by the number of predicted ones."""
    gold_sets, pred_sets = _clusters(gold), _clusters(predicted)
    total = sum(
        _best_alignment([gold_sets[g] for g in gs], [pred_sets[p] for p in ps])
        for gs, ps in _components(gold, predicted)
    )
    return _score(_ratio(total, len(pred_sets)), _ratio(total, len(gold_sets)))


def coref_scores(gold: Clustering, predicted: Clustering) -> CorefScores:
    return CorefScores(muc(gold, predicted), bcubed(gold, predicted), ceafe(gold, predicted))


def conll_f1(gold: Clustering, predicted: Clustering) -> float:
    """The CoNLL-2012 headline number: the mean of the MUC, BCubed and CEAF-e F1s (a float,
    not a Score: the literature defines no CoNLL precision or recall)."""
    return coref_scores(gold, predicted).conll_f1


def singletons(items: Iterable[str]) -> dict[str, str]:
    """The do-nothing baseline: every item its own cluster."""
    return {item: item for item in items}
