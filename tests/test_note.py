"""One note file end to end: what a user's note turns into, and its diagnostics."""

from __future__ import annotations

import codecs
from pathlib import Path

from vaultkit.notes.note import parse_note, read_note


def test_windows_note_with_bom_and_crlf() -> None:
    data = (
        codecs.BOM_UTF8
        + (
            '---\r\nName: Zoë Chen\r\nReferred By: "[[Prof. Chen]]"\r\n---\r\nMet at [[Acme]].\r\n'
        ).encode()
    )
    note = parse_note("People/Zoë Chen.md", data)
    assert note.fields == {"name": "Zoë Chen", "referred_by": "[[Prof. Chen]]"}
    assert note.key_lines == {"name": 2, "referred_by": 3}
    assert [(link.target, link.line) for link in note.body_links] == [("Acme", 5)]
    assert note.diagnostics == []


def test_synonyms_and_canonical_spelling_wins() -> None:
    note = parse_note("a.md", b"---\ncompany: Old\norganization: New\nreferrer: '[[R]]'\n---\n")
    assert note.fields["organization"] == "New"
    assert note.fields["referred_by"] == "[[R]]"
    (duplicate,) = note.diagnostics
    assert duplicate.code == "duplicate-key" and duplicate.line == 2
    assert "company" in duplicate.message


def test_bad_yaml_is_a_diagnostic_with_line_and_body_still_read() -> None:
    note = parse_note("People/Bad.md", b"---\nname: A\nrole: [x\n---\nSee [[Jane]]\n")
    (problem,) = note.diagnostics
    assert (problem.severity, problem.code) == ("error", "front-matter")
    assert problem.line is not None and problem.line >= 3
    assert note.fields == {}
    assert [link.target for link in note.body_links] == ["Jane"]


def test_list_front_matter_is_an_error_on_line_2() -> None:
    note = parse_note("x.md", b"---\n- a\n- b\n---\n")
    (problem,) = note.diagnostics
    assert problem.line == 2 and "a list" in problem.message


def test_unclosed_front_matter() -> None:
    note = parse_note("x.md", b"---\nname: A\n")
    (problem,) = note.diagnostics
    assert problem.line == 1 and "never closed" in problem.message


def test_binary_file_is_an_error_not_a_crash() -> None:
    note = parse_note("junk.md", b"\x00\x01\x02\xff" * 100)
    assert [d.code for d in note.diagnostics] == ["encoding"]
    assert note.fields == {}


def test_huge_note_is_read_up_to_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.md"
    path.write_bytes(b"---\nname: Big\n---\n" + b"x" * 5000)
    note = read_note(tmp_path, "big.md", max_bytes=1000)
    assert note.fields == {"name": "Big"}
    assert [d.code for d in note.diagnostics] == ["too-large"]


def test_vanished_note_is_an_error(tmp_path: Path) -> None:
    note = read_note(tmp_path, "gone.md")
    assert [d.code for d in note.diagnostics] == ["unreadable"]


def test_name_defaults_to_file_name() -> None:
    assert parse_note("People/Jane Doe.md", b"").name == "Jane Doe"
    assert parse_note("People/jd.md", b"---\nname: Jane Doe\n---\n").name == "Jane Doe"
