"""Timeline metrics checked on the gold timelines, then Storyline's timelines scored, in one run.

    .venv/bin/python bench/timeline.py [--data ../shared/data]

1. Sanity of the metric code (storyline.evaluation.timeline_metrics) on the 32 gold timelines
   of ../shared/data/tls_gold (Timeline17 + Crisis): each gold timeline against itself (every
   score must be 1) and against a shuffled copy (same dates, summaries moved to other dates:
   date F1 stays 1, concat ROUGE stays 1, agreement and align ROUGE must drop).
2. Storyline's timelines of the example corpus against the hand-made gold of
   examples/gold/timelines.json: date F1 and ROUGE-1 (concat, agreement, align) for the news,
   and date F1 for the background (years). The TLS corpora's input articles are not in
   ../shared/data, so Storyline's own timelines cannot be scored on them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import tempfile
from pathlib import Path
from statistics import mean

from storyline.evaluation.timeline_gold import score_examples, scores
from storyline.evaluation.timeline_metrics import Timeline, shuffled
from storyline.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
EXAMPLES = ROOT / "examples"


def load_tls(folder: Path) -> list[tuple[str, Timeline]]:
    timelines = []
    for path in sorted(folder.glob("*/*.json")):
        record = json.loads(path.read_text("utf-8"))
        timeline = {
            dt.date.fromisoformat(entry["date"][:10]): entry["sentences"]
            for entry in record["dates"]
        }
        timelines.append((f"{record['topic']}/{path.stem}", timeline))
    return timelines


def table(rows: dict[str, dict[str, float]]) -> None:
    columns = list(next(iter(rows.values())))
    widths = [max(10, len(c) + 2) for c in columns]
    print(f"{'':<28}" + "".join(f"{c:>{w}}" for c, w in zip(columns, widths, strict=True)))
    for name, values in rows.items():
        cells = "".join(f"{values[c]:>{w}.3f}" for c, w in zip(columns, widths, strict=True))
        print(f"{name:<28}{cells}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args()
    tls = load_tls(args.data / "tls_gold")
    if tls:
        print(f"1. metric sanity on {len(tls)} gold timelines (means)")
        self_scores = [scores(t, t) for _, t in tls]
        shuffled_scores = [scores(shuffled(t), t) for _, t in tls]
        table(
            {
                "gold vs itself": {k: mean(s[k] for s in self_scores) for k in self_scores[0]},
                "shuffled vs gold": {
                    k: mean(s[k] for s in shuffled_scores) for k in shuffled_scores[0]
                },
            }
        )
    with tempfile.TemporaryDirectory() as tmp, Workspace.open(Path(tmp) / "w.db") as ws:
        ws.ingest([EXAMPLES])
        ws.run()
        rows = score_examples(ws)
    print("\n2. Storyline's timelines of the examples vs examples/gold/timelines.json")
    table(rows)


if __name__ == "__main__":
    main()
