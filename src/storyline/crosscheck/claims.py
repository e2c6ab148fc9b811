"""Claims: the checkable statements of a source, each a citable span with its attribution.

A claim is a sentence, or a clause of one where a semicolon joins two statements. It carries
what extraction found inside it (entities, places, resolved times, quantities) and who says it:
the outlet in its own voice, or the speaker of a quote or reported statement it holds.
A claim whose time references all point a month or more before publication is background.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import syntok.segmenter as segmenter

from storyline.crosscheck.material import EntityMention, Source
from storyline.model import content_id

MIN_WORDS = 4  # shorter pieces are headings, datelines or captions, not statements
_CLAUSE_BREAK = re.compile(r";\s+")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True, kw_only=True)
class Claim:
    id: str
    article_id: str
    start: int
    end: int
    text: str
    outlet: str
    carried_by: tuple[str, ...]
    speaker: str | None  # None: the outlet's own voice
    direct: bool  # a verbatim quote
    mentions: tuple[EntityMention, ...]
    times: tuple[dict[str, Any], ...]
    quantities: tuple[dict[str, Any], ...]
    background: bool

    @property
    def entity_ids(self) -> frozenset[str]:
        return frozenset(m.entity_id for m in self.mentions)

    @property
    def place_ids(self) -> frozenset[str]:
        return frozenset(m.entity_id for m in self.mentions if m.place)

    def span(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "start": self.start,
            "end": self.end,
            "text": self.text,
        }


def sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of each sentence of text[start:end], in article offsets (syntok)."""
    spans = []
    for line in re.finditer(r"[^\n]+", text[start:end]):  # a line break always ends a sentence
        base = start + line.start()
        for paragraph in segmenter.analyze(line.group()):
            for sentence in paragraph:
                if not sentence:
                    continue
                first, last = sentence[0], sentence[-1]
                s, e = first.offset, last.offset + len(last.value)
                spans.append((base + s, base + e))
    return spans


def _clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    pieces: list[tuple[int, int]] = []
    cursor = start
    for match in _CLAUSE_BREAK.finditer(text, start, end):
        pieces.append((cursor, match.start() + 1))  # the semicolon stays with the left clause
        cursor = match.end()
    pieces.append((cursor, end))
    if any(len(_WORD.findall(text[s:e])) < MIN_WORDS for s, e in pieces):
        return [(start, end)]
    return pieces


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _overlaps(record: dict[str, Any], start: int, end: int) -> bool:
    return bool(int(record["start"]) < end and start < int(record["end"]))


def _speaker(source: Source, start: int, end: int) -> tuple[str | None, bool]:
    """The speaker of the quote or reported statement this claim holds, if any."""
    for quote in source.quotes:
        if _overlaps(quote, start, end) and quote.get("speaker"):
            return str(quote["speaker"]), bool(quote.get("direct"))
    return None, False


def claims_of(source: Source) -> list[Claim]:
    claims = []
    text = source.text
    for s_start, s_end in sentence_spans(text, source.start, source.end):
        for c_start, c_end in _clauses(text, s_start, s_end):
            c_start, c_end = _trim(text, c_start, c_end)
            piece = text[c_start:c_end]
            if len(_WORD.findall(piece)) < MIN_WORDS:
                continue
            times = tuple(t for t in source.times if _overlaps(t, c_start, c_end))
            speaker, direct = _speaker(source, c_start, c_end)
            claims.append(
                Claim(
                    id=content_id(source.article_id, str(c_start), str(c_end)),
                    article_id=source.article_id,
                    start=c_start,
                    end=c_end,
                    text=piece,
                    outlet=source.outlet,
                    carried_by=source.carried_by or (source.outlet,),
                    speaker=speaker,
                    direct=direct,
                    mentions=tuple(
                        m for m in source.mentions if c_start <= m.start and m.end <= c_end
                    ),
                    times=times,
                    quantities=tuple(
                        q for q in source.quantities if c_start <= q["start"] and q["end"] <= c_end
                    ),
                    background=bool(times) and all(t.get("background") for t in times),
                )
            )
    return claims
