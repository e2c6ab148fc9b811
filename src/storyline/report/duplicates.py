"""Report entries for duplicates: groups of copies (exact, near, wire) and containments."""

from __future__ import annotations

from typing import Any

from storyline.independence import age_key, copy_groups
from storyline.model import Article
from storyline.store.dedupe_tables import Link


def _span(article: Article, start: int | None, end: int | None) -> dict[str, Any]:
    span = article.span(start or 0, len(article.text) if end is None else end)
    return {"article_id": span.article_id, "start": span.start, "end": span.end, "text": span.text}


def duplicate_entries(links: list[Link], articles: dict[str, Article]) -> list[dict[str, Any]]:
    """Copies (exact/near links) become connected groups; a group whose members carry two or
    more outlets is a wire copy: one independent source, several mastheads. Containment and
    composite links stay pairwise, with the span of the container that holds the original."""
    copy_links = [lk for lk in links if lk.kind in ("exact", "near")]
    entries: list[dict[str, Any]] = []
    groups = copy_groups(copy_links)
    group_of = {member: index for index, group in enumerate(groups) for member in group}
    links_of: list[list[Link]] = [[] for _ in groups]
    for link in copy_links:
        links_of[group_of[link.a]].append(link)
    for group, group_links in zip(groups, links_of, strict=True):
        members = sorted(group, key=lambda i: age_key(articles[i]))
        outlets = sorted({o.name for m in members if (o := articles[m].outlet) is not None})
        if len(outlets) >= 2:
            kind = "wire"
        elif all(lk.kind == "exact" for lk in group_links):
            kind = "exact"
        else:
            kind = "near"
        entries.append(
            {
                "kind": kind,
                "articles": members,
                "canonical": members[0],
                "similarity": min(lk.similarity for lk in group_links),
                "spans": [],
                "outlets": outlets,
                "links": [
                    {"a": lk.a, "b": lk.b, "kind": lk.kind, "similarity": lk.similarity}
                    for lk in group_links
                ],
            }
        )
    for link in links:
        if link.kind not in ("containment", "composite"):
            continue
        original, container = articles[link.a], articles[link.b]
        entries.append(
            {
                "kind": link.kind,
                "articles": [original.id, container.id],
                "canonical": original.id,
                "similarity": link.similarity,
                "spans": [
                    _span(container, link.b_start, link.b_end),
                    _span(original, link.a_start, link.a_end),
                ],
                "outlets": sorted(
                    {a.outlet.name for a in (original, container) if a.outlet is not None}
                ),
                "links": [
                    {"a": link.a, "b": link.b, "kind": link.kind, "similarity": link.similarity}
                ],
            }
        )
    return sorted(entries, key=lambda e: (e["kind"], e["canonical"]))
