"""The extractive brief: 5-10 sentences, corroborated facts first, disputes stated as disputed
with each side attributed, in neutral words, every sentence citing the spans it rests on.

Facts are told in the words of the source whose sentence carries the fewest loaded labels (no
quotation marks, a readable length). Where every wording labels an actor in a loaded way
("jihadists", "terrorist groups", "regime"), the label is replaced by the plainest label the
outlets share for that actor ("rebels", "government"), and the sentence says it was edited.
Disputes are written from the contradiction's sides: "AFP calls Aleppo the largest city, RT
the second-largest city." Every sentence passes synthesis/verify.py or is left out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from storyline.crosscheck.framing import DESIGNATED, loaded_spans
from storyline.synthesis.verify import supported

MIN_SENTENCES, MAX_SENTENCES = 5, 10
MAX_FACTS_FIRST = 5  # corroborated facts before the disputes
MAX_DISPUTES = 3
MIN_WORDS, MAX_WORDS = 8, 45
SIMILAR_WORDS = 0.5  # two sentences sharing half their words say the same thing

# Loaded labels and what replaces them (by the actor they name). A label is loaded when it
# judges the actor rather than describes it; the plainest shared label replaces it.
_LOADED_OPPOSITION = re.compile(
    r"\b(?:(?:sunni\s+)?islamist\s+)?(?:jihadist|terrorist)\s+(?:forces|militants|fighters|"
    r"groups|organi[sz]ations|group|organi[sz]ation)\b|\bjihadists?\b|\bterrorists\b|"
    r"\bislamist militants\b|\bextremists\b",
    re.IGNORECASE,
)
_REGIME = re.compile(r"\bregime\b", re.IGNORECASE)
_NEUTRAL_OPPOSITION = ("rebels", "opposition fighters", "insurgents", "fighters")
_NEUTRAL_GOVERNMENT = ("government", "army", "military")
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True, slots=True, kw_only=True)
class BriefSentence:
    text: str
    citations: tuple[dict[str, Any], ...]
    outlets: tuple[str, ...]
    kind: str  # "fact" (corroborated or single-source) or "dispute"
    edited: tuple[str, ...] = ()  # "jihadists -> rebels" when a label was replaced
    backend: str = "extractive"

    @classmethod
    def from_dict(cls, record: dict[str, Any]) -> BriefSentence:
        return cls(
            text=str(record["text"]),
            citations=tuple(record["citations"]),
            outlets=tuple(record.get("outlets", ())),
            kind=str(record.get("kind", "fact")),
            edited=tuple(record.get("edited", ())),
            backend=str(record.get("backend", "extractive")),
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "citations": list(self.citations),
            "outlets": list(self.outlets),
            "kind": self.kind,
            "edited": list(self.edited),
            "backend": self.backend,
        }


@dataclass(slots=True)
class _Labels:
    opposition: str = "rebels"
    government: str = "government"


def _plainest(framing: Sequence[dict[str, Any]]) -> _Labels:
    """The neutral label most outlets use for each side (from the framing table)."""
    labels = _Labels()
    for row in framing:
        actor = row.get("actor")
        choices = (
            _NEUTRAL_OPPOSITION
            if actor == "armed_opposition"
            else _NEUTRAL_GOVERNMENT
            if actor == "government_side"
            else ()
        )
        if not choices:
            continue
        outlets_using = {
            choice: sum(
                any(label.rstrip("s") == choice.rstrip("s") for label in per_outlet)
                for per_outlet in row["labels"].values()
            )
            for choice in choices
        }
        best = max(choices, key=lambda c: (outlets_using[c], -choices.index(c)))
        if outlets_using[best]:
            if actor == "armed_opposition":
                labels.opposition = best
            else:
                labels.government = best
    return labels


def _own_voice(text: str) -> str:
    return _QUOTED.sub(" ", text)


def _designated(text: str, start: int) -> bool:
    """'designated a terrorist organization by the US': a body's designation, reported."""
    return bool(DESIGNATED.search(text[max(0, start - 40) : start]))


