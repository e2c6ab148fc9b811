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
from pathlib import Path

from storyline.evaluation.ecbplus import evaluate
from storyline.stages.extract import shared_recognizer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_data = Path(__file__).parents[1].parent / "shared" / "data"
    parser.add_argument("--data", type=Path, default=default_data)
    parser.add_argument("--limit", type=int, default=10_000)
    args = parser.parse_args()
    with (args.data / "ecbplus_dev.jsonl").open(encoding="utf-8") as handle:
        docs = [json.loads(line) for line in handle][: args.limit]
    with (args.data / "ecbplus_dev_mentions.jsonl").open(encoding="utf-8") as handle:
        gold_rows = [json.loads(line) for line in handle]

    start = time.perf_counter()
    recognizer = shared_recognizer()
    recognizer.nlp  # noqa: B018 - load the model
    recognizer.gazetteer.country("Syria")  # and the gazetteer
    load_seconds = time.perf_counter() - start
    start = time.perf_counter()
    predicted = recognizer.mentions_many([(d["id"], d["text"]) for d in docs])
    ner_seconds = time.perf_counter() - start
    s = evaluate(docs, gold_rows, recognizer, predicted)

    print(f"ECB+ dev: {s.documents} documents, {s.words:,} words, {s.gold_named:,} named mentions")
    print(f"model + gazetteer load: {load_seconds:.1f} s (once per process)")
    rate = f"{s.documents / ner_seconds:.1f} documents/s, {s.words / ner_seconds:,.0f} words/s"
    print(f"NER: {ner_seconds:.1f} s = {rate}")
    print(f"named mentions: recall {s.mention_recall:.3f} ({s.matched} of {s.gold_named}, exact)")
    print(
        f"  precision {s.mention_precision_lower_bound:.3f} of {s.predicted_named} predictions on"
        " annotated lines is only a lower bound: ECB+ marks entities only in its annotated events"
    )
    print(
        f"chains (BCubed, merged per topic): P {s.chain_precision:.3f}  R {s.chain_recall:.3f}"
        f"  F1 {s.chain_f1:.3f}   [all-singletons baseline F1 {s.singleton_f1:.3f}]"
    )
    share = s.times_found / max(s.times_total, 1)
    print(f"time expressions: {s.times_found}/{s.times_total} gold TIME_DATE found ({share:.1%})")


if __name__ == "__main__":
    main()
