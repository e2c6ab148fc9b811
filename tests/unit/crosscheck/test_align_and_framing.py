"""Fact alignment (grouping, one source is not corroboration, wire copies count once) and the
framing tables (own voice vs quoted, designations, descriptors)."""

from __future__ import annotations

import dataclasses

import numpy as np

from storyline.crosscheck.align import align
from storyline.crosscheck.claims import claims_of, sentence_spans
from storyline.crosscheck.framing import collective_hits, descriptor_hits, loaded_words
from storyline.crosscheck.material import Source
from tests.unit.crosscheck.helpers import claim


def unit(*rows: tuple[float, float]) -> np.ndarray:
    v = np.array(rows, dtype=np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_facts_group_close_claims_of_different_sources() -> None:
    claims = [
        claim("The army withdrew from the city.", "RT", "a"),
        claim("The army has left the city.", "AFP", "b"),
        claim("Prices of bread rose again.", "AFP", "b2"),
    ]
    facts = align(claims, unit((1, 0), (0.95, 0.31), (0, 1)))
    assert [f.sources for f in facts] == [2, 1]
    assert facts[0].outlets == ("AFP", "RT") and facts[0].corroborated
    assert not facts[1].corroborated


def test_one_source_repeating_itself_is_not_corroboration() -> None:
    claims = [claim("The army withdrew.", "RT", "a"), claim("The army has left.", "RT", "a")]
    facts = align(claims, unit((1, 0), (0.95, 0.31)))
    assert all(f.sources == 1 for f in facts)


def test_a_wire_copy_counts_once_but_lists_every_outlet() -> None:
    wire = dataclasses.replace(
        claim("Six workers are missing.", "Wire", "w"), carried_by=("Wire", "Times")
    )
    other = claim("Six road workers went missing.", "Gazette", "g")
    [fact] = align([wire, other], unit((1, 0), (0.96, 0.28)))
    assert fact.sources == 2 and fact.outlets == ("Gazette", "Times", "Wire")


def test_sentences_and_clauses_keep_exact_offsets() -> None:
    text = (
        "Title line\nThe U.S. official said on Dec. 5 the army left; it was over by noon.\nRead it."
    )
    spans = sentence_spans(text, 0, len(text))
    assert [text[s:e] for s, e in spans][
        1
    ] == "The U.S. official said on Dec. 5 the army left; it was over by noon."
    source = Source(
        article_id="a",
        start=0,
        end=len(text),
        outlet="X",
        carried_by=("X",),
        published=None,
        text=text,
        mentions=(),
        times=(),
        quantities=(),
        quotes=(),
    )
    claims = claims_of(source)
    assert [c.text for c in claims] == [
        "The U.S. official said on Dec. 5 the army left;",
        "it was over by noon.",
    ]
    assert all(text[c.start : c.end] == c.text for c in claims)


def test_labels_in_own_voice_quoted_and_designated() -> None:
    claims = [
        claim("The jihadists attacked, and the rebels held the town.", "RT", "a"),
        claim("The army vowed to retake “areas entered by terrorist organizations”.", "BB", "b"),
        claim("HTS is designated a terrorist organization by the US.", "BB", "c"),
    ]
    hits = collective_hits(claims)
    own = {(h.outlet, h.label) for h in hits if not h.quoted}
    quoted = {(h.outlet, h.label) for h in hits if h.quoted}
    assert {("RT", "jihadists"), ("RT", "rebels"), ("BB", "army")} <= own
    assert {("BB", "terrorist organizations"), ("BB", "terrorist organization")} <= quoted


def test_descriptors_of_named_groups() -> None:
    text = "HTS, a Sunni Islamist terrorist group, took the city."
    [hit] = descriptor_hits([claim(text, orgs=("HTS",))])
    assert hit.label == "sunni islamist terrorist group"
    text = "The rebels were led by the Islamist group Hayat Tahrir al-Sham."
    [hit] = descriptor_hits([claim(text, orgs=("Hayat Tahrir al-Sham",))])
    assert hit.label == "islamist group"


def test_loaded_words_per_outlet_skip_quotes() -> None:
    claims = [
        claim("The catastrophe unfolded at dawn.", "Herald", "a"),
        claim("Officials called it “a catastrophe”.", "Wire", "b"),
    ]
    assert loaded_words(claims) == {"Herald": {"emotive": {"catastrophe": 1}}}
