"""A cross-check as the story sections of report.json (schema: report/report.schema.json)."""

from __future__ import annotations

from typing import Any

from storyline.crosscheck.check import CrossCheck
from storyline.crosscheck.claims import Claim
from storyline.crosscheck.framing import loaded_words

MAX_SINGLE_SOURCE = 200  # per story; the rest is counted, not listed


def _span(claim: Claim) -> dict[str, Any]:
    return claim.span()


def check_sections(check: CrossCheck) -> dict[str, Any]:
    single = check.single_source
    return {
        "outlets": list(check.outlets),
        "claims": len(check.claims),
        "facts": [
            {
                "id": fact.id,
                "statement": fact.statement,
                "outlets": list(fact.outlets),
                "sources": fact.sources,
                "corroborated": fact.corroborated,
                "support": [_span(c) for c in fact.claims],
                "members": [_span(c) for c in fact.members],
                "background": fact.background,
            }
            for fact in check.facts
        ],
        "matrix": check.matrix(),
        "contradictions": [
            {
                "kind": item.kind,
                "subject": item.subject,
                "summary": item.summary,
                "compatible": item.compatible,
                "confidence": round(item.confidence, 3),
                "sides": [
                    {
                        "outlet": side.outlet,
                        "carried_by": list(side.carried_by),
                        "value": side.value,
                        "span": side.span(check.texts[side.claim.article_id]),
                        "claim": _span(side.claim),
                    }
                    for side in item.sides
                ],
            }
            for item in check.contradictions
        ],
        "single_source": [
            {
                "outlet": fact.claims[0].outlet,
                "carried_by": list(fact.outlets),
                "statement": fact.statement,
                "speaker": fact.claims[0].speaker,
                "span": _span(fact.claims[0]),
            }
            for fact in single[:MAX_SINGLE_SOURCE]
        ],
        "single_source_total": len(single),
        "framing": [
            {
                "entity_id": row.entity_id or f"group:{row.actor}",
                "actor": row.actor,
                "name": row.name,
                "labels": row.labels,
                "quoted": row.quoted,
                "examples": row.examples,
            }
            for row in check.framing
        ],
        "loaded_language": loaded_words(check.claims),
    }


EMPTY_SECTIONS: dict[str, Any] = {
    "outlets": [],
    "claims": 0,
    "facts": [],
    "matrix": [],
    "contradictions": [],
    "single_source": [],
    "single_source_total": 0,
    "framing": [],
    "loaded_language": {},
}
