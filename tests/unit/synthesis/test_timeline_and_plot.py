"""Timeline events from dated claims: one event per date and fact, cited by every source that
tells it; periods left out; history apart; the SVG escapes article text."""

from __future__ import annotations

import dataclasses
from typing import Any

from storyline.synthesis.plot import timeline_svg, timeline_svg_from_records
from storyline.synthesis.timeline import build_timeline
from tests.unit.crosscheck.helpers import claim


def when(
    text: str, phrase: str, start: str, end: str, precision: str, background: bool = False
) -> dict[str, Any]:
    at = text.index(phrase)
    return {
        "start": at,
        "end": at + len(phrase),
        "text": phrase,
        "value_start": start,
        "value_end": end,
        "precision": precision,
        "background": background,
    }


def dated(text: str, outlet: str, article: str, *times: dict[str, Any]) -> Any:
    return dataclasses.replace(claim(text, outlet, article), times=times)


def test_one_event_per_date_and_fact_cited_by_each_source() -> None:
    a_text = "The rebels launched their offensive on November 27."
    b_text = "The offensive began on November 27, officials said."
    c_text = "In 1982 his forces massacred thousands."
    d_text = "Fighting raged over the past week in the north."
    claims = [
        dated(
            a_text, "AFP", "a", when(a_text, "on November 27", "2024-11-27", "2024-11-27", "day")
        ),
        dated(b_text, "RT", "b", when(b_text, "on November 27", "2024-11-27", "2024-11-27", "day")),
        dated(
            c_text, "Epoch", "c", when(c_text, "In 1982", "1982-01-01", "1982-12-31", "year", True)
        ),
        dated(d_text, "RT", "d", when(d_text, "the past week", "2024-11-28", "2024-12-05", "day")),
    ]
    facts = [{"id": "f1", "members": [claims[0].span(), claims[1].span()]}]
    events = build_timeline(claims, facts)
    assert [(e.date, e.granularity, e.background) for e in events] == [
        ("1982", "year", True),
        ("2024-11-27", "day", False),
    ]  # the week-long period dates no event
    offensive = events[1]
    assert offensive.outlets == ("AFP", "RT") and len(offensive.citations) == 2
    assert offensive.when["text"] == "on November 27"


def test_two_facts_on_one_day_stay_two_events() -> None:
    a_text = "The army withdrew from Hama on Thursday."
    b_text = "Israel's cabinet met on Thursday about Syria."
    day = ("2024-12-05", "2024-12-05", "day")
    claims = [
        dated(a_text, "AFP", "a", when(a_text, "on Thursday", *day)),
        dated(b_text, "Axios", "b", when(b_text, "on Thursday", *day)),
    ]
    assert len(build_timeline(claims, [])) == 2


def test_the_plot_escapes_article_text() -> None:
    record = {
        "date": "2024-03-04",
        "granularity": "day",
        "background": False,
        "text": 'Council <script>alert("x")</script> & <img src=x onerror=alert(1)> voted',
        "citations": [],
        "outlets": ["Gazette <b>"],
        "when": {},
    }
    svg = timeline_svg_from_records([record], 'Title "<svg onload=x>"')
    assert "<script>" not in svg and "<img" not in svg and "<b>" not in svg
    assert "<svg onload" not in svg and "&lt;script&gt;" in svg
    assert svg.startswith("<svg ") and svg.count("<svg") == 1
    assert timeline_svg([]).startswith("<svg ")
