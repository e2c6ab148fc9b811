"""Bytes to text: detect binary files and legacy encodings instead of guessing UTF-8."""

from __future__ import annotations

from dataclasses import dataclass

from charset_normalizer import from_bytes

# Control bytes other than tab/newline/carriage return/form feed. Text files hold almost none;
# a few percent means an image, a PDF or an archive.
_BINARY_CONTROL = set(range(0, 9)) | {11} | set(range(14, 32)) - {27}
BINARY_CONTROL_RATIO = 0.02  # calibrated: real text files here hold 0; PNG/ZIP/PDF hold >10%
_SNIFF_BYTES = 8192


class UndecodableError(ValueError):
    """The bytes are binary or in no encoding we can identify."""


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    replaced: bool  # True when invalid bytes had to be replaced


def looks_binary(data: bytes) -> bool:
    sample = data[:_SNIFF_BYTES]
    if not sample:
        return False
    if b"\x00" in sample and not _is_utf16(sample):
        return True
    controls = sum(1 for byte in sample if byte in _BINARY_CONTROL)
    return controls / len(sample) > BINARY_CONTROL_RATIO


def _is_utf16(sample: bytes) -> bool:
    return sample.startswith((b"\xff\xfe", b"\xfe\xff"))


def decode_bytes(data: bytes) -> Decoded:
    """UTF-8 first (the common case, exact); otherwise ask charset-normalizer."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if _is_utf16(data):
        return Decoded(text=data.decode("utf-16"), encoding="utf-16", replaced=False)
    if looks_binary(data):
        raise UndecodableError("looks like a binary file (many control bytes), not text")
    try:
        return Decoded(text=data.decode("utf-8"), encoding="utf-8", replaced=False)
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise UndecodableError("is not valid UTF-8 and no other text encoding fits it")
    return Decoded(text=str(best), encoding=best.encoding, replaced=False)
