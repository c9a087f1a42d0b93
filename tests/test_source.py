"""Bytes to text: BOM, UTF-16, CRLF, invalid UTF-8 and binary junk."""

from __future__ import annotations

import codecs

from hypothesis import assume, given
from hypothesis import strategies as st

from vaultkit.notes.source import decode_note


def test_utf8_bom_is_dropped() -> None:
    decoded = decode_note(codecs.BOM_UTF8 + "---\nname: Zoë\n---\n".encode())
    assert decoded.text == "---\nname: Zoë\n---\n"
    assert decoded.problem is None


def test_crlf_and_lone_cr_become_lf() -> None:
    assert decode_note(b"a\r\nb\rc\n").text == "a\nb\nc\n"


def test_utf16_with_bom_is_read() -> None:
    data = "---\nname: José\r\n---\r\n".encode("utf-16")
    assert decode_note(data).text == "---\nname: José\n---\n"


def test_latin1_is_read_as_windows_1252_and_reported_with_its_line() -> None:
    decoded = decode_note("---\nname: Jos\xe9\r\nrole: Caf\xe9 \u20ac\n---\n".encode("cp1252"))
    assert decoded.text == "---\nname: José\nrole: Café €\n---\n"
    assert decoded.code == "not-utf8" and decoded.problem_line == 2
    assert "Windows-1252" in (decoded.problem or "")
    assert not decoded.is_binary


def test_the_bytes_windows_1252_leaves_undefined_are_read_as_latin_1() -> None:
    assert decode_note(b"Caf\xe9 \x81\x8d\x8f\x90\x9d").text == "Café \x81\x8d\x8f\x90\x9d"


def test_utf8_with_a_stray_byte_keeps_its_utf8_reading() -> None:
    decoded = decode_note("Zoë, Chloé and Anaïs: ".encode() + b"caf\xe9\n")
    assert decoded.text == "Zoë, Chloé and Anaïs: caf\ufffd\n"
    assert decoded.code == "encoding" and decoded.problem_line == 1


def _is_utf8_ambiguous(data: bytes) -> bool:
    """Bytes holding a sequence that is valid multi-byte UTF-8 ("Ã©" in
    Windows-1252 is "é" in UTF-8): a reading of them as UTF-8 is as fair."""
    decoded = data.decode("utf-8", errors="replace")
    return any(char > "\x7f" and char != "\ufffd" for char in decoded)


@given(st.text(st.characters(codec="cp1252", exclude_characters="\x00")))
def test_any_windows_1252_text_round_trips(text: str) -> None:
    data = text.encode("cp1252")
    assume(not _is_utf8_ambiguous(data))
    decoded = decode_note(data)
    assert decoded.text == text.replace("\r\n", "\n").replace("\r", "\n")
    assert (decoded.problem is None) == text.isascii()


def test_nul_bytes_mean_binary() -> None:
    decoded = decode_note(b"\x89PNG\r\n\x1a\n\x00\x00junk")
    assert decoded.is_binary
    assert decoded.text == ""
