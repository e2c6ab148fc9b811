"""Article text cut into plain and annotated segments, for highlighting in the article page.

Spans may overlap (a quote holding an entity); a segment takes the first span that starts at
its position and is not inside one already taken, so the text is covered exactly once and in
order. The template escapes every segment: article text is untrusted.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def highlighted(text: str, spans: Sequence[tuple[int, int, str, str]]) -> list[dict[str, Any]]:
    """[{text, kind (None for plain text), detail}] covering `text` exactly once."""
    ordered = sorted(
        (s for s in spans if 0 <= s[0] < s[1] <= len(text)), key=lambda s: (s[0], -(s[1] - s[0]))
    )
    segments: list[dict[str, Any]] = []
    cursor = 0
    for start, end, kind, detail in ordered:
        if start < cursor:
            continue  # inside (or across) a span already taken
        if start > cursor:
            segments.append({"text": text[cursor:start], "kind": None, "detail": ""})
        segments.append({"text": text[start:end], "kind": kind, "detail": detail})
        cursor = end
    if cursor < len(text):
        segments.append({"text": text[cursor:], "kind": None, "detail": ""})
    return segments
