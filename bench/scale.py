"""The whole pipeline on N articles, per stage, on each executor; and how cost grows with N.

    .venv/bin/python bench/scale.py [--n 2000 5000 10000] [--runs local:1 local:2 ray:2]
                                    [--data ../shared/data]

Articles: the dev corpora's texts (Reuters, AllSides, BBC, NeuS, in that order, deduplicated by
id; ~33k) up to N; beyond that, generated near-duplicates of them (evaluation/dupgen.py:
re-ledes, trims, wrappers, shuffles, rewordings, composites) under their originals' outlet and
date. The corpus is written once per N by this process; each (N, run) then runs in its own
process: ingest, dedupe, extract, stories, cross-check, synthesis, timed stage by stage.

Memory: a sampler thread reads VmHWM (the kernel's peak RSS) of the run's process and every
process under it (pool workers, Ray's raylet and its worker actors) twice a second, and reports
the run's own peak and the largest single worker's. The baseline is `local:1` (everything in
one process) of the same N, measured in the same invocation; the fit is log(seconds) against
log(N) per run kind over the sizes given (exponent 1.0 = linear).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

FILES = ("reuters.jsonl", "allsides_sample.jsonl", "bbc.jsonl", "neus_dev.jsonl")
STAGES = ("ingest", "dedupe", "extract", "stories", "crosscheck", "synthesis")


def build_corpus(data: Path, n: int, path: Path) -> int:
    """Write n articles to path; returns how many are generated copies."""
    from storyline.evaluation.dupgen import generate

    rows, seen = [], set()
    for name in FILES:
        with (data / name).open(encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                key = record.get("id")
                if key in seen or not record.get("text"):
                    continue
                seen.add(key)
                rows.append(record)
                if len(rows) >= n:
                    break
        if len(rows) >= n:
            break
    copies = n - len(rows)
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row) + "\n")
        if copies > 0:
            by_id = {str(i): row for i, row in enumerate(rows)}
            base = [(key, row["text"]) for key, row in by_id.items()]
            for doc in generate(base, n, copy_share=copies / n):
                if doc.kind == "original":
                    continue
                root = by_id[sorted(doc.roots)[0]]
                copy = {
                    "id": f"gen-{doc.id}",
                    "text": doc.text,
                    "title": root.get("title"),
                    "outlet": root.get("outlet"),
                    "published": root.get("published"),
                }
                out.write(json.dumps(copy) + "\n")
    return max(copies, 0)


class PeakSampler:
    """Peak RSS (VmHWM) of this process and all its descendants, sampled in a thread."""

    def __init__(self, every: float = 0.5) -> None:
        self.every = every
        self.peaks: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self) -> PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()

    def _loop(self) -> None:
        while not self._stop.wait(self.every):
            self._sample()

    def _sample(self) -> None:
        parents: dict[int, int] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text()
                    parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
                except (OSError, ValueError, IndexError):
                    continue
        me = os.getpid()
        for pid in parents:
            ancestor, hops = pid, 0
            while ancestor not in (me, 0, 1) and hops < 20:
                ancestor, hops = parents.get(ancestor, 0), hops + 1
            if ancestor != me:
                continue
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        mb = int(line.split()[1]) / 1024
                        self.peaks[pid] = max(self.peaks.get(pid, 0.0), mb)
            except OSError:
                continue


def child(corpus: Path, executor: str, workers: int) -> dict[str, object]:
    from storyline.workspace import Workspace, WorkspaceConfig

    times: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder, PeakSampler() as sampler:
        config = WorkspaceConfig(workers=workers, executor=executor)
        with Workspace.open(Path(folder) / "w.db", config) as ws:
            begin = time.perf_counter()
            ws.ingest([corpus])
            times["ingest"] = time.perf_counter() - begin
            print(f"  {executor}:{workers} ingest {times['ingest']:.1f} s", file=sys.stderr)
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
                # progress for long runs (the parent passes stderr through)
                print(f"  {executor}:{workers} {name} {times[name]:.1f} s", file=sys.stderr)
            articles = ws.store.count_articles()
            stories = len(ws.store.stories.stories())
    own = sampler.peaks.get(os.getpid(), 0.0)
    others = [mb for pid, mb in sampler.peaks.items() if pid != os.getpid()]
    return {"articles": articles, "stories": stories, "times": times, "rss_mb": own,
            "worker_rss_mb": max(others, default=0.0), "processes": len(others)}  # fmt: skip


def fit_exponent(points: list[tuple[int, float]]) -> float | None:
    """Least-squares slope of log(seconds) on log(articles)."""
    if len(points) < 2:
        return None
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(t) for _, t in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(__file__).parents[2] / "shared" / "data")
    parser.add_argument("--n", type=int, nargs="+", default=[2000])
    parser.add_argument("--runs", nargs="+", default=["local:1", "local:2", "ray:2"],
                        help="executor:workers pairs; the first is the baseline")  # fmt: skip
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    runs = [(kind, int(workers)) for kind, workers in (r.split(":") for r in args.runs)]
    if args.child:
        kind, workers = runs[0]
        print(json.dumps(child(args.child, kind, workers)))
        return
    header = "      n  copies  run      " + "  ".join(f"{s:>10}" for s in STAGES)
    print(header + "     total   art/s  stories  RSS MB  worker MB  vs base", flush=True)
    totals: dict[str, list[tuple[int, float]]] = {}
    with tempfile.TemporaryDirectory() as folder:
        for n in args.n:
            corpus = Path(folder) / f"corpus_{n}.jsonl"
            copies = build_corpus(args.data, n, corpus)
            base = None
            for kind, workers in runs:
                label = f"{kind}:{workers}"
                out = subprocess.run(
                    [sys.executable, __file__, "--child", str(corpus), "--runs", label],
                    stdout=subprocess.PIPE, text=True, check=True,
                ).stdout  # fmt: skip
                result = json.loads(out.strip().splitlines()[-1])
                times = result["times"]
                total = sum(times.values())
                base = base or total
                totals.setdefault(label, []).append((result["articles"], total))
                print(
                    f"{n:>7}  {copies:>6}  {label:<7}  "
                    + "  ".join(f"{times[s]:>10.1f}" for s in STAGES)
                    + f"  {total:>8.1f}  {result['articles'] / total:>6.1f}"
                    + f"  {result['stories']:>7}  {result['rss_mb']:>6.0f}"
                    + f"  {result['worker_rss_mb']:>9.0f}  {base / total:>6.2f}x",
                    flush=True,
                )
    for label, points in totals.items():
        exponent = fit_exponent(points)
        if exponent is not None:
            print(f"fit {label}: seconds ~ articles^{exponent:.2f} over {len(points)} sizes")


if __name__ == "__main__":
    main()
