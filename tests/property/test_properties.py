"""Property tests: invariants that must hold for any input, not just the examples we thought of."""

from __future__ import annotations

import datetime as dt
import io
import json
import unicodedata
from collections.abc import Sequence

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from storyline.algorithms.dates import EARLIEST_YEAR, DateParseError, parse_date
from storyline.clean.cleaner import Cleaner
from storyline.ingest.decoding import Decoded, UndecodableError, decode_bytes
from storyline.ingest.readers import ReadLimits, read_csv, read_jsonl
from storyline.model import (
    Article,
    Granularity,
    Outlet,
    Part,
    Problem,
    PublishedDate,
    RawDocument,
    Removed,
    content_id,
)
from storyline.store import SQLiteStore

PROPERTY = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FEW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

# -- shared strategies -------------------------------------------------------------------------

TRICKY = [
    "\x00",
    "\x07",
    "\x1b",
    "\x7f",
    "\t",
    "\r",
    "\r\n",
    "\x0b",
    "\x0c",
    "\u2028",
    "\u2029",
    "\u200b",
    "\u200e",
    "\u200f",
    "\u202e",
    "\u061c",
    "\ufeff",
    "\u00a0",
    "\u3000",
    "e\u0301",
    "\u0301\u0301\u0301",
    "😀",
    "👩🏽‍🚀",
    "\U0010fffd",
    "שלום",
    "مرحبا",
    "日本語",
    "©",
    "Read more",
    "By Jane Doe",
    "date 2023-02",
    "(Reuters) - ",
    "\n",
    "\n\n",
]
C1_CONTROLS = {chr(c) for c in range(0x80, 0xA0)}

# Any text, with the characters that break naive cleaners mixed in, and the odd very long line.
# C1 controls (U+0080-U+009F) and lone surrogates are included on purpose.
tricky_text = st.lists(
    st.one_of(
        st.text(st.characters(), max_size=40),
        st.text(st.sampled_from(sorted(C1_CONTROLS)), max_size=3),
        st.sampled_from(TRICKY),
        st.sampled_from(["word " * 2000, "x" * 10_000]),
    ),
    max_size=25,
).map("".join)


def is_control(char: str) -> bool:
    return unicodedata.category(char) == "Cc"


CLEANER = Cleaner()
LIMITS = ReadLimits()


# -- (a) spans ---------------------------------------------------------------------------------


@PROPERTY
@given(text=st.text(), data=st.data())
def test_span_into_any_article_holds(text: str, data: st.DataObject) -> None:
    article = Article(id=content_id(text), source="s", text=text)
    start = data.draw(st.integers(0, len(text)), label="start")
    end = data.draw(st.integers(start, len(text)), label="end")

    span = article.span(start, end)

    assert span.holds_for(article)
    assert (span.start, span.end, span.text) == (start, end, text[start:end])
    assert span.article_id == article.id
    other = Article(id=content_id(text, "other"), source="s", text=text)
    assert not span.holds_for(other)  # a span belongs to one article


@PROPERTY
@given(text=st.text(max_size=50), data=st.data())
def test_span_outside_the_text_raises(text: str, data: st.DataObject) -> None:
    article = Article(id=content_id(text), source="s", text=text)
    n = len(text)
    start, end = data.draw(
        st.one_of(
            st.tuples(st.integers(max_value=-1), st.integers(0, n)),  # start before the text
            st.tuples(st.integers(0, n), st.integers(min_value=n + 1)),  # end after it
            st.integers(1, n + 1).flatmap(  # start after end
                lambda s: st.tuples(st.just(s), st.integers(max_value=s - 1))
            ),
        ),
        label="offsets",
    )

    with pytest.raises(ValueError):
        article.span(start, end)


# -- (b, c) the cleaner ------------------------------------------------------------------------