def loaded_count(text: str) -> tuple[int, int, int]:
    """(loaded labels, reported designations, other loaded words) in the text's own voice."""
    own = _own_voice(text)
    hits = [*_LOADED_OPPOSITION.finditer(own), *_REGIME.finditer(own)]
    designations = sum(_designated(own, m.start()) for m in hits)
    return len(hits) - designations, designations, len(loaded_spans(own))


def neutralise(text: str, labels: _Labels) -> tuple[str, tuple[str, ...]]:
    """Replace loaded labels outside quotation marks; returns the text and what changed."""
    edits: list[str] = []
    pieces = []
    cursor = 0
    for quoted in [*_QUOTED.finditer(text), None]:
        end = quoted.start() if quoted else len(text)
        own = text[cursor:end]

        def swap(match: re.Match[str], plain: str, base: int = cursor) -> str:
            word = match.group()
            if _designated(text, base + match.start()):
                return word  # changing a reported designation would change the fact
            lower = word.lower()
            singular = not lower.endswith("s") or lower.endswith("ss")
            head = plain.rstrip("s") if plain.endswith("s") else plain
            if re.search(r"(?:group|organi[sz]ation)s?$", lower):
                # "a terrorist group" -> "a rebel group": keep the noun, drop the judgement
                replacement = f"{head} group" + ("" if singular else "s")
            else:
                replacement = head if singular else plain
            at = base + match.start()
            if at == 0 or text[:at].rstrip().endswith((".", "!", "?")):
                replacement = replacement[:1].upper() + replacement[1:]
            edits.append(f"{word} -> {replacement}")
            return replacement

        own = _LOADED_OPPOSITION.sub(lambda m: swap(m, labels.opposition), own)
        own = _REGIME.sub(lambda m: swap(m, labels.government), own)
        pieces.append(own)
        if quoted:
            pieces.append(quoted.group())
            cursor = quoted.end()
    return "".join(pieces), tuple(edits)


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def _too_close(text: str, chosen: Sequence[BriefSentence]) -> bool:
    words = _words(text)
    for other in chosen:
        theirs = _words(other.text)
        if words and theirs and len(words & theirs) / min(len(words), len(theirs)) > SIMILAR_WORDS:
            return True
    return False


_KICKER = re.compile(r"^(?:[A-Z][a-z]+(?: [a-z]+){0,3}): (?=[A-Z])")
_ANAPHORIC_START = re.compile(
    r"^(?:[a-z]|(?:It|Its|They|Their|This|That|These|Those|He|She|His|Her|Both|Such|The two|"
    r"Still|But|And|Yet|However|Meanwhile)\b)"
)


def _standalone(text: str) -> bool:
    """Readable out of its article: a whole sentence, not opening on a word that points back."""
    return (
        MIN_WORDS <= len(text.split()) <= MAX_WORDS
        and text.rstrip()[-1:] in '.!?”"'
        and not _ANAPHORIC_START.match(text)
    )


def _best_wording(
    fact: dict[str, Any], disputed: set[tuple[str, int, int]]
) -> dict[str, Any] | None:
    """The support span to tell the fact with: standalone, not one side of a dispute (the brief
    states disputes as disputes), fewest loaded labels, no quotation marks, the most central,
    nearest the top."""
    candidates = [
        span
        for span in fact["support"]
        if _standalone(span["text"])
        and (span["article_id"], span["start"], span["end"]) not in disputed
    ]
    if not candidates:
        return None
    best: dict[str, Any] = min(
        candidates,
        # of equally plain wordings: the fact's most central one (NeuS: ROUGE-1 0.384 ->
        # 0.388 on 400 stories), then the one nearest the top of its article (news states
        # what matters first)
        key=lambda s: (
            loaded_count(s["text"]),
            bool(_QUOTED.search(s["text"])),
            s["text"] != fact["statement"],
            s["start"],
        ),
    )
    return best


def _fact_sentence(
    fact: dict[str, Any], labels: _Labels, disputed: set[tuple[str, int, int]]
) -> BriefSentence | None:
    wording = _best_wording(fact, disputed)
    if wording is None:
        return None
    plain = _KICKER.sub("", " ".join(wording["text"].split()))  # "Why it matters: ..."
    text, edits = neutralise(plain, labels)
    citations = (wording, *[s for s in fact["support"] if s is not wording])
    return BriefSentence(
        text=text,
        citations=tuple(citations),
        outlets=tuple(fact["outlets"]),
        kind="fact",
        edited=edits,
    )


