"""SQLite store: one file, WAL so readers never block the writer, numbered migrations."""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from storyline.errors import AmbiguousIdError, NotFoundError, StoreError, WorkspaceBusyError
from storyline.model import Article, Outlet, Part, Problem, PublishedDate, Removed
from storyline.store.base import SearchHit
from storyline.store.crosscheck_tables import StoryResultTable
from storyline.store.dedupe_tables import DedupeTables
from storyline.store.extract_tables import ExtractTables
from storyline.store.source_tables import SourceTables
from storyline.store.story_tables import StoryTables

MEMORY = ":memory:"
BUSY_TIMEOUT_S = 30.0
_MIGRATION_NAME = re.compile(r"^(\d{4})_[\w-]+\.sql$")
_ID_PREFIX = re.compile(r"^[0-9a-f]{4,64}$")


_SQLITE_MAGIC = b"SQLite format 3\x00"


def _refuse_foreign_file(path: Path) -> None:
    """SQLite treats a tiny non-database file as empty and would overwrite it; refuse instead."""
    try:
        if not path.is_file() or path.stat().st_size == 0:
            return
        with path.open("rb") as handle:
            head = handle.read(len(_SQLITE_MAGIC))
    except OSError as exc:
        raise StoreError(f"cannot open workspace {path}: {exc.strerror or exc}") from exc
    if head != _SQLITE_MAGIC:
        raise StoreError(
            f"cannot open workspace {path}: it is not an SQLite file; "
            "pick another --db path (Storyline never overwrites other files)"
        )


def _fts_match(query: str) -> str:
    """The query quoted word by word, so user input is never FTS syntax ("" when empty)."""
    return " ".join('"' + word.replace('"', "") + '"' for word in re.findall(r"\w+", query))