def check_clean_result(raw: RawDocument, article: Article | None, problems: list[Problem]) -> None:
    assert all(isinstance(p, Problem) for p in problems)
    if article is None:
        assert problems, "no article and no problem: the document vanished silently"
        return
    assert article.text.strip()
    assert "\x00" not in article.text
    bad = sorted({hex(ord(c)) for c in article.text if is_control(c) and c != "\n"})
    assert not bad, f"control characters left in the text: {bad}"
    assert "\r" not in article.text
    assert article.source == raw.source
    for part in article.parts:
        assert 0 <= part.start <= part.end <= len(article.text)


@PROPERTY
@given(text=tricky_text)
def test_cleaner_never_raises_on_text(text: str) -> None:
    raw = RawDocument(source="prop.txt", text=text)

    result = CLEANER.clean(raw)

    check_clean_result(raw, result.article, result.problems)


@FEW
@given(
    text=tricky_text,
    title=st.none() | st.text(max_size=30),
    outlet=st.none() | st.text(max_size=20),
    published=st.none() | st.text(max_size=20),
    language=st.none() | st.text(max_size=5),
)
def test_cleaner_never_raises_on_metadata(
    text: str,
    title: str | None,
    outlet: str | None,
    published: str | None,
    language: str | None,
) -> None:
    raw = RawDocument(
        source="prop.jsonl:1",
        text=text,
        title=title,
        outlet=outlet,
        published=published,
        language=language,
    )

    result = CLEANER.clean(raw)

    check_clean_result(raw, result.article, result.problems)


@FEW
@given(body=tricky_text)
def test_cleaner_never_raises_on_html(body: str) -> None:
    raw = RawDocument(source="prop.html", html=f"<html><body><p>{body}</p></body></html>")

    result = CLEANER.clean(raw)

    check_clean_result(raw, result.article, result.problems)


@pytest.mark.parametrize("control", ["\x85", "\x92", "\x9b"])
def test_cleaner_removes_c1_controls(control: str) -> None:
    raw = RawDocument(
        source="c1.txt",
        text=f"The harbour{control}s new pier opened on Monday, officials said.",
    )

    result = CLEANER.clean(raw)

    assert result.article is not None
    check_clean_result(raw, result.article, result.problems)


@pytest.mark.parametrize("detect_languages", [True, False])
def test_cleaner_survives_a_lone_surrogate(detect_languages: bool) -> None:
    raw = RawDocument(
        source="feed.jsonl:1", text="A broken emoji \ud83d in a sentence about the new pier."
    )

    result = Cleaner(detect_languages=detect_languages).clean(raw)

    check_clean_result(raw, result.article, result.problems)


@FEW
@given(text=tricky_text)
def test_cleaning_is_deterministic(text: str) -> None:
    raw = RawDocument(source="prop.txt", text=text)

    first = CLEANER.clean(raw)
    second = CLEANER.clean(raw)
    fresh = Cleaner().clean(raw)

    assert first.article == second.article == fresh.article
    assert first.problems == second.problems == fresh.problems


# -- (d) decoding ------------------------------------------------------------------------------


def starts_with_utf16_bom(data: bytes) -> bool:
    return data.removeprefix(UTF8_BOM).startswith(UTF16_BOMS)


ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1", "cp1251", "shift_jis"]

# Includes bytes that merely start like a UTF-16 BOM (malformed UTF-16).
some_bytes = st.one_of(
    st.binary(max_size=2000),
    st.tuples(st.text(max_size=300), st.sampled_from(ENCODINGS)).map(
        lambda pair: pair[0].encode(pair[1], errors="ignore")
    ),
)


def is_utf16(data: bytes) -> bool:
    try:
        data.removeprefix(UTF8_BOM).decode("utf-16")
    except UnicodeDecodeError:
        return False
    return True


