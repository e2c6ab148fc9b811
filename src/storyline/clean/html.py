"""HTML pages: trafilatura for the article text and metadata, htmldate for the date."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class HtmlExtract:
    text: str
    title: str | None
    author: str | None
    sitename: str | None
    url: str | None
    date: str | None
    date_from_metadata: bool  # False when htmldate had to search the page's text


def extract_html(html: str) -> HtmlExtract | None:
    """The page's main text and metadata, or None when no article text is found."""
    import trafilatura  # heavy: imported only when an HTML input arrives
    from htmldate import find_date

    document = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=False
    )
    if document is None:
        return None
    data = document if isinstance(document, dict) else document.as_dict()
    text = data.get("text") or ""
    if not text.strip():
        return None
    date = find_date(html, extensive_search=False, original_date=True)
    from_metadata = date is not None
    if date is None:
        date = find_date(html, extensive_search=True, original_date=True)
    return HtmlExtract(
        text=text,
        title=data.get("title") or None,
        author=data.get("author") or None,
        sitename=data.get("sitename") or None,
        url=data.get("url") or None,
        date=date,
        date_from_metadata=from_metadata,
    )
