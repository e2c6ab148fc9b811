"""The pages in a real headless Chromium (Debian's /usr/bin/chromium driven by Playwright):
the story list, a search, a story with a citation shown on hover, an article; and an article
whose text carries <script>, <img onerror> and javascript: payloads stays inert (no dialog,
no request leaves the app). Screenshots go to test-artifacts/web/.

`.ci/run` installs Chromium; on a machine without it the test skips (and fails under CI=true).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from storyline.web.app import create_app
from storyline.workspace import Workspace

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "web"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.browser


def _missing(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; .ci/run should have installed it")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def base_url(web_workspace: Workspace) -> Iterator[str]:
    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(web_workspace), host="127.0.0.1", port=port, log_level="error")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if CHROMIUM is None:
        _missing("Chromium not found (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright is not installed (pip install -e '.[dev]')")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


def test_browse_search_hover_and_read(browser: object, base_url: str) -> None:
    page = browser.new_page(viewport={"width": 1200, "height": 900})  # type: ignore[attr-defined]
    page.goto(base_url + "/")
    assert page.locator("table.stories tbody tr").count() >= 5
    page.screenshot(path=str(ARTIFACTS / "1-stories.png"), full_page=True)

    page.fill("input[name=q]", "Ever Given")
    page.click("form.search button")
    page.wait_for_url("**/?q=Ever+Given*")
    links = page.locator("a.story-link")
    assert links.count() >= 1 and "Suez" in links.first.inner_text()
    page.screenshot(path=str(ARTIFACTS / "2-search.png"))

    links.first.click()
    page.wait_for_url("**/stories/**")
    cite = page.locator("ol.brief .cite").first
    tooltip = cite.locator(".cite-text")
    assert not tooltip.is_visible()
    cite.hover()
    tooltip.wait_for(state="visible")
    assert len(tooltip.inner_text()) > 20  # the cited spans themselves
    page.screenshot(path=str(ARTIFACTS / "3-story-hover.png"))
    assert page.locator("svg.worldmap circle").count() >= 1
    assert page.locator(".timeline svg").count() == 1

    page.locator("table a[href^='/articles/']").first.click()
    page.wait_for_url("**/articles/**")
    assert page.locator("mark.entity").count() >= 1
    page.screenshot(path=str(ARTIFACTS / "4-article.png"), full_page=True)
    page.close()


def test_hostile_article_renders_inert(browser: object, base_url: str) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    dialogs: list[str] = []
    outside: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: None if r.url.startswith(base_url) else outside.append(r.url))
    page.goto(base_url + "/?q=Quayside")
    page.locator("a.story-link").first.click()
    page.wait_for_url("**/stories/**")
    with urllib.request.urlopen(base_url + "/api/articles?q=Quayside") as response:
        article_id = json.loads(response.read())["articles"][0]["id"]
    page.goto(f"{base_url}/articles/{article_id}")
    assert "<script>" in page.locator(".text").inner_text()  # shown as text
    for link in page.locator("a").all():
        assert not (link.get_attribute("href") or "").lower().startswith("javascript:")
    page.wait_for_timeout(300)
    page.screenshot(path=str(ARTIFACTS / "5-hostile.png"), full_page=True)
    assert dialogs == [] and outside == []
    page.close()
