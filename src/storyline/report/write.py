"""Write report.json, report.html and report.md into one folder.

Article text is untrusted: HTML goes through Jinja2 autoescaping under a Content-Security-Policy
that forbids scripts; Markdown escapes HTML-significant characters so a viewer that renders
inline HTML shows the text, never runs it.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from storyline.report.report import Report
from storyline.report.schema import validate_report

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~])")


def write_report(report: Report, out_dir: Path) -> dict[str, Path]:
    """Validate, then write the three files atomically (temp file + rename)."""
    data = report.to_dict()
    validate_report(data)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {
        "json": out_dir / "report.json",
        "html": out_dir / "report.html",
        "md": out_dir / "report.md",
    }
    _atomic_write(paths["json"], json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    _atomic_write(paths["html"], render_html(data))
    _atomic_write(paths["md"], render_markdown(data))
    return paths


def _atomic_write(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def render_html(data: dict[str, Any]) -> str:
    from jinja2 import Environment, PackageLoader, select_autoescape
    from markupsafe import Markup

    from storyline.synthesis.plot import timeline_svg_from_records

    env = Environment(
        loader=PackageLoader("storyline.report", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # The plot is drawn again from the events (never taken as stored markup), escaping all text.
    env.filters["timeline_plot"] = lambda story: Markup(
        timeline_svg_from_records(story.get("timeline", []), story.get("label", ""))
    )
    return env.get_template("report.html.j2").render(report=data)


def md_escape(text: str) -> str:
    """Escape Markdown and HTML syntax in untrusted text; keep it readable."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def render_markdown(data: dict[str, Any]) -> str:
    summary = data["summary"]
    lines = [
        "# Storyline report",
        "",
        f"{summary['articles']} articles, {len(summary['outlets'])} outlets, "
        f"{summary['problems']} problems, {summary['stories']} stories. "
        f"Generated {data['generated_at']} by storyline {data['generator']['version']}.",
        "",
        "## Articles",
        "",
        "| id | outlet | published | title | language | words |",
        "|---|---|---|---|---|---|",
    ]
    for article in data["articles"]:
        outlet = article["outlet"]
        outlet_text = (
            "—"
            if outlet is None
            else md_escape(outlet["name"]) + (" (inferred)" if outlet["inferred"] else "")
        )
        published = article["published"]
        date_text = (
            "—"
            if published is None
            else published["date"] + (" (inferred)" if published["inferred"] else "")
        )
        lines.append(
            f"| `{article['id']}` | {outlet_text} | {date_text} | "
            f"{md_escape(article['title'] or '—')} | {article['language'] or '—'} | "
            f"{len(article['text'].split())} |"
        )
    for article in data["articles"]:
        lines += ["", f"### {md_escape(article['title'] or article['source'])}", ""]
        lines.append(f"`{article['id']}` · source: {md_escape(article['source'])}")
        if article["removed"]:
            kinds = sorted({item["kind"] for item in article["removed"]})
            lines.append(f"· boilerplate removed: {len(article['removed'])} ({', '.join(kinds)})")
        lines.append("")
        for paragraph in article["text"].split("\n\n"):
            lines.append("> " + md_escape(paragraph).replace("\n", "\n> "))
            lines.append(">")
        if lines[-1] == ">":
            lines.pop()
    lines += ["", "## Problems", ""]
    if not data["problems"]:
        lines.append("None.")
    for problem in data["problems"]:
        lines.append(
            f"- **{problem['code']}** ({problem['stage']}): {md_escape(problem['message'])}"
        )
    lines += ["", "## Duplicates", ""]
    if not data["duplicates"]:
        lines.append("None found.")
    for entry in data["duplicates"]:
        outlets = ", ".join(md_escape(o) for o in entry["outlets"]) or "unknown outlets"
        ids = ", ".join(f"`{i}`" for i in entry["articles"])
        lines.append(
            f"- **{entry['kind']}** ({entry['similarity']:.2f}; {outlets}): {ids}; "
            f"canonical `{entry['canonical']}`"
        )
    lines.append("")
    lines += ["## Stories", "", f"{len(data['stories'])} stories.", ""]
    for story in data["stories"]:
        span = story["start"] or "undated"
        if story["end"] and story["end"] != story["start"]:
            span += f" – {story['end']}"
        lines.append(
            f"- **{md_escape(story['label'])}** ({span}; {len(story['article_ids'])} articles): "
            + ", ".join(f"`{i}`" for i in story["article_ids"])
        )
    lines.append("")
    for story in data["stories"]:
        lines += synthesis_markdown(story)
        if len(story.get("outlets", [])) > 1:
            lines += crosscheck_markdown(story)
    return "\n".join(lines)


