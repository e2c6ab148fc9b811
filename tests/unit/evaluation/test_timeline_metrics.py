"""Timeline metrics: a timeline scores 1 against itself, a shuffled one loses the date-aware
scores, a summary one day off keeps half its credit under alignment."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from storyline.evaluation.timeline_metrics import (
    agreement_rouge,
    align_rouge,
    concat_rouge,
    date_f1,
    shuffled,
)

D = dt.date
GOLD = {
    D(2021, 3, 23): ["the ship ran aground in the canal"],
    D(2021, 3, 29): ["the ship was freed and traffic resumed"],
    D(2021, 3, 30): ["convoys moved through the canal again"],
}
TLS = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "tls_gold"


def test_a_timeline_against_itself_scores_one() -> None:
    for metric in (concat_rouge, agreement_rouge, align_rouge):
        assert metric(GOLD, GOLD, 1).f1 == pytest.approx(1.0)
        assert metric(GOLD, GOLD, 2).f1 == pytest.approx(1.0)
    assert date_f1(GOLD, GOLD).f1 == 1.0


def test_shuffling_keeps_dates_and_words_but_loses_agreement() -> None:
    mixed = shuffled(GOLD)
    assert set(mixed) == set(GOLD) and all(mixed[d] != GOLD[d] for d in GOLD)
    assert date_f1(mixed, GOLD).f1 == 1.0
    assert concat_rouge(mixed, GOLD).f1 == pytest.approx(1.0)
    assert agreement_rouge(mixed, GOLD).f1 < 0.5
    assert align_rouge(mixed, GOLD).f1 < 0.6


def test_one_day_off_keeps_half_the_credit() -> None:
    late = {D(2021, 3, 24): GOLD[D(2021, 3, 23)]}
    assert agreement_rouge(late, GOLD).precision == 0.0
    assert align_rouge(late, GOLD).precision == pytest.approx(0.5)
    assert date_f1(late, GOLD).f1 == 0.0


@pytest.mark.quality
def test_metrics_on_the_gold_timelines() -> None:
    if not TLS.is_dir():
        pytest.skip(f"gold timelines not found at {TLS} (CI has ../shared beside the checkout)")
    paths = sorted(TLS.glob("*/*.json"))
    assert len(paths) == 32
    for path in paths:
        record = json.loads(path.read_text("utf-8"))
        gold = {D.fromisoformat(e["date"][:10]): e["sentences"] for e in record["dates"]}
        assert align_rouge(gold, gold, 2).f1 == pytest.approx(1.0)
        assert agreement_rouge(shuffled(gold), gold, 2).f1 < 0.5
