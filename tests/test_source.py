"""Bytes to text: BOM, UTF-16, CRLF, invalid UTF-8 and binary junk."""

from __future__ import annotations

import codecs

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


def test_latin1_is_read_with_replacement_and_reported_with_its_line() -> None:
    decoded = decode_note("---\nname: Jos\xe9\n---\n".encode("latin-1"))
    assert "Jos\ufffd" in decoded.text
    assert decoded.problem is not None and decoded.problem_line == 2
    assert not decoded.is_binary


def test_nul_bytes_mean_binary() -> None:
    decoded = decode_note(b"\x89PNG\r\n\x1a\n\x00\x00junk")
    assert decoded.is_binary
    assert decoded.text == ""
