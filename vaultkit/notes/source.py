"""Turning a note's bytes into text the way the editor that wrote it meant.

Notes come from Obsidian on every platform and from sync clients: a UTF-8
byte-order mark (Windows editors), UTF-16 (some Windows tools), CRLF line ends,
and occasionally Windows-1252/latin-1 (old Windows editors, files copied from
elsewhere) or binary junk with a ``.md`` name. None of these may crash a vault
load; each is read as well as it can be and, when the reading is a guess,
reported.
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
    code: str = "encoding"  # the diagnostic's code when there is a problem


NOT_UTF8 = "not-utf8"


def _latin1_for_undefined(error: UnicodeError) -> tuple[str, int]:
    """The five bytes Windows-1252 leaves undefined read as latin-1, as browsers
    (WHATWG's windows-1252) do, so every byte string has a reading."""
    assert isinstance(error, UnicodeDecodeError)
    return error.object[error.start : error.end].decode("latin-1"), error.end


codecs.register_error("vaultkit-latin1", _latin1_for_undefined)


def decode_note(data: bytes) -> DecodedText:
    """Decode note bytes to text with LF line ends.

    UTF-8 (with or without a BOM) is the norm and the fast path; a UTF-16 BOM is
    honoured. Bytes that are not UTF-8 are, in practice, Windows-1252 (a superset
    of latin-1's letters): they are read as such, so "Café" stays "Café", and
    reported (``not-utf8``) so the user can save the note as UTF-8. A file that
    is mostly UTF-8 with a stray bad byte keeps its UTF-8 reading, the bad bytes
    replaced. A NUL byte in UTF-8 text means the file is not a note at all.
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
        return _not_utf8(data, data.count(b"\n", 0, exc.start) + 1)
    return DecodedText(_normalise_newlines(text))


def _not_utf8(data: bytes, line: int) -> DecodedText:
    """The slow path: Windows-1252, unless the valid UTF-8 sequences outnumber
    the invalid bytes (a UTF-8 note with a stray byte pasted in)."""
    replaced = data.decode("utf-8-sig", errors="replace")
    invalid = replaced.count("\ufffd")
    valid = sum(1 for char in replaced if char > "\x7f") - invalid
    if valid > invalid:
        return DecodedText(
            _normalise_newlines(replaced),
            "not valid UTF-8 (save the note as UTF-8); unreadable bytes were replaced",
            problem_line=line,
        )
    return DecodedText(
        _normalise_newlines(data.decode("cp1252", errors="vaultkit-latin1")),
        "not UTF-8: read as Windows-1252 (latin-1); save the note as UTF-8",
        problem_line=line,
        code=NOT_UTF8,
    )


def _normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF so line numbers match what every editor shows."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")
