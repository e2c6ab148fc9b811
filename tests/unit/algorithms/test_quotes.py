"""Quotes and reported speech with their speakers."""

from __future__ import annotations

from storyline.algorithms.quotes import find_attributions


def speakers(text: str) -> list[tuple[str | None, str, bool]]:
    return [(a.speaker, a.text, a.direct) for a in find_attributions(text)]


def test_quote_then_speaker() -> None:
    text = "“We will rebuild the bridge,” Governor Moore said on Tuesday."
    assert speakers(text) == [("Governor Moore", "“We will rebuild the bridge,”", True)]


def test_inverted_and_colon_forms() -> None:
    assert speakers("“Nobody was hurt,” said the port authority.")[0][0] == "the port authority"
    found = speakers("The ministry said: “The canal will reopen within days.”")
    assert found[0][:2] == ("The ministry", "“The canal will reopen within days.”")


def test_pronoun_resolves_to_the_last_named_speaker() -> None:
    text = (
        "The Syrian military said its units redeployed outside the city. "
        "The army “will continue its duty,” it said."
    )
    found = find_attributions(text)
    assert [a.speaker for a in found] == ["The Syrian military", "The Syrian military"]
    assert [a.direct for a in found] == [False, True]


def test_reported_speech_and_according_to() -> None:
    found = speakers(
        "The monitor said the fighting was close to the city. "
        "At least 700 people have died, according to the Observatory."
    )
    assert found == [
        ("The monitor", "the fighting was close to the city.", False),
        ("the Observatory", "At least 700 people have died", False),
    ]


def test_attribution_does_not_cross_paragraphs_or_take_prepositions() -> None:
    text = "The command vowed to “defend every town.”\n\nHTS leader Golani announced the capture."
    assert speakers(text)[0][0] == "The command"
    assert all(s != "on Wednesday" for s, _, _ in speakers("Iran on Wednesday said it would act."))


def test_spans_point_into_the_text() -> None:
    text = "“It is over,” the spokesman said. Officials said the talks had failed."
    for item in find_attributions(text):
        assert text[item.start : item.end] == item.text
        if item.speaker_start is not None and item.speaker_end is not None:
            assert text[item.speaker_start : item.speaker_end].endswith(item.speaker or "")
