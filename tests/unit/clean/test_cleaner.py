"""The cleaner on small hand-written articles: each boilerplate kind out, every story line in."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from storyline.clean.cleaner import Cleaner, normalise_text
from storyline.model import Granularity, RawDocument

STORY = [
    "The harbour authority closed the port on Tuesday after a crane collapsed onto a ship.",
    "Two dock workers were taken to hospital with minor injuries, the authority said.",
    "Inspectors expect the port to reopen within a week, according to a spokeswoman.",
]


def clean(text: str, **raw: str) -> tuple[Any, list[Any]]:
    result = Cleaner(detect_languages=False).clean(RawDocument(source="t.txt", text=text, **raw))
    return result.article, result.problems


def body(extra_top: list[str], extra_bottom: list[str], sep: str = "\n\n") -> str:
    return sep.join([*extra_top, *STORY, *extra_bottom])


def assert_story_kept(text: str) -> None:
    for sentence in STORY:
        assert sentence in text


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Cranes lean over the quay on Monday. (Ana Lima/Port Weekly via Photo Wire)", "caption"),
        ("Cranes lean over the quay on Monday. Ana LIMA/AFP via Getty Images", "caption"),
        ("Photo: the quay on Monday", "caption"),
        ("© 2024 Port Weekly", "copyright"),
        ("- © Port Weekly 2024", "copyright"),
        ("Copyright 2024 Port Weekly. All rights reserved.", "copyright"),
        ("With additional reporting from Sam Lee.", "reporting-credit"),
        ("The Wire Service contributed to this report.", "reporting-credit"),
        ("(Updates with reopening date in third paragraph.)", "update-note"),
        ("14:05", "timestamp"),
        ("Updated:", "updated-stamp"),
        ("By Ana Lima", "byline"),
        ("Share this article", "share-prompt"),
    ],
)
def test_each_boilerplate_kind_is_removed_and_story_kept(line: str, kind: str) -> None:
    article, _ = clean(body([], [line]) if kind != "byline" else body([line], []))
    assert article is not None
    assert line not in article.text
    assert kind in {r.kind for r in article.removed}
    assert_story_kept(article.text)


def test_read_more_drops_teasers_but_not_the_next_paragraph() -> None:
    text = "\n\n".join(
        [
            STORY[0],
            "Read more",
            "Cranes on the quay\nWhy ports keep failing – experts",
            STORY[1],
            STORY[2],
        ]
    )
    article, _ = clean(text)
    assert article is not None
    assert "Read more" not in article.text
    assert "Why ports keep failing" not in article.text
    assert_story_kept(article.text)


def test_bio_and_lone_byline_only_near_other_boilerplate() -> None:
    trailer = ["Ana Lima", "Author", "Ana Lima is a Lisbon-based reporter covering shipping."]
    article, _ = clean(body([], trailer))
    assert article is not None
    text = article.text
    assert "Lisbon-based reporter" not in text and "Ana Lima" not in text
    assert article.byline == "Ana Lima"
    # The same shapes in the middle of a story are story text.
    middle = [*STORY, "Harbour Master", *STORY[::-1], "The port reopened later."]
    article, _ = clean("\n\n".join(middle))
    assert "Harbour Master" in article.text


def test_date_line_gives_day_or_month_and_keeps_the_rest_as_text() -> None:
    article, _ = clean("date 2024-12-05 " + body([], []))
    assert article is not None
    published = article.published
    assert (published.value, published.granularity, published.inferred) == (
        dt.date(2024, 12, 5),
        Granularity.DAY,
        False,
    )
    assert article.text.startswith(STORY[0])
    article, _ = clean("date 2024-12 " + body([], []))
    assert article.published.iso() == "2024-12"
    assert article.published.granularity is Granularity.MONTH


def test_title_first_line_and_its_repeat_are_removed() -> None:
    title = "Crane collapse shuts harbour for a week"
    article, _ = clean(body([title, title], []))
    assert article is not None
    assert article.title == title
    assert title not in article.text
    assert_story_kept(article.text)


def test_first_sentence_is_not_mistaken_for_a_title() -> None:
    article, _ = clean(body([], []))
    assert article.title is None
    assert article.text.startswith(STORY[0])


def test_outlet_from_copyright_line_is_inferred_and_canonical() -> None:
    article, _ = clean(body([], ["©2024 Bloomberg L.P."]))
    assert article.outlet.name == "Bloomberg"
    assert article.outlet.inferred is True
    assert article.published.iso() == "2024"
    assert article.published.inferred is True


def test_wire_opener_is_stripped_and_names_the_outlet() -> None:
    article, _ = clean("(Port Weekly) -- " + body([], []))
    assert article.text.startswith(STORY[0])
    assert article.outlet.name == "Port Weekly"


def test_self_citation_needs_a_known_outlet() -> None:
    article, _ = clean(body([], ["Two officials told Axios on Monday."]))
    assert article.outlet.name == "Axios"
    article, _ = clean(body([], ["Two officials told Harbour Radio on Monday."]))
    assert article.outlet is None


def test_given_metadata_beats_the_text_and_is_not_inferred() -> None:
    article, problems = clean(
        body([], ["© 2024 Port Weekly"]), outlet="Agence France-Presse", published="2024-03-26"
    )
    assert (article.outlet.name, article.outlet.inferred) == ("AFP", False)
    assert article.published.iso() == "2024-03-26"
    assert article.published.inferred is False
    assert problems == []


def test_malformed_given_date_is_a_problem_not_a_crash() -> None:
    article, problems = clean(body([], []), published="32/13/2024")
    assert article is not None and article.published is None
    assert [p.code for p in problems] == ["bad-date"]
    assert "t.txt" in problems[0].message


def test_only_boilerplate_is_a_problem() -> None:
    article, problems = clean("© 2024 Port Weekly\n\nShare\n\n14:05")
    assert article is None
    assert [p.code for p in problems] == ["empty-after-cleaning"]


def test_a_new_outlet_is_a_row_not_a_code_change(tmp_path: Path) -> None:
    table = tmp_path / "outlets.toml"
    table.write_text(
        "[[outlet]]\nname = 'Port Weekly'\naliases = ['PW']\n\n"
        "[[signal]]\nkind = 'sign-off'\noutlet = 'Port Weekly'\n"
        "pattern = '''^— PW desk$'''\nweight = 10\n",
        encoding="utf-8",
    )
    cleaner = Cleaner(outlets_path=table, detect_languages=False)
    result = cleaner.clean(RawDocument(source="t.txt", text=body([], ["— PW desk"])))
    assert result.article is not None and result.article.outlet is not None
    assert result.article.outlet.name == "Port Weekly"


def test_normalise_text_removes_controls_and_unifies_newlines() -> None:
    assert normalise_text("a\x00b\r\nc\u00a0\u00a0d\rE\u200b") == "ab\nc d\nE"


def test_html_input_uses_page_metadata(tmp_path: Path) -> None:
    html = (
        "<html><head><title>Crane collapse | Port Weekly</title>"
        '<meta property="og:site_name" content="Port Weekly">'
        '<meta property="og:title" content="Crane collapse shuts harbour">'
        '<meta name="author" content="Ana Lima">'
        '<meta property="article:published_time" content="2024-03-26T09:00:00Z">'
        "</head><body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav><article>"
        "<h1>Crane collapse shuts harbour</h1>"
        + "".join(f"<p>{s}</p>" for s in STORY)
        + "</article><footer>© 2024 Port Weekly</footer></body></html>"
    )
    result = Cleaner(detect_languages=False).clean(RawDocument(source="p.html", html=html))
    article = result.article
    assert article is not None and article.outlet is not None and article.published is not None
    assert article.outlet.name == "Port Weekly" and not article.outlet.inferred
    assert article.title == "Crane collapse shuts harbour"
    assert article.published.iso() == "2024-03-26"
    assert article.byline == "Ana Lima"
    assert_story_kept(article.text)
    assert "Home" not in article.text
