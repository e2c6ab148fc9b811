"""Story clustering: Storyline's clustering vs two baselines on the dev sets, in one process.

    .venv/bin/python bench/cluster.py [--data ../shared/data] [--limit N] [--sets ecbplus,neus]
                                      [--threshold T] [--threads K]

Needs the `bench` extra (scikit-learn). Datasets: ECB+ (`subtopic`: two similar events per
topic, the hard case), NeuS (`story`: 3 leads per story, 8k articles) and BASIL (`story`).

Methods, each timed from the raw records to labels (embedding time included):
* tfidf+agglo: TF-IDF (sublinear tf, English stop words) of title + text, cosine distance,
  average linkage, cut at one distance threshold. The threshold is the best BCubed F1 of a
  sweep over 0.300..0.975 in steps of 0.025 on ECB+ (so ECB+'s row is tuned on itself and
  optimistic) and is then fixed for all sets; `--threshold` skips the sweep.
* minilm+hdbscan: the BERTopic recipe without its UMAP step: MiniLM embeddings of title + lead
  (128 tokens), sklearn's HDBSCAN with min_cluster_size=2; each noise point is a singleton.
* ours: `storyline.stories.cluster.cluster_records(records)`, when that module exists, and
  ours+minilm: the same given the MiniLM vectors (`embeddings=`), when it accepts them.
* singletons: every article alone; the floor (BCubed precision 1, recall 1 / story size).

Memory ("peak MB") is the peak growth of resident memory during the timed run, sampled every
5 ms from /proc, after a garbage collection and glibc's malloc_trim have handed freed memory back
to the system. It sees onnxruntime's and scipy's native buffers, which tracemalloc misses, and
costs no speed (tracemalloc made the pure-Python clustering many times slower). For methods that
use embeddings it is at least the embedding run's; the model itself (loaded once, outside the
timings) is printed on its own line. Freed memory that the allocator keeps can still be reused
unseen, so small numbers are lower bounds.
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import gc
import importlib
import inspect
import os
import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from storyline.evaluation.cluster_eval import ClusterScores, load_labelled, score_clustering
from storyline.stories.embeddings import Embedder, embedding_text

DATASETS = {
    "ecbplus": ("ecbplus_dev.jsonl", "subtopic"),
    "neus": ("neus_dev.jsonl", "story"),
    "basil": ("basil.jsonl", "story"),
}
SWEEP = [round(0.30 + 0.025 * step, 3) for step in range(28)]  # 0.30 .. 0.975
LIBC = ctypes.CDLL(ctypes.util.find_library("c")) if os.name == "posix" else None
Records = list[dict[str, Any]]
Method = Callable[[Records], list[str]]


document = embedding_text  # title + text, the same for every method


def subsample(records: Records, labels: list[str], limit: int | None) -> tuple[Records, list[str]]:
    """Whole gold stories, drawn at random (seeded), until `limit` articles are reached."""
    if limit is None or limit >= len(records):
        return records, labels
    stories = sorted(set(labels))
    random.Random(20241205).shuffle(stories)
    kept: set[str] = set()
    count = 0
    sizes = Counter(labels)
    for story in stories:
        if count >= limit:
            break
        kept.add(story)
        count += sizes[story]
    chosen = [i for i, label in enumerate(labels) if label in kept]
    return [records[i] for i in chosen], [labels[i] for i in chosen]


def tfidf_distances(records: Records) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectors = TfidfVectorizer(sublinear_tf=True, stop_words="english", dtype=np.float32)
    matrix = vectors.fit_transform([document(record) for record in records])  # rows unit length
    distances = 1.0 - (matrix @ matrix.T).toarray()
    np.clip(distances, 0.0, 2.0, out=distances)
    np.fill_diagonal(distances, 0.0)
    return distances


def agglomerative(distances: np.ndarray, threshold: float) -> list[str]:
    from sklearn.cluster import AgglomerativeClustering

    if len(distances) < 2:
        return ["0"] * len(distances)
    model = AgglomerativeClustering(
        n_clusters=None, metric="precomputed", linkage="average", distance_threshold=threshold
    )
    return [str(label) for label in model.fit_predict(distances)]


def tfidf_agglo(threshold: float) -> Method:
    return lambda records: agglomerative(tfidf_distances(records), threshold)


@dataclass(frozen=True)
class Embedded:
    """One dataset's MiniLM vectors, with what computing them cost; every method that uses
    them is charged that (they are computed once, not once per method)."""

    vectors: np.ndarray
    seconds: float
    memory_mb: float


def embed(embedder: Embedder, records: Records) -> Embedded:
    with PeakRss() as memory:
        started = time.perf_counter()
        vectors = embedder.embed([document(record) for record in records], max_tokens=128)
        seconds = time.perf_counter() - started
    return Embedded(vectors, seconds, memory.megabytes)


def hdbscan_labels(vectors: np.ndarray) -> list[str]:
    """HDBSCAN clusters; each noise point (-1) becomes a singleton."""
    from sklearn.cluster import HDBSCAN

    # Unit vectors: euclidean distance is a monotone function of cosine distance. Brute
    # force gives the same labels as the trees, 12x faster in 384 dimensions (8k: 5 s).
    labels = HDBSCAN(min_cluster_size=2, algorithm="brute", copy=False).fit_predict(vectors)
    return [f"noise-{i}" if label == -1 else str(label) for i, label in enumerate(labels)]


def ours() -> tuple[Method, bool] | None:
    """Storyline's clustering, and whether it accepts `embeddings=` (its precise pass)."""
    try:
        from storyline.stories.cluster import cluster_records
    except ImportError:
        return None
    takes_embeddings = "embeddings" in inspect.signature(cluster_records).parameters
    return cluster_records, takes_embeddings


