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


# Letters and punctuation that Western-European text in cp1252/latin-1 actually uses.
_WESTERN = frozenset(
    "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝàáâãäåæçèéêëìíîïñòóôõöøùúûüýÿßŒœŠšŽžŸ"
    "’‘“”„‚–—…€£¥°«»·©®™§¶¿¡ªº±×÷¼½¾²³µ\u00a0"
)
# In Western text accented letters are a small minority; in Cyrillic or Greek text read as
# cp1252 almost every letter is non-ASCII. 0.2 separates the two with a wide margin.
MAX_NON_ASCII_SHARE = 0.2


def _as_western(data: bytes) -> str | None:
    """cp1252 when the result reads like Western-European text, else None.

    charset-normalizer alone picks cp775 or cp1250 for short cp1252 news text (measured:
    'café' became 'cafķ'), and cp1252/latin-1 is by far the most common legacy encoding in
    Western news archives, so it is tried first and kept only when plausible.
    """
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    non_ascii = [ch for ch in text if ord(ch) > 127]
    if not non_ascii:
        return text
    letters = sum(ch.isalpha() for ch in text)
    western = sum(ch in _WESTERN for ch in non_ascii)
    if western < len(non_ascii) or len(non_ascii) > MAX_NON_ASCII_SHARE * max(letters, 1):
        return None
    return text


def decode_bytes(data: bytes) -> Decoded:
    """UTF-8 first (the common case, exact); otherwise ask charset-normalizer."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if _is_utf16(data):
        try:
            return Decoded(text=data.decode("utf-16"), encoding="utf-16")
        except UnicodeDecodeError as exc:
            reason = f"starts like UTF-16 but is not valid UTF-16 ({exc.reason})"
            raise UndecodableError(reason) from exc
    if looks_binary(data):
        raise UndecodableError("looks like a binary file (many control bytes), not text")
    try:
        return Decoded(text=data.decode("utf-8"), encoding="utf-8")
    except UnicodeDecodeError:
        pass
    western = _as_western(data)
    if western is not None:
        return Decoded(text=western, encoding="cp1252")
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise UndecodableError("is not valid UTF-8 and no other text encoding fits it")
    return Decoded(text=str(best), encoding=best.encoding)
