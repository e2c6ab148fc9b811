"""The local web app and JSON API: a thin Starlette app over a Workspace (datasette's layering).

Every HTML page has a JSON twin under /api built by the same query function
(storyline.web.queries). Read-only; no script at all in the pages (citations show on hover
with CSS), a strict Content-Security-Policy, every piece of article text escaped by Jinja2.
One JSON error shape: {"error": {"status", "code", "message"}}.
"""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from storyline.errors import AmbiguousIdError, NotFoundError, StorylineError
from storyline.synthesis.plot import timeline_svg_from_records
from storyline.web.openapi import OPENAPI
from storyline.web.queries import ARTICLES_SHOWN, PAGE_SIZE, Queries
from storyline.workspace import Workspace

CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class SecurityHeaders:
    """Adds the security headers to every response, errors and static files included."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + SECURITY_HEADERS
            await send(message)

        await self.app(scope, receive, with_headers)


def _int(request: Request, name: str, default: int, low: int = 0, high: int = 10**6) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise HTTPException(
            422, f"query parameter {name!r} must be an integer, not {raw!r}"
        ) from None
    if not low <= value <= high:
        raise HTTPException(422, f"query parameter {name!r} must be between {low} and {high}")
    return value


def _date(request: Request, name: str) -> str:
    raw = request.query_params.get(name, "").strip()
    if raw and not (len(raw) in (4, 7, 10) and raw.replace("-", "").isdigit()):
        raise HTTPException(422, f"query parameter {name!r} must be a date like 2024-12-05")
    return raw


def _since(request: Request) -> str:
    """The `since` parameter as an ISO UTC time to the second (the store's format)."""
    raw = request.query_params.get("since", "").strip()
    if not raw:
        moment = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    else:
        try:
            moment = dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            raise HTTPException(
                422, "query parameter 'since' must be an ISO date or time like 2026-11-22T06:00"
            ) from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


def create_app(workspace: Workspace) -> Starlette:
    """The app over one workspace (opened by the caller, read from, never written to)."""
    queries = Queries(workspace)
    env = Environment(
        loader=PackageLoader("storyline.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # SVG drawn here from data, every text escaped by the drawing code; never stored markup
    env.filters["timeline_plot"] = lambda story: Markup(
        timeline_svg_from_records(story.get("timeline", []), story.get("label", ""))
    )
    env.filters["trusted_svg"] = Markup  # only for map_svg, built from escaped names

    def page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
        html = env.get_template(name).render(**context)
        return HTMLResponse(html, status_code=status)

    def story_list_data(request: Request) -> dict[str, Any]:
        sort = request.query_params.get("sort", "size")
        if sort not in ("size", "recent"):
            raise HTTPException(422, "query parameter 'sort' must be 'size' or 'recent'")
        return queries.story_list(
            q=request.query_params.get("q", "")[:200],
            outlet=request.query_params.get("outlet", "")[:200],
            since=_date(request, "since"),
            until=_date(request, "until"),
            sort=sort,
            page=_int(request, "page", 1, 1),
            size=_int(request, "size", PAGE_SIZE, 1, 200),
        )

    async def home(request: Request) -> Response:
        return page("stories.html.j2", data=story_list_data(request))

    async def api_stories(request: Request) -> Response:
        return JSONResponse(story_list_data(request))

    def story_data(request: Request) -> dict[str, Any]:
        shown = _int(request, "articles", ARTICLES_SHOWN, 1, 10_000)
        return queries.story(request.path_params["story_id"], shown)

    async def story(request: Request) -> Response:
        return page("story.html.j2", story=story_data(request))

    async def api_story(request: Request) -> Response:
        data = story_data(request)
        return JSONResponse({k: v for k, v in data.items() if k != "map_svg"})

    async def article(request: Request) -> Response:
        return page("article.html.j2", article=queries.article(request.path_params["article_id"]))

    async def api_article(request: Request) -> Response:
        data = queries.article(request.path_params["article_id"])
        return JSONResponse({k: v for k, v in data.items() if k != "html_segments"})

    async def api_articles(request: Request) -> Response:
        return JSONResponse(
            queries.articles(
                outlet=request.query_params.get("outlet", ""),
                q=request.query_params.get("q", "")[:200],
                limit=_int(request, "limit", PAGE_SIZE, 1, 200),
                offset=_int(request, "offset", 0, 0),
            )
        )

    async def outlet(request: Request) -> Response:
        return page("outlet.html.j2", outlet=queries.outlet(request.path_params["name"]))

    async def api_outlet(request: Request) -> Response:
        return JSONResponse(queries.outlet(request.path_params["name"]))

    async def changes(request: Request) -> Response:
        return page("changes.html.j2", changes=queries.changes(_since(request)))

    async def api_changes(request: Request) -> Response:
        return JSONResponse(queries.changes(_since(request)))

    async def openapi(request: Request) -> Response:
        return JSONResponse(OPENAPI)

    def error(request: Request, status: int, code: str, message: str) -> Response:
        if request.url.path.startswith("/api/") or request.url.path == "/openapi.json":
            return JSONResponse(
                {"error": {"status": status, "code": code, "message": message}},
                status_code=status,
            )
        return page("error.html.j2", status=status, code=code, message=message)

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        code = {404: "not_found", 405: "method_not_allowed", 422: "invalid_parameter"}.get(
            exc.status_code, "error"
        )
        return error(request, exc.status_code, code, str(exc.detail))

    async def on_not_found(request: Request, exc: Exception) -> Response:
        return error(request, 404, "not_found", str(exc))

    async def on_ambiguous(request: Request, exc: Exception) -> Response:
        return error(request, 422, "ambiguous_id", str(exc))

    async def on_storyline(request: Request, exc: Exception) -> Response:
        return error(request, 500, "workspace_error", str(exc))

    static = resources.files("storyline.web").joinpath("static")
    routes = [
        Route("/", home),
        Route("/stories/{story_id}", story),
        Route("/articles/{article_id}", article),
        Route("/outlets/{name}", outlet),
        Route("/changes", changes),
        Route("/api/stories", api_stories),
        Route("/api/stories/{story_id}", api_story),
        Route("/api/articles", api_articles),
        Route("/api/articles/{article_id}", api_article),
        Route("/api/outlets/{name}", api_outlet),
        Route("/api/changes", api_changes),
        Route("/openapi.json", openapi),
        Mount("/static", app=StaticFiles(directory=str(Path(str(static)))), name="static"),
    ]
    return Starlette(
        routes=routes,
        middleware=[Middleware(SecurityHeaders)],
        exception_handlers={
            HTTPException: on_http,
            NotFoundError: on_not_found,
            AmbiguousIdError: on_ambiguous,
            StorylineError: on_storyline,
        },
    )
