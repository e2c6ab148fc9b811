"""The sparse neighbour search finds exactly the dated articles a pair-by-pair cosine finds."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from storyline.extract.publication_dates import DatingInput, _similar_dated, _vectors
from storyline.model import Granularity, PublishedDate


def _articles(seed: int, n: int) -> list[DatingInput]:
    rng = random.Random(seed)
    entities = [f"entity{i}" for i in range(40)]
    weights = [1 / (i + 1) for i in range(40)]  # a few entities most articles name
    out = []
    for i in range(n):
        day = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(60))
        dated = i % 3 != 0
        published = PublishedDate(
            value=day if dated else day.replace(day=1),
            granularity=Granularity.DAY if dated else Granularity.MONTH,
            inferred=False,
        )
        names = frozenset(rng.choices(entities, weights, k=rng.randrange(0, 6)))
        out.append(DatingInput(f"a{i}", published, "", names, frozenset()))
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sparse_scores_match_pairwise_cosines(seed: int) -> None:
    articles = _articles(seed, 120)
    dated = [a for a in articles if a.published and a.published.granularity is Granularity.DAY]
    undated = [a for a in articles if a not in dated]
    vectors = _vectors(articles)
    found = list(_similar_dated(undated, dated, vectors, 0.08, block=7))  # blocks cut unevenly
    assert [article for article, _ in found] == undated
    for article, similar in found:
        mine = vectors[article.id]
        expected = []
        for index, other in enumerate(dated):
            cosine = sum(w * vectors[other.id].get(e, 0.0) for e, w in mine.items())
            if cosine >= 0.08:
                expected.append((index, cosine))
        assert [i for i, _ in similar] == [i for i, _ in expected]  # same set, corpus order
        assert [s for _, s in similar] == pytest.approx([s for _, s in expected], abs=1e-12)
