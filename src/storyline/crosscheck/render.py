"""Plain-text and Markdown views of a story's cross-check (CLI `storyline check`, report.md)."""

from __future__ import annotations

from typing import Any

REPORTED, CONTRADICTS = "✔", "✖"
STATEMENT_WIDTH = 70


def _short(text: str, width: int = STATEMENT_WIDTH) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _abbrev(outlet: str, width: int = 10) -> str:
    return outlet if len(outlet) <= width else outlet[: width - 1] + "…"


def matrix_lines(check: dict[str, Any], limit: int = 25) -> list[str]:
    outlets = check["outlets"]
    rows = check["matrix"][:limit]
    if not rows:
        return ["  (no fact is reported by two independent sources)"]
    header = " " * (STATEMENT_WIDTH + 2) + " ".join(f"{_abbrev(o):^10}" for o in outlets)
    lines = [header]
    for row in rows:
        cells = []
        for outlet in outlets:
            state = row["cells"].get(outlet)
            mark = REPORTED if state == "reported" else CONTRADICTS if state else ""
            cells.append(f"{mark:^10}")
        lines.append(f"  {_short(row['statement']):<{STATEMENT_WIDTH}}" + " ".join(cells))
    if len(check["matrix"]) > limit:
        lines.append(f"  … {len(check['matrix']) - limit} more facts (--json lists all)")
    return lines


def contradiction_lines(check: dict[str, Any]) -> list[str]:
    lines = []
    conflicts = [c for c in check["contradictions"] if not c["compatible"]]
    compatible = [c for c in check["contradictions"] if c["compatible"]]
    if not conflicts:
        lines.append("  (none found)")
    for item in conflicts:
        lines.append(f"  [{item['kind']}] {item['summary']}")
        for side in item["sides"]:
            lines.append(f"      {side['outlet']}: “{_short(side['claim']['text'], 110)}”")
    if compatible:
        lines.append("  Differ in precision only (not conflicts):")
        for item in compatible:
            lines.append(f"  [{item['kind']}] {item['summary']}")
    return lines


def single_source_lines(check: dict[str, Any], limit: int = 12) -> list[str]:
    items = check["single_source"]
    if not items:
        return ["  (none)"]
    lines = [f"  [{i['outlet']}] {_short(i['statement'], 110)}" for i in items[:limit]]
    if check["single_source_total"] > limit:
        lines.append(f"  … {check['single_source_total'] - limit} more (--json lists them)")
    return lines


def framing_lines(check: dict[str, Any], rows: int = 6, per_cell: int = 4) -> list[str]:
    lines = []
    for row in check["framing"][:rows]:
        lines.append(f"  {row['name']}")
        for outlet in check["outlets"]:
            labels = row["labels"].get(outlet, {})
            quoted = row.get("quoted", {}).get(outlet, {})
            if not labels and not quoted:
                continue
            own = ", ".join(f"{label} ×{n}" for label, n in list(labels.items())[:per_cell])
            cited = ", ".join(f"“{label}” ×{n}" for label, n in list(quoted.items())[:2])
            text = own + (f"  (quoting others: {cited})" if cited else "")
            lines.append(f"      {outlet:<22} {text}")
    return lines or ["  (no actor labels found)"]


def check_text(check: dict[str, Any]) -> str:
    corroborated = sum(f["corroborated"] for f in check["facts"])
    conflicts = sum(not c["compatible"] for c in check["contradictions"])
    parts = [
        f"{check['label']}",
        f"{check['id']}  {len(check['outlets'])} outlets: {', '.join(check['outlets'])}",
        f"{check['claims']} claims -> {len(check['facts'])} facts, {corroborated} corroborated by "
        f"2+ independent sources; {conflicts} contradictions; "
        f"{check['single_source_total']} single-source claims",
        "",
        f"Facts x outlets ({REPORTED} reported, {CONTRADICTS} contradicts, blank: silent)",
        *matrix_lines(check),
        "",
        "Contradictions",
        *contradiction_lines(check),
        "",
        "Single-source claims",
        *single_source_lines(check),
        "",
        "Framing: the labels each outlet uses, in its own voice",
        *framing_lines(check),
    ]
    return "\n".join(parts)
