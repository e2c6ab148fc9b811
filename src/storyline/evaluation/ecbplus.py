"""Extraction scored against ECB+'s gold mentions and coreference chains.

Used by bench/extraction.py (the full dev set, with timings) and tests/quality (a pinned
subset). See the bench's docstring for what is counted and why.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from storyline.algorithms.timex import find_time_mentions
from storyline.evaluation.coref_metrics import CorefScores, coref_scores, singletons
from storyline.extract.entities import EntityRecognizer, Mention
from storyline.extract.variants import merge

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


@dataclass(frozen=True, slots=True)
class EcbScores:
    documents: int
    words: int
    gold_named: int
    predicted_named: int
    matched: int
    mention_recall: float
    mention_precision_lower_bound: float
    chain_precision: float  # BCubed, the headline chain score (kept from the first version)
    chain_recall: float
    chain_f1: float
    singleton_f1: float  # BCubed F1 of the all-singletons baseline
    times_found: int
    times_total: int
    chains: CorefScores  # MUC, BCubed, CEAF-e and CoNLL F1 of the predicted chains
    singletons: CorefScores  # the same for the all-singletons baseline (MUC is 0 by definition)


def evaluate(
    docs: list[dict[str, Any]],
    gold_rows: list[dict[str, Any]],
    recognizer: EntityRecognizer,
    predicted: dict[str, list[Mention]] | None = None,
) -> EcbScores:
    doc_ids = {d["id"] for d in docs}
    gold_named: dict[str, list[tuple[str, str]]] = defaultdict(list)
    gold_times: dict[str, list[str]] = defaultdict(list)
    gold_any: dict[str, list[str]] = defaultdict(list)
    for row in gold_rows:
        if row["doc_id"] not in doc_ids:
            continue
        text = row["text"]
        gold_any[row["doc_id"]].append(text.replace(" ", ""))
        if row["full_type"] in NAMED_TYPES and text[:1].isupper() and text.lower() not in PRONOUNS:
            gold_named[row["doc_id"]].append((text, row["chain"]))
        if row["full_type"] == "TIME_DATE":
            gold_times[row["doc_id"]].append(text)
    if predicted is None:
        predicted = recognizer.mentions_many([(d["id"], d["text"]) for d in docs])
    tp = n_pred = n_gold = 0
    matched: list[tuple[str, Mention, str]] = []
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
        pending: dict[str, list[str]] = defaultdict(list)
        for text, chain in golds:
            pending[" ".join(text.split())].append(chain)
        for mention in preds:
            chains = pending.get(" ".join(mention.text.split()))
            if chains:
                tp += 1
                matched.append((doc["topic"], mention, chains.pop()))
    by_topic: dict[str, list[tuple[Mention, str]]] = defaultdict(list)
    for topic, mention, chain in matched:
        by_topic[topic].append((mention, chain))
    gold_clusters: dict[str, str] = {}
    pred_clusters: dict[str, str] = {}
    for topic, items in by_topic.items():
        entities = merge([m for m, _ in items], recognizer.gazetteer)
        entity_of = {(m.article_id, m.start): e.id for e in entities for m in e.mentions}
        for mention, chain in items:
            key = f"{mention.article_id}:{mention.start}"
            gold_clusters[key] = f"{topic}:{chain}"
            pred_clusters[key] = f"{topic}:{entity_of[(mention.article_id, mention.start)]}"
    predicted_chains = coref_scores(gold_clusters, pred_clusters)
    baseline = coref_scores(gold_clusters, singletons(gold_clusters))
    found_times = total_times = 0
    for doc in docs:
        spans = " | ".join(m.text for m in find_time_mentions(doc["text"], None))
        for text in gold_times[doc["id"]]:
            total_times += 1
            found_times += " ".join(text.split()) in spans
    return EcbScores(
        documents=len(docs),
        words=sum(len(d["text"].split()) for d in docs),
        gold_named=n_gold,
        predicted_named=n_pred,
        matched=tp,
        mention_recall=tp / max(n_gold, 1),
        mention_precision_lower_bound=tp / max(n_pred, 1),
        chain_precision=predicted_chains.bcubed.precision,
        chain_recall=predicted_chains.bcubed.recall,
        chain_f1=predicted_chains.bcubed.f1,
        singleton_f1=baseline.bcubed.f1,
        times_found=found_times,
        times_total=total_times,
        chains=predicted_chains,
        singletons=baseline,
    )
