"""Bad input never stops a batch: each bad item is exactly one clear Problem, the rest of the
batch is stored, and nothing stored before is touched.

Every test first ingests two "earlier" articles (the `earlier` fixture), then ingests a batch
holding the bad input plus one good `.txt` article, then checks all three promises.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import signal
import sys
import time
import tracemalloc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import BinaryIO

import pytest

from storyline.model import Article, Problem
from storyline.workspace import IngestSummary, Workspace

PNG_HEADER = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00\x00"
)


def story(topic: str) -> str:
    """A small, plain news article about `topic` that the cleaner keeps whole."""
    return (
        f"Engineers inspected the {topic} on Monday after residents reported loud noises "
        "overnight.\n\n"
        f"Officials said the {topic} would stay closed while crews checked its supports, and "
        "that traffic would be diverted through the town centre for several days.\n\n"
        "A spokesperson said nobody had been hurt and thanked residents for their patience.\n"
    )


def one_line(topic: str) -> str:
    """The same article on a single line."""
    return " ".join(story(topic).split("\n\n")).strip()


def jsonl_line(record: object) -> str:
    return json.dumps(record, ensure_ascii=False) + "\n"


@dataclass(frozen=True, slots=True)
class Earlier:
    """What the workspace held before the bad batch."""

    articles: dict[str, Article]
    problems: list[Problem]


@pytest.fixture
def earlier(workspace: Workspace, tmp_path: Path) -> Earlier:
    folder = tmp_path / "earlier"
    folder.mkdir()
    (folder / "bridge.txt").write_text(story("harbour bridge"), encoding="utf-8")
    (folder / "mill.txt").write_text(story("old mill"), encoding="utf-8")
    summary = workspace.ingest([folder])
    assert summary.added == 2 and not summary.problems
    articles = {a.id: a for a in workspace.articles()}
    assert len(articles) == 2
    return Earlier(articles=articles, problems=workspace.problems())


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    """A folder for the bad batch, already holding one good article (`good.txt`)."""
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "good.txt").write_text(story("ferry terminal"), encoding="utf-8")
    return folder


def good_file(batch: Path) -> Path:
    return batch / "good.txt"


def ingest(
    workspace: Workspace, inputs: Sequence[str | Path], stdin: BinaryIO | None = None
) -> IngestSummary:
    return workspace.ingest(list(inputs), stdin=stdin)


def assert_earlier_untouched(workspace: Workspace, earlier: Earlier, added_since: int) -> None:
    """The earlier articles are byte-identical and the count grew only by `added_since`."""
    assert workspace.store.count_articles() == len(earlier.articles) + added_since
    for article_id, before in earlier.articles.items():
        after = workspace.article(article_id)
        assert after == before
        assert after.text.encode("utf-8") == before.text.encode("utf-8")
    # Problems recorded earlier are still there, in the same order, at the front.
    assert workspace.problems()[: len(earlier.problems)] == earlier.problems


def assert_stored(workspace: Workspace, summary: IngestSummary, source: str, text: str) -> Article:
    """An article read from `source` is stored with exactly `text`."""
    matches = [a for a in workspace.articles() if a.source == source]
    assert len(matches) == 1, f"expected one article from {source}, got {matches}"
    article = matches[0]
    assert article.text == text
    assert article.id in summary.article_ids
    return article


def assert_good_stored(workspace: Workspace, summary: IngestSummary, batch: Path) -> None:
    assert_stored(workspace, summary, str(good_file(batch)), story("ferry terminal").strip())


def assert_one_problem(
    summary: IngestSummary, workspace: Workspace, code: str, item: str
) -> Problem:
    """Exactly one Problem, with the right code, naming the item in `item` and its message."""
    assert len(summary.problems) == 1, summary.problems
    found = summary.problems[0]
    assert found.code == code, found
    assert found.item == item
    assert item in found.message
    assert found in workspace.problems()
    return found


@contextmanager
def deadline(seconds: int) -> Iterator[None]:
    """Fail (instead of hanging the suite) if the block runs longer than `seconds`."""

    def expire(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError(f"took longer than {seconds}s (blocked on input?)")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# -- whole-file documents ---------------------------------------------------------------


def test_binary_file_with_txt_name(workspace: Workspace, earlier: Earlier, batch: Path) -> None:
    bad = batch / "photo.txt"
    bad.write_bytes(PNG_HEADER + random.Random(7).randbytes(4096))

    summary = ingest(workspace, [batch])

    assert_one_problem(summary, workspace, "undecodable", str(bad))
    assert_good_stored(workspace, summary, batch)
    assert summary.added == 1
    assert_earlier_untouched(workspace, earlier, added_since=1)


def test_empty_file(workspace: Workspace, earlier: Earlier, batch: Path) -> None:
    bad = batch / "empty.txt"
    bad.write_bytes(b"")

    summary = ingest(workspace, [batch])

    assert_one_problem(summary, workspace, "empty", str(bad))
    assert_good_stored(workspace, summary, batch)
    assert_earlier_untouched(workspace, earlier, added_since=1)


@pytest.mark.parametrize("content", [b" ", b"\n\n\n", b" \t \r\n \n\t\n   ", b"\r\n" * 500])
def test_whitespace_only_file(
    workspace: Workspace, earlier: Earlier, batch: Path, content: bytes
) -> None:
    bad = batch / "blank.txt"
    bad.write_bytes(content)

    summary = ingest(workspace, [batch])

    assert_one_problem(summary, workspace, "empty", str(bad))
    assert_good_stored(workspace, summary, batch)
    assert_earlier_untouched(workspace, earlier, added_since=1)


@pytest.mark.parametrize(
    "content",
    [
        "\u00a0\u3000\n\u2003\n".encode(),  # Unicode spaces: not ASCII whitespace
        b"\xef\xbb\xbf \n",  # a UTF-8 byte order mark and nothing else
        "\n \n".encode("utf-16"),  # UTF-16 with its BOM, only whitespace
    ],
    ids=["unicode-spaces", "utf8-bom", "utf16-bom"],
)
def test_unicode_whitespace_only_file(
    workspace: Workspace, earlier: Earlier, batch: Path, content: bytes
) -> None:
    bad = batch / "blank.txt"
    bad.write_bytes(content)

    summary = ingest(workspace, [batch])

    # Caught by the reader ("empty") or by the cleaner ("empty-after-cleaning"): either way
    # exactly one Problem naming the file, and no article.
    assert len(summary.problems) == 1, summary.problems
    assert summary.problems[0].code in {"empty", "empty-after-cleaning"}
    assert summary.problems[0].item == str(bad)
    assert str(bad) in summary.problems[0].message
    assert_good_stored(workspace, summary, batch)
    assert_earlier_untouched(workspace, earlier, added_since=1)


LEGACY_BASE = (
    "Rescue teams in Türkiye worked through the night after the earthquake.\n\n"
    "Volunteers set up a small café near the stadium, serving tea to families who had lost "
    "their homes. Officials said older buildings had cost many lives."
)
LEGACY_SAMPLES = {
    "english": LEGACY_BASE,
    "english-quotes": LEGACY_BASE
    + "\n\nThe mayor’s office said “help is coming” — and it did, within hours.",
    "spanish-names": LEGACY_BASE
    + "\n\nSeñor Muñoz, who runs a bakery in the old town, said the street was silent.",
    "german-cities": LEGACY_BASE
    + "\n\nHelfer aus München und Zürich trafen am Dienstag ein, sagte ein Sprecher.",
    "one-paragraph": "Rescue teams in Türkiye worked through the night, and volunteers opened a "
    "café near the stadium for families.",
}


@pytest.mark.parametrize(
    "sample",
    [
        pytest.param("english"),
        pytest.param("english-quotes"),
        pytest.param("spanish-names"),
        pytest.param("german-cities"),
        pytest.param("one-paragraph"),
    ],
)
@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_legacy_encoding_is_detected(
    workspace: Workspace, earlier: Earlier, batch: Path, sample: str, encoding: str
) -> None:
    text = LEGACY_SAMPLES[sample]
    if encoding == "latin-1":
        text = text.replace("’", "'").replace("“", '"').replace("”", '"').replace("—", "-")
    data = text.encode(encoding)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # the point of the test: this is not UTF-8
    legacy = batch / "legacy.txt"
    legacy.write_bytes(data)

    summary = ingest(workspace, [batch])

    assert summary.problems == []  # decoding a legacy encoding is not a problem
    article = assert_stored(workspace, summary, str(legacy), text)
    assert "Türkiye" in article.text and "café" in article.text
    assert_good_stored(workspace, summary, batch)
    assert_earlier_untouched(workspace, earlier, added_since=2)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_bom(workspace: Workspace, earlier: Earlier, batch: Path, encoding: str) -> None:
    text = LEGACY_SAMPLES["german-cities"] + "\n\n日本語のテキストも含まれています。"
    bom = {"utf-16": b"", "utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}[encoding]
    wide = batch / "wide.txt"
    wide.write_bytes(bom + text.encode(encoding))

    summary = ingest(workspace, [batch])

    assert summary.problems == []
    article = assert_stored(workspace, summary, str(wide), text)
    assert "Türkiye" in article.text and "München" in article.text
    assert_good_stored(workspace, summary, batch)
    assert_earlier_untouched(workspace, earlier, added_since=2)


def test_truncated_utf16_is_a_problem_not_a_crash(
    workspace: Workspace, earlier: Earlier, batch: Path
) -> None:
    bad = batch / "cut.txt"
    bad.write_bytes("Rescue teams worked through the night.".encode("utf-16") + b"\x00")

    summary = ingest(workspace, [batch])

    assert_one_problem(summary, workspace, "undecodable", str(bad))
    assert_good_stored(workspace, summary, batch)
    assert_earlier_untouched(workspace, earlier, added_since=1)


def test_50_mb_file_is_too_large_without_being_read(
    workspace: Workspace, earlier: Earlier, batch: Path
) -> None:
    huge = batch / "huge.txt"
    line = b"The quick brown fox jumps over the lazy dog near the river bank today.\n" * 1000
    with huge.open("wb") as handle:
        while handle.tell() < 50 * 1024 * 1024:
            handle.write(line)
    assert huge.stat().st_size >= 50 * 1024 * 1024

    tracemalloc.start()
    started = time.perf_counter()
    try:
        with deadline(10):
            summary = ingest(workspace, [batch])
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert_one_problem(summary, workspace, "too-large", str(huge))
    assert elapsed < 2.0
    assert peak < 10 * 1024 * 1024, f"peak {peak:,} bytes: the file was read into memory"
    assert_good_stored(workspace, summary, batch)
    assert_earlier_untouched(workspace, earlier, added_since=1)


# -- JSON Lines -----------------------------------------------------------------------------


def test_jsonl_with_one_broken_line(workspace: Workspace, earlier: Earlier, batch: Path) -> None:
    feed = batch / "feed.jsonl"
    feed.write_text(
        jsonl_line({"id": "a1", "outlet": "Fernway Report", "text": story("east pier")})
        + '{"id": "a2", "text": "the closing brace and quote are missing\n'
        + "\n"  # blank lines are skipped, but still counted
        + jsonl_line({"id": "a3", "text": story("west pier")}),
        encoding="utf-8",
    )

    summary = ingest(workspace, [batch])

    problem = assert_one_problem(summary, workspace, "bad-json", f"{feed}:2")
    assert problem.stage == "ingest"
    first = assert_stored(workspace, summary, f"{feed}:1", story("east pier").strip())
    assert first.input_id == "a1"
    assert first.outlet is not None and first.outlet.name == "Fernway Report"
    third = assert_stored(workspace, summary, f"{feed}:4", story("west pier").strip())
    assert third.input_id == "a3"
    assert_good_stored(workspace, summary, batch)
    assert_earlier_untouched(workspace, earlier, added_since=3)


@pytest.mark.parametrize(
    "line",
    ['["text", "an array, not an object"]', '"just a string"', "42", "null", "true"],
    ids=["array", "string", "number", "null", "bool"],
)
def test_jsonl_line_that_is_not_an_object(
    workspace: Workspace, earlier: Earlier, batch: Path, line: str
) -> None:
    feed = batch / "feed.jsonl"
    feed.write_text(jsonl_line({"text": story("east pier")}) + line + "\n", encoding="utf-8")

    summary = ingest(workspace, [batch])

    assert_one_problem(summary, workspace, "bad-record", f"{feed}:2")
    assert_stored(workspace, summary, f"{feed}:1", story("east pier").strip())
    assert_good_stored(workspace, summary, batch)
    assert_earlier_untouched(workspace, earlier, added_since=2)


@pytest.mark.parametrize(
    "record",
    [
        {"id": "x", "title": "A title but no body", "outlet": "Fernway Report"},
        {"id": "x", "text": "   \n\t "},
        {"id": "x", "text": None, "html": ""},
        {},
    ],
    ids=["no-body-fields", "blank-text", "null-and-empty", "empty-object"],
)
def test_jsonl_record_without_text_or_html(
    workspace: Workspace, earlier: Earlier, batch: Path, record: dict[str, object]
) -> None:
    feed = batch / "feed.jsonl"
    feed.write_text(jsonl_line(record) + jsonl_line({"text": story("east pier")}), "utf-8")

    summary = ingest(workspace, [batch])

    assert_one_problem(summary, workspace, "empty", f"{feed}:1")
    assert_stored(workspace, summary, f"{feed}:2", story("east pier").strip())
    assert_good_stored(workspace, summary, batch)
    assert_earlier_untouched(workspace, earlier, added_since=2)


@pytest.mark.parametrize("published", ["not a date", "2024-13-45", "0001-01-01", "32/13/2024"])
def test_jsonl_malformed_published_date(
    workspace: Workspace, earlier: Earlier, batch: Path, published: str
) -> None:
    feed = batch / "feed.jsonl"
    feed.write_text(jsonl_line({"text": story("east pier"), "published": published}), "utf-8")

    summary = ingest(workspace, [batch])

    problem = assert_one_problem(summary, workspace, "bad-date", f"{feed}:1")
    assert problem.stage == "clean"
    assert published in problem.message
    article = assert_stored(workspace, summary, f"{feed}:1", story("east pier").strip())
    assert article.published is None
    assert_good_stored(workspace, summary, batch)
    assert_earlier_untouched(workspace, earlier, added_since=2)


@pytest.mark.parametrize(
    "line",
    [
        pytest.param(
            "[" * 100_000,
            id="deep-nesting",
        ),
        pytest.param(
            '{"text": "x", "id": ' + "1" * 5000 + "}",
            id="huge-integer",
        ),
    ],
)
def test_jsonl_hostile_line_is_a_problem_not_a_crash(
    workspace: Workspace, earlier: Earlier, batch: Path, line: str
) -> None:
    feed = batch / "feed.jsonl"
    feed.write_text(jsonl_line({"text": story("east pier")}) + line + "\n", "utf-8")

    summary = ingest(workspace, [batch])

    assert len(summary.problems) == 1
    assert summary.problems[0].item == f"{feed}:2"
    assert_stored(workspace, summary, f"{feed}:1", story("east pier").strip())
    assert_good_stored(workspace, summary, batch)
    assert_earlier_untouched(workspace, earlier, added_since=2)


def test_jsonl_lone_surrogate_is_a_problem_not_a_crash(
    workspace: Workspace, earlier: Earlier, batch: Path
) -> None:
    feed = batch / "feed.jsonl"
    feed.write_text(
        '{"text": "A broken emoji \\ud83d in an otherwise fine sentence about the pier."}\n'
        + jsonl_line({"text": story("east pier")}),
        "utf-8",
    )

    summary = ingest(workspace, [batch])

    assert_stored(workspace, summary, f"{feed}:2", story("east pier").strip())
    assert_good_stored(workspace, summary, batch)
    # Either a Problem for line 1, or line 1 stored with the surrogate replaced.
    assert len(summary.problems) <= 1
    assert_earlier_untouched(workspace, earlier, added_since=2 + (not summary.problems))


# -- CSV --------------------------------------------------------------------------------------

CSV_COLUMNS = ["id", "url", "outlet", "title", "published", "language", "text"]


def write_csv(path: Path, rows: list[list[str]], header: list[str] = CSV_COLUMNS) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def test_csv_missing_text_column(workspace: Workspace, earlier: Earlier, batch: Path) -> None:
    table = batch / "table.csv"
    write_csv(
        table,
        [["1", "https://example.org/a", "Some title"], ["2", "https://example.org/b", "Other"]],
        header=["id", "url", "title"],
    )

    summary = ingest(workspace, [batch])

    problem = assert_one_problem(summary, workspace, "missing-column", str(table))
    assert "text" in problem.message  # says which column is missing
    assert_good_stored(workspace, summary, batch)
    assert summary.added == 1  # no rows from the table
    assert_earlier_untouched(workspace, earlier, added_since=1)


MULTILINE_BODY = (
    'Engineers inspected the east pier on Monday, saying it was "safe, for now".\n\n'
    "Officials said the pier would stay closed while crews checked its supports.\n\n"
    "A spokesperson said nobody had been hurt."
)


def csv_rows() -> list[list[str]]:
    return [
        [
            "r1",
            "https://fernway.example/pier",
            "Fernway Report",
            "Pier closed after inspection",
            "2024-03-26",
            "en",
            MULTILINE_BODY,
        ],
        ["r2", "", "", "", "2023-02", "", story("west pier")],
        ["r3", "https://fernway.example/mill", "Fernway Report", "", "", "EN", story("old lock")],
    ]


def test_csv_good_rows_with_multiline_field(
    workspace: Workspace, earlier: Earlier, batch: Path
) -> None:
    table = batch / "table.csv"
    write_csv(table, csv_rows())
    assert table.read_text("utf-8").count("\n") > 4  # the body really spans several lines

    summary = ingest(workspace, [batch])

    assert summary.problems == []
    assert summary.added == 4  # three rows plus good.txt
    rows = [a for a in workspace.articles() if a.source.startswith(f"{table}:")]
    assert len(rows) == 3
    by_id = {a.input_id: a for a in rows}
    first = by_id["r1"]
    assert first.text == MULTILINE_BODY
    assert first.url == "https://fernway.example/pier"
    assert first.outlet is not None and first.outlet.name == "Fernway Report"
    assert not first.outlet.inferred
    assert first.title == "Pier closed after inspection"
    assert first.published is not None and first.published.iso() == "2024-03-26"
    assert not first.published.inferred
    assert first.language == "en"
    second = by_id["r2"]
    assert second.text == story("west pier").strip()
    assert second.url is None and second.title is None
    assert second.published is not None and second.published.iso() == "2023-02"
    assert by_id["r3"].language == "en"
    # Each row names the file and a line, in file order.
    lines = [int(a.source.rsplit(":", 1)[1]) for a in rows]
    assert lines == sorted(lines) and len(set(lines)) == 3
    assert_good_stored(workspace, summary, batch)
    assert_earlier_untouched(workspace, earlier, added_since=4)


def test_csv_row_is_named_by_its_first_line(workspace: Workspace, batch: Path) -> None:
    table = batch / "table.csv"
    write_csv(table, csv_rows())
    # Line 1 is the header; row r1 starts on line 2 and its body spans lines 2-6.
    second_start = 2 + MULTILINE_BODY.count("\n") + 1

    ingest(workspace, [table])

    by_id = {a.input_id: a.source for a in workspace.articles()}
    assert by_id["r1"] == f"{table}:2"
    assert by_id["r2"] == f"{table}:{second_start}"


def test_csv_bad_row_date_names_the_row(
    workspace: Workspace, earlier: Earlier, batch: Path
) -> None:
    table = batch / "table.csv"
    write_csv(
        table,
        [
            ["r1", "", "", "", "2024-03-26", "", one_line("east pier")],
            ["r2", "", "", "", "the day before", "", one_line("west pier")],
        ],
    )

    summary = ingest(workspace, [batch])

    assert_one_problem(summary, workspace, "bad-date", f"{table}:3")
    assert_stored(workspace, summary, f"{table}:3", one_line("west pier"))
    assert_stored(workspace, summary, f"{table}:2", one_line("east pier"))
    assert_good_stored(workspace, summary, batch)
    assert_earlier_untouched(workspace, earlier, added_since=3)


def test_large_utf8_csv_with_character_across_64k(
    workspace: Workspace, earlier: Earlier, batch: Path
) -> None:
    prefix = b'id,text\nr1,"'
    filler = b"a" * (65535 - len(prefix))
    data = prefix + filler + 'ü is here"\n'.encode() + b'r2,"' + story("west pier").encode()
    data += b'"\n'
    assert data[65535:65537] == "ü".encode()  # the 64 KiB cut falls inside "ü"
    table = batch / "table.csv"
    table.write_bytes(data)

    summary = ingest(workspace, [batch])

    assert summary.problems == []
    assert_stored(workspace, summary, f"{table}:3", story("west pier").strip())
    assert_good_stored(workspace, summary, batch)
    assert_earlier_untouched(workspace, earlier, added_since=3)


# -- paths that cannot be read -------------------------------------------------------------


def test_nonexistent_path(workspace: Workspace, earlier: Earlier, batch: Path) -> None:
    missing = batch.parent / "no-such-folder" / "gone.txt"

    summary = ingest(workspace, [missing, good_file(batch)])

    assert_one_problem(summary, workspace, "not-found", str(missing))
    assert_good_stored(workspace, summary, batch)
    assert_earlier_untouched(workspace, earlier, added_since=1)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs os.mkfifo")
def test_fifo_named_txt_is_unreadable(workspace: Workspace, earlier: Earlier, batch: Path) -> None:
    fifo = batch.parent / "x.txt"
    os.mkfifo(fifo)

    with deadline(10):  # opening a FIFO with no writer would block forever
        summary = ingest(workspace, [fifo, good_file(batch)])

    assert_one_problem(summary, workspace, "unreadable", str(fifo))
    assert_good_stored(workspace, summary, batch)
    assert_earlier_untouched(workspace, earlier, added_since=1)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs os.mkfifo")
def test_fifo_inside_a_folder_never_blocks(
    workspace: Workspace, earlier: Earlier, batch: Path
) -> None:
    os.mkfifo(batch / "x.txt")

    with deadline(10):
        summary = ingest(workspace, [batch])

    assert len(summary.problems) <= 1
    assert_good_stored(workspace, summary, batch)
    assert_earlier_untouched(workspace, earlier, added_since=1)


@pytest.mark.skipif(
    sys.platform == "win32" or os.geteuid() == 0, reason="root reads files whatever their mode"
)
def test_file_without_read_permission(workspace: Workspace, earlier: Earlier, batch: Path) -> None:
    locked = batch / "locked.txt"
    locked.write_text(story("east pier"), "utf-8")
    locked.chmod(0)
    try:
        summary = ingest(workspace, [batch])
    finally:
        locked.chmod(0o644)

    assert_one_problem(summary, workspace, "unreadable", str(locked))
    assert_good_stored(workspace, summary, batch)
    assert_earlier_untouched(workspace, earlier, added_since=1)


def test_explicit_file_with_unknown_extension(
    workspace: Workspace, earlier: Earlier, batch: Path
) -> None:
    notes = batch.parent / "notes.md"
    notes.write_text(story("east pier"), "utf-8")

    summary = ingest(workspace, [notes, good_file(batch)])

    problem = assert_one_problem(summary, workspace, "unsupported-type", str(notes))
    assert ".md" in problem.message
    assert_good_stored(workspace, summary, batch)
    assert_earlier_untouched(workspace, earlier, added_since=1)


def test_unknown_extension_inside_a_folder_is_skipped_silently(
    workspace: Workspace, earlier: Earlier, batch: Path
) -> None:
    (batch / "README.md").write_text(story("east pier"), "utf-8")
    (batch / "logo.png").write_bytes(PNG_HEADER)

    summary = ingest(workspace, [batch])

    assert summary.problems == []
    assert summary.read == 1
    assert_good_stored(workspace, summary, batch)
    assert_earlier_untouched(workspace, earlier, added_since=1)


# -- stdin ----------------------------------------------------------------------------------


def test_stdin_plain_text(workspace: Workspace, earlier: Earlier, batch: Path) -> None:
    piped = io.BytesIO(story("east pier").encode("utf-8"))

    summary = ingest(workspace, ["-", good_file(batch)], stdin=piped)

    assert summary.problems == []
    assert_stored(workspace, summary, "<stdin>", story("east pier").strip())
    assert_good_stored(workspace, summary, batch)
    assert_earlier_untouched(workspace, earlier, added_since=2)


def test_stdin_jsonl_with_a_broken_line(
    workspace: Workspace, earlier: Earlier, batch: Path
) -> None:
    piped = io.BytesIO(
        (
            jsonl_line({"id": "s1", "text": story("east pier")})
            + "{not json}\n"
            + jsonl_line({"id": "s3", "text": story("west pier"), "outlet": "Kestrel Daily"})
        ).encode("utf-8")
    )

    summary = ingest(workspace, ["-", good_file(batch)], stdin=piped)

    assert_one_problem(summary, workspace, "bad-json", "<stdin>:2")
    assert (
        assert_stored(workspace, summary, "<stdin>:1", story("east pier").strip()).input_id == "s1"
    )
    third = assert_stored(workspace, summary, "<stdin>:3", story("west pier").strip())
    assert third.outlet is not None and third.outlet.name == "Kestrel Daily"
    assert_good_stored(workspace, summary, batch)
    assert_earlier_untouched(workspace, earlier, added_since=3)


def test_stdin_empty(workspace: Workspace, earlier: Earlier, batch: Path) -> None:
    summary = ingest(workspace, ["-", good_file(batch)], stdin=io.BytesIO(b"  \n"))

    assert_one_problem(summary, workspace, "empty", "<stdin>")
    assert_good_stored(workspace, summary, batch)
    assert_earlier_untouched(workspace, earlier, added_since=1)


# -- re-ingesting -----------------------------------------------------------------------------


def test_ingesting_the_same_folder_twice(
    workspace: Workspace, earlier: Earlier, batch: Path
) -> None:
    (batch / "feed.jsonl").write_text(
        jsonl_line({"text": story("east pier")}) + jsonl_line({"text": story("west pier")}),
        "utf-8",
    )
    (batch / "empty.txt").write_bytes(b"")

    first = ingest(workspace, [batch])
    count = workspace.store.count_articles()
    stored = {a.id: a for a in workspace.articles()}
    problems = workspace.problems()
    second = ingest(workspace, [batch])

    assert first.added == 3 and first.unchanged == 0
    assert second.added == 0
    assert second.unchanged == 3
    assert second.read == first.read == 3
    assert sorted(second.article_ids) == sorted(first.article_ids)
    assert workspace.store.count_articles() == count == len(earlier.articles) + 3
    assert {a.id: a for a in workspace.articles()} == stored
    assert workspace.problems() == problems  # the same problem is not recorded twice
    assert [p.code for p in second.problems] == ["empty"]
    assert_earlier_untouched(workspace, earlier, added_since=3)
