"""Build claims by hand for the cross-check's rule tests (no store, no model)."""

from __future__ import annotations

import dataclasses
from typing import Any

from storyline.algorithms.quantities import find_quantities
from storyline.crosscheck.claims import Claim
from storyline.crosscheck.material import EntityMention

COUNTRIES = {"Syria", "Turkey", "United States"}


def mention(
    text: str, surface: str, name: str | None = None, type_: str = "PLACE"
) -> EntityMention:
    start = text.index(surface)
    place = type_ == "PLACE"
    return EntityMention(
        entity_id=f"e:{(name or surface).lower()}",
        name=name or surface,
        type=type_,
        start=start,
        end=start + len(surface),
        place=place,
        coarse=place and (name or surface) in COUNTRIES,
    )


def claim(
    text: str,
    outlet: str = "Outlet A",
    article_id: str = "a1",
    *,
    places: tuple[str, ...] = (),
    orgs: tuple[str, ...] = (),
    people: tuple[str, ...] = (),
    times: tuple[dict[str, Any], ...] = (),
    speaker: str | None = None,
) -> Claim:
    mentions = [mention(text, p) for p in places]
    mentions += [mention(text, o, type_="ORG") for o in orgs]
    mentions += [mention(text, p, type_="PERSON") for p in people]
    quantities = tuple(dataclasses.asdict(q) for q in find_quantities(text))
    return Claim(
        id=f"{article_id}:{text[:20]}",
        article_id=article_id,
        start=0,
        end=len(text),
        text=text,
        outlet=outlet,
        carried_by=(outlet,),
        speaker=speaker,
        direct=False,
        mentions=tuple(sorted(mentions, key=lambda m: m.start)),
        times=times,
        quantities=quantities,
        background=False,
    )


def day(text: str, phrase: str, value: str, background: bool = False) -> dict[str, Any]:
    start = text.index(phrase)
    return {
        "start": start,
        "end": start + len(phrase),
        "text": phrase,
        "value_start": value,
        "value_end": value,
        "precision": "day",
        "background": background,
    }
