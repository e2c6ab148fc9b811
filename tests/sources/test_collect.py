"""Pages and feeds into a workspace, against the loopback site: every article once, however
often it is pulled; the raw HTML kept; the failure routes each one clear problem."""

from __future__ import annotations

import pytest

from storyline.sources.fetch import FetchPolicy
from storyline.workspace import Workspace
from tests.sources.conftest import ARTICLES, Site

PAGES = [f"/news/{slug}.html" for slug in ARTICLES]


def test_pages_become_articles_with_canonical_url_outlet_and_date(
    workspace: Workspace, site: Site, policy: FetchPolicy
) -> None:
    results = workspace.ingest_urls([site.url(p) for p in PAGES], policy=policy)
    assert [r.problems for r in results] == [[], [], []]
    assert all(r.added for r in results)
    articles = {a.url: a for a in workspace.articles()}
    assert set(articles) == {site.url(p) for p in PAGES}
    aground = articles[site.url("/news/ever-given-aground.html")]
    assert aground.outlet is not None and aground.outlet.name == "127.0.0.1"  # unknown domain
    assert aground.published is not None and aground.published.iso() == "2021-03-24"
    assert "Ever Given" in aground.text and "All rights reserved" not in aground.text
    page = workspace.store.sources.page(site.url(PAGES[0]))
    assert page is not None and page.body.startswith(b"<!doctype html>")
    assert page.article_id == aground.id and page.canonical_url == aground.url


def test_a_stored_page_is_re_extracted_without_a_request(
    workspace: Workspace, site: Site, policy: FetchPolicy
) -> None:
    url = site.url(PAGES[0])
    first = workspace.ingest_urls([url], policy=policy)[0]
    again = workspace.ingest_urls([url], policy=policy)[0]
    assert site.hits[PAGES[0]] == 1
    assert again.reused and not again.added and again.article_id == first.article_id
    refetched = workspace.ingest_urls([url], policy=policy, refetch=True)[0]
    assert site.hits[PAGES[0]] == 2 and refetched.article_id == first.article_id
    assert workspace.store.count_articles() == 1


def test_a_tracking_link_and_the_page_itself_are_one_article(
    workspace: Workspace, site: Site, policy: FetchPolicy
) -> None:
    direct, tracked = workspace.ingest_urls(
        [site.url("/news/ever-given-refloated.html"), site.url("/go/ever-given-refloated")],
        policy=policy,
    )
    assert direct.article_id == tracked.article_id and not tracked.added
    assert workspace.store.count_articles() == 1


def test_failure_routes_give_one_problem_each_and_the_rest_is_ingested(
    workspace: Workspace, site: Site, policy: FetchPolicy
) -> None:
    bad = ["/slow", "/loop", "/error", "/huge", "/logo.png", "/private/secret.html"]
    results = workspace.ingest_urls([site.url(p) for p in [*bad, PAGES[0]]], policy=policy)
    codes = [[p.code for p in r.problems] for r in results]
    assert codes == [
        ["timeout"],
        ["redirect-loop"],
        ["http-500"],
        ["too-large"],
        ["not-html"],
        ["robots"],
        [],
    ]
    assert workspace.store.count_articles() == 1
    stored = {(p.item, p.code) for p in workspace.store.problems()}
    assert (site.url("/huge"), "too-large") in stored


def test_a_feed_pulled_twice_ingests_every_article_once(
    workspace: Workspace, site: Site, policy: FetchPolicy
) -> None:
    """The issue's must-show: a local site's feed, pulled twice."""
    assert workspace.add_feed(site.url("/feed.xml"), outlet="Loopback Ledger")
    assert not workspace.add_feed(site.url("/feed.xml"))
    first = workspace.pull_feeds(policy=policy)
    assert [(r.status, r.entries, r.new, r.added) for r in first] == [("200 (3 new)", 3, 3, 3)]
    second = workspace.pull_feeds(policy=policy)
    assert [(r.status, r.new, r.added) for r in second] == [("304 not modified", 0, 0)]
    assert workspace.store.count_articles() == 3
    assert all(site.hits[p] == 1 for p in PAGES)  # each page fetched once
    outlets = {a.outlet.name for a in workspace.articles() if a.outlet}
    assert outlets == {"Loopback Ledger"}
    feed = workspace.feeds()[0]
    assert feed.etag == '"feed-v1"' and feed.title == "Loopback Ledger: World"


def test_seen_items_are_skipped_even_when_the_server_ignores_validators(
    workspace: Workspace, site: Site, policy: FetchPolicy
) -> None:
    workspace.add_feed(site.url("/feed.xml"))
    workspace.pull_feeds(policy=policy)
    workspace.pull_feeds(policy=policy, refetch=True)  # no conditional GET: the full feed
    assert site.hits["/feed.xml"] == 2
    assert all(site.hits[p] == 1 for p in PAGES)
    assert workspace.store.count_articles() == 3


def test_an_atom_feed_item_without_a_link_is_ingested_from_its_summary(
    workspace: Workspace, site: Site, policy: FetchPolicy
) -> None:
    workspace.add_feed(site.url("/atom.xml"))
    (result,) = workspace.pull_feeds(policy=policy)
    assert (result.entries, result.new, result.added) == (2, 2, 2)
    texts = [a.text for a in workspace.articles()]
    assert any("367 vessels" in t for t in texts)


def test_a_malformed_feed_is_one_problem_and_the_other_feeds_still_pull(
    workspace: Workspace, site: Site, policy: FetchPolicy
) -> None:
    workspace.add_feed(site.url("/bad-feed.xml"))
    workspace.add_feed(site.url("/error"))
    workspace.add_feed(site.url("/feed.xml"))
    bad, failing, good = workspace.pull_feeds(policy=policy)
    assert bad.status == "bad-feed" and len(bad.problems) == 1
    assert "not a readable RSS or Atom feed" in bad.problems[0].message
    assert failing.status == "http-500"
    assert good.added == 3
    statuses = {f.url: f.last_status for f in workspace.feeds()}
    assert statuses[site.url("/bad-feed.xml")] == "bad-feed"


def test_a_feed_item_whose_page_fails_for_now_is_tried_again(
    workspace: Workspace, site: Site, policy: FetchPolicy, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A timeout leaves the item unseen; the next (full) pull fetches it."""
    from storyline.sources import collect

    workspace.add_feed(site.url("/feed.xml"))
    original = collect.Collector.page
    calls = {"n": 0}

    def flaky(self: collect.Collector, url: str, **kwargs: object) -> collect.PageResult:
        calls["n"] += 1
        if calls["n"] == 1:
            result = collect.PageResult(url)
            result.problems.append(collect.fetch_problem(url, "timeout", "no answer"))
            return result
        return original(self, url, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(collect.Collector, "page", flaky)
    (first,) = workspace.pull_feeds(policy=policy)
    (second,) = workspace.pull_feeds(policy=policy, refetch=True)
    assert (first.new, first.added) == (3, 2)
    assert (second.new, second.added) == (1, 1)
    assert workspace.store.count_articles() == 3
