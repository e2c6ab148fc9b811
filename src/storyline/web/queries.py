"""What each page shows, as plain dicts: the HTML page and its JSON twin are built from the same
function, so they never disagree.

The app holds one read-only connection (SQLite allows it across threads) behind a lock. The
story index, which every list page filters, is rebuilt only when the workspace changed
(`PRAGMA data_version` moves when another connection, such as a pipeline run, commits).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from storyline.errors import NotFoundError
from storyline.model import Article
from storyline.sources.registry import registry_entries
from storyline.web.highlight import highlighted
from storyline.web.worldmap import Place, map_svg
from storyline.workspace import Workspace

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
CHANGES_LIMIT = 200  # new articles listed on the changes page
ARTICLES_SHOWN = 100  # article rows on a story page (?articles=N for more, up to 10,000)


@dataclass(slots=True)
class StoryIndex:
    version: int = -1
    stories: list[dict[str, Any]] = field(default_factory=list)
    story_of: dict[str, str] = field(default_factory=dict)  # article id -> story id
    outlets: dict[str, str | None] = field(default_factory=dict)  # article id -> outlet
    by_recency: list[dict[str, Any]] = field(default_factory=list)  # the two sort orders,
    outlet_names: list[str] = field(default_factory=list)  # computed once per version


class Queries:
    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.store = workspace.store
        self.lock = threading.RLock()
        self._index = StoryIndex()

    # -- the index ----------------------------------------------------------------------

    def index(self) -> StoryIndex:
        with self.lock:
            version = self.store.data_version()
            if version != self._index.version:
                self._index = self._build_index(version)
            return self._index

    def _build_index(self, version: int) -> StoryIndex:
        outlets: dict[str, str | None] = {}
        titles: dict[str, str] = {}
        for article_id, outlet, title in self.store.article_headers():
            outlets[article_id] = outlet
            titles[article_id] = title
        conflicts = {
            story_id: sum(not c["compatible"] for c in sections.get("contradictions", []))
            for story_id, sections in self.store.crosschecks.sections().items()
        }
        stories: list[dict[str, Any]] = []
        story_of = {}
        for story in self.store.stories.stories():
            story_outlets = sorted({o for a in story.articles if (o := outlets.get(a))})
            for article_id in story.articles:
                story_of[article_id] = story.id
            stories.append(
                {
                    "id": story.id,
                    "label": story.label,
                    "start": story.first_day,
                    "end": story.last_day,
                    "size": len(story.articles),
                    "outlets": story_outlets,
                    "contradictions": conflicts.get(story.id, 0),
                    "headline": titles.get(story.articles[0], ""),
                }
            )
        stories.sort(key=lambda s: (-int(s["size"]), str(s["id"])))
        by_recency = sorted(
            stories, key=lambda s: (str(s["end"] or ""), int(s["size"])), reverse=True
        )
        names = sorted({str(o) for s in stories for o in s["outlets"]})
        return StoryIndex(version, stories, story_of, outlets, by_recency, names)

    # -- pages ----------------------------------------------------------------------------

    def story_list(
        self,
        q: str = "",
        outlet: str = "",
        since: str = "",
        until: str = "",
        sort: str = "size",
        page: int = 1,
        size: int = PAGE_SIZE,
    ) -> dict[str, Any]:
        index = self.index()
        stories = index.by_recency if sort == "recent" else index.stories  # already sorted
        if q.strip():
            with self.lock:
                hits = self.store.search_ids(q, limit=500)
            wanted = {index.story_of.get(h) for h in hits}
            stories = [s for s in stories if s["id"] in wanted]
        if outlet:
            stories = [s for s in stories if outlet in s["outlets"]]
        if since:
            stories = [s for s in stories if (s["end"] or "") >= since]
        if until:
            stories = [s for s in stories if s["start"] and s["start"] <= until]
        size = max(1, min(size, MAX_PAGE_SIZE))
        start = (max(page, 1) - 1) * size
        return {
            "query": {"q": q, "outlet": outlet, "since": since, "until": until, "sort": sort},
            "total": len(stories),
            "page": max(page, 1),
            "page_size": size,
            "stories": stories[start : start + size],
            "outlets": index.outlet_names,
        }

    def story(self, story_id: str, articles_shown: int = ARTICLES_SHOWN) -> dict[str, Any]:
        """One story; its article rows are capped (`articles_shown`), its ids are not."""
        with self.lock:
            found = self.workspace.story(story_id)
            articles = self.store.articles_by_ids(found["article_ids"][:articles_shown])
            duplicates = self.workspace.duplicates(found["article_ids"])
        places = [
            Place(e["name"], e["geo"]["lat"], e["geo"]["lon"], len(e["mentions"]))
            for e in found["entities"]
            if e.get("geo")
        ]
        return {
            **{k: v for k, v in found.items() if k not in ("timeline_svg",)},
            "articles": [
                _article_row(articles[a])
                for a in found["article_ids"][:articles_shown]
                if a in articles
            ],
            "articles_total": len(found["article_ids"]),
            "duplicates": duplicates,
            "places": [
                {"name": p.name, "lat": p.lat, "lon": p.lon, "mentions": p.mentions} for p in places
            ],
            "map_svg": map_svg(places),
        }

    def article(self, article_id: str) -> dict[str, Any]:
        with self.lock:
            article = self.workspace.article(article_id)
            notes = self.store.extract.annotations(article.id)
            mentions = [
                (start, end, "entity", f"{entity.type} · {entity.name}")
                for entity in self.store.extract.entities_of([article.id])
                for _, start, end in entity.mentions
            ]
            duplicates = self.workspace.duplicates([article.id])
        index = self.index()
        spans = (
            mentions
            + [(t["start"], t["end"], "time", t["text"]) for t in notes["times"]]
            + [(q["start"], q["end"], "quantity", q["text"]) for q in notes["quantities"]]
            + [(q["start"], q["end"], "quote", q.get("speaker") or "") for q in notes["quotes"]]
        )
        return {
            **_article_row(article),
            "text": article.text,
            "byline": article.byline,
            "url": article.url,
            "story_id": index.story_of.get(article.id),
            "annotations": notes,
            "duplicates": duplicates,
            "html_segments": highlighted(article.text, spans),
        }

    def articles(
        self, outlet: str = "", q: str = "", limit: int = PAGE_SIZE, offset: int = 0
    ) -> dict[str, Any]:
        limit = max(1, min(limit, MAX_PAGE_SIZE))
        with self.lock:
            if q.strip():
                found = [h.article for h in self.store.search(q, limit=limit + offset)][offset:]
            else:
                found = self.workspace.articles(outlet=outlet or None, limit=limit, offset=offset)
        return {"articles": [_article_row(a) for a in found], "limit": limit, "offset": offset}

    def outlet(self, name: str) -> dict[str, Any]:
        index = self.index()
        stories = [s for s in index.stories if name in s["outlets"]]
        count = sum(1 for o in index.outlets.values() if o == name)
        if not count:
            raise NotFoundError(f"no outlet named {name!r} (the story list shows every outlet)")
        labels: dict[str, dict[str, int]] = {}
        with self.lock:
            for story in stories:
                sections = self.store.crosschecks.get(story["id"]) or {}
                for row in sections.get("framing", []):
                    for label, n in row["labels"].get(name, {}).items():
                        per_actor = labels.setdefault(row["name"], {})
                        per_actor[label] = per_actor.get(label, 0) + n
        registered = [e for e in registry_entries() if e.name == name]
        return {
            "name": name,
            "articles": count,
            "stories": stories,
            "labels": labels,
            "domains": [e.host for e in registered],
            "country": registered[0].country if registered else None,
            "language": registered[0].language if registered else None,
        }

    def changes(self, since: str) -> dict[str, Any]:
        """What arrived and what moved since `since` (ISO, UTC): new articles, stories that
        opened, grew, merged or split, cross-checks redone, and how each feed's last pull
        went. For following a workspace that `storyline watch` keeps current."""
        with self.lock:
            events = self.store.stories.events_since(since)
            rechecked = self.store.crosschecks.updated_since(since)
            new_ids = self.store.ids_ingested_since(since, limit=CHANGES_LIMIT + 1)
            articles = self.store.articles_by_ids(new_ids[:CHANGES_LIMIT])
            feeds = self.store.sources.feeds()
        index = {s["id"]: s for s in self.index().stories}
        per_story: dict[str, dict[str, int]] = {}
        for event in events:
            counts = per_story.setdefault(event.story_id, {})
            counts[event.kind] = counts.get(event.kind, 0) + 1
        for story_id in rechecked:
            per_story.setdefault(story_id, {})
        stories = []
        for story_id, counts in per_story.items():
            story = index.get(story_id)
            if story is None:  # merged away since
                continue
            sections = rechecked.get(story_id)
            stories.append(
                {
                    "id": story_id,
                    "label": story["label"],
                    "size": story["size"],
                    "start": story["start"],
                    "end": story["end"],
                    "events": counts,
                    "rechecked": sections is not None,
                    "contradictions": sum(
                        not c.get("compatible", False)
                        for c in (sections or {}).get("contradictions", [])
                    ),
                }
            )
        stories.sort(key=lambda s: (-sum(s["events"].values()), -s["size"], s["id"]))
        return {
            "since": since,
            "articles": [
                _article_row(articles[a]) for a in new_ids[:CHANGES_LIMIT] if a in articles
            ],
            "more_articles": len(new_ids) > CHANGES_LIMIT,
            "stories": stories,
            "feeds": [
                {
                    "url": f.url,
                    "outlet": f.outlet or f.title,
                    "last_pulled": f.last_pulled,
                    "last_status": f.last_status,
                }
                for f in feeds
            ],
        }


def _article_row(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "outlet": article.outlet.name if article.outlet else None,
        "title": article.title,
        "published": article.published.iso() if article.published else None,
        "language": article.language,
        "words": len(article.text.split()),
    }
