"""Storyline: turn news articles from many outlets into verified, cited storylines.

The Python API is `Workspace` (a persistent SQLite workspace) and `analyze` (one-off, in
memory). Both are imported lazily so `storyline --help` stays instant.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from storyline.report import Report
    from storyline.workspace import Workspace, analyze

__all__ = ["Report", "Workspace", "__version__", "analyze"]


def __getattr__(name: str) -> Any:
    if name in ("Workspace", "analyze"):
        from storyline import workspace

        return getattr(workspace, name)
    if name == "Report":
        from storyline.report import Report

        return Report
    raise AttributeError(f"module 'storyline' has no attribute {name!r}")
