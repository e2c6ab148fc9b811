"""The JSON Schema shipped in the package, and validation against it."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from storyline.errors import ReportError


@lru_cache(maxsize=1)
def load_schema() -> dict[str, Any]:
    text = resources.files("storyline.report").joinpath("report.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def validate_report(data: dict[str, Any]) -> None:
    """Raise ReportError listing every violation; an invalid report is a Storyline bug."""
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(load_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        details = "; ".join(
            f"{'/'.join(str(p) for p in e.absolute_path) or '(root)'}: {e.message[:200]}"
            for e in errors[:10]
        )
        raise ReportError(f"report does not match its schema ({len(errors)} errors): {details}")
