"""A story's timeline: dated events merged across outlets, news apart from background history.

Every claim holding a resolved time expression gives a dated entry; entries on one date whose
claims belong to one fact (crosscheck/align.py) are one event, cited by every source that tells
it. Ranges that span more than their own unit ("last week", "the past 24 hours") are left out:
they date a period, not an event. An event is background when its time reference is (history,
see algorithms/timex.is_background).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from storyline.crosscheck.claims import Claim

MAX_EVENTS_PER_DATE = 3
MAX_EVENTS = 40


@dataclass(frozen=True, slots=True, kw_only=True)
class TimelineEvent:
    date: str  # "2024-12-05", "2024-12" or "1982"
    granularity: str  # day | month | year
    background: bool
    text: str  # the claim that tells it (the best-supported source's wording)
    citations: tuple[dict[str, Any], ...]  # one span per source
    outlets: tuple[str, ...]
    when: dict[str, Any]  # the time expression of the cited text: its span

    def as_dict(self) -> dict[str, Any]:
        return {
            "date": self.date,
            "granularity": self.granularity,
            "background": self.background,
            "text": self.text,
            "citations": list(self.citations),
            "outlets": list(self.outlets),
            "when": self.when,
        }


def _date(time: dict[str, Any]) -> tuple[str, str] | None:
    """(ISO date at its granularity, granularity) for a single day, month or year."""
    start, end, precision = time.get("value_start"), time.get("value_end"), time.get("precision")
    if not start or precision not in ("day", "month", "year"):
        return None
    first = dt.date.fromisoformat(str(start))
    last = dt.date.fromisoformat(str(end or start))
    if precision == "day" and first == last:
        return first.isoformat(), "day"
    if precision == "month" and (first.year, first.month) == (last.year, last.month):
        return f"{first.year:04d}-{first.month:02d}", "month"
    if precision == "year" and (
        first.year == last.year or str(time.get("text", "")).lower().startswith("since")
    ):
        # "in 1982" is the year 1982; "since 2016" reaches to now but starts in 2016;
        # "the past year" straddles two years and dates nothing
        return f"{first.year:04d}", "year"
    return None


def _key(claim: Claim) -> tuple[str, int, int]:
    return (claim.article_id, claim.start, claim.end)


def fact_index(facts: Sequence[dict[str, Any]]) -> dict[tuple[str, int, int], str]:
    """Claim span -> fact id, from the stored cross-check's fact members."""
    index = {}
    for fact in facts:
        for span in fact.get("members", fact.get("support", [])):
            index[(span["article_id"], span["start"], span["end"])] = fact["id"]
    return index


def build_timeline(claims: Sequence[Claim], facts: Sequence[dict[str, Any]]) -> list[TimelineEvent]:
    fact_of = fact_index(facts)
    groups: dict[tuple[str, str], list[tuple[Claim, dict[str, Any], str, bool]]] = {}
    for claim in claims:
        seen: set[str] = set()
        for time in claim.times:
            dated = _date(time)
            if dated is None or dated[0] in seen:
                continue
            seen.add(dated[0])
            group = fact_of.get(_key(claim), f"claim:{claim.id}")
            groups.setdefault((dated[0], group), []).append(
                (claim, time, dated[1], bool(time.get("background")))
            )
    events = []
    for (date, _group), entries in groups.items():
        by_source: dict[str, tuple[Claim, dict[str, Any], str, bool]] = {}
        for entry in entries:
            by_source.setdefault(f"{entry[0].article_id}:{entry[0].outlet}", entry)
        chosen = sorted(by_source.values(), key=lambda e: (e[0].article_id, e[0].start))
        lead_claim, lead_time, granularity, _ = chosen[0]
        outlets = sorted({o for claim, *_ in chosen for o in claim.carried_by})
        events.append(
            TimelineEvent(
                date=date,
                granularity=granularity,
                background=all(e[3] for e in chosen),
                text=lead_claim.text,
                citations=tuple(claim.span() for claim, *_ in chosen),
                outlets=tuple(outlets),
                when={
                    "article_id": lead_claim.article_id,
                    "start": int(lead_time["start"]),
                    "end": int(lead_time["end"]),
                    "text": str(lead_time["text"]),
                },
            )
        )
    # per date, the events most sources tell; then in date order, history first
    kept: list[TimelineEvent] = []
    by_date: dict[str, list[TimelineEvent]] = {}
    for event in events:
        by_date.setdefault(event.date, []).append(event)
    for date_events in by_date.values():
        date_events.sort(key=lambda e: (-len(e.citations), -len(e.outlets), e.text))
        kept += date_events[:MAX_EVENTS_PER_DATE]
    kept.sort(key=lambda e: (e.date, -len(e.citations), e.text))
    if len(kept) > MAX_EVENTS:  # keep the best-supported ones, still in date order
        best = sorted(kept, key=lambda e: -len(e.citations))[:MAX_EVENTS]
        kept = [e for e in kept if e in best]
    return kept
