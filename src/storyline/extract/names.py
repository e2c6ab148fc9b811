"""Name normalisation shared by the recogniser, variant merging and the gazetteer."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib import resources

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

PARTICLES = {"al", "el", "ad", "as", "ash", "ar", "the", "a"}
TITLES = {
    "president", "mr", "mrs", "ms", "dr", "gen", "general", "leader", "minister", "prime",
    "king", "sheikh", "sen", "gov", "governor", "rep", "chief", "head", "hts",
}  # fmt: skip
_SPLIT = re.compile(r"[\s\-‐–—'’`.]+")


def fold(text: str) -> str:
    """Lower-case ASCII without accents: 'Türkiye' -> 'turkiye', 'Nurdağı' -> 'nurdagi'."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def tokens(text: str) -> list[str]:
    """Folded name tokens without particles ('al-', 'the') or titles ('President')."""
    words = [w for w in _SPLIT.split(fold(text)) if w]
    kept = [w for w in words if w not in PARTICLES and w not in TITLES]
    return kept or words


def key(text: str) -> str:
    return " ".join(tokens(text))


def initials(text: str) -> str:
    return "".join(w[0] for w in tokens(text) if w).upper()


@dataclass(frozen=True, slots=True)
class AliasEntry:
    name: str
    type: str
    aliases: tuple[str, ...]


def load_aliases() -> list[AliasEntry]:
    table = tomllib.loads(
        resources.files("storyline.data").joinpath("entities.toml").read_text("utf-8")
    )
    return [
        AliasEntry(str(row["name"]), str(row["type"]), tuple(row.get("aliases", [])))
        for row in table.get("entity", [])
    ]


def close_names(
    queries: Sequence[str], choices: Sequence[str], min_score: int, chunk: int = 256
) -> Iterator[tuple[str, npt.NDArray[np.intp]]]:
    """Each query with the indices of the choices whose `fuzz.ratio` reaches `min_score`, in
    chunks of queries so the uint8 score matrix stays small (one C call per chunk)."""
    for first in range(0, len(queries), chunk):
        part = queries[first : first + chunk]
        scores = process.cdist(
            part, choices, scorer=fuzz.ratio, score_cutoff=min_score, dtype=np.uint8
        )
        for query, row in zip(part, scores, strict=True):
            yield query, np.flatnonzero(row)
