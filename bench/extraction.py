"""Extraction quality on ECB+ (gold entity, place and time mentions with coreference chains)
and extraction speed.

    .venv/bin/python bench/extraction.py [--data ../shared/data] [--limit 772]

Entities: ECB+ also annotates pronouns and common nouns ("he", "the man"), which NER does not
aim at, so the gold set here is its *named* mentions: person, organisation, place and facility
mentions that start with a capital letter and are not pronouns. A predicted mention counts when
its text equals a gold mention's text in the same document (multiset match). Chains: mentions
matched on both sides are scored with BCubed, predicted entities merged per ECB+ topic (the
cross-document setting of the literature) against the gold chains.
Times: recall of gold TIME_DATE mentions inside a found time expression.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter, defaultdict
from pathlib import Path

from storyline.algorithms.timex import find_time_mentions
from storyline.extract.entities import Mention
from storyline.extract.variants import merge
from storyline.stages.extract import shared_recognizer

NAMED_TYPES = {"HUMAN_PART_PER", "HUMAN_PART_ORG", "LOC_GEO", "LOC_FAC"}
PRONOUNS = {
    "he",
    "she",
    "it",
    "they",
    "him",
    "her",
    "them",
    "his",
    "its",
    "their",
    "i",
    "we",
    "you",
}
PREDICTED_TYPES = {"PERSON", "ORG", "GPE", "LOC", "FAC"}


def bcubed(gold: dict[str, str], predicted: dict[str, str]) -> tuple[float, float, float]:
    gold_sets, pred_sets = defaultdict(set), defaultdict(set)
    for item, cluster in gold.items():
        gold_sets[cluster].add(item)
    for item, cluster in predicted.items():
        pred_sets[cluster].add(item)
    precision = recall = 0.0
    for item in gold:
        g, p = gold_sets[gold[item]], pred_sets[predicted[item]]
        overlap = len(g & p)
        precision += overlap / len(p)
        recall += overlap / len(g)
    n = max(len(gold), 1)
    precision, recall = precision / n, recall / n
    return precision, recall, 2 * precision * recall / max(precision + recall, 1e-9)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", type=Path, default=Path(__file__).parents[1].parent / "shared" / "data"
    )
    parser.add_argument("--limit", type=int, default=10_000)
    args = parser.parse_args()
    docs = [json.loads(line) for line in (args.data / "ecbplus_dev.jsonl").open(encoding="utf-8")]
    docs = docs[: args.limit]
    gold_rows = [
        json.loads(line)
        for line in (args.data / "ecbplus_dev_mentions.jsonl").open(encoding="utf-8")
    ]
    doc_ids = {d["id"] for d in docs}
    gold_named = defaultdict(list)
    gold_times = defaultdict(list)
    gold_any = defaultdict(list)
    for row in gold_rows:
        if row["doc_id"] not in doc_ids:
            continue
        text = row["text"]
        gold_any[row["doc_id"]].append(text.replace(" ", ""))
        if row["full_type"] in NAMED_TYPES and text[:1].isupper() and text.lower() not in PRONOUNS:
            gold_named[row["doc_id"]].append((text, row["chain"]))
        if row["full_type"] == "TIME_DATE":
            gold_times[row["doc_id"]].append(text)

    start = time.perf_counter()
    recognizer = shared_recognizer()
    recognizer.nlp  # noqa: B018 - load the model
    recognizer.gazetteer.country("Syria")  # and the gazetteer
    load_seconds = time.perf_counter() - start

    start = time.perf_counter()
    predicted = recognizer.mentions_many([(d["id"], d["text"]) for d in docs])
    ner_seconds = time.perf_counter() - start
    words = sum(len(d["text"].split()) for d in docs)

    tp = n_pred = n_gold = 0
    matched: list[tuple[str, Mention, str]] = []  # (topic, predicted mention, gold chain)
    topic_of = {d["id"]: d["topic"] for d in docs}
    for doc in docs:
        # ECB+ annotates only some sentences: keep predictions on lines holding a gold mention.
        lines = doc["text"].split("\n")
        annotated = {
            i
            for i, line in enumerate(lines)
            if any(g in line.replace(" ", "") for g in gold_any[doc["id"]])
        }
        preds = [
            m
            for m in predicted[doc["id"]]
            if m.label in PREDICTED_TYPES and doc["text"].count("\n", 0, m.start) in annotated
        ]
        golds = gold_named[doc["id"]]
        n_pred += len(preds)
        n_gold += len(golds)
        pending = defaultdict(list)
        for text, chain in golds:
            pending[" ".join(text.split())].append(chain)
        for mention in preds:
            chains = pending.get(" ".join(mention.text.split()))
            if chains:
                tp += 1
                matched.append((topic_of[doc["id"]], mention, chains.pop()))
    precision, recall = tp / max(n_pred, 1), tp / max(n_gold, 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-9)

    gold_clusters: dict[str, str] = {}
    pred_clusters: dict[str, str] = {}
    by_topic = defaultdict(list)
    for topic, mention, chain in matched:
        by_topic[topic].append((mention, chain))
    for topic, items in by_topic.items():
        entities = merge([m for m, _ in items], recognizer.gazetteer)
        entity_of = {(m.article_id, m.start): e.id for e in entities for m in e.mentions}
        for mention, chain in items:
            key = f"{mention.article_id}:{mention.start}"
            gold_clusters[key] = f"{topic}:{chain}"
            pred_clusters[key] = f"{topic}:{entity_of[(mention.article_id, mention.start)]}"
    b_p, b_r, b_f = bcubed(gold_clusters, pred_clusters)
    singleton_p, singleton_r, singleton_f = bcubed(gold_clusters, {k: k for k in gold_clusters})

    found_times = total_times = 0
    for doc in docs:
        spans = " | ".join(m.text for m in find_time_mentions(doc["text"], None))
        for text in gold_times[doc["id"]]:
            total_times += 1
            found_times += " ".join(text.split()) in spans

    labels = Counter(m.label for ms in predicted.values() for m in ms)
    print(f"ECB+ dev: {len(docs)} documents, {words:,} words, {n_gold:,} gold named mentions")
    print(f"model + gazetteer load: {load_seconds:.1f} s (once per process)")
    rate = f"{len(docs) / ner_seconds:.1f} documents/s, {words / ner_seconds:,.0f} words/s"
    print(f"NER: {ner_seconds:.1f} s = {rate}")
    print(f"named mentions: recall {recall:.3f} ({tp} of {n_gold} gold found by exact text)")
    print(
        f"  precision {precision:.3f} of {n_pred} predictions on annotated lines is only a lower"
        " bound: ECB+ marks entities only where they take part in its annotated events"
    )
    del f1
    print(
        f"chains (BCubed over {len(gold_clusters)} matched mentions, merged per topic): "
        f"P {b_p:.3f}  R {b_r:.3f}  F1 {b_f:.3f}   [all-singletons baseline F1 {singleton_f:.3f}]"
    )
    print(
        f"time expressions: {found_times}/{total_times} gold TIME_DATE mentions found "
        f"({found_times / max(total_times, 1):.1%})"
    )
    print("predicted labels:", dict(labels.most_common()))
    del singleton_p, singleton_r


if __name__ == "__main__":
    main()
