"""WARC / WARC.gz web archives (warcio): each HTML response becomes a document.

Only `response` records with HTTP 200 and an HTML content type are articles; requests,
metadata, redirects, images and scripts are skipped silently. The record's WARC-Date (when
the page was captured) rides along as a last-resort publication date. A damaged archive
yields the documents read before the damage and one problem naming it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from storyline.ingest.decoding import UndecodableError, decode_bytes
from storyline.ingest.readers import Item, ReadLimits, problem
from storyline.model import RawDocument
from storyline.sources.registry import known_outlet_for_url

HTML_TYPES = ("text/html", "application/xhtml+xml")


def read_warc(name: str, stream: IO[bytes], limits: ReadLimits) -> Iterator[Item]:
    number = 0
    try:
        for record in ArchiveIterator(stream):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            number += 1
            uri = record.rec_headers.get_header("WARC-Target-URI") or ""
            item = f"{name}#{number} {uri}".strip()
            status = record.http_headers.get_statuscode()
            content_type = (record.http_headers.get_header("Content-Type") or "").lower()
            if status != "200" or not content_type.startswith(HTML_TYPES):
                continue
            body = record.content_stream().read(limits.max_article_bytes + 1)
            if len(body) > limits.max_article_bytes:
                yield problem(
                    item,
                    "too-large",
                    f"{item}: over the {limits.max_article_bytes:,}-byte article limit; skipped",
                )
                continue
            if not body.strip():
                yield problem(item, "empty", f"{item}: the archived page is empty; skipped")
                continue
            try:
                html = decode_bytes(body).text
            except UndecodableError as exc:
                yield problem(item, "undecodable", f"{item}: {exc}; skipped")
                continue
            found = known_outlet_for_url(uri) if uri else None
            yield RawDocument(
                source=item,
                html=html,
                url=uri or None,
                outlet=found.name if found else None,
                captured=record.rec_headers.get_header("WARC-Date"),
            )
    except (ArchiveLoadFailed, OSError, EOFError, ValueError, AttributeError, KeyError) as exc:
        # warcio meets damage with whatever its parser trips on (the fuzz harness found an
        # AttributeError on a cut header line); all of it means the same: unreadable here.
        yield problem(
            name,
            "bad-warc",
            f"{name}: unreadable WARC after {number} response record(s) ({str(exc)[:160]}); "
            "the records before it were kept",
        )
