"""The extractive brief on NeuS (three outlets' leads -> one neutral AllSides roundup): ROUGE and a
lexicon framing score, beside lead-3 and a centroid baseline, in one run.

    .venv/bin/python bench/brief.py [--data ../shared/data] [--limit N] [--sentences 3]

Needs the `bench` extra (rouge-score). Every method picks `--sentences` sentences (the roundups
average 2.95 sentences, 67 words):
* lead-3: the first sentences of the three inputs, in NeuS order (which is random);
* centroid: the input sentences closest (MiniLM cosine) to the mean of all input sentences;
* storyline: `cross_check` over the three inputs as sources, then `build_brief` (corroborated
  facts first, plainest wording, loaded labels replaced, every sentence checked against its
  citations). NeuS inputs carry no outlet, so they are "source 1..3"; extraction annotations
  are not computed here (no entities, times or quantities: the typed contradiction rules
  mostly stay quiet).
ROUGE-1/2/L F1 (rouge-score, stemming on) against the roundup. Framing: loaded markers per
100 words of output (lower is more neutral), with Storyline's shipped lexicon and, as an
independent check, Recasens et al.'s bias lexicon (read from ../shared/data, not shipped).
Citation precision: the share of brief sentences whose every number and name is in the spans
it cites (synthesis/verify.py).
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections import defaultdict
from pathlib import Path
from statistics import mean
from typing import Any

import numpy as np
from rouge_score import rouge_scorer

from storyline.crosscheck.check import cross_check
from storyline.crosscheck.claims import sentence_spans
from storyline.crosscheck.framing import loaded_spans
from storyline.crosscheck.material import Source, StoryMaterial
from storyline.crosscheck.serialise import check_sections
from storyline.stories.embeddings import Embedder
from storyline.synthesis.brief import build_brief
from storyline.synthesis.verify import unsupported

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text, 0, len(text))]


def lead(inputs: list[dict[str, Any]], k: int) -> list[str]:
    firsts = [sentences(a["text"]) for a in inputs]
    picked: list[str] = []
    depth = 0
    while len(picked) < k and any(depth < len(f) for f in firsts):
        picked += [f[depth] for f in firsts if depth < len(f)]
        depth += 1
    return picked[:k]


def centroid(inputs: list[dict[str, Any]], k: int, embed: Any) -> list[str]:
    pool = [s for a in inputs for s in sentences(a["text"])]
    if not pool:
        return []
    vectors = embed(pool).astype(np.float64)
    mean_vector = vectors.mean(axis=0)
    order = np.argsort(-(vectors @ mean_vector))
    chosen: list[str] = []
    for i in order:
        if pool[i] not in chosen:
            chosen.append(pool[i])
        if len(chosen) == k:
            break
    return chosen


def storyline_brief(
    story: str, inputs: list[dict[str, Any]], k: int, embed: Any
) -> tuple[list[str], int, int]:
    sources = tuple(
        Source(
            article_id=f"{story}-{i}",
            start=0,
            end=len(a["text"]),
            outlet=f"source {i + 1}",
            carried_by=(f"source {i + 1}",),
            published=None,
            text=a["text"],
            mentions=(),
            times=(),
            quantities=(),
            quotes=(),
        )
        for i, a in enumerate(inputs)
    )
    check = cross_check(StoryMaterial(story_id=story, sources=sources), embed)
    brief = build_brief(check_sections(check), max_sentences=k, min_sentences=k)
    supported = sum(
        not unsupported(s.text, [c["text"] for c in s.citations], s.outlets) for s in brief
    )
    return [s.text for s in brief], supported, len(brief)


def framing_density(texts: list[str], words: set[str]) -> tuple[float, float]:
    joined = " ".join(texts)
    total = max(len(joined.split()), 1)
    ours = len(loaded_spans(joined))
    theirs = sum(1 for w in _WORD.findall(joined) if w.lower() in words)
    return 100 * ours / total, 100 * theirs / total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--limit", type=int, default=None, help="first N stories")
    parser.add_argument("--sentences", type=int, default=3)
    args = parser.parse_args()
    articles: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for line in (args.data / "neus_dev.jsonl").open(encoding="utf-8"):
        record = json.loads(line)
        articles[record["story"]].append(record)
    targets = {
        t["story"]: t["text"]
        for t in map(json.loads, (args.data / "neus_dev_targets.jsonl").open(encoding="utf-8"))
    }
    stories = [s for s in articles if s in targets][: args.limit]
    lexicon = args.data / "lexicons" / "bias-lexicon" / "bias-lexicon.txt"
    recasens = (
        {w.lower() for w in lexicon.read_text("utf-8").split()} if lexicon.exists() else set()
    )
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    embedder = Embedder()
    embedder.embed(["warm up"])
    k = args.sentences
    methods = {
        "lead-3": lambda s, a: (lead(a, k), None, None),
        "centroid (MiniLM)": lambda s, a: (centroid(a, k, embedder.embed), None, None),
        "storyline brief": lambda s, a: storyline_brief(s, a, k, embedder.embed),
    }
    print(f"NeuS: {len(stories)} stories, {k} sentences per summary")
    header = (
        "method               R-1    R-2    R-L  loaded/100w (ours, Recasens)  words  stories/s"
    )
    print(header)
    for name, method in methods.items():
        r1, r2, rl, ours, theirs, lengths = [], [], [], [], [], []
        supported = produced = 0
        start = time.perf_counter()
        for story in stories:
            inputs = sorted(articles[story], key=lambda a: a["position"])
            picked, ok, total = method(story, inputs)
            summary = " ".join(picked)
            score = scorer.score(targets[story], summary)
            r1.append(score["rouge1"].fmeasure)
            r2.append(score["rouge2"].fmeasure)
            rl.append(score["rougeL"].fmeasure)
            density = framing_density(picked, recasens)
            ours.append(density[0])
            theirs.append(density[1])
            lengths.append(len(summary.split()))
            if ok is not None and total is not None:
                supported += ok
                produced += total
        seconds = time.perf_counter() - start
        print(
            f"{name:<18} {mean(r1):.3f}  {mean(r2):.3f}  {mean(rl):.3f}  "
            f"{mean(ours):>14.2f} {mean(theirs):>10.2f}  {mean(lengths):>6.1f}  "
            f"{len(stories) / seconds:>8.1f}"
        )
        if produced:
            print(f"    citation precision: {supported}/{produced} = {supported / produced:.3f}")
    print("reference roundups:", end=" ")
    ref = [framing_density([targets[s]], recasens) for s in stories]
    print(
        f"loaded/100w ours {mean(r[0] for r in ref):.2f}, Recasens {mean(r[1] for r in ref):.2f}, "
        f"{mean(len(targets[s].split()) for s in stories):.1f} words"
    )


if __name__ == "__main__":
    main()
