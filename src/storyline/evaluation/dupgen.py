"""A generator of realistic duplicates with known truth, over any list of base articles.

Each copy is made from one original by an edit newsrooms really make: a new lede, a trimmed
ending, boilerplate wrapped around it, paragraphs reordered, light rewording, or another
article glued underneath (a composite). Untouched originals are the distinct articles.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass

KINDS = ("relede", "trim", "wrap", "shuffle", "reword", "glued")
# Link kinds that describe each edit correctly (a wrap adds little text, so "near" fits too;
# the in-memory fast path cannot tell a composite from a containment without spans).
EXPECTED_LINK: dict[str, frozenset[str]] = {
    "relede": frozenset({"near"}),
    "trim": frozenset({"near", "containment"}),
    "wrap": frozenset({"near", "containment"}),
    "shuffle": frozenset({"near"}),
    "reword": frozenset({"near"}),
    "glued": frozenset({"containment", "composite"}),
}
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")
_SYNONYMS = {
    "said": "stated",
    "says": "states",
    "big": "large",
    "large": "big",
    "also": "too",
    "however": "but",
    "about": "around",
    "government": "administration",
    "company": "firm",
    "people": "persons",
    "new": "fresh",
    "after": "following",
    "before": "prior to",
    "increase": "rise",
    "show": "indicate",
    "percent": "pct",
    "announced": "unveiled",
    "officials": "authorities",
}
_BOILERPLATE_TOP = [
    "Listen to this article",
    "A view of the scene on Tuesday. (Sam Reyes/Example Photo via Picture Desk)",
    "By Alex Morgan",
]
_BOILERPLATE_BOTTOM = [
    "Read more",
    "",
    "Markets brace for a busy week\nWhat the new rules mean for savers",
    "",
    "© 2024 Example News Group. All rights reserved.",
]


@dataclass(frozen=True, slots=True)
class GeneratedDoc:
    id: str
    text: str
    kind: str  # "original" or one of KINDS
    roots: frozenset[str]  # ids of the originals this document is made from


def _paragraphs(text: str) -> list[str]:
    paragraphs = [p.strip() for p in text.split("\n") if p.strip()]
    if len(paragraphs) >= 3:
        return paragraphs
    sentences = [s.strip() for s in _SENTENCE.split(text) if s.strip()]
    return sentences if len(sentences) >= 3 else paragraphs


def _edit(kind: str, text: str, other: str, rng: random.Random) -> str:
    paragraphs = _paragraphs(text)
    if kind == "relede":
        # One sentence from another article, as a desk writes a new top on a wire story.
        donor = [s for s in _SENTENCE.split(other) if 6 <= len(s.split()) <= 40]
        lede = donor[rng.randrange(len(donor))] if donor else "In a development on Monday,"
        return "\n\n".join([lede.strip(), *paragraphs])
    if kind == "trim":
        keep = max(1, round(len(paragraphs) * rng.uniform(0.5, 0.75)))
        return "\n\n".join(paragraphs[:keep])
    if kind == "wrap":
        return "\n\n".join([*_BOILERPLATE_TOP, *paragraphs, *_BOILERPLATE_BOTTOM])
    if kind == "shuffle":
        shuffled = paragraphs[:]
        rng.shuffle(shuffled)
        return "\n\n".join(shuffled)
    if kind == "reword":
        words = text.split(" ")
        for i, word in enumerate(words):
            key = word.lower()
            if key in _SYNONYMS and rng.random() < 0.8:
                words[i] = _SYNONYMS[key]
            elif rng.random() < 0.03:
                words[i] = ""
        return re.sub(r" {2,}", " ", " ".join(words))
    if kind == "glued":
        return "\n\n".join([*paragraphs, *_paragraphs(other)])
    raise ValueError(f"unknown duplicate kind {kind!r}")


def generate(
    base: Sequence[tuple[str, str]], total: int, copy_share: float = 0.4, seed: int = 20261121
) -> list[GeneratedDoc]:
    """`total` documents: originals from `base` (each used once) plus copies of them.

    Glued copies take their second article from originals too, so a composite's both parts
    have a source in the corpus. If `base` is short, originals are reused for more copies.
    """
    rng = random.Random(seed)
    n_copies = round(total * copy_share)
    n_originals = min(len(base), total - n_copies)
    n_copies = total - n_originals
    originals = [GeneratedDoc(i, t, "original", frozenset({i})) for i, t in base[:n_originals]]
    docs = list(originals)
    for index in range(n_copies):
        kind = KINDS[index % len(KINDS)]
        source = originals[rng.randrange(n_originals)]
        other = originals[rng.randrange(n_originals)]
        while other.id == source.id and n_originals > 1:
            other = originals[rng.randrange(n_originals)]
        roots = {source.id, other.id} if kind == "glued" else {source.id}
        text = _edit(kind, source.text, other.text, rng)
        docs.append(GeneratedDoc(f"{kind}-{index:06d}-{source.id}", text, kind, frozenset(roots)))
    rng.shuffle(docs)
    return docs
