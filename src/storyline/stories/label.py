"""Short neutral labels for stories, from what their articles share.

A label is built from the whole story, never from one outlet's headline, so it carries no
outlet's framing ("terrorists" or "rebels"): the entities most of its articles name, then the
words that weigh most in its centroid, e.g. "Hama, Syria, Aleppo: army, withdrawal".
"""

from __future__ import annotations

from collections import Counter

MAX_NAMES = 3
MAX_WORDS = 2


def story_label(centroid: dict[str, float], entity_counts: Counter[str] | None = None) -> str:
    """`entity_counts`: how many of the story's articles name each entity (canonical names)."""
    counts = entity_counts or Counter()

    def rank(item: tuple[str, int]) -> tuple[int, float, str]:
        return -item[1], -centroid.get("E:" + item[0], 0.0), item[0]

    names = [_display(n) for n, _ in sorted(counts.items(), key=rank)]
    names = list(dict.fromkeys(names))[:MAX_NAMES]
    ranked = sorted(centroid.items(), key=lambda item: (-item[1], item[0]))
    if len(names) < MAX_NAMES:  # no extracted entities: capitalised words stand in
        for term, _ in ranked:
            if term.startswith("N:") and len(names) < MAX_NAMES:
                name = term[2:].title()
                if name.casefold() not in {n.casefold() for n in names}:
                    names.append(name)
    taken = " ".join(names).casefold()
    words = [t for t, _ in ranked if ":" not in t and t.casefold() not in taken][:MAX_WORDS]
    label = ", ".join(names)
    if words:
        label = f"{label}: {', '.join(words)}" if label else ", ".join(words)
    return label or "untitled story"


def _display(name: str) -> str:
    return name[4:] if name.lower().startswith("the ") else name