class PeakRss:
    """Peak growth of this process's resident memory while the block runs, in MB."""

    def __init__(self) -> None:
        self.page = os.sysconf("SC_PAGE_SIZE")
        self.peak = 0
        self._stop = threading.Event()

    def _rss(self) -> int:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * self.page

    def __enter__(self) -> PeakRss:
        gc.collect()
        trim = getattr(LIBC, "malloc_trim", None)  # glibc only
        if trim is not None:
            trim(0)
        self.base = self.peak = self._rss()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()
        return self

    def _watch(self) -> None:
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, self._rss())

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._rss())

    @property
    def megabytes(self) -> float:
        return (self.peak - self.base) / 2**20


@dataclass
class Row:
    method: str
    scores: ClusterScores
    per_second: float | None
    memory_mb: float | None
    note: str = ""


def run(
    name: str,
    method: Method,
    records: Records,
    gold: list[str],
    embedded: Embedded | None = None,
) -> Row:
    """Times `method` from records to labels, plus the embedding cost if it uses `embedded`."""
    with PeakRss() as memory:
        started = time.perf_counter()
        predicted = method(records)
        seconds = time.perf_counter() - started
    memory_mb = memory.megabytes
    if embedded is not None:
        seconds += embedded.seconds
        memory_mb = max(memory_mb, embedded.memory_mb)
    noise = sum(label.startswith("noise-") for label in predicted) / len(predicted)
    note = f"noise {noise:.0%} (as singletons)" if noise else ""
    scores = score_clustering(gold, predicted)
    return Row(name, scores, len(records) / seconds, memory_mb, note)


def tune_threshold(records: Records, gold: list[str]) -> tuple[float, list[tuple[float, float]]]:
    """The sweep threshold with the best BCubed F1 (ties: the smaller threshold)."""
    distances = tfidf_distances(records)
    curve = [(t, score_clustering(gold, agglomerative(distances, t)).bcubed_f1) for t in SWEEP]
    best = max(curve, key=lambda point: (point[1], -point[0]))
    return best[0], curve


