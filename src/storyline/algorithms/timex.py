"""Time expressions in news text, resolved against the publication date.

"on Thursday", "last week", "Dec. 4", "November 27", "in 1982", "since March 2020", "the past 24
hours": each becomes an interval of dates (inclusive) with the precision the text gives. News
reports the past, so an expression without a year (a weekday, a month and day) resolves to the
latest matching date not after publication.

Rule-based on purpose: MODELS.md measured the packaged alternatives (recognizers-text 11/12,
dateparser 5/12, ctparse 2/12) and this module must also say *where* each expression is, as
spans into the article text.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

Precision = Literal["day", "week", "month", "year", "decade"]

_MONTHS = {
    name: number
    for number in range(1, 13)
    for name in {
        calendar.month_name[number].lower(),
        calendar.month_abbr[number].lower(),
        calendar.month_abbr[number].lower() + ".",
    }
}
_MONTHS["sept"] = _MONTHS["sept."] = 9
_WEEKDAYS = {calendar.day_name[i].lower(): i for i in range(7)}
_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "several": 3, "few": 3, "a few": 3,
}  # fmt: skip

MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
YEAR = r"(?P<year>1[6-9]\d\d|20\d\d)"
WEEKDAY = r"(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
PART = r"(?:\s+(?:morning|afternoon|evening|night))?"
COUNT = (
    r"(?P<count>\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    r"|several|a few|few)"
)
UNIT = r"(?P<unit>hour|day|week|month|year|decade)s?"


@dataclass(frozen=True, slots=True)
class TimeValue:
    start: dt.date
    end: dt.date  # inclusive
    precision: Precision

    def iso(self) -> str:
        if self.precision == "day" and self.start == self.end:
            return self.start.isoformat()
        if self.precision == "month" and self.start.day == 1 and self.end == _month_end(self.start):
            return f"{self.start.year:04d}-{self.start.month:02d}"
        if (
            self.precision == "year"
            and self.start.timetuple().tm_yday == 1
            and self.start.year == self.end.year
        ):
            return f"{self.start.year:04d}"
        return f"{self.start.isoformat()}/{self.end.isoformat()}"


BACKGROUND_DAYS = 31  # a reference ending a month or more before publication is history
LONG_SPAN_DAYS = 366  # ... and so is one reaching back over a year ("since 1977")


def is_background(value: TimeValue, published: dt.date) -> bool:
    """History ("in 1982", "since 2016") rather than the news itself ("on Wednesday", "this
    year"). Evaluated on examples/gold (python -m storyline.evaluation.example_gold)."""
    ended_long_ago = (published - value.end).days > BACKGROUND_DAYS
    reaches_far_back = (published - value.start).days > LONG_SPAN_DAYS
    return ended_long_ago or reaches_far_back


@dataclass(frozen=True, slots=True)
class TimeMention:
    start: int
    end: int
    text: str
    value: TimeValue | None  # None when the expression needs a reference date and has none


def _month_end(day: dt.date) -> dt.date:
    return dt.date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])


def _day(day: dt.date) -> TimeValue:
    return TimeValue(day, day, "day")


def _month(year: int, month: int) -> TimeValue:
    first = dt.date(year, month, 1)
    return TimeValue(first, _month_end(first), "month")


def _year(year: int) -> TimeValue:
    return TimeValue(dt.date(year, 1, 1), dt.date(year, 12, 31), "year")


def _week_of(day: dt.date) -> TimeValue:
    monday = day - dt.timedelta(days=day.weekday())
    return TimeValue(monday, monday + dt.timedelta(days=6), "week")


