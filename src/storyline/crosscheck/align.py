"""Facts: claims from different sources that assert the same thing, grouped.

Claims are compared by the cosine of their MiniLM sentence embeddings (the same packaged model
as the stories' precise pass), which carries paraphrase and translation differences ("reclaiming
the areas entered by" / "restoring territories invaded by"). Groups are formed by average-link
agglomerative clustering, so a fact is a set whose members are close on average, not a chain
of pairwise look-alikes. Two claims of one source are kept apart unless they are very close:
a source repeating itself (headline and lead) is one report, not corroboration.
A fact's outlets are every outlet that carries one of its sources (wire copies count once as a
source, and list every outlet that ran them).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

from storyline.crosscheck.claims import Claim
from storyline.crosscheck.events import event_keys
from storyline.model import content_id

# Calibrated on the example corpus's fact gold (examples/gold/crosscheck.json) and checked on the
# seeds: see docs/crosscheck.md for the grid.
FACT_THRESHOLD = 0.50  # mean similarity (cosine + bonuses) inside a fact
SAME_SOURCE_PENALTY = 0.5  # subtracted from the cosine of two claims of one source
EVENT_BONUS = 0.15  # added when two claims name one event class at one place (events.py)
REPRESENTATIVE_SLACK = 0.10  # see Fact.claims: how much centrality an earlier claim may lack
NUMBER_BONUS = 0.10  # added when two claims state one number ("22 crew", "crew of 22")


@dataclass(frozen=True, slots=True, kw_only=True)
class Fact:
    id: str
    statement: str  # the most central claim's wording
    claims: tuple[Claim, ...]  # one per source: the one closest to the others
    members: tuple[Claim, ...]  # every claim grouped into the fact
    outlets: tuple[str, ...]
    sources: int  # independent sources (text units) that report it
    background: bool

    @property
    def corroborated(self) -> bool:
        return self.sources >= 2


def _sources(claims: Sequence[Claim]) -> list[str]:
    return [f"{c.article_id}:{c.outlet}" for c in claims]


def _numbers(claim: Claim) -> frozenset[float]:
    """The values a claim states (counts and measures, not years or clock times)."""
    return frozenset(round(float(q["value"]), 3) for q in claim.quantities)


def _bonuses(claims: Sequence[Claim]) -> NDArray[np.float64]:
    """What two claims earn on top of their cosine: one event at one place, one number."""
    keys_of = [event_keys(c) for c in claims]
    numbers_of = [_numbers(c) for c in claims]
    bonus = np.zeros((len(claims), len(claims)))
    for i in range(len(claims)):
        for j in range(i + 1, len(claims)):
            value = EVENT_BONUS if keys_of[i] & keys_of[j] else 0.0
            value += NUMBER_BONUS if numbers_of[i] & numbers_of[j] else 0.0
            bonus[i, j] = bonus[j, i] = value
    return bonus


def similarity_matrix(claims: Sequence[Claim], vectors: NDArray[np.float32]) -> NDArray[np.float64]:
    sim = np.clip(vectors.astype(np.float64) @ vectors.astype(np.float64).T, -1.0, 1.0)
    keys = np.array(_sources(claims))
    same = keys[:, None] == keys[None, :]
    sim = np.where(same, sim - SAME_SOURCE_PENALTY, sim)
    sim += _bonuses(claims)
    np.fill_diagonal(sim, 1.0)
    return sim


def needs_vector(
    claims: Sequence[Claim],
    model_inputs: Callable[[Sequence[str]], Sequence[tuple[int, ...]]],
    threshold: float = FACT_THRESHOLD,
) -> list[bool]:
    """Which claims' embeddings can change the facts `align` forms; `model_inputs` gives texts'
    token ids (Embedder.token_ids), asked only for a story with one source.

    Claims of different sources are compared by cosine, so a story with two sources needs
    every vector. Inside one source a pair scores at most 1 - SAME_SOURCE_PENALTY + its
    bonus, and without a bonus that ceiling is the threshold itself, reached only by one model
    input twice (cosine 1). A claim with no pair able to reach the threshold stays a fact of
    its own under average linkage whatever its vector (a mean of values below the threshold is
    below it), and the cross-check's other uses of the vectors compare different sources only.
    So the claims of a single-source story (most stories are one article) that have no such
    partner are not embedded: about a third of all claims on Reuters wire copy.
    """
    if len(set(_sources(claims))) > 1:
        return [True] * len(claims)
    ceiling = 1.0 - SAME_SOURCE_PENALTY + _bonuses(claims)
    inputs = model_inputs([c.text for c in claims])
    needed = [False] * len(claims)
    for i in range(len(claims)):
        for j in range(i + 1, len(claims)):
            reachable = ceiling[i, j] > threshold + 1e-9 or (
                ceiling[i, j] >= threshold - 1e-9 and inputs[i] == inputs[j]
            )
            if reachable:
                needed[i] = needed[j] = True
    return needed


def align(
    claims: Sequence[Claim],
    vectors: NDArray[np.float32],
    threshold: float = FACT_THRESHOLD,
) -> list[Fact]:
    """Facts from claims (rows of `vectors` are their unit embeddings), most-supported first."""
    if not claims:
        return []
    raw = vectors.astype(np.float64) @ vectors.astype(np.float64).T  # plain cosine
    if len(claims) == 1:
        labels = np.array([1])
        sim = np.ones((1, 1))
    else:
        sim = similarity_matrix(claims, vectors)
        distance = np.clip(1.0 - sim, 0.0, None)
        np.fill_diagonal(distance, 0.0)
        tree = linkage(squareform(distance, checks=False), method="average")
        labels = fcluster(tree, t=1.0 - threshold, criterion="distance")
    keys = _sources(claims)
    facts = []
    for label in sorted(set(labels.tolist())):
        members = np.flatnonzero(labels == label)
        block = raw[np.ix_(members, members)]
        member_keys = np.array([keys[i] for i in members])
        other = member_keys[:, None] != member_keys[None, :]
        # how close each claim is to the other sources' claims: the best spokesman of its source
        centrality = np.where(other, block, 0.0).sum(axis=1) / np.maximum(other.sum(axis=1), 1)
        by_source: dict[str, list[int]] = {}
        for k, i in enumerate(members):
            by_source.setdefault(keys[i], []).append(k)
        best_per_source: dict[str, int] = {}
        for key, ks in by_source.items():
            # the source's earliest claim among those nearly as central as its best: news puts
            # the main statement first, and a later sentence often repeats it with context
            top = max(centrality[k] for k in ks)
            near = [k for k in ks if centrality[k] >= top - REPRESENTATIVE_SLACK]
            earliest = min(near, key=lambda k: claims[int(members[k])].start)
            best_per_source[key] = int(members[earliest])
        chosen = sorted(
            best_per_source.values(), key=lambda i: (claims[i].article_id, claims[i].start)
        )
        central = int(members[int(np.argmax(centrality))])
        outlets = sorted({o for i in chosen for o in claims[i].carried_by})
        facts.append(
            Fact(
                id=content_id(*(claims[i].id for i in chosen)),
                statement=claims[central].text,
                claims=tuple(claims[i] for i in chosen),
                members=tuple(claims[int(i)] for i in members),
                outlets=tuple(outlets),
                sources=len(chosen),
                background=all(claims[i].background for i in chosen),
            )
        )
    facts.sort(
        key=lambda f: (-f.sources, -len(f.outlets), f.claims[0].article_id, f.claims[0].start)
    )
    return facts
