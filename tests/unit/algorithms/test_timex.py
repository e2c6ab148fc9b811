"""Time expressions resolved against a publication date: a table of expected values."""

from __future__ import annotations

import datetime as dt

import pytest

from storyline.algorithms.timex import find_time_mentions, resolve

THU = dt.date(2024, 12, 5)  # the seeds' publication day, a Thursday
MON = dt.date(2023, 2, 6)  # the earthquake, a Monday
FRI = dt.date(2021, 3, 26)  # Suez, a Friday

# (expression, reference, expected iso value, precision)
TABLE = [
    ("on Thursday", THU, "2024-12-05", "day"),
    ("on Wednesday", THU, "2024-12-04", "day"),
    ("Wednesday night", THU, "2024-12-04", "day"),
    ("early Monday", THU, "2024-12-02", "day"),
    ("last Thursday", THU, "2024-11-28", "day"),
    ("next Monday", THU, "2024-12-09", "day"),
    ("on Friday", THU, "2024-11-29", "day"),
    ("today", THU, "2024-12-05", "day"),
    ("yesterday", THU, "2024-12-04", "day"),
    ("tomorrow", THU, "2024-12-06", "day"),
    ("two days ago", THU, "2024-12-03", "day"),
    ("Dec. 4", THU, "2024-12-04", "day"),
    ("November 27", THU, "2024-11-27", "day"),
    ("27 November", THU, "2024-11-27", "day"),
    ("December 25", THU, "2023-12-25", "day"),  # not after publication: last year's
    ("Oct. 7, 2023", THU, "2023-10-07", "day"),
    ("5 December 2024", THU, "2024-12-05", "day"),
    ("2024-12-05", THU, "2024-12-05", "day"),
    ("March 2020", THU, "2020-03", "month"),
    ("in September", THU, "2024-09", "month"),
    ("early March", THU, "2024-03", "month"),
    ("last month", THU, "2024-11", "month"),
    ("this month", THU, "2024-12", "month"),
    ("in 1982", THU, "1982", "year"),
    ("since 2016", THU, "2016-01-01/2024-12-05", "year"),
    ("since March 2020", THU, "2020-03-01/2024-12-05", "month"),
    ("last year", THU, "2023", "year"),
    ("a decade ago", THU, "2014", "year"),
    ("the early 1970s", THU, "1970-01-01/1973-12-31", "decade"),
    ("in the 1990s", THU, "1990-01-01/1999-12-31", "decade"),
    ("last week", THU, "2024-11-25/2024-12-01", "week"),
    ("this week", THU, "2024-12-02/2024-12-08", "week"),
    ("next week", THU, "2024-12-09/2024-12-15", "week"),
    ("the past 24 hours", THU, "2024-12-04/2024-12-05", "day"),
    ("the past two weeks", THU, "2024-11-21/2024-12-05", "day"),
    ("the last three days", THU, "2024-12-02/2024-12-05", "day"),
    ("earlier this year", THU, "2024-01-01/2024-12-05", "day"),
    ("earlier this week", THU, "2024-12-02/2024-12-05", "day"),
    ("over the weekend", THU, "2024-11-30/2024-12-01", "day"),
    ("on Monday", MON, "2023-02-06", "day"),
    ("on Sunday", MON, "2023-02-05", "day"),
    ("last week", MON, "2023-01-30/2023-02-05", "week"),
    ("on Tuesday", FRI, "2021-03-23", "day"),
    ("March 23", FRI, "2021-03-23", "day"),
    ("March 29", FRI, "2020-03-29", "day"),  # after publication, so the year before
    ("three weeks ago", FRI, "2021-03-01/2021-03-07", "week"),
]


@pytest.mark.parametrize(("expression", "reference", "expected", "precision"), TABLE)
def test_resolves(expression: str, reference: dt.date, expected: str, precision: str) -> None:
    value = resolve(expression, reference)
    assert value is not None, expression
    assert (value.iso(), value.precision) == (expected, precision)


def test_table_is_big_enough() -> None:
    assert len(TABLE) >= 40


def test_spans_in_running_text() -> None:
    text = (
        "The rebels launched their offensive on November 27, the same day a ceasefire took "
        "effect. On Wednesday the UN said 115,000 people had fled since last week; in 1982 the "
        "army killed thousands. Shares rose 5% on March 3."
    )
    mentions = find_time_mentions(text, THU)
    found = [(m.text, m.value.iso() if m.value else None) for m in mentions]
    assert found == [
        ("November 27", "2024-11-27"),
        ("On Wednesday", "2024-12-04"),
        ("last week", "2024-11-25/2024-12-01"),
        ("in 1982", "1982"),
        ("March 3", "2024-03-03"),
    ]
    for mention in mentions:
        assert text[mention.start : mention.end] == mention.text