def synthesis_markdown(story: dict[str, Any]) -> list[str]:
    """A story's brief (each sentence with its outlets) and its timeline, as Markdown."""
    if not story.get("brief") and not story.get("timeline"):
        return []
    lines = [f"### {md_escape(story['label'])}", ""]
    for sentence in story.get("brief", []):
        outlets = ", ".join(md_escape(o) for o in sentence.get("outlets", []))
        lines.append(f"- {md_escape(sentence['text'])} *[{outlets}]*")
    if story.get("timeline"):
        lines += ["", "| date | | event | outlets |", "|---|---|---|---|"]
        for event in story["timeline"]:
            part = "history" if event["background"] else "news"
            text = md_escape(" ".join(event["text"].split())[:160])
            outlets = ", ".join(md_escape(o) for o in event.get("outlets", []))
            lines.append(f"| {event['date']} | {part} | {text} | {outlets} |")
    lines.append("")
    return lines


def crosscheck_markdown(story: dict[str, Any], facts: int = 15, single: int = 10) -> list[str]:
    """A story's cross-check as Markdown: matrix, contradictions, single-source, framing."""
    outlets = story["outlets"]
    lines = [f"### Cross-check: {md_escape(story['label'])}", ""]
    lines += ["| fact | " + " | ".join(md_escape(o) for o in outlets) + " |"]
    lines += ["|---|" + "---|" * len(outlets)]
    marks = {"reported": "✔", "contradicts": "✖"}
    for row in story["matrix"][:facts]:
        cells = [marks.get(row["cells"].get(o, ""), "") for o in outlets]
        lines.append(f"| {md_escape(row['statement'][:140])} | " + " | ".join(cells) + " |")
    lines += ["", "**Contradictions**", ""]
    conflicts = [c for c in story["contradictions"] if not c["compatible"]]
    for item in conflicts or []:
        quotes = "; ".join(
            f"{md_escape(side['outlet'])}: “{md_escape(side['span']['text'])}”"
            for side in item["sides"]
        )
        lines.append(f"- *{item['kind']}*: {md_escape(item['summary'])} ({quotes})")
    if not conflicts:
        lines.append("None found.")
    for item in story["contradictions"]:
        if item["compatible"]:
            lines.append(f"- *differs in precision*: {md_escape(item['summary'])}")
    lines += ["", f"**Single-source claims** ({story['single_source_total']})", ""]
    for item in story["single_source"][:single]:
        lines.append(f"- {md_escape(item['outlet'] or '?')}: {md_escape(item['statement'])}")
    lines += ["", "**Framing** (labels in each outlet's own voice)", ""]
    lines += ["| actor | " + " | ".join(md_escape(o) for o in outlets) + " |"]
    lines += ["|---|" + "---|" * len(outlets)]
    for row in story["framing"][:8]:
        cells = [
            ", ".join(f"{md_escape(k)} ×{n}" for k, n in list(row["labels"].get(o, {}).items())[:4])
            for o in outlets
        ]
        lines.append(f"| {md_escape(row['name'])} | " + " | ".join(cells) + " |")
    lines.append("")
    return lines
