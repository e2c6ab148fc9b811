"""Near-duplicate detection: Storyline's engine vs datasketch (and rensa) on generated copies.

    .venv/bin/python bench/dedupe.py [--total 100000] [--data ../shared/data]

Corpus: distinct articles from reuters, bbc and allsides_sample (their own near-duplicates
removed, confirmed by exact shingle sets), plus generated copies of them (re-lede, trim,
boilerplate wrap, paragraph shuffle, light rewording, two articles glued), so the truth is
known. Every engine gets the same texts and the same parameters: 5-word shingles, 128
signature positions, LSH with 32 bands of 4 rows, near-duplicate at estimated Jaccard >= 0.5.

Prints throughput (articles/s), the tracemalloc peak on a 10k-article slice, P/R/F1, recall
per kind, and the ratio to datasketch, all from this one run. Then the scaling of Storyline's
engine (10k/30k/100k), and MSRP as a sentence-level sanity check.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from storyline.algorithms.pair_scoring import NEAR_JACCARD
from storyline.evaluation.dedupe_eval import EngineParams, Links, distinct_pool, find_links, score
from storyline.evaluation.dupgen import KINDS, generate
from storyline.evaluation.measure import traced_peak_mb

CORPORA = ("bbc.jsonl", "allsides_sample.jsonl", "reuters.jsonl")
WORD = re.compile(r"\w+")
PARAMS = EngineParams()


def load_base(data: Path) -> list[tuple[str, str]]:
    base, seen = [], set()
    for name in CORPORA:
        with (data / name).open(encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                text = record["text"]
                key = " ".join(text.lower().split())
                if len(text.split()) < 80 or key in seen:
                    continue
                seen.add(key)
                base.append((record["id"], text))
    return base


def python_shingles(text: str, k: int) -> list[bytes]:
    words = WORD.findall(text.lower())
    if len(words) < k:
        return [" ".join(words).encode()] if words else []
    return list({" ".join(words[i : i + k]).encode() for i in range(len(words) - k + 1)})


def run_datasketch(texts: Sequence[str]) -> Links:
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(
        num_perm=PARAMS.num_bins, params=(PARAMS.bands, PARAMS.num_bins // PARAMS.bands)
    )
    hashes: list[MinHash] = []
    links: Links = []
    for index, text in enumerate(texts):
        minhash = MinHash(num_perm=PARAMS.num_bins)
        minhash.update_batch(python_shingles(text, PARAMS.shingle_size))
        for other in lsh.query(minhash):
            if minhash.jaccard(hashes[other]) >= NEAR_JACCARD:
                links.append((other, index, "near"))
        lsh.insert(index, minhash)
        hashes.append(minhash)
    return links


def run_rensa(texts: Sequence[str]) -> Links:
    import rensa

    lsh = rensa.RMinHashLSH(
        threshold=NEAR_JACCARD, num_perm=PARAMS.num_bins, num_bands=PARAMS.bands
    )
    hashes = []
    links: Links = []
    for index, text in enumerate(texts):
        minhash = rensa.RMinHash(num_perm=PARAMS.num_bins, seed=42)
        minhash.update([s.decode() for s in python_shingles(text, PARAMS.shingle_size)])
        for other in lsh.query(minhash):
            if minhash.jaccard(hashes[other]) >= NEAR_JACCARD:
                links.append((other, index, "near"))
        lsh.insert(index, minhash)
        hashes.append(minhash)
    return links


def timed(action: Callable[[], Links]) -> tuple[Links, float]:
    start = time.perf_counter()
    result = action()
    return result, time.perf_counter() - start


def msrp(data: Path) -> str:
    """Sentence pairs: estimated Jaccard of word bigrams against the paraphrase label."""
    from storyline.algorithms.hashing import ShingleHasher
    from storyline.algorithms.minhash import estimate_jaccard, signatures

    rows = [json.loads(line) for line in (data / "msrp_train.jsonl").open(encoding="utf-8")]
    hasher = ShingleHasher(2)
    a = signatures(hasher.shingles([r["a"] for r in rows]))
    b = signatures(hasher.shingles([r["b"] for r in rows]))
    similarity = estimate_jaccard(a, b)
    gold = np.array([r["label"] == "paraphrase" for r in rows])
    lines = []
    for threshold in (0.3, 0.4, NEAR_JACCARD, 0.7):
        predicted = similarity >= threshold
        tp = int((predicted & gold).sum())
        precision = tp / max(int(predicted.sum()), 1)
        recall = tp / max(int(gold.sum()), 1)
        f1 = 2 * precision * recall / max(precision + recall, 1e-9)
        lines.append(f"  J >= {threshold:.2f}: P {precision:.3f}  R {recall:.3f}  F1 {f1:.3f}")
    base_rate = gold.mean()
    all_yes = 2 * base_rate / (1 + base_rate)
    head = f"MSRP train, {len(rows)} pairs ({base_rate:.0%} paraphrases; all-yes F1 {all_yes:.3f}):"
    return head + "\n" + "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--total", type=int, default=100_000)
    parser.add_argument(
        "--data", type=Path, default=Path(__file__).parents[1].parent / "shared" / "data"
    )
    parser.add_argument("--skip-baselines", action="store_true")
    parser.add_argument(
        "--stage", type=int, default=10_000, help="articles for the through-the-store run (0: skip)"
    )
    args = parser.parse_args()

    pool = distinct_pool(load_base(args.data))
    docs = generate(pool, args.total)
    texts = [d.text for d in docs]
    words = sum(len(t.split()) for t in texts)
    counts = {k: sum(d.kind == k for d in docs) for k in ("original", *KINDS)}
    print(
        f"{len(docs):,} articles ({words / len(docs):.0f} words on average) from {len(pool):,} "
        f"distinct originals; copies: " + ", ".join(f"{k} {v:,}" for k, v in counts.items())
    )

    two_threads = dataclasses.replace(PARAMS, workers=2)
    engines: list[tuple[str, Callable[[Sequence[str]], Links]]] = [
        ("storyline", lambda t: find_links(t, PARAMS)),
        ("storyline-2t", lambda t: find_links(t, two_threads)),
    ]
    if not args.skip_baselines:
        engines.append(("datasketch", run_datasketch))
        try:
            import rensa  # noqa: F401

            engines.append(("rensa", run_rensa))
        except ImportError:
            print("rensa not installed: skipped")
    slice_10k = texts[:10_000]
    rows = []
    for name, engine in engines:
        engine(texts[:1000])  # warm-up for every engine: imports, caches, allocator
        links, seconds = timed(lambda engine=engine: engine(texts))
        peak = traced_peak_mb(lambda engine=engine: engine(slice_10k))
        rows.append((name, seconds, peak, score(docs, links)))
    reference = next((s for n, s, _, _ in rows if n == "datasketch"), rows[0][1])
    print(
        f"\n{'engine':<12}{'art/s':>9}{'seconds':>9}{'peak MB@10k':>13}{'P':>7}{'R':>7}{'F1':>7}"
        f"{'x datasketch':>14}   recall per kind"
    )
    for name, seconds, peak, s in rows:
        per_kind = " ".join(f"{k} {s.recall_by_kind[k]:.3f}" for k in KINDS)
        print(
            f"{name:<12}{len(texts) / seconds:>9.0f}{seconds:>9.1f}{peak:>13.1f}{s.precision:>7.3f}"
            f"{s.recall:>7.3f}{s.f1:>7.3f}{reference / seconds:>13.1f}x   {per_kind}"
        )

    print(
        "\nscaling of the storyline engine at a constant 40% copy share (the main corpus above"
        "\nhas ~5 copies per original at 100k, so its pairs grow with the square of family size)"
    )
    print(f"{'articles':>9}{'seconds':>9}{'art/s':>9}{'peak MB':>9}")
    points = []
    largest = int(len(pool) / 0.6)
    for total in sorted({5_000, 10_000, 20_000, largest}):
        subset = [d.text for d in generate(pool, total, copy_share=0.4, seed=total)]
        _, seconds = timed(lambda subset=subset: find_links(subset, PARAMS))
        peak = traced_peak_mb(lambda subset=subset: find_links(subset, PARAMS))
        points.append((total, seconds, peak))
        print(f"{total:>9,}{seconds:>9.1f}{total / seconds:>9.0f}{peak:>9.1f}")
    if len(points) >= 2:
        x = np.log([p[0] for p in points])
        time_exp = np.polyfit(x, np.log([p[1] for p in points]), 1)[0]
        mem_exp = np.polyfit(x, np.log([p[2] for p in points]), 1)[0]
        print(f"fitted exponents: time ~ n^{time_exp:.2f}, memory ~ n^{mem_exp:.2f}")
    print()
    print(msrp(args.data))
    if args.stage:
        print()
        print(stage_run(docs[: args.stage]))


def stage_run(docs: Sequence[object]) -> str:
    """The real DedupeStage through the SQLite store: one run over everything, then an
    incremental run that adds 1% more articles to the stored ones."""
    import tempfile

    from storyline.workspace import Workspace

    with tempfile.TemporaryDirectory() as tmp:
        feed = Path(tmp) / "feed.jsonl"
        split = int(len(docs) * 0.99)
        with feed.open("w", encoding="utf-8") as handle:
            for doc in docs[:split]:
                handle.write(json.dumps({"id": doc.id, "text": doc.text}) + "\n")  # type: ignore[attr-defined]
        later = Path(tmp) / "later.jsonl"
        with later.open("w", encoding="utf-8") as handle:
            for doc in docs[split:]:
                handle.write(json.dumps({"id": doc.id, "text": doc.text}) + "\n")  # type: ignore[attr-defined]
        with Workspace.open(Path(tmp) / "w.db") as ws:
            ws.ingest([feed])
            start = time.perf_counter()
            ws.run()
            full = time.perf_counter() - start
            links = sum(ws.last_dedupe.kinds.values())
            ws.ingest([later])
            start = time.perf_counter()
            ws.run()
            incremental = time.perf_counter() - start
            added = ws.last_dedupe.hashed
    return (
        f"DedupeStage through SQLite: {split:,} articles in {full:.1f} s "
        f"({split / full:.0f} art/s, {links:,} links incl. span verification); "
        f"then {added} new articles against the stored ones in {incremental:.2f} s"
    )


if __name__ == "__main__":
    main()
