"""Independent text units: what later stages count, so a copy never corroborates its original.

A unit is a whole article or the part of a composite that copies nothing. A group of exact or
near copies contributes one unit (its canonical article), carried by every outlet in the
group; an article whose text mostly lies inside another (containment) adds nothing new.
"""

from __future__ import annotations

from dataclasses import dataclass

from storyline.model import Article, Part
from storyline.store.dedupe_tables import Link


@dataclass(frozen=True, slots=True, kw_only=True)
class Unit:
    article_id: str
    start: int
    end: int
    outlet: str | None
    carried_by: tuple[str, ...]  # every outlet that published this text (wire copies)


def age_key(article: Article) -> tuple[int, str, str]:
    """Earliest published first, undated last, ties by id: how a group's canonical is chosen."""
    published = article.published.iso() if article.published else ""
    return (0 if article.published else 1, published, article.id)


def copy_groups(links: list[Link], ids: list[str] | None = None) -> list[list[str]]:
    """Connected components of exact/near links (every id in `ids` appears, alone or not)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for link in links:
        if link.kind in ("exact", "near"):
            parent[find(link.a)] = find(link.b)
    members: dict[str, dict[str, None]] = {}  # dicts keep first-seen order, sets would not
    for article_id in [*(ids or []), *parent]:
        members.setdefault(find(article_id), {})[article_id] = None
    return [list(group) for group in members.values()]


def independent_units(
    articles: dict[str, Article], links: list[Link], parts: dict[str, list[Part]]
) -> list[Unit]:
    containers = {lk.b for lk in links if lk.kind == "containment"}
    units: list[Unit] = []
    for group in copy_groups(links, list(articles)):
        canonical = min(group, key=lambda i: age_key(articles[i]))
        if canonical in containers:
            continue
        carriers = tuple(sorted({o.name for i in group if (o := articles[i].outlet) is not None}))
        article = articles[canonical]
        own = [p for p in parts.get(canonical, []) if p.duplicate_of is None]
        if canonical in parts:
            units += [
                Unit(
                    article_id=canonical,
                    start=p.start,
                    end=p.end,
                    outlet=p.outlet,
                    carried_by=(p.outlet,) if p.outlet else (),
                )
                for p in own
            ]
            continue
        outlet = article.outlet.name if article.outlet else None
        units.append(
            Unit(
                article_id=canonical,
                start=0,
                end=len(article.text),
                outlet=outlet,
                carried_by=carriers,
            )
        )
    return sorted(units, key=lambda u: (u.article_id, u.start))
