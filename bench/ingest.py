"""Ingest + clean throughput and memory on the dev corpora, against two named baselines.

    .venv/bin/python bench/ingest.py [--limit N] [--data ../shared/data]

Modes, all run in this one process on the same articles (JSONL from ../shared/data):
  storyline      Workspace.ingest: read, decode, clean (rules + outlet + language), store (SQLite)
  raw-insert     floor: read the same JSONL and insert the raw text into SQLite, no cleaning
  justext        baseline cleaner: jusText paragraph classification on the same texts, no store

Quality on the seed articles (../shared/seeds): share of story lines kept and boilerplate lines
left, for Storyline's rules and for jusText, so the speed ratio comes with its quality price.
"""

from __future__ import annotations

import argparse
import json
import resource
import sqlite3
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from storyline.clean.cleaner import Cleaner
from storyline.model import RawDocument
from storyline.workspace import Workspace

CORPORA = ("reuters.jsonl", "bbc.jsonl", "allsides_sample.jsonl")
BOILERPLATE_MARKERS = (
    "Read more",
    "Getty Images",
    "is a UK-based journalist",
    "contributed to this report",
    "With additional reporting",
    "(Updates with",
    "©",
    "Updated:",
    "Chris Summers",
)


def build_input(data: Path, limit: int, folder: Path) -> tuple[Path, list[str]]:
    """One JSONL with up to `limit` articles, spread over the corpora."""
    per_corpus = limit // len(CORPORA)
    out = folder / "bench.jsonl"
    texts: list[str] = []
    with out.open("w", encoding="utf-8") as handle:
        for name in CORPORA:
            with (data / name).open(encoding="utf-8") as source:
                for index, line in enumerate(source):
                    if index >= per_corpus:
                        break
                    handle.write(line)
                    texts.append(json.loads(line)["text"])
    return out, texts


def run_storyline(path: Path, folder: Path) -> int:
    with Workspace.open(folder / f"ws-{time.monotonic_ns()}.db") as workspace:
        return workspace.ingest([path]).added


def run_raw_insert(path: Path, folder: Path) -> int:
    db = sqlite3.connect(folder / f"raw-{time.monotonic_ns()}.db")
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("CREATE TABLE raw (id TEXT PRIMARY KEY, text TEXT)")
    count = 0
    with path.open(encoding="utf-8") as handle, db:
        for line in handle:
            record = json.loads(line)
            db.execute("INSERT OR IGNORE INTO raw VALUES (?, ?)", (record["id"], record["text"]))
            count += 1
    db.close()
    return count


def run_justext(texts: list[str]) -> int:
    import justext

    stoplist = justext.get_stoplist("English")
    for text in texts:
        html = "".join(f"<p>{p}</p>" for p in text.split("\n") if p.strip())
        justext.justext(f"<html><body>{html}</body></html>", stoplist)
    return len(texts)


def timed(action: Callable[[], int]) -> tuple[int, float, float]:
    """(items, seconds, tracemalloc peak MB) — peak from a second, traced run."""
    start = time.perf_counter()
    items = action()
    seconds = time.perf_counter() - start
    tracemalloc.start()
    action()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return items, seconds, peak / 2**20


def seed_quality(seeds: Path) -> list[tuple[str, float, int]]:
    """(cleaner, % story lines kept, boilerplate lines left) on the seed articles."""
    import justext

    stoplist = justext.get_stoplist("English")
    cleaner = Cleaner(detect_languages=False)
    results = {"storyline": [0, 0, 0], "justext": [0, 0, 0]}  # kept, total, boilerplate left
    for path in sorted(seeds.glob("*.txt")):
        raw = path.read_text("utf-8")
        lines = [" ".join(ln.split()) for ln in raw.splitlines() if ln.strip()]
        story = [
            ln
            for ln in lines
            if len(ln.split()) >= 6
            and ln[-1] in '.!?"”’'
            and not any(m in ln for m in BOILERPLATE_MARKERS)
        ]
        article = cleaner.clean(RawDocument(source=str(path), text=raw)).article
        ours = " ".join(article.text.split()) if article else ""
        html = "".join(f"<p>{ln}</p>" for ln in lines)
        paragraphs = justext.justext(f"<html><body>{html}</body></html>", stoplist)
        theirs = " ".join(p.text for p in paragraphs if not p.is_boilerplate)
        for name, text in (("storyline", ours), ("justext", theirs)):
            for line in story:
                core = line.removeprefix("(Bloomberg) -- ")
                core = core.split(" ", 2)[2] if core.startswith("date ") else core
                results[name][0] += core in text
                results[name][1] += 1
            results[name][2] += sum(text.count(m) for m in BOILERPLATE_MARKERS)
    return [(name, 100 * k / max(t, 1), left) for name, (k, t, left) in results.items()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=6000, help="articles (spread over corpora)")
    default_data = Path(__file__).parents[1].parent / "shared" / "data"
    parser.add_argument("--data", type=Path, default=default_data)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path, texts = build_input(args.data, args.limit, folder)
        chars = sum(len(t) for t in texts)
        rows = []
        for name, action in (
            ("storyline", lambda: run_storyline(path, folder)),
            ("raw-insert", lambda: run_raw_insert(path, folder)),
            ("justext", lambda: run_justext(texts)),
        ):
            items, seconds, peak = timed(action)
            rows.append((name, items, seconds, peak))
    baseline = {name: seconds for name, _, seconds, _ in rows}
    print(f"{len(texts)} articles, {chars / 1e6:.1f} M characters, from {', '.join(CORPORA)}")
    print(
        f"{'mode':<12}{'articles':>10}{'seconds':>10}{'art/s':>10}{'MB/s':>8}{'peak MB':>9}"
        f"{'vs justext':>12}{'vs raw':>9}"
    )
    for name, items, seconds, peak in rows:
        print(
            f"{name:<12}{items:>10}{seconds:>10.2f}{items / seconds:>10.0f}"
            f"{chars / 1e6 / seconds:>8.1f}{peak:>9.1f}"
            f"{baseline['justext'] / seconds:>11.2f}x{baseline['raw-insert'] / seconds:>8.2f}x"
        )
    print(f"process peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    seeds = args.data.parent / "seeds"
    if seeds.is_dir():
        print("\nseed quality (story lines kept / boilerplate markers left in the text)")
        for name, kept, left in seed_quality(seeds):
            print(f"{name:<12}{kept:>8.1f}% kept{left:>6} markers left")


if __name__ == "__main__":
    main()
