"""Exact, text-level containment with character spans, for the few pairs that need evidence.

The vectorised path only says "probably copied"; this says where: the region of B whose
shingles match A, snapped to whole lines so a citation reads naturally.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

_WORD = re.compile(r"\w+")
MAX_GAP_TOKENS = 30  # a run of matches may skip this many tokens (an edited word, a caption)


@dataclass(frozen=True, slots=True)
class Match:
    containment: float  # share of A's shingles found in B
    jaccard: float
    b_start: int  # span of B that holds A (character offsets, whole lines)
    b_end: int
    a_start: int  # span of A that was found in B
    a_end: int


def _tokens(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(0).lower(), m.start(), m.end()) for m in _WORD.finditer(text)]


def _shingles(tokens: list[tuple[str, int, int]], k: int) -> list[tuple[str, ...]]:
    if len(tokens) < k:
        return [tuple(t[0] for t in tokens)] if tokens else []
    return [tuple(t[0] for t in tokens[i : i + k]) for i in range(len(tokens) - k + 1)]


def match(a_text: str, b_text: str, k: int = 5) -> Match:
    """How much of A is inside B, and where."""
    a_tokens, b_tokens = _tokens(a_text), _tokens(b_text)
    a_shingles, b_shingles = _shingles(a_tokens, k), _shingles(b_tokens, k)
    if not a_shingles or not b_shingles:
        return Match(0.0, 0.0, 0, 0, 0, 0)
    a_set, b_set = set(a_shingles), set(b_shingles)
    shared = a_set & b_set
    containment = len(shared) / len(a_set)
    jaccard = len(shared) / len(a_set | b_set)
    b_hits = [i for i, s in enumerate(b_shingles) if s in shared]
    a_hits = [i for i, s in enumerate(a_shingles) if s in shared]
    if not b_hits:
        return Match(containment, jaccard, 0, 0, 0, 0)
    first, last = _densest_run(b_hits)
    b_start = b_tokens[first][1]
    b_end = b_tokens[min(last + k - 1, len(b_tokens) - 1)][2]
    a_first, a_last = _densest_run(a_hits)
    a_start = a_tokens[a_first][1]
    a_end = a_tokens[min(a_last + k - 1, len(a_tokens) - 1)][2]
    b_start, b_end = snap_to_lines(b_text, b_start, b_end)
    a_start, a_end = snap_to_lines(a_text, a_start, a_end)
    return Match(containment, jaccard, b_start, b_end, a_start, a_end)


def _densest_run(hits: list[int]) -> tuple[int, int]:
    """The run of hit positions (gaps <= MAX_GAP_TOKENS) holding the most hits."""
    best = (hits[0], hits[0], 1)
    run_start, count = hits[0], 1
    for previous, current in pairwise(hits):
        if current - previous <= MAX_GAP_TOKENS:
            count += 1
        else:
            run_start, count = current, 1
        if count > best[2]:
            best = (run_start, current, count)
    return best[0], best[1]


def snap_to_lines(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a span to whole lines, then trim surrounding whitespace."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    while line_start < line_end and text[line_start].isspace():
        line_start += 1
    while line_end > line_start and text[line_end - 1].isspace():
        line_end -= 1
    return line_start, line_end
