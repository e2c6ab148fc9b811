"""Load on the web app over loopback: requests/s, p50/p99 latency and errors per main route,
against a 10k-article workspace built from the dev corpora.

    .venv/bin/python bench/web.py [--workspace /tmp/storyline-web-10k.db] [--seconds 10]
                                  [--clients 8] [--data ../shared/data]

The workspace (built once if missing, which takes a while: the whole pipeline runs on it) holds
AllSides 4,000 + BBC 2,225 + the first 3,775 Reuters articles. The app runs in its own process
(`storyline serve`, uvicorn, one worker) and `--clients` threads keep one HTTP/1.1 connection
each, sending requests back to back for `--seconds` per route. Target (issue 8): 200 req/s with
p99 under 200 ms and no errors on this 2-core machine. The baseline named beside each route is
the static stylesheet served by the same process (the floor of the stack itself).
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import socket
import subprocess
import sys
import threading
import time
from itertools import islice
from pathlib import Path
from statistics import quantiles

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
SOURCES = [("allsides_sample.jsonl", 4000), ("bbc.jsonl", 2225), ("reuters.jsonl", 3775)]


def build(path: Path, data: Path) -> None:
    from storyline.workspace import Workspace

    tmp = path.parent / (path.name + ".inputs")
    tmp.mkdir(parents=True, exist_ok=True)
    inputs = []
    for name, count in SOURCES:
        target = tmp / name
        with (data / name).open(encoding="utf-8") as source, target.open("w") as out:
            for line in islice(source, count):
                out.write(line)
        inputs.append(target)
    start = time.perf_counter()
    with Workspace.open(path) as ws:
        summary = ws.ingest(inputs)
        took = time.perf_counter() - start
        print(f"ingested {summary.added} articles in {took:.0f} s", flush=True)
        ws.run(progress=None)
        print(f"pipeline done in {time.perf_counter() - start:.0f} s", flush=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(port: int, path: str) -> bytes:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path)
    body = connection.getresponse().read()
    connection.close()
    return body


def load(port: int, paths: list[str], seconds: float, clients: int) -> tuple[int, list[float], int]:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client(seed: int) -> None:
        nonlocal errors
        rng = random.Random(seed)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        failed = 0
        while time.perf_counter() < deadline:
            path = rng.choice(paths)
            began = time.perf_counter()
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    failed += 1
            except (OSError, http.client.HTTPException):
                failed += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            mine.append(time.perf_counter() - began)
        connection.close()
        with lock:
            latencies.extend(mine)
            errors += failed

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(latencies), latencies, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workspace", type=Path, default=Path("/tmp/storyline-web-10k.db"))
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    if not args.workspace.exists():
        build(args.workspace, args.data)
    else:  # finish an interrupted build (every stage is incremental)
        from storyline.workspace import Workspace

        with Workspace.open(args.workspace) as ws:
            ws.run()
    port = free_port()
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "storyline", "serve"),
            "--db",
            str(args.workspace),
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(200):
            try:
                fetch(port, "/static/app.css")
                break
            except OSError:
                time.sleep(0.1)
        stories = json.loads(fetch(port, "/api/stories?size=200"))
        articles = json.loads(fetch(port, "/api/articles?limit=200"))
        story_ids = [s["id"] for s in stories["stories"]]
        article_ids = [a["id"] for a in articles["articles"]]
        print(
            f"workspace: {stories['total']} stories; "
            f"{args.clients} clients, {args.seconds:g} s per route"
        )
        routes = {
            "/static/app.css (baseline)": ["/static/app.css"],
            "/ (story list)": ["/", "/?sort=recent", "/?page=2"],
            "/?q=... (search)": ["/?q=election", "/?q=oil+prices", "/?q=football"],
            "/api/stories": ["/api/stories", "/api/stories?sort=recent"],
            "/stories/{id}": [f"/stories/{i}" for i in story_ids],
            "/api/stories/{id}": [f"/api/stories/{i}" for i in story_ids],
            "/articles/{id}": [f"/articles/{i}" for i in article_ids],
            "/api/articles": ["/api/articles", "/api/articles?offset=200"],
        }
        header = ("route", "req/s", "p50 ms", "p99 ms", "errors", "x baseline")
        print("{:<28} {:>7} {:>7} {:>7} {:>6} {:>10}".format(*header))
        baseline = None
        for name, paths in routes.items():
            for path in paths[:3]:
                fetch(port, path)  # warm the index and the caches
            count, latencies, errors = load(port, paths, args.seconds, args.clients)
            rate = count / args.seconds
            cuts = quantiles(latencies, n=100)
            baseline = baseline or rate
            print(
                f"{name:<28} {rate:>7.0f} {cuts[49] * 1000:>7.1f} {cuts[98] * 1000:>7.1f} "
                f"{errors:>6} {rate / baseline:>10.2f}"
            )
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
