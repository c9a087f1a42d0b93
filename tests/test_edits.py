"""`done` and `log`: the only commands that edit a user's note, byte for byte
everywhere but the lines they must change."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import WriteNote, invoke, invoke_json
from vaultkit.notes.frontmatter_edit import EditableNote, EditProblem
from vaultkit.notes.note import parse_note


def changed_lines(before: bytes, after: bytes) -> list[tuple[str, str]]:
    """Each line the edit added or rewrote, as (how, new line); unchanged lines
    and their bytes are what the tests promise to keep."""
    import difflib

    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    changes = []
    for tag, _i1, _i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new).get_opcodes():
        if tag != "equal":
            changes.extend((tag, line.decode()) for line in new[j1:j2])
    return changes


AWKWARD = codecs.BOM_UTF8 + (
    b"---\r\n"
    b"# a comment the user keeps\r\n"
    b"Name: 'Jane O''Neil'   # quoted, odd\r\n"
    b"tags: [career, 'ux research']\r\n"
    b"Referred-By:\r\n"
    b'  - "[[Prof. Chen]]"\r\n'
    b'status: "contacted"  # waiting\r\n'
    b"Replied On:\r\n"
    b"zz_custom: {a: 1, b: [2, 3]}\r\n"
    b"---\r\n"
    b"Body with a trailing space \r\n"
    b"## Log\r\n"
    b"\r\n"
    b"- 2026-11-01: met at the fair\r\n"
    b"\r\n"
    b"## Notes\r\n"
    b"no final newline"
)


def test_set_key_changes_one_line_and_keeps_everything_else() -> None:
    note = EditableNote.from_bytes(AWKWARD)
    note.set_key("replied_on", "2026-11-21")
    note.set_key("status", "scheduled")
    after = note.to_bytes()
    assert after.startswith(codecs.BOM_UTF8) and after.endswith(b"no final newline")
    assert changed_lines(AWKWARD, after) == [
        ("replace", 'status: "scheduled"  # waiting\r\n'),
        ("replace", "Replied On: 2026-11-21\r\n"),
    ]
    fields = parse_note("x.md", after).fields
    assert fields["replied_on"] == "2026-11-21" and fields["status"] == "scheduled"


def test_new_key_goes_at_the_end_of_the_block_with_the_files_line_ends() -> None:
    note = EditableNote.from_bytes(AWKWARD)
    note.set_key("last_contact", "2026-11-21")
    assert changed_lines(AWKWARD, note.to_bytes()) == [("insert", "last_contact: 2026-11-21\r\n")]


def test_log_goes_under_the_log_heading() -> None:
    note = EditableNote.from_bytes(AWKWARD)
    note.append_log("2026-11-21: coffee")
    assert changed_lines(AWKWARD, note.to_bytes()) == [("insert", "- 2026-11-21: coffee\r\n")]
    assert b"- 2026-11-01: met at the fair\r\n- 2026-11-21: coffee\r\n\r\n## Notes" in (
        note.to_bytes()
    )


def test_log_section_is_created_when_missing() -> None:
    note = EditableNote.from_bytes(b"---\nname: A\n---\nText without newline")
    note.append_log("2026-11-21: first")
    assert (
        note.to_bytes()
        == b"---\nname: A\n---\nText without newline\n\n## Log\n\n- 2026-11-21: first\n"
    )


def test_refusals() -> None:
    with pytest.raises(EditProblem, match="spans several lines"):
        EditableNote.from_bytes(AWKWARD).set_key("referred_by", "x")
    with pytest.raises(EditProblem, match="never closed"):
        EditableNote.from_bytes(b"---\nname: A\n").set_key("status", "x")
    with pytest.raises(EditProblem, match="fix it first"):
        EditableNote.from_bytes(b"---\nname: [A\n---\n").set_key("status", "x")
    with pytest.raises(EditProblem, match="not UTF-8"):
        EditableNote.from_bytes("---\nname: Jos\xe9\n---\n".encode("latin-1"))


_safe_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=20
)


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(_safe_text, min_size=1, max_size=5),
    quote=st.sampled_from(["", "'", '"']),
    crlf=st.booleans(),
)
def test_any_front_matter_only_the_edited_line_changes(
    values: list[str], quote: str, crlf: bool
) -> None:
    newline = "\r\n" if crlf else "\n"
    lines = ["---"]
    for number, value in enumerate(values):
        lines.append(f"key{number}: {json.dumps(value, ensure_ascii=False)}  # c{number}")
    lines.append(f"status: {quote}contacted{quote}")
    lines.append("---")
    lines.append("body")
    data = newline.join(lines).encode() + newline.encode()
    note = EditableNote.from_bytes(data)
    note.set_key("status", "closed")
    after = note.to_bytes()
    assert [tag for tag, _ in changed_lines(data, after)] == ["replace"]
    fields = parse_note("x.md", after).fields
    assert fields["status"] == "closed"
    assert [fields[f"key{n}"] for n in range(len(values))] == values


@pytest.fixture
def people(vault: Path, write) -> Path:  # type: ignore[no-untyped-def]
    write("People/Jane Doe.md", AWKWARD)
    write("People/Sam.md", "---\nstatus: keep-in-touch\nlast_contact: 2026-11-10\n---\n")
    write(
        "Interviews/2026-11-20 Jane Doe.md",
        '---\ncontact: "[[Jane Doe]]"\ndate: 2026-11-20 10:00\nstatus: done\n---\n'
        "- [ ] Send the deck 📅 2026-11-22\n- [ ] Send résumé 📅 2026-11-23\n",
    )
    write(
        "Interviews/2026-12-20 Jane Doe.md",
        '---\ncontact: "[[Jane Doe]]"\ndate: 2026-12-20 10:00\n---\n',
    )
    return vault


def test_done_thank_you_on_the_latest_held_interview(people: Path) -> None:
    result = invoke(people, "done", "thank-you", "jane doe", "--on", "2026-11-21")
    assert result.stdout == (
        "updated  Interviews/2026-11-20 Jane Doe.md\n  thank_you_sent: 2026-11-21\n"
    )
    found = invoke_json(people, "followups", "--as-of", "2026-11-21", "--all")
    thank = [r for r in found if r["kind"] == "thank-you" and "11-20" in r["path"]]  # type: ignore
    assert thank[0]["done"] is True
    again = invoke(people, "done", "thank-you", "jane doe", "--on", "2026-11-21")
    assert again.stdout == "unchanged  Interviews/2026-11-20 Jane Doe.md (already recorded)\n"


def test_done_reply_stops_the_nudges(people: Path) -> None:
    before = (people / "People/Jane Doe.md").read_bytes()
    result = invoke(people, "done", "reply", "Jane Doe", "--on", "2026-11-21")
    assert result.stdout.splitlines()[1:] == [
        "  replied_on: 2026-11-21",
        # Her interview of 2026-11-20 was held: the status follows the facts
        # (interviewed), not a "scheduled" that check would call lagging.
        "  status: contacted → interviewed",
    ]
    after = (people / "People/Jane Doe.md").read_bytes()
    assert len(changed_lines(before, after)) == 2


def test_done_task(people: Path) -> None:
    ambiguous = invoke(people, "done", "task", "send")
    assert ambiguous.exit_code == 2 and "2 open tasks match 'send'" in ambiguous.stderr
    assert invoke(people, "done", "task", "nothing like it").exit_code == 2
    result = invoke(people, "done", "task", "deck", "--on", "2026-11-21")
    assert result.exit_code == 0
    text = (people / "Interviews/2026-11-20 Jane Doe.md").read_text()
    assert "- [x] Send the deck 📅 2026-11-22 ✅ 2026-11-21\n- [ ] Send résumé" in text


def test_log_moves_last_contact_forward_only(people: Path) -> None:
    invoke(people, "log", "Sam", "Coffee, talked about UX", "--on", "2026-11-21")
    text = (people / "People/Sam.md").read_text()
    assert "last_contact: 2026-11-21\n" in text
    assert text.endswith("\n## Log\n\n- 2026-11-21: Coffee, talked about UX\n")
    invoke(people, "log", "Sam", "Old call", "--on", "2026-10-01")
    text = (people / "People/Sam.md").read_text()
    assert "last_contact: 2026-11-21\n" in text and text.endswith("- 2026-10-01: Old call\n")
    due = [
        r["due"]
        for r in invoke_json(people, "followups", "--as-of", "2026-11-21")  # type: ignore
        if r["kind"] == "keep-in-touch" and r["contact"] == "Sam"
    ]
    assert due == ["2027-02-19"]  # 90 days after the logged coffee


def test_a_note_changed_meanwhile_is_not_overwritten(
    people: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vaultkit.notes import frontmatter_edit

    path = people / "People/Sam.md"
    real = frontmatter_edit.EditableNote.set_key

    def racing_set_key(self, key, value):  # type: ignore[no-untyped-def]
        path.write_text("---\nstatus: closed\n---\nThe user saved this meanwhile.\n")
        return real(self, key, value)

    monkeypatch.setattr(frontmatter_edit.EditableNote, "set_key", racing_set_key)
    result = invoke(people, "done", "reply", "Sam")
    assert result.exit_code == 1
    assert "changed while vaultkit was working on it" in result.stderr
    assert path.read_text() == "---\nstatus: closed\n---\nThe user saved this meanwhile.\n"


def test_refused_edit_is_one_line_and_changes_nothing(vault: Path, write) -> None:  # type: ignore[no-untyped-def]
    path = write("People/Multi.md", "---\nreplied_on:\n  - 2026-11-01\n---\n")
    result = invoke(vault, "done", "reply", "Multi", "--on", "2026-11-21")
    assert result.exit_code == 1
    assert result.stderr == (
        "vaultkit: People/Multi.md: replied_on: its value spans several "
        "lines; edit it by hand; nothing was changed\n"
    )
    assert path.read_text() == "---\nreplied_on:\n  - 2026-11-01\n---\n"


def test_done_reply_before_any_interview_means_scheduled(vault: Path, write: WriteNote) -> None:
    write("People/Li Wei.md", "---\nstatus: contacted\ncontacted_on: 2026-11-18\n---\n")
    result = invoke(vault, "done", "reply", "Li Wei", "--on", "2026-11-20")
    assert result.stdout.splitlines()[1:] == [
        "  replied_on: 2026-11-20",
        "  status: contacted → scheduled",
    ]


def test_an_edit_refuses_a_name_two_notes_answer_to(vault: Path, write: WriteNote) -> None:
    here = write("People/Sam Lee.md", "---\nrole: Analyst\n---\n")
    archived = write("People/Archive/Sam Lee.md", "---\ntype: contact\nrole: Former\n---\n")
    write("Notes/Sam Lee.md", "An ordinary note of the same name is no rival.\n")
    before = (here.read_bytes(), archived.read_bytes())
    refused = invoke(vault, "set", "Sam Lee", "phone", "555")
    assert refused.exit_code == 2
    assert refused.stderr.startswith("vaultkit: 'Sam Lee' is People/")
    assert "and also People/" in refused.stderr and "name the note by its path" in refused.stderr
    assert "People/Archive/Sam Lee.md" in refused.stderr and "Notes/" not in refused.stderr
    assert (here.read_bytes(), archived.read_bytes()) == before
    chosen = invoke(vault, "set", "People/Archive/Sam Lee", "phone", "555")
    assert chosen.exit_code == 0, chosen.output
    assert b'phone: "555"' in archived.read_bytes() and here.read_bytes() == before[0]


def test_set_refuses_a_key_yaml_would_mangle(vault: Path, write: WriteNote) -> None:
    note = write("People/Ann Park.md", "---\nrole: Designer\n---\n")
    result = invoke(vault, "set", "Ann Park", "bad key!", "x")
    assert result.exit_code == 2 and "'bad key!' is not a key" in result.stderr
    assert note.read_text() == "---\nrole: Designer\n---\n"


def test_done_task_says_what_it_wrote_for_a_dataview_task(vault: Path, write: WriteNote) -> None:
    note = write(
        "People/Ann Park.md", "---\nrole: x\n---\n- [ ] Send the deck [due:: 2026-11-27]\n"
    )
    result = invoke(vault, "done", "task", "Send the deck", "--on", "2026-11-26")
    assert result.exit_code == 0, result.output
    assert "[completion:: 2026-11-26]" in result.stdout and "✅" not in result.stdout
    assert note.read_text().endswith(
        "- [x] Send the deck [due:: 2026-11-27] [completion:: 2026-11-26]\n"
    )
