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