def _latest_month_day(month: int, day: int, ref: dt.date) -> dt.date | None:
    for year in (ref.year, ref.year - 1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        if candidate <= ref:
            return candidate
    return None


def _shift_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _count(text: str) -> int:
    return int(text) if text.isdigit() else _NUMBERS[text.lower()]


def _ago(count: int, unit: str, ref: dt.date) -> TimeValue:
    if unit == "day":
        return _day(ref - dt.timedelta(days=count))
    if unit == "week":
        return _week_of(ref - dt.timedelta(weeks=count))
    if unit == "month":
        shifted = _shift_months(ref, -count)
        return _month(shifted.year, shifted.month)
    if unit == "decade":
        return _year(ref.year - 10 * count)
    return _year(ref.year - count)


def _span_back(count: int, unit: str, ref: dt.date) -> TimeValue:
    """ "the past N units": from N units before publication up to publication."""
    if unit == "hour":
        return TimeValue(ref - dt.timedelta(days=max(1, -(-count // 24))), ref, "day")
    if unit == "day":
        start = ref - dt.timedelta(days=count)
    elif unit == "week":
        start = ref - dt.timedelta(weeks=count)
    elif unit == "month":
        start = _shift_months(ref, -count)
    elif unit == "decade":
        start = dt.date(ref.year - 10 * count, ref.month, min(ref.day, 28))
    else:
        start = dt.date(ref.year - count, ref.month, min(ref.day, 28))
    return TimeValue(start, ref, "day")


def _relative_period(which: str, unit: str, ref: dt.date) -> TimeValue:
    step = {"last": -1, "past": -1, "previous": -1, "this": 0, "next": 1, "coming": 1}[which]
    if unit == "week":
        return _week_of(ref + dt.timedelta(weeks=step))
    if unit == "month":
        shifted = _shift_months(ref.replace(day=1), step)
        return _month(shifted.year, shifted.month)
    if unit == "weekend":
        saturday = ref - dt.timedelta(days=(ref.weekday() - 5) % 7)
        if step == 0 and ref.weekday() < 5:
            saturday = ref + dt.timedelta(days=5 - ref.weekday())
        saturday += dt.timedelta(weeks=step if step > 0 else 0)
        return TimeValue(saturday, saturday + dt.timedelta(days=1), "day")
    return _year(ref.year + step)


Resolver = Callable[[re.Match[str], dt.date | None], TimeValue | None]


def _needs_ref(func: Callable[[re.Match[str], dt.date], TimeValue | None]) -> Resolver:
    def wrapped(match: re.Match[str], ref: dt.date | None) -> TimeValue | None:
        return None if ref is None else func(match, ref)

    return wrapped


_DAY_RELATIVE: set[Resolver] = set()


def _needs_day(func: Callable[[re.Match[str], dt.date], TimeValue | None]) -> Resolver:
    """Relative to the publication *day* ("on Wednesday", "last week"): unresolvable when the
    article is dated only to the month or year, rather than resolved wrongly."""
    wrapped = _needs_ref(func)
    _DAY_RELATIVE.add(wrapped)
    return wrapped


def _weekday(match: re.Match[str], ref: dt.date) -> TimeValue:
    target = _WEEKDAYS[match.group("weekday").lower()]
    back = (ref.weekday() - target) % 7
    modifier = (match.groupdict().get("mod") or "").lower()
    if modifier == "last" and back == 0:
        back = 7
    if modifier == "next":
        return _day(ref + dt.timedelta(days=(target - ref.weekday()) % 7 or 7))
    return _day(ref - dt.timedelta(days=back))


def _month_day(match: re.Match[str], ref: dt.date) -> TimeValue | None:
    found = _latest_month_day(_month_number(match), int(match.group("day")), ref)
    return _day(found) if found else None


def _bare_month(match: re.Match[str], ref: dt.date) -> TimeValue:
    month = _month_number(match)
    year = ref.year if month <= ref.month else ref.year - 1
    return _month(year, month)


def _full_date(match: re.Match[str], _ref: dt.date | None) -> TimeValue | None:
    try:
        return _day(
            dt.date(int(match.group("year")), _month_number(match), int(match.group("day")))
        )
    except ValueError:
        return None


def _month_number(match: re.Match[str]) -> int:
    """1-12; the pattern also admits spellings like "Sepember" (Sep + ember), read by their
    first three letters, which always name one month."""
    name = match.group("month").lower().rstrip(".")
    return _MONTHS.get(name) or _MONTHS[name[:3]]


def _since(match: re.Match[str], ref: dt.date | None) -> TimeValue | None:
    text = match.group("inner")
    inner = _year(int(text)) if text.isdigit() else resolve(text, ref)
    if inner is None or ref is None:
        return inner
    return TimeValue(inner.start, ref, inner.precision)


def _iso(match: re.Match[str], _ref: dt.date | None) -> TimeValue | None:
    year, month, day = (int(match.group(g)) for g in ("year", "m", "day"))
    return _safe(lambda: _day(dt.date(year, month, day)))


def _month_year(match: re.Match[str], _ref: dt.date | None) -> TimeValue:
    return _month(int(match.group("year")), _month_number(match))


def _in_year(match: re.Match[str], _ref: dt.date | None) -> TimeValue:
    return _year(int(match.group("year")))


def _decade_match(match: re.Match[str], _ref: dt.date | None) -> TimeValue:
    return _decade(match)


def _past_span(match: re.Match[str], ref: dt.date) -> TimeValue:
    return _span_back(_count(match.group("count")), match.group("unit").lower(), ref)


def _units_ago(match: re.Match[str], ref: dt.date) -> TimeValue:
    return _ago(_count(match.group("count")), match.group("unit").lower(), ref)


def _period(match: re.Match[str], ref: dt.date) -> TimeValue:
    return _relative_period(match.group("which").lower(), match.group("unit").lower(), ref)


def _weekend(_match: re.Match[str], ref: dt.date) -> TimeValue:
    return _relative_period("last", "weekend", ref)


def _earlier(match: re.Match[str], ref: dt.date) -> TimeValue:
    return _earlier_this(match.group("unit").lower(), ref)


_DAY_WORDS = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}


def _day_word(match: re.Match[str], ref: dt.date) -> TimeValue:
    return _day(ref + dt.timedelta(days=_DAY_WORDS[match.group("word").lower()]))


def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile("".join(parts), re.IGNORECASE)


_ANY_MONTH = MONTH.replace("?P<month>", "?:")
_ANY_YEAR = r"(?:1[6-9]\d\d|20\d\d)"
_NOT_PERCENT = r"(?!\s*(?:%|percent|per cent))"
_YEAR_PREPOSITION = r"\b(?:in|since|by|until|before|after|of|from|during|through)\s+"
_MONTH_PREFIX = r"\b(?:in|since|by|until|during|through|early|late|mid|last|this)[- ]+"

# Where two patterns overlap, the leftmost, then the longest match wins (find_time_mentions).
_PATTERNS: list[tuple[re.Pattern[str], Resolver]] = [
    (_rx(r"\b(?:since|from)\s+(?P<inner>(?:", _ANY_MONTH, r"\s+)?", _ANY_YEAR, r")\b"), _since),
    (_rx(r"\b(?P<year>\d{4})-(?P<m>\d{2})-(?P<day>\d{2})\b"), _iso),
    (_rx(r"\b", MONTH, r"\s+", DAY, r",?\s+", YEAR, r"\b"), _full_date),
    (_rx(r"\b", DAY, r"\s+(?:of\s+)?", MONTH, r",?\s+", YEAR, r"\b"), _full_date),
    (_rx(r"\b", MONTH, r"\s+(?:of\s+)?", YEAR, r"\b"), _month_year),
    (_rx(r"\b", MONTH, r"\s+", DAY, r"\b", _NOT_PERCENT), _needs_ref(_month_day)),
    (_rx(r"\b", DAY, r"\s+(?:of\s+)?", MONTH, r"\b"), _needs_ref(_month_day)),
    (_rx(_MONTH_PREFIX, MONTH, r"\b(?!\s*\d)"), _needs_ref(_bare_month)),
    (
        _rx(r"\b(?:the\s+)?(?:(?P<part>early|mid|late)[- ])?(?P<decade>1[6-9]\d0|20\d0)s\b"),
        _decade_match,
    ),
    (_rx(_YEAR_PREPOSITION, YEAR, r"\b"), _in_year),
    (
        _rx(r"\b(?:the\s+)?(?:past|last|previous)\s+", COUNT, r"\s+", UNIT, r"\b"),
        _needs_day(_past_span),
    ),
    (_rx(r"\b", COUNT, r"\s+", UNIT, r"\s+ago\b"), _needs_day(_units_ago)),
    (
        _rx(
            r"\b(?P<which>last|past|previous|this|next|coming)\s+(?P<unit>week|month|year|weekend)\b"
        ),
        _needs_day(_period),
    ),
    (_rx(r"\b(?:over\s+)?the\s+weekend\b"), _needs_day(_weekend)),
    (_rx(r"\bearlier\s+this\s+(?P<unit>week|month|year)\b"), _needs_day(_earlier)),
    (
        _rx(r"\b(?:(?P<mod>last|next|this)\s+|(?:on|early|late)\s+)?", WEEKDAY, PART, r"\b"),
        _needs_day(_weekday),
    ),
    (_rx(r"\b(?P<word>today|tonight|yesterday|tomorrow)\b"), _needs_day(_day_word)),
]


def _safe(make: Callable[[], TimeValue]) -> TimeValue | None:
    try:
        return make()
    except ValueError:
        return None


def _decade(match: re.Match[str]) -> TimeValue:
    first = int(match.group("decade"))
    part = (match.group("part") or "").lower()
    start, end = {"early": (0, 3), "mid": (3, 6), "late": (6, 9)}.get(part, (0, 9))
    return TimeValue(dt.date(first + start, 1, 1), dt.date(first + end, 12, 31), "decade")


def _earlier_this(unit: str, ref: dt.date) -> TimeValue:
    start = {"week": ref - dt.timedelta(days=ref.weekday()), "month": ref.replace(day=1)}.get(
        unit, ref.replace(month=1, day=1)
    )
    return TimeValue(start, ref, "day")


def find_time_mentions(
    text: str, reference: dt.date | None, reference_precision: Precision = "day"
) -> list[TimeMention]:
    """Every time expression in the text, as non-overlapping spans, resolved if possible.

    With a month- or year-precise reference (an article dated "2024-12"), expressions
    relative to the day stay unresolved; month-days resolve against the period's last day.
    """
    day_ok = reference_precision == "day"
    if reference is not None and reference_precision == "month":
        reference = _month_end(reference)
    elif reference is not None and reference_precision == "year":
        reference = dt.date(reference.year, 12, 31)
    candidates = [
        (match.start(), -(match.end() - match.start()), order, match, resolver)
        for order, (pattern, resolver) in enumerate(_PATTERNS)
        for match in pattern.finditer(text)
    ]
    found: list[TimeMention] = []
    taken_until = -1
    for start, _, _, match, resolver in sorted(candidates, key=lambda c: c[:3]):
        if start < taken_until:
            continue  # leftmost-longest: an expression inside a longer one is not separate
        taken_until = match.end()
        value = resolver(match, reference) if day_ok or resolver not in _DAY_RELATIVE else None
        found.append(TimeMention(start, match.end(), match.group(0), value))
    return found


def resolve(expression: str, reference: dt.date | None) -> TimeValue | None:
    """The value of one expression (the first one found in it), or None."""
    mentions = find_time_mentions(expression, reference)
    return mentions[0].value if mentions else None


_FULL_DATE = re.compile(r"\b" + MONTH + r"\s+" + DAY + r",?\s+" + YEAR + r"\b", re.IGNORECASE)
_MONTH_DAY = re.compile(r"\b" + MONTH + r"\s+" + DAY + r"\b" + _NOT_PERCENT, re.IGNORECASE)
_YEAR_ANYWHERE = re.compile(r"\b(?:19[5-9]\d|20\d\d)\b")


ANCHOR_WINDOW_DAYS = 14  # news names recent dates: publication within two weeks of the latest
_WEEKDAY_WORD = re.compile(r"\b" + WEEKDAY + r"\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class DayGuess:
    """A publication day read from an article's own text, with the reasoning shown to users."""

    day: dt.date
    evidence: str


def named_days(text: str, context: str = "", year: int | None = None) -> list[dt.date]:
    """Every calendar day the text names: full dates, and month-days in `year` or else the
    latest year the article mentions (in `text` or `context`, e.g. removed captions)."""
    days: list[dt.date] = []
    for match in _FULL_DATE.finditer(text):
        value = _full_date(match, None)
        if value is not None:
            days.append(value.start)
    years = [int(y) for y in _YEAR_ANYWHERE.findall(text + "\n" + context)]
    anchor_year = year or (max(years) if years else None)
    if anchor_year is not None:
        for match in _MONTH_DAY.finditer(text):
            if _FULL_DATE.match(text, match.start()):
                continue
            try:
                days.append(dt.date(anchor_year, _month_number(match), int(match.group("day"))))
            except ValueError:
                continue  # "Feb. 30"
    return days


def reporting_weekday(text: str) -> int | None:
    """The weekday the article most likely reports from (0 = Monday): the named weekday that
    the others precede most closely ("on Wednesday ... on Thursday" -> Thursday). None when no
    weekday is named or two fit equally well."""
    named = {_WEEKDAYS[m.group("weekday").lower()] for m in _WEEKDAY_WORD.finditer(text)}
    if not named:
        return None
    spread = {day: sum((day - other) % 7 for other in named) for day in named}
    best = min(spread.values())
    winners = [day for day, value in spread.items() if value == best]
    return winners[0] if len(winners) == 1 else None


def infer_publication_day(
    text: str,
    context: str = "",
    year: int | None = None,
    window: tuple[dt.date, dt.date] | None = None,
) -> DayGuess | None:
    """A stand-in for a missing publication day, from the article's own text.

    1. The latest day the text names inside `window` (the month or year the article is known
       to belong to): "On Dec. 5, the ministry posted ..." -> Dec. 5.
    2. Otherwise, when the text names an earlier day (the anchor) and weekdays: the one day in
       the window, within ANCHOR_WINDOW_DAYS after the anchor, that falls on the weekday the
       article reports from ("offensive launched on November 27", "on Wednesday", "on
       Thursday", dated December -> Thursday Dec. 5). Ambiguous cases give None.
    """
    days = named_days(text, context, year)
    if window is None and year is not None:
        window = (dt.date(year, 1, 1), dt.date(year, 12, 31))
    lo, hi = window if window else (dt.date.min, dt.date.max)
    inside = [d for d in days if lo <= d <= hi]
    if inside:
        return DayGuess(max(inside), "latest day in text")
    before = [d for d in days if d < lo]
    weekday = reporting_weekday(text)
    if window is None or not before or weekday is None:
        return None
    anchor = max(before)
    last = min(hi, anchor + dt.timedelta(days=ANCHOR_WINDOW_DAYS))
    candidates = [
        lo + dt.timedelta(days=i)
        for i in range((last - lo).days + 1)
        if (lo + dt.timedelta(days=i)).weekday() == weekday
    ]
    if len(candidates) != 1:
        return None
    name = calendar.day_name[weekday]
    return DayGuess(candidates[0], f"first {name} after {anchor.isoformat()} (named in text)")