def table(rows: Sequence[Row]) -> str:
    head = (
        f"{'method':<16}{'B3 P':>7}{'B3 R':>7}{'B3 F1':>7}{'pair F1':>9}{'ARI':>7}"
        f"{'clusters':>10}{'art/s':>9}{'peak MB':>9}  note"
    )
    lines = [head]
    for row in rows:
        s = row.scores
        speed = f"{row.per_second:>9.1f}" if row.per_second is not None else f"{'-':>9}"
        memory = f"{row.memory_mb:>9.0f}" if row.memory_mb is not None else f"{'-':>9}"
        lines.append(
            f"{row.method:<16}{s.bcubed_precision:>7.3f}{s.bcubed_recall:>7.3f}"
            f"{s.bcubed_f1:>7.3f}{s.pairwise_f1:>9.3f}{s.ari:>7.3f}{s.predicted_clusters:>10}"
            f"{speed}{memory}  {row.note}"
        )
    return "\n".join(lines)


def bench_set(
    records: Records,
    gold: list[str],
    threshold: float,
    embedder: Embedder,
    mine: tuple[Method, bool] | None,
) -> None:
    """Every method on one dataset; prints its table and the speed ratios."""
    embedded = embed(embedder, records)
    print(
        f"MiniLM (title + lead, 128 tokens): {len(records) / embedded.seconds:.1f} embeddings/s, "
        f"+{embedded.memory_mb:.0f} MB; charged to each method that uses them"
    )
    baselines = [
        run("tfidf+agglo", tfidf_agglo(threshold), records, gold),
        run("minilm+hdbscan", lambda _: hdbscan_labels(embedded.vectors), records, gold, embedded),
    ]
    rows = list(baselines)
    if mine is not None:
        cluster_records, takes_embeddings = mine
        rows.append(run("ours", cluster_records, records, gold))
        if takes_embeddings:
            precise: Any = cluster_records
            rows.append(
                run(
                    "ours+minilm",
                    lambda batch: precise(batch, embeddings=embedded.vectors),
                    records,
                    gold,
                    embedded,
                )
            )
    singles = [record["id"] for record in records]
    print(table([*rows, Row("singletons", score_clustering(gold, singles), None, None, "floor")]))
    if mine is None:
        print("ours: not available yet")
    for row in rows[len(baselines) :]:
        for baseline in baselines:
            ratio = (row.per_second or 0.0) / (baseline.per_second or 1.0)
            print(f"{row.method} / {baseline.method}: {ratio:.2f}x articles/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared" / "data"
    )
    parser.add_argument("--limit", type=int, default=None, help="articles per set (whole stories)")
    parser.add_argument("--sets", default=",".join(DATASETS), help="comma-separated")
    parser.add_argument("--threshold", type=float, default=None, help="skip the ECB+ sweep")
    parser.add_argument("--threads", type=int, default=None, help="onnxruntime threads")
    args = parser.parse_args()
    print("load average at start: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))

    loaded = {}
    for name in args.sets.split(","):
        filename, field = DATASETS[name]
        loaded[name] = subsample(*load_labelled(args.data / filename, field), args.limit)

    threshold = args.threshold
    if threshold is None:
        ecb = loaded.get("ecbplus") or subsample(
            *load_labelled(args.data / DATASETS["ecbplus"][0], "subtopic"), args.limit
        )
        threshold, curve = tune_threshold(*ecb)
        print(f"TF-IDF threshold: best BCubed F1 on ECB+ ({len(ecb[0])} articles) over the sweep")
        print("  " + "  ".join(f"{t:.3f}:{f1:.3f}" for t, f1 in curve))
    print(f"TF-IDF threshold fixed at {threshold:.3f} for every set\n")

    # Imports, the model load and onnxruntime's buffer arena stay outside every timing.
    for module in ("sklearn.cluster", "sklearn.feature_extraction.text"):
        importlib.import_module(module)
    with PeakRss() as model_memory:
        embedder = Embedder(threads=args.threads)
        embedder.embed(["warm-up " * 200] * 32)
    print(f"MiniLM loaded and warmed: +{model_memory.megabytes:.0f} MB resident\n")

    mine = ours()
    for name, (records, gold) in loaded.items():
        print(f"== {name}: {len(records)} articles, {len(set(gold))} gold clusters ==")
        bench_set(records, gold, threshold, embedder, mine)
        print()
    print("load average at end: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
