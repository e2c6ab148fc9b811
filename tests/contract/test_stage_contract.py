"""The contract every stage in `storyline.stages` honours.

A new stage is added to STAGES (with the loaders that its construction must not call);
`test_every_stage_is_under_contract` fails until it is.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, cast

import pytest

import storyline.stages
from storyline.errors import PipelineError
from storyline.model import Article, Problem, RawDocument
from storyline.stages import ArticleStage, CleanStage, Pipeline
from storyline.stages.base import INITIAL_PROVIDES, Stage
from tests.contract.test_corpus_stage_contract import CORPUS_STAGES

NAME = re.compile(r"^[a-z]+(\.[a-z0-9_]+)*\.v\d+$")


@dataclass(frozen=True)
class StageCase:
    cls: type[Any]
    #: Has the freshly built stage loaded nothing yet? (looks at the stage's own state)
    is_lazy: Callable[[Any], bool]
    #: "module:attribute" loaders that constructing the stage must not call.
    heavy: tuple[str, ...] = field(default=())


def clean_stage_is_lazy(stage: CleanStage) -> bool:
    return stage.cleaner._rules is None and stage.cleaner._outlets is None


#: Every stage, in pipeline order. Add new stages here.
STAGES = [
    StageCase(
        CleanStage,
        is_lazy=clean_stage_is_lazy,
        heavy=(
            "storyline.clean.cleaner:load_cleaning_rules",
            "storyline.clean.cleaner:load_outlet_rules",
            "storyline.clean.cleaner:detect_language",
            "storyline.clean.cleaner:extract_html",
            "storyline.clean.language:_detector",
        ),
    ),
]


@pytest.fixture(params=STAGES, ids=lambda case: case.cls.__name__)
def case(request: pytest.FixtureRequest) -> StageCase:
    result: StageCase = request.param
    return result


def build(case: StageCase) -> ArticleStage:
    return cast(ArticleStage, case.cls())


def sample_documents(examples_dir: Path) -> list[RawDocument]:
    """A plain-text article, an HTML page and a metadata-rich feed record."""
    text_file = examples_dir / "quake_01_orbis_dispatch.txt"
    html_file = examples_dir / "quake_02_kestrel_daily.html"
    return [
        RawDocument(source=str(text_file), text=text_file.read_text("utf-8")),
        RawDocument(source=str(html_file), html=html_file.read_text("utf-8")),
        RawDocument(
            source="feed.jsonl:3",
            text="Ships began moving through the Suez Canal again on Monday evening.\n\n"
            "The Ever Given was refloated by salvage crews after nearly a week.",
            input_id="fr-2021-0329-suez",
            url="https://www.fernwayreport.example/suez",
            outlet="Fernway Report",
            title="Suez Canal traffic resumes",
            published="2021-03-29T19:05:00Z",
            language="en",
        ),
    ]


@pytest.fixture
def documents(examples_dir: Path) -> list[RawDocument]:
    if not (examples_dir / "quake_01_orbis_dispatch.txt").is_file():
        pytest.skip(f"example corpus not found at {examples_dir}")
    return sample_documents(examples_dir)


# -- discovery ----------------------------------------------------------------------------------


def discovered_stage_classes() -> set[type[Any]]:
    """Concrete classes in storyline.stages (any submodule) that declare the stage fields."""
    found: set[type[Any]] = set()
    modules = [storyline.stages] + [
        importlib.import_module(info.name)
        for info in pkgutil.walk_packages(storyline.stages.__path__, "storyline.stages.")
    ]
    for module in modules:
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if not obj.__module__.startswith("storyline.stages"):
                continue
            if getattr(obj, "_is_protocol", False):
                continue
            if all(hasattr(obj, attr) for attr in ("name", "requires", "provides")):
                found.add(obj)
    return found


def test_every_stage_is_under_contract() -> None:
    discovered = discovered_stage_classes()

    assert CleanStage in discovered  # the discovery itself works
    covered = {case.cls for case in STAGES} | set(CORPUS_STAGES)
    assert discovered <= covered, "add the new stage to STAGES (or CORPUS_STAGES)"


# -- construction -------------------------------------------------------------------------------


def test_constructible_without_arguments_and_lazy(
    case: StageCase, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    for target in case.heavy:
        module_name, attribute = target.split(":")
        module = importlib.import_module(module_name)
        assert hasattr(module, attribute), f"{target} no longer exists; update STAGES"

        def forbidden(*args: object, _target: str = target, **kwargs: object) -> None:
            calls.append(_target)
            raise AssertionError(f"constructing the stage called {_target}")

        monkeypatch.setattr(module, attribute, forbidden)

    stage = build(case)

    assert calls == []
    assert case.is_lazy(stage)


def test_versioned_name_and_declared_fields(case: StageCase) -> None:
    stage = build(case)

    assert isinstance(stage, Stage)
    assert NAME.match(stage.name), stage.name
    assert type(stage.requires) is frozenset and type(stage.provides) is frozenset
    assert all(isinstance(x, str) and x for x in stage.requires | stage.provides)
    assert stage.provides, "a stage that provides nothing has no place in a pipeline"
    assert not stage.requires & stage.provides
    # Class-level declarations: the pipeline can be checked without running anything.
    assert case.cls.name == stage.name
    assert case.cls.requires == stage.requires and case.cls.provides == stage.provides


def test_stage_names_are_unique() -> None:
    names = [case.cls.name for case in STAGES]

    assert len(names) == len(set(names))


# -- pipelines ----------------------------------------------------------------------------------


def test_pipeline_accepts_the_stages_in_order(case: StageCase) -> None:
    index = STAGES.index(case)
    stages = [build(c) for c in STAGES[: index + 1]]

    pipeline = Pipeline(stages)

    assert pipeline.names == [s.name for s in stages]
    assert case.cls.provides <= pipeline.provides
    assert pipeline.provides >= INITIAL_PROVIDES


def test_the_whole_list_is_a_valid_pipeline() -> None:
    pipeline = Pipeline([build(c) for c in STAGES])

    assert pipeline.names == [c.cls.name for c in STAGES]


class NeedsStories:
    name: ClassVar[str] = "fake.needs_stories.v1"
    requires: ClassVar[frozenset[str]] = frozenset({"stories"})
    provides: ClassVar[frozenset[str]] = frozenset({"timeline"})


class NeedsArticles:
    name: ClassVar[str] = "fake.needs_articles.v1"
    requires: ClassVar[frozenset[str]] = frozenset({"articles"})
    provides: ClassVar[frozenset[str]] = frozenset({"stories"})


def test_pipeline_rejects_an_unmet_requirement(case: StageCase) -> None:
    with pytest.raises(PipelineError) as caught:
        Pipeline([build(case), NeedsStories()])

    assert "stories" in str(caught.value)
    assert NeedsStories.name in str(caught.value)


def test_pipeline_rejects_a_misordered_list() -> None:
    with pytest.raises(PipelineError):
        Pipeline([NeedsArticles(), CleanStage()])

    pipeline = Pipeline([CleanStage(), NeedsArticles(), NeedsStories()])
    assert pipeline.names[-1] == NeedsStories.name
    assert {"raw", "articles", "stories", "timeline"} <= pipeline.provides


# -- processing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "empty",
    [
        RawDocument(source="empty.txt"),
        RawDocument(source="empty.txt", text=""),
        RawDocument(source="empty.txt", text="  \n\n\t  \n"),
        RawDocument(source="empty.html", html=""),
    ],
    ids=["nothing", "empty-text", "blank-text", "empty-html"],
)
def test_empty_document_gives_no_article_and_a_problem(case: StageCase, empty: RawDocument) -> None:
    article, problems = build(case).process(empty)

    assert article is None
    assert problems
    assert all(isinstance(p, Problem) for p in problems)
    assert all(p.item == empty.source for p in problems)
    assert all(empty.source in p.message for p in problems)


def test_processing_is_deterministic(case: StageCase, documents: list[RawDocument]) -> None:
    stage, fresh = build(case), build(case)
    for raw in documents:
        first = stage.process(raw)
        again = stage.process(raw)
        other = fresh.process(raw)

        assert first == again == other
        assert first[0] is not None


def test_input_document_is_not_changed(case: StageCase, documents: list[RawDocument]) -> None:
    stage = build(case)
    for raw in documents:
        before = dataclasses.replace(raw)  # an equal, separate copy
        assert before == raw and before is not raw

        stage.process(raw)

        assert raw == before
        assert dataclasses.astuple(raw) == dataclasses.astuple(before)
        with pytest.raises(dataclasses.FrozenInstanceError):
            raw.text = "changed"  # type: ignore[misc]


def test_article_text_and_parts(case: StageCase, documents: list[RawDocument]) -> None:
    stage = build(case)
    for raw in documents:
        article, _ = stage.process(raw)

        assert isinstance(article, Article)
        assert article.text.strip()
        assert article.source == raw.source
        for part in article.parts:
            assert 0 <= part.start <= part.end <= len(article.text), (part, len(article.text))
            assert article.span(part.start, part.end).holds_for(article)
