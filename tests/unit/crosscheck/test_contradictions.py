"""The typed rules on hand-built claims: each kind fires on its case, and the cases that look
alike but are not conflicts (compatible numbers, updates over days, one source, different
scopes) stay quiet."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from storyline.crosscheck.claims import Claim
from storyline.crosscheck.contradictions import Contradiction, ContradictionFinder, opposition
from tests.unit.crosscheck.helpers import claim, day


def find(
    claims: Sequence[Claim], similarity: float = 0.9, published: str = "2024-12-05"
) -> list[Contradiction]:
    n = len(claims)
    sim = np.full((n, n), similarity)
    np.fill_diagonal(sim, 1.0)
    return ContradictionFinder(claims, sim, {c.article_id: published for c in claims}).find()


def test_numeric_conflict_and_compatible_precision() -> None:
    a = claim("Hama is approximately 50km of the city of Homs.", "RT", "a", places=("Homs",))
    b = claim("Homs, which is 25 miles farther south, is next.", "Epoch", "b", places=("Homs",))
    [item] = find([a, b])
    assert item.kind == "numeric" and not item.compatible
    assert {s.value for s in item.sides} == {"approximately 50km", "25 miles"}
    assert "50.0 km" in item.summary and "40.2 km" in item.summary
    c = claim("a 984-foot freighter", "X", "c")
    d = claim("a 300-metre ship", "Y", "d")
    [same] = find([c, d])
    assert same.compatible and "differ in precision" in same.summary


def test_counts_respect_approximators_days_and_scope() -> None:
    a = claim("The monitor says 727 people have been killed in the fighting.", "AFP", "a")
    b = claim("The monitor said at least 700 people have been killed in the fighting.", "B", "b")
    [item] = find([a, b])
    assert item.compatible
    c = claim("The monitor says 300 people have been killed in the fighting.", "C", "c")
    assert [x.kind for x in find([a, c]) if not x.compatible] == ["numeric"]
    war = claim("The war has killed 500,000 people in the fighting.", "D", "d")
    assert find([a, war]) == []  # a week's toll and a war's toll: different scopes
    later = claim(
        "On Monday the monitor said 900 people have been killed in the fighting.",
        "E",
        "e",
        times=(day("On Monday the monitor", "On Monday", "2024-12-09"),),
    )
    assert find([a, later]) == []  # a toll on a later day is an update


def test_one_source_never_contradicts_itself() -> None:
    a = claim("The bridge, nearly 3 miles long, fell.", "X", "same")
    b = claim("the 1.6-mile bridge folded", "X", "same")
    assert find([a, b]) == []


def test_ranking_conflict() -> None:
    a = claim(
        "insurgents captured much of Aleppo, the country’s largest city.",
        "AFP",
        "a",
        places=("Aleppo",),
    )
    b = claim(
        "Aleppo, which is the second-largest city in the country, fell.",
        "RT",
        "b",
        places=("Aleppo",),
    )
    [item] = find([a, b], similarity=0.1)  # no similarity needed: the subject is named
    assert item.kind == "ranking"
    assert item.summary == "AFP calls Aleppo the largest city, RT the second-largest city"


def test_place_conflict_anchored_by_the_year_and_quiet_without_it() -> None:
    a = claim(
        "In 1982, after an uprising in Homs, his forces massacred thousands.",
        "E",
        "a",
        places=("Homs",),
    )
    b = claim("Hama was the site of a 1982 massacre by his father.", "B", "b", places=("Hama",))
    [item] = find([a, b], similarity=0.2)
    assert item.kind == "place" and "1982" in item.summary
    c = claim("Hama was the site of a 1964 massacre.", "C", "c", places=("Hama",))
    assert find([a, c], similarity=0.2) == []


def test_two_quakes_of_different_size_are_not_one_event() -> None:
    a = claim(
        "The magnitude 7.8 quake hit near Nurdagi before dawn.", "K", "a", places=("Nurdagi",)
    )
    b = claim(
        "A second quake, measured at 7.5, hit further north near Elbistan.",
        "O",
        "b",
        places=("Elbistan",),
    )
    assert find([a, b]) == []
    c = claim(
        "The agency placed its epicentre near Pazarcik, a town.", "O", "c", places=("Pazarcik",)
    )
    [item] = find([a, c], similarity=0.5)
    assert item.kind == "place"


def test_time_conflict_on_one_event() -> None:
    text_a = "The Ever Given was freed on Monday, March 29, ending the blockage."
    text_b = "The Ever Given, a giant, was pulled free on March 28 with tugs."
    a = claim(text_a, "BT", "a", times=(day(text_a, "on Monday, March 29", "2021-03-29"),))
    b = claim(text_b, "KD", "b", times=(day(text_b, "on March 28", "2021-03-28"),))
    [item] = find([a, b], similarity=0.45)  # the ship's name ties them
    assert item.kind == "time" and {s.value for s in item.sides} == {"2021-03-28", "2021-03-29"}
    assert find([a, b], similarity=0.3) == []


def test_attribution_conflict_needs_two_named_bodies() -> None:
    a = claim(
        "The manager, Bernhard Schulte, said all 25 crew were safe.",
        "CW",
        "a",
        orgs=("Bernhard Schulte",),
    )
    b = claim(
        '"All 25 crew are safe," the Canal Authority said.',
        "BT",
        "b",
        orgs=("Canal Authority",),
        speaker="the Canal Authority",
    )
    [item] = find([a, b], similarity=0.85)
    assert item.kind == "attribution"
    c = claim('"All 25 crew are safe," the army said.', "X", "c", speaker="the army")
    assert find([a, c], similarity=0.85) == []


def test_negation_and_antonyms() -> None:
    assert opposition("The port is open to ships.", "The port is not open to ships.") is not None
    assert opposition("Prices rose on Monday.", "Prices fell on Monday.") == "'rose' against 'fell'"
    assert opposition("There was no pollution.", "There was no pollution at all.") is None
    a = claim("The port is open to ships.", "A", "a")
    b = claim("The port is not open to ships.", "B", "b")
    [item] = find([a, b], similarity=0.9)
    assert item.kind == "negation"
    assert find([a, b], similarity=0.6) == []
