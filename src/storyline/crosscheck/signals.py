"""What a claim says that can be checked against another claim: typed, with its evidence span.

Each reader is a small rule over the claim's text and the annotations extraction made inside
it (entities, places, times, quantities). A reader that cannot tell what a value is about
returns nothing: an unknown subject is never compared, which is how the typed rules keep
their false alarms down.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from storyline.crosscheck.claims import Claim
from storyline.crosscheck.events import event_classes, event_patterns
from storyline.crosscheck.material import EntityMention

# Nouns that name one kind of thing, so "a 984-foot freighter" and "the 300-metre vessel" are
# measured on one subject.
_SUBJECT_CLASS = {
    "ship": "ship", "vessel": "ship", "freighter": "ship", "megaship": "ship", "giant": "ship",
    "carrier": "ship", "tanker": "ship", "boat": "ship", "containership": "ship",
    "bridge": "bridge", "span": "bridge", "crossing": "bridge",
    "canal": "canal", "waterway": "canal", "channel": "canal",
    "quake": "quake", "earthquake": "quake", "tremor": "quake",
}  # fmt: skip
_NOUN = r"[A-Za-z][A-Za-z-]*"
_NOUNS_AFTER = re.compile(rf"^\s*((?:{_NOUN})(?:\s+{_NOUN}){{0,2}})")
_DIMENSION_WORD = re.compile(r"^\s*(long|wide|high|tall|deep|in length|in diameter)\b")
_DEPTH = re.compile(r"(?:\bdepth of\s*$)|(?:\bdepth\b[^.;]{0,20}$)")
_DEPTH_AFTER = re.compile(r"^\s*(?:below the surface|underground|beneath the surface|deep)\b")
_DISTANCE_GAP = re.compile(
    r"\s*(?:\w+\s+){0,2}?(?:from|of|away from|(?:south|north|east|west)(?:-\w+)? of)\s+"
    r"(?:the\s+)?(?:(?:city|town|capital|port|province) of\s+|capital\s+|city\s+)?"
)
_WHICH_IS = re.compile(r",\s*(?:which|that|who)\s+(?:is|was|lies|sits)\s+(?:about\s+)?$")
_SUBJECT_BEFORE = re.compile(rf"({_NOUN})\s*,\s*(?:(?:which|that)\s+(?:is|was)\s+)?$")

_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10,
}  # fmt: skip
_RANK = re.compile(
    r"\b(?:(?P<ord>second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d{1,2}(?:st|nd|rd|th))"
    r"[- ])?(?P<sup>largest|biggest|busiest|oldest|tallest|longest|deadliest|richest|poorest|"
    r"most populous|most populated|most powerful)\s+(?!of\b|in\b|and\b)(?P<noun>[a-z]+)"
    r"(?:\s+(?:in|of)\s+(?:the\s+)?(?:country|nation|world|region|[A-Z][\w-]*))?"
    r"(?:\s+for\s+(?P<for>[a-z]+(?:\s+[a-z]+)?))?",
    re.IGNORECASE,
)
_RANK_GAP_BEFORE = re.compile(
    r"^(?:\s*,\s*(?:(?:which|that)\s+(?:is|was)\s+)?|\s+(?:is|was|remains|became)\s+)"
    r"(?:the\s+)?(?:[\w’'-]+[’']s?\s+)?$"
)
_ONE_OF = re.compile(r"\bone of (?:the\s+)?(?:[\w’'-]+[’']s?\s+)?$", re.IGNORECASE)
_RANKABLE = ("PLACE", "GPE", "LOC", "FAC", "ORG")
_NAME_BEFORE = re.compile(
    r"\b([A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){0,3})(?:\s*,\s*(?:(?:which|that)\s+(?:is|was)\s+)?"
    r"|\s+(?:is|was|remains|became)\s+)(?:the\s+)?(?:[\w’'-]+[’']s?\s+)?$"
)
_NOT_NAMES = frozenset({"It", "This", "That", "The", "He", "She", "They"})
_PRONOUN_START = re.compile(r"^(?:It|This|That)\s+(?:is|was|remains)\b")
_CITY_ANAPHOR = re.compile(r"\b[Tt]he (?:city|town|capital)\b")
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_MAGNITUDE = re.compile(
    r"\b(?:magnitude(?:[- ]of)?\s+(\d\.\d)|(\d\.\d)[- ]magnitude|measured at\s+(\d\.\d))"
)
_CHUNK_BREAK = re.compile(
    r",|;|\s[-–—]\s|\s(?:after|before|when|while|until|since|as|because|ending|leaving)\s"
)
_ORDER_WORD = re.compile(r"\b(first|second|third|another|later|earlier)\b", re.IGNORECASE)

PLURAL_HEADS = {"people": "people", "persons": "people", "deaths": "people", "dead": "people"}


@dataclass(frozen=True, slots=True)
class Measure:
    """A measured value (length, distance, depth ...) with what it measures."""

    subject: str  # "ship", "bridge", "depth", "distance:<entity id>"
    label: str  # how the subject reads in a summary
    quantity: dict[str, object]


@dataclass(frozen=True, slots=True)
class Count:
    counted: str  # the counted noun, normalised
    quantity: dict[str, object]


@dataclass(frozen=True, slots=True)
class Ranking:
    subject_id: str
    subject: str  # the ranked entity's name
    scale: str  # "largest city", "busiest port for car shipments"
    rank: int
    start: int  # article offsets of the ranking phrase
    end: int


@dataclass(frozen=True, slots=True)
class Located:
    """An event class the claim places somewhere, with the places it names for it."""

    event: str
    places: frozenset[str]  # entity ids
    names: tuple[str, ...]
    anchor_years: frozenset[int]
    via_anaphor: bool
    tight: bool  # the place follows the event word closely ("epicentre near Pazarcık")


def _local(claim: Claim, offset: int) -> int:
    return offset - claim.start


def _subject_class(word: str) -> str | None:
    return _SUBJECT_CLASS.get(word.lower().rstrip("s")) or _SUBJECT_CLASS.get(word.lower())


def measures(claim: Claim) -> list[Measure]:
    found = []
    text = claim.text
    for q in claim.quantities:
        if q.get("unit") != "m":
            continue
        start, end = _local(claim, int(str(q["start"]))), _local(claim, int(str(q["end"])))
        before, after = text[:start], text[end:]
        quantity_text = str(q["text"])
        subject: tuple[str, str] | None = None
        place = _place_after(claim, end)
        if place is not None and not _DISTANCE_GAP.fullmatch(text[end : place[2]]):
            place = None
        if _DEPTH.search(before[-40:]) or _DEPTH_AFTER.match(after):
            subject = ("depth", "depth")
        elif _DIMENSION_WORD.match(after):  # "X, which is 300 metres long": X's size
            if m := _SUBJECT_BEFORE.search(before):
                cls = _subject_class(m.group(1)) or _class_of_named(before[: m.start(1)])
                subject = (cls, f"length of the {cls}") if cls else None
        elif place is None and _WHICH_IS.search(before) and (p := _place_before(claim, start)):
            subject = (f"distance:{p[0]}", f"distance to {p[1]}")
        elif place is not None:
            subject = (f"distance:{place[0]}", f"distance to {place[1]}")
        elif "-" in quantity_text and (words := _NOUNS_AFTER.match(after)):
            # "a 400-metre container ship": the first of the next three words naming a class
            classes = [_subject_class(w) for w in words.group(1).split()]
            cls = next((c for c in classes if c), None)
            subject = (cls, f"length of the {cls}") if cls else None
        if subject:
            found.append(Measure(subject[0], subject[1], q))
    return found


def _class_of_named(before: str) -> str | None:
    """'The Singapore-flagged vessel Dali, which is ...': the class noun before a name."""
    words = re.findall(_NOUN, before[-40:])
    for word in reversed(words[-3:]):
        if cls := _subject_class(word):
            return cls
    return None


def _place_after(claim: Claim, local_end: int) -> tuple[str, str, int] | None:
    """The first place named within 45 characters after a value: (id, name, local start)."""
    for m in claim.mentions:
        offset = _local(claim, m.start)
        if m.place and offset >= local_end and offset - local_end <= 45:
            return m.entity_id, m.name, offset
    return None


def _place_before(claim: Claim, local_start: int) -> tuple[str, str] | None:
    best = None
    for m in claim.mentions:
        offset = _local(claim, m.end)
        if m.place and offset <= local_start and local_start - offset <= 25:
            best = (m.entity_id, m.name)
    return best


def counts(claim: Claim) -> list[Count]:
    found = []
    for q in claim.quantities:
        counted = q.get("counted")
        if q.get("unit") is not None or not counted:
            continue
        head = str(counted).lower().split()[-1]
        found.append(Count(PLURAL_HEADS.get(head, head), q))
    return found


def rankings(
    claim: Claim, previous: Claim | None, known_names: dict[str, str] | None = None
) -> list[Ranking]:
    """Rankings ("the second-largest city") with the entity they rank. `known_names` maps
    lower-cased names to entity ids, for subjects extraction did not tag."""
    found = []
    text = claim.text
    for m in _RANK.finditer(text):
        if _ONE_OF.search(text[: m.start()]):
            continue  # "one of the largest": no rank
        rank = _rank_number(m.group("ord"))
        scale = f"{m.group('sup').lower()} {m.group('noun').lower()}"
        if m.group("for"):
            scale += f" for {m.group('for').lower()}"
        subject = _ranked_subject(claim, m, previous, known_names or {})
        if subject:
            found.append(
                Ranking(
                    subject_id=subject[0],
                    subject=subject[1],
                    scale=scale,
                    rank=rank,
                    start=claim.start + m.start(),
                    end=claim.start + m.end(),
                )
            )
    return found


def _rank_number(ordinal: str | None) -> int:
    if not ordinal:
        return 1
    word = ordinal.lower()
    return _ORDINALS.get(word) or int(re.sub(r"\D", "", word))


def _ranked_subject(
    claim: Claim, match: re.Match[str], previous: Claim | None, known_names: dict[str, str]
) -> tuple[str, str] | None:
    text = claim.text
    for mention in claim.mentions:
        if mention.type not in _RANKABLE:
            continue
        start, end = _local(claim, mention.start), _local(claim, mention.end)
        if end <= match.start() and _RANK_GAP_BEFORE.match(text[end : match.start()]):
            return mention.entity_id, mention.name
        if start >= match.end() and re.fullmatch(r"\s*,\s*", text[match.end() : start]):
            return mention.entity_id, mention.name
    if previous is not None and _PRONOUN_START.match(text) and match.start() < 20:
        for mention in previous.mentions:  # "It is the busiest port": the last sentence's place
            if mention.type in _RANKABLE:
                return mention.entity_id, mention.name
    # A name extraction missed ("Aleppo, which is the second-largest city" at a sentence
    # start): the capitalised words right before the phrase, matched by name.
    named = _NAME_BEFORE.search(text[: match.start()])
    if named and named.group(1) not in _NOT_NAMES:
        name = named.group(1)
        return known_names.get(name.lower(), f"name:{name.lower()}"), name
    return None


def located_events(claim: Claim, previous: Claim | None) -> list[Located]:
    classes = event_classes(claim.text) & {"massacre", "quake", "collapse", "uprising"}
    if not classes:
        return []
    places = [m for m in claim.mentions if m.place and not m.coarse]
    via_anaphor = False
    if not places and previous is not None and _CITY_ANAPHOR.search(claim.text):
        places = [m for m in previous.mentions if m.place and not m.coarse][:1]
        via_anaphor = bool(places)
    if not places:
        return []
    years = frozenset(int(y) for y in _YEAR.findall(claim.text))
    found = []
    for event in sorted(classes):
        tight = [m for m in places if _tight(claim, event, m)] if not via_anaphor else []
        chosen = tight or places
        found.append(
            Located(
                event=event,
                places=frozenset(m.entity_id for m in chosen),
                names=tuple(dict.fromkeys(m.name for m in chosen)),
                anchor_years=years,
                via_anaphor=via_anaphor,
                tight=bool(tight),
            )
        )
    return found


_LOCATIVE = re.compile(r"\b(?:near|in|at|outside|off)\s+(?:the\s+(?:city|town|village) of\s+)?$")


def _tight(claim: Claim, event: str, mention: EntityMention) -> bool:
    """Is the place the event's own location: the event word, at most 8 words, a locative
    preposition, then the place ("the quake hit ... near the city of Gaziantep")?"""
    start = mention.start - claim.start
    for m in event_patterns()[event].finditer(claim.text, 0, start):
        between = claim.text[m.end() : start]
        if len(between.split()) <= 9 and _LOCATIVE.search(between):
            return True
    return False


def magnitudes(claim: Claim) -> frozenset[str]:
    return frozenset(next(g for g in m.groups() if g) for m in _MAGNITUDE.finditer(claim.text))


def order_words(claim: Claim) -> frozenset[str]:
    return frozenset(w.lower() for w in _ORDER_WORD.findall(claim.text))


def event_days(claim: Claim) -> dict[str, tuple[str, dict[str, object]]]:
    """Event class -> (day, time reference) where the class and a day-precise time sit in the
    same chunk of the sentence: "was freed on Monday, March 29" ties the freeing to the 29th,
    "moving again on Tuesday, after teams dislodged the ship" does not tie the dislodging to
    Tuesday."""
    text = claim.text
    bounds = [0, *(m.end() for m in _CHUNK_BREAK.finditer(text)), len(text) + 1]
    found: dict[str, tuple[str, dict[str, object]]] = {}
    for time in claim.times:
        if time.get("precision") != "day" or time.get("background") or not time.get("value_start"):
            continue
        if time.get("value_start") != time.get("value_end"):
            continue
        offset = _local(claim, int(str(time["start"])))
        if not 0 <= offset < len(text):
            continue  # a time expression running in from the previous sentence
        chunk_start = max(b for b in bounds if b <= offset)
        chunk_end = min(b for b in bounds if b > offset)
        # the time belongs to the chunk it starts in, and there to the nearest event word
        nearest: list[tuple[int, str]] = []
        for event, pattern in event_patterns().items():
            for m in pattern.finditer(text, chunk_start, chunk_end):
                distance = offset - m.end() if m.end() <= offset else m.start() - offset
                nearest.append((abs(distance), event))
        if nearest:
            best = min(d for d, _ in nearest)
            for distance, event in nearest:
                if distance == best:
                    found.setdefault(event, (str(time["value_start"]), time))
    return found


_SAYS_AFTER = re.compile(
    r"^\s*,?\s*(?:[^,]{0,80},\s*)?(?:said|says|told|stated|announced|reported|confirmed|added)\b"
)
_ACCORDING_BEFORE = re.compile(r"\baccording to\s+$")


def speaker_entity(claim: Claim) -> tuple[str, str] | None:
    """The named body (ORG or PERSON entity) the claim's statement is credited to: the
    speaker extraction found, else a name right before "said" ("The ship's technical manager,
    Bernhard Schulte Shipmanagement, said ...") or after "according to"."""
    named = [m for m in claim.mentions if m.type in ("ORG", "PERSON")]
    if claim.speaker:
        at = claim.text.find(claim.speaker)
        if at >= 0:
            start, end = claim.start + at, claim.start + at + len(claim.speaker)
            for mention in named:
                if start <= mention.start and mention.end <= end:
                    return mention.entity_id, mention.name
    for mention in named:
        local_start, local_end = mention.start - claim.start, mention.end - claim.start
        if _SAYS_AFTER.match(claim.text[local_end:]) or _ACCORDING_BEFORE.search(
            claim.text[:local_start]
        ):
            return mention.entity_id, mention.name
    return None
