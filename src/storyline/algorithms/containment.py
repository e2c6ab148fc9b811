"""Containment candidates from sampled shingle fingerprints.

Jaccard (and so MinHash-LSH) misses "A lies inside B" when B is much longer. Keeping every
shingle whose hash is 0 mod `sample` gives each document a fingerprint set in which shared text
shows up as shared fingerprints whatever the documents' lengths (mod-p sampling, as in
Broder's resemblance/containment work and winnowing). Containment of A in B is estimated as
|fp(A) & fp(B)| / |fp(A)|.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from storyline.algorithms.hashing import ShingleBatch


@dataclass(frozen=True, slots=True)
class Fingerprints:
    values: NDArray[np.int64]  # signed, to fit SQLite INTEGER
    doc: NDArray[np.int64]
    n_docs: int

    def counts(self) -> NDArray[np.int64]:
        return np.bincount(self.doc, minlength=self.n_docs).astype(np.int64)


def fingerprints(batch: ShingleBatch, sample: int = 16) -> Fingerprints:
    """Distinct sampled shingle hashes per document. A document with shingles but none
    sampled keeps its smallest hash, so short texts are still comparable."""
    keep = (batch.hashes % np.uint64(sample)) == 0
    values = batch.hashes[keep].view(np.int64)
    doc = batch.doc[keep]
    missing = np.flatnonzero((batch.counts() > 0) & (np.bincount(doc, minlength=batch.n_docs) == 0))
    if len(missing):
        smallest = np.full(batch.n_docs, np.iinfo(np.uint64).max, dtype=np.uint64)
        np.minimum.at(smallest, batch.doc, batch.hashes)
        values = np.concatenate([values, smallest[missing].view(np.int64)])
        doc = np.concatenate([doc, missing.astype(np.int64)])
    # Shingles arrive grouped by document, so a stable sort by value alone leaves equal
    # values ordered by document: duplicates within a document end up adjacent.
    order = np.argsort(values, kind="stable")
    values, doc = values[order], doc[order]
    distinct = np.ones(len(values), dtype=bool)
    distinct[1:] = (values[1:] != values[:-1]) | (doc[1:] != doc[:-1])
    return Fingerprints(values=values[distinct], doc=doc[distinct], n_docs=batch.n_docs)


def shared_counts(
    fps: Fingerprints, min_shared: int = 2, max_df: int = 32
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Pairs (i < j) of documents sharing at least `min_shared` fingerprints, and how many.

    A fingerprint held by more than `max_df` documents is a stock phrase or shared
    boilerplate, not evidence of copying, and is ignored (it would also make pairs explode).
    """
    if len(fps.values) == 0:
        return np.empty((0, 2), np.int64), np.empty(0, np.int64)
    order = np.argsort(fps.values)
    values, doc = fps.values[order], fps.doc[order]
    boundaries = np.flatnonzero(np.diff(values)) + 1
    starts = np.concatenate([[0], boundaries])
    sizes = np.diff(np.concatenate([starts, [len(values)]]))
    chunks = []
    for size in np.unique(sizes[(sizes > 1) & (sizes <= max_df)]).tolist():
        members = doc[starts[sizes == size][:, None] + np.arange(size)]
        i, j = np.triu_indices(size, k=1)
        chunks.append(np.stack([members[:, i].ravel(), members[:, j].ravel()], axis=1))
    if not chunks:
        return np.empty((0, 2), np.int64), np.empty(0, np.int64)
    pairs = np.concatenate(chunks)
    pairs.sort(axis=1)
    n = np.int64(fps.n_docs)
    keys = np.sort(pairs[:, 0] * n + pairs[:, 1])  # sorting beats np.unique's hashing here
    starts = np.flatnonzero(np.concatenate([[True], keys[1:] != keys[:-1]]))
    counts = np.diff(np.concatenate([starts, [len(keys)]]))
    keys = keys[starts]
    keep = counts >= min_shared
    keys = keys[keep]
    return np.stack([keys // n, keys % n], axis=1), counts[keep].astype(np.int64)
