"""Framing per outlet: the labels each outlet gives the actors, and its loaded words.

Two kinds of labels are counted, in each outlet's own voice (words inside quotation marks are
the quoted speaker's and are counted apart):
- collective labels for the sides of a conflict (data/framing.toml: "rebels", "jihadists",
  "terrorist organizations", "opposition fighters" ... for the armed opposition; "regime",
  "government", "army" ... for the government side). A row is named after the organisation
  those labels sit beside most often (for the seeds: HTS);
- descriptors a named organisation or person gets in apposition: "HTS, a Sunni Islamist
  terrorist group", "the Islamist group Hayat Tahrir al-Sham", "the Assad regime".
Loaded words (data/framing.toml [loaded]) are markers for a reader, not verdicts.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from storyline.crosscheck.claims import Claim
from storyline.crosscheck.material import EntityMention, StoryMaterial

EXAMPLES_PER_OUTLET = 6  # spans shown per outlet and actor
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|‘[^’]*’")
# "designated a terrorist organization by the US": the label is the designating body's
DESIGNATED = re.compile(
    r"(?:designated|considered|listed|branded|labell?ed|regarded|classified)\s+(?:as\s+)?(?:an?\s+)?$",
    re.IGNORECASE,
)
_GROUP_NOUNS = (
    r"group|organi[sz]ation|faction|militia|movement|party|affiliate|branch|alliance|force|"
    r"coalition|network|outfit|regime|government"
)
_DESCRIPTOR_AFTER = re.compile(
    rf"^\s*(?:\([^)]{{1,12}}\)\s*)?,\s*(?:which is\s+)?(?:a|an|the)\s+((?:[\w’'-]+\s+){{0,5}}?"
    rf"(?:{_GROUP_NOUNS})(?:\s+of\s+[\w’'-]+)?)\b"
)
_DESCRIPTOR_TRAILING = re.compile(
    rf"^\s*(?:\([^)]{{1,12}}\)\s*)?((?:[a-z][\w-]*\s+){{0,2}}(?:{_GROUP_NOUNS}))\b"
)
_DESCRIPTOR_BEFORE = re.compile(
    rf"\b(?:the|a|an)\s+((?:[\w-]+\s+){{0,3}}?(?:{_GROUP_NOUNS}))\s+$", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class LabelHit:
    actor: str  # lexicon key ("armed_opposition") or an entity id
    label: str  # lower-cased as written
    outlet: str
    quoted: bool  # inside quotation marks, or a designation by others ("designated a ...")
    article_id: str
    start: int
    end: int


@dataclass(frozen=True, slots=True, kw_only=True)
class FramingRow:
    actor: str  # lexicon key or entity id
    name: str  # what the row is about, for people
    entity_id: str | None
    labels: dict[str, dict[str, int]]  # outlet -> label -> count (own voice)
    quoted: dict[str, dict[str, int]]  # outlet -> label -> count (quoted or others' designation)
    examples: dict[str, list[dict[str, Any]]]  # outlet -> spans


@dataclass(frozen=True, slots=True)
class Lexicons:
    actors: dict[str, tuple[str, re.Pattern[str]]]  # key -> (title, labels)
    loaded: dict[str, re.Pattern[str]]  # kind -> words


def _rx(words: Iterable[str]) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])(?:" + "|".join(words) + r")(?![\w-])", re.IGNORECASE)


@lru_cache(maxsize=1)
def lexicons() -> Lexicons:
    raw = tomllib.loads(
        resources.files("storyline").joinpath("data/framing.toml").read_text("utf-8")
    )
    return Lexicons(
        actors={k: (v["title"], _rx(v["labels"])) for k, v in raw["actors"].items()},
        loaded={kind: _rx(words) for kind, words in raw["loaded"].items()},
    )


def _quoted_ranges(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _QUOTED.finditer(text)]


def _inside(ranges: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in ranges)


def _long_name_at(mentions: Sequence[EntityMention], start: int, end: int) -> bool:
    """A label word inside a longer proper name ("Syrian National Army") is not a label."""
    return any(
        m.start <= start and end <= m.end and len(m.name.split()) >= 3 and m.type == "ORG"
        for m in mentions
    )


def collective_hits(claims: Sequence[Claim]) -> list[LabelHit]:
    hits = []
    for claim in claims:
        quoted = _quoted_ranges(claim.text)
        taken: list[tuple[int, int]] = []
        for actor, (_title, pattern) in lexicons().actors.items():
            for m in pattern.finditer(claim.text):
                start, end = claim.start + m.start(), claim.start + m.end()
                if any(s < m.end() and m.start() < e for s, e in taken):
                    continue  # one phrase, one label
                if _long_name_at(claim.mentions, start, end):
                    continue
                taken.append((m.start(), m.end()))
                label = re.sub(r"^the\s+", "", m.group().lower())
                attributed = _inside(quoted, m.start(), m.end()) or bool(
                    DESIGNATED.search(claim.text[max(0, m.start() - 40) : m.start()])
                )
                hits.append(
                    LabelHit(
                        actor,
                        label,
                        claim.outlet,
                        attributed,
                        claim.article_id,
                        start,
                        end,
                    )
                )
    return hits


def descriptor_hits(claims: Sequence[Claim]) -> list[LabelHit]:
    """Descriptors named organisations and people get in apposition or as a head noun."""
    hits = []
    for claim in claims:
        quoted = _quoted_ranges(claim.text)
        for mention in claim.mentions:
            if mention.type not in ("ORG", "PERSON"):
                continue
            local_start, local_end = mention.start - claim.start, mention.end - claim.start
            after = claim.text[local_end:]
            before = claim.text[:local_start]
            found = (
                _DESCRIPTOR_AFTER.match(after)
                or _DESCRIPTOR_TRAILING.match(after)
                or _DESCRIPTOR_BEFORE.search(before)
            )
            if not found:
                continue
            label = found.group(1).strip().lower()
            if found.re is _DESCRIPTOR_BEFORE:
                start, end = found.start(1), found.end(1)
            else:
                start, end = local_end + found.start(1), local_end + found.end(1)
            hits.append(
                LabelHit(
                    mention.entity_id,
                    label,
                    claim.outlet,
                    _inside(quoted, start, end),
                    claim.article_id,
                    claim.start + start,
                    claim.start + end,
                )
            )
    return hits


def _leader(claims: Sequence[Claim], hits: Sequence[LabelHit], actor: str) -> EntityMention | None:
    """The organisation the actor's labels sit beside most often (in the same claim)."""
    by_claim = {(c.article_id, c.start, c.end): c for c in claims}
    votes: Counter[str] = Counter()
    names: dict[str, EntityMention] = {}
    for hit in hits:
        if hit.actor != actor:
            continue
        for (article_id, start, end), claim in by_claim.items():
            if article_id == hit.article_id and start <= hit.start < end:
                for m in claim.mentions:
                    if m.type in ("ORG", "PERSON"):
                        votes[m.entity_id] += 1
                        names[m.entity_id] = m
    if not votes:
        return None
    return names[votes.most_common(1)[0][0]]