@PROPERTY
@given(data=some_bytes)
@example(data=b"")
@example(data=b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
@example(data="Türkiye café".encode("cp1252"))
@example(data="ok".encode("utf-16"))
def test_decode_bytes_returns_text_or_undecodable(data: bytes) -> None:
    try:
        decoded = decode_bytes(data)
    except UndecodableError:
        return
    assert isinstance(decoded, Decoded)
    assert isinstance(decoded.text, str)
    assert decoded.encoding
    body = data.removeprefix(UTF8_BOM)
    try:
        expected = body.decode("utf-16") if body.startswith(UTF16_BOMS) else body.decode("utf-8")
    except UnicodeDecodeError:
        return
    assert decoded.text == expected  # valid UTF-8 (or UTF-16 with a BOM) comes back exactly


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xfeA",
        b"\xfe\xff\x00",
        b"\xff\xfe\x00\xd8",
        b"\xff\xfe\x00\xdcA\x00",
        UTF8_BOM + b"\xff\xfeA",
    ],
)
def test_decode_bytes_malformed_utf16_is_undecodable(data: bytes) -> None:
    with pytest.raises(UndecodableError):
        decode_bytes(data)


# -- (e) readers -------------------------------------------------------------------------------

json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
record = st.fixed_dictionaries(
    {},
    optional={
        key: json_value | st.text(max_size=60)
        for key in ("id", "url", "outlet", "title", "published", "language", "text", "html")
    },
)
jsonl_bytes = st.one_of(
    st.binary(max_size=1000),
    st.lists(
        st.one_of(
            record.map(lambda r: json.dumps(r).encode()),
            json_value.map(lambda v: json.dumps(v).encode()),
            st.binary(max_size=60),
        ),
        max_size=8,
    ).map(lambda lines: b"\n".join(lines)),
)


def check_items(name: str, items: Sequence[object]) -> None:
    for item in items:
        assert isinstance(item, RawDocument | Problem), item
        if isinstance(item, Problem):
            assert item.item.startswith(name)
            assert item.code
        else:
            assert item.source.startswith(f"{name}:")
            assert (item.text or "").strip() or (item.html or "").strip()


@PROPERTY
@given(data=jsonl_bytes)
@example(data=b'{"text": "a"}\n[1]\n{broken\n\xff\xfe\n"s"\n{}\n')
def test_jsonl_reader_never_raises(data: bytes) -> None:
    items = list(read_jsonl("f.jsonl", io.BytesIO(data), LIMITS))

    check_items("f.jsonl", items)
    lines = data.split(b"\n")
    for item in items:
        source = item.item if isinstance(item, Problem) else item.source
        assert 1 <= int(source.rsplit(":", 1)[1]) <= len(lines)
    # Every non-blank line gives exactly one item.
    assert len(items) == sum(1 for line in io.BytesIO(data) if line.strip())


