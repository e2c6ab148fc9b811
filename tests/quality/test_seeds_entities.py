"""Issue 4's entity and place must-show on the seeds (spaCy model + gazetteer, offline)."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.clean import Cleaner
from storyline.extract.entities import EntityRecognizer
from storyline.extract.variants import Entity, merge
from storyline.model import RawDocument

pytestmark = pytest.mark.quality
SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def entities() -> dict[str, Entity]:
    if not SEEDS.is_dir():
        pytest.skip(f"seed articles not found at {SEEDS} (CI has ../shared beside the checkout)")
    cleaner = Cleaner(detect_languages=False)
    recognizer = EntityRecognizer()
    mentions = []
    for path in sorted(SEEDS.glob("*.txt")):
        article = cleaner.clean(RawDocument(source=str(path), text=path.read_text("utf-8"))).article
        assert article is not None
        mentions += recognizer.mentions(article.id, article.text)
    return {e.name: e for e in merge(mentions, recognizer.gazetteer)}


def test_jolani_golani_joulani_are_one_person(entities: dict[str, Entity]) -> None:
    person = next(e for e in entities.values() if "Golani" in " ".join(m.text for m in e.mentions))
    spellings = {m.text for m in person.mentions}
    assert person.type == "PERSON"
    assert {"Jolani", "Joulani"} <= spellings
    assert any("Golani" in s for s in spellings) and any("al-Jolani" in s for s in spellings)


def test_hts_is_one_organisation_with_its_long_name(entities: dict[str, Entity]) -> None:
    hts = entities["Hayat Tahrir al-Sham"]
    spellings = {m.text for m in hts.mentions}
    assert hts.type == "ORG" and {"HTS", "Hayat Tahrir-al-Sham"} <= spellings
    assert not any("HTS" in m.text for e in entities.values() if e is not hts for m in e.mentions)


@pytest.mark.parametrize("city", ["Hama", "Homs", "Aleppo", "Idlib", "Damascus", "Tartus"])
def test_cities_geocoded_in_syria(entities: dict[str, Entity], city: str) -> None:
    place = next(e for e in entities.values() if any(m.text == city for m in e.mentions))
    assert place.type == "PLACE"
    assert place.geo is not None and place.geo.country == "SY"
    assert place.geo.gazetteer_id.startswith("geonames:")


def test_bashar_and_hafez_stay_apart(entities: dict[str, Entity]) -> None:
    assert entities["Bashar al-Assad"] is not entities["Hafez al-Assad"]
    assert "Hafez" not in {m.text for m in entities["Bashar al-Assad"].mentions}
