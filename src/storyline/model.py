"""The data model: one immutable cleaned text per article, everything else a span into it.

Ids are content hashes, so ingesting the same input twice produces the same records and the
store can upsert instead of duplicating.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum


class Granularity(StrEnum):
    """How precise a date is: '2024-12-05' is a day, '2024-12' a month, '2024' a year."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"


@dataclass(frozen=True, slots=True, kw_only=True)
class PublishedDate:
    """A real date plus how much of it is known; `value` is the first day of the period."""

    value: dt.date
    granularity: Granularity
    inferred: bool
    evidence: str = ""

    def iso(self) -> str:
        if self.granularity is Granularity.DAY:
            return self.value.isoformat()
        if self.granularity is Granularity.MONTH:
            return f"{self.value.year:04d}-{self.value.month:02d}"
        return f"{self.value.year:04d}"

    @classmethod
    def from_iso(cls, text: str, *, inferred: bool, evidence: str = "") -> PublishedDate:
        """Inverse of `iso()`; used when reading records back from the store."""
        parts = text.split("-")
        if len(parts) == 3:
            return cls(
                value=dt.date.fromisoformat(text),
                granularity=Granularity.DAY,
                inferred=inferred,
                evidence=evidence,
            )
        if len(parts) == 2:
            return cls(
                value=dt.date(int(parts[0]), int(parts[1]), 1),
                granularity=Granularity.MONTH,
                inferred=inferred,
                evidence=evidence,
            )
        return cls(
            value=dt.date(int(parts[0]), 1, 1),
            granularity=Granularity.YEAR,
            inferred=inferred,
            evidence=evidence,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Outlet:
    """Who published an article; `inferred` is True when read from the text, not given."""

    name: str
    inferred: bool
    evidence: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Problem:
    """An expected per-item failure: counted and shown, never fatal to the batch."""

    stage: str
    item: str
    code: str
    message: str

    @property
    def id(self) -> str:
        return content_id(self.stage, self.item, self.code, self.message)


@dataclass(frozen=True, slots=True, kw_only=True)
class RawDocument:
    """What a reader produced from one input item, before cleaning.

    `text` or `html` holds the content; the other fields are metadata the input *gave*
    (JSONL/CSV columns), so they are never marked as inferred.
    """

    source: str
    text: str | None = None
    html: str | None = None
    input_id: str | None = None
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: str | None = None
    language: str | None = None
    captured: str | None = None  # when an archive saw the page (WARC-Date): a last-resort date


@dataclass(frozen=True, slots=True, kw_only=True)
class Removed:
    """A piece of the input the cleaner took out, kept so the user can audit the cleaning."""

    kind: str
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Part:
    """A contiguous region of an article attributed to one outlet (composites have several)."""

    start: int
    end: int
    outlet: str | None
    duplicate_of: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Article:
    """A cleaned article. `text` never changes after cleaning; all offsets point into it."""

    id: str
    source: str
    text: str
    input_id: str | None = None
    url: str | None = None
    outlet: Outlet | None = None
    title: str | None = None
    title_inferred: bool = False
    byline: str | None = None
    language: str | None = None
    published: PublishedDate | None = None
    removed: tuple[Removed, ...] = ()
    parts: tuple[Part, ...] = field(default=())

    @property
    def text_hash(self) -> str:
        """Hash of the normalised text: equal for exact duplicates whatever their metadata."""
        return content_id(normalise_for_hash(self.text))

    def span(self, start: int, end: int) -> Span:
        """A span into this article; raises if the offsets fall outside the text."""
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(
                f"span {start}:{end} lies outside article {self.id} (length {len(self.text)})"
            )
        return Span(article_id=self.id, start=start, end=end, text=self.text[start:end])


@dataclass(frozen=True, slots=True, kw_only=True)
class Span:
    """A piece of an article's text; invariant: article.text[start:end] == text."""

    article_id: str
    start: int
    end: int
    text: str

    def holds_for(self, article: Article) -> bool:
        return article.id == self.article_id and article.text[self.start : self.end] == self.text


def normalise_for_hash(text: str) -> str:
    """Unicode-compose, casefold and collapse whitespace, so trivial variants hash alike."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def content_id(*parts: str, length: int = 16) -> str:
    """A short stable id from content: sha256 of the parts joined by a separator byte."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return digest[:length]


def article_id(text: str, outlet: str | None, url: str | None) -> str:
    """An article is its text as published by one outlet at one address.

    The same text under two outlets (a wire copy) stays two articles, so later stages can
    record who carried it; the same file ingested twice maps to one id.
    """
    return content_id(normalise_for_hash(text), (outlet or "").casefold(), url or "")
