"""Fuzz every input parser and the cleaner with generated inputs; count cases, crashes, hangs.

    .venv/bin/python bench/fuzz.py [--cases 1500] [--seed 0] [--timeout 10]

Each target gets `--cases` generated inputs (hypothesis strategies: random bytes, random
encodings of tricky text, truncated and corrupted valid files, huge lines, NUL bytes, deeply
nested HTML, right-to-left and combining characters, emoji). A case passes when the target
returns (documents or Problem records); any exception is a crash and a case running past
`--timeout` seconds a hang. Prints one row per target and the totals; exits 1 on any crash or
hang. CI runs a short version (tests/property/test_fuzz_harness.py).
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import signal
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from types import FrameType
from typing import Any
from urllib.parse import quote

from hypothesis import HealthCheck, given, settings
from hypothesis import seed as fixed_seed
from hypothesis import strategies as st

from storyline.algorithms.dates import DateParseError, parse_date
from storyline.algorithms.timex import find_time_mentions
from storyline.ingest.readers import ReadLimits, read_csv, read_document_bytes, read_jsonl
from storyline.model import RawDocument
from storyline.sources.feeds import FeedError, parse_feed
from storyline.sources.pages import page_document
from storyline.sources.warc import read_warc
from storyline.stages.clean import CleanStage

LIMITS = ReadLimits(max_article_bytes=200_000)
TRICKY = st.sampled_from(
    [
        "\x00", "\u202e", "\u200f", "\u0301", "\u0308\u0308\u0308", "שלום", "مرحبا", "🇸🇾",
        "👩‍👩‍👧", "\ufeff", "\r\n", "\u2028", "<", "&amp;", "<script>", "]]>", "\\", '"', "’",
        "Jolani", "al-Golani", "2024-12-05", "Dec. 5", "last Sepember", "727", "50 km",
    ]
)  # fmt: skip
TEXT = st.lists(st.one_of(st.text(max_size=40), TRICKY), max_size=30).map("".join)
ENCODINGS = st.sampled_from(["utf-8", "utf-16", "utf-16-le", "latin-1", "cp1252", "utf-8-sig"])


def encoded(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="replace")


ENCODED_TEXT = st.builds(encoded, TEXT, ENCODINGS)
BYTES = st.one_of(st.binary(max_size=2000), ENCODED_TEXT)


def nested_html(depth: int, text: str) -> bytes:
    return ("<div>" * depth + f"<p>{text}</p>" + "</div>" * depth).encode("utf-8", "replace")


HTML = st.one_of(
    st.builds(nested_html, st.integers(0, 3000), TEXT),
    st.builds(
        lambda title, body, cut: (
            f"<html><head><title>{title}</title></head><body><article><p>{body}</p>"
            f"<p>{body}</p></article></body></html>"
        ).encode("utf-8", "replace")[:cut],
        TEXT,
        TEXT,
        st.integers(0, 4000),
    ),
    BYTES,
)
JSONL = st.one_of(
    BYTES,
    st.lists(
        st.one_of(
            st.builds(
                lambda t, p, o: json.dumps({"text": t, "published": p, "outlet": o}).encode(),
                TEXT,
                TEXT,
                TEXT,
            ),
            st.binary(max_size=200),
            st.just(b"[" * 5000),
            st.just(b'{"text": "' + b"x" * 300_000 + b'"}'),
        ),
        max_size=8,
    ).map(b"\n".join),
)
CSV = st.one_of(
    BYTES,
    st.builds(
        lambda header, rows: (header + "\n" + "\n".join(rows)).encode("utf-8", "replace"),
        st.sampled_from(["text", "title,text,published", "html,outlet", "id,url", '"text']),
        st.lists(TEXT, max_size=6),
    ),
)
FEED = st.one_of(
    BYTES,
    st.builds(
        lambda title, link, cut: (
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
            f"<item><title>{title}</title><link>{link}</link><guid>{link}</guid>"
            f"<pubDate>{title}</pubDate><description>{title}</description></item>"
            "</channel></rss>"
        ).encode("utf-8", "replace")[:cut],
        TEXT,
        TEXT,
        st.integers(0, 600),
    ),
)


def warc_bytes(pages: list[tuple[str, bytes]], cut: int, compress: bool) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False)
    for raw_uri, body in pages:
        uri = quote(raw_uri, safe=":/?&=#%") or "http://x/"  # warcio prints about spaces
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                uri, "response", payload=io.BytesIO(body), http_headers=headers
            )
        )
    data = out.getvalue()[:cut]
    return gzip.compress(data) if compress else data


WARC = st.one_of(
    BYTES,
    st.builds(
        warc_bytes,
        st.lists(st.tuples(st.text(max_size=30), HTML), max_size=3),
        st.integers(0, 20_000),
        st.booleans(),
    ),
)


@dataclass
class Result:
    name: str
    cases: int = 0
    crashes: list[str] = field(default_factory=list)
    hangs: int = 0
    seconds: float = 0.0


class Hang(Exception):
    pass


def _alarm(_signum: int, _frame: FrameType | None) -> None:
    raise Hang


def fuzz(
    name: str,
    strategy: st.SearchStrategy[Any],
    target: Callable[[Any], object],
    cases: int,
    seed: int,
    timeout: float,
) -> Result:
    result = Result(name)

    @settings(
        max_examples=cases,
        deadline=None,
        database=None,
        derandomize=False,
        suppress_health_check=list(HealthCheck),
    )
    @fixed_seed(seed)
    @given(strategy)
    def case(value: Any) -> None:
        result.cases += 1
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            target(value)
        except Hang:
            result.hangs += 1
        except Exception:
            result.crashes.append(traceback.format_exc(limit=4))
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)

    previous = signal.signal(signal.SIGALRM, _alarm)
    begin = time.perf_counter()
    try:
        case()
    finally:
        signal.signal(signal.SIGALRM, previous)
    result.seconds = time.perf_counter() - begin
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1500, help="cases per target")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds before a hang")
    args = parser.parse_args()
    cleaner = CleanStage(detect_languages=True)

    def clean_text(text: str) -> object:
        return cleaner.process(RawDocument(source="fuzz", text=text))

    def clean_html(data: bytes) -> object:
        return cleaner.process(RawDocument(source="fuzz", html=data.decode("utf-8", "replace")))

    def date(text: str) -> object:
        try:
            return parse_date(text)
        except DateParseError:
            return None

    def feed(data: bytes) -> object:
        try:
            return parse_feed(data, "http://feed.example/")
        except FeedError:
            return None

    targets: list[tuple[str, st.SearchStrategy[Any], Callable[[Any], object]]] = [
        ("txt bytes", BYTES, lambda d: list(read_document_bytes("f", d, "text", LIMITS))),
        ("html bytes", HTML, lambda d: list(read_document_bytes("f", d, "html", LIMITS))),
        ("jsonl", JSONL, lambda d: list(read_jsonl("f", io.BytesIO(d), LIMITS))),
        ("csv", CSV, lambda d: list(read_csv("f", io.BytesIO(d), LIMITS))),
        ("warc", WARC, lambda d: list(read_warc("f", io.BytesIO(d), LIMITS))),
        ("rss/atom", FEED, feed),
        ("fetched page", HTML, lambda d: page_document("http://x/", "http://x/", d, "text/html")),
        ("cleaner, text", TEXT, clean_text),
        ("cleaner, html", HTML, clean_html),
        ("publication date", TEXT, date),
        ("time expressions", TEXT, lambda t: find_time_mentions(t, None, "day")),
    ]
    print(f"{'target':<18} {'cases':>7} {'crashes':>8} {'hangs':>6} {'cases/s':>8}")
    results = []
    for name, strategy, target in targets:
        result = fuzz(name, strategy, target, args.cases, args.seed, args.timeout)
        results.append(result)
        rate = result.cases / result.seconds if result.seconds else 0.0
        print(
            f"{name:<18} {result.cases:>7} {len(result.crashes):>8} {result.hangs:>6} {rate:>8.0f}",
            flush=True,
        )
    cases = sum(r.cases for r in results)
    crashes = sum(len(r.crashes) for r in results)
    hangs = sum(r.hangs for r in results)
    print(f"{'total':<18} {cases:>7} {crashes:>8} {hangs:>6}")
    for result in results:
        for crash in result.crashes[:3]:
            print(f"\n--- crash in {result.name}:\n{crash}", file=sys.stderr)
    sys.exit(1 if crashes or hangs else 0)


if __name__ == "__main__":
    main()
