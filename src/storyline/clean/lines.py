"""Line-level boilerplate removal driven by the rule table.

Plain-text news copies keep their boilerplate on lines of its own (captions, credits, bylines,
"Read more" teasers), so whole-line rules remove it without touching story sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from storyline.clean.rules import CleaningRules, LineRule
from storyline.model import Removed

EDGE_WINDOW = 3  # "edge" rules also fire on the first/last few non-blank lines
MAX_TEASER_LINES = 4  # teaser headlines after "Read more" (RT shows 2; sites rarely exceed 4)
MAX_TEASER_CHARS = 200
_SENTENCE_END = re.compile(r"[.!?…:;]['\"’”)\]]*$")


@dataclass(slots=True)
class LineBoard:
    """The article's lines with a verdict for each: kept, removed (with a kind) or rewritten."""

    lines: list[str]
    removed_kind: list[str | None] = field(default_factory=list)
    captures: list[tuple[int, str, str, str]] = field(
        default_factory=list
    )  # line, kind, group, value
    removed: list[Removed] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.removed_kind = [None] * len(self.lines)

    def remove(self, index: int, kind: str) -> None:
        if self.removed_kind[index] is None:
            self.removed_kind[index] = kind
            self.removed.append(Removed(kind=kind, text=self.lines[index]))

    def non_blank(self) -> list[int]:
        return [i for i, line in enumerate(self.lines) if line]

    def kept_text(self) -> str:
        """Kept lines, with runs of blank lines collapsed to one blank line."""
        out: list[str] = []
        for index, line in enumerate(self.lines):
            if self.removed_kind[index] is not None:
                continue
            if not line and (not out or not out[-1]):
                continue
            out.append(line)
        while out and not out[-1]:
            out.pop()
        return "\n".join(out)


def is_teaser(line: str) -> bool:
    """Headlines and image captions carry no final punctuation; story sentences do."""
    return bool(line) and len(line) <= MAX_TEASER_CHARS and not _SENTENCE_END.search(line)


def apply_rules(board: LineBoard, rules: CleaningRules) -> None:
    anywhere = [rule for rule in rules.lines if rule.where == "anywhere"]
    edge = [rule for rule in rules.lines if rule.where == "edge"]
    index = 0
    while index < len(board.lines):
        line = board.lines[index]
        if line and board.removed_kind[index] is None:
            rule, match = _first_match(anywhere, line)
            if rule is not None and match is not None:
                _record_captures(board, index, rule.kind, match)
                if rule.action == "strip-prefix":
                    board.removed.append(Removed(kind=rule.kind, text=match.group(0)))
                    board.lines[index] = line[match.end() :]
                elif rule.action == "drop":
                    board.remove(index, rule.kind)
                else:
                    board.remove(index, rule.kind)
                    index = _drop_teasers(board, index + 1, rule.kind)
                    continue
        index += 1
    _apply_edge_rules(board, edge)


def _first_match(rules: list[LineRule], line: str) -> tuple[LineRule | None, re.Match[str] | None]:
    for rule in rules:
        match = rule.pattern.search(line)
        if match:
            return rule, match
    return None, None


def _record_captures(board: LineBoard, index: int, kind: str, match: re.Match[str]) -> None:
    for group, value in match.groupdict().items():
        if value and value.strip():
            board.captures.append((index, kind, group, value.strip()))


def _drop_teasers(board: LineBoard, start: int, kind: str) -> int:
    """Remove up to MAX_TEASER_LINES teaser lines after a "Read more" line; return next index."""
    index, dropped = start, 0
    while index < len(board.lines) and dropped < MAX_TEASER_LINES:
        line = board.lines[index]
        if not line:
            if dropped:  # the teaser block ends at the first blank line after it
                break
            index += 1
            continue
        if not is_teaser(line):
            break
        board.remove(index, f"{kind} teaser")
        dropped += 1
        index += 1
    return index


def _apply_edge_rules(board: LineBoard, rules: list[LineRule]) -> None:
    """Edge rules fire near other boilerplate or at the ends; repeat until nothing changes,
    so a stack of byline, "Author" label and bio at the end peels off line by line."""
    changed = True
    while changed:
        changed = False
        indices = board.non_blank()
        edges = set(indices[:EDGE_WINDOW] + indices[-EDGE_WINDOW:])
        for position, index in enumerate(indices):
            if board.removed_kind[index] is not None:
                continue
            neighbours = (
                indices[max(position - 1, 0) : position] + indices[position + 1 : position + 2]
            )
            near_boilerplate = any(board.removed_kind[n] not in (None, "title") for n in neighbours)
            if index not in edges and not near_boilerplate:
                continue
            rule, match = _first_match(rules, board.lines[index])
            if rule is not None and match is not None:
                _record_captures(board, index, rule.kind, match)
                board.remove(index, rule.kind)
                changed = True
