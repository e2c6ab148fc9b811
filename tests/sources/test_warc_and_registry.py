"""Web archives written here with warcio, and the domain -> outlet registry."""

from __future__ import annotations

import gzip
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storyline.sources.registry import outlet_for_url, registry_entries
from storyline.workspace import Workspace
from tests.sources.conftest import article_page

UNDATED_PAGE = b"""<!doctype html><html><head><title>Harbour cranes idle</title></head><body>
<article><h1>Harbour cranes idle as dockers walk out</h1>
<p>Dockers at the container terminal stopped work on Tuesday morning in a dispute over night
shifts, leaving cranes idle and a queue of lorries stretching back to the ring road.</p>
<p>The union said the walkout would last until the port operator agreed to talks. The
operator said it regretted the disruption and that perishable cargo was being diverted.</p>
<p>Two vessels due to unload on Tuesday were told to wait at anchor outside the breakwater,
according to the harbour master's office, which said the delay could reach two days.</p>
</article></body></html>"""


def write_warc(path: Path, base: str = "https://www.reuters.com") -> None:
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=path.name.endswith(".gz"))

        def response(
            uri: str,
            body: bytes,
            status: str = "200 OK",
            kind: str = "text/html",
            date: str = "2021-03-25T10:00:00Z",
        ) -> None:
            headers = StatusAndHeaders(status, [("Content-Type", kind)], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                uri,
                "response",
                payload=BytesIO(body),
                http_headers=headers,
                warc_headers_dict={"WARC-Date": date},
            )
            writer.write_record(record)

        request = writer.create_warc_record(
            f"{base}/world/ever-given.html", "request", payload=BytesIO(b"GET / HTTP/1.1\r\n\r\n")
        )
        writer.write_record(request)
        response(f"{base}/world/ever-given.html", article_page("ever-given-aground", base))
        response(f"{base}/logo.png", b"\x89PNG\r\n", kind="image/png")
        response(f"{base}/gone.html", b"<html>gone</html>", status="404 Not Found")
        response(
            "https://harbour-gazette.example/cranes.html", UNDATED_PAGE, date="2023-06-13T08:30:00Z"
        )


def test_a_warc_gives_its_html_responses_as_articles(tmp_path: Path) -> None:
    archive = tmp_path / "crawl.warc.gz"
    write_warc(archive)
    with Workspace.open(tmp_path / "w.db") as ws:
        summary = ws.ingest([archive])
        assert (summary.read, summary.added, summary.problems) == (2, 2, [])
        articles = {a.url: a for a in ws.articles()}
    wire = articles["https://www.reuters.com/world/ever-given.html"]
    assert wire.outlet is not None and wire.outlet.name == "Reuters"  # from the registry
    assert wire.published is not None and wire.published.iso() == "2021-03-24"  # the page's own
    cranes = articles["https://harbour-gazette.example/cranes.html"]
    assert cranes.published is not None and cranes.published.iso() == "2023-06-13"
    assert cranes.published.inferred and cranes.published.evidence == "archive capture date"


def test_an_uncompressed_warc_in_a_folder_is_read(tmp_path: Path) -> None:
    folder = tmp_path / "archives"
    folder.mkdir()
    write_warc(folder / "crawl.warc")
    with Workspace.open(tmp_path / "w.db") as ws:
        assert ws.ingest([folder]).added == 2


def test_a_damaged_archive_keeps_the_records_before_the_damage(tmp_path: Path) -> None:
    whole = tmp_path / "whole.warc"
    write_warc(whole)
    data = whole.read_bytes()
    cut = data.rfind(b"WARC/1.")  # the last record (the cranes page) starts here
    damaged = tmp_path / "damaged.warc.gz"
    damaged.write_bytes(gzip.compress(data[:cut]) + b"\x1f\x8b\x08garbage-not-gzip")
    with Workspace.open(tmp_path / "w.db") as ws:
        summary = ws.ingest([damaged])
        assert summary.added == 1
        (problem,) = summary.problems
        assert problem.code == "bad-warc" and str(damaged) in problem.message
        assert "records before it were kept" in problem.message


def test_outlets_come_from_the_domain_and_unknown_hosts_are_named_by_host() -> None:
    bbc = outlet_for_url("https://www.bbc.co.uk/news/world-middle-east-1")
    assert bbc is not None and (bbc.name, bbc.country, bbc.language) == ("BBC News", "GB", "en")
    cnn = outlet_for_url("https://edition.cnn.com/2024/12/05/middleeast/hama")
    assert cnn is not None and cnn.name == "CNN" and cnn.known
    other = outlet_for_url("https://WWW.Harbour-Gazette.example:8443/a?b=c")
    assert other is not None and other.name == "harbour-gazette.example" and not other.known
    for junk in ("", "not a url", "http://", "https://[::1", "mailto:someone@example.org"):
        assert outlet_for_url(junk) is None or not outlet_for_url(junk).known  # type: ignore[union-attr]
    names = {e.name for e in registry_entries()}
    assert {"RT", "Axios", "AFP", "Epoch Times", "Bloomberg"} <= names  # the seeds' outlets


def test_the_outlet_page_shows_what_the_registry_knows(tmp_path: Path) -> None:
    from starlette.testclient import TestClient

    from storyline.web.app import create_app

    archive = tmp_path / "crawl.warc.gz"
    write_warc(archive)
    with Workspace.open(tmp_path / "w.db") as ws:
        ws.ingest([archive])
        ws.run()
        client = TestClient(create_app(ws))
        data = client.get("/api/outlets/Reuters").json()
        assert (data["domains"], data["country"], data["language"]) == (["reuters.com"], "GB", "en")
        assert "Publishes at reuters.com (GB, en)" in client.get("/outlets/Reuters").text
