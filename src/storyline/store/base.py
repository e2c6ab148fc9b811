"""The contract every store implements; tests/contract runs the same suite over each one."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Protocol

from storyline.model import Article, Problem


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
