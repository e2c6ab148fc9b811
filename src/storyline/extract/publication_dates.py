"""Publication days for articles dated only to a month or year (or not at all), borrowed from
the day-dated articles that tell the same story.

An article's own text cannot always say when it was written: Bloomberg's "Syria's army ceded
control of Hama ... on Thursday" carries only "©2024". The articles that name the same actors
and places and are dated to the day can: if they were published on Thursday 5 December, and
the article reports from a Thursday, that is its day too. The result is always marked
inferred, with the articles it came from named in its evidence.

Neighbours are found by entity overlap (cosine over IDF-weighted entity sets) until story
clustering exists (issue 5); only dates an article carries itself (given, or read from its own
text) are lent, so one guess never feeds another.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from storyline.algorithms.timex import find_time_mentions, reporting_weekday
from storyline.model import Granularity, PublishedDate

SIMILARITY_BLOCK = 256  # undated articles scored per sparse product (bounds its memory)
MIN_SIMILARITY = 0.08  # entity cosine; across the examples' three stories at most 0.06
RELATIVE_SIMILARITY = 0.3  # neighbours at least 30% as similar as the best one ...
MAX_NEIGHBOURS = 5  # ... and at most this many
COPY_SIMILARITY = 0.5  # a copy or rewrite of one article (seed 001 in 000: 0.56)
MAX_DISTANCE_DAYS = 6  # a neighbour's day supports candidates less than a week away
BORROWED = "related articles"  # how the evidence of a borrowed day begins
WITHIN = "; inside "  # ... and how it names the article's own month or year, if it had one


@dataclass(frozen=True, slots=True)
class DatingInput:
    """What the inference needs of one article: its own date, its text (for the weekdays it
    names) and the merged entities it mentions."""

    id: str
    published: PublishedDate | None
    text: str
    entities: frozenset[str]
    days: frozenset[dt.date] = frozenset()  # the single days its time expressions point to


def _window(published: PublishedDate | None) -> tuple[dt.date, dt.date]:
    if published is None:
        return dt.date.min, dt.date.max
    start = published.value
    if published.granularity is Granularity.MONTH:
        return start, start.replace(day=calendar.monthrange(start.year, start.month)[1])
    return dt.date(start.year, 1, 1), dt.date(start.year, 12, 31)


def _vectors(articles: Sequence[DatingInput]) -> dict[str, dict[str, float]]:
    """Unit-length IDF vectors; smoothed IDF so an entity every article shares still counts."""
    df = Counter(entity for a in articles for entity in a.entities)
    n = len(articles)
    vectors: dict[str, dict[str, float]] = {}
    for article in articles:
        weights = {e: math.log(1 + n / df[e]) for e in article.entities}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        vectors[article.id] = {e: w / norm for e, w in weights.items()}
    return vectors


def infer_from_neighbours(
    articles: Sequence[DatingInput], min_similarity: float = MIN_SIMILARITY
) -> dict[str, PublishedDate]:
    """Inferred day-precise dates for the articles that lack one, where the neighbours agree.

    Candidates are days inside the article's own month or year; when the article names
    weekdays, only days on the weekday it reports from (`reporting_weekday`). Each dated
    neighbour supports a candidate by its similarity, less with every day between them; the
    best candidate wins unless another ties with it.
    """
    dated = [a for a in articles if a.published and a.published.granularity is Granularity.DAY]
    undated = [
        a for a in articles if a.published is None or a.published.granularity is not Granularity.DAY
    ]
    if not dated or not undated:
        return {}
    vectors = _vectors(articles)
    inferred: dict[str, PublishedDate] = {}
    for article, similar in _similar_dated(undated, dated, vectors, min_similarity):
        lo, hi = _window(article.published)
        # Dated neighbours in corpus order (so ties keep it), inside the article's period.
        neighbours = _nearest(
            [
                (other, similarity)
                for index, similarity in similar
                if (other := dated[index]).published is not None
                and lo <= other.published.value <= hi
            ]
        )
        guess = _best_day(article, neighbours, lo, hi)
        if guess is not None:
            inferred[article.id] = guess
    return inferred


def _similar_dated(
    undated: Sequence[DatingInput],
    dated: Sequence[DatingInput],
    vectors: dict[str, dict[str, float]],
    min_similarity: float,
    block: int = SIMILARITY_BLOCK,
) -> Iterator[tuple[DatingInput, list[tuple[int, float]]]]:
    """Each undated article with the dated ones (by index, ascending) at least
    `min_similarity` like it. One sparse product per block of undated articles: every pair
    sharing an entity is still scored (an entity most articles name makes that quadratic),
    but in compiled code; the dict-by-dict loop it replaces took over ten minutes on the
    100k-article bench (docs/benchmarks.md)."""
    columns: dict[str, int] = {}
    for row in (*dated, *undated):
        for entity in vectors[row.id]:
            columns.setdefault(entity, len(columns))

    def matrix(rows: Sequence[DatingInput]) -> sparse.csr_matrix:
        data: list[float] = []
        indices: list[int] = []
        indptr = [0]
        for row in rows:
            for entity, weight in vectors[row.id].items():
                indices.append(columns[entity])
                data.append(weight)
            indptr.append(len(indices))
        return sparse.csr_matrix(
            (np.array(data, dtype=np.float64), np.array(indices, dtype=np.int64), indptr),
            shape=(len(rows), max(len(columns), 1)),
        )

    dated_t = matrix(dated).T.tocsr()
    for start in range(0, len(undated), block):
        rows = undated[start : start + block]
        scores = (matrix(rows) @ dated_t).tocsr()
        scores.sort_indices()
        for offset, article in enumerate(rows):
            lo, hi = scores.indptr[offset], scores.indptr[offset + 1]
            yield (
                article,
                [
                    (int(index), float(value))
                    for index, value in zip(scores.indices[lo:hi], scores.data[lo:hi], strict=True)
                    if value >= min_similarity
                ],
            )


def _nearest(scored: list[tuple[DatingInput, float]]) -> list[tuple[DatingInput, float]]:
    """The closest few: similarity levels shift with the corpus (an entity every article shares
    weighs little), so neighbours are chosen relative to the best one, not by a fixed bar."""
    scored.sort(key=lambda pair: -pair[1])
    if not scored:
        return []
    bar = scored[0][1] * RELATIVE_SIMILARITY
    return [pair for pair in scored[:MAX_NEIGHBOURS] if pair[1] >= bar]


def _best_day(
    article: DatingInput,
    neighbours: list[tuple[DatingInput, float]],
    lo: dt.date,
    hi: dt.date,
) -> PublishedDate | None:
    """Candidates are days near a neighbour's, on the weekday the article reports from or the
    day after. Ranked by (1) how many of the days the article's own expressions then point to
    ("on Monday" -> Feb. 6) the neighbours also point to, weighted by similarity; (2) the day
    of a near-copy (similarity >= COPY_SIMILARITY); (3) the reporting weekday itself over the
    day after; (4) closeness to the neighbours' days."""
    if not neighbours:
        return None
    weekday = reporting_weekday(article.text)
    allowed = None if weekday is None else {weekday, (weekday + 1) % 7}
    candidates: set[dt.date] = set()
    for other, _ in neighbours:
        assert other.published is not None
        for offset in range(-MAX_DISTANCE_DAYS, MAX_DISTANCE_DAYS + 1):
            day = other.published.value + dt.timedelta(days=offset)
            if lo <= day <= hi and (allowed is None or day.weekday() in allowed):
                candidates.add(day)
    if allowed is None:
        candidates &= {o.published.value for o, _ in neighbours if o.published}
    if not candidates:
        return None

    def rank(day: dt.date) -> tuple[float, float, bool, float]:
        pointed = _days_named(article.text, day)
        agreement = sum(
            similarity * len(pointed & other.days) / len(pointed)
            for other, similarity in neighbours
            if pointed
        )
        closeness = sum(
            similarity * (1 - abs((day - other.published.value).days) / (MAX_DISTANCE_DAYS + 1))
            for other, similarity in neighbours
            if other.published is not None
        )
        copies = sum(
            similarity
            for other, similarity in neighbours
            if similarity >= COPY_SIMILARITY and other.published and other.published.value == day
        )
        return round(agreement, 9), round(copies, 9), day.weekday() == weekday, round(closeness, 9)

    ranked = sorted(candidates, key=rank, reverse=True)
    if len(ranked) > 1 and rank(ranked[0]) == rank(ranked[1]):
        return None
    return PublishedDate(
        value=ranked[0],
        granularity=Granularity.DAY,
        inferred=True,
        evidence=_evidence(article, neighbours, weekday),
    )


def _days_named(text: str, published: dt.date) -> set[dt.date]:
    """The single days the text's expressions point to if it was published on `published`."""
    return {
        m.value.start
        for m in find_time_mentions(text, published, "day")
        if m.value is not None and m.value.precision == "day" and m.value.start == m.value.end
    }


def _evidence(
    article: DatingInput, neighbours: list[tuple[DatingInput, float]], weekday: int | None
) -> str:
    lenders = sorted(other.id[:12] for other, _ in neighbours)
    reason = f"{BORROWED} {', '.join(lenders[:5])}" + (" …" if len(lenders) > 5 else "")
    if weekday is not None:
        reason += f"; reports from a {calendar.day_name[weekday]}"
    if article.published is not None:
        reason += f"{WITHIN}{article.published.iso()} ({article.published.evidence})"
    return reason
