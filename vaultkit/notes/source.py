"""Turning a note's bytes into text the way the editor that wrote it meant.

Notes come from Obsidian on every platform and from sync clients: a UTF-8
byte-order mark (Windows editors), UTF-16 (some Windows tools), CRLF line ends,
and occasionally latin-1 or binary junk with a ``.md`` name. None of these may
crash a vault load; each is read as well as it can be and, when the reading is a
guess, reported.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DecodedText:
    """Text with ``\\n`` line ends, plus what the decoding had to guess, if anything."""

    text: str
    problem: str | None = None
    is_binary: bool = False
    problem_line: int | None = None


def decode_note(data: bytes) -> DecodedText:
    """Decode note bytes to text with LF line ends.

    UTF-8 (with or without a BOM) is the norm; a UTF-16 BOM is honoured; other
    bytes are decoded with replacement characters and reported, so a latin-1
    note still shows up (with its accents garbled) rather than vanishing.
    A NUL byte in UTF-8 text means the file is not a note at all.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return DecodedText(_normalise_newlines(data.decode("utf-16")))
        except UnicodeDecodeError:
            return DecodedText("", "the file starts like UTF-16 but is not valid UTF-16", True)
    if b"\x00" in data:
        return DecodedText("", "the file holds binary data (NUL bytes), not text", True)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8-sig", errors="replace")
        line = data.count(b"\n", 0, exc.start) + 1
        return DecodedText(
            _normalise_newlines(text),
            "not valid UTF-8 (save the note as UTF-8); unreadable bytes were replaced",
            problem_line=line,
        )
    return DecodedText(_normalise_newlines(text))


def _normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF so line numbers match what every editor shows."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")
