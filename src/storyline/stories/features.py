"""Sparse article vectors for story clustering: the words, the names and the numbers.

A story is one event, so what separates two look-alike events (two rehab admissions, two
earthquakes) is mostly *who*, *where* and *how many*: capitalised words inside a sentence and
multi-digit numbers get their own features on top of the plain words, and extracted entities
(when the pipeline has them) join as features too. Weights are sublinear TF x IDF, with the
IDF from document frequencies the caller keeps (so an incremental run can grow them).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from spacy.lang.en.stop_words import STOP_WORDS

_TOKEN = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿĀ-ſ][\w’'-]*|\d[\d,.]*\d|\d")
_SENTENCE_END = re.compile(r"[.!?:\"“”]\s*$|^\s*$")

NAME_WEIGHT = 1.0  # a name or number counts this much on top of its plain word
TITLE_REPEAT = 2  # the title is the densest summary of the event: counted twice


@dataclass(frozen=True, slots=True)
class StoryText:
    """What clustering reads of one article."""

    id: str
    text: str
    title: str | None = None
    entities: frozenset[str] = field(default_factory=frozenset)


def terms(doc: StoryText) -> Counter[str]:
    """Feature counts: lower-cased words without stop words, 'N:' names (capitalised, not
    sentence-initial), '#:' numbers of two or more digits, 'E:' entity ids."""
    counts: Counter[str] = Counter()
    for text, repeat in ((doc.title or "", TITLE_REPEAT), (doc.text, 1)):
        for match in _TOKEN.finditer(text):
            word = match.group(0)
            lower = word.lower().strip("’'-")
            if word[0].isdigit():
                digits = re.sub(r"\D", "", word)
                if len(digits) >= 2:
                    counts["#:" + digits] += repeat
                continue
            if len(lower) < 2 or lower in STOP_WORDS:
                continue
            counts[lower] += repeat
            if word[0].isupper() and not _SENTENCE_END.search(
                text[max(0, match.start() - 3) : match.start()]
            ):
                counts["N:" + lower] += repeat
    for entity in doc.entities:
        counts["E:" + entity] += 1
    return counts


def idf(df: Mapping[str, int], n_docs: int, term: str) -> float:
    return math.log((n_docs + 1) / (df.get(term, 0) + 1)) + 1.0


def weigh(counts: Counter[str], df: Mapping[str, int], n_docs: int) -> dict[str, float]:
    """Unit-length sublinear TF-IDF; names and numbers scaled by NAME_WEIGHT."""
    weights: dict[str, float] = {}
    for term, count in counts.items():
        boost = NAME_WEIGHT if term[:2] in ("N:", "#:", "E:") else 1.0
        weights[term] = boost * (1.0 + math.log(count)) * idf(df, n_docs, term)
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {t: w / norm for t, w in weights.items()}


def document_frequencies(all_terms: Iterable[Counter[str]]) -> Counter[str]:
    df: Counter[str] = Counter()
    for counts in all_terms:
        df.update(counts.keys())
    return df
