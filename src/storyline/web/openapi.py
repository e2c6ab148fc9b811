"""The OpenAPI document of the JSON API (written by hand: the API is small and read-only)."""

from __future__ import annotations

from typing import Any

from storyline import __version__

_ERROR = {"$ref": "#/components/schemas/Error"}


def _get(summary: str, params: list[dict[str, Any]], errors: tuple[int, ...]) -> dict[str, Any]:
    responses: dict[str, Any] = {"200": {"description": "OK", "content": {"application/json": {}}}}
    for status in errors:
        responses[str(status)] = {
            "description": {404: "Not found", 422: "Invalid parameter"}[status],
            "content": {"application/json": {"schema": _ERROR}},
        }
    return {"get": {"summary": summary, "parameters": params, "responses": responses}}


def _query(name: str, kind: str, description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": {"type": kind},
            "description": description}  # fmt: skip


def _path(name: str, description: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"},
            "description": description}  # fmt: skip


OPENAPI: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "Storyline",
        "version": __version__,
        "description": "Read-only JSON twins of the Storyline web app's pages.",
    },
    "paths": {
        "/api/stories": _get(
            "Stories, biggest or most recent first",
            [
                _query("q", "string", "full-text search over the articles"),
                _query("outlet", "string", "only stories this outlet covers"),
                _query("since", "string", "stories ending on or after this date"),
                _query("until", "string", "stories starting on or before this date"),
                _query("sort", "string", "'size' (default) or 'recent'"),
                _query("page", "integer", "page number, from 1"),
                _query("size", "integer", "stories per page (1-200)"),
            ],
            (422,),
        ),
        "/api/stories/{story_id}": _get(
            "One story: brief, timeline, places, facts x outlets, contradictions, framing",
            [
                _path("story_id", "a story id or a unique prefix"),
                _query("articles", "integer", "article rows to list (default 100, max 10,000)"),
            ],
            (404, 422),
        ),
        "/api/articles": _get(
            "Articles",
            [
                _query("outlet", "string", "only this outlet's articles"),
                _query("q", "string", "full-text search"),
                _query("limit", "integer", "1-200"),
                _query("offset", "integer", "how many to skip"),
            ],
            (422,),
        ),
        "/api/articles/{article_id}": _get(
            "One article: cleaned text, annotations, duplicates, story",
            [_path("article_id", "an article id or a unique prefix")],
            (404, 422),
        ),
        "/api/outlets/{name}": _get(
            "One outlet: its stories and the labels it uses",
            [_path("name", "the outlet's name")],
            (404,),
        ),
        "/api/changes": _get(
            "What changed since a time: new articles, stories opened, grown, merged or split, "
            "cross-checks redone, feed pulls",
            [
                _query(
                    "since",
                    "string",
                    "ISO date or time (UTC unless it has an offset); default: 24 hours ago",
                )
            ],
            (422,),
        ),
    },
    "components": {
        "schemas": {
            "Error": {
                "type": "object",
                "required": ["error"],
                "properties": {
                    "error": {
                        "type": "object",
                        "required": ["status", "code", "message"],
                        "properties": {
                            "status": {"type": "integer"},
                            "code": {"type": "string"},
                            "message": {"type": "string"},
                        },
                    }
                },
            }
        }
    },
}
