"""The check every brief sentence passes, whoever wrote it: its numbers, names and dates must
all appear in the spans it cites (outlet names, which attribute rather than assert, excepted).

A sentence that fails is dropped (a generated one falls back to the extractive sentence).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_NAME = re.compile(r"\b[A-Z][\w’'-]*")
# Capitalised only because they open a sentence or a clause: never treated as names.
_FUNCTION_WORDS = frozenset(
    """
    A An The In On At By For From To Of And But Or As It Its This That These Those There
    They He She His Her We Our After Before While When Where Why How What Which Who Both
    Each Some Several Many Most Outlets Meanwhile Also Still Yet However Mr Mrs Ms Dr
    """.split()  # noqa: SIM905
)


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "") for n in _NUMBER.findall(text)}


def unsupported(sentence: str, cited: Sequence[str], allowed: Iterable[str] = ()) -> list[str]:
    """The numbers, names and dates of `sentence` that no cited text holds, in order."""
    sources = "\n".join(cited)
    source_numbers = _numbers(sources)
    allowed_text = " ".join(allowed)
    missing = [n for n in _NUMBER.findall(sentence) if n.replace(",", "") not in source_numbers]
    for match in _NAME.finditer(sentence):
        word = match.group().rstrip("’'")
        if word.endswith(("’s", "'s")):
            word = word[:-2]
        if word in _FUNCTION_WORDS or len(word) < 2:
            continue
        if word in sources or word in allowed_text:
            continue
        if match.start() == 0 and word.lower() in sources.lower():
            continue  # a common word capitalised at the start of the sentence
        missing.append(word)
    return missing


def supported(sentence: str, cited: Sequence[str], allowed: Iterable[str] = ()) -> bool:
    return not unsupported(sentence, cited, allowed)
