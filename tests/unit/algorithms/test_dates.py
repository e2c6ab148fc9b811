from __future__ import annotations

import datetime as dt

import pytest

from storyline.algorithms.dates import DateParseError, parse_date
from storyline.model import Granularity


@pytest.mark.parametrize(
    ("text", "value", "granularity"),
    [
        ("2024-12-05", dt.date(2024, 12, 5), Granularity.DAY),
        ("2024-12", dt.date(2024, 12, 1), Granularity.MONTH),
        ("2024", dt.date(2024, 1, 1), Granularity.YEAR),
        ("2024-12-05T10:00:00Z", dt.date(2024, 12, 5), Granularity.DAY),
        ("December 5, 2024", dt.date(2024, 12, 5), Granularity.DAY),
        ("5 Dec 2024 10:00 GMT", dt.date(2024, 12, 5), Granularity.DAY),
        ("March 26, 2024 3:05 PM EDT", dt.date(2024, 3, 26), Granularity.DAY),
        ("Dec. 2024", dt.date(2024, 12, 1), Granularity.MONTH),
    ],
)
def test_parses_with_granularity(text: str, value: dt.date, granularity: Granularity) -> None:
    assert parse_date(text) == (value, granularity)


@pytest.mark.parametrize(
    "text", ["", "garbage", "2024-13-40", "0001-01-01", "2050-01-01", "March 5", "32/13/2024"]
)
def test_rejects_doubtful_dates(text: str) -> None:
    with pytest.raises(DateParseError):
        parse_date(text, today=dt.date(2026, 11, 21))
