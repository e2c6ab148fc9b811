"""Framing markers against BASIL's gold lexical-bias spans, and per-outlet label tables for a few
BASIL triplets (Fox News / HuffPost / New York Times on one event), in one run.

    .venv/bin/python bench/framing.py [--data ../shared/data] [--triplets 3]

Recall: the share of gold *lexical* bias spans that hold at least one loaded-word marker.
Precision (a lower bound: BASIL marks only some biased phrases): the share of markers that fall
inside any gold bias span. Three marker sets, side by side: Storyline's own lexicon
(src/storyline/data/framing.toml, shipped), Recasens et al.'s 2013 bias lexicon (read from
../shared/data/lexicons for this comparison only: its licence is unclear, so it is not shipped),
and both together.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from storyline.crosscheck.claims import claims_of
from storyline.crosscheck.framing import framing_table, loaded_spans
from storyline.crosscheck.material import EntityMention, Source, StoryMaterial, is_coarse
from storyline.extract.entities import EntityRecognizer

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def recasens_spans(words: set[str], text: str) -> list[tuple[int, int, str]]:
    return [
        (m.start(), m.end(), "recasens")
        for m in re.finditer(r"[A-Za-z][A-Za-z'-]*", text)
        if m.group().lower() in words
    ]


def evaluate(
    articles: dict[str, dict[str, Any]], spans: list[dict[str, Any]], marker: Any
) -> tuple[float, float, int]:
    by_article: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for span in spans:
        if span["field"] == "text":
            by_article[span["article_id"]].append(span)
    lexical = caught = markers = inside = 0
    for article_id, gold in by_article.items():
        text = articles[article_id]["text"]
        found = marker(text)
        for span in gold:
            if span["type"] != "lexical":
                continue
            lexical += 1
            caught += any(s < span["end"] and span["start"] < e for s, e, _ in found)
        for s, e, _ in found:
            markers += 1
            inside += any(g["start"] <= s and e <= g["end"] for g in gold)
    return caught / max(lexical, 1), inside / max(markers, 1), lexical


def label_tables(
    articles: list[dict[str, Any]], recognizer: EntityRecognizer, triplets: int
) -> list[str]:
    by_story: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for article in articles:
        by_story[article["story"]].append(article)
    lines: list[str] = []
    shown = 0
    for story, members in by_story.items():
        sources = []
        for article in members:
            text = article["text"]
            mentions = tuple(
                EntityMention(
                    entity_id=" ".join(m.text.lower().split()),
                    name=m.text,
                    type=m.label,
                    start=m.start,
                    end=m.end,
                    place=m.label in ("GPE", "LOC"),
                    coarse=is_coarse(m.text, None),
                )
                for m in recognizer.mentions(article["id"], text)
            )
            sources.append(
                Source(
                    article_id=article["id"], start=0, end=len(text), outlet=article["outlet"],
                    carried_by=(article["outlet"],), published=None, text=text,
                    mentions=mentions, times=(), quantities=(), quotes=(),
                )
            )  # fmt: skip
        material = StoryMaterial(story_id=story, sources=tuple(sources))
        claims = [c for s in sources for c in claims_of(s)]
        rows = [r for r in framing_table(material, claims) if len(r.labels) >= 2]
        if not rows:
            continue
        lines.append(f"\n{members[0]['title']} ({story[:8]})")
        for row in rows[:4]:
            lines.append(f"  {row.name}")
            for outlet, labels in row.labels.items():
                shown_labels = ", ".join(f"{k} ×{n}" for k, n in list(labels.items())[:5])
                lines.append(f"      {outlet:<16} {shown_labels}")
        shown += 1
        if shown >= triplets:
            break
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--triplets", type=int, default=3)
    args = parser.parse_args()
    articles = [json.loads(x) for x in (args.data / "basil.jsonl").open(encoding="utf-8")]
    by_id = {a["id"]: a for a in articles}
    spans = [json.loads(x) for x in (args.data / "basil_spans.jsonl").open(encoding="utf-8")]
    lexicon_path = args.data / "lexicons" / "bias-lexicon" / "bias-lexicon.txt"
    recasens = (
        {w.strip().lower() for w in lexicon_path.read_text("utf-8").split() if w.strip()}
        if lexicon_path.exists()
        else set()
    )
    markers = {
        "storyline lexicon (shipped)": loaded_spans,
        "Recasens 2013 (not shipped)": lambda t: recasens_spans(recasens, t),
        "both": lambda t: loaded_spans(t) + recasens_spans(recasens, t),
    }
    lexical = sum(s["type"] == "lexical" for s in spans)
    print(f"BASIL: {len(articles)} articles, {lexical} lexical spans")
    print(f"{'markers':<30} {'recall':>7} {'precision (lower bound)':>24}")
    for name, marker in markers.items():
        if "Recasens" in name and not recasens:
            print(f"{name:<30} (lexicon not found)")
            continue
        recall, precision, _ = evaluate(by_id, spans, marker)
        print(f"{name:<30} {recall:>7.3f} {precision:>24.3f}")
    print("\nLabel tables (own voice), first triplets with labels from two outlets or more:")
    print("\n".join(label_tables(articles, EntityRecognizer(), args.triplets)))


if __name__ == "__main__":
    main()
