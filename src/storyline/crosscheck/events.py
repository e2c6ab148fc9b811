"""Event classes named in a claim (data/event_classes.toml), for fact alignment.

Sentence embeddings weigh a long sentence's every clause; two reports of one event in different
words ("ceded control of Hama", "withdrawn from Hama", "captured Hama") can sit below the fact
threshold. An event class named together with the same place is strong evidence that two
claims tell one happening, so alignment adds a bonus for it.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from importlib import resources

from storyline.crosscheck.claims import Claim


@lru_cache(maxsize=1)
def event_patterns() -> dict[str, re.Pattern[str]]:
    raw = tomllib.loads(
        resources.files("storyline").joinpath("data/event_classes.toml").read_text("utf-8")
    )
    return {
        name: re.compile(r"\b(?:" + "|".join(forms) + r")\b", re.IGNORECASE)
        for name, forms in raw["classes"].items()
    }


@lru_cache(maxsize=65_536)
def event_classes(text: str) -> frozenset[str]:
    """Memoised: the contradiction rules ask again for every pair a claim is in."""
    return frozenset(name for name, rx in event_patterns().items() if rx.search(text))


def event_keys(claim: Claim) -> frozenset[tuple[str, str]]:
    """(event class, place entity id) pairs the claim names together."""
    classes = event_classes(claim.text)
    return frozenset((c, p) for c in classes for p in claim.place_ids)
