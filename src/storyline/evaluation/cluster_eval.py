"""Story clustering scored against gold labels: BCubed, pairwise P/R/F1 and adjusted Rand.

Every score comes from the contingency table (gold cluster x predicted cluster counts), so
scoring is O(n log n) and 10k+ articles take milliseconds; no pair of items is enumerated.
BCubed (Bagga & Baldwin 1998, Amigó et al. 2009) averages per article and is the headline
score; pairwise P/R/F1 counts same-story pairs, which big clusters dominate; ARI (Hubert &
Arabie 1985) corrects the Rand index for chance, so random labels score about 0.

Conventions where a ratio is undefined: pairwise precision is 1.0 when the prediction puts no
two items together (it claims nothing wrong), pairwise recall is 1.0 when gold has no pair,
and ARI is 1.0 when both partitions are all-singletons or both one cluster (they are equal).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from storyline.errors import StorylineError


@dataclass(frozen=True, slots=True)
class ClusterScores:
    """One prediction against gold; `items` and the cluster counts give the scale."""

    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float
    pairwise_precision: float
    pairwise_recall: float
    pairwise_f1: float
    ari: float
    items: int
    gold_clusters: int
    predicted_clusters: int


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _pairs(counts: NDArray[np.int64]) -> int:
    """Number of unordered pairs inside groups of the given sizes: sum of C(n, 2)."""
    return int((counts * (counts - 1) // 2).sum())


class _Table(NamedTuple):
    """The non-zero cells of the gold x predicted contingency table, and its margins."""

    counts: NDArray[np.int64]  # items in each non-empty cell
    rows: NDArray[np.int64]  # the cell's gold cluster
    cols: NDArray[np.int64]  # the cell's predicted cluster
    gold_sizes: NDArray[np.int64]
    pred_sizes: NDArray[np.int64]


def _table(gold: Sequence[str], predicted: Sequence[str]) -> _Table:
    _, gold_ids = np.unique(np.asarray(gold, dtype=str), return_inverse=True)
    _, pred_ids = np.unique(np.asarray(predicted, dtype=str), return_inverse=True)
    gold_ids = gold_ids.astype(np.int64).ravel()
    pred_ids = pred_ids.astype(np.int64).ravel()
    columns = int(pred_ids.max()) + 1
    cells, counts = np.unique(gold_ids * columns + pred_ids, return_counts=True)
    rows, cols = np.divmod(cells, columns)
    return _Table(
        counts.astype(np.int64),
        rows,
        cols,
        np.bincount(gold_ids).astype(np.int64),
        np.bincount(pred_ids).astype(np.int64),
    )


def score_clustering(gold: Sequence[str], predicted: Sequence[str]) -> ClusterScores:
    """Scores of `predicted[i]` (any cluster ids) against `gold[i]` for every item i."""
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold labels but {len(predicted)} predicted ones")
    if not gold:
        raise ValueError("nothing to score: no items")
    counts, rows, cols, gold_sizes, pred_sizes = _table(gold, predicted)
    items = len(gold)

    # BCubed: an item in cell (g, p) has counts/|p| precision and counts/|g| recall.
    squares = counts.astype(np.float64) ** 2
    bcubed_p = float((squares / pred_sizes[cols]).sum() / items)
    bcubed_r = float((squares / gold_sizes[rows]).sum() / items)

    together = _pairs(counts)  # pairs in the same gold and the same predicted cluster
    gold_pairs = _pairs(gold_sizes)
    pred_pairs = _pairs(pred_sizes)
    pair_p = together / pred_pairs if pred_pairs else 1.0
    pair_r = together / gold_pairs if gold_pairs else 1.0

    # ARI = (index - expected) / (max - expected); the pair counts are exact Python ints.
    all_pairs = items * (items - 1) // 2
    expected = gold_pairs * pred_pairs / all_pairs if all_pairs else 0.0
    maximum = (gold_pairs + pred_pairs) / 2
    ari = (together - expected) / (maximum - expected) if maximum != expected else 1.0

    return ClusterScores(
        bcubed_precision=bcubed_p,
        bcubed_recall=bcubed_r,
        bcubed_f1=_f1(bcubed_p, bcubed_r),
        pairwise_precision=pair_p,
        pairwise_recall=pair_r,
        pairwise_f1=_f1(pair_p, pair_r),
        ari=float(ari),
        items=items,
        gold_clusters=len(gold_sizes),
        predicted_clusters=len(pred_sizes),
    )


def load_labelled(path: Path, label_field: str) -> tuple[list[dict[str, Any]], list[str]]:
    """Articles from a JSONL dev set and their gold cluster labels, in file order.

    Blank lines are skipped; any other line must be a JSON object with a non-empty string
    `text` and a string or integer `label_field`, or the whole load stops with the file and line.
    """
    records: list[dict[str, Any]] = []
    labels: list[str] = []
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        raise StorylineError(f"cannot read {path}: {exc.strerror or exc}") from exc
    with handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise StorylineError(f"{where}: not JSON ({exc.msg})") from exc
            if not isinstance(record, dict):
                raise StorylineError(f"{where}: expected a JSON object per line")
            label = record.get(label_field)
            if isinstance(label, bool) or not isinstance(label, str | int) or label == "":
                raise StorylineError(f"{where}: no {label_field!r} label (the gold cluster)")
            text = record.get("text")
            if not isinstance(text, str) or not text.strip():
                raise StorylineError(f"{where}: no 'text'")
            records.append(record)
            labels.append(str(label))
    return records, labels
