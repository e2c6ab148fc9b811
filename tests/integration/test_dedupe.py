"""Duplicates through the Workspace and the report, on the example corpus and small cases."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from storyline.report import validate_report
from storyline.workspace import Workspace, analyze

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

STORY_A = "\n\n".join(
    [
        "The harbour authority closed the port on Tuesday after a crane collapsed onto a ship.",
        "Two dock workers were taken to hospital with minor injuries, the authority said.",
        "Inspectors expect the port to reopen within a week, according to a spokeswoman.",
        "The crane, installed in 1998, had passed its last safety inspection in March.",
        "Shipping lines diverted four vessels to a neighbouring terminal on Tuesday evening.",
    ]
)
STORY_C = "\n\n".join(
    [
        "Insurers are bracing for claims from shipping firms whose cargo is stuck offshore.",
        "Two underwriters told Axios that losses could reach tens of millions of dollars.",
        "A trade group representing freight forwarders asked for an emergency meeting.",
        "Port workers' unions said they had warned about ageing equipment for years.",
        "The city council will hold a public hearing on the collapse next Thursday evening.",
        "Local businesses near the terminal reported fewer deliveries and longer waits.",
    ]
)


def by_file(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {Path(a["source"]).name.split(":")[0]: a for a in report["articles"]}


def test_examples_wire_copy_is_one_group_with_both_outlets() -> None:
    report = analyze([EXAMPLES]).to_dict()
    validate_report(report)
    files = {a["id"]: Path(a["source"]).name for a in report["articles"]}
    groups = [(d["kind"], sorted(files[i] for i in d["articles"])) for d in report["duplicates"]]
    assert groups == [("wire", ["bridge_02_compass_wire.txt", "bridge_03_brightwater_times.txt"])]
    wire = report["duplicates"][0]
    assert wire["outlets"] == ["Brightwater Times", "Compass Wire"]
    assert files[wire["canonical"]] == "bridge_02_compass_wire.txt"  # same day, lower id wins
    assert 0.6 <= wire["similarity"] < 1.0


def test_composite_is_split_and_the_new_part_keeps_its_own_outlet(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(STORY_A + "\n\n© 2024 Harbor Ledger\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text(STORY_A + "\n\n" + STORY_C + "\n", encoding="utf-8")
    report = analyze([tmp_path]).to_dict()
    validate_report(report)
    articles = by_file(report)
    [entry] = report["duplicates"]
    assert entry["kind"] == "composite"
    assert entry["articles"] == [articles["a.txt"]["id"], articles["b.txt"]["id"]]
    container_span = entry["spans"][0]
    assert container_span["article_id"] == articles["b.txt"]["id"]
    assert container_span["text"] == STORY_A
    parts = articles["b.txt"]["parts"]
    assert [(p["outlet"], p["duplicate_of"]) for p in parts] == [
        ("Harbor Ledger", articles["a.txt"]["id"]),
        ("Axios", None),
    ]
    text = articles["b.txt"]["text"]
    assert text[parts[1]["start"] : parts[1]["end"]].strip() == STORY_C


def test_short_copy_inside_a_longer_page_is_containment(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(STORY_A, encoding="utf-8")
    (tmp_path / "b.txt").write_text(
        "Breaking update\n\n" + STORY_A + "\n\nMore soon.", encoding="utf-8"
    )
    report = analyze([tmp_path]).to_dict()
    kinds = [d["kind"] for d in report["duplicates"]]
    assert kinds in (["containment"], ["near"])


def test_exact_text_under_two_outlets_is_a_wire_group(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    rows = [
        {"id": "1", "outlet": "Harbor Ledger", "text": STORY_A},
        {"id": "2", "outlet": "River Post", "text": STORY_A},
        {"id": "3", "outlet": "River Post", "text": STORY_C},
    ]
    feed.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    report = analyze([feed]).to_dict()
    [entry] = report["duplicates"]
    assert entry["kind"] == "wire" and entry["outlets"] == ["Harbor Ledger", "River Post"]
    assert entry["links"][0]["kind"] == "exact" and entry["similarity"] == 1.0


def test_new_articles_are_checked_against_stored_ones(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(STORY_A, encoding="utf-8")
    (tmp_path / "later").mkdir()
    (tmp_path / "later" / "b.txt").write_text(STORY_A + "\n\n" + STORY_C, encoding="utf-8")
    with Workspace.open(tmp_path / "w.db") as ws:
        ws.ingest([tmp_path / "a.txt"])
        ws.run()
        assert ws.duplicates() == []
        ws.ingest([tmp_path / "later"])
        ws.run()
        assert ws.last_dedupe.hashed == 1  # only the new article was hashed
        assert [d["kind"] for d in ws.duplicates()] == ["composite"]


@pytest.mark.parametrize("script", ["cyrillic", "greek"])
def test_non_latin_copies_are_found(tmp_path: Path, script: str) -> None:
    text = {
        "cyrillic": "Москва заявила в понедельник о поддержке мирного плана. "
        "Министр сказал, что переговоры продолжатся на следующей неделе в столице.",
        "greek": "Η κυβέρνηση ανακοίνωσε νέα μέτρα για την οικονομία τη Δευτέρα. "
        "Ο υπουργός είπε ότι οι συνομιλίες θα συνεχιστούν την επόμενη εβδομάδα.",
    }[script]
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.txt").write_text(text + " " + text.split(".")[0] + ".", encoding="utf-8")
    report = analyze([tmp_path]).to_dict()
    assert len(report["duplicates"]) == 1


def test_wire_group_is_one_unit_carried_by_both_outlets() -> None:
    report = analyze([EXAMPLES]).to_dict()
    files = {a["id"]: Path(a["source"]).name for a in report["articles"]}
    units = report["independent_units"]
    assert len(units) == 15  # 16 articles, the wire copy counted once
    [wire] = [u for u in units if len(u["carried_by"]) > 1]
    assert files[wire["article_id"]] == "bridge_02_compass_wire.txt"
    assert wire["carried_by"] == ["Brightwater Times", "Compass Wire"]
