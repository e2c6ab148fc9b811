"""How the story-clustering constants were chosen: the grids, reproducible.

    .venv/bin/python bench/calibrate_stories.py [--data ../shared/data]

The fast pass's threshold and margin are chosen on ECB+ dev alone (BCubed F1); the precise
pass's blend, threshold and margin on ECB+ and NeuS together (the NeuS rows of the grid, below
the ECB+ ones); the day decay on BASIL (the only dev set with dates) at the chosen fast
threshold. The shipped values are in src/storyline/stories/cluster.py; docs/stories.md records
the result of a run.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from storyline.evaluation.cluster_eval import load_labelled, score_clustering
from storyline.stories import cluster
from storyline.stories.embeddings import Embedder, embedding_text

THRESHOLDS = [0.10, 0.15, 0.20, 0.25, 0.30]
MARGINS = [1.0, 1.2, 1.5, 2.0]
BLENDS = [0.2, 0.3, 0.35, 0.4, 0.5]
PRECISE_THRESHOLDS = [0.25, 0.30, 0.32, 0.35, 0.40]
PRECISE_MARGINS = [1.1, 1.2, 1.3]
NEUS_BLENDS = [0.3, 0.35, 0.4]
NEUS_THRESHOLDS = [0.30, 0.32]
TAUS = [1.0, 3.0, 7.0, 14.0, 30.0, 1e9]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", type=Path, default=Path(__file__).parents[1].parent / "shared" / "data"
    )
    args = parser.parse_args()
    records, gold = load_labelled(args.data / "ecbplus_dev.jsonl", "subtopic")

    print("fast pass, ECB+ BCubed F1 (rows: margin, columns: threshold)")
    print("margin  " + "  ".join(f"{t:>5.2f}" for t in THRESHOLDS))
    for margin in MARGINS:
        row = [
            score_clustering(gold, cluster.cluster_records(records, t, margin=margin)).bcubed_f1
            for t in THRESHOLDS
        ]
        print(f"{margin:>6.1f}  " + "  ".join(f"{f:.3f}" for f in row))

    start = time.perf_counter()
    vectors = Embedder().embed([embedding_text(r) for r in records])
    print(f"\nprecise pass, ECB+ BCubed F1; embeddings took {time.perf_counter() - start:.0f} s")
    for blend in BLENDS:
        print(f"blend {blend}: margin  " + "  ".join(f"{t:>5.2f}" for t in PRECISE_THRESHOLDS))
        for margin in PRECISE_MARGINS:
            row = [
                score_clustering(
                    gold,
                    cluster.cluster_records(
                        records, t, embeddings=vectors, blend=blend, margin=margin
                    ),
                ).bcubed_f1
                for t in PRECISE_THRESHOLDS
            ]
            print(f"{margin:>18.1f}  " + "  ".join(f"{f:.3f}" for f in row))

    neus, neus_gold = load_labelled(args.data / "neus_dev.jsonl", "story")
    neus_vectors = Embedder().embed([embedding_text(r) for r in neus])
    print("\nprecise pass, NeuS BCubed F1 at margin 1.2 (rows: blend, columns: threshold)")
    print("blend  " + "  ".join(f"{t:>5.2f}" for t in NEUS_THRESHOLDS))
    for blend in NEUS_BLENDS:
        row = [
            score_clustering(
                neus_gold,
                cluster.cluster_records(neus, t, embeddings=neus_vectors, blend=blend, margin=1.2),
            ).bcubed_f1
            for t in NEUS_THRESHOLDS
        ]
        print(f"{blend:>5.2f}  " + "  ".join(f"{f:.3f}" for f in row))

    basil, basil_gold = load_labelled(args.data / "basil.jsonl", "story")
    print("\nday decay tau on BASIL at the fast threshold, BCubed F1")
    for tau in TAUS:
        f1 = score_clustering(basil_gold, cluster.cluster_records(basil, tau_days=tau)).bcubed_f1
        print(f"  tau {'none' if tau > 1e6 else f'{tau:g} days':>8}: {f1:.3f}")


if __name__ == "__main__":
    main()
