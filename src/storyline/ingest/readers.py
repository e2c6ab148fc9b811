"""One reader per input format. Each yields `RawDocument`s or `Problem`s and never raises for
bad content, so one broken line or file never stops the rest of the batch."""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from storyline.ingest.decoding import UndecodableError, decode_bytes
from storyline.model import Problem, RawDocument

STAGE = "ingest"
COLUMNS = ("id", "url", "outlet", "title", "published", "language", "text", "html")

Item = RawDocument | Problem
# JSON may carry lone surrogates ("\ud83d"), which are not text and break every encoder.
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadLimits:
    """Caps that protect memory and the store; every cap breach becomes a Problem."""

    max_article_bytes: int = 5_000_000


def problem(item: str, code: str, message: str) -> Problem:
    return Problem(stage=STAGE, item=item, code=code, message=message)


def read_document_bytes(name: str, data: bytes, kind: str, limits: ReadLimits) -> Iterator[Item]:
    """A whole-file document: `.txt` or `.html`."""
    if not data.strip():
        yield problem(name, "empty", f"{name}: the file is empty; nothing to ingest")
        return
    if len(data) > limits.max_article_bytes:
        yield problem(
            name,
            "too-large",
            f"{name}: {len(data):,} bytes is over the {limits.max_article_bytes:,}-byte article "
            "limit; split it or raise the limit (--max-article-bytes)",
        )
        return
    try:
        decoded = decode_bytes(data)
    except UndecodableError as exc:
        yield problem(name, "undecodable", f"{name}: {exc}; skipped")
        return
    if kind == "html":
        yield RawDocument(source=name, html=decoded.text)
    else:
        yield RawDocument(source=name, text=decoded.text)


def read_jsonl(name: str, stream: IO[bytes], limits: ReadLimits) -> Iterator[Item]:
    """One JSON object per line; a broken line is a Problem naming the line, others go on."""
    for number, raw_line in enumerate(stream, start=1):
        item = f"{name}:{number}"
        if not raw_line.strip():
            continue
        if len(raw_line) > limits.max_article_bytes:
            yield problem(
                item,
                "too-large",
                f"{item}: line of {len(raw_line):,} bytes is over the "
                f"{limits.max_article_bytes:,}-byte article limit; skipped",
            )
            continue
        try:
            line = raw_line.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield problem(item, "undecodable", f"{item}: not valid UTF-8 ({exc.reason}); skipped")
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield problem(item, "bad-json", f"{item}: not valid JSON ({exc.msg}); line skipped")
            continue
        except (ValueError, RecursionError) as exc:  # 4300-digit integers, deep nesting
            reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)[:120]
            yield problem(item, "bad-json", f"{item}: unreadable JSON ({reason}); line skipped")
            continue
        if not isinstance(record, dict):
            yield problem(
                item, "bad-record", f"{item}: expected a JSON object, got {type(record).__name__}"
            )
            continue
        yield _from_record(item, record)


def read_csv(name: str, data: IO[bytes], limits: ReadLimits) -> Iterator[Item]:
    """A header row naming any of COLUMNS; `text` or `html` must be among them."""
    head = data.read(65536)
    try:
        encoding = _head_encoding(head)
    except UndecodableError as exc:
        yield problem(name, "undecodable", f"{name}: {exc}; skipped")
        return
    data.seek(0)
    text_stream = io.TextIOWrapper(data, encoding=encoding, errors="replace", newline="")
    csv.field_size_limit(max(limits.max_article_bytes * 2, 131072))
    reader = csv.DictReader(text_stream)
    try:
        fields = [f.strip().lower() for f in (reader.fieldnames or [])]
    except csv.Error as exc:
        yield problem(name, "bad-csv", f"{name}: unreadable CSV header ({exc})")
        return
    if "text" not in fields and "html" not in fields:
        yield problem(
            name,
            "missing-column",
            f"{name}: the CSV has no 'text' or 'html' column "
            f"(columns: {', '.join(fields) or 'none'}); expected any of {', '.join(COLUMNS)}",
        )
        return
    reader.fieldnames = fields
    while True:
        line_number = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield problem(f"{name}:{line_number}", "bad-csv", f"{name}:{line_number}: {exc}")
            return
        item = f"{name}:{line_number}"  # a record spanning lines is named by its first
        yield _from_record(item, {k: v for k, v in row.items() if isinstance(k, str)})


def _head_encoding(head: bytes) -> str:
    """The encoding of a file from its first bytes; a UTF-8 character cut at the end of the
    sample is not evidence against UTF-8."""
    if not head:
        return "utf-8"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head.removeprefix(b"\xef\xbb\xbf"))
        return "utf-8-sig"
    except UnicodeDecodeError:
        return decode_bytes(head).encoding


def _from_record(item: str, record: Mapping[str, Any]) -> Item:
    values = {key: _as_text(record.get(key)) for key in COLUMNS}
    if not (values["text"] or "").strip() and not (values["html"] or "").strip():
        return problem(item, "empty", f"{item}: the record has no 'text' or 'html'; skipped")
    return RawDocument(
        source=item,
        text=values["text"],
        html=values["html"],
        input_id=values["id"],
        url=values["url"],
        outlet=values["outlet"],
        title=values["title"],
        published=values["published"],
        language=values["language"],
    )


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        stripped = _SURROGATE.sub("\ufffd", value).strip()
        return stripped or None
    if isinstance(value, int | float | bool):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def kind_of(path: Path) -> str | None:
    """The reader for a file name, or None when the extension is not an input format."""
    suffix = path.suffix.lower()
    if path.name.lower().endswith((".warc", ".warc.gz")):
        return "warc"
    return {
        ".txt": "text",
        ".text": "text",
        ".html": "html",
        ".htm": "html",
        ".jsonl": "jsonl",
        ".ndjson": "jsonl",
        ".csv": "csv",
    }.get(suffix)
