"""The fetcher against a real server on loopback: politeness, limits and one clear problem
per failure."""

from __future__ import annotations

import pytest

from storyline.sources.fetch import USER_AGENT, Fetcher, FetchError, FetchPolicy
from tests.sources.conftest import Site


def fetch_error(site: Site, policy: FetchPolicy, path: str) -> FetchError:
    with Fetcher(policy) as fetcher, pytest.raises(FetchError) as caught:
        fetcher.get(site.url(path))
    return caught.value


def test_a_page_is_fetched_with_our_user_agent_after_reading_robots(
    site: Site, policy: FetchPolicy
) -> None:
    with Fetcher(policy) as fetcher:
        page = fetcher.get(site.url("/news/ever-given-aground.html"))
        fetcher.get(site.url("/news/canal-backlog-clears.html"))
    assert page.status == 200 and page.content_type == "text/html"
    assert b"Ever Given" in page.body
    assert site.hits["/robots.txt"] == 1  # once per site, cached
    assert set(site.user_agents) == {USER_AGENT}


def test_redirects_are_followed_and_the_final_address_kept(site: Site, policy: FetchPolicy) -> None:
    with Fetcher(policy) as fetcher:
        page = fetcher.get(site.url("/go/ever-given-refloated"))
    assert page.final_url.endswith("/news/ever-given-refloated.html?utm_source=rss")


@pytest.mark.parametrize(
    ("path", "code", "words"),
    [
        ("/slow", "timeout", "no answer within 0.5 s (2 attempts)"),
        ("/loop", "redirect-loop", "more than 5 redirects"),
        ("/error", "http-500", "HTTP 500"),
        ("/huge", "too-large", "20,971,520 bytes is over the 5,000,000 cap"),
        ("/huge-undeclared", "too-large", "over the 5,000,000-byte cap"),
        ("/private/secret.html", "robots", "robots.txt"),
        ("/missing.html", "http-404", "HTTP 404"),
    ],
)
def test_each_failure_is_one_clear_error_naming_the_url(
    site: Site, policy: FetchPolicy, path: str, code: str, words: str
) -> None:
    error = fetch_error(site, policy, path)
    assert error.code == code
    assert str(error).startswith(site.url(path) + ": ")
    assert words in str(error)


def test_transient_failures_are_retried_and_permanent_ones_are_not(
    site: Site, policy: FetchPolicy
) -> None:
    fetch_error(site, policy, "/error")
    assert site.hits["/error"] == 2  # the first attempt and one retry
    fetch_error(site, policy, "/missing.html")
    assert site.hits["/missing.html"] == 1


def test_private_loopback_and_link_local_targets_are_refused_without_the_flag(
    site: Site,
) -> None:
    error = fetch_error(site, FetchPolicy(), "/news/ever-given-aground.html")
    assert error.code == "private-address" and "--allow-private" in str(error)
    assert sum(site.hits.values()) == 0  # refused before any request

    def resolves_to(address: str) -> Fetcher:
        return Fetcher(FetchPolicy(), resolver=lambda host: [address])

    for address in ("10.1.2.3", "192.168.0.7", "169.254.169.254", "::1", "fd00::1", "0.0.0.0"):
        with pytest.raises(FetchError, match="private, loopback or link-local"):
            resolves_to(address).check_target("http://intranet.example/")
    for url in ("http://127.0.0.1/", "http://[::1]:8080/", "http://localhost/"):
        with pytest.raises(FetchError):
            Fetcher(FetchPolicy()).check_target(url)
    resolves_to("93.184.216.34").check_target("https://news.example/")  # public: allowed


def test_only_http_urls_are_fetched(policy: FetchPolicy) -> None:
    for url in ("file:///etc/passwd", "ftp://example.org/a", "javascript:alert(1)", "http://"):
        with pytest.raises(FetchError) as caught:
            Fetcher(policy).check_target(url)
        assert caught.value.code == "bad-url"


def test_a_redirect_into_a_private_address_is_refused(site: Site) -> None:
    """Every hop is checked again: here the test site (on 127.0.0.1) plays a public site,
    and its redirect to localhost must be refused."""

    class SiteIsPublic(Fetcher):
        def check_target(self, url: str) -> None:
            if url.startswith(site.base):
                return
            super().check_target(url)

    with SiteIsPublic(FetchPolicy()) as fetcher, pytest.raises(FetchError) as caught:
        fetcher.get(site.url("/to-internal"))
    assert caught.value.code == "private-address"
    assert "localhost" in str(caught.value)
    assert site.hits["/to-internal"] == 1 and site.hits["/news/ever-given-aground.html"] == 0


def test_robots_txt_follows_rfc_9309_when_it_is_missing_or_unreachable(
    site: Site, policy: FetchPolicy
) -> None:
    site.robots_status = 404  # no robots.txt: everything allowed
    with Fetcher(policy) as fetcher:
        assert fetcher.get(site.url("/private/secret.html")).status == 200
    site.robots_status = 503  # unreachable: assume everything disallowed
    assert fetch_error(site, policy, "/news/ever-given-aground.html").code == "robots"