def test_relative_expressions_need_a_reference() -> None:
    assert resolve("on Thursday", None) is None
    assert resolve("in 1982", None) is not None  # absolute: no reference needed
    mentions = find_time_mentions("It happened on Thursday.", None)
    assert [(m.text, m.value) for m in mentions] == [("on Thursday", None)]


@pytest.mark.parametrize(
    "text", ["1500 troops", "a 50-percent raise", "March 20 percent", "May we"]
)
def test_numbers_are_not_dates(text: str) -> None:
    assert find_time_mentions(text, THU) == []


def test_publication_day_inferred_from_the_latest_named_day() -> None:
    from storyline.algorithms.timex import infer_publication_day

    text = "On Dec. 4, officials met. On Dec. 5, the ministry posted a statement. Oct. 7, 2023 ..."
    guess = infer_publication_day(text, context="Photo taken Dec. 4, 2024.")
    assert guess is not None and guess.day == dt.date(2024, 12, 5)
    guess = infer_publication_day(text, year=2024)
    assert guess is not None and guess.day == dt.date(2024, 12, 5)
    assert infer_publication_day("On Thursday the army left.", year=2024) is None
    assert infer_publication_day("On Dec. 5 the army left.") is None  # no year anywhere


def test_month_precise_reference_leaves_day_relative_expressions_unresolved() -> None:
    mentions = find_time_mentions(
        "On Wednesday, a week after November 27.", dt.date(2024, 12, 1), "month"
    )
    values = {m.text: m.value.iso() if m.value else None for m in mentions}
    assert values == {"On Wednesday": None, "November 27": "2024-11-27"}


def test_background_is_history_a_month_or_more_before_publication() -> None:
    from storyline.algorithms.timex import is_background

    assert is_background(resolve("in 1982", THU), THU)  # type: ignore[arg-type]
    assert not is_background(resolve("last week", THU), THU)  # type: ignore[arg-type]
    # A span reaching back years is history even though it runs to now (examples/gold agrees).
    assert is_background(resolve("since 2016", THU), THU)  # type: ignore[arg-type]
    assert not is_background(resolve("the past 24 hours", THU), THU)  # type: ignore[arg-type]
    assert not is_background(resolve("this year", THU), THU)  # type: ignore[arg-type]


DECEMBER_2024 = (dt.date(2024, 12, 1), dt.date(2024, 12, 31))


def test_day_inferred_from_an_earlier_anchor_and_the_reporting_weekday() -> None:
    from storyline.algorithms.timex import infer_publication_day

    text = (
        "The offensive began on November 27. On Wednesday the rebels entered the suburbs. "
        "The army withdrew on Thursday."
    )
    guess = infer_publication_day(text, year=2024, window=DECEMBER_2024)
    assert guess is not None
    assert guess.day == dt.date(2024, 12, 5)  # the first Thursday after Nov. 27 in December
    assert "Thursday after 2024-11-27" in guess.evidence
    # A day the text names inside the window wins over the weekday rule.
    guess = infer_publication_day(text + " On Dec. 9 talks began.", "", 2024, DECEMBER_2024)
    assert guess is not None and guess.day == dt.date(2024, 12, 9)


@pytest.mark.parametrize(
    "text",
    [
        "On Wednesday the rebels entered. The army withdrew on Thursday.",  # no anchor
        "The offensive began on November 27 and the army withdrew.",  # no weekday
        "The offensive began on October 2. The army withdrew on Thursday.",  # anchor too old
    ],
)
def test_no_day_inferred_without_anchor_weekday_or_a_recent_anchor(text: str) -> None:
    from storyline.algorithms.timex import infer_publication_day

    assert infer_publication_day(text, year=2024, window=DECEMBER_2024) is None


def test_reporting_weekday_is_the_one_the_others_precede() -> None:
    from storyline.algorithms.timex import reporting_weekday

    assert reporting_weekday("on Wednesday ... on Thursday ... Wednesday") == 3
    assert reporting_weekday("early Monday ... by Tuesday morning") == 1
    assert reporting_weekday("on Sunday ... on Monday") == 0  # the week wraps
    assert reporting_weekday("no weekday at all") is None


def test_misspelt_month_names_the_pattern_admits_resolve_instead_of_crashing() -> None:
    """Reuters 1987 writes "last Sepember": the pattern reads Sep + ember; it must be
    September, not month 0 (which crashed the extraction stage)."""
    found = find_time_mentions("Talks began last Sepember in Geneva.", dt.date(1987, 3, 1), "day")
    assert [(m.text, m.value.start.month if m.value else None) for m in found] == [
        ("last Sepember", 9)
    ]
