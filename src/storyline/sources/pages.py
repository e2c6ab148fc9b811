"""A fetched web page as a document to clean: its canonical address, its outlet, its HTML.

The outlet comes from the page's domain (the registry, else the host name): a site controls
its domain, while the text may carry a wire agency's name. The canonical URL (rel=canonical,
else og:url, else where the redirects ended) is the article's address, so the same story
reached through a tracking link and through its own address is one article.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import lxml.html

from storyline.ingest.decoding import UndecodableError, decode_bytes, looks_binary
from storyline.model import Problem, RawDocument
from storyline.sources.registry import outlet_for_url

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", ""})
STAGE = "fetch"


def canonical_url(html: str, base: str) -> str | None:
    """The page's own statement of its address, absolute; None when it makes none."""
    try:
        tree = lxml.html.fromstring(html[:500_000])
    except (ValueError, lxml.etree.ParserError):
        return None
    candidates = tree.xpath(
        '//link[translate(@rel, "CANONICAL", "canonical")="canonical"]/@href'
        ' | //meta[@property="og:url"]/@content'
    )
    for candidate in candidates:
        address = urljoin(base, str(candidate).strip())
        if urlsplit(address).scheme in ("http", "https") and urlsplit(address).hostname:
            return address
    return None


def fragment_text(fragment: str) -> str:
    """The text of an HTML fragment (a feed item's summary): too short for an article
    extractor, which looks for a page's main block; paragraphs become blank-line breaks."""
    if "<" not in fragment:
        return fragment
    try:
        tree = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (ValueError, lxml.etree.ParserError):
        return fragment
    for block in tree.iter("p", "br", "div", "li"):
        block.tail = "\n\n" + (block.tail or "")
    return str(tree.text_content()).strip()


def page_document(
    url: str,
    final_url: str,
    body: bytes,
    content_type: str,
    *,
    outlet: str | None = None,
    title: str | None = None,
    published: str | None = None,
) -> tuple[RawDocument | None, str | None, Problem | None]:
    """The document for a fetched page, its canonical URL, or the problem that stops it.
    Feed entries pass what the feed said (outlet, title, date) as given metadata."""
    if content_type not in HTML_TYPES:
        return (
            None,
            None,
            fetch_problem(url, "not-html", f"served as {content_type}, not an HTML page"),
        )
    if not body.strip():
        return None, None, fetch_problem(url, "empty", "the page is empty")
    if looks_binary(body):
        return None, None, fetch_problem(url, "not-html", "the body is binary, not an HTML page")
    try:
        html = decode_bytes(body).text
    except UndecodableError as exc:
        return None, None, fetch_problem(url, "undecodable", str(exc))
    canonical = canonical_url(html, final_url)
    address = canonical or final_url
    found = outlet_for_url(address)
    document = RawDocument(
        source=url,
        html=html,
        url=address,
        outlet=outlet or (found.name if found else None),
        title=title,
        published=published,
    )
    return document, canonical, None


def fetch_problem(url: str, code: str, reason: str) -> Problem:
    """A problem of the web sources: its message starts with the URL it is about."""
    return Problem(stage=STAGE, item=url, code=code, message=f"{url}: {reason}")
