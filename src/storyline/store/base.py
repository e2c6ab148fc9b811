"""The contract every store implements; tests/contract runs the same suite over each one."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Protocol

from storyline.model import Article, Problem


def id_chunks(ids: Iterable[str], size: int = 400) -> Iterator[tuple[list[str], str]]:
    """Distinct ids in chunks small enough for one SQL `IN (...)` (SQLite caps the number of
    parameters), each with its placeholder list: `for part, marks in id_chunks(ids)`."""
    distinct = list(dict.fromkeys(ids))
    for start in range(0, len(distinct), size):
        part = distinct[start : start + size]
        yield part, ",".join("?" * len(part))


@dataclass(frozen=True, slots=True)
class SearchHit:
    article: Article
    snippet: str


class Store(Protocol):
    def atomic(self) -> AbstractContextManager[None]:
        """All writes inside commit together or not at all; nests via savepoints."""
        ...

    def put_article(self, article: Article) -> bool:
        """Insert if new (by content id); record its source either way. True if inserted."""
        ...

    def put_problem(self, problem: Problem) -> bool: ...

    def get_article(self, id_or_prefix: str) -> Article: ...

    def iter_articles(
        self, *, outlet: str | None = None, limit: int | None = None, offset: int = 0
    ) -> Iterator[Article]: ...

    def count_articles(self) -> int: ...

    def sources_of(self, article_id: str) -> list[str]: ...

    def search(self, query: str, limit: int = 20) -> list[SearchHit]: ...

    def problems(self) -> list[Problem]: ...

    def schema_version(self) -> int: ...

    def close(self) -> None: ...
