"""Turn a RawDocument into an Article: boilerplate out, metadata recovered and labelled.

Given metadata (JSONL/CSV columns, HTML meta tags, a `date ...` header line) wins over what
is read from the text; whatever is read from the text is marked `inferred`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from storyline.algorithms.dates import DateParseError, parse_date
from storyline.algorithms.timex import infer_publication_day
from storyline.clean.html import extract_html
from storyline.clean.language import detect_language
from storyline.clean.lines import LineBoard, apply_rules, is_teaser
from storyline.clean.outlets import canonical_name, collect_evidence, decide
from storyline.clean.rules import (
    CleaningRules,
    OutletRules,
    load_cleaning_rules,
    load_outlet_rules,
)
from storyline.model import (
    Article,
    Granularity,
    Outlet,
    Part,
    Problem,
    PublishedDate,
    RawDocument,
    Removed,
    article_id,
)

STAGE = "clean"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u200e\u200f\ufeff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_YEAR = re.compile(r"\b((?:19|20)\d{2})\b")
TITLE_MIN_WORDS, TITLE_MAX_WORDS, TITLE_MAX_CHARS = 3, 30, 220


@dataclass(slots=True)
class CleanResult:
    article: Article | None
    problems: list[Problem] = field(default_factory=list)


def normalise_text(text: str) -> str:
    """NFC, one newline convention, no control characters, single spaces inside lines."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = text.replace("\u2029", "\n\n")
    text = _SURROGATE.sub("\ufffd", _CONTROL.sub("", text))
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


class Cleaner:
    """Rule-based cleaner; the rule tables are its whole configuration."""

    def __init__(
        self,
        rules_path: Path | None = None,
        outlets_path: Path | None = None,
        detect_languages: bool = True,
    ) -> None:
        self.rules_path = rules_path
        self.outlets_path = outlets_path
        self.detect_languages = detect_languages
        self._rules: CleaningRules | None = None
        self._outlets: OutletRules | None = None

    @property
    def rules(self) -> CleaningRules:
        if self._rules is None:
            self._rules = load_cleaning_rules(self.rules_path)
        return self._rules

    @property
    def outlet_rules(self) -> OutletRules:
        if self._outlets is None:
            self._outlets = load_outlet_rules(self.outlets_path)
        return self._outlets

    def clean(self, raw: RawDocument) -> CleanResult:
        problems: list[Problem] = []
        given_title, given_outlet = _field(raw.title), _field(raw.outlet)
        url = _field(raw.url)
        byline: str | None = None
        dates: list[PublishedDate] = []
        if raw.published:
            dates.extend(self._date(raw.published, raw.source, False, "given", problems))
        text = raw.text or ""
        if raw.html and not text.strip():
            page = extract_html(raw.html)
            if page is None:
                problems.append(
                    _problem(raw.source, "no-content", "the HTML page has no article text")
                )
                return CleanResult(None, problems)
            text = page.text
            given_title = given_title or page.title
            given_outlet = given_outlet or page.sitename
            url = url or page.url
            byline = page.author
            if page.date:
                evidence = "html metadata" if page.date_from_metadata else "html page text"
                dates.extend(
                    self._date(
                        page.date, raw.source, not page.date_from_metadata, evidence, problems
                    )
                )

        normalised = normalise_text(text)
        board = LineBoard(normalised.split("\n"))
        dates.extend(self._header(board, raw.source, problems))
        title, title_inferred = self._title(board, given_title)
        apply_rules(board, self.rules)
        body = board.kept_text()
        if not body.strip():
            problems.append(
                _problem(
                    raw.source,
                    "empty-after-cleaning",
                    "nothing but boilerplate or metadata is left after cleaning",
                )
            )
            return CleanResult(None, problems)

        # The byline nearest the top is the article's; later ones belong to pasted parts.
        bylines = [value for _, _, group, value in sorted(board.captures) if group == "byline"]
        byline = byline or (bylines[0] if bylines else None)
        dates.extend(self._stamp_dates(board, raw.source))
        if not any(d.granularity is Granularity.DAY for d in dates):
            dates.extend(_day_from_text(body, board, dates))
        if not dates and raw.captured:
            # An archived page's capture day bounds its publication from above; with nothing
            # better it stands in, marked inferred.
            dates.extend(
                self._date(raw.captured, raw.source, True, "archive capture date", problems)
            )
        outlet = self._outlet(given_outlet, normalised, bylines)
        language = (raw.language or "").lower() or None
        if language is None and self.detect_languages:
            language = detect_language(body)
        published = _best_date(dates)
        article = Article(
            id=article_id(body, outlet.name if outlet else None, url),
            source=raw.source,
            input_id=raw.input_id,
            url=url,
            text=body,
            outlet=outlet,
            title=title,
            title_inferred=title_inferred,
            byline=byline,
            language=language,
            published=published,
            removed=tuple(board.removed),
            parts=(Part(start=0, end=len(body), outlet=outlet.name if outlet else None),),
        )
        return CleanResult(article, problems)

    # -- metadata helpers -------------------------------------------------------------

    def _date(
        self,
        value: str,
        source: str,
        inferred: bool,
        evidence: str,
        problems: list[Problem],
    ) -> list[PublishedDate]:
        try:
            day, granularity = parse_date(value)
        except DateParseError as exc:
            problems.append(_problem(source, "bad-date", f"publication date ignored: {exc}"))
            return []
        return [
            PublishedDate(value=day, granularity=granularity, inferred=inferred, evidence=evidence)
        ]

    def _header(
        self, board: LineBoard, source: str, problems: list[Problem]
    ) -> list[PublishedDate]:
        """A `date ...` first line: the date is metadata, the rest of the line is story text."""
        first = next((i for i, line in enumerate(board.lines) if line), None)
        if first is None:
            return []
        for rule in self.rules.headers:
            match = rule.pattern.match(board.lines[first])
            if not match:
                continue
            found = self._date(match.group("date"), source, False, "date line", problems)
            rest = (match.groupdict().get("rest") or "").strip()
            board.removed.append(
                _removed(rule.kind, board.lines[first][: len(board.lines[first]) - len(rest)])
            )
            board.lines[first] = rest
            return found
        return []

    def _title(self, board: LineBoard, given: str | None) -> tuple[str | None, bool]:
        """The given title, else a headline-shaped first line; repeats of it are removed."""
        title = " ".join(given.split()) if given else None
        inferred = False
        if title is None and not any(r.kind == "date-line" for r in board.removed):
            indices = board.non_blank()
            first = board.lines[indices[0]] if indices else ""
            if len(indices) >= 2 and _looks_like_title(first) and not self._is_boilerplate(first):
                title, inferred = board.lines[indices[0]], True
        if title:
            key = title.casefold()
            for index, line in enumerate(board.lines):
                if line and line.casefold() == key:
                    kind = "title" if board.removed_kind.count("title") == 0 else "repeated title"
                    board.remove(index, kind)
        return title, inferred

    def _is_boilerplate(self, line: str) -> bool:
        return any(
            rule.where == "anywhere" and rule.pattern.search(line) for rule in self.rules.lines
        )

    def _stamp_dates(self, board: LineBoard, source: str) -> list[PublishedDate]:
        found: list[PublishedDate] = []
        for _, kind, group, value in sorted(board.captures):
            if group == "date":
                found.extend(self._date(value, source, True, f"{kind} line", []))
        for item in board.removed:
            if item.kind == "copyright":
                year = _YEAR.search(item.text)
                if year:
                    found.append(
                        PublishedDate.from_iso(
                            year.group(1), inferred=True, evidence="copyright year"
                        )
                    )
        return found

    def _outlet(self, given: str | None, raw_text: str, bylines: list[str]) -> Outlet | None:
        if given:
            name = canonical_name(given, self.outlet_rules)
            return Outlet(name=name, inferred=False, evidence="given")
        return decide(collect_evidence(raw_text, bylines, self.outlet_rules))


