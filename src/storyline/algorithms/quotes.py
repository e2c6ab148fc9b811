"""Direct quotes and reported speech, with who said them.

News attributes in a few fixed shapes: “…,” X said / X said: “…” / X said (that) … /
according to X / “…,” it said (a pronoun, resolved to the latest named speaker). Everything not
attributed is the outlet's own voice. Rules, not a model: MODELS.md found no packaged
attribution model, and spans must point into the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_VERBS = (
    r"(?:said|says|say|told|tells|tell|added|adds|warned|warns|stated|states|stressed|stresses|"
    r"confirmed|confirms|announced|announces|insisted|insists|noted|notes|wrote|writes|"
    r"argued|argues|claimed|claims|promised|promises|vowed|vows|urged|urges|declared|"
    r"reported|reports|explained|acknowledged|admitted|denied|denies|read|reads)"
)
_ROLE = (
    r"(?:army|military|ministry|minister|government|command|president|spokesman|spokeswoman|"
    r"spokesperson|official|officials|statement|monitor|observatory|analyst|agency|authority|"
    r"authorities|police|group|rebels|militants|forces|council|court|company|source|sources|"
    r"leader|chief|diplomat|envoy|secretary|general|committee|office|embassy|kremlin|white house|"
    r"agencies|operator|operators|worker|workers|resident|residents|economist|economists|expert|"
    r"experts|engineer|engineers|leaders|union|unions|witness|witnesses|survivor|survivors|"
    r"rescuer|rescuers|volunteer|volunteers|captain|pilot|doctor|doctors|manager|managers|"
    r"owner|owners|mayor|governor|senator|scientist|scientists|seismologists|investigators)"
)
_NAME = r"(?:[A-Z][\w.’'-]*)(?:\s+(?:[A-Z][\w.’'-]*|al-\w+|bin|de|of|for|the|and))*"
_NP = (
    rf"(?P<speaker>(?:(?:[Tt]he|[Aa]n?|[Tt]wo|[Tt]hree|[Ss]everal)\s+)?(?:[\w’'-]+\s+){{0,4}}?"
    rf"(?:{_ROLE}(?:\s+{_NAME})?|{_NAME})|[Ii]t|[Hh]e|[Ss]he|[Tt]hey)"
)
# "X, who visited the site, said" / "X, which manages the ship, said": the clause is skipped.
_APPOSITION = r"(?:,\s+(?:who|which|whose|a|an|the|its|his|her|their)\b[^,“”\"\n]{3,140},)?"
_QUOTE = r"(?P<quote>“[^”]{3,}?”|\"[^\"]{3,}?\")"
_PRONOUNS = {"it", "he", "she", "they"}
# A speaker never starts with these; a clause of reported speech never does either.
_NOT_A_START = {
    "in", "on", "at", "by", "for", "with", "from", "to", "of", "after", "before", "during",
    "while", "when", "as", "than", "since", "about", "over", "under", "into",
}  # fmt: skip


def _starts_badly(text: str) -> bool:
    first = text.split(maxsplit=1)[0].lower() if text.strip() else ""
    return first in _NOT_A_START


# “Q,” X said   /   “Q,” said X  -- on the same line, with the comma (or ?/!) English puts there
_QUOTE_THEN_COMMA = (
    r"(?P<quote>“[^”]{3,}?[,?!]”|\"[^\"]{3,}?[,?!]\"|“[^”]{3,}?”(?=,)|\"[^\"]{3,}?\"(?=,))"
)
_AFTER = re.compile(rf"{_QUOTE_THEN_COMMA},?[ \t]*{_NP}[ \t]+{_VERBS}\b")
_AFTER_INVERTED = re.compile(rf"{_QUOTE_THEN_COMMA},?[ \t]*{_VERBS}[ \t]+{_NP}")
# X said: “Q”   /   X said that it “will ...”   (up to 12 words between the verb and the quote)
_BEFORE = re.compile(rf"{_NP}{_APPOSITION}\s+{_VERBS}\b(?P<gap>[^“”\".!?]{{0,90}}?)\s*{_QUOTE}")
# X said (that) <clause>.   /   according to X
_REPORTED_VERBS = _VERBS.replace("told|tells|tell|", "")  # "told reporters": object, not clause
_REPORTED = re.compile(
    rf"{_NP}{_APPOSITION}\s+{_REPORTED_VERBS}\s+(?:(?:on|late|early)\s+\w+\s+)?(?:that\s+)?(?P<content>[^“”\"]{{10,300}}?[.!?])(?=\s|$)"
)
# X told reporters (on Thursday) (that) <clause>.
_TOLD = re.compile(
    rf"{_NP}{_APPOSITION}\s+(?:told|tells)\s+"
    rf"(?:reporters|journalists|[Tt]he\s+[\w ]{{1,30}}?|[A-Z][\w-]+)"
    rf"(?:\s+(?:on|late|early)\s+\w+)?\s+(?:that\s+)?(?P<content>[^“”\"]{{10,300}}?[.!?])(?=\s|$)"
)
_ACCORDING = re.compile(
    r"\baccording to (?P<speaker>(?:the\s+)?(?:[\w’'-]+\s+){0,5}?[\w’'-]+)(?=[,.;])"
)


@dataclass(frozen=True, slots=True)
class Attribution:
    start: int  # span of the quoted or reported words
    end: int
    text: str
    speaker: str | None  # as written, pronouns resolved ("it" -> "The Syrian military")
    speaker_start: int | None  # span of the speaker's name as written, when there is one
    speaker_end: int | None
    direct: bool  # a verbatim quote (in quotation marks) or reported speech


def _clean_speaker(speaker: str) -> str:
    words = speaker.split()
    while words and words[0].lower() in {"but", "and", "however", "meanwhile", "also"}:
        words = words[1:]
    return " ".join(words)


def find_attributions(text: str) -> list[Attribution]:
    """Quotes and reported speech in the order they appear, pronoun speakers resolved to the
    most recent named speaker before them."""
    found: dict[tuple[int, int], Attribution] = {}
    for pattern, group in ((_AFTER, "quote"), (_AFTER_INVERTED, "quote"), (_BEFORE, "quote")):
        for match in pattern.finditer(text):
            span = match.span(group)
            if span in found:
                continue
            speaker = match.group("speaker")
            if speaker and _starts_badly(speaker):
                continue
            found[span] = Attribution(
                start=span[0],
                end=span[1],
                text=match.group(group),
                speaker=_clean_speaker(speaker) if speaker else None,
                speaker_start=match.start("speaker") if speaker else None,
                speaker_end=match.end("speaker") if speaker else None,
                direct=True,
            )
    quoted = sorted(found)
    for match in [*_REPORTED.finditer(text), *_TOLD.finditer(text)]:
        span = match.span("content")
        if any(s < span[1] and span[0] < e for s, e in quoted):
            continue
        if _starts_badly(match.group("speaker")) or _starts_badly(match.group("content")):
            continue
        found[span] = Attribution(
            start=span[0], end=span[1], text=match.group("content"),
            speaker=_clean_speaker(match.group("speaker")),
            speaker_start=match.start("speaker"), speaker_end=match.end("speaker"), direct=False,
        )  # fmt: skip
    for match in _ACCORDING.finditer(text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        sentence_start = max(text.rfind(". ", 0, match.start()) + 2, line_start)
        end = match.start()
        while end > sentence_start and text[end - 1] in " ,":
            end -= 1  # "..., according to X": the claim ends before the comma
        span = (sentence_start, end)
        if span[1] - span[0] < 10 or any(s < span[1] and span[0] < e for s, e in found):
            continue
        found[span] = Attribution(
            start=span[0], end=span[1], text=text[span[0] : span[1]],
            speaker=match.group("speaker"), speaker_start=match.start("speaker"),
            speaker_end=match.end("speaker"), direct=False,
        )  # fmt: skip
    return _resolve_pronouns([found[k] for k in sorted(found)])


def _resolve_pronouns(items: list[Attribution]) -> list[Attribution]:
    resolved: list[Attribution] = []
    last_named: str | None = None
    for item in items:
        speaker = item.speaker
        if speaker and speaker.lower() in _PRONOUNS:
            speaker = last_named
        elif speaker:
            last_named = speaker
        resolved.append(
            Attribution(
                start=item.start,
                end=item.end,
                text=item.text,
                speaker=speaker,
                speaker_start=item.speaker_start,
                speaker_end=item.speaker_end,
                direct=item.direct,
            )
        )
    return resolved
