"""A small news site on loopback, written for these tests: article pages built from the
example corpus, an RSS and an Atom feed (with ETag and Last-Modified), a robots.txt, and
routes that fail in every way a real site does (slow, redirect loop, 500, 20 MB, binary,
malformed feed). It counts requests per path, so tests can tell what was fetched."""

from __future__ import annotations

import html
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from storyline.sources.fetch import FetchPolicy

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
ARTICLES = {  # slug -> example file; the page text is the example's body
    "ever-given-aground": "suez_01_compass_wire.txt",
    "ever-given-refloated": "suez_02_orbis_dispatch.txt",
    "canal-backlog-clears": "suez_04_brightwater_times.txt",
}
PAGES_FOR_TESTS = [f"/news/{slug}.html" for slug in ARTICLES]
FEED_ETAG = '"feed-v1"'
FEED_MODIFIED = "Mon, 29 Mar 2021 18:00:00 GMT"
HUGE = 20 * 1024 * 1024


def article_page(slug: str, base: str) -> bytes:
    lines = (EXAMPLES / ARTICLES[slug]).read_text("utf-8").splitlines()
    title = lines[0].split(" ", 2)[2] if lines[0].startswith("date ") else slug
    day = lines[0].split(" ")[1] if lines[0].startswith("date ") else "2021-03-24"
    paragraphs = "".join(f"<p>{html.escape(line)}</p>\n" for line in lines[1:] if line.strip())
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{html.escape(title)} | Loopback Ledger</title>
<link rel="canonical" href="{base}/news/{slug}.html">
<meta property="article:published_time" content="{day}T09:00:00Z">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/business">Business</a></nav>
<article><h1>{html.escape(title)}</h1>
<p class="byline">By Staff Reporter</p>
{paragraphs}</article>
<footer>Copyright Loopback Ledger. All rights reserved.</footer>
</body></html>""".encode()


def rss_feed(base: str) -> bytes:
    items = "".join(
        f"""<item><title>{slug.replace("-", " ")}</title>
<link>{base}/go/{slug}</link><guid>{base}/news/{slug}.html</guid>
<pubDate>Wed, 24 Mar 2021 09:00:00 GMT</pubDate><description>Summary.</description></item>"""
        for slug in ARTICLES
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Loopback Ledger: World</title>
<link>{base}/</link><description>Test feed</description>{items}</channel></rss>""".encode()


def atom_feed(base: str) -> bytes:
    slug = "ever-given-refloated"
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Loopback Ledger: Business</title>
<id>{base}/atom</id><updated>2021-03-29T18:00:00Z</updated>
<entry><title>Ever Given refloated</title><id>urn:ledger:{slug}</id>
<link href="{base}/news/{slug}.html"/><updated>2021-03-29T18:00:00Z</updated>
<summary>Summary.</summary></entry>
<entry><title>A brief with no page</title><id>urn:ledger:brief-1</id>
<updated>2021-03-29T19:00:00Z</updated>
<summary>Port officials in Ismailia said on Monday that 367 vessels were still waiting to enter
the canal, down from more than 420 at the weekend, and that the queue would be cleared
within four days if the weather held.</summary></entry>
</feed>""".encode()


@dataclass
class Site:
    base: str
    hits: Counter[str] = field(default_factory=Counter)
    robots_status: int = 200  # tests set 404 (no rules) or 503 (unreachable)
    user_agents: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base + path


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # quiet
            return

        def send(
            self,
            status: int,
            body: bytes,
            kind: str = "text/html; charset=utf-8",
            headers: dict[str, str] | None = None,
        ) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)

        def send_huge(self, declared: bool) -> None:
            """20 MB of HTML, its length declared or not (then the connection's end is)."""
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            if declared:
                self.send_header("Content-Length", str(HUGE))
            else:
                self.send_header("Connection", "close")
            self.end_headers()
            chunk = b"<p>" + b"x" * 65_530 + b"</p>"
            try:
                for _ in range(HUGE // len(chunk) + 1):
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                return

        def do_GET(self) -> None:
            path = self.path.split("?")[0]
            site.hits[path] += 1
            site.user_agents.append(self.headers.get("User-Agent", ""))
            base = site.base
            if path == "/robots.txt" and site.robots_status != 200:
                self.send(site.robots_status, b"", "text/plain")
            elif path == "/robots.txt":
                self.send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
            elif path.startswith("/news/") and path.endswith(".html"):
                slug = path[len("/news/") : -len(".html")]
                if slug in ARTICLES:
                    self.send(200, article_page(slug, base))
                else:
                    self.send(404, b"<html><body>Not found</body></html>")
            elif path.startswith("/go/"):  # a tracking redirect, as feeds use
                self.send(302, b"", headers={"Location": f"/news/{path[4:]}.html?utm_source=rss"})
            elif path in ("/feed.xml", "/atom.xml"):
                if self.headers.get("If-None-Match") == FEED_ETAG or (
                    self.headers.get("If-Modified-Since") == FEED_MODIFIED
                ):
                    self.send_response(304)
                    self.end_headers()
                    return
                body = rss_feed(base) if path == "/feed.xml" else atom_feed(base)
                self.send(
                    200,
                    body,
                    "application/xml",
                    {"ETag": FEED_ETAG, "Last-Modified": FEED_MODIFIED},
                )
            elif path == "/bad-feed.xml":
                self.send(200, b"<rss><channel><title>Broken</tit", "application/rss+xml")
            elif path == "/slow":
                time.sleep(2.0)
                self.send(200, article_page("ever-given-aground", base))
            elif path == "/to-internal":  # a redirect to another host name of this machine
                port = base.rsplit(":", 1)[1]
                location = f"http://localhost:{port}/news/ever-given-aground.html"
                self.send(302, b"", headers={"Location": location})
            elif path == "/loop":
                self.send(302, b"", headers={"Location": "/loop"})
            elif path == "/error":
                self.send(500, b"<html><body>Internal error</body></html>")
            elif path == "/huge":
                self.send_huge(declared=True)
            elif path == "/huge-undeclared":  # no Content-Length: read until the cap
                self.send_huge(declared=False)
            elif path == "/logo.png":
                self.send(200, b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png")
            elif path.startswith("/private/"):
                self.send(200, article_page("ever-given-aground", base))
            else:
                self.send(404, b"<html><body>Not found</body></html>")

    return Handler


@pytest.fixture
def site() -> Iterator[Site]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(Site("")))
    site = Site(f"http://127.0.0.1:{server.server_address[1]}")
    server.RequestHandlerClass = _handler(site)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def policy() -> FetchPolicy:
    """Loopback allowed (the site lives there), short waits so failure routes are quick."""
    return FetchPolicy(allow_private=True, timeout_s=0.5, retries=1, backoff_s=0.01)
