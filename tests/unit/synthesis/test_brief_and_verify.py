"""The citation check, label neutralising and the brief's choices, on hand-made sections."""

from __future__ import annotations

from typing import Any

from storyline.synthesis.brief import _Labels, build_brief, neutralise
from storyline.synthesis.verify import unsupported


def span(article: str, text: str, start: int = 0) -> dict[str, Any]:
    return {"article_id": article, "start": start, "end": start + len(text), "text": text}


def test_numbers_names_and_dates_must_be_in_the_cited_spans() -> None:
    cited = ["The army left Hama on Thursday, after 727 people were killed."]
    assert unsupported("The army left Hama on Thursday.", cited) == []
    assert unsupported("The army left Homs on Thursday.", cited) == ["Homs"]
    assert unsupported("The army left Hama after 800 people were killed.", cited) == ["800"]
    assert unsupported("The army left Hama on Friday.", cited) == ["Friday"]
    # outlet names attribute rather than assert
    assert unsupported("AFP says the army left Hama.", cited, allowed=["AFP"]) == []
    assert unsupported("1,200 people fled.", ["Some 1200 people fled."]) == []


def test_loaded_labels_are_replaced_outside_quotes_only() -> None:
    labels = _Labels(opposition="rebels", government="government")
    text, edits = neutralise(
        "The jihadists took the city; the regime said “terrorist groups attacked”.", labels
    )
    assert text == "The rebels took the city; the government said “terrorist groups attacked”."
    assert edits == ("jihadists -> rebels", "regime -> government")
    text, _ = neutralise("HTS, a Sunni Islamist terrorist group, advanced.", labels)
    assert text == "HTS, a rebel group, advanced."  # the judgement goes, the noun stays


def fact(
    id_: str, sources: int, *spans: dict[str, Any], background: bool = False
) -> dict[str, Any]:
    return {
        "id": id_,
        "statement": spans[0]["text"],
        "outlets": [f"Outlet {i}" for i in range(sources)],
        "sources": sources,
        "support": list(spans),
        "background": background,
    }


def test_brief_orders_corroborated_facts_then_disputes_and_skips_disputed_wording() -> None:
    aleppo = span("b", "Aleppo, which is the second-largest city in the country, fell last week.")
    sections = {
        "facts": [
            fact(
                "f1", 3, span("a", "The army withdrew from the central city of Hama on Thursday.")
            ),
            fact("f2", 2, aleppo),
            fact("f3", 2, span("c", "It said the fighting had been fierce for several days now.")),
            fact(
                "f4", 2, span("d", "Rebels released hundreds of inmates from the central prison.")
            ),
            fact("f5", 1, span("e", "The United Nations said 115,000 people had been displaced.")),
            fact(
                "f6", 1, span("f", "Russia keeps a naval base at the port of Tartus in the west.")
            ),
        ],
        "contradictions": [
            {
                "kind": "ranking",
                "subject": "Aleppo: rank by largest city",
                "summary": "AFP calls Aleppo the largest city, RT the second-largest city",
                "compatible": False,
                "sides": [
                    {
                        "outlet": "AFP",
                        "value": "largest city",
                        "claim": span("g", "Aleppo, the country's largest city, fell."),
                        "span": span("g", "largest city", 18),
                    },
                    {
                        "outlet": "RT",
                        "value": "second-largest city",
                        "claim": aleppo,
                        "span": span("b", "second-largest city", 20),
                    },
                ],
            }
        ],
        "framing": [],
    }
    brief = build_brief(sections)
    texts = [s.text for s in brief]
    assert texts[0].startswith("The army withdrew")
    assert not any(t.startswith("Aleppo, which is") for t in texts)  # a side of a dispute
    assert not any(t.startswith("It said") for t in texts)  # needs its article to be read
    assert "AFP calls Aleppo the largest city, RT the second-largest city." in texts
    dispute = next(s for s in brief if s.kind == "dispute")
    assert dispute.outlets == ("AFP", "RT") and len(dispute.citations) == 2
    assert 5 <= len(brief) <= 10 or len(brief) == 5 - 0  # as many as verify lets through
    assert all(s.citations for s in brief)
