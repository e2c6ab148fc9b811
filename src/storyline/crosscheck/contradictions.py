"""Typed contradictions between the sources of one story, each citing both spans and saying why.

Kinds: numeric (units normalised, approximators and ranges respected), ranking (the same
entity ranked differently on one scale), place (one event put in different places), time (one
event on different days), attribution (one statement credited to different bodies) and
negation (the same statement, once negated). A numeric pair whose wordings can both be true
but differ ("727" and "at least 700") is reported as compatible: it differs in precision.

Rules compare only values whose subject they could tell (what a length measures, which entity
a ranking is about, which event a place or day belongs to), and only across independent
sources. No model is needed; the embedding similarity of the two claims is used to tell
whether two sentences are about one event where no stronger key (a year, a named subject) is
available.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np
from numpy.typing import NDArray

from storyline.algorithms.quantities import Quantity
from storyline.crosscheck import signals
from storyline.crosscheck.claims import Claim
from storyline.crosscheck.events import event_classes

# How alike two sentences must be (MiniLM cosine) before a rule treats them as telling one
# event, where nothing else ties them. Set on the example corpus's gold (docs/crosscheck.md).
SAME_EVENT = 0.55
RELATED = 0.40  # ... and the floor where a structured key (a shared name, a tight place) helps
SAME_STATEMENT = 0.70  # attribution: two sentences carrying one statement
NEAR_IDENTICAL = 0.80  # negation: the same sentence, once negated
COUNT_CONTEXT = 0.60  # counts of one noun in one kind of event
# Two tolls of one noun that differ more than this many times count different things (a week's
# dead and a war's dead), not one thing in dispute.
SCOPE_RATIO = 5.0

KIND_WEIGHT = {  # ties in the ranking of what is shown first: the most checkable kinds first
    "ranking": 1.0, "numeric": 0.95, "place": 0.9, "time": 0.9, "attribution": 0.85,
    "negation": 0.7,
}  # fmt: skip

_NEGATION = frozenset({"not", "no", "never", "none", "nobody", "nothing", "n't", "neither", "nor"})
_ANTONYMS = {
    ("rose", "fell"), ("increased", "decreased"), ("up", "down"), ("open", "closed"),
    ("opened", "closed"), ("confirmed", "denied"), ("alive", "dead"), ("won", "lost"),
    ("accepted", "rejected"), ("approved", "rejected"), ("higher", "lower"), ("more", "fewer"),
    ("guilty", "innocent"), ("allowed", "banned"), ("survived", "died"), ("present", "absent"),
    ("started", "stopped"), ("began", "ended"), ("entered", "left"), ("arrived", "left"),
    ("inside", "outside"), ("before", "after"), ("largest", "smallest"), ("male", "female"),
    ("man", "woman"), ("men", "women"), ("boy", "girl"), ("boys", "girls"), ("asleep", "awake"),
    ("sitting", "standing"), ("empty", "full"), ("young", "old"), ("day", "night"),
    ("win", "lose"), ("wins", "loses"), ("increase", "decrease"), ("rise", "fall"),
    ("rises", "falls"), ("raised", "lowered"), ("support", "oppose"), ("supports", "opposes"),
    ("supported", "opposed"), ("legal", "illegal"), ("true", "false"), ("success", "failure"),
    ("succeeded", "failed"), ("withdrew", "advanced"), ("retreated", "advanced"),
}  # fmt: skip
_ANTONYM_OF = {a: b for a, b in _ANTONYMS} | {b: a for a, b in _ANTONYMS}
_YEAR = re.compile(r"\b(?:1[89]\d\d|20\d\d)\b")
_TOKEN = re.compile(r"[A-Za-z]+(?:n't)?|n't|\d+(?:[.,]\d+)*")
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "by",
        "with",
        "and",
        "or",
        "but",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "has",
        "have",
        "had",
        "do",
        "does",
        "did",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "there",
        "their",
        "they",
        "he",
        "she",
        "his",
        "her",
        "as",
        "from",
    ]
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Side:
    outlet: str
    carried_by: tuple[str, ...]
    value: str  # the value as this source states it
    claim: Claim
    start: int  # the evidence inside the claim, in article offsets
    end: int

    def span(self, text: str) -> dict[str, Any]:
        return {
            "article_id": self.claim.article_id,
            "start": self.start,
            "end": self.end,
            "text": text[self.start : self.end],
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Contradiction:
    kind: str
    subject: str
    summary: str
    compatible: bool  # True: both can be true; they differ in precision
    sides: tuple[Side, Side]
    confidence: float


def _source(claim: Claim) -> str:
    return f"{claim.article_id}:{claim.outlet}"


def _quantity(q: dict[str, object]) -> Quantity:
    return Quantity(
        start=int(str(q["start"])),
        end=int(str(q["end"])),
        text=str(q["text"]),
        value=float(str(q["value"])),
        low=float(str(q["low"])),
        high=float(str(q["high"])) if q["high"] is not None else math.inf,
        unit=str(q["unit"]) if q.get("unit") else None,
        counted=str(q["counted"]) if q.get("counted") else None,
        approximator=str(q["approximator"]) if q.get("approximator") else None,
    )


def _side(claim: Claim, value: str, start: int | None = None, end: int | None = None) -> Side:
    return Side(
        outlet=claim.outlet,
        carried_by=claim.carried_by,
        value=value,
        claim=claim,
        start=claim.start if start is None else start,
        end=claim.end if end is None else end,
    )


def _as_of(claim: Claim, published: dict[str, str | None]) -> str | None:
    """The day a count is stated for: its own day-precise time, else the day of publication."""
    days = {
        str(t["value_start"])
        for t in claim.times
        if t.get("precision") == "day" and not t.get("background") and t.get("value_start")
    }
    if len(days) == 1:
        return days.pop()
    return published.get(claim.article_id)


def _tokens(text: str) -> list[str]:
    return [t.lower() for t in _TOKEN.findall(text.replace("’", "'"))]


def _km(value: float) -> str:
    return f"{value / 1000:.1f} km" if value >= 1000 else f"{value:.0f} m"


class ContradictionFinder:
    """All typed rules over one story's claims; `similarity` is the claims' embedding cosine."""

    def __init__(
        self,
        claims: Sequence[Claim],
        similarity: NDArray[np.float64],
        published: dict[str, str | None],
    ) -> None:
        self.claims = list(claims)
        self.similarity = similarity
        self.published = published
        self._cross_source: list[tuple[int, int]] | None = None
        previous: list[Claim | None] = []
        for i, claim in enumerate(self.claims):
            before = self.claims[i - 1] if i else None
            same = before is not None and _source(before) == _source(claim)
            previous.append(before if same else None)
        self.previous = previous

    def find(self) -> list[Contradiction]:
        found: list[Contradiction] = []
        found += self._numeric()
        found += self._rankings()
        found += self._places()
        found += self._times()
        found += self._attributions()
        found += self._negations()
        unique: dict[tuple[str, str, str, str], Contradiction] = {}
        for item in found:
            a, b = item.sides
            first, second = sorted((a.claim.id, b.claim.id))
            key = (item.kind, item.subject, first, second)
            if key not in unique or item.confidence > unique[key].confidence:
                unique[key] = item
        return sorted(
            unique.values(),
            key=lambda c: (c.compatible, -c.confidence, c.kind, c.sides[0].claim.id),
        )

    def _pairs(self) -> list[tuple[int, int]]:
        """Claim pairs of different sources (computed once: every rule walks them)."""
        if self._cross_source is None:
            sources = [_source(claim) for claim in self.claims]
            self._cross_source = [
                (i, j) for i, j in combinations(range(len(sources)), 2) if sources[i] != sources[j]
            ]
        return self._cross_source

    def _numeric(self) -> list[Contradiction]:
        found = []
        measures = [signals.measures(c) for c in self.claims]
        counts = [signals.counts(c) for c in self.claims]
        for i, j in self._pairs():
            a, b = self.claims[i], self.claims[j]
            for ma in measures[i]:
                for mb in measures[j]:
                    if ma.subject != mb.subject:
                        continue
                    qa, qb = _quantity(ma.quantity), _quantity(mb.quantity)
                    found += self._compare(a, b, qa, qb, ma.label, _km(qa.value), _km(qb.value))
            if float(self.similarity[i, j]) < COUNT_CONTEXT:
                continue
            if _YEAR.findall(a.text) != _YEAR.findall(b.text):
                continue  # "a 1982 massacre ... 25,000 people" is not this week's toll
            shared_events = event_classes(a.text) & event_classes(b.text)
            as_of_a, as_of_b = _as_of(a, self.published), _as_of(b, self.published)
            if not shared_events or as_of_a is None or as_of_a != as_of_b:
                continue  # a toll stated on two days is an update, not a conflict
            for ca in counts[i]:
                for cb in counts[j]:
                    if ca.counted != cb.counted:
                        continue
                    qa, qb = _quantity(ca.quantity), _quantity(cb.quantity)
                    small, large = sorted((max(qa.value, 1e-9), max(qb.value, 1e-9)))
                    if large / small > SCOPE_RATIO:
                        continue
                    found += self._compare(
                        a, b, qa, qb, f"{ca.counted} ({', '.join(sorted(shared_events))})",
                        qa.text, qb.text,
                    )  # fmt: skip
        return found

    def _compare(
        self, a: Claim, b: Claim, qa: Quantity, qb: Quantity, subject: str, va: str, vb: str
    ) -> list[Contradiction]:
        if qa.low == qb.low and qa.high == qb.high:
            return []  # the same statement
        compatible = qa.compatible(qb)
        reason = (
            f"{qa.text!r} ({va}) and {qb.text!r} ({vb}) can both be true: they differ in precision"
            if compatible
            else f"{qa.text!r} ({va}) and {qb.text!r} ({vb}) cannot both be true"
        )
        return [
            Contradiction(
                kind="numeric",
                subject=subject,
                summary=f"{subject}: {a.outlet} and {b.outlet} disagree; {reason}"
                if not compatible
                else f"{subject}: {reason}",
                compatible=compatible,
                sides=(_side(a, qa.text, qa.start, qa.end), _side(b, qb.text, qb.start, qb.end)),
                confidence=KIND_WEIGHT["numeric"],
            )
        ]

    def _rankings(self) -> list[Contradiction]:
        found = []
        known = {m.name.lower(): m.entity_id for c in self.claims for m in c.mentions}
        ranked = [signals.rankings(c, self.previous[k], known) for k, c in enumerate(self.claims)]
        for i, j in self._pairs():
            for ra in ranked[i]:
                for rb in ranked[j]:
                    if ra.scale != rb.scale or ra.rank == rb.rank:
                        continue
                    if not _same_subject(ra, rb):
                        continue
                    a, b = self.claims[i], self.claims[j]
                    va, vb = _ranked(ra.rank, ra.scale), _ranked(rb.rank, rb.scale)
                    found.append(
                        Contradiction(
                            kind="ranking",
                            subject=f"{ra.subject}: rank by {ra.scale}",
                            summary=(
                                f"{a.outlet} calls {ra.subject} the {va}, {b.outlet} the {vb}"
                            ),
                            compatible=False,
                            sides=(_side(a, va, ra.start, ra.end), _side(b, vb, rb.start, rb.end)),
                            confidence=KIND_WEIGHT["ranking"],
                        )
                    )
        return found

    def _places(self) -> list[Contradiction]:
        found = []
        located = [signals.located_events(c, self.previous[k]) for k, c in enumerate(self.claims)]
        magnitudes = [signals.magnitudes(c) for c in self.claims]
        orders = [signals.order_words(c) for c in self.claims]
        for i, j in self._pairs():
            if magnitudes[i] and magnitudes[j] and not magnitudes[i] & magnitudes[j]:
                continue  # two quakes of different size are two events
            if orders[i] != orders[j] and (orders[i] | orders[j]) - {"first"}:
                continue  # "a second quake ... near Elbistan" is not the first one
            for la in located[i]:
                for lb in located[j]:
                    if la.event != lb.event or la.places & lb.places:
                        continue
                    if _contains(la.names, lb.names):
                        continue
                    anchored = bool(la.anchor_years & lb.anchor_years)
                    similarity = float(self.similarity[i, j])
                    tied = la.tight and lb.tight and similarity >= RELATED
                    if not anchored and not tied and similarity < SAME_EVENT:
                        continue
                    if la.anchor_years and lb.anchor_years and not anchored:
                        continue
                    a, b = self.claims[i], self.claims[j]
                    va, vb = ", ".join(la.names), ", ".join(lb.names)
                    when = f" ({min(la.anchor_years & lb.anchor_years)})" if anchored else ""
                    note = " ('the city' read as the place named just before)" if (
                        la.via_anaphor or lb.via_anaphor
                    ) else ""  # fmt: skip
                    side_a, side_b = _side(a, va), _side(b, vb)
                    before_a, before_b = self.previous[i], self.previous[j]
                    if la.via_anaphor and before_a is not None:  # cite the naming sentence too
                        side_a = _side(a, va, before_a.start, a.end)
                    if lb.via_anaphor and before_b is not None:
                        side_b = _side(b, vb, before_b.start, b.end)
                    found.append(
                        Contradiction(
                            kind="place",
                            subject=f"where the {la.event}{when} happened",
                            summary=(
                                f"{a.outlet} puts the {la.event}{when} in {va}, "
                                f"{b.outlet} in {vb}{note}"
                            ),
                            compatible=False,
                            sides=(side_a, side_b),
                            confidence=KIND_WEIGHT["place"] * (0.9 if note else 1.0),
                        )
                    )
        return found

    def _times(self) -> list[Contradiction]:
        found = []
        days = [signals.event_days(c) for c in self.claims]
        for i, j in self._pairs():
            similarity = float(self.similarity[i, j])
            if similarity < RELATED or not days[i] or not days[j]:
                continue
            if similarity < SAME_EVENT and not _shared_actor(self.claims[i], self.claims[j]):
                continue
            for event, (day_a, time_a) in days[i].items():
                if event not in days[j]:
                    continue
                day_b, time_b = days[j][event]
                if day_a == day_b:
                    continue
                a, b = self.claims[i], self.claims[j]
                found.append(
                    Contradiction(
                        kind="time",
                        subject=f"when the {event.replace('_', ' ')} happened",
                        summary=(
                            f"{a.outlet} dates the {event.replace('_', ' ')} {day_a} "
                            f"({time_a['text']!s}), {b.outlet} {day_b} ({time_b['text']!s})"
                        ),
                        compatible=False,
                        sides=(
                            _side(a, day_a, int(str(time_a["start"])), int(str(time_a["end"]))),
                            _side(b, day_b, int(str(time_b["start"])), int(str(time_b["end"]))),
                        ),
                        confidence=KIND_WEIGHT["time"],
                    )
                )
        return found

    def _attributions(self) -> list[Contradiction]:
        found = []
        speakers = [signals.speaker_entity(c) for c in self.claims]
        for i, j in self._pairs():
            sa, sb = speakers[i], speakers[j]
            if sa is None or sb is None or sa[0] == sb[0]:
                continue
            if float(self.similarity[i, j]) < SAME_STATEMENT:
                continue
            if _contains((sa[1],), (sb[1],)):
                continue
            a, b = self.claims[i], self.claims[j]
            found.append(
                Contradiction(
                    kind="attribution",
                    subject="who made the statement",
                    summary=f"{a.outlet} credits the statement to {sa[1]}, {b.outlet} to {sb[1]}",
                    compatible=False,
                    sides=(_side(a, sa[1]), _side(b, sb[1])),
                    confidence=KIND_WEIGHT["attribution"],
                )
            )
        return found

    def _negations(self) -> list[Contradiction]:
        found = []
        for i, j in self._pairs():
            if float(self.similarity[i, j]) < NEAR_IDENTICAL:
                continue
            a, b = self.claims[i], self.claims[j]
            why = opposition(a.text, b.text)
            if why is None:
                continue
            found.append(
                Contradiction(
                    kind="negation",
                    subject="the same statement, opposite",
                    summary=f"{a.outlet} and {b.outlet} say opposite things: {why}",
                    compatible=False,
                    sides=(_side(a, a.text), _side(b, b.text)),
                    confidence=KIND_WEIGHT["negation"],
                )
            )
        return found


def opposition(a: str, b: str) -> str | None:
    """Why two near-identical sentences oppose: one is negated, or an antonym swaps."""
    ta, tb = _tokens(a), _tokens(b)
    neg_a = sum(t in _NEGATION for t in ta)
    neg_b = sum(t in _NEGATION for t in tb)
    sa, sb = set(ta) - _STOP, set(tb) - _STOP
    if (neg_a > 0) != (neg_b > 0):
        rest = (sa ^ sb) - _NEGATION
        if len(rest) <= 4:
            return "one of them is negated"
    for word in sa - sb:
        other = _ANTONYM_OF.get(word)
        if other and other in sb - sa:
            return f"{word!r} against {other!r}"
    return None


_MULTIWORD_NAME = re.compile(r"\b(?!The\b)[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+")


def _shared_actor(a: Claim, b: Claim) -> bool:
    """Both name one entity that is not a place (the ship, the agency, the person), or one
    multi-word name extraction left untagged ("the Ever Given")."""
    ids_a = {m.entity_id for m in a.mentions if not m.place}
    ids_b = {m.entity_id for m in b.mentions if not m.place}
    if ids_a & ids_b:
        return True
    return bool(set(_MULTIWORD_NAME.findall(a.text)) & set(_MULTIWORD_NAME.findall(b.text)))


def _contains(a: Sequence[str], b: Sequence[str]) -> bool:
    """One name holds the other ("Baltimore" / "Port of Baltimore")."""
    for x in a:
        for y in b:
            wx, wy = set(x.lower().split()), set(y.lower().split())
            if wx <= wy or wy <= wx:
                return True
    return False


def _same_subject(a: signals.Ranking, b: signals.Ranking) -> bool:
    return a.subject_id == b.subject_id or _contains((a.subject,), (b.subject,))


_RANK_WORDS = {2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth", 7: "seventh"}


def _ranked(rank: int, scale: str) -> str:
    """1, 'largest city' -> 'largest city'; 2 -> 'second-largest city'."""
    if rank == 1:
        return scale
    word = _RANK_WORDS.get(rank, f"{rank}th")
    return f"{word}-{scale}"
