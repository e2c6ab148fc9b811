"""The clean stage: RawDocument -> Article, wrapping the rule-based Cleaner."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from storyline.clean.cleaner import Cleaner
from storyline.model import Article, Problem, RawDocument


class CleanStage:
    name: ClassVar[str] = "clean.rules.v1"
    requires: ClassVar[frozenset[str]] = frozenset({"raw"})
    provides: ClassVar[frozenset[str]] = frozenset({"articles"})

    def __init__(
        self,
        rules_path: Path | None = None,
        outlets_path: Path | None = None,
        detect_languages: bool = True,
    ) -> None:
        # The cleaner loads its tables lazily, on the first article.
        self.cleaner = Cleaner(rules_path, outlets_path, detect_languages)

    def process(self, raw: RawDocument) -> tuple[Article | None, list[Problem]]:
        result = self.cleaner.clean(raw)
        return result.article, result.problems
