"""The dedupe stage: exact, near, containment and composite duplicates, incrementally.

New articles are hashed once (signature, LSH band keys, fingerprints, all stored), compared
with each other in memory and with stored articles through indexed lookups, so adding a few
articles to a large workspace costs a few queries, not a recomputation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np

from storyline.algorithms.containment import Fingerprints, fingerprints, shared_counts
from storyline.algorithms.hashing import ShingleHasher
from storyline.algorithms.lsh import band_keys, candidate_pairs
from storyline.algorithms.minhash import signatures
from storyline.algorithms.pair_scoring import ScoredPairs, score_pairs
from storyline.algorithms.spans import match
from storyline.clean.outlets import collect_evidence, decide
from storyline.clean.rules import OutletRules, load_outlet_rules
from storyline.independence import age_key
from storyline.model import Article, Part
from storyline.store.dedupe_tables import Link
from storyline.store.sqlite import SQLiteStore

VERIFIED_CONTAINMENT = 0.7  # exact shingle containment needed to report "A inside B"
MIN_PART_WORDS = 40  # a remainder this long is its own unit (a paragraph or two of news)
MIN_SIDE_WORDS = 5  # shorter leftovers are glued to the neighbouring part
MIN_SHARED_FINGERPRINTS = 2  # as in the in-memory engine (algorithms/containment.py)
MAX_FINGERPRINT_DF = 32  # counted over stored and new articles alike


@dataclass(slots=True)
class DedupeSummary:
    hashed: int = 0
    links: int = 0
    composites: int = 0
    kinds: dict[str, int] = field(default_factory=dict)


class DedupeStage:
    name: ClassVar[str] = "dedupe.minhash.v1"
    requires: ClassVar[frozenset[str]] = frozenset({"articles"})
    provides: ClassVar[frozenset[str]] = frozenset({"duplicates", "parts"})

    def __init__(
        self,
        shingle_size: int = 5,
        num_bins: int = 128,
        bands: int = 32,
        fingerprint_sample: int = 16,
        batch_size: int = 250,
    ) -> None:
        self.shingle_size = shingle_size
        self.num_bins = num_bins
        self.bands = bands
        self.fingerprint_sample = fingerprint_sample
        self.batch_size = batch_size
        self._hasher: ShingleHasher | None = None
        self._outlet_rules: OutletRules | None = None

    @property
    def hasher(self) -> ShingleHasher:
        if self._hasher is None:
            self._hasher = ShingleHasher(self.shingle_size)
        return self._hasher

    @property
    def outlet_rules(self) -> OutletRules:
        if self._outlet_rules is None:
            self._outlet_rules = load_outlet_rules()
        return self._outlet_rules

    def run(
        self, store: SQLiteStore, progress: Callable[[int], None] | None = None
    ) -> DedupeSummary:
        summary = DedupeSummary()
        pending = store.dedupe.ids_without_features(self.name)
        for start in range(0, len(pending), self.batch_size):
            batch_ids = pending[start : start + self.batch_size]
            articles = store.articles_by_ids(batch_ids)
            batch = [articles[i] for i in batch_ids]
            with store.atomic():
                links = self._process_batch(store, batch)
                for link in links:
                    store.dedupe.put_link(link)
            summary.hashed += len(batch)
            summary.links += len(links)
            if progress:
                progress(len(batch))
        with store.atomic():
            summary.composites = self._rebuild_parts(store)
        for link in store.dedupe.links():
            summary.kinds[link.kind] = summary.kinds.get(link.kind, 0) + 1
        return summary

    # -- one batch ----------------------------------------------------------------------

    def _process_batch(self, store: SQLiteStore, batch: list[Article]) -> list[Link]:
        shingles = self.hasher.shingles([a.text for a in batch])
        sigs = signatures(shingles, self.num_bins)
        keys = band_keys(sigs, self.bands)
        fps = fingerprints(shingles, self.fingerprint_sample)
        n_new = len(batch)

        # Stored articles that share a band or a fingerprint with the batch.
        stored_ids: dict[str, int] = {}
        key_owners: dict[int, list[int]] = {}
        for i, row in enumerate(keys.tolist()):
            for key in row:
                if key != 0:
                    key_owners.setdefault(key, []).append(i)
        band_pairs: set[tuple[int, int]] = set()
        for key, other in store.dedupe.band_matches(key_owners):
            j = stored_ids.setdefault(other, n_new + len(stored_ids))
            for i in key_owners[key]:
                band_pairs.add((i, j))
        fp_shared: dict[tuple[int, int], int] = {}
        fp_values = fps.values.tolist()
        owners_by_value: dict[int, list[int]] = {}
        for value, owner in zip(fp_values, fps.doc.tolist(), strict=True):
            owners_by_value.setdefault(value, []).append(owner)
        stored_by_value: dict[int, list[str]] = {}
        for value, other in store.dedupe.fingerprint_matches(owners_by_value):
            stored_by_value.setdefault(value, []).append(other)
        cross: dict[tuple[int, str], int] = {}
        for value, others in stored_by_value.items():
            if len(others) + len(owners_by_value[value]) > MAX_FINGERPRINT_DF:
                continue  # a stock phrase, as in shared_counts: no evidence of copying
            for other in others:
                for i in owners_by_value[value]:
                    cross[(i, other)] = cross.get((i, other), 0) + 1
        for (i, other), count in cross.items():
            if count >= MIN_SHARED_FINGERPRINTS:
                j = stored_ids.setdefault(other, n_new + len(stored_ids))
                fp_shared[(i, j)] = count

        stored = store.dedupe.features(stored_ids)
        all_sigs = np.vstack([sigs] + [stored[o].signature[None, :] for o in stored_ids])
        shingle_counts = np.concatenate(
            [shingles.counts(), [stored[o].shingles for o in stored_ids]]
        ).astype(np.int64)
        fp_counts = np.concatenate(
            [fps.counts(), [stored[o].fingerprints for o in stored_ids]]
        ).astype(np.int64)

        # In-batch candidates.
        for i, j in candidate_pairs(keys).tolist():
            band_pairs.add((i, j))
        inner_pairs, inner_shared = shared_counts(fps, MIN_SHARED_FINGERPRINTS, MAX_FINGERPRINT_DF)
        for (i, j), count in zip(inner_pairs.tolist(), inner_shared.tolist(), strict=True):
            fp_shared[(i, j)] = count

        candidates = sorted(band_pairs | set(fp_shared))
        if not candidates:
            self._store_features(store, batch, shingles.counts(), sigs, keys, fps)
            return []
        pair_array = np.array(candidates, dtype=np.int64)
        shared = np.array([fp_shared.get(p, 0) for p in candidates], dtype=np.int64)
        scored = score_pairs(pair_array, shared, all_sigs, shingle_counts, fp_counts)
        id_of = [a.id for a in batch] + list(stored_ids)
        texts = {a.id: a for a in batch}
        hits = scored.pairs[scored.kind != ""]
        needed = [id_of[j] for j in hits.ravel().tolist() if id_of[j] not in texts]
        texts.update(store.articles_by_ids(sorted(set(needed))))
        links = [
            link
            for k in np.flatnonzero(scored.kind != "").tolist()
            if (link := self._link(texts, id_of, scored, k)) is not None
        ]
        self._store_features(store, batch, shingles.counts(), sigs, keys, fps)
        return _dedupe_links(links)

    def _link(
        self, texts: dict[str, Article], id_of: list[str], scored: ScoredPairs, k: int
    ) -> Link | None:
        small, large = (id_of[x] for x in scored.pairs[k].tolist())
        a, b = texts[small], texts[large]
        if a.text_hash == b.text_hash:
            return Link(a=_older(a, b).id, b=_newer(a, b).id, kind="exact", similarity=1.0)
        kind = str(scored.kind[k])
        if kind == "near":
            original, copy = _older(a, b), _newer(a, b)
            similarity = float(scored.jaccard[k])
            return Link(a=original.id, b=copy.id, kind="near", similarity=round(similarity, 3))
        found = match(a.text, b.text, self.shingle_size)
        if found.containment < VERIFIED_CONTAINMENT:
            return None
        remainder = _words(b.text[: found.b_start]) + _words(b.text[found.b_end :])
        return Link(
            a=a.id,
            b=b.id,
            kind="composite" if remainder >= MIN_PART_WORDS else "containment",
            similarity=round(found.containment, 3),
            a_start=found.a_start,
            a_end=found.a_end,
            b_start=found.b_start,
            b_end=found.b_end,
        )

    def _store_features(
        self,
        store: SQLiteStore,
        batch: list[Article],
        counts: np.ndarray,
        sigs: np.ndarray,
        keys: np.ndarray,
        fps: Fingerprints,
    ) -> None:
        values, doc = fps.values, fps.doc
        for index, article in enumerate(batch):
            store.dedupe.put_features(
                self.name,
                article.id,
                int(counts[index]),
                sigs[index],
                [int(k) for k in keys[index] if k != 0],
                values[doc == index].tolist(),
            )

    # -- composite parts -----------------------------------------------------------------

    def _rebuild_parts(self, store: SQLiteStore) -> int:
        """Split every container of a composite link into parts: the copied span credited to
        the original's outlet, each remainder credited to the outlet its own text names."""
        composites = [link for link in store.dedupe.links() if link.kind == "composite"]
        by_container: dict[str, list[Link]] = {}
        for link in composites:
            by_container.setdefault(link.b, []).append(link)
        ids = sorted(set(by_container) | {link.a for link in composites})
        articles = store.articles_by_ids(ids)
        for container_id, links in by_container.items():
            container = articles[container_id]
            store.dedupe.put_parts(container_id, self._parts(container, links, articles))
        return len(by_container)

    def _parts(
        self, container: Article, links: list[Link], articles: dict[str, Article]
    ) -> list[Part]:
        text = container.text
        copied: list[tuple[int, int, Article]] = []
        for link in sorted(links, key=lambda lk: lk.b_start or 0):
            start, end = link.b_start or 0, link.b_end or len(text)
            if copied and start < copied[-1][1]:
                continue  # overlapping matches: keep the first
            copied.append((start, end, articles[link.a]))
        parts: list[Part] = []
        cursor = 0
        for start, end, original in copied:
            if start > cursor:
                parts.extend(self._own_part(container, cursor, start))
            outlet = original.outlet.name if original.outlet else None
            parts.append(Part(start=start, end=end, outlet=outlet, duplicate_of=original.id))
            cursor = end
        if cursor < len(text):
            parts.extend(self._own_part(container, cursor, len(text)))
        return _absorb_slivers(parts, text)

    def _own_part(self, container: Article, start: int, end: int) -> list[Part]:
        segment = container.text[start:end]
        found = decide(collect_evidence(segment, [], self.outlet_rules))
        outlet = found.name if found else (container.outlet.name if container.outlet else None)
        return [Part(start=start, end=end, outlet=outlet, duplicate_of=None)]


def _absorb_slivers(parts: list[Part], text: str) -> list[Part]:
    """Leftovers of a few words (whitespace, a stray line) join the part before them."""
    kept: list[Part] = []
    for part in parts:
        if (
            kept
            and part.duplicate_of is None
            and _words(text[part.start : part.end]) < MIN_SIDE_WORDS
        ):
            last = kept[-1]
            kept[-1] = Part(
                start=last.start, end=part.end, outlet=last.outlet, duplicate_of=last.duplicate_of
            )
        else:
            kept.append(part)
    return kept


def _words(text: str) -> int:
    return len(text.split())


def _older(a: Article, b: Article) -> Article:
    return min(a, b, key=age_key)


def _newer(a: Article, b: Article) -> Article:
    return b if _older(a, b) is a else a


def _dedupe_links(links: list[Link]) -> list[Link]:
    """One link per pair; an exact link beats a near one for the same pair."""
    rank = {"exact": 0, "composite": 1, "containment": 2, "near": 3}
    best: dict[frozenset[str], Link] = {}
    for link in links:
        key = frozenset((link.a, link.b))
        if key not in best or rank[link.kind] < rank[best[key].kind]:
            best[key] = link
    return sorted(best.values(), key=lambda lk: (lk.a, lk.b))