_EVENT_NAMES = {
    "control_change": "change of control", "refloat": "refloating", "casualties": "deaths",
    "impact": "impact", "collapse": "collapse", "quake": "quake",
}  # fmt: skip


def _dispute_sentence(items: Sequence[dict[str, Any]]) -> BriefSentence:
    """One sentence for one disputed subject, every side attributed (several pairwise
    contradictions about one subject become one sentence)."""
    item = items[0]
    kind = item["kind"]
    sides: dict[str, dict[str, Any]] = {}
    for each in items:
        for side in each["sides"]:
            sides.setdefault(side["outlet"], side)
    ordered = list(sides.values())
    if kind == "numeric":
        subject = item["subject"].split(" (")[0]
        values = "; ".join(f"{side['outlet']} gives {side['value']}" for side in ordered)
        text = f"Outlets differ on the {subject}: {values}."
    elif kind == "time":
        event = item["subject"].removeprefix("when the ").removesuffix(" happened")
        event = _EVENT_NAMES.get(event.replace(" ", "_"), event)
        values = "; ".join(f"{side['outlet']} says {side['span']['text']}" for side in ordered)
        text = f"Outlets differ on when the {event} happened: {values}."
    elif kind == "place":
        text = item["summary"].split(" ('the city'")[0] + "."
    else:
        text = item["summary"].rstrip(".") + "."
    citations = []
    for side in ordered:
        citations.append(side["claim"])
        span, claim = side["span"], side["claim"]
        if span["start"] < claim["start"] or span["end"] > claim["end"]:
            citations.append(span)  # evidence outside its claim ("the city" named before)
    return BriefSentence(
        text=text,
        citations=tuple(citations),
        outlets=tuple(sorted(sides)),
        kind="dispute",
    )


def _verified(sentence: BriefSentence) -> bool:
    cited = [c["text"] for c in sentence.citations]
    return supported(sentence.text, cited, allowed=sentence.outlets)


def build_brief(
    sections: dict[str, Any],
    max_sentences: int = MAX_SENTENCES,
    min_sentences: int = MIN_SENTENCES,
) -> list[BriefSentence]:
    """The brief of one story from its cross-check sections (facts, contradictions, framing)."""
    labels = _plainest(sections.get("framing", []))
    facts = [f for f in sections.get("facts", []) if not f["background"]]
    corroborated = [f for f in facts if f["sources"] >= 2]
    single = [f for f in facts if f["sources"] < 2]
    background = [f for f in sections.get("facts", []) if f["background"] and f["sources"] >= 2]
    disputes = [c for c in sections.get("contradictions", []) if not c["compatible"]]
    disputed = {
        (side["claim"]["article_id"], side["claim"]["start"], side["claim"]["end"])
        for item in disputes
        for side in item["sides"]
    }

    chosen: list[BriefSentence] = []

    def take(sentence: BriefSentence | None, allow_close: bool = False) -> None:
        if sentence is None or len(chosen) >= max_sentences:
            return
        if any(sentence.text == other.text for other in chosen):
            return
        if sentence.kind == "fact" and not allow_close and _too_close(sentence.text, chosen):
            return
        if _verified(sentence):
            chosen.append(sentence)

    for fact in corroborated:
        if sum(s.kind == "fact" for s in chosen) >= MAX_FACTS_FIRST:
            break
        take(_fact_sentence(fact, labels, disputed))
    by_subject: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for item in disputes:
        by_subject.setdefault((item["kind"], item["subject"]), []).append(item)
    for items in list(by_subject.values())[:MAX_DISPUTES]:
        take(_dispute_sentence(items))
    for allow_close in (False, True):  # fill up to the minimum; repeat wordings only if needed
        for fact in [*corroborated, *single, *background]:
            if len(chosen) >= min_sentences:
                break
            if any(fact["support"][0] in s.citations for s in chosen):
                continue
            take(_fact_sentence(fact, labels, disputed), allow_close)
    return chosen
