"""The cross-check of one story: claims -> facts, contradictions, single-source claims, framing."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from storyline.crosscheck.align import FACT_THRESHOLD, Fact, align
from storyline.crosscheck.claims import Claim, claims_of
from storyline.crosscheck.contradictions import Contradiction, ContradictionFinder
from storyline.crosscheck.framing import FramingRow, framing_table
from storyline.crosscheck.material import StoryMaterial

Embed = Callable[[Sequence[str]], NDArray[np.float32]]


@dataclass(frozen=True, slots=True, kw_only=True)
class CrossCheck:
    story_id: str
    outlets: tuple[str, ...]
    claims: tuple[Claim, ...]
    facts: tuple[Fact, ...]
    contradictions: tuple[Contradiction, ...]
    framing: tuple[FramingRow, ...]
    texts: dict[str, str] = field(repr=False)  # article id -> text, to render spans

    @property
    def single_source(self) -> tuple[Fact, ...]:
        """What only one source says (history left out: it is context, not the news)."""
        return tuple(f for f in self.facts if f.sources == 1 and not f.background)

    def matrix(self) -> list[dict[str, Any]]:
        """Fact x outlet: 'reported', 'contradicts' or absent (silent), corroborated first."""
        against: dict[str, set[str]] = {}
        fact_of = {c.id: f.id for f in self.facts for c in f.members}
        for item in self.contradictions:
            if item.compatible:
                continue
            a, b = item.sides
            # each side contradicts the fact the other side's claim belongs to
            for mine, other in ((a, b), (b, a)):
                fact_id = fact_of.get(other.claim.id)
                if fact_id:
                    against.setdefault(fact_id, set()).update(mine.carried_by)
        rows = []
        for fact in self.facts:
            if fact.sources < 2 and fact.id not in against:
                continue
            cells = {outlet: "reported" for outlet in fact.outlets}
            for outlet in against.get(fact.id, ()):
                cells[outlet] = "contradicts"
            rows.append({"fact_id": fact.id, "statement": fact.statement, "cells": cells})
        return rows


def story_claims(material: StoryMaterial) -> list[Claim]:
    return [c for source in material.sources for c in claims_of(source)]


def cross_check(
    material: StoryMaterial,
    embed: Embed,
    fact_threshold: float = FACT_THRESHOLD,
    claims: list[Claim] | None = None,
) -> CrossCheck:
    """`claims` may be passed when the caller already split the story (to embed several
    stories' claims in one call)."""
    claims = story_claims(material) if claims is None else claims
    texts = {s.article_id: s.text for s in material.sources}
    outlets = tuple(sorted({o for s in material.sources for o in (s.carried_by or (s.outlet,))}))
    if not claims:
        return CrossCheck(
            story_id=material.story_id,
            outlets=outlets,
            claims=(),
            facts=(),
            contradictions=(),
            framing=(),
            texts=texts,
        )
    vectors = embed([c.text for c in claims])
    facts = align(claims, vectors, fact_threshold)
    similarity = vectors.astype(np.float64) @ vectors.astype(np.float64).T
    published = {
        s.article_id: s.published.isoformat() if s.published else None for s in material.sources
    }
    contradictions = ContradictionFinder(claims, similarity, published).find()
    return CrossCheck(
        story_id=material.story_id,
        outlets=outlets,
        claims=tuple(claims),
        facts=tuple(facts),
        contradictions=tuple(contradictions),
        framing=tuple(framing_table(material, claims)),
        texts=texts,
    )
