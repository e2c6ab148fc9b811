"""Run the dedupe engine in memory over generated documents and score it against the truth."""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from storyline.algorithms.containment import Fingerprints, fingerprints, shared_counts
from storyline.algorithms.hashing import ShingleHasher
from storyline.algorithms.lsh import band_keys, candidate_pairs
from storyline.algorithms.minhash import Signatures, signatures
from storyline.algorithms.pair_scoring import score_pairs
from storyline.algorithms.spans import match
from storyline.evaluation.dupgen import EXPECTED_LINK, KINDS, GeneratedDoc

Links = list[tuple[int, int, str]]


@dataclass(frozen=True, slots=True)
class EngineParams:
    shingle_size: int = 5
    num_bins: int = 128
    bands: int = 32
    fingerprint_sample: int = 16
    batch_size: int = 250  # measured: 250 beats 500 and 1000 (cache-sized arrays)
    workers: int = 1  # threads hashing batches; NumPy releases the GIL in the heavy parts


def find_links(texts: Sequence[str], params: EngineParams = EngineParams()) -> Links:
    """The dedupe stage's fast path (no store, no span verification), over all texts."""
    local = threading.local()

    def features(start: int) -> tuple[Signatures, NDArray[np.int64], Fingerprints]:
        if not hasattr(local, "hasher"):
            local.hasher = ShingleHasher(params.shingle_size)  # one per thread: it caches
        batch = local.hasher.shingles(list(texts[start : start + params.batch_size]))
        return (
            signatures(batch, params.num_bins),
            batch.counts(),
            fingerprints(batch, params.fingerprint_sample),
        )

    starts = range(0, len(texts), params.batch_size)
    if params.workers > 1:
        with ThreadPoolExecutor(params.workers) as pool:
            parts = list(pool.map(features, starts))
    else:
        parts = [features(start) for start in starts]
    if not parts:
        return []
    sigs = np.vstack([p[0] for p in parts])
    counts = np.concatenate([p[1] for p in parts])
    fp_counts = np.concatenate([p[2].counts() for p in parts])
    all_fps = Fingerprints(
        np.concatenate([p[2].values for p in parts]),
        np.concatenate([p[2].doc + start for p, start in zip(parts, starts, strict=True)]),
        len(texts),
    )
    lsh_pairs = candidate_pairs(band_keys(sigs, params.bands))
    fp_pairs, fp_shared = shared_counts(all_fps)
    pairs, shared = _merge(lsh_pairs, fp_pairs, fp_shared, len(texts))
    scored = score_pairs(pairs, shared, sigs, counts, fp_counts)
    keep = scored.kind != ""
    return [
        (int(a), int(b), str(k))
        for (a, b), k in zip(scored.pairs[keep].tolist(), scored.kind[keep].tolist(), strict=True)
    ]


def _merge(
    lsh: NDArray[np.int64], fp: NDArray[np.int64], shared: NDArray[np.int64], n: int
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Union of candidate pairs, with the shared-fingerprint count (0 for LSH-only pairs)."""
    fp_keys = fp[:, 0] * n + fp[:, 1]
    keys = np.union1d(lsh[:, 0] * n + lsh[:, 1], fp_keys)
    values = np.zeros(len(keys), dtype=np.int64)
    values[np.searchsorted(keys, fp_keys)] = shared
    return np.stack([keys // n, keys % n], axis=1), values


def distinct_pool(
    base: Sequence[tuple[str, str]], params: EngineParams = EngineParams()
) -> list[tuple[str, str]]:
    """The base articles minus those that already copy another base article.

    Real corpora hold their own duplicates (the BBC set has re-published stories); left in,
    they would count as false positives. Candidates come from the engine, but a pair is only
    dropped when exact shingle sets confirm it (Jaccard or containment >= 0.5), so the
    engine's own errors do not shape the truth.
    """
    texts = [t for _, t in base]
    drop: set[int] = set()
    for a, b, _ in find_links(texts, params):
        if a in drop or b in drop:
            continue
        found = match(texts[a], texts[b], params.shingle_size)
        reverse = match(texts[b], texts[a], params.shingle_size)
        if max(found.jaccard, found.containment, reverse.containment) >= 0.5:
            drop.add(max(a, b))
    return [item for i, item in enumerate(base) if i not in drop]


@dataclass(frozen=True, slots=True)
class Scores:
    precision: float
    recall_by_kind: dict[str, float]
    recall: float
    f1: float
    predicted: int
    kind_agreement: dict[str, float]  # share of found copies labelled with the expected kind


def score(docs: Sequence[GeneratedDoc], links: Links) -> Scores:
    """Precision over predicted pairs (correct when the two documents share an original);
    recall per kind: a copy counts as found when it ends up linked to its original, directly
    or through other copies (glued copies need a direct link to one of their sources)."""
    parent = list(range(len(docs)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    direct: dict[int, dict[int, str]] = defaultdict(dict)
    correct = 0
    for a, b, kind in links:
        if docs[a].roots & docs[b].roots:
            correct += 1
        parent[find(a)] = find(b)
        direct[a][b] = kind
        direct[b][a] = kind
    index_of = {d.id: i for i, d in enumerate(docs)}
    found: dict[str, list[bool]] = defaultdict(list)
    agree: dict[str, list[bool]] = defaultdict(list)
    for i, doc in enumerate(docs):
        if doc.kind == "original":
            continue
        originals = [index_of[r] for r in doc.roots]
        if doc.kind == "glued":
            hit = [o for o in originals if o in direct[i]]
        else:
            hit = [o for o in originals if find(o) == find(i)]
        found[doc.kind].append(bool(hit))
        if hit and hit[0] in direct[i]:
            agree[doc.kind].append(direct[i][hit[0]] in EXPECTED_LINK[doc.kind])
    recall_by_kind = {k: float(np.mean(found[k])) if found[k] else 0.0 for k in KINDS}
    all_found = [x for k in KINDS for x in found[k]]
    recall = float(np.mean(all_found)) if all_found else 0.0
    precision = correct / len(links) if links else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    agreement = {k: float(np.mean(agree[k])) if agree[k] else 0.0 for k in KINDS}
    return Scores(precision, recall_by_kind, recall, f1, len(links), agreement)