def _field(value: str | None) -> str | None:
    """A metadata value made safe to store: no control characters or lone surrogates."""
    if value is None:
        return None
    cleaned = " ".join(normalise_text(value).split())
    return cleaned or None


def _looks_like_title(line: str) -> bool:
    words = line.split()
    return (
        TITLE_MIN_WORDS <= len(words) <= TITLE_MAX_WORDS
        and len(line) <= TITLE_MAX_CHARS
        and (is_teaser(line) or line.endswith("?"))
        and not line.startswith(("(", "-", "•", "©"))
    )


def _day_from_text(body: str, board: LineBoard, dates: list[PublishedDate]) -> list[PublishedDate]:
    """No day-precise date given: a day the text itself points to (see
    `infer_publication_day`), inside the narrowest month or year other evidence gives."""
    known_years = {d.value.year for d in dates}
    year = known_years.pop() if len(known_years) == 1 else None
    months = [d for d in dates if d.granularity is Granularity.MONTH]
    window = None
    if months:
        first = months[0].value
        window = (first, first.replace(day=calendar.monthrange(first.year, first.month)[1]))
    removed = "\n".join(r.text for r in board.removed)
    guess = infer_publication_day(body, removed, year, window)
    if guess is None:
        return []
    return [
        PublishedDate(
            value=guess.day, granularity=Granularity.DAY, inferred=True, evidence=guess.evidence
        )
    ]


def _best_date(dates: list[PublishedDate]) -> PublishedDate | None:
    """Given beats inferred; among equals, the most precise; otherwise the first found. An
    inferred day inside a given month or year refines it (kept inferred, both reasons shown)."""
    if not dates:
        return None
    precision = {"day": 0, "month": 1, "year": 2}
    best = min(
        enumerate(dates),
        key=lambda pair: (pair[1].inferred, precision[pair[1].granularity.value], pair[0]),
    )[1]
    if best.granularity is Granularity.DAY:
        return best
    for date in dates:
        if date.granularity is Granularity.DAY and _within(date.value, best):
            evidence = f"{date.evidence}, inside {best.iso()} ({best.evidence})"
            return PublishedDate(
                value=date.value, granularity=Granularity.DAY, inferred=True, evidence=evidence
            )
    return best


def _within(day: dt.date, period: PublishedDate) -> bool:
    if period.granularity is Granularity.MONTH:
        return (day.year, day.month) == (period.value.year, period.value.month)
    return day.year == period.value.year


def _problem(item: str, code: str, message: str) -> Problem:
    return Problem(stage=STAGE, item=item, code=code, message=f"{item}: {message}")


def _removed(kind: str, text: str) -> Removed:
    return Removed(kind=kind, text=text.strip())


__all__ = ["CleanResult", "Cleaner", "normalise_text"]
