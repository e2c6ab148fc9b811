"""The contract every store implements, run over each store factory.

To add a store, add a `StoreFactory` to FACTORIES; tests that need a file on disk (reopening,
WAL, integrity) run only over factories with `persistent=True`.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

import storyline.store
from storyline.errors import AmbiguousIdError, NotFoundError, StoreError
from storyline.model import (
    Article,
    Granularity,
    Outlet,
    Part,
    Problem,
    PublishedDate,
    Removed,
    article_id,
)
from storyline.store import SQLiteStore, Store

MIGRATIONS = Path(storyline.store.__file__).parent / "migrations"


@dataclass(frozen=True)
class StoreFactory:
    name: str
    make: Callable[[Path], Store]
    persistent: bool
    database: Callable[[Path], Path] | None = None  # where a persistent store keeps its file


FACTORIES = [
    StoreFactory(
        "sqlite-file",
        lambda tmp: SQLiteStore(tmp / "store" / "ws.db"),
        persistent=True,
        database=lambda tmp: tmp / "store" / "ws.db",
    ),
    StoreFactory("sqlite-memory", lambda tmp: SQLiteStore(":memory:"), persistent=False),
]
PERSISTENT = [f for f in FACTORIES if f.persistent]


@pytest.fixture(params=FACTORIES, ids=lambda f: f.name)
def factory(request: pytest.FixtureRequest) -> StoreFactory:
    result: StoreFactory = request.param
    return result


@pytest.fixture
def store(factory: StoreFactory, tmp_path: Path) -> Iterator[Store]:
    opened = factory.make(tmp_path)
    try:
        yield opened
    finally:
        opened.close()


def make_article(
    text: str,
    *,
    outlet: str | None = None,
    source: str = "in.txt",
    title: str | None = None,
    published: PublishedDate | None = None,
) -> Article:
    """A minimal article with a real content id."""
    return Article(
        id=article_id(text, outlet, None),
        source=source,
        text=text,
        outlet=Outlet(name=outlet, inferred=False, evidence="given") if outlet else None,
        title=title,
        published=published,
    )


def full_article() -> Article:
    """Every field set, with values that are easy to lose on the way through a database."""
    text = (
        "Rescuers in Kahramanmaraş worked through the night.\n\n"
        "“We heard voices,” one said — then silence.\n\n"
        "Read more: nothing here"
    )
    return Article(
        id=article_id(text, "Orbis Dispatch", "https://orbis.example/quake?x=1&y=ü"),
        source="examples/quake_01_orbis_dispatch.txt",
        text=text,
        input_id="orbis-0001",
        url="https://orbis.example/quake?x=1&y=ü",
        outlet=Outlet(name="Orbis Dispatch", inferred=True, evidence="copyright line"),
        title="Rescuers race against the cold",
        byline="Ayşe Yılmaz",
        language="tr",
        published=PublishedDate(
            value=dt.date(2023, 2, 1),
            granularity=Granularity.MONTH,
            inferred=True,
            evidence="date line",
        ),
        removed=(
            Removed(kind="copyright", text="© Orbis Dispatch 2023"),
            Removed(kind="read-more teaser", text='Why the fault is "so" dangerous\n'),
        ),
        parts=(
            Part(start=0, end=51, outlet="Orbis Dispatch"),
            Part(start=53, end=len(text), outlet=None, duplicate_of="0123456789abcdef"),
        ),
    )


# -- round trip and idempotence -------------------------------------------------------------


def test_full_article_round_trips(store: Store) -> None:
    original = full_article()

    assert store.put_article(original) is True
    loaded = store.get_article(original.id)

    assert loaded == original
    assert loaded.published is not None
    assert loaded.published.granularity is Granularity.MONTH
    assert loaded.published.iso() == "2023-02"
    assert loaded.outlet is not None and loaded.outlet.inferred is True
    assert loaded.parts[1].duplicate_of == "0123456789abcdef"


@pytest.mark.parametrize(
    "published",
    [
        PublishedDate(value=dt.date(2024, 3, 26), granularity=Granularity.DAY, inferred=False),
        PublishedDate(value=dt.date(2021, 1, 1), granularity=Granularity.YEAR, inferred=True),
        None,
    ],
    ids=["day", "year", "none"],
)
def test_minimal_article_round_trips(store: Store, published: PublishedDate | None) -> None:
    original = make_article("Just a line of text.", published=published)

    store.put_article(original)

    assert store.get_article(original.id) == original


def test_put_is_idempotent_and_records_every_source(store: Store) -> None:
    first = make_article("The same wire copy, carried twice.", outlet="Compass Wire")
    again = replace(first, source="feeds/wire.jsonl:7")

    assert store.put_article(first) is True
    assert store.count_articles() == 1
    assert store.put_article(first) is False
    assert store.put_article(again) is False
    assert store.count_articles() == 1

    assert store.sources_of(first.id) == sorted(["in.txt", "feeds/wire.jsonl:7"])
    assert store.get_article(first.id).source == "in.txt"  # the first source wins
    assert store.sources_of("ffffffffffffffff") == []


# -- transactions -------------------------------------------------------------------------------


class Boom(Exception):
    pass


def test_inner_atomic_failure_rolls_back_only_the_inner_block(store: Store) -> None:
    a, b, c = (make_article(f"Article number {n}.") for n in ("one", "two", "three"))
    failed = Problem(stage="test", item="x", code="inner", message="x: rolled back")

    with store.atomic():
        store.put_article(a)
        with pytest.raises(Boom), store.atomic():
            store.put_article(b)
            store.put_problem(failed)
            raise Boom
        store.put_article(c)

    assert [x.id for x in store.iter_articles()] == [a.id, c.id]
    assert store.count_articles() == 2
    with pytest.raises(NotFoundError):
        store.get_article(b.id)
    assert store.problems() == []


def test_outer_atomic_failure_rolls_back_everything(store: Store) -> None:
    kept = make_article("Stored before the transaction.")
    store.put_article(kept)
    a, b = make_article("Lost one."), make_article("Lost two.")

    with pytest.raises(Boom), store.atomic():
        store.put_article(a)
        with store.atomic():
            store.put_article(b)
            store.put_problem(Problem(stage="t", item="i", code="c", message="m"))
        raise Boom

    assert [x.id for x in store.iter_articles()] == [kept.id]
    assert store.problems() == []
    # The store is usable again after the rollback.
    assert store.put_article(a) is True
    assert store.count_articles() == 2


def test_three_levels_deep(store: Store) -> None:
    a, b, c = (make_article(f"Level {n} article.") for n in ("one", "two", "three"))

    with store.atomic():
        store.put_article(a)
        with store.atomic():
            store.put_article(b)
            with pytest.raises(Boom), store.atomic():
                store.put_article(c)
                raise Boom

    assert {x.id for x in store.iter_articles()} == {a.id, b.id}


# -- lookup by id --------------------------------------------------------------------------------


def crafted(article_id_: str, text: str) -> Article:
    return Article(id=article_id_, source="crafted", text=text)


def test_get_by_unique_prefix_and_errors(store: Store) -> None:
    one = crafted("abcd111111111111", "First crafted article.")
    two = crafted("abcd222222222222", "Second crafted article.")
    other = crafted("0f00000000000000", "Third crafted article.")
    for article in (one, two, other):
        store.put_article(article)

    assert store.get_article("abcd1") == one
    assert store.get_article("abcd2222") == two
    assert store.get_article(two.id) == two
    assert store.get_article("ABCD1") == one  # case-insensitive
    assert store.get_article(f"  {other.id}\n") == other
    with pytest.raises(AmbiguousIdError):
        store.get_article("abcd")
    with pytest.raises(NotFoundError):
        store.get_article("abce")
    with pytest.raises(NotFoundError):
        store.get_article("ffffffffffffffff")


@pytest.mark.parametrize(
    "bad", ["", "xyz!", "not-an-id", "abcd' OR 1=1 --", "%", "abc", "ab_d", "abcd%"]
)
def test_get_non_hex_is_not_found(store: Store, bad: str) -> None:
    store.put_article(crafted("abcd111111111111", "Only article."))

    with pytest.raises(NotFoundError):
        store.get_article(bad)


def test_exact_id_wins_over_longer_ids_sharing_it(store: Store) -> None:
    short = crafted("abcd1234", "Short id article.")
    longer = crafted("abcd12345678", "Long id article.")
    store.put_article(longer)
    store.put_article(short)

    assert store.get_article("abcd1234") == short


# -- listing -------------------------------------------------------------------------------------


def test_iter_articles_order_filter_and_paging(store: Store) -> None:
    outlets = ["Kestrel Daily", None, "Orbis Dispatch", "kestrel daily", "Kestrel Daily"]
    # Ids deliberately not in insertion order, so a listing sorted by id would fail.
    articles = [
        make_article(f"Story {n} about the harbour.", outlet=o)
        for n, o in zip(["z", "a", "m", "b", "y"], outlets, strict=True)
    ]
    for article in articles:
        store.put_article(article)
    ids = [a.id for a in articles]
    assert ids != sorted(ids)

    assert [a.id for a in store.iter_articles()] == ids
    assert store.count_articles() == 5
    kestrel = [a.id for a in store.iter_articles(outlet="Kestrel Daily")]
    assert kestrel == [ids[0], ids[3], ids[4]]  # the outlet filter ignores case
    assert [a.id for a in store.iter_articles(outlet="Orbis Dispatch")] == [ids[2]]
    assert list(store.iter_articles(outlet="Nobody")) == []
    assert [a.id for a in store.iter_articles(limit=2)] == ids[:2]
    assert [a.id for a in store.iter_articles(limit=2, offset=2)] == ids[2:4]
    assert [a.id for a in store.iter_articles(offset=3)] == ids[3:]
    assert [a.id for a in store.iter_articles(limit=0)] == []
    assert [a.id for a in store.iter_articles(outlet="kestrel daily", limit=1, offset=1)] == [
        ids[3]
    ]


def test_order_survives_a_duplicate_put(store: Store) -> None:
    first, second = make_article("First in."), make_article("Second in.")
    store.put_article(first)
    store.put_article(second)
    store.put_article(first)  # re-putting does not move it to the end

    assert [a.id for a in store.iter_articles()] == [first.id, second.id]


# -- search --------------------------------------------------------------------------------------


@pytest.fixture
def searchable(store: Store) -> dict[str, Article]:
    articles = {
        "passing": make_article(
            "The harbour authority met on Tuesday to discuss the budget for the coming year. "
            "Members also talked about parking, street lights and, briefly, a volcano "
            "documentary shown at the library. The meeting ended after three hours.",
            title="Harbour budget meeting",
        ),
        "focused": make_article(
            "The volcano erupted again. Volcano experts said the volcano would stay active.",
            title="Volcano erupts",
        ),
        "medium": make_article(
            "Scientists flew over the volcano on Sunday. The volcano was quiet, they said.",
            title="Survey flight",
        ),
        "cafe": make_article("Locals gathered at the café after the storm.", title="Storm"),
        "other": make_article("Nothing about mountains here at all.", title="Other news"),
    }
    for article in articles.values():
        store.put_article(article)
    return articles


def test_search_finds_ranks_and_snippets(store: Store, searchable: dict[str, Article]) -> None:
    hits = store.search("volcano")

    # Ranked by relevance, which is neither insertion order nor its reverse.
    ranked = [searchable[k].id for k in ("focused", "medium", "passing")]
    assert [h.article.id for h in hits] == ranked
    assert hits[0].article == searchable["focused"]
    for hit in hits:
        assert "[" in hit.snippet and "]" in hit.snippet
        assert re.search(r"\[volcano\]", hit.snippet, re.IGNORECASE)
    assert store.search("volcano", limit=1)[0].article.id == searchable["focused"].id
    assert store.search("submarine") == []


def test_search_is_case_and_accent_insensitive(
    store: Store, searchable: dict[str, Article]
) -> None:
    assert [h.article.id for h in store.search("CAFE")] == [searchable["cafe"].id]
    assert [h.article.id for h in store.search("café")] == [searchable["cafe"].id]


def test_search_needs_every_word(store: Store, searchable: dict[str, Article]) -> None:
    assert [h.article.id for h in store.search("volcano library")] == [searchable["passing"].id]


@pytest.mark.parametrize(
    "query",
    [
        '"',
        'volcano"',
        '"unterminated phrase',
        "NEAR(volcano experts)",
        "NEAR(",
        "title:volcano",
        "text:",
        "volc*",
        "*",
        "-volcano",
        "volcano -experts",
        "volcano AND",
        "OR",
        "NOT NOT",
        "(",
        ")",
        "{title text}: volcano",
        "^volcano",
        "volcano + experts",
        "'; DROP TABLE articles; --",
        "\x00",
        "",
        "   ",
        "\u200f\u05e9\u05dc\u05d5\u05dd",
    ],
)
def test_search_never_raises_on_syntax_characters(
    store: Store, searchable: dict[str, Article], query: str
) -> None:
    hits = store.search(query)

    assert isinstance(hits, list)
    assert store.count_articles() == len(searchable)  # and nothing was dropped


def test_search_syntax_is_taken_literally(store: Store, searchable: dict[str, Article]) -> None:
    # `title:` is not a column filter: "title" is a word the texts do not contain.
    assert store.search("title:volcano") == []
    # `-` does not exclude: both words are required.
    assert [h.article.id for h in store.search("volcano -experts")] == [searchable["focused"].id]


# -- problems ------------------------------------------------------------------------------------


def test_problems_round_trip_in_order_and_are_idempotent(store: Store) -> None:
    problems = [
        Problem(stage="ingest", item="a.jsonl:2", code="bad-json", message="a.jsonl:2: broken"),
        Problem(stage="clean", item="b.txt", code="bad-date", message="b.txt: 'x' ignored"),
        Problem(stage="ingest", item="ü.txt", code="empty", message="ü.txt: “empty”"),
    ]

    assert [store.put_problem(p) for p in problems] == [True, True, True]
    assert [store.put_problem(p) for p in problems] == [False, False, False]

    assert store.problems() == problems
    same_item_other_code = replace(problems[0], code="too-large")
    assert store.put_problem(same_item_other_code) is True
    assert store.problems() == [*problems, same_item_other_code]


# -- schema and file ----------------------------------------------------------------------------


def test_schema_version_is_the_latest_migration(store: Store) -> None:
    numbers = [
        int(m.group(1))
        for p in MIGRATIONS.iterdir()
        if (m := re.match(r"^(\d{4})_[\w-]+\.sql$", p.name))
    ]
    assert numbers, f"no migrations found in {MIGRATIONS}"

    assert store.schema_version() == max(numbers)


@pytest.mark.parametrize("factory", PERSISTENT, ids=lambda f: f.name)
def test_file_store_uses_wal_and_is_intact(factory: StoreFactory, tmp_path: Path) -> None:
    assert factory.database is not None
    opened = factory.make(tmp_path)
    try:
        opened.put_article(full_article())
        # Look from a separate connection: WAL is a property of the file.
        raw = sqlite3.connect(factory.database(tmp_path))
        try:
            assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert raw.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 1
        finally:
            raw.close()
    finally:
        opened.close()


@pytest.mark.parametrize("factory", PERSISTENT, ids=lambda f: f.name)
def test_reopened_file_store_keeps_its_data(factory: StoreFactory, tmp_path: Path) -> None:
    article = full_article()
    problem = Problem(stage="ingest", item="x.txt", code="empty", message="x.txt: empty")
    first = factory.make(tmp_path)
    first.put_article(article)
    first.put_article(replace(article, source="second.txt"))
    first.put_problem(problem)
    version = first.schema_version()
    first.close()

    second = factory.make(tmp_path)
    try:
        assert second.get_article(article.id) == article
        assert second.count_articles() == 1
        assert second.sources_of(article.id) == sorted([article.source, "second.txt"])
        assert second.problems() == [problem]
        assert second.schema_version() == version
        assert [h.article.id for h in second.search("Kahramanmaraş")] == [article.id]
        assert second.put_article(article) is False
    finally:
        second.close()


@pytest.mark.parametrize(
    "garbage",
    [
        pytest.param(b"this is not a database at all\n" * 200, id="text"),
        pytest.param(bytes(range(256)) * 64, id="binary"),
        pytest.param(b"hello", id="five-bytes"),
        pytest.param(
            b"x",
            id="one-byte",
        ),
    ],
)
def test_opening_a_non_sqlite_file_raises_store_error(tmp_path: Path, garbage: bytes) -> None:
    path = tmp_path / "x.db"
    path.write_bytes(garbage)

    with pytest.raises(StoreError) as caught:
        SQLiteStore(path)

    assert str(path) in str(caught.value)
    assert path.read_bytes() == garbage  # and the file was left as it was


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA user_version = 9999")
    raw.close()

    with pytest.raises(StoreError) as caught:
        SQLiteStore(path)

    assert str(path) in str(caught.value)
