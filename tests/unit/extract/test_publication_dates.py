"""Days borrowed from related, day-dated articles (extract/publication_dates.py)."""

from __future__ import annotations

import datetime as dt

from storyline.extract.publication_dates import DatingInput, infer_from_neighbours
from storyline.model import Granularity, PublishedDate

THU = dt.date(2024, 12, 5)
STORY = frozenset({"hama", "homs", "army", "hts", "assad"})


def day(value: dt.date) -> PublishedDate:
    return PublishedDate(value=value, granularity=Granularity.DAY, inferred=False, evidence="given")


YEAR_2024 = PublishedDate(
    value=dt.date(2024, 1, 1), granularity=Granularity.YEAR, inferred=True, evidence="copyright"
)


def dated(article_id: str, value: dt.date, entities: frozenset[str] = STORY) -> DatingInput:
    return DatingInput(article_id, day(value), "", entities, frozenset({value}))


def test_day_borrowed_from_the_story_on_the_weekday_the_article_reports_from() -> None:
    target = DatingInput("t", YEAR_2024, "It fell on Thursday after a push on Wednesday.", STORY)
    found = infer_from_neighbours([dated("a", THU), dated("b", THU), target])
    assert found["t"].value == THU
    assert found["t"].inferred and found["t"].granularity is Granularity.DAY
    assert "Thursday" in found["t"].evidence and "inside 2024" in found["t"].evidence
    assert set(found) == {"t"}  # day-dated articles are left alone


def test_unrelated_articles_lend_nothing() -> None:
    other_story = frozenset({"baltimore", "dali", "key bridge"})
    target = DatingInput("t", YEAR_2024, "It fell on Thursday.", STORY)
    assert infer_from_neighbours([dated("a", THU, other_story), target]) == {}


def test_neighbours_outside_the_articles_own_window_lend_nothing() -> None:
    target = DatingInput("t", YEAR_2024, "It fell on Thursday.", STORY)
    assert infer_from_neighbours([dated("a", dt.date(2023, 12, 28)), target]) == {}


def test_weekday_pins_the_day_inside_the_neighbours_week() -> None:
    """Neighbours dated Thursday; the article reports from a Tuesday: the Tuesday of that
    week whose 'Monday' matches the day the neighbours name."""
    monday = dt.date(2024, 12, 2)
    neighbours = [DatingInput(n, day(THU), "", STORY, frozenset({THU, monday})) for n in ("a", "b")]
    target = DatingInput("t", None, "The strike came early Monday; by Tuesday talks began.", STORY)
    found = infer_from_neighbours([*neighbours, target])
    assert found["t"].value == dt.date(2024, 12, 3)


def test_split_evidence_gives_no_day() -> None:
    target = DatingInput("t", YEAR_2024, "The army withdrew.", STORY)  # no weekday named
    found = infer_from_neighbours([dated("a", THU), dated("b", dt.date(2024, 12, 6)), target])
    assert found == {}
