"""The shortcuts that make merging fast give the answers of the plain all-against-all search:
memoised and batched fuzzy geocoding, and people compared only within surname blocks."""

from __future__ import annotations

import random
from collections import defaultdict

import pytest
from rapidfuzz import fuzz, process

from storyline.extract import variants
from storyline.extract.entities import Mention
from storyline.extract.geocode import FUZZY_MIN_SCORE, Gazetteer, Place
from storyline.extract.names import tokens

# Misspellings, and names whose best matches tie or are too long to count (a name more than
# two characters longer still takes one of the three places: "hu-ching-shih", "noviy ...").
QUERIES = [
    "rotterdamm",
    "damascuss",
    "aleppoo",
    "tall rifaat",
    "hu-ching-shih",
    "noviy meeliotopol'",
    "santa rosade kopan",
    "mttuppalaiyam",
    "zzzzqqqq",
]


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer()


def plain_fuzzy(gazetteer: Gazetteer, folded: str) -> list[Place]:
    """The search without shortcuts: the best three names of the whole index."""
    index = gazetteer._load()
    best = process.extract(folded, index.keys(), scorer=fuzz.ratio, limit=3)
    return [
        place
        for name, score, _ in best
        if score >= FUZZY_MIN_SCORE and abs(len(name) - len(folded)) <= 2
        for place in index[name]
    ]


def test_the_fuzzy_fallback_finds_a_misspelled_city(gazetteer: Gazetteer) -> None:
    rotterdam = gazetteer.lookup("Rotterdamm", ["NL"])
    assert rotterdam is not None and rotterdam.name == "Rotterdam" and rotterdam.country == "NL"
    damascus = gazetteer.lookup("Damascuss")
    assert damascus is not None and damascus.country == "SY"
    assert gazetteer.lookup("Damascuss", fuzzy=False) is None
    assert gazetteer.lookup("Zzzzqqqq") is None


def test_fuzzy_search_equals_the_plain_search(gazetteer: Gazetteer) -> None:
    gazetteer._fuzzy_cache.clear()
    for query in QUERIES:
        assert list(gazetteer._fuzzy(query)) == plain_fuzzy(gazetteer, query), query


def test_memoised_and_batched_lookups_equal_uncached_ones(gazetteer: Gazetteer) -> None:
    names = [*QUERIES, "Tartus", "Ţarţūs", "Al Raqqa", "Aleppo", "Idlibb", "Hama", "Hmeimim"]
    gazetteer._fuzzy_cache.clear()
    one_by_one = [gazetteer.lookup(n, ["SY"]) for n in names]
    again = [gazetteer.lookup(n, ["SY"]) for n in names]  # from the memo
    gazetteer._fuzzy_cache.clear()
    gazetteer.prefetch(names)
    assert "rotterdamm" in gazetteer._fuzzy_cache and "aleppo" not in gazetteer._fuzzy_cache
    batched = [gazetteer.lookup(n, ["SY"]) for n in names]
    assert one_by_one == again == batched
    assert one_by_one[0] is not None and one_by_one[0].name == "Rotterdam"


def test_people_blocking_keeps_the_merges(gazetteer: Gazetteer) -> None:
    found = variants.merge(
        [
            Mention(f"a{i}", 0, len(text), text, "PERSON")
            for i, text in enumerate(
                [
                    "Abu Mohammed al-Jolani",
                    "Abu Mohammed al-Golani",
                    "Abu Mohammed Al Joulani",
                    "Joulani",
                    "Bashar al-Assad",
                    "Hafez al-Assad",
                    "Assad",
                    "Sam Heller",
                ]
            )
        ],
        gazetteer,
        aliases=[],
    )
    groups = sorted(sorted({m.text for m in e.mentions}) for e in found)
    assert groups == [
        ["Abu Mohammed Al Joulani", "Abu Mohammed al-Golani", "Abu Mohammed al-Jolani", "Joulani"],
        ["Assad", "Bashar al-Assad"],
        ["Hafez al-Assad"],
        ["Sam Heller"],
    ]


def all_pairs_merge_people(groups: dict[str, list[Mention]]) -> None:
    """`_merge_people` comparing every pair, as it did before blocking."""
    people = sorted(
        (g for g in groups if g.startswith(("PERSON:", "alias:"))), key=lambda g: -len(groups[g])
    )
    people = [g for g in people if g.startswith("PERSON:") or groups[g][0].label == "PERSON"]
    for group in people:
        for other in people:
            if other == group or other not in groups or group not in groups:
                continue
            names, other_names = tokens(groups[group][0].text), tokens(groups[other][0].text)
            if not names or not other_names:
                continue
            if not variants._surname_match(names[-1], other_names[-1]):
                continue
            first, other_first = names[:-1], other_names[:-1]
            if first and other_first and not variants._given_names_compatible(first, other_first):
                continue
            if len(other_names) > len(names) or other.startswith("alias:"):
                target, source = other, group
            else:
                target, source = group, other
            if source.startswith("alias:") and not target.startswith("alias:"):
                target, source = source, target
            if not source.startswith("alias:"):
                groups[target].extend(groups.pop(source))


def random_people(seed: int) -> dict[str, list[Mention]]:
    rnd = random.Random(seed)
    given = ["Bashar", "Hafez", "Abu Mohammed", "Recep Tayyip", "Tayyip", "Emine", "Jon", "John"]
    surnames = ["al-Assad", "Asad", "al-Jolani", "Golani", "Joulani", "Erdoğan", "Erdogan"]
    surnames += ["Smith", "Smyth", "Schmidt", "Khan", "Kahn", "Mahmoud", "Mahmud", "Heller"]
    groups: dict[str, list[Mention]] = defaultdict(list)
    for i in range(150):
        surname = list(rnd.choice(surnames))
        if rnd.random() < 0.3:
            surname[rnd.randrange(len(surname))] = rnd.choice("aeioukgjh")
        text = " ".join([*rnd.sample(given, rnd.randint(0, 1)), "".join(surname)])
        label = "PERSON" if rnd.random() < 0.9 else "ORG"
        prefix = "alias" if rnd.random() < 0.05 else label
        groups[f"{prefix}:{' '.join(tokens(text))}"].append(Mention(f"a{i}", 0, 1, text, label))
    return groups


@pytest.mark.parametrize("seed", range(5))
def test_people_blocking_merges_as_comparing_all_pairs(seed: int) -> None:
    blocked, everything = random_people(seed), random_people(seed)
    variants._merge_people(blocked)
    all_pairs_merge_people(everything)
    assert blocked == everything


def test_surname_blocks_hold_every_matching_pair() -> None:
    groups = random_people(0)
    people = [g for g in groups if groups[g][0].label == "PERSON"]
    names_of = {g: tokens(groups[g][0].text) for g in people}
    candidates = variants._surname_candidates(people, names_of)
    for group in people:
        for other in people:
            if variants._surname_match(names_of[group][-1], names_of[other][-1]):
                assert other in candidates[group], (group, other)
