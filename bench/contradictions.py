"""The typed contradiction rules as a pair classifier on NLI dev sets, beside a negation-cue
baseline, in one process.

    .venv/bin/python bench/contradictions.py [--data ../shared/data] [--limit N]

Each pair becomes two "sources": the premise (split into sentence claims) and the hypothesis.
Claims get what the pipeline gives them (spaCy + gazetteer entities, quantities, time
expressions without a reference date, quote speakers) and their MiniLM similarity; a pair is
called a contradiction when any rule reports a conflict (a compatible pair is not one).
The negation-cue baseline calls a contradiction when exactly one side holds a negation word,
the known shortcut on SICK.

Datasets (../shared/data/README.md): SICK (3-way), RTE (2-way: `not_entailment` holds both
contradictions and unrelated pairs, so precision there is a lower bound), ConTRoL (3-way,
passage-level premises). Prints contradiction P/R/F1, the confusion matrix (gold rows,
predicted columns) and pairs/s.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from storyline.algorithms.quantities import find_quantities
from storyline.algorithms.quotes import find_attributions
from storyline.algorithms.timex import find_time_mentions
from storyline.crosscheck.claims import Claim, sentence_spans
from storyline.crosscheck.contradictions import ContradictionFinder, _tokens
from storyline.crosscheck.material import EntityMention, is_coarse
from storyline.extract.entities import EntityRecognizer, Mention
from storyline.stories.embeddings import Embedder

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
SETS = [
    ("SICK", "nli_sick.jsonl"),
    ("RTE", "nli_rte_dev.jsonl"),
    ("ConTRoL", "nli_control_dev.jsonl"),
]
NEGATION = {"not", "no", "never", "nobody", "nothing", "n't", "none", "neither", "nor"}
PLACE_LABELS = {"GPE", "LOC", "FAC"}


def load(path: Path, limit: int | None) -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    return rows[:limit] if limit else rows


def _times(text: str) -> tuple[dict[str, Any], ...]:
    found = []
    for t in find_time_mentions(text, None):
        value = t.value
        found.append(
            {
                "start": t.start,
                "end": t.end,
                "text": t.text,
                "value_start": value.start.isoformat() if value else None,
                "value_end": value.end.isoformat() if value else None,
                "precision": value.precision if value else None,
                "background": False,
            }
        )
    return tuple(found)


def _mentions(found: Sequence[Mention], start: int, end: int) -> tuple[EntityMention, ...]:
    out = []
    for m in found:
        if start <= m.start and m.end <= end:
            place = m.label in PLACE_LABELS
            out.append(
                EntityMention(
                    entity_id=" ".join(m.text.lower().split()),
                    name=m.text,
                    type="PLACE" if place else m.label,
                    start=m.start,
                    end=m.end,
                    place=place,
                    coarse=place and is_coarse(m.text, None),
                )
            )
    return tuple(out)


def claims_of_text(
    article_id: str, text: str, outlet: str, mentions: Sequence[Mention]
) -> list[Claim]:
    quotes = find_attributions(text)
    times = _times(text)
    quantities = [dataclasses.asdict(q) for q in find_quantities(text)]
    claims = []
    for start, end in sentence_spans(text, 0, len(text)) or [(0, len(text))]:
        speaker = next((q.speaker for q in quotes if q.start < end and start < q.end), None)
        claims.append(
            Claim(
                id=f"{article_id}:{start}",
                article_id=article_id,
                start=start,
                end=end,
                text=text[start:end],
                outlet=outlet,
                carried_by=(outlet,),
                speaker=speaker,
                direct=False,
                mentions=_mentions(mentions, start, end),
                times=tuple(t for t in times if start <= t["start"] < end),
                quantities=tuple(q for q in quantities if start <= q["start"] < end),
                background=False,
            )
        )
    return claims


def negation_cue(premise: str, hypothesis: str) -> bool:
    p = any(t in NEGATION for t in _tokens(premise))
    h = any(t in NEGATION for t in _tokens(hypothesis))
    return p != h


def scores(gold: list[str], predicted: list[bool]) -> tuple[float, float, float]:
    """P/R/F1 of the contradiction class (RTE: of `not_entailment`, which holds it)."""
    positive = "contradiction" if "contradiction" in gold else "not_entailment"
    tp = sum(g == positive and p for g, p in zip(gold, predicted, strict=True))
    fp = sum(g != positive and p for g, p in zip(gold, predicted, strict=True))
    fn = sum(g == positive and not p for g, p in zip(gold, predicted, strict=True))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def run_rules(
    rows: list[dict[str, Any]], recognizer: EntityRecognizer, embed: Callable[[list[str]], Any]
) -> tuple[list[bool], Counter[str]]:
    items = [(f"p{i}", r["premise"]) for i, r in enumerate(rows)]
    items += [(f"h{i}", r["hypothesis"]) for i, r in enumerate(rows)]
    found = recognizer.mentions_many(items)
    predictions: list[bool] = []
    kinds: Counter[str] = Counter()
    for i, row in enumerate(rows):
        premise = claims_of_text(f"p{i}", row["premise"], "premise", found.get(f"p{i}", []))
        hypothesis = claims_of_text(
            f"h{i}", row["hypothesis"], "hypothesis", found.get(f"h{i}", [])
        )
        claims = premise + hypothesis
        vectors = embed([c.text for c in claims]).astype(np.float64)
        similarity = vectors @ vectors.T
        conflicts = [
            c for c in ContradictionFinder(claims, similarity, {}).find() if not c.compatible
        ]
        predictions.append(bool(conflicts))
        kinds.update(c.kind for c in conflicts[:1])
    return predictions, kinds


def confusion(gold: list[str], predicted: list[bool]) -> list[str]:
    labels = sorted(set(gold))
    lines = [f"      {'gold':<16} {'-> contradiction':>17} {'-> other':>9}"]
    for label in labels:
        yes = sum(g == label and p for g, p in zip(gold, predicted, strict=True))
        no = sum(g == label and not p for g, p in zip(gold, predicted, strict=True))
        lines.append(f"      {label:<16} {yes:>17} {no:>9}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--limit", type=int, default=None, help="first N pairs of each set")
    args = parser.parse_args()
    recognizer = EntityRecognizer()
    embedder = Embedder()
    embedder.embed(["warm up"])
    recognizer.mentions("warm", "Warm up in Paris.")
    print(f"{'set':<8} {'method':<15} {'pairs':>6} {'P':>6} {'R':>6} {'F1':>6} {'pairs/s':>8}")
    for name, file in SETS:
        path = args.data / file
        if not path.exists():
            print(f"{name}: {path} not found, skipped")
            continue
        rows = load(path, args.limit)
        gold = [r["label"] for r in rows]
        start = time.perf_counter()
        ours, kinds = run_rules(rows, recognizer, embedder.embed)
        ours_s = time.perf_counter() - start
        start = time.perf_counter()
        cue = [negation_cue(r["premise"], r["hypothesis"]) for r in rows]
        cue_s = time.perf_counter() - start
        for method, predicted, seconds in (
            ("typed rules", ours, ours_s),
            ("negation cue", cue, cue_s),
        ):
            p, r, f = scores(gold, predicted)
            print(
                f"{name:<8} {method:<15} {len(rows):>6} {p:>6.3f} {r:>6.3f} {f:>6.3f} "
                f"{len(rows) / max(seconds, 1e-9):>8.0f}"
            )
        print("    typed rules, confusion:")
        print("\n".join(confusion(gold, ours)))
        print("    negation cue, confusion:")
        print("\n".join(confusion(gold, cue)))
        print(f"    typed rules fired by kind: {dict(kinds.most_common())}")


if __name__ == "__main__":
    main()
