"""Load the cleaner's pattern tables (TOML data files) into typed, compiled rules."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from storyline.errors import StorylineError

Action = Literal["drop", "drop-teasers", "strip-prefix"]
Where = Literal["anywhere", "edge"]


@dataclass(frozen=True, slots=True)
class LineRule:
    kind: str
    pattern: re.Pattern[str]
    action: Action
    where: Where


@dataclass(frozen=True, slots=True)
class HeaderRule:
    kind: str
    pattern: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class OutletSignal:
    kind: str
    pattern: re.Pattern[str]
    weight: float
    outlet: str | None
    known_only: bool


@dataclass(frozen=True, slots=True)
class CleaningRules:
    lines: tuple[LineRule, ...]
    headers: tuple[HeaderRule, ...]


@dataclass(frozen=True, slots=True)
class OutletRules:
    canonical: dict[str, str]  # casefolded alias or name -> canonical name
    authors: dict[str, str]  # casefolded byline -> canonical outlet
    signals: tuple[OutletSignal, ...]


def _read_table(path: Path | None, default_name: str) -> dict[str, Any]:
    try:
        if path is None:
            text = resources.files("storyline.data").joinpath(default_name).read_text("utf-8")
            source = f"storyline/data/{default_name}"
        else:
            text = path.read_text("utf-8")
            source = str(path)
        return tomllib.loads(text) | {"__source__": source}
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise StorylineError(f"cannot read pattern table {path or default_name}: {exc}") from exc


def _compile(row: dict[str, Any], source: str, flags: int = 0) -> re.Pattern[str]:
    if row.get("ignore_case"):
        flags |= re.IGNORECASE
    try:
        return re.compile(str(row["pattern"]), flags)
    except (KeyError, re.error) as exc:
        raise StorylineError(
            f"{source}: rule {row.get('kind', '?')!r} has a bad pattern ({exc}); fix the row"
        ) from exc


def load_cleaning_rules(path: Path | None = None) -> CleaningRules:
    table = _read_table(path, "cleaning_rules.toml")
    source = table["__source__"]
    lines = []
    for row in table.get("line", []):
        action = row.get("action", "drop")
        where = row.get("where", "anywhere")
        if action not in ("drop", "drop-teasers", "strip-prefix") or where not in (
            "anywhere",
            "edge",
        ):
            raise StorylineError(f"{source}: rule {row.get('kind')!r}: bad action or where")
        lines.append(LineRule(str(row["kind"]), _compile(row, source), action, where))
    headers = tuple(
        HeaderRule(str(row["kind"]), _compile(row, source)) for row in table.get("header", [])
    )
    return CleaningRules(lines=tuple(lines), headers=headers)


def load_outlet_rules(path: Path | None = None) -> OutletRules:
    table = _read_table(path, "outlets.toml")
    source = table["__source__"]
    canonical: dict[str, str] = {}
    for row in table.get("outlet", []):
        name = str(row["name"])
        for alias in [name, *row.get("aliases", [])]:
            canonical[str(alias).casefold()] = name
    authors = {
        str(row["name"]).casefold(): canonical.get(str(row["outlet"]).casefold(), row["outlet"])
        for row in table.get("author", [])
    }
    signals = tuple(
        OutletSignal(
            kind=str(row["kind"]),
            pattern=_compile(row, source, re.MULTILINE),
            weight=float(row.get("weight", 1)),
            outlet=row.get("outlet"),
            known_only=bool(row.get("known_only", False)),
        )
        for row in table.get("signal", [])
    )
    return OutletRules(canonical=canonical, authors=authors, signals=signals)
