"""Storyline's timelines of the example corpus against examples/gold/timelines.json."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from storyline.evaluation.timeline_metrics import (
    Timeline,
    agreement_rouge,
    align_rouge,
    concat_rouge,
    date_f1,
)
from storyline.workspace import Workspace

GOLD_PATH = Path(__file__).resolve().parents[3] / "examples" / "gold" / "timelines.json"


def scores(predicted: Timeline, gold: Timeline) -> dict[str, float]:
    return {
        "date F1": date_f1(predicted, gold).f1,
        "concat R1": concat_rouge(predicted, gold, 1).f1,
        "concat R2": concat_rouge(predicted, gold, 2).f1,
        "agree R1": agreement_rouge(predicted, gold, 1).f1,
        "agree R2": agreement_rouge(predicted, gold, 2).f1,
        "align R1": align_rouge(predicted, gold, 1).f1,
        "align R2": align_rouge(predicted, gold, 2).f1,
    }


def _event_of(source: str, input_id: str | None) -> str:
    """bridge_01_... -> bridge; the feed's fr-2021-0329-suez -> suez."""
    if input_id:
        return input_id.split("-")[-1]
    return Path(source).name.split("_")[0]


def score_examples(
    workspace: Workspace, gold_path: Path = GOLD_PATH
) -> dict[str, dict[str, float]]:
    """Per event: the news timeline's scores, plus the F1 of the background years. A story
    belongs to the event most of its articles are about; every story of an event counts."""
    gold = json.loads(gold_path.read_text("utf-8"))["events"]
    events_of = {a.id: _event_of(a.source, a.input_id) for a in workspace.articles()}
    predicted: dict[str, dict[dt.date, list[str]]] = {}
    background: dict[str, set[str]] = {}
    for story in workspace.stories():
        counts: dict[str, int] = {}
        for article_id in story["article_ids"]:
            counts[events_of[article_id]] = counts.get(events_of[article_id], 0) + 1
        event = max(counts, key=lambda e: counts[e])
        for entry in story["timeline"]:
            if entry["background"]:
                background.setdefault(event, set()).add(entry["date"][:4])
            elif entry["granularity"] == "day":
                day = dt.date.fromisoformat(entry["date"])
                predicted.setdefault(event, {}).setdefault(day, []).append(entry["text"])
    rows: dict[str, dict[str, float]] = {}
    for event, expected in gold.items():
        news = {dt.date.fromisoformat(d): s for d, s in expected["news"].items()}
        rows[event] = scores(predicted.get(event, {}), news)
        years, found = set(expected["background"]), background.get(event, set())
        shared = len(years & found)
        p = shared / len(found) if found else 0.0
        r = shared / len(years)
        rows[event]["background years F1"] = 2 * p * r / (p + r) if p + r else 0.0
    return rows
