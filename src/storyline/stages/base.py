"""What a stage is, and the validated, ordered list of stages a run executes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Protocol, runtime_checkable

from storyline.errors import PipelineError
from storyline.model import Article, Problem, RawDocument

#: What exists before any stage has run: the documents the readers produced.
INITIAL_PROVIDES = frozenset({"raw"})


@runtime_checkable
class Stage(Protocol):
    """Every stage has a versioned name and declares what it needs and what it adds."""

    name: ClassVar[str]
    requires: ClassVar[frozenset[str]]
    provides: ClassVar[frozenset[str]]


class ArticleStage(Stage, Protocol):
    """A per-article stage: independent across articles, so it can run in parallel."""

    def process(self, raw: RawDocument) -> tuple[Article | None, list[Problem]]: ...


class Pipeline:
    """An ordered list of stages, checked when built: each `requires` must be provided by
    an earlier stage, so a misordered pipeline fails at construction, not mid-run."""

    def __init__(self, stages: Sequence[Stage]) -> None:
        available = set(INITIAL_PROVIDES)
        for stage in stages:
            missing = stage.requires - available
            if missing:
                raise PipelineError(
                    f"stage {stage.name} requires {sorted(missing)}, which no earlier stage "
                    f"provides (available: {sorted(available)}); reorder the stages"
                )
            available |= stage.provides
        self.stages = tuple(stages)
        self.provides = frozenset(available)

    @property
    def names(self) -> list[str]:
        return [stage.name for stage in self.stages]
