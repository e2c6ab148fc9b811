"""Turn candidate pairs into scored duplicate links, from signatures and fingerprint counts.

Pure arithmetic over arrays: the dedupe stage and bench/dedupe.py use the same function, so
the benchmark measures the code that runs in production.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from storyline.algorithms.minhash import estimate_jaccard

# Calibrated on the generated duplicate set (bench/dedupe.py --calibrate): re-ledes, trims and
# rewordings score 0.55-0.95, unrelated news pairs sharing a bucket stay below 0.3.
NEAR_JACCARD = 0.5
CONTAINED = 0.6  # share of the smaller text's fingerprints found in the larger one
MAX_CONTAINED_SIZE_RATIO = 0.8  # beyond this the pair is "near", not "containment"
_CHUNK = 32_768


@dataclass(frozen=True, slots=True)
class ScoredPairs:
    pairs: NDArray[np.int64]  # (n, 2): [smaller-or-equal, larger] by shingle count
    jaccard: NDArray[np.float64]
    containment: NDArray[np.float64]  # of pairs[:,0] in pairs[:,1]
    kind: NDArray[np.str_]  # "near" | "containment" | "" (not a duplicate)


def score_pairs(
    pairs: NDArray[np.int64],
    shared_fingerprints: NDArray[np.int64],
    signatures: NDArray[np.uint32],
    shingle_counts: NDArray[np.int64],
    fingerprint_counts: NDArray[np.int64],
) -> ScoredPairs:
    """`shared_fingerprints[k]` is how many fingerprints pair k shares (0 if unknown)."""
    if len(pairs) == 0:
        empty = np.empty(0)
        return ScoredPairs(np.empty((0, 2), np.int64), empty, empty, np.empty(0, dtype="<U11"))
    swap = shingle_counts[pairs[:, 0]] > shingle_counts[pairs[:, 1]]
    ordered = np.where(swap[:, None], pairs[:, ::-1], pairs)
    small, large = ordered[:, 0], ordered[:, 1]
    # In chunks: gathering two (pairs x 128) signature blocks at once would cost gigabytes.
    jaccard = np.concatenate(
        [
            estimate_jaccard(signatures[small[i : i + _CHUNK]], signatures[large[i : i + _CHUNK]])
            for i in range(0, len(small), _CHUNK)
        ]
    )
    containment = shared_fingerprints / np.maximum(fingerprint_counts[small], 1)
    ratio = shingle_counts[small] / np.maximum(shingle_counts[large], 1)
    kind = np.full(len(pairs), "", dtype="<U11")
    kind[jaccard >= NEAR_JACCARD] = "near"
    # Most of the smaller text inside a clearly larger one: containment, whatever Jaccard says
    # (a story with a second one glued under it can still score Jaccard 0.5-0.6 against it).
    contained = (containment >= CONTAINED) & (ratio <= MAX_CONTAINED_SIZE_RATIO)
    kind[contained] = "containment"
    return ScoredPairs(ordered, jaccard, containment, kind)
