"""Article text is untrusted: the HTML and Markdown reports must show it, never run it."""

from __future__ import annotations

import json
from pathlib import Path

from storyline.report import write_report
from storyline.workspace import analyze

HOSTILE = (
    'Breaking <script>alert("x")</script> news\n\n'
    "The council met on Monday <img src=x onerror=alert(1)> and voted to close the bridge "
    "for repairs, officials said. [click](javascript:alert(1)) & more.\n\n"
    "© 2024 <b>Evil</b> Gazette\n"
)


def test_hostile_text_is_escaped_everywhere(tmp_path: Path) -> None:
    source = tmp_path / "hostile.txt"
    source.write_text(HOSTILE, encoding="utf-8")
    report = analyze([source])
    paths = write_report(report, tmp_path / "out")
    html = paths["html"].read_text("utf-8")
    assert "<script>" not in html and "<img" not in html and "<b>Evil" not in html
    assert "&lt;script&gt;" in html
    assert "default-src 'none'" in html
    md = paths["md"].read_text("utf-8")
    assert "<script>" not in md and "<img" not in md
    assert "](javascript:" not in md
    data = json.loads(paths["json"].read_text("utf-8"))
    assert "<script>" in data["articles"][0]["title"]  # JSON keeps the text as it was


def test_report_on_empty_input_is_valid(tmp_path: Path) -> None:
    report = analyze([])
    paths = write_report(report, tmp_path / "out")
    data = json.loads(paths["json"].read_text("utf-8"))
    assert data["articles"] == [] and data["stories"] == [] and data["duplicates"] == []


def test_hostile_text_in_a_cross_checked_story_is_escaped(tmp_path: Path) -> None:
    """Two outlets tell one story; their claims, facts and framing reach the report's
    cross-check section, which must escape them like the rest."""
    common = (
        "The council voted on Monday to close the Harbour Bridge for repairs, officials said. "
        "The bridge, nearly 3 miles long, carries 40,000 cars a day.\n\n"
    )
    (tmp_path / "a.jsonl").write_text(
        json.dumps(
            {"outlet": "Gazette <script>alert(1)</script>", "published": "2024-03-04",
             "text": common + "Rebels <img src=x onerror=alert(1)> protested the vote."}
        ) + "\n"
        + json.dumps(
            {"outlet": "Herald", "published": "2024-03-04",
             "text": "The council voted on Monday to close the Harbour Bridge, officials said. "
             "The 2.6-km bridge carries 40,000 cars a day.\n\n<script>steal()</script> rebels"}
        ) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    report = analyze([tmp_path / "a.jsonl"])
    [story] = report.stories
    assert len(story["outlets"]) == 2 and story["contradictions"]
    paths = write_report(report, tmp_path / "out")
    html = paths["html"].read_text("utf-8")
    assert "Cross-check" in html
    assert "<script>" not in html and "<img" not in html
    md = paths["md"].read_text("utf-8")
    assert "### Cross-check" in md and "<script>" not in md and "<img" not in md