def _use_wal(db: sqlite3.Connection, timeout: float) -> None:
    """Switching a new file to WAL needs an exclusive lock and SQLite answers "locked"
    at once rather than waiting, so two processes creating one workspace retry here."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            db.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _statements(script: str) -> Iterator[str]:
    """Split a migration into statements (triggers' inner semicolons included) so they
    run inside a transaction we hold; executescript would commit it first."""
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            if pending.strip():
                yield pending
            pending = ""
    if pending.strip() and not all(
        part.strip().startswith("--") or not part.strip() for part in pending.splitlines()
    ):
        raise StoreError(f"migration ends with an unterminated statement: {pending[:80]!r}")


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class SQLiteStore:
    """The default store. `path` may be ':memory:' for one-off analyses."""

    def __init__(self, path: str | Path, *, timeout: float = BUSY_TIMEOUT_S) -> None:
        self.path = str(path)
        if self.path != MEMORY:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            _refuse_foreign_file(Path(self.path))
        try:
            self._db = sqlite3.connect(
                self.path, timeout=timeout, isolation_level=None, check_same_thread=False
            )
            self._db.row_factory = sqlite3.Row
            self._db.execute("PRAGMA foreign_keys = ON")
            if self.path != MEMORY:
                _use_wal(self._db, timeout)
                self._db.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"cannot open workspace {self.path}: {exc}; is it a Storyline SQLite file?"
            ) from exc
        self._depth = 0
        self.migrate()

    # -- transactions -----------------------------------------------------------------

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """Outermost level: BEGIN IMMEDIATE (take the write lock up front, so two writers
        queue instead of deadlocking); inner levels: savepoints."""
        if self._depth == 0:
            try:
                self._db.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                if "locked" in str(exc) or "busy" in str(exc):
                    raise WorkspaceBusyError(
                        f"workspace {self.path} is being written by another process; "
                        "wait for it to finish and retry"
                    ) from exc
                raise
            self._depth = 1
            try:
                yield
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            else:
                self._db.execute("COMMIT")
            finally:
                self._depth = 0
            return
        name = f"sp{self._depth}"
        self._db.execute(f"SAVEPOINT {name}")
        self._depth += 1
        try:
            yield
        except BaseException:
            self._db.execute(f"ROLLBACK TO {name}")
            self._db.execute(f"RELEASE {name}")
            raise
        else:
            self._db.execute(f"RELEASE {name}")
        finally:
            self._depth -= 1

    # -- schema -----------------------------------------------------------------------

    def schema_version(self) -> int:
        row = self._db.execute("PRAGMA user_version").fetchone()
        return int(row[0])

    def migrate(self) -> None:
        """Apply every numbered migration newer than the file's `user_version`, each in its
        own transaction, so a crash leaves the file at a whole version."""
        current = self.schema_version()
        folder = resources.files("storyline.store").joinpath("migrations")
        migrations = sorted(
            (int(m.group(1)), entry.name)
            for entry in folder.iterdir()
            if (m := _MIGRATION_NAME.match(entry.name))
        )
        latest = migrations[-1][0] if migrations else 0
        if current > latest:
            raise StoreError(
                f"workspace {self.path} has schema version {current}, newer than this "
                f"Storyline understands ({latest}); upgrade Storyline"
            )
        for number, name in migrations:
            if number <= current:
                continue
            script = folder.joinpath(name).read_text("utf-8")
            self._apply_migration(number, name, script)

    def _apply_migration(self, number: int, name: str, script: str) -> None:
        """One migration in one write transaction. The version is read again under the
        lock: two processes opening a new file at once both saw version 0, and the one
        that waited must not replay what the other just applied."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise WorkspaceBusyError(
                f"workspace {self.path} is being written by another process; "
                "wait for it to finish and retry"
            ) from exc
        try:
            if self.schema_version() < number:
                for statement in _statements(script):
                    self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version = {number}")
        except sqlite3.DatabaseError as exc:
            self._db.execute("ROLLBACK")
            raise StoreError(f"migration {name} failed on {self.path}: {exc}") from exc
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # -- writes -----------------------------------------------------------------------

    def put_article(self, article: Article) -> bool:
        with self.atomic():
            exists = self._db.execute(
                "SELECT 1 FROM articles WHERE id = ?", (article.id,)
            ).fetchone()
            if not exists:
                self._db.execute(
                    "INSERT INTO articles VALUES (:id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM "
                    "articles), :text_hash, :source, :input_id, :url, :outlet, :outlet_inferred, "
                    ":outlet_evidence, :title, :title_inferred, :byline, :language, :published, "
                    ":published_granularity, :published_inferred, :published_evidence, :text, "
                    ":removed_json, :parts_json, :ingested_at)",
                    _article_row(article),
                )
            self._db.execute(
                "INSERT OR IGNORE INTO article_sources (source, article_id) VALUES (?, ?)",
                (article.source, article.id),
            )
        return not exists

    def put_problem(self, problem: Problem) -> bool:
        with self.atomic():
            cursor = self._db.execute(
                "INSERT OR IGNORE INTO problems VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 "
                "FROM problems), ?, ?, ?, ?, ?)",
                (problem.id, problem.stage, problem.item, problem.code, problem.message, _now()),
            )
        return cursor.rowcount > 0

    def record_stage_run(self, stage: str, articles_seen: int) -> None:
        with self.atomic():
            self._db.execute(
                "INSERT OR REPLACE INTO stage_runs VALUES (?, ?, ?)", (stage, _now(), articles_seen)
            )

    # -- reads ------------------------------------------------------------------------

    def get_article(self, id_or_prefix: str) -> Article:
        key = id_or_prefix.strip().lower()
        if not _ID_PREFIX.match(key):
            raise NotFoundError(
                f"{id_or_prefix!r} is not an article id (ids are hex, e.g. 3f2a9c1d07be4e55; "
                "`storyline articles` lists them)"
            )
        rows = self._db.execute(
            f"{_SELECT_ARTICLES} WHERE a.id >= ? AND a.id < ? ORDER BY a.id LIMIT 2",
            (key, key + "g"),
        ).fetchall()
        if not rows:
            raise NotFoundError(f"no article with id {id_or_prefix!r} in {self.path}")
        if len(rows) > 1 and rows[0]["id"] != key:
            raise AmbiguousIdError(
                f"{id_or_prefix!r} matches several articles; give more characters of the id"
            )
        return _article_from_row(rows[0])

    def iter_articles(
        self, *, outlet: str | None = None, limit: int | None = None, offset: int = 0
    ) -> Iterator[Article]:
        sql = _SELECT_ARTICLES
        params: list[Any] = []
        if outlet:
            sql += " WHERE a.outlet = ? COLLATE NOCASE"
            params.append(outlet)
        sql += " ORDER BY a.seq LIMIT ? OFFSET ?"
        params += [-1 if limit is None else limit, offset]
        for row in self._db.execute(sql, params):
            yield _article_from_row(row)

    def ids_ingested_since(self, at: str, limit: int = 1000) -> list[str]:
        """Articles first stored at or after `at` (ISO, UTC), newest first."""
        rows = self._db.execute(
            "SELECT id FROM articles WHERE ingested_at >= ? ORDER BY seq DESC LIMIT ?", (at, limit)
        )
        return [str(r[0]) for r in rows]

    def count_articles(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    def sources_of(self, article_id: str) -> list[str]:
        rows = self._db.execute(
            "SELECT source FROM article_sources WHERE article_id = ? ORDER BY source",
            (article_id,),
        )
        return [str(row[0]) for row in rows]

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        """Full-text search; the query is quoted word by word, so user input is never FTS
        syntax (no errors on stray quotes, no column filters smuggled in)."""
        match = _fts_match(query)
        if not match:
            return []
        rows = self._db.execute(
            "SELECT a.*, i.published AS story_published, i.evidence AS story_evidence, "
            "snippet(articles_fts, 1, '[', ']', ' … ', 12) AS snip "
            "FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid "
            "LEFT JOIN date_inferences i ON i.article_id = a.id "
            "WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?",
            (match, limit),
        )
        return [SearchHit(article=_article_from_row(row), snippet=row["snip"]) for row in rows]

    def data_version(self) -> int:
        """Moves whenever the file changes (another connection's commit or this one's), so
        readers can cache what they derive from it."""
        other = int(self._db.execute("PRAGMA data_version").fetchone()[0])
        return other + int(self._db.total_changes)

    def article_headers(self) -> list[tuple[str, str | None, str]]:
        """(id, outlet, title or the text's opening) of every article, cheaply."""
        rows = self._db.execute("SELECT id, outlet, title, substr(text, 1, 200) FROM articles")
        return [(str(r[0]), r[1], str(r[2] or " ".join(str(r[3]).split())[:90])) for r in rows]

    def search_ids(self, query: str, limit: int = 500) -> list[str]:
        """The ids of the articles `search` would return, without building the articles."""
        match = _fts_match(query)
        if not match:
            return []
        rows = self._db.execute(
            "SELECT a.id FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid "
            "WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?",
            (match, limit),
        )
        return [str(r[0]) for r in rows]

    def problems(self) -> list[Problem]:
        rows = self._db.execute("SELECT stage, item, code, message FROM problems ORDER BY seq")
        return [Problem(stage=r[0], item=r[1], code=r[2], message=r[3]) for r in rows]

    @property
    def extract(self) -> ExtractTables:
        """The extraction stage's tables, on this store's connection."""
        return ExtractTables(self._db)

    @property
    def stories(self) -> StoryTables:
        """The stories stage's tables, on this store's connection (and transactions)."""
        return StoryTables(self._db)

    @property
    def sources(self) -> SourceTables:
        """Fetched pages, feeds and feed items."""
        return SourceTables(self._db)

    @property
    def crosschecks(self) -> StoryResultTable:
        """The cross-check stage's table, on this store's connection (and transactions)."""
        return StoryResultTable(self._db, "crosschecks")

    @property
    def syntheses(self) -> StoryResultTable:
        """The synthesis stage's table (briefs and timelines)."""
        return StoryResultTable(self._db, "syntheses")

    @property
    def dedupe(self) -> DedupeTables:
        """The dedupe stage's tables, on this store's connection (and transactions)."""
        return DedupeTables(self._db)

    def articles_by_ids(self, ids: list[str]) -> dict[str, Article]:
        found: dict[str, Article] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            sql = f"{_SELECT_ARTICLES} WHERE a.id IN ({marks})"
            for row in self._db.execute(sql, chunk):
                found[row["id"]] = _article_from_row(row)
        return found

    def integrity_ok(self) -> bool:
        return str(self._db.execute("PRAGMA integrity_check").fetchone()[0]) == "ok"

    def close(self) -> None:
        self._db.close()


# Articles with the day inferred from related articles (date_inferences) overlaid on their own.
_SELECT_ARTICLES = (
    "SELECT a.*, i.published AS story_published, i.evidence AS story_evidence "
    "FROM articles a LEFT JOIN date_inferences i ON i.article_id = a.id"
)


def _article_row(article: Article) -> dict[str, Any]:
    published = article.published
    return {
        "id": article.id,
        "text_hash": article.text_hash,
        "source": article.source,
        "input_id": article.input_id,
        "url": article.url,
        "outlet": article.outlet.name if article.outlet else None,
        "outlet_inferred": None if article.outlet is None else int(article.outlet.inferred),
        "outlet_evidence": article.outlet.evidence if article.outlet else None,
        "title": article.title,
        "title_inferred": int(article.title_inferred),
        "byline": article.byline,
        "language": article.language,
        "published": published.iso() if published else None,
        "published_granularity": published.granularity.value if published else None,
        "published_inferred": None if published is None else int(published.inferred),
        "published_evidence": published.evidence if published else None,
        "text": article.text,
        "removed_json": json.dumps(
            [{"kind": r.kind, "text": r.text} for r in article.removed], ensure_ascii=False
        ),
        "parts_json": json.dumps(
            [
                {"start": p.start, "end": p.end, "outlet": p.outlet, "duplicate_of": p.duplicate_of}
                for p in article.parts
            ],
            ensure_ascii=False,
        ),
        "ingested_at": _now(),
    }


def _article_from_row(row: sqlite3.Row) -> Article:
    outlet = (
        Outlet(
            name=row["outlet"],
            inferred=bool(row["outlet_inferred"]),
            evidence=row["outlet_evidence"] or "",
        )
        if row["outlet"]
        else None
    )
    published = (
        PublishedDate.from_iso(
            row["published"],
            inferred=bool(row["published_inferred"]),
            evidence=row["published_evidence"] or "",
        )
        if row["published"]
        else None
    )
    if "story_published" in row.keys() and row["story_published"]:  # noqa: SIM118 - sqlite3.Row
        published = PublishedDate.from_iso(
            row["story_published"], inferred=True, evidence=row["story_evidence"]
        )
    return Article(
        id=row["id"],
        source=row["source"],
        input_id=row["input_id"],
        url=row["url"],
        text=row["text"],
        outlet=outlet,
        title=row["title"],
        title_inferred=bool(row["title_inferred"]),
        byline=row["byline"],
        language=row["language"],
        published=published,
        removed=tuple(
            Removed(kind=r["kind"], text=r["text"]) for r in json.loads(row["removed_json"])
        ),
        parts=tuple(Part(**p) for p in json.loads(row["parts_json"])),
    )
