"""Expand the user's inputs (files, folders, '-') into a stream of documents and problems."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from storyline.ingest.readers import (
    Item,
    ReadLimits,
    kind_of,
    problem,
    read_csv,
    read_document_bytes,
    read_jsonl,
)

IngestLimits = ReadLimits
STDIN = "-"


@dataclass(frozen=True, slots=True)
class InputFile:
    name: str
    path: Path | None  # None for stdin
    kind: str


def expand_inputs(inputs: Iterable[str | Path]) -> tuple[list[InputFile], list[Item]]:
    """Files in a stable order (sorted within folders) plus problems for unusable paths.

    Inside a folder, files of other types (README.md, images) are skipped silently; a file
    named explicitly with an unknown type is reported, since the user asked for it.
    """
    files: list[InputFile] = []
    problems: list[Item] = []
    for raw in inputs:
        name = str(raw)
        if name == STDIN:
            files.append(InputFile(name="<stdin>", path=None, kind="auto"))
            continue
        path = Path(name)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if any(part.startswith(".") for part in child.relative_to(path).parts):
                    continue
                kind = kind_of(child)
                if kind:
                    files.append(InputFile(name=str(child), path=child, kind=kind))
        elif path.is_file():
            kind = kind_of(path)
            if kind is None:
                problems.append(
                    problem(
                        name,
                        "unsupported-type",
                        f"{name}: unknown file type {path.suffix or '(none)'!r}; "
                        "use .txt, .html, .jsonl, .csv or .warc(.gz)",
                    )
                )
            else:
                files.append(InputFile(name=name, path=path, kind=kind))
        elif path.exists():
            problems.append(problem(name, "unreadable", f"{name}: not a regular file or folder"))
        else:
            problems.append(problem(name, "not-found", f"{name}: no such file or folder"))
    return files, problems


def read_inputs(
    inputs: Iterable[str | Path],
    limits: ReadLimits | None = None,
    stdin: BinaryIO | None = None,
) -> Iterator[Item]:
    """Every document and problem from the inputs, in input order."""
    limits = limits or ReadLimits()
    files, problems = expand_inputs(inputs)
    yield from problems
    for entry in files:
        yield from read_file(entry, limits, stdin)


def read_file(
    entry: InputFile, limits: ReadLimits, stdin: BinaryIO | None = None
) -> Iterator[Item]:
    if entry.path is None:
        data = (stdin or sys.stdin.buffer).read()
        yield from _read_bytes(entry.name, data, _sniff_kind(data), limits)
        return
    try:
        if entry.kind in ("jsonl", "csv"):
            with entry.path.open("rb") as stream:
                reader = read_jsonl if entry.kind == "jsonl" else read_csv
                yield from reader(entry.name, stream, limits)
            return
        if entry.kind == "warc":
            from storyline.sources.warc import read_warc  # warcio only when archives are read

            with entry.path.open("rb") as stream:
                yield from read_warc(entry.name, stream, limits)
            return
        size = entry.path.stat().st_size
        if size > limits.max_article_bytes:
            yield problem(
                entry.name,
                "too-large",
                f"{entry.name}: {size:,} bytes is over the {limits.max_article_bytes:,}-byte "
                "article limit; split it or raise the limit (--max-article-bytes)",
            )
            return
        data = entry.path.read_bytes()
    except OSError as exc:
        yield problem(
            entry.name, "unreadable", f"{entry.name}: cannot read ({exc.strerror or exc})"
        )
        return
    yield from _read_bytes(entry.name, data, entry.kind, limits)


def _read_bytes(name: str, data: bytes, kind: str, limits: ReadLimits) -> Iterator[Item]:
    if kind in ("jsonl", "csv"):
        reader = read_jsonl if kind == "jsonl" else read_csv
        yield from reader(name, io.BytesIO(data), limits)
    else:
        yield from read_document_bytes(name, data, kind, limits)


def _sniff_kind(data: bytes) -> str:
    """Stdin has no file name: JSON lines start with '{', HTML with '<'."""
    head = data.lstrip()[:512].lower()
    if head.startswith(b"{"):
        return "jsonl"
    if head.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<article")):
        return "html"
    return "text"
