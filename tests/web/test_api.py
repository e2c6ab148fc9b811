"""Every route of the web app, in process: pages and their JSON twins, 404 and 422 with the
one error shape, the OpenAPI document, security headers, escaping of hostile article text."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from storyline.web.app import CSP, create_app
from storyline.workspace import Workspace


@pytest.fixture(scope="module")
def client(web_workspace: Workspace) -> TestClient:
    return TestClient(create_app(web_workspace))


def _error(response: Any, status: int, code: str) -> None:
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and body["error"]["status"] == status
    assert body["error"]["code"] == code and body["error"]["message"]


def test_story_list_page_and_twin(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    data = client.get("/api/stories").json()
    assert data["total"] >= 5 and data["stories"][0]["size"] >= data["stories"][-1]["size"]
    for story in data["stories"]:
        assert f'href="/stories/{story["id"]}"' in page.text
    assert {"Compass Wire", "Ridgeway Herald"} <= set(data["outlets"])


def test_a_story_lists_a_capped_number_of_article_rows(client: TestClient) -> None:
    stories = client.get("/api/stories", params={"q": "Key Bridge"}).json()["stories"]
    story_id = max(stories, key=lambda s: s["size"])["id"]
    full = client.get(f"/api/stories/{story_id}").json()
    assert full["articles_total"] == len(full["article_ids"]) == len(full["articles"]) >= 3
    capped = client.get(f"/api/stories/{story_id}", params={"articles": 2}).json()
    assert len(capped["articles"]) == 2 and capped["articles_total"] == full["articles_total"]
    assert capped["article_ids"] == full["article_ids"]  # ids are never capped
    page = client.get(f"/stories/{story_id}", params={"articles": 2}).text
    assert f"Showing 2 of {full['articles_total']} articles" in page
    _error(client.get(f"/api/stories/{story_id}", params={"articles": 0}), 422, "invalid_parameter")


def test_search_filter_and_sort(client: TestClient) -> None:
    suez = client.get("/api/stories", params={"q": "Ever Given"}).json()
    assert suez["total"] >= 1
    labels = [s["label"] for s in suez["stories"]]
    assert any("Suez" in label for label in labels)
    assert not any("Dali" in label for label in labels)
    assert "Ever Given" in client.get("/", params={"q": "Ever Given"}).text
    herald = client.get("/api/stories", params={"outlet": "Ridgeway Herald"}).json()
    assert herald["total"] >= 1 and all(
        "Ridgeway Herald" in s["outlets"] for s in herald["stories"]
    )
    recent = client.get("/api/stories", params={"sort": "recent"}).json()["stories"]
    ends = [s["end"] or "" for s in recent]
    assert ends == sorted(ends, reverse=True)
    old = client.get("/api/stories", params={"until": "2022-01-01"}).json()
    assert old["total"] >= 1 and all((s["start"] or "") <= "2022-01-01" for s in old["stories"])


def test_invalid_parameters_give_422(client: TestClient) -> None:
    _error(client.get("/api/stories", params={"page": "two"}), 422, "invalid_parameter")
    _error(client.get("/api/stories", params={"sort": "random"}), 422, "invalid_parameter")
    _error(client.get("/api/stories", params={"since": "yesterday"}), 422, "invalid_parameter")
    _error(client.get("/api/articles", params={"limit": "0"}), 422, "invalid_parameter")
    html = client.get("/", params={"page": "-1"})
    assert html.status_code == 422 and html.headers["content-type"].startswith("text/html")


def test_story_page_and_twin(client: TestClient) -> None:
    stories = client.get("/api/stories", params={"q": "Key Bridge"}).json()["stories"]
    bridge = next(s for s in stories if "Dali" in s["label"] or "Bridge" in s["label"])
    data = client.get(f"/api/stories/{bridge['id'][:8]}").json()
    assert data["id"] == bridge["id"] and "map_svg" not in data
    assert data["brief"] and data["timeline"] and data["matrix"] and data["contradictions"]
    assert data["places"] and all({"lat", "lon"} <= set(p) for p in data["places"])
    assert data["duplicates"]  # the wire copy
    page = client.get(f"/stories/{bridge['id']}").text
    for piece in ("Brief", "Timeline", "Places", "Facts × outlets", "Contradictions", "Framing"):
        assert piece in page
    assert 'class="cite"' in page and 'class="cite-text"' in page  # citations on hover
    assert "<svg" in page and "worldmap" in page
    assert "second-busiest port" in page


def test_article_page_and_twins(client: TestClient) -> None:
    listed = client.get("/api/articles", params={"outlet": "Compass Wire"}).json()["articles"]
    assert listed and all(a["outlet"] == "Compass Wire" for a in listed)
    first = listed[0]
    data = client.get(f"/api/articles/{first['id']}").json()
    assert data["text"] and data["story_id"] and data["annotations"]["times"]
    page = client.get(f"/articles/{first['id'][:10]}").text
    assert '<mark class="entity"' in page and '<mark class="time"' in page
    assert f'href="/stories/{data["story_id"]}"' in page
    found = client.get("/api/articles", params={"q": "Pazarcık"}).json()["articles"]
    assert found


def test_outlet_page_and_twin(client: TestClient) -> None:
    data = client.get("/api/outlets/Kestrel Daily").json()
    assert data["articles"] == 2 and len(data["stories"]) >= 2
    assert "Kestrel Daily" in client.get("/outlets/Kestrel%20Daily").text
    _error(client.get("/api/outlets/Nobody"), 404, "not_found")


def test_not_found_everywhere(client: TestClient) -> None:
    _error(client.get("/api/stories/ffffffffffff"), 404, "not_found")
    _error(client.get("/api/articles/ffffffffffff"), 404, "not_found")
    _error(client.get("/api/nothing"), 404, "not_found")
    page = client.get("/stories/ffffffffffff")
    assert page.status_code == 404 and "no story" in page.text
    assert client.get("/static/../../../etc/passwd").status_code == 404
    assert client.get("/static/%2e%2e/%2e%2e/etc/passwd").status_code == 404


def test_read_only(client: TestClient) -> None:
    for path in ("/", "/api/stories", "/api/articles"):
        assert client.post(path).status_code == 405
        assert client.delete(path).status_code == 405


def test_openapi_documents_every_api_route(client: TestClient) -> None:
    doc = client.get("/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    assert set(doc["paths"]) == {
        "/api/stories",
        "/api/stories/{story_id}",
        "/api/articles",
        "/api/articles/{article_id}",
        "/api/outlets/{name}",
        "/api/changes",
    }


def test_security_headers_on_every_response(client: TestClient) -> None:
    for path in ("/", "/api/stories", "/static/app.css", "/nothing", "/api/nothing"):
        response = client.get(path)
        assert response.headers["content-security-policy"] == CSP
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "script-src" not in CSP and "'unsafe-inline'" not in CSP
    assert client.get("/static/app.css").headers["content-type"].startswith("text/css")


def test_hostile_article_is_inert(client: TestClient) -> None:
    [hit] = client.get("/api/articles", params={"q": "Quayside"}).json()["articles"]
    page = client.get(f"/articles/{hit['id']}").text
    assert "<script>" not in page and "<img" not in page and "<b>Gazette" not in page
    assert "&lt;script&gt;" in page and 'href="javascript:' not in page
    story_id = client.get(f"/api/articles/{hit['id']}").json()["story_id"]
    story_page = client.get(f"/stories/{story_id}").text
    assert "<script>" not in story_page and "<img" not in story_page
    listing = client.get("/", params={"q": "Quayside"}).text
    assert "<script>" not in listing and "&lt;script&gt;" in listing
