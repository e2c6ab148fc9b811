"""The stories stage through the store, incrementally: what a user's `storyline run` pays.

    .venv/bin/python bench/stories_stage.py [--data ../shared/data] [--file neus_dev.jsonl]
                                            [--label story] [--chunk 1000] [--limit N]
                                            [--order file|date]

`--order date` feeds the articles in publication order, as a news stream arrives (e.g.
`--file reuters.jsonl --label "" --order date`: 1987 wire copy, every article dated, no labels).

Articles arrive in chunks (ingest, dedupe and extraction untimed), then the stories stage
places each chunk against the stories stored so far (those within reach of the chunk's days);
its time per chunk, the articles/s and the final BCubed F1 against the file's labels are
printed. Baselines in the same process: (a) the same stage reading every stored story, timed
on a copy of the workspace taken just before each chunk's run (its placements are the same,
so only the time is printed); (b) the same clusterer on the same records all at once in
memory (`cluster_records`, no store, no entities). Last, a batch rebuild of the whole
workspace (`storyline stories --rebuild`), its time and BCubed F1.
"""

from __future__ import annotations

import argparse
import json
import resource
import sqlite3
import tempfile
import time
from pathlib import Path

from storyline.evaluation.cluster_eval import score_clustering
from storyline.stages.stories import StoriesStage
from storyline.stories.cluster import cluster_records
from storyline.workspace import Workspace


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", type=Path, default=Path(__file__).parents[1].parent / "shared" / "data"
    )
    parser.add_argument("--file", default="neus_dev.jsonl")
    parser.add_argument("--label", default="story")
    parser.add_argument("--chunk", type=int, default=1000)
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--order", choices=("file", "date"), default="file")
    args = parser.parse_args()
    rows = [json.loads(line) for line in (args.data / args.file).open(encoding="utf-8")]
    if args.order == "date":
        rows.sort(key=lambda r: str(r.get("published") or ""))
    rows = rows[: args.limit] if args.limit else rows
    gold = {r["id"]: r[args.label] for r in rows if args.label and args.label in r}

    start = time.perf_counter()
    in_memory = cluster_records(rows)
    memory_seconds = time.perf_counter() - start
    memory_f1 = (
        score_clustering([gold[r["id"]] for r in rows], in_memory).bcubed_f1
        if len(gold) == len(rows)
        else float("nan")
    )

    with tempfile.TemporaryDirectory() as folder:
        workspace = Workspace.open(Path(folder) / "bench.db")
        stage_seconds = 0.0
        print(f"{args.file}: {len(rows)} articles in chunks of {args.chunk}")
        print("chunk  stored  placed  seconds  art/s  stories  read-all s  read-all art/s")
        full_stage = StoriesStage(windowed=False)
        full_seconds = 0.0
        for index in range(0, len(rows), args.chunk):
            chunk = Path(folder) / f"chunk{index}.jsonl"
            chunk.write_text(
                "".join(json.dumps(r) + "\n" for r in rows[index : index + args.chunk]), "utf-8"
            )
            workspace.ingest([chunk])
            workspace.dedupe_stage.run(workspace.store)
            workspace.extract_stage.run(workspace.store)
            copy_path = Path(folder) / "copy.db"
            copy_path.unlink(missing_ok=True)
            with sqlite3.connect(copy_path) as target:
                workspace.store._db.backup(target)
            with Workspace.open(copy_path) as copy:
                begin = time.perf_counter()
                full_stage.run(copy.store)
                full = time.perf_counter() - begin
            full_seconds += full
            begin = time.perf_counter()
            summary = workspace.stories_stage.run(workspace.store)
            seconds = time.perf_counter() - begin
            stage_seconds += seconds
            stored = workspace.store.count_articles() - summary.processed
            rate = summary.processed / seconds if seconds else float("inf")
            print(
                f"{index // args.chunk:>5}  {stored:>6}  {summary.processed:>6}  "
                f"{seconds:>7.2f}  {rate:>5.0f}  {summary.stories:>7}  {full:>10.2f}  "
                f"{summary.processed / full if full else float('inf'):>14.0f}"
            )
        stage_f1, placed = _score(workspace, gold)
        begin = time.perf_counter()
        rebuilt = workspace.stories_stage.rebuild(workspace.store)
        rebuild_seconds = time.perf_counter() - begin
        rebuild_f1, _ = _score(workspace, gold)
        workspace.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print()
    stage_rate, memory_rate = placed / stage_seconds, len(rows) / memory_seconds
    print("mode                                articles  seconds   art/s  B3 F1")
    line = "{:<34}  {:>8}  {:>7.1f}  {:>6.0f}  {:.3f}"
    print(
        line.format(
            "stories stage, incremental, SQLite", placed, stage_seconds, stage_rate, stage_f1
        )
    )
    print(
        line.format(
            "same stage, reading every story",
            placed,
            full_seconds,
            placed / full_seconds,
            stage_f1,
        )
    )
    print(
        line.format(
            "cluster_records, one batch, memory", len(rows), memory_seconds, memory_rate, memory_f1
        )
    )
    print(
        line.format(
            "rebuild (batch), SQLite",
            rebuilt.articles,
            rebuild_seconds,
            rebuilt.articles / rebuild_seconds,
            rebuild_f1,
        )
    )
    print(
        f"rebuild: {rebuilt.stories} stories, {rebuilt.unchanged} unchanged, "
        f"{rebuilt.splits} splits, {rebuilt.merges} merges"
    )
    print(f"ratio stage / reading every story (articles/s): {full_seconds / stage_seconds:.2f}x")
    print(f"ratio stage / in-memory (articles/s): {stage_rate / memory_rate:.2f}x")
    print(f"process peak RSS {peak:.0f} MB (includes the extraction models)")


def _score(workspace: Workspace, gold: dict[str, str]) -> tuple[float, int]:
    """BCubed F1 of the stored stories against the file's labels, and how many were scored."""
    by_input = {a.id: a.input_id for a in workspace.store.iter_articles()}
    predicted, labels = [], []
    for story in workspace.store.stories.stories():
        for article_id in story.articles:
            if by_input.get(article_id) in gold:
                predicted.append(story.id)
                labels.append(gold[by_input[article_id]])
    if not gold:
        return float("nan"), workspace.store.stories.count_members()
    return score_clustering(labels, predicted).bcubed_f1, len(predicted)


if __name__ == "__main__":
    main()
