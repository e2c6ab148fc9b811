"""One entity per real-world referent across articles, whatever the spelling.

Signals, in order: the curated alias table; for places, the gazetteer id (Türkiye and Turkey
are one country); for people, the surname compared by spelling (rapidfuzz) and sound
(metaphone), with first names that must not conflict (Bashar and Hafez al-Assad stay apart);
for organisations, acronyms expanded against the long names seen ("HTS").

The whole workspace is merged on every extraction run, so nothing here compares all against
all: place names are geocoded in one batch (`Gazetteer.prefetch`), and a person is compared
only with the people whose surname sounds the same or is close enough in spelling, found at
once for all surnames by rapidfuzz `cdist`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

import jellyfish
from rapidfuzz import fuzz

from storyline.extract.entities import PLACE_LABELS, Mention
from storyline.extract.geocode import Gazetteer, Place
from storyline.extract.names import (
    AliasEntry,
    close_names,
    initials,
    key,
    load_aliases,
    tokens,
)
from storyline.model import content_id

SURNAME_SIMILARITY = 80  # rapidfuzz ratio: jolani/joulani 92, jolani/golani 83, assad/asad 89
_SURNAME_CHUNK = 512  # surnames per cdist call: 512 bytes of scores per surname seen


@dataclass(slots=True)
class Entity:
    id: str
    name: str
    type: str
    mentions: list[Mention] = field(default_factory=list)
    geo: Place | None = None

    @property
    def aliases(self) -> list[str]:
        return sorted({m.text for m in self.mentions} - {self.name})


def _kind(label: str) -> str:
    return "PLACE" if label in PLACE_LABELS else label


def merge(
    mentions: list[Mention], gazetteer: Gazetteer, aliases: list[AliasEntry] | None = None
) -> list[Entity]:
    table = aliases if aliases is not None else load_aliases()
    by_alias = {key(a): entry for entry in table for a in (entry.name, *entry.aliases)}
    groups: dict[str, list[Mention]] = defaultdict(list)
    canonical: dict[str, tuple[str, str]] = {}
    countries: Counter[str] = Counter()
    by_article: dict[str, Counter[str]] = defaultdict(Counter)
    texts = {m.text for m in mentions}
    country_of = {text: gazetteer.country(text) for text in texts}
    key_of = {text: key(text) for text in texts}
    for m in mentions:
        if (place := country_of[m.text]) is not None:
            countries[place.country] += 1
            by_article[m.article_id][place.country] += 1
    preferred = [c for c, _ in countries.most_common(3)]
    # The fuzzy searches of the place lookups below, in one batch (the same results without).
    gazetteer.prefetch(
        {
            m.text
            for m in mentions
            if _kind(m.label) == "PLACE"
            and country_of[m.text] is None
            and key_of[m.text] not in by_alias
        }
    )
    geo: dict[str, Place] = {}
    for mention in mentions:
        entry = by_alias.get(key_of[mention.text])
        if entry is not None:
            group = f"alias:{entry.name}"
            canonical[group] = (entry.name, _kind(entry.type))
        elif _kind(mention.label) == "PLACE":
            # The article's own countries first: a Rotterdam in a Suez story is the Dutch one
            # even when the workspace is full of American news.
            context = [c for c, _ in by_article[mention.article_id].most_common(3)] or preferred
            place = country_of[mention.text] or gazetteer.lookup(mention.text, context)
            group = f"geo:{place.gazetteer_id}" if place else f"place:{key_of[mention.text]}"
            if place:
                geo[group] = place
        else:
            group = f"{_kind(mention.label)}:{key_of[mention.text]}"
        groups[group].append(mention)
    for group, entry_name_type in canonical.items():
        if entry_name_type[1] == "PLACE":
            place = gazetteer.country(entry_name_type[0]) or gazetteer.lookup(
                entry_name_type[0], preferred
            )
            if place:
                geo[group] = place
    _merge_people(groups)
    _merge_acronyms(groups)
    entities = []
    for group, members in groups.items():
        name, kind = canonical.get(group) or (_best_name(members), _kind(members[0].label))
        entities.append(
            Entity(
                id=content_id(kind, name),
                name=name,
                type=kind,
                mentions=members,
                geo=geo.get(group),
            )
        )
    return sorted(entities, key=lambda e: (-len(e.mentions), e.name))


def _best_name(members: list[Mention]) -> str:
    counts = Counter(m.text for m in members)
    return max(counts, key=lambda text: (len(tokens(text)), counts[text], text))


@lru_cache(maxsize=1 << 16)
def _sound(name: str) -> str:
    return str(jellyfish.metaphone(name))


@lru_cache(maxsize=1 << 16)
def _surname_match(a: str, b: str) -> bool:
    return fuzz.ratio(a, b) >= SURNAME_SIMILARITY or _sound(a) == _sound(b)


def _given_names_compatible(a: list[str], b: list[str]) -> bool:
    """Every given name of the shorter form appears in the longer one ("Tayyip" in "Recep
    Tayyip"); "Bashar" and "Hafez" do not."""
    shorter, longer = sorted((a, b), key=len)
    return all(any(_surname_match(x, y) for y in longer) for x in shorter)


def _merge_people(groups: dict[str, list[Mention]]) -> None:
    """Full names with matching surnames and compatible first names merge; a bare surname
    joins the most-mentioned full name it matches."""
    people = sorted(
        (g for g in groups if g.startswith(("PERSON:", "alias:"))), key=lambda g: -len(groups[g])
    )
    people = [g for g in people if g.startswith("PERSON:") or groups[g][0].label == "PERSON"]
    # A group's names are those of its first mention, which merging never changes.
    names_of = {g: tokens(groups[g][0].text) for g in people}
    candidates = _surname_candidates(people, names_of)
    for group in people:
        if group not in groups:
            continue
        names = names_of[group]
        # In `people` order, the only groups whose surname can match: skipping the others
        # changes nothing, as a pair that does not match is passed over.
        for other in candidates.get(group, ()):
            if other == group or other not in groups or group not in groups:
                continue
            other_names = names_of[other]
            if not names or not other_names or not _surname_match(names[-1], other_names[-1]):
                continue
            first, other_first = names[:-1], other_names[:-1]
            if first and other_first and not _given_names_compatible(first, other_first):
                continue  # Bashar vs Hafez
            if len(other_names) > len(names) or other.startswith("alias:"):
                target, source = other, group
            else:
                target, source = group, other
            if source.startswith("alias:") and not target.startswith("alias:"):
                target, source = source, target
            if source.startswith("alias:"):
                continue  # two curated entries never merge
            groups[target].extend(groups.pop(source))


def _surname_candidates(people: list[str], names_of: dict[str, list[str]]) -> dict[str, list[str]]:
    """For each person group with a name, the groups (in `people` order, itself included) whose
    surname might `_surname_match` its own: the same metaphone code, or a `ratio` at least
    SURNAME_SIMILARITY less a point (a superset, checked exactly by the caller)."""
    by_surname: dict[str, list[str]] = defaultdict(list)
    for group in people:
        if names := names_of[group]:
            by_surname[names[-1]].append(group)
    surnames = list(by_surname)
    by_sound: dict[str, list[str]] = defaultdict(list)
    for surname in surnames:
        by_sound[_sound(surname)].append(surname)
    position = {group: i for i, group in enumerate(people)}
    candidates: dict[str, list[str]] = {}
    for surname, hits in close_names(surnames, surnames, SURNAME_SIMILARITY - 1, _SURNAME_CHUNK):
        close = {surnames[int(i)] for i in hits}
        close.update(by_sound[_sound(surname)])
        others = sorted((g for s in close for g in by_surname[s]), key=position.__getitem__)
        for group in by_surname[surname]:
            candidates[group] = others
    return candidates


def _merge_acronyms(groups: dict[str, list[Mention]]) -> None:
    long_names = {
        initials(members[0].text): group
        for group, members in groups.items()
        if members[0].label == "ORG" and len(tokens(members[0].text)) >= 2
    }
    for group in [g for g in groups if g.startswith("ORG:")]:
        text = groups[group][0].text
        target = long_names.get(text) if text.isupper() and 2 <= len(text) <= 6 else None
        if target and target != group and target in groups:
            groups[target].extend(groups.pop(group))
