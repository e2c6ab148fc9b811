"""Memory measurement shared by the bench scripts."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable


def traced_peak_mb(action: Callable[[], object]) -> float:
    """The peak of Python-level allocations while `action` runs, in MiB (native buffers such
    as onnxruntime's are not seen)."""
    tracemalloc.start()
    try:
        action()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 2**20
