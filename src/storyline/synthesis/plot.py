"""The timeline as a self-contained SVG: a vertical line of dated events, history in grey above
the news in blue, a dot's size growing with the number of sources that tell the event.

Plain SVG written by hand (no plotting library, no script, no external font), so it works
offline, inside the report's strict Content-Security-Policy, and in any browser. All text is
XML-escaped: event text comes from untrusted articles.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

from storyline.synthesis.timeline import TimelineEvent

ROW = 24
WIDTH = 920
DATE_X, LINE_X, TEXT_X = 12, 118, 136
MAX_TEXT = 110
NEWS, HISTORY, INK, MUTED = "#1f5fa8", "#9a9a9a", "#222222", "#666666"


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def timeline_svg(events: Sequence[TimelineEvent], title: str = "") -> str:
    top = 34 if title else 12
    rows: list[str] = []
    y = top
    previous_background: bool | None = None
    for event in events:
        if event.background != previous_background:
            heading = "History (background)" if event.background else "The news"
            rows.append(
                f'<text x="{DATE_X}" y="{y + 14}" font-size="12" font-weight="bold" '
                f'fill="{MUTED}">{escape(heading)}</text>'
            )
            y += ROW
            previous_background = event.background
        colour = HISTORY if event.background else NEWS
        radius = min(3 + 1.5 * len(event.citations), 9)
        outlets = ", ".join(event.outlets)
        rows.append(
            f"<g><title>{escape(event.date)}: {escape(' '.join(event.text.split()))} "
            f"({escape(outlets)})</title>"
            f'<text x="{DATE_X}" y="{y + 14}" font-size="12" fill="{INK}">'
            f"{escape(event.date)}</text>"
            f'<circle cx="{LINE_X}" cy="{y + 10}" r="{radius:.1f}" fill="{colour}"/>'
            f'<text x="{TEXT_X}" y="{y + 14}" font-size="12" fill="{INK}">'
            f"{escape(_short(event.text))}"
            f'<tspan fill="{MUTED}"> · {escape(outlets)}</tspan></text></g>'
        )
        y += ROW
    height = y + 8
    header = (
        f'<text x="{DATE_X}" y="20" font-size="14" font-weight="bold" fill="{INK}">'
        f"{escape(title)}</text>"
        if title
        else ""
    )
    line = (
        f'<line x1="{LINE_X}" y1="{top}" x2="{LINE_X}" y2="{height - 8}" '
        f'stroke="#cccccc" stroke-width="2"/>'
        if events
        else ""
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" font-family="sans-serif" role="img" '
        f'aria-label="{escape(title or "timeline", {chr(34): "&quot;"})}">'
        f"{header}{line}{''.join(rows)}</svg>"
    )


def timeline_svg_from_records(records: Sequence[dict[str, Any]], title: str = "") -> str:
    """The same plot from report records (`TimelineEvent.as_dict()`)."""
    events = [
        TimelineEvent(
            date=str(r["date"]),
            granularity=str(r["granularity"]),
            background=bool(r["background"]),
            text=str(r["text"]),
            citations=tuple(r.get("citations", ())),
            outlets=tuple(str(o) for o in r.get("outlets", ())),
            when=dict(r.get("when") or {}),
        )
        for r in records
    ]
    return timeline_svg(events, title)
