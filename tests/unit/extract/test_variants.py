"""Variant merging by rules alone (an empty alias table), and the curated table on top."""

from __future__ import annotations

import pytest

from storyline.extract.entities import Mention
from storyline.extract.geocode import Gazetteer
from storyline.extract.variants import merge


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer()


def mentions(*items: tuple[str, str]) -> list[Mention]:
    return [Mention(f"a{i}", 0, len(text), text, label) for i, (text, label) in enumerate(items)]


def groups(entities: list[object]) -> list[set[str]]:
    return sorted(({m.text for m in e.mentions} for e in entities), key=sorted)  # type: ignore[attr-defined]


def test_transliterations_merge_without_the_alias_table(gazetteer: Gazetteer) -> None:
    found = merge(
        mentions(
            ("Abu Mohammed al-Jolani", "PERSON"),
            ("Abu Mohammed al-Golani", "PERSON"),
            ("Abu Mohammed Al Joulani", "PERSON"),
            ("Joulani", "PERSON"),
            ("Sam Heller", "PERSON"),
        ),
        gazetteer,
        aliases=[],
    )
    assert groups(found) == [
        {"Abu Mohammed al-Jolani", "Abu Mohammed al-Golani", "Abu Mohammed Al Joulani", "Joulani"},
        {"Sam Heller"},
    ]


def test_same_surname_different_people_stay_apart(gazetteer: Gazetteer) -> None:
    found = merge(
        mentions(
            ("Bashar al-Assad", "PERSON"),
            ("Bashar Assad", "PERSON"),
            ("Hafez al-Assad", "PERSON"),
            ("Assad", "PERSON"),
            ("Assad", "PERSON"),
        ),
        gazetteer,
        aliases=[],
    )
    assert groups(found) == [
        {"Bashar al-Assad", "Bashar Assad", "Assad"},
        {"Hafez al-Assad"},
    ]


def test_acronym_joins_its_long_name(gazetteer: Gazetteer) -> None:
    found = merge(
        mentions(("Hayat Tahrir al-Sham", "ORG"), ("HTS", "ORG"), ("Hezbollah", "ORG")),
        gazetteer,
        aliases=[],
    )
    assert {"Hayat Tahrir al-Sham", "HTS"} in groups(found)


def test_places_merge_by_gazetteer_id_and_prefer_the_story_country(gazetteer: Gazetteer) -> None:
    found = merge(
        mentions(
            ("Syria", "GPE"),
            ("Damascus", "GPE"),
            ("Homs", "GPE"),
            ("Ţarţūs", "GPE"),
            ("Tartus", "GPE"),
        ),
        gazetteer,
        aliases=[],
    )
    by_name = {e.name: e for e in found}
    assert by_name["Damascus"].geo is not None and by_name["Damascus"].geo.country == "SY"
    assert {"Ţarţūs", "Tartus"} in groups(found)
    assert all(e.geo is not None and e.geo.country == "SY" for e in found)


def test_curated_exonyms(gazetteer: Gazetteer) -> None:
    found = merge(mentions(("Türkiye", "GPE"), ("Turkey", "GPE")), gazetteer)
    assert len(found) == 1 and found[0].name == "Turkey" and found[0].geo is not None


def test_countries_are_pinned_at_their_capital_never_at_zero(gazetteer: Gazetteer) -> None:
    syria = gazetteer.country("Syria")
    assert syria is not None and syria.country == "SY"
    assert abs(syria.lat - 33.51) < 0.1 and abs(syria.lon - 36.29) < 0.1  # Damascus
    assert gazetteer.country("U.S.") == gazetteer.country("United States")


def test_a_shorter_given_name_joins_the_full_name(gazetteer: Gazetteer) -> None:
    found = merge(
        mentions(
            ("Recep Tayyip Erdoğan", "PERSON"),
            ("Tayyip Erdogan", "PERSON"),
            ("Erdoğan", "PERSON"),
            ("Emine Erdoğan", "PERSON"),
        ),
        gazetteer,
        aliases=[],
    )
    assert {"Recep Tayyip Erdoğan", "Tayyip Erdogan", "Erdoğan"} in groups(found)
    assert {"Emine Erdoğan"} in groups(found)


def test_places_prefer_their_own_articles_countries(gazetteer: Gazetteer) -> None:
    """A workspace full of American news must not pull a Suez story's Rotterdam to New York."""
    us = [
        Mention(f"us{i}", 0, len(name), name, "GPE")
        for i, name in enumerate(["United States"] * 6 + ["Canada"] * 5 + ["Mexico"] * 4)
    ]
    suez = [
        Mention("suez", 0, 5, "Egypt", "GPE"),
        Mention("suez", 10, 21, "Netherlands", "GPE"),
        Mention("suez", 30, 39, "Rotterdam", "GPE"),
    ]
    found = {e.name: e for e in merge(us + suez, gazetteer, aliases=[])}
    rotterdam = found["Rotterdam"].geo
    assert rotterdam is not None and rotterdam.country == "NL"
