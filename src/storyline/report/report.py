"""`Report`: everything a run knows, as typed records, with one way to turn it into JSON."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from storyline.independence import Unit
from storyline.model import Article, Part, Problem

SCHEMA_VERSION = "1"


@dataclass(frozen=True, slots=True, kw_only=True)
class Report:
    articles: tuple[Article, ...]
    problems: tuple[Problem, ...]
    sources: dict[str, list[str]] = field(default_factory=dict)  # article id -> inputs
    parts: dict[str, list[Part]] = field(default_factory=dict)  # from dedupe, when split
    stages: tuple[str, ...] = ()
    generated_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    # Sections later stages fill; already part of the contract, so they are present, empty.
    duplicates: tuple[dict[str, Any], ...] = ()
    stories: tuple[dict[str, Any], ...] = ()
    units: tuple[Unit, ...] = ()
    entities: tuple[dict[str, Any], ...] = ()  # workspace-wide until stories exist
    annotations: dict[str, dict[str, list[dict[str, Any]]]] = field(default_factory=dict)

    def outlet_counts(self) -> dict[str, int]:
        counts = Counter(a.outlet.name if a.outlet else "(unknown)" for a in self.articles)
        return dict(counts.most_common())

    def language_counts(self) -> dict[str, int]:
        counts = Counter(a.language or "(unknown)" for a in self.articles)
        return dict(counts.most_common())

    def to_dict(self) -> dict[str, Any]:
        from storyline import __version__

        return {
            "schema_version": SCHEMA_VERSION,
            "generator": {"name": "storyline", "version": __version__, "stages": list(self.stages)},
            "generated_at": self.generated_at.isoformat(timespec="seconds"),
            "summary": {
                "articles": len(self.articles),
                "outlets": self.outlet_counts(),
                "languages": self.language_counts(),
                "problems": len(self.problems),
                "stories": len(self.stories),
            },
            "articles": [
                article_to_dict(a, self.sources.get(a.id), self.parts.get(a.id))
                | self.annotations.get(a.id, {"times": [], "quantities": [], "quotes": []})
                for a in self.articles
            ],
            "entities": list(self.entities),
            "problems": [
                {"stage": p.stage, "item": p.item, "code": p.code, "message": p.message}
                for p in self.problems
            ],
            "duplicates": list(self.duplicates),
            "independent_units": [
                {
                    "article_id": u.article_id,
                    "start": u.start,
                    "end": u.end,
                    "outlet": u.outlet,
                    "carried_by": list(u.carried_by),
                }
                for u in self.units
            ],
            "stories": list(self.stories),
        }


def article_to_dict(
    article: Article, sources: list[str] | None = None, parts: list[Part] | None = None
) -> dict[str, Any]:
    published = article.published
    return {
        "id": article.id,
        "source": article.source,
        "sources": sources if sources is not None else [article.source],
        "input_id": article.input_id,
        "url": article.url,
        "outlet": (
            {
                "name": article.outlet.name,
                "inferred": article.outlet.inferred,
                "evidence": article.outlet.evidence,
            }
            if article.outlet
            else None
        ),
        "title": article.title,
        "title_inferred": article.title_inferred,
        "byline": article.byline,
        "language": article.language,
        "published": (
            {
                "date": published.iso(),
                "granularity": published.granularity.value,
                "inferred": published.inferred,
                "evidence": published.evidence,
            }
            if published
            else None
        ),
        "text": article.text,
        "parts": [
            {"start": p.start, "end": p.end, "outlet": p.outlet, "duplicate_of": p.duplicate_of}
            for p in (parts or article.parts)
        ],
        "removed": [{"kind": r.kind, "text": r.text} for r in article.removed],
    }
