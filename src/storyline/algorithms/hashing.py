"""Vectorised word and shingle hashing over a whole batch of texts at once.

Hashing word by word in Python costs more than all the MinHash arithmetic, so words are found
and hashed with NumPy over the UTF-8 bytes of the batch: a polynomial rolling hash with prefix
sums (mod 2**64, where the odd base is invertible), finished by the splitmix64 mixer. Any byte
>= 0x80 counts as a word byte, so Cyrillic, Greek, Arabic and other space-separated scripts
tokenise like Latin; scripts without spaces (Chinese, Japanese) fall back to character n-grams.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

U64 = NDArray[np.uint64]
I64 = NDArray[np.int64]

_BASE = 0x100000001B3  # FNV prime: odd, so invertible mod 2**64
_BASE_INV = pow(_BASE, -1, 2**64)
_COMBINE = np.uint64(0x9E3779B97F4A7C15)
_WORD_BYTE = np.zeros(256, dtype=bool)
_WORD_BYTE[list(b"abcdefghijklmnopqrstuvwxyz0123456789")] = True
_WORD_BYTE[128:] = True
# One table does both jobs: word bytes map to their lower-case value (ASCII A-Z -> a-z; other
# scripts keep their case, str.lower is 10x slower), every other byte maps to 0.
_WORD_CODE = np.zeros(256, dtype=np.uint8)
_WORD_CODE[_WORD_BYTE] = np.arange(256, dtype=np.uint8)[_WORD_BYTE]
_WORD_CODE[65:91] = np.arange(97, 123, dtype=np.uint8)
# A "word" this long (in bytes) means the script has no spaces: use character n-grams.
NO_SPACE_WORD_BYTES = 40


def mix64(values: U64) -> U64:
    """splitmix64 finaliser: spreads every input bit over every output bit."""
    x = values ^ (values >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    result: U64 = x ^ (x >> np.uint64(31))
    return result


@dataclass(frozen=True, slots=True)
class ShingleBatch:
    """Shingle hashes of a batch of documents; `doc[i]` is the document of `hashes[i]`."""

    hashes: U64
    doc: I64
    n_docs: int

    def counts(self) -> NDArray[np.int64]:
        return np.bincount(self.doc, minlength=self.n_docs).astype(np.int64)


@dataclass(slots=True)
class ShingleHasher:
    """k-word shingles (k=`size`) of many texts, hashed to uint64. Holds its power tables so
    repeated batches do not recompute them; no global state."""

    size: int = 5
    _powers: U64 = field(default_factory=lambda: np.ones(1, dtype=np.uint64))
    _inverse_powers: U64 = field(default_factory=lambda: np.ones(1, dtype=np.uint64))

    def _ensure_powers(self, length: int) -> None:
        if len(self._powers) >= length:
            return
        length = max(length, 2 * len(self._powers))
        steps = np.full(length, _BASE, dtype=np.uint64)
        steps[0] = 1
        self._powers = np.cumprod(steps, dtype=np.uint64)
        steps[1:] = _BASE_INV
        self._inverse_powers = np.cumprod(steps, dtype=np.uint64)

    def word_hashes(self, texts: list[str]) -> tuple[U64, I64]:
        """(hash of each word, document index of each word), in text order."""
        joined = "\x00".join(texts).encode("utf-8", "replace")
        raw = np.frombuffer(joined, dtype=np.uint8)
        data = _WORD_CODE[raw]
        n = len(data)
        if n == 0:
            return np.empty(0, np.uint64), np.empty(0, np.int64)
        padded = np.zeros(n + 2, dtype=bool)
        np.not_equal(data, 0, out=padded[1:-1])
        flips = np.flatnonzero(padded[1:] != padded[:-1])  # word runs start and end alternately
        starts, ends = flips[0::2], flips[1::2]
        self._ensure_powers(n + 1)
        prefix = np.empty(n + 1, dtype=np.uint64)
        prefix[0] = 0
        # Word bytes are never 0, so no +1 offset is needed; uint8 * uint64 casts in one pass.
        np.multiply(data, self._powers[:n], out=prefix[1:])
        np.cumsum(prefix[1:], out=prefix[1:])
        hashes = mix64((prefix[ends] - prefix[starts]) * self._inverse_powers[starts])
        separators = np.flatnonzero(raw == 0)
        doc = np.searchsorted(separators, starts).astype(np.int64)
        long_words = (ends - starts) > NO_SPACE_WORD_BYTES
        if long_words.any():
            return self._split_unspaced(texts, hashes, doc, long_words)
        return hashes, doc

    def _split_unspaced(
        self, texts: list[str], hashes: U64, doc: I64, long_words: NDArray[np.bool_]
    ) -> tuple[U64, I64]:
        """Documents written without spaces get character bigrams as their 'words'."""
        unspaced = set(np.unique(doc[long_words]).tolist())
        keep = ~np.isin(doc, list(unspaced))
        parts_h, parts_d = [hashes[keep]], [doc[keep]]
        for index in sorted(unspaced):
            chars = [c for c in texts[index].lower() if not c.isspace()]
            grams = ["".join(chars[i : i + 2]) for i in range(max(len(chars) - 1, 1))]
            sub_h, _ = self.word_hashes_plain(grams)
            parts_h.append(sub_h)
            parts_d.append(np.full(len(sub_h), index, dtype=np.int64))
        all_d = np.concatenate(parts_d)
        order = np.argsort(all_d, kind="stable")
        return np.concatenate(parts_h)[order], all_d[order]

    def word_hashes_plain(self, words: list[str]) -> tuple[U64, I64]:
        """Hash each given string as one word (used for character n-grams)."""
        encoded = [w.encode("utf-8", "replace") for w in words]
        lengths = np.array([len(w) for w in encoded], dtype=np.int64)
        data = np.frombuffer(b"".join(encoded), dtype=np.uint8)
        if len(data) == 0:
            return np.empty(0, np.uint64), np.empty(0, np.int64)
        ends = np.cumsum(lengths)
        starts = ends - lengths
        self._ensure_powers(len(data) + 1)
        prefix = np.zeros(len(data) + 1, dtype=np.uint64)
        np.cumsum(
            (data.astype(np.uint64) + np.uint64(1)) * self._powers[: len(data)], out=prefix[1:]
        )
        hashes = mix64((prefix[ends] - prefix[starts]) * self._inverse_powers[starts])
        return hashes, np.zeros(len(hashes), dtype=np.int64)

    def shingles(self, texts: list[str]) -> ShingleBatch:
        """Hashes of every run of `size` consecutive words inside one document. A document
        shorter than `size` words contributes one shingle of all its words."""
        words, doc = self.word_hashes(texts)
        n_docs = len(texts)
        k = self.size
        if len(words) == 0:
            return ShingleBatch(np.empty(0, np.uint64), np.empty(0, np.int64), n_docs)
        count = max(len(words) - k + 1, 0)
        combined = words[:count].copy()
        for offset in range(1, k):
            combined = combined * _COMBINE + words[offset : offset + count]
        valid = doc[:count] == doc[k - 1 : k - 1 + count]
        hashes, owners = mix64(combined[valid]), doc[:count][valid]
        # Short documents (fewer than k words) still get one shingle, so they are comparable.
        words_per_doc = np.bincount(doc, minlength=n_docs)
        short = np.flatnonzero((words_per_doc > 0) & (words_per_doc < k))
        if len(short):
            extra = []
            for index in short.tolist():
                value = 0
                for word in words[doc == index].tolist():
                    value = (value * int(_COMBINE) + word) & 0xFFFFFFFFFFFFFFFF
                extra.append(value)
            hashes = np.concatenate([hashes, mix64(np.array(extra, dtype=np.uint64))])
            owners = np.concatenate([owners, short.astype(np.int64)])
            order = np.argsort(owners, kind="stable")
            hashes, owners = hashes[order], owners[order]
        return ShingleBatch(hashes, owners, n_docs)
