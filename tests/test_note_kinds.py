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


def test_check_hints_at_notes_that_look_like_a_kind_but_are_not_read_as_one(  # type: ignore[no-untyped-def]
    vault: Path, write
) -> None:
    write("People/Ann Lee.md", "---\nstatus: interviewed\n---\n")
    write("Archive/Sam Lee.md", "---\nemail: sam@x.example\nReferred By: '[[Ann Lee]]'\n---\n")
    write("Archive/Bo Chan.md", "---\norg: Acme\nrole: PM\n---\n")
    write("Archive/2026-11-02 Ann Lee.md", "---\ncontact: '[[Ann Lee]]'\ndate: 2026-11-02\n---\n")
    write("Archive/Acme.md", "---\nindustry: Robotics\nwebsite: https://acme.example\n---\n")
    # not hinted: typed, a meeting with someone who is not a contact, a plain note
    write("Archive/Kept.md", "---\ntype: contact\nemail: kept@x.example\n---\n")
    write("Meetings/Standup.md", "---\npeople: '[[Bob]]'\ndate: 2026-11-02\n---\n")
    write("Daily/2026-11-02.md", "---\ntags: [daily]\n---\n- [ ] call the plumber\n")
    write("Archive/Own type.md", "---\ntype: archived\nemail: old@x.example\n---\n")
    rows = invoke_json(vault, "check")
    hints = {(r["path"], r["code"], r["line"]) for r in rows if r["code"].startswith("looks-like")}  # type: ignore[index,union-attr]
    assert hints == {
        ("Archive/Sam Lee.md", "looks-like-contact", 2),
        ("Archive/Bo Chan.md", "looks-like-contact", 2),
        ("Archive/2026-11-02 Ann Lee.md", "looks-like-interview", 2),
        ("Archive/Acme.md", "looks-like-organization", 2),
    }
    text = invoke(vault, "check").stdout
    assert (
        "Archive/Sam Lee.md:2: warning: looks like a contact note (email, Referred By) but has "
        "no type: and is outside People/, so it is read as an ordinary note; add `type: contact`"
    ) in text
    assert invoke(vault, "check").exit_code == 0  # a hint, not an error
    assert "Kept" in [c["name"] for c in invoke_json(vault, "list", "contacts")]  # type: ignore[index]
