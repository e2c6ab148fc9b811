"""The typed readers: what a value measures, which entity a ranking is about, where and when
an event happened, who made a statement."""

from __future__ import annotations

from storyline.crosscheck import signals
from tests.unit.crosscheck.helpers import claim, day


def subjects(text: str, places: tuple[str, ...] = ()) -> list[str]:
    return [m.subject for m in signals.measures(claim(text, places=places))]


def test_what_a_length_measures() -> None:
    assert subjects("a 984-foot freighter left the port") == ["ship"]
    assert subjects("a 400-metre container ship ran aground") == ["ship"]
    assert subjects("The Singapore-flagged vessel Dali, which is 300 metres long, hit it.") == [
        "ship"
    ]
    assert subjects("The bridge, nearly 3 miles long, came down.") == ["bridge"]
    assert subjects("at a depth of about 18 km") == ["depth"]
    assert subjects("about 11 miles below the surface") == ["depth"]
    assert subjects("it is approximately 50km of the city of Homs.", ("Homs",)) == [
        "distance:e:homs"
    ]
    assert subjects("Homs, which is 25 miles farther south", ("Homs",)) == ["distance:e:homs"]


def test_a_value_whose_subject_is_unclear_is_not_read() -> None:
    assert subjects("The crew walked 5 km before dawn.") == []
    assert subjects("a 12-mile stretch of road") == []


def test_rankings_need_a_named_subject() -> None:
    text = "Aleppo, which is the second-largest city in the country, fell."
    [rank] = signals.rankings(claim(text, places=("Aleppo",)), None)
    assert (rank.subject, rank.scale, rank.rank) == ("Aleppo", "largest city", 2)
    text = "insurgents captured much of Aleppo, the country’s largest city."
    [rank] = signals.rankings(claim(text, places=("Aleppo",)), None)
    assert (rank.subject, rank.rank) == ("Aleppo", 1)
    text = "the country’s third largest city, Homs, is next."
    [rank] = signals.rankings(claim(text, places=("Homs",)), None)
    assert (rank.subject, rank.rank) == ("Homs", 3)
    # no subject next to it: never compared
    assert (
        signals.rankings(claim("The capture of Syria’s fourth largest city is a blow."), None) == []
    )
    # "one of the largest" ranks nothing
    assert (
        signals.rankings(
            claim("Baltimore is one of the largest ports.", places=("Baltimore",)), None
        )
        == []
    )


def test_it_is_takes_the_previous_sentences_place() -> None:
    previous = claim("the Port of Baltimore is effectively shut.", places=("Port of Baltimore",))
    text = "It is the busiest port in the nation for car shipments."
    [rank] = signals.rankings(claim(text), previous)
    assert rank.subject == "Port of Baltimore" and rank.scale == "busiest port for car shipments"


def test_a_name_extraction_missed_is_matched_by_its_words() -> None:
    text = "Aleppo, which is the second-largest city in the country, fell."
    [rank] = signals.rankings(claim(text), None, {"aleppo": "e:aleppo"})
    assert rank.subject_id == "e:aleppo"


def test_located_events_with_a_year_and_the_city_anaphor() -> None:
    text = "In 1982, after an uprising in Homs, his forces massacred thousands."
    [massacre] = [
        e
        for e in signals.located_events(claim(text, places=("Homs",)), None)
        if e.event == "massacre"
    ]
    assert massacre.names == ("Homs",) and massacre.anchor_years == {1982}
    previous = claim("Hama’s capture carries symbolic weight.", places=("Hama",))
    [located] = signals.located_events(claim("The city was the site of a 1982 massacre."), previous)
    assert located.names == ("Hama",) and located.via_anaphor


def test_countries_do_not_place_an_event() -> None:
    text = "The quake hit Turkey near Pazarcık before dawn."
    [quake] = signals.located_events(claim(text, places=("Turkey", "Pazarcık")), None)
    assert quake.names == ("Pazarcık",) and quake.tight


def test_a_day_belongs_to_the_nearest_event_word_of_its_chunk() -> None:
    text = "Divers searching the wreck recovered the bodies of two workers on Wednesday."
    days = signals.event_days(claim(text, times=(day(text, "on Wednesday", "2024-03-27"),)))
    assert "recovery" in days and "search" not in days  # "searching" is further away
    text = "Ships moved again on Tuesday, after teams dislodged the stranded ship."
    days = signals.event_days(claim(text, times=(day(text, "on Tuesday", "2021-03-30"),)))
    assert "refloat" not in days


def test_speaker_from_the_quote_or_a_name_before_said() -> None:
    text = "The ship's technical manager, Bernhard Schulte Shipmanagement, said all were safe."
    found = signals.speaker_entity(claim(text, orgs=("Bernhard Schulte Shipmanagement",)))
    assert found == ("e:bernhard schulte shipmanagement", "Bernhard Schulte Shipmanagement")
    text = '"All are safe," the Suez Canal Authority said.'
    with_quote = claim(text, orgs=("Suez Canal Authority",), speaker="the Suez Canal Authority")
    assert signals.speaker_entity(with_quote) == ("e:suez canal authority", "Suez Canal Authority")
    assert signals.speaker_entity(claim("The military said it redeployed.")) is None


def test_a_time_running_in_from_the_previous_sentence_is_ignored() -> None:
    """Found on a 10k-article workspace: a time expression overlapping the claim's start."""
    text = "on Monday the council voted to close the bridge."
    time = day(text, "on Monday", "2024-03-04")
    shifted = {**time, "start": -3, "end": 9}  # starts before the claim
    assert signals.event_days(claim(text, times=(shifted,))) == {}
