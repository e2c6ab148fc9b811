"""The whole pipeline on N articles, per stage, with 1 and 2 extraction workers.

    .venv/bin/python bench/scale.py [--n 2000 ...] [--workers 1 2] [--data ../shared/data]

Articles: the dev corpora's texts (Reuters, AllSides, BBC, NeuS, in that order, deduplicated
by id) up to N; no generated copies yet. Each (N, workers) runs in its own process so its peak
RSS is its own (the parent's plus its worker processes'). Prints one row per run: seconds per
stage, articles/s end to end, peak RSS, and the speed-up of 2 workers over 1 (the baseline,
measured in the same run). First cut of issue 11's bench: no Ray yet.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FILES = ("reuters.jsonl", "allsides_sample.jsonl", "bbc.jsonl", "neus_dev.jsonl")
STAGES = ("ingest", "dedupe", "extract", "stories", "crosscheck", "synthesis")


def child(data: Path, n: int, workers: int) -> dict[str, object]:
    from storyline.workspace import Workspace, WorkspaceConfig

    rows, seen = [], set()
    for name in FILES:
        with (data / name).open(encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                if record.get("id") in seen or not record.get("text"):
                    continue
                seen.add(record.get("id"))
                rows.append(record)
                if len(rows) >= n:
                    break
        if len(rows) >= n:
            break
    times: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "input.jsonl"
        source.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
        with Workspace.open(Path(folder) / "w.db", WorkspaceConfig(workers=workers)) as ws:
            begin = time.perf_counter()
            ws.ingest([source])
            times["ingest"] = time.perf_counter() - begin
            for name, stage in (
                ("dedupe", ws.dedupe_stage),
                ("extract", ws.extract_stage),
                ("stories", ws.stories_stage),
                ("crosscheck", ws.crosscheck_stage),
                ("synthesis", ws.synthesis_stage),
            ):
                begin = time.perf_counter()
                stage.run(ws.store)  # type: ignore[attr-defined]
                times[name] = time.perf_counter() - begin
            articles = ws.store.count_articles()
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"n": n, "workers": workers, "articles": articles, "times": times,
            "rss_mb": own, "worker_rss_mb": children}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(__file__).parents[2] / "shared" / "data")
    parser.add_argument("--n", type=int, nargs="+", default=[2000])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.data, args.n[0], args.workers[0])))
        return
    header = "     n  workers  " + "  ".join(f"{s:>10}" for s in STAGES)
    print(header + "     total   art/s  RSS MB  worker RSS MB  speed-up")
    for n in args.n:
        base = None
        for workers in args.workers:
            out = subprocess.run(
                [sys.executable, __file__, "--child", "--data", str(args.data), "--n", str(n),
                 "--workers", str(workers)],
                capture_output=True, text=True, check=True,
            ).stdout  # fmt: skip
            result = json.loads(out.strip().splitlines()[-1])
            times = result["times"]
            total = sum(times.values())
            base = base or total
            print(
                f"{result['articles']:>6}  {workers:>7}  "
                + "  ".join(f"{times[s]:>10.1f}" for s in STAGES)
                + f"  {total:>8.1f}  {result['articles'] / total:>6.1f}  {result['rss_mb']:>6.0f}"
                + f"  {result['worker_rss_mb']:>13.0f}  {base / total:>7.2f}x",
                flush=True,
            )


if __name__ == "__main__":
    main()
