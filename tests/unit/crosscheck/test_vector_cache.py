"""Claim vectors are reused within a process, bounded, and reuse changes nothing."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest
from numpy.typing import NDArray

from storyline.stages.crosscheck import VectorCache


def test_each_text_is_embedded_once_and_the_oldest_are_dropped() -> None:
    asked: list[list[str]] = []

    def embed(texts: Sequence[str]) -> NDArray[np.float32]:
        asked.append(list(texts))
        return np.array([[float(len(t)), 1.0] for t in texts], dtype=np.float32)

    cache = VectorCache(capacity=3)
    first = cache.lookup(["a", "bb"], embed)
    again = cache.lookup(["bb", "ccc", "a"], embed)
    assert asked == [["a", "bb"], ["ccc"]]
    assert np.array_equal(first["bb"], again["bb"])
    cache.lookup(["dddd"], embed)  # "bb" is now the least recently used
    cache.lookup(["bb"], embed)
    assert asked[-1] == ["bb"]


@pytest.mark.slow
def test_a_sentence_vector_does_not_depend_on_its_batch() -> None:
    """What makes the cache exact: MiniLM gives a sentence the same vector alone or batched."""
    from storyline.stories.embeddings import Embedder

    embedder = Embedder(threads=1)
    sentence = "The army said it had withdrawn from the city to protect civilians."
    alone = embedder.embed([sentence])[0]
    batched = embedder.embed(
        ["Short.", sentence, "A far longer sentence about talks, shelling and roads " * 3]
    )[1]
    assert np.array_equal(alone, batched)
