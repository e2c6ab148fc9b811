"""Recognise the publishing outlet from the text alone, by weighted evidence from the table."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from storyline.clean.rules import OutletRules
from storyline.model import Outlet

_CORPORATE_SUFFIX = re.compile(
    r"[,\s]+(?:L\.?P\.?|Ltd\.?|Limited|Inc\.?|LLC|plc|Corp\.?|Co\.?|GmbH|S\.A\.?|"
    r"All rights reserved\.?)$",
    re.IGNORECASE,
)
_TRAILING_YEAR = re.compile(r"[,\s]+(?:19|20)\d{2}$")


@dataclass(frozen=True, slots=True)
class Evidence:
    outlet: str
    weight: float
    kind: str
    text: str


def canonical_name(name: str, rules: OutletRules) -> str:
    """Map a found name to the table's canonical spelling; unknown names are tidied, kept."""
    tidy = " ".join(name.split()).strip(" .,-–—|")
    for _ in range(3):
        known = rules.canonical.get(tidy.casefold())
        if known:
            return known
        stripped = _TRAILING_YEAR.sub("", _CORPORATE_SUFFIX.sub("", tidy)).strip(" .,-–—|")
        if stripped == tidy:
            break
        tidy = stripped
    return rules.canonical.get(tidy.casefold(), tidy)


def is_known(name: str, rules: OutletRules) -> bool:
    tidy = " ".join(name.split())
    if tidy.casefold().startswith("the "):
        return tidy.casefold() in rules.canonical or tidy[4:].casefold() in rules.canonical
    return tidy.casefold() in rules.canonical


def collect_evidence(raw_text: str, bylines: list[str], rules: OutletRules) -> list[Evidence]:
    found: list[Evidence] = []
    for signal in rules.signals:
        for match in signal.pattern.finditer(raw_text):
            name = match.groupdict().get("outlet") or signal.outlet
            if not name:
                continue
            name = name.strip().rstrip(".,;:")
            if signal.known_only:
                name = _known_prefix(name, rules)
                if not name:
                    continue
            if not _plausible(name):
                continue
            found.append(
                Evidence(
                    outlet=canonical_name(name, rules),
                    weight=signal.weight,
                    kind=signal.kind,
                    text=match.group(0).strip()[:120],
                )
            )
    for byline in bylines:
        outlet = rules.authors.get(" ".join(byline.split()).casefold())
        if outlet:
            found.append(Evidence(outlet=outlet, weight=6, kind="known byline", text=byline))
    return found


def _known_prefix(name: str, rules: OutletRules) -> str:
    """The longest leading run of words that is a known outlet ("Axios On Thursday" -> "Axios")."""
    words = name.split()
    for end in range(len(words), 0, -1):
        candidate = " ".join(words[:end])
        if is_known(candidate, rules):
            return candidate
    return ""


def _plausible(name: str) -> bool:
    """Reject captures that are sentences, not names (e.g. a copyright notice's boilerplate)."""
    words = name.split()
    return 0 < len(words) <= 6 and any(ch.isalpha() for ch in name)


def decide(evidence: list[Evidence]) -> Outlet | None:
    """The outlet with the largest total weight; ties go to the earliest strongest evidence."""
    if not evidence:
        return None
    totals: dict[str, float] = defaultdict(float)
    for item in evidence:
        totals[item.outlet] += item.weight
    best = max(totals, key=lambda name: (totals[name], -_first_index(evidence, name)))
    strongest = max((e for e in evidence if e.outlet == best), key=lambda e: e.weight)
    return Outlet(name=best, inferred=True, evidence=f"{strongest.kind}: {strongest.text}")


def _first_index(evidence: list[Evidence], name: str) -> int:
    return next(i for i, item in enumerate(evidence) if item.outlet == name)
