"""Keeping story ids stable through a batch re-clustering, and saying what moved.

A rebuild places every article afresh, so its groups carry no ids. Each group takes the id of
the old story it shares most articles with (largest overlaps first, each old id used once), so
a story that did not change keeps its id and a story that grew or shrank keeps it too. A group
that matches no free old id opens a new story named after its first article, as the
incremental pass would. What changed is told as events: an old story whose articles now sit in
several groups was split (one event per group beyond the one that kept its id, or its largest
share if none did), and an old story whose id went nowhere was merged into the group holding
most of its articles.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(slots=True)
class Reconciliation:
    ids: list[str]  # the story id of each group, in the groups' order
    splits: list[tuple[str, str]] = field(default_factory=list)  # (old story, part's story)
    merges: list[tuple[str, str]] = field(default_factory=list)  # (survivor, old absorbed)
    unchanged: int = 0  # groups with exactly the members of the old story whose id they kept


def reconcile(groups: Sequence[Sequence[str]], previous: Mapping[str, str]) -> Reconciliation:
    """Ids and events for `groups` (member article ids, first-placed first) given the
    `previous` story of each article that had one."""
    overlap = Counter(
        (g, previous[a]) for g, members in enumerate(groups) for a in members if a in previous
    )
    old_sizes = Counter(previous.values())
    ids: list[str | None] = [None] * len(groups)
    kept: dict[str, int] = {}  # old id -> the group that kept it
    for (g, old), _ in sorted(overlap.items(), key=lambda item: (-item[1], item[0])):
        if ids[g] is None and old not in kept:
            ids[g] = old
            kept[old] = g
    taken = set(old_sizes)  # never reuse an id history already knows
    for g, members in enumerate(groups):
        if ids[g] is None:
            fresh = next((a for a in members if a not in taken), None) or _fresh_id(members)
            ids[g] = fresh
            taken.add(fresh)
    final = [i for i in ids if i is not None]

    result = Reconciliation(final)
    homes: dict[str, list[tuple[int, int]]] = {}  # old id -> (share, group), largest first
    for (g, old), share in overlap.items():
        homes.setdefault(old, []).append((share, g))
    for old in sorted(homes):
        shares = sorted(homes[old], key=lambda pair: (-pair[0], pair[1]))
        home = kept.get(old, shares[0][1])
        if old not in kept:
            result.merges.append((final[home], old))
        result.splits.extend((old, final[g]) for _, g in shares if g != home)
    result.unchanged = sum(
        1 for old, g in kept.items() if overlap[(g, old)] == old_sizes[old] == len(groups[g])
    )
    return result


def _fresh_id(members: Sequence[str]) -> str:
    """A hex id from the members, for the rare group whose every article already names a story
    in the history."""
    digest = hashlib.sha256("\n".join(sorted(members)).encode()).hexdigest()
    return digest[: max(len(members[0]), 16)] if members else digest[:16]