csv_cell = st.text(st.characters(codec="utf-8", exclude_characters={"\x00"}), max_size=30)
csv_text = st.tuples(
    st.lists(
        st.sampled_from(["id", "url", "outlet", "title", "text", "html", "x", ""]), max_size=6
    ),
    st.lists(st.lists(csv_cell, max_size=7), max_size=6),
).map(
    lambda pair: "\n".join(
        [",".join(pair[0])]
        + [",".join('"' + c.replace('"', '""') + '"' for c in row) for row in pair[1]]
    )
)
csv_bytes = st.one_of(
    st.binary(max_size=1000),
    st.tuples(csv_text, st.sampled_from(["utf-8", "utf-16", "cp1252"])).map(
        lambda pair: pair[0].encode(pair[1], errors="ignore")
    ),
    # Lone surrogates written out as bytes: the invalid "UTF-8" some exporters produce.
    st.text(st.characters(), max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")),
)


@PROPERTY
@given(data=csv_bytes)
@example(data=b'text\n"unterminated\n')
@example(data=b'id,text\n1,"a"b"\n2,ok\n')
def test_csv_reader_never_raises(data: bytes) -> None:
    items = list(read_csv("f.csv", io.BytesIO(data), LIMITS))

    check_items("f.csv", items)


def test_csv_reader_on_malformed_utf16() -> None:
    items = list(read_csv("f.csv", io.BytesIO(b"\xff\xfet\x00e\x00x\x00t\x00\n"), LIMITS))

    assert [type(i) for i in items] == [Problem]


# -- (f) store round trip ----------------------------------------------------------------------


@st.composite
def published_dates(draw: st.DrawFn) -> PublishedDate:
    granularity = draw(st.sampled_from(list(Granularity)))
    day = draw(st.dates(min_value=dt.date(1, 1, 1)))
    if granularity is Granularity.MONTH:
        day = day.replace(day=1)
    elif granularity is Granularity.YEAR:
        day = day.replace(month=1, day=1)
    return PublishedDate(
        value=day,
        granularity=granularity,
        inferred=draw(st.booleans()),
        evidence=draw(st.text(max_size=20)),
    )


@st.composite
def articles(draw: st.DrawFn) -> Article:
    text = draw(st.text(min_size=1))
    optional = st.none() | st.text(max_size=30)
    part_bounds = st.tuples(st.integers(0, len(text)), st.integers(0, len(text))).map(sorted)
    parts = tuple(
        Part(start=a, end=b, outlet=draw(optional), duplicate_of=draw(optional))
        for a, b in draw(st.lists(part_bounds, max_size=3))
    )
    return Article(
        id=content_id(text, draw(st.text(max_size=5))),
        source=draw(st.text(max_size=40)),
        text=text,
        input_id=draw(optional),
        url=draw(optional),
        outlet=draw(
            st.none()
            | st.builds(
                Outlet,
                name=st.text(min_size=1, max_size=30),
                inferred=st.booleans(),
                evidence=st.text(max_size=20),
            )
        ),
        title=draw(optional),
        byline=draw(optional),
        language=draw(optional),
        published=draw(st.none() | published_dates()),
        removed=tuple(
            draw(
                st.lists(
                    st.builds(Removed, kind=st.text(max_size=10), text=st.text(max_size=40)),
                    max_size=3,
                )
            )
        ),
        parts=parts,
    )


@PROPERTY
@given(article=articles())
def test_store_round_trip(article: Article) -> None:
    store = SQLiteStore(":memory:")
    try:
        assert store.put_article(article) is True
        assert store.get_article(article.id) == article
        assert list(store.iter_articles()) == [article]
        assert store.put_article(article) is False
        assert store.count_articles() == 1
    finally:
        store.close()


# -- (g) dates ---------------------------------------------------------------------------------

MONTHS = ["Jan", "February", "mar.", "Sept", "dec", "Mai", "juillet"]
date_like = st.lists(
    st.one_of(
        st.integers(0, 3000).map(str),
        st.integers(0, 99).map(lambda n: f"{n:02d}"),
        st.sampled_from(MONTHS),
        st.sampled_from(["-", "/", ".", " ", ",", "T", ":", "Z", "+", "th", "st", "of"]),
    ),
    min_size=1,
    max_size=8,
).map("".join)


@PROPERTY
@given(text=st.one_of(st.text(max_size=40), date_like))
@example(text="2024-02-30")
@example(text="0000")
@example(text="2024-12-05T10:00:00Z")
@example(text="٢٠٢٤-٠٣-٢٦")
@example(text="99999999999999999999")
@example(text="March 2024")
def test_parse_date_returns_a_date_or_date_parse_error(text: str) -> None:
    today = dt.date(2025, 6, 1)
    try:
        value, granularity = parse_date(text, today=today)
    except DateParseError:
        return
    assert isinstance(value, dt.date)
    assert isinstance(granularity, Granularity)
    assert EARLIEST_YEAR <= value.year <= today.year + 1
    if granularity is not Granularity.DAY:
        assert value.day == 1
    if granularity is Granularity.YEAR:
        assert value.month == 1
