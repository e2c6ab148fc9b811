"""One-permutation MinHash with optimal densification (Li et al. 2012; Shrivastava 2017).

Classic MinHash applies `num_perm` hash functions to every shingle; one-permutation hashing
splits one hash into `num_bins` bins and keeps the minimum per bin, so each shingle costs one
hash instead of 128, with the same estimator: P[sig_a[i] == sig_b[i]] = Jaccard(a, b).
Empty bins (short documents) borrow from the next non-empty bin, rotated, so every position
stays comparable.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from storyline.algorithms.hashing import ShingleBatch, mix64

EMPTY = np.uint32(0xFFFFFFFF)
Signatures = NDArray[np.uint32]


def signatures(batch: ShingleBatch, num_bins: int = 128) -> Signatures:
    """(n_docs, num_bins) uint32 MinHash signatures; a document with no shingles is all EMPTY."""
    if num_bins & (num_bins - 1) or not 1 <= num_bins <= 1024:
        raise ValueError(f"num_bins must be a power of two up to 1024, got {num_bins}")
    shift = np.uint64(64 - int(num_bins).bit_length() + 1)
    bins = (batch.hashes >> shift).astype(np.int64)
    values = (batch.hashes & np.uint64(0xFFFFFFFE)).astype(np.uint32)  # EMPTY never a value
    flat = np.full(batch.n_docs * num_bins, EMPTY, dtype=np.uint32)
    np.minimum.at(flat, batch.doc * num_bins + bins, values)
    matrix = flat.reshape(batch.n_docs, num_bins)
    return _densify(matrix)


def _densify(matrix: Signatures) -> Signatures:
    """Fill each empty bin from the nearest non-empty bin to its right (circularly), mixed
    with the distance so borrowed values differ from the originals."""
    num_bins = matrix.shape[1]
    empty = matrix == EMPTY
    needs = empty.any(axis=1) & ~empty.all(axis=1)
    if not needs.any():
        return matrix
    rows = matrix[needs]
    full = ~(rows == EMPTY)
    columns = np.arange(2 * num_bins)
    doubled = np.where(np.tile(full, 2), columns, 2 * num_bins)
    # next non-empty column at or after each column: reverse running minimum
    nearest = np.minimum.accumulate(doubled[:, ::-1], axis=1)[:, ::-1][:, :num_bins]
    distance = (nearest - np.arange(num_bins)).astype(np.uint64)
    source = np.take_along_axis(rows, nearest % num_bins, axis=1).astype(np.uint64)
    borrowed = mix64(source + distance * np.uint64(0x9E3779B97F4A7C15)) & np.uint64(0xFFFFFFFE)
    filled = np.where(full, rows, borrowed.astype(np.uint32))
    out = matrix.copy()
    out[needs] = filled
    return out


def estimate_jaccard(a: Signatures, b: Signatures) -> NDArray[np.float64]:
    """Row-wise share of equal positions; rows of all-EMPTY signatures estimate 0."""
    equal = (a == b) & (a != EMPTY)
    result: NDArray[np.float64] = equal.mean(axis=-1)
    return result
