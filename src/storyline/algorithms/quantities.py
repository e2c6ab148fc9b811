"""Numbers in news text with their unit, what they count and how exact they are.

"727 people, including 111 civilians", "at least 700 people", "about 200km", "25 miles farther",
"a 50-percent raise", "between 300,000 to 500,000 dead", "$9.6bn": each becomes a value
interval in a canonical unit (metres, percent, US dollars, or a plain count), so two outlets'
numbers can be compared: 25 miles is 40.2 km and does not fit "about 50 km"; "at least 700"
fits 727. Dates and times are not quantities (their spans come from `timex`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from storyline.algorithms.timex import find_time_mentions

_WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "a hundred": 100, "a dozen": 12, "half a dozen": 6,
}  # fmt: skip
# Vague plurals: a range, not a number ("hundreds of detainees").
_VAGUE = {
    "dozens": (24.0, 99.0),
    "scores": (40.0, 99.0),
    "hundreds": (200.0, 999.0),
    "thousands": (2000.0, 9999.0),
    "tens of thousands": (20000.0, 99999.0),
    "hundreds of thousands": (200000.0, 999999.0),
    "millions": (2e6, 9.99e6),
}
_SCALES = {
    "thousand": 1e3, "million": 1e6, "mln": 1e6, "m": 1e6,
    "billion": 1e9, "bn": 1e9, "trillion": 1e12,
}  # fmt: skip
# unit spelling -> (canonical unit, factor to it)
_UNITS = {
    "km": ("m", 1000.0), "kilometre": ("m", 1000.0), "kilometer": ("m", 1000.0),
    "kilometres": ("m", 1000.0), "kilometers": ("m", 1000.0),
    "mile": ("m", 1609.344), "miles": ("m", 1609.344), "mi": ("m", 1609.344),
    "metre": ("m", 1.0), "meter": ("m", 1.0), "metres": ("m", 1.0), "meters": ("m", 1.0),
    "foot": ("m", 0.3048), "feet": ("m", 0.3048), "ft": ("m", 0.3048),
    "percent": ("percent", 1.0), "per cent": ("percent", 1.0), "%": ("percent", 1.0),
    "degrees celsius": ("celsius", 1.0), "degrees": ("degrees", 1.0),
}  # fmt: skip
# approximator -> how it widens the value: (low factor, high factor); None = unbounded
_APPROXIMATORS: dict[str, tuple[float, float | None]] = {
    "at least": (1.0, None), "more than": (1.0, None), "over": (1.0, None),
    "upwards of": (1.0, None), "in excess of": (1.0, None), "above": (1.0, None),
    "nearly": (0.85, 1.0), "almost": (0.85, 1.0), "close to": (0.85, 1.05),
    "up to": (0.0, 1.0), "as many as": (0.0, 1.0), "fewer than": (0.0, 1.0),
    "less than": (0.0, 1.0), "under": (0.0, 1.0), "at most": (0.0, 1.0),
    "about": (0.9, 1.1), "around": (0.9, 1.1), "roughly": (0.9, 1.1),
    "approximately": (0.9, 1.1), "some": (0.9, 1.1), "an estimated": (0.85, 1.15),
    "estimated": (0.85, 1.15),
    # "at last 700 people" can only be a slip for "at least" (seed 004 has it); read it so
    # rather than as an exact 700 that contradicts "727".
    "at last": (1.0, None),
}  # fmt: skip
ROUNDING = 0.02  # a stated number stands for anything within 2% ("300 metres" for 299.9 m)

_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_WORDS = "|".join(sorted((re.escape(w) for w in _WORD_NUMBERS), key=len, reverse=True))
_SCALE = r"(?:\s*(?:thousand|million|mln|billion|bn|trillion)\b|(?<=\d)(?:m|bn)\b)"
_APPROX = "|".join(sorted((re.escape(a) for a in _APPROXIMATORS), key=len, reverse=True))
_UNIT = (
    r"(?:-|\s)?(?P<unit>kilomet(?:re|er)s?|km|miles?|mi|met(?:re|er)s?|feet|foot|ft|"
    r"per cent|percent|%|degrees celsius|degrees)(?![a-z])"
)
_CURRENCY = r"(?P<currency>\$|US\$|€|£)"
_VAGUE_RX = "|".join(sorted((re.escape(v) for v in _VAGUE), key=len, reverse=True))
# A line break ends the counted phrase ("121 RBI\nLast season" counts nothing after it).
_COUNTED = r"(?:[ \t]+(?:of[ \t]+)?(?P<counted>(?:[a-z][a-z-]+[ \t]+){0,2}[a-z][a-z-]+))?"
_NUM = rf"(?P<num>{_NUMBER}|{_WORDS})(?P<scale>{_SCALE})?"
_QUANTITY = re.compile(
    rf"(?:(?P<approx>{_APPROX})\s+)?"
    rf"(?:between\s+(?P<low>{_NUMBER})(?P<lowscale>{_SCALE})?\s+(?:and|to)\s+|"
    rf"(?P<low2>{_NUMBER})(?P<lowscale2>{_SCALE})?\s*(?:-|–|to)\s*(?={_NUMBER}))?"
    rf"{_CURRENCY}?\b{_NUM}(?:{_UNIT})?{_COUNTED}"
    rf"|(?P<vague>{_VAGUE_RX})"
    rf"(?:[ \t]+of[ \t]+(?P<vcounted>(?:[a-z][a-z-]+[ \t]+){{0,2}}[a-z][a-z-]+))?",
    re.IGNORECASE,
)
# Words after a number that are not what it counts.
_NOT_COUNTED = {
    "and", "or", "to", "of", "in", "on", "at", "by", "for", "from", "the", "a", "an", "as",
    "was", "were", "is", "are", "had", "has", "have", "said", "who", "which", "that", "than",
    "per", "percent", "with", "into", "after", "before", "when", "while", "but", "since",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Quantity:
    start: int
    end: int
    text: str
    value: float  # in `unit` (metres for lengths); the midpoint for ranges and vague plurals
    low: float  # what the wording allows: "at least 700" -> 700 .. inf
    high: float
    unit: str | None  # "m", "percent", "USD", "celsius" ... or None for a count
    counted: str | None  # what is counted: "people", "civilians", "road workers"
    approximator: str | None

    def compatible(self, other: Quantity) -> bool:
        """Can both be true? Same unit, overlapping intervals (with 2% rounding)."""
        if self.unit != other.unit:
            return False
        low_a, high_a = self.low * (1 - ROUNDING), self.high * (1 + ROUNDING)
        low_b, high_b = other.low * (1 - ROUNDING), other.high * (1 + ROUNDING)
        return low_a <= high_b and low_b <= high_a


def _number(text: str, scale: str | None) -> float:
    key = text.lower()
    value = float(_WORD_NUMBERS[key]) if key in _WORD_NUMBERS else float(text.replace(",", ""))
    if scale:
        value *= _SCALES[scale.strip().lower()]
    return value


# Words that end a counted noun phrase: verbs right after it ("two countries rose").
_VERB_AFTER = {
    "rose", "fell", "died", "remain", "remains", "remained", "struck", "shook", "hit", "left",
    "fled", "lost", "made", "went", "came", "say", "said", "took", "followed", "together",
    "between", "more", "aboard", "still", "also", "now", "then", "each", "only",
}  # fmt: skip
# Words that modify the counted noun rather than name it ("more border crossings").
_MODIFIERS = {"more", "other", "new", "further", "additional", "extra", "fewer", "some"}


def _counted(raw: str | None) -> str | None:
    """The counted noun phrase, ending at its head: a plural noun if one comes before a verb
    or a stop word ("thousands of collapsed buildings" -> "buildings"), else the words kept."""
    if not raw:
        return None
    kept: list[str] = []
    for word in raw.split():
        lower = word.lower()
        if lower in _NOT_COUNTED or (kept and lower in _VERB_AFTER):
            break
        kept.append(word)
        if _plural(lower) and lower not in _MODIFIERS:
            break  # the head of the phrase: what follows is not part of it
    if len(kept) > 1 and _plural(kept[-1].lower()):
        while len(kept) > 1 and (kept[0].lower() in _MODIFIERS or kept[0].lower().endswith("ed")):
            kept = kept[1:]
    return " ".join(kept) or None


def _plural(word: str) -> bool:
    return word == "people" or (word.endswith("s") and not word.endswith(("ss", "us", "is")))


def _counted_end(match: re.Match[str], group: str, counted: str | None) -> int:
    """Where the quantity's span ends: after the counted words kept, else before the group."""
    if counted:
        words = list(re.finditer(r"\S+", match.group(group)))
        first = next(i for i, w in enumerate(words) if w.group(0) == counted.split()[0])
        return match.start(group) + words[first + len(counted.split()) - 1].end()
    ends = [match.end(g) for g in ("unit", "scale", "num") if match.group(g)]
    return max(ends) if ends else match.start(group)


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity in the text, with spans; numbers inside dates and times are skipped."""
    masked = [(m.start, m.end) for m in find_time_mentions(text, None)]
    found: list[Quantity] = []
    position = 0
    while (match := _QUANTITY.search(text, position)) is not None:
        start = match.start()
        core_end = max(match.end(g) for g in ("num", "unit", "scale", "vague") if match.group(g))
        overlap = [m_end for m_start, m_end in masked if start < m_end and m_start < core_end]
        if overlap:
            position = max(max(overlap), start + 1)  # resume after the date, not after us
            continue
        if _is_clock_or_year(text, match):
            position = match.end("num")
            continue
        quantity = _build(match)
        found.append(quantity)
        position = quantity.end
    return found


def _is_clock_or_year(text: str, match: re.Match[str]) -> bool:
    number = match.group("num")
    if number is None:
        return False
    after = text[match.end("num") : match.end("num") + 1]
    if after == ":" or text[max(match.start("num") - 1, 0)] == ":":
        return True  # 1:30
    plain = number.isdigit() and len(number) == 4 and 1800 <= int(number) <= 2100
    return plain and not match.group("unit") and not match.group("currency")


def _build(match: re.Match[str]) -> Quantity:
    approximator = (match.group("approx") or "").lower() or None
    text = match.string
    if match.group("vague"):
        low, high = _VAGUE[match.group("vague").lower()]
        counted = _counted(match.group("vcounted"))
        end = _counted_end(match, "vcounted", counted) if counted else match.end("vague")
        return Quantity(
            start=match.start(), end=end, text=text[match.start() : end],
            value=(low + high) / 2, low=low, high=high, unit=None,
            counted=counted, approximator=match.group("vague").lower(),
        )  # fmt: skip
    value = _number(match.group("num"), match.group("scale"))
    unit, factor = None, 1.0
    if match.group("unit"):
        unit, factor = _UNITS[match.group("unit").lower()]
    elif match.group("currency"):
        unit = {"$": "USD", "us$": "USD", "€": "EUR", "£": "GBP"}[match.group("currency").lower()]
    value *= factor
    low = high = value
    range_low = match.group("low") or match.group("low2")
    if range_low:
        scale = match.group("lowscale") or match.group("lowscale2") or match.group("scale")
        low = _number(range_low, scale) * factor
        value = (low + high) / 2
    elif approximator:
        low_factor, high_factor = _APPROXIMATORS[approximator]
        low = value * low_factor
        high = math.inf if high_factor is None else value * high_factor
    counted = _counted(match.group("counted")) if unit in (None, "USD", "EUR", "GBP") else None
    end = _counted_end(match, "counted", counted) if match.group("counted") else match.end()
    return Quantity(
        start=match.start(), end=end, text=text[match.start() : end], value=value, low=low,
        high=high, unit=unit, counted=counted, approximator=approximator,
    )  # fmt: skip
