"""Parse a date written by a person or a feed into a real date plus its granularity."""

from __future__ import annotations

import datetime as dt
import re

from dateutil import parser as dateutil_parser

from storyline.model import Granularity

_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ].*)?$")
_HAS_DAY_NUMBER = re.compile(r"\b\d{1,2}(st|nd|rd|th)?\b")
# Two far-apart defaults: a field that differs between the two parses was not in the text.
_DEFAULT_A = dt.datetime(1901, 1, 1)
_DEFAULT_B = dt.datetime(1902, 2, 2)
# Dates outside this window are almost always typos or placeholders ("0001-01-01", "2050").
EARLIEST_YEAR = 1800
LATEST_YEAR_AHEAD = 1


class DateParseError(ValueError):
    """The string is not a date we can trust; the message says why."""


def parse_date(text: str, *, today: dt.date | None = None) -> tuple[dt.date, Granularity]:
    """Return the date and how precise it is; raise DateParseError for anything doubtful."""
    cleaned = text.strip().strip(".,;")
    if not cleaned:
        raise DateParseError("empty date")
    iso = _ISO.match(cleaned)
    if iso:
        year, month, day = iso.group(1), iso.group(2), iso.group(3)
        try:
            if day:
                value, granularity = dt.date(int(year), int(month), int(day)), Granularity.DAY
            elif month:
                value, granularity = dt.date(int(year), int(month), 1), Granularity.MONTH
            else:
                value, granularity = dt.date(int(year), 1, 1), Granularity.YEAR
        except ValueError as exc:
            raise DateParseError(f"{cleaned!r} is not a calendar date ({exc})") from exc
        return _checked(value, granularity, cleaned, today)
    return _parse_free_form(cleaned, today)


def _parse_free_form(text: str, today: dt.date | None) -> tuple[dt.date, Granularity]:
    if not re.search(r"\d", text):
        raise DateParseError(f"{text!r} has no digits, so no year or day can be read")
    try:
        first = dateutil_parser.parse(text, default=_DEFAULT_A, fuzzy=False, ignoretz=True)
        second = dateutil_parser.parse(text, default=_DEFAULT_B, fuzzy=False, ignoretz=True)
    except (ValueError, OverflowError) as exc:
        raise DateParseError(f"{text!r} is not a date dateutil can read ({exc})") from exc
    if first.year != second.year:
        raise DateParseError(f"{text!r} has no year")
    if first.month != second.month:
        return _checked(dt.date(first.year, 1, 1), Granularity.YEAR, text, today)
    if first.day != second.day:
        return _checked(dt.date(first.year, first.month, 1), Granularity.MONTH, text, today)
    return _checked(first.date(), Granularity.DAY, text, today)


def _checked(
    value: dt.date, granularity: Granularity, text: str, today: dt.date | None
) -> tuple[dt.date, Granularity]:
    latest = (today or dt.date.today()).year + LATEST_YEAR_AHEAD
    if not EARLIEST_YEAR <= value.year <= latest:
        raise DateParseError(
            f"{text!r} gives year {value.year}, outside {EARLIEST_YEAR}-{latest}; "
            "treating it as a placeholder, not a date"
        )
    return value, granularity