def framing_table(material: StoryMaterial, claims: Sequence[Claim]) -> list[FramingRow]:
    texts = {s.article_id: s.text for s in material.sources}
    hits = collective_hits(claims) + descriptor_hits(claims)
    names = {m.entity_id: m.name for c in claims for m in c.mentions}
    rows = []
    for actor in dict.fromkeys(h.actor for h in hits):
        mine = [h for h in hits if h.actor == actor]
        if actor in lexicons().actors:
            title = lexicons().actors[actor][0]
            leader = _leader(claims, hits, actor)
            name = f"{title} (beside {leader.name})" if leader else title
            entity_id = leader.entity_id if leader else None
        else:
            name, entity_id = names.get(actor, actor), actor
        labels: dict[str, Counter[str]] = {}
        quoted: dict[str, Counter[str]] = {}
        examples: dict[str, list[dict[str, Any]]] = {}
        for hit in mine:
            (quoted if hit.quoted else labels).setdefault(hit.outlet, Counter())[hit.label] += 1
            shown = examples.setdefault(hit.outlet, [])
            if not hit.quoted and len(shown) < EXAMPLES_PER_OUTLET:
                shown.append(
                    {
                        "article_id": hit.article_id,
                        "start": hit.start,
                        "end": hit.end,
                        "text": texts[hit.article_id][hit.start : hit.end],
                    }
                )
        rows.append(
            FramingRow(
                actor=actor,
                name=name,
                entity_id=entity_id,
                labels={o: dict(c.most_common()) for o, c in sorted(labels.items())},
                quoted={o: dict(c.most_common()) for o, c in sorted(quoted.items())},
                examples=examples,
            )
        )
    # collective rows first, then entities by how many outlets describe them
    rows.sort(key=lambda r: (r.actor not in lexicons().actors, -len(r.labels), r.name))
    return [r for r in rows if r.labels or r.quoted]


def loaded_words(claims: Sequence[Claim]) -> dict[str, dict[str, dict[str, int]]]:
    """Outlet -> kind -> word -> count, in the outlet's own voice."""
    found: dict[str, dict[str, Counter[str]]] = {}
    for claim in claims:
        quoted = _quoted_ranges(claim.text)
        for kind, pattern in lexicons().loaded.items():
            for m in pattern.finditer(claim.text):
                if _inside(quoted, m.start(), m.end()):
                    continue
                found.setdefault(claim.outlet, {}).setdefault(kind, Counter())[
                    m.group().lower()
                ] += 1
    return {
        outlet: {kind: dict(c.most_common()) for kind, c in sorted(kinds.items())}
        for outlet, kinds in sorted(found.items())
    }


def loaded_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of every loaded word in a text (for evaluation and highlighting)."""
    return sorted(
        (m.start(), m.end(), kind)
        for kind, pattern in lexicons().loaded.items()
        for m in pattern.finditer(text)
    )
