"""Quantities with units, approximators and what they count; and when two can both be true."""

from __future__ import annotations

import math

import pytest

from storyline.algorithms.quantities import Quantity, find_quantities


def one(text: str) -> Quantity:
    found = find_quantities(text)
    assert len(found) == 1, [q.text for q in found]
    return found[0]


@pytest.mark.parametrize(
    ("text", "span", "value", "unit", "counted", "approximator"),
    [
        ("says 727 people, including", "727 people", 727, None, "people", None),
        (
            "At least 700 people have been killed",
            "At least 700 people",
            700,
            None,
            "people",
            "at least",
        ),
        ("about 200km from the capital", "about 200km", 200_000, "m", None, "about"),
        (
            "approximately 50km of the city",
            "approximately 50km",
            50_000,
            "m",
            None,
            "approximately",
        ),
        ("which is 25 miles farther south", "25 miles", 40_233.6, "m", None, None),
        ("a 50-percent raise in pay", "50-percent", 50, "percent", None, None),
        ("rose 12% on Monday", "12%", 12, "percent", None, None),
        ("115,000 people had been displaced", "115,000 people", 115_000, None, "people", None),
        ("a 984-foot freighter", "984-foot", 298.7 + 1.2232, "m", None, None),
        ("which is 300 metres long", "300 metres", 300, "m", None, None),
        ("the 2.6-km bridge", "2.6-km", 2600, "m", None, None),
        ("Six road workers went missing", "Six road workers", 6, None, "road workers", None),
        (
            "hundreds of detainees were set free",
            "hundreds of detainees",
            599.5,
            None,
            "detainees",
            "hundreds",
        ),
        ("about $9.6bn of trade a day", "about $9.6bn of trade", 9.6e9, "USD", "trade", "about"),
        (
            "more than 7 million internally displaced",
            "more than 7 million internally displaced",
            7e6,
            None,
            "internally displaced",
            "more than",
        ),
        (
            "water of about 9 degrees Celsius",
            "about 9 degrees Celsius",
            9,
            "celsius",
            None,
            "about",
        ),
    ],
)
def test_extracts(
    text: str,
    span: str,
    value: float,
    unit: str | None,
    counted: str | None,
    approximator: str | None,
) -> None:
    quantity = one(text)
    assert quantity.text == span and text[quantity.start : quantity.end] == span
    assert quantity.value == pytest.approx(value, rel=1e-3)
    assert (quantity.unit, quantity.counted, quantity.approximator) == (unit, counted, approximator)


def test_ranges() -> None:
    quantity = one("left between 300,000 to 500,000 dead")
    assert (quantity.low, quantity.high, quantity.counted) == (300_000, 500_000, "dead")
    assert one("at least 6.4 million as refugees").high == math.inf


@pytest.mark.parametrize(
    "text", ["on November 27, 2024", "at 1:30 a.m.", "in 1982", "since 2016", "on Dec. 4"]
)
def test_dates_and_times_are_not_quantities(text: str) -> None:
    assert find_quantities(text) == []


@pytest.mark.parametrize(
    ("a", "b", "compatible"),
    [
        ("727 people", "at least 700 people", True),
        ("about 50km", "25 miles", False),  # 40.2 km is outside 45-55 km
        ("a 984-foot ship", "300 metres", True),
        ("the 1.6-mile bridge", "the 2.6-km bridge", True),
        ("nearly 3 miles", "the 2.6-km bridge", False),
        ("at least 360 ships", "369 ships", True),
        ("more than 360 vessels", "369 ships", True),
        ("17.9 km", "about 11 miles", True),
        ("50 km", "50 percent", False),  # different units never compare
        ("up to 100 people", "150 people", False),
    ],
)
def test_compatibility(a: str, b: str, compatible: bool) -> None:
    assert one(a).compatible(one(b)) is compatible
    assert one(b).compatible(one(a)) is compatible


@pytest.mark.parametrize(
    "text",
    ["He hit 121 RBI\nLast season", "121 RBI last\tseason", "thousands of\tcollapsed  buildings"],
)
def test_counted_words_across_odd_whitespace_never_crash(text: str) -> None:
    """Found by ECB+: the counted phrase's span was looked up with single spaces."""
    for quantity in find_quantities(text):
        assert text[quantity.start : quantity.end] == quantity.text
        assert "\n" not in quantity.text
