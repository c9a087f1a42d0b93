"""A note keeps its kind when moved: what vaultkit writes carries ``type:``, and
`check` points at a note that looks like a contact (or an interview, an
organization) but is read as an ordinary note."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import invoke, invoke_json
from vaultkit.notes.note import parse_note


def _fields(root: Path, rel: str) -> dict[str, object]:
    note = parse_note(rel, (root / rel).read_bytes())
    assert note.diagnostics == []
    return note.fields


def _move(root: Path, rel: str, to: str) -> None:
    (root / to).parent.mkdir(parents=True, exist_ok=True)
    (root / rel).rename(root / to)


def test_new_notes_carry_their_type_and_keep_their_kind_when_moved(vault: Path) -> None:
    assert invoke(vault, "new", "org", "Acme Corp").exit_code == 0
    assert invoke(vault, "new", "contact", "Jane Doe", "--org", "Acme Corp").exit_code == 0
    made = invoke(vault, "new", "interview", "Jane Doe", "--at", "2026-11-25 14:00")
    assert made.exit_code == 0
    assert _fields(vault, "Organizations/Acme Corp.md")["type"] == "organization"
    assert _fields(vault, "People/Jane Doe.md")["type"] == "contact"
    assert _fields(vault, "Interviews/2026-11-25 Jane Doe.md")["type"] == "interview"
    _move(vault, "People/Jane Doe.md", "Archive/Jane Doe.md")
    _move(vault, "Organizations/Acme Corp.md", "Archive/Acme Corp.md")
    _move(vault, "Interviews/2026-11-25 Jane Doe.md", "Archive/2026-11-25 Jane Doe.md")
    contacts = invoke_json(vault, "list", "contacts")
    assert [(c["name"], c["path"]) for c in contacts] == [("Jane Doe", "Archive/Jane Doe.md")]  # type: ignore[index]
    assert [o["name"] for o in invoke_json(vault, "list", "orgs")] == ["Acme Corp"]  # type: ignore[index]
    assert [i["contact"] for i in invoke_json(vault, "list", "interviews")] == ["Jane Doe"]  # type: ignore[index]


def test_a_template_without_type_still_makes_a_typed_note(vault: Path, write) -> None:  # type: ignore[no-untyped-def]
    write(
        "Templates/vaultkit/contact.md", "---\nrole: {{ contact.role | yaml }}\n---\n# {{title}}\n"
    )
    write("Templates/vaultkit/organization.md", "# {{ organization.name }}\n")  # no front-matter
    write("Templates/vaultkit/interview.md", "---\r\ncontact: {{ contact.link | yaml }}\r\n---\r\n")
    assert invoke(vault, "new", "contact", "Jane Doe", "--role", "PM").exit_code == 0
    assert invoke(vault, "new", "org", "Acme").exit_code == 0
    assert invoke(vault, "new", "interview", "Jane Doe", "--at", "2026-11-25 14:00").exit_code == 0
    jane = (vault / "People/Jane Doe.md").read_text()
    assert (
        jane.startswith("---\ntype: contact\nid: c-") and '\nrole: "PM"\n---\n# Jane Doe\n' in jane
    )
    assert _fields(vault, "Organizations/Acme.md")["type"] == "organization"
    interview = _fields(vault, "Interviews/2026-11-25 Jane Doe.md")  # a CRLF template
    assert interview["type"] == "interview" and interview["contact"] == "[[Jane Doe]]"


def test_a_template_that_names_its_type_is_left_as_written(vault: Path, write) -> None:  # type: ignore[no-untyped-def]
    write("Templates/vaultkit/contact.md", "---\ntype: person\nid: {{ id }}\n---\n")
    assert invoke(vault, "new", "contact", "Jane Doe").exit_code == 0
    text = (vault / "People/Jane Doe.md").read_text()
    assert text.count("type:") == 1 and "type: person\n" in text


def test_stubs_from_referrals_carry_type(vault: Path, write) -> None:  # type: ignore[no-untyped-def]
    write("People/Ann Lee.md", "---\nstatus: interviewed\n---\n")
    write(
        "Interviews/2026-11-02 Ann Lee.md",
        '---\ncontact: "[[Ann Lee]]"\ndate: 2026-11-02 10:00\nstatus: done\n'
        'referrals: ["[[Bo Chan]]"]\n---\n',
    )
    result = invoke(vault, "sync", "--as-of", "2026-11-20")
    assert result.exit_code == 0, result.output
    assert _fields(vault, "People/Bo Chan.md")["type"] == "contact"
