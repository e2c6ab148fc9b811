"""The pure dedupe algorithms: hashing, MinHash, LSH, fingerprints and spans."""

from __future__ import annotations

import random
import signal
import tracemalloc
from collections.abc import Iterator

import numpy as np
import pytest

from storyline.algorithms.containment import fingerprints, shared_counts
from storyline.algorithms.hashing import ShingleHasher
from storyline.algorithms.lsh import band_keys, candidate_pairs
from storyline.algorithms.minhash import EMPTY, estimate_jaccard, signatures
from storyline.algorithms.spans import match, snap_to_lines
from storyline.evaluation.dedupe_eval import find_links

WORDS = [
    "port",
    "crane",
    "ship",
    "harbour",
    "workers",
    "river",
    "bridge",
    "council",
    "vote",
    "budget",
    "strike",
    "union",
    "police",
    "court",
    "judge",
    "minister",
    "election",
    "storm",
    "flood",
    "rescue",
    "fire",
    "school",
    "hospital",
    "market",
    "bank",
]


def article(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) + str(rng.randrange(50)) for _ in range(n)) + "."


@pytest.fixture
def rng() -> random.Random:
    return random.Random(7)


def exact_jaccard(a: str, b: str, k: int = 5) -> float:
    def grams(text: str) -> set[tuple[str, ...]]:
        words = text.lower().replace(".", " ").split()
        return {tuple(words[i : i + k]) for i in range(len(words) - k + 1)}

    x, y = grams(a), grams(b)
    return len(x & y) / len(x | y)


@pytest.fixture
def alarm() -> Iterator[None]:
    """Fail instead of hanging: a blow-up in time becomes a clear error."""

    def boom(*_: object) -> None:
        raise TimeoutError("took more than 30 s")

    previous = signal.signal(signal.SIGALRM, boom)
    signal.alarm(30)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def test_shingles_respect_document_boundaries_and_case() -> None:
    hasher = ShingleHasher(3)
    together = hasher.shingles(["One two three four", "FIVE six seven"])
    assert together.counts().tolist() == [2, 1]
    alone = hasher.shingles(["five six seven"])
    assert together.hashes[together.doc == 1].tolist() == alone.hashes.tolist()


def test_short_and_empty_documents() -> None:
    batch = ShingleHasher(5).shingles(["", "one", "two words", "one"])
    assert batch.counts().tolist() == [0, 1, 1, 1]
    sigs = signatures(batch)
    assert (sigs[0] == EMPTY).all()
    assert estimate_jaccard(sigs[0], sigs[0]) == 0.0  # empty never matches, even itself
    assert estimate_jaccard(sigs[1], sigs[3]) == 1.0  # the same one word
    assert estimate_jaccard(sigs[1], sigs[2]) == 0.0
    assert not (sigs[1] == EMPTY).any()  # densified


def test_empty_and_one_word_articles_are_not_all_duplicates() -> None:
    texts = ["", " ", "Hello", "World", "Update", "Yes"]
    assert find_links(texts) == []


@pytest.mark.parametrize("target", [0.2, 0.5, 0.8])
def test_minhash_estimates_jaccard(rng: random.Random, target: float) -> None:
    base = article(rng, 600).split()
    keep = int(len(base) * target / (1 + target) * 2)
    other = base[:keep] + article(rng, len(base) - keep).split()
    a, b = " ".join(base), " ".join(other)
    sigs = signatures(ShingleHasher(5).shingles([a, b]))
    assert abs(float(estimate_jaccard(sigs[0], sigs[1])) - exact_jaccard(a, b)) < 0.12


def test_non_latin_scripts(rng: random.Random) -> None:
    russian = "Москва заявила в понедельник о поддержке мирного плана для региона и соседей"
    greek = "Η κυβέρνηση ανακοίνωσε νέα μέτρα για την οικονομία της χώρας τη Δευτέρα"
    chinese = "北京市政府周一宣布了新的交通计划以减少城市拥堵和空气污染问题并改善居民出行"
    texts = [russian, russian + " сказал он", greek, greek + " είπε", chinese, chinese + "。"]
    sigs = signatures(ShingleHasher(5).shingles(texts))
    for i in (0, 2, 4):
        assert estimate_jaccard(sigs[i], sigs[i + 1]) > 0.6
    assert estimate_jaccard(sigs[0], sigs[2]) < 0.1
    assert estimate_jaccard(sigs[0], sigs[4]) < 0.1


def test_lsh_pairs_similar_and_stars_big_buckets(rng: random.Random) -> None:
    texts = [article(rng, 200) for _ in range(20)]
    texts.append(texts[3] + " One more closing sentence.")
    pairs = candidate_pairs(band_keys(signatures(ShingleHasher(5).shingles(texts)), 32))
    assert pairs.tolist() == [[3, 20]]
    copies = [texts[0]] * 100
    star = candidate_pairs(band_keys(signatures(ShingleHasher(5).shingles(copies)), 32), 64)
    assert len(star) == 99 and set(star[:, 0].tolist()) == {0}


def test_fingerprints_find_a_short_text_inside_a_long_one(rng: random.Random) -> None:
    short = article(rng, 150)
    long = article(rng, 1500) + " " + short + " " + article(rng, 1500)
    batch = ShingleHasher(5).shingles([short, long, article(rng, 1500)])
    fps = fingerprints(batch)
    pairs, shared = shared_counts(fps)
    assert pairs.tolist() == [[0, 1]]
    containment = shared[0] / fps.counts()[0]
    assert containment > 0.8
    jaccard = estimate_jaccard(*signatures(batch)[:2])
    assert jaccard < 0.2  # why containment needs its own index: Jaccard misses it


def test_match_reports_the_span_of_the_container() -> None:
    original = "The council voted to close the bridge.\nRepairs start on Monday, officials said."
    container = "Intro line about something else entirely here.\n" + original + "\nSigned off."
    found = match(original, container, k=3)
    assert found.containment == 1.0
    assert container[found.b_start : found.b_end] == original
    assert original[found.a_start : found.a_end] == original


def test_snap_to_lines() -> None:
    text = "alpha beta\n  gamma delta  \nepsilon"
    assert text[slice(*snap_to_lines(text, 15, 18))] == "gamma delta"


def test_a_megabyte_of_one_repeated_line_stays_cheap(alarm: None) -> None:
    line = "The same sentence repeated over and over again in one page.\n"
    huge = line * (1_000_000 // len(line))
    tracemalloc.start()
    links = find_links([huge, line * 3, "Something else entirely, written once."])
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 400 * 2**20
    assert {frozenset((a, b)) for a, b, _ in links} == {frozenset((0, 1))}  # same line


def test_signatures_are_deterministic_across_hasher_instances(rng: random.Random) -> None:
    texts = [article(rng, 100) for _ in range(5)]
    first = signatures(ShingleHasher(5).shingles(texts))
    second = signatures(ShingleHasher(5).shingles(list(reversed(texts))))
    assert np.array_equal(first, second[::-1])
