"""Timeline summarisation metrics, after tilse (Martschat & Markert 2017) as news-tls uses them.

A timeline maps dates to sentences. Scores are computed from n-gram counts (clipped overlap),
not averaged F1s, so long and short timelines weigh as they should:
- date F1: the predicted dates against the gold dates;
- concat ROUGE-n: all sentences of each timeline joined, dates ignored;
- agreement ROUGE-n: n-grams count only between sentences of the same date;
- align ROUGE-n (m:1): each predicted date is aligned to the nearest gold date and its overlap
  is discounted by 1 / (1 + days apart), so a summary one day off still earns most of its credit.
Tokens: lower-cased words and numbers; no stemming, no stop-word removal.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

Timeline = Mapping[dt.date, Sequence[str]]
_TOKEN = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True, slots=True)
class PRF:
    precision: float
    recall: float
    f1: float

    @classmethod
    def of(cls, matched_p: float, total_p: float, matched_r: float, total_r: float) -> PRF:
        p = matched_p / total_p if total_p else 0.0
        r = matched_r / total_r if total_r else 0.0
        return cls(p, r, 2 * p * r / (p + r) if p + r else 0.0)


def ngrams(sentences: Iterable[str], n: int) -> Counter[tuple[str, ...]]:
    counts: Counter[tuple[str, ...]] = Counter()
    for sentence in sentences:
        tokens = _TOKEN.findall(sentence.lower())
        counts.update(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return counts


def _overlap(a: Counter[tuple[str, ...]], b: Counter[tuple[str, ...]]) -> int:
    return sum((a & b).values())


def date_f1(predicted: Timeline, gold: Timeline) -> PRF:
    shared = len(set(predicted) & set(gold))
    return PRF.of(shared, len(predicted), shared, len(gold))


def concat_rouge(predicted: Timeline, gold: Timeline, n: int = 1) -> PRF:
    p = ngrams((s for ss in predicted.values() for s in ss), n)
    g = ngrams((s for ss in gold.values() for s in ss), n)
    matched = _overlap(p, g)
    return PRF.of(matched, sum(p.values()), matched, sum(g.values()))


def agreement_rouge(predicted: Timeline, gold: Timeline, n: int = 1) -> PRF:
    matched = 0
    for day in set(predicted) & set(gold):
        matched += _overlap(ngrams(predicted[day], n), ngrams(gold[day], n))
    total_p = sum(sum(ngrams(ss, n).values()) for ss in predicted.values())
    total_g = sum(sum(ngrams(ss, n).values()) for ss in gold.values())
    return PRF.of(matched, total_p, matched, total_g)


def align_rouge(predicted: Timeline, gold: Timeline, n: int = 1) -> PRF:
    """m:1 alignment: every predicted date to its nearest gold date (ties: the earlier)."""
    if not predicted or not gold:
        return PRF(0.0, 0.0, 0.0)
    gold_days = sorted(gold)
    matched = 0.0
    for day, sentences in predicted.items():
        nearest = min(gold_days, key=lambda g: (abs((g - day).days), g))
        weight = 1.0 / (1 + abs((nearest - day).days))
        matched += weight * _overlap(ngrams(sentences, n), ngrams(gold[nearest], n))
    total_p = sum(sum(ngrams(ss, n).values()) for ss in predicted.values())
    total_g = sum(sum(ngrams(ss, n).values()) for ss in gold.values())
    return PRF.of(matched, total_p, matched, total_g)


def shuffled(timeline: Timeline, seed: int = 0) -> dict[dt.date, Sequence[str]]:
    """The same dates and summaries, each summary moved to another date (a deranged order)."""
    import random

    days = sorted(timeline)
    texts = [timeline[d] for d in days]
    order = list(range(len(days)))
    rng = random.Random(seed)
    while len(order) > 1 and any(i == j for i, j in enumerate(order)):
        rng.shuffle(order)
    return {day: texts[j] for day, j in zip(days, order, strict=True)}
