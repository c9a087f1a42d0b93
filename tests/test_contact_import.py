"""Importing people: who is recognised, what is created, and the promise that
nothing a user wrote is overwritten (the file readers are tested on their own)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import WriteNote
from vaultkit.address_book.person import Person
from vaultkit.domain.career import CareerVault
from vaultkit.notes.note import parse_note
from vaultkit.outputs.contact_import import apply_import, plan_import
from vaultkit.vault.index import VaultIndex

NOW = dt.datetime(2026, 11, 21, 9, 0, tzinfo=ZoneInfo("America/New_York"))

JANE = """---
type: contact
name: Jane Doe
aliases: [Janie]
organization: "[[Acme Corp]]"
email: Jane.Doe@Example.com  # work
linkedin: https://www.linkedin.com/in/jane-doe
role:
status: contacted
---
# Jane Doe

My own words.
"""


def career(root: Path) -> CareerVault:
    return CareerVault(VaultIndex.load(root))


def person(name: str, **values: object) -> Person:
    return Person(name=name, source="LinkedIn", where="Connections.csv line 5", **values)  # type: ignore[arg-type]


@pytest.fixture
def jane(vault: Path, write: WriteNote) -> Path:
    write("Organizations/Acme Corp.md", "---\ntype: organization\n---\n")
    write("Organizations/Apple.md", "---\ntype: organization\n---\n")
    return write("People/Jane Doe.md", JANE)


@pytest.mark.parametrize(
    ("imported", "rule"),
    [
        (person("J. Doe", linkedin="http://LinkedIn.com/in/Jane-Doe/?trk=abc"), "linkedin"),
        (person("J. Doe", emails=("other@x.example", "JANE.DOE@example.COM")), "email"),
        (person("JANE   doe"), "name"),
        (person("Janie"), "alias"),
    ],
)
def test_a_person_already_there_gets_no_second_note(
    vault: Path, jane: Path, imported: Person, rule: str
) -> None:
    plan = plan_import(career(vault), [imported], now=NOW)
    assert plan.created == []
    assert [(e.known.path, e.matched_by) for e in plan.existing] == [("People/Jane Doe.md", rule)]


def test_a_new_person_becomes_a_contact_note_linked_to_their_organization(
    vault: Path, jane: Path
) -> None:
    imported = person(
        "Sam Lee",
        linkedin="https://www.linkedin.com/in/sam-lee",
        emails=("sam@acme.example",),
        phones=("+1 555 0100",),
        organization="acme corp",
        role="Data Scientist",
        connected_on=dt.date(2024, 3, 15),
    )
    plan = plan_import(career(vault), [imported], now=NOW)
    apply_import(vault, plan)
    note = parse_note("People/Sam Lee.md", (vault / "People/Sam Lee.md").read_bytes())
    fields = note.fields
    assert fields["type"] == "contact" and fields["source"] == "LinkedIn"
    assert fields["organization"] == "[[Acme Corp]]"
    assert fields["email"] == "sam@acme.example" and fields["phone"] == "+1 555 0100"
    assert fields["role"] == "Data Scientist" and fields["status"] == "to-contact"
    assert fields["connected_on"] == "2024-03-15"
    assert str(fields["id"]).startswith("c-")


def test_an_employer_without_a_note_stays_plain_text_unless_orgs_is_given(
    vault: Path, jane: Path
) -> None:
    people = [
        person("Sam Lee", organization="Harbor & Pine, Inc."),
        person("Ana Ruiz", organization="Harbor & Pine, Inc."),
    ]
    plan = plan_import(career(vault), people, now=NOW)
    apply_import(vault, plan)
    assert (
        parse_note("x.md", (vault / "People/Sam Lee.md").read_bytes()).fields["organization"]
        == "Harbor & Pine, Inc."
    )
    assert not (vault / "Organizations/Harbor & Pine, Inc.md").exists()

    people = [
        person("Bo Chan", organization="Tidewater"),
        person("Cy Dunn", organization="TIDEWATER"),
    ]
    plan = plan_import(career(vault), people, now=NOW, orgs=True)
    apply_import(vault, plan)
    assert [n.path for n in plan.organizations] == ["Organizations/Tidewater.md"]
    for name in ("Bo Chan", "Cy Dunn"):
        fields = parse_note("x.md", (vault / f"People/{name}.md").read_bytes()).fields
        assert fields["organization"] == "[[Tidewater]]"
    org = parse_note("x.md", (vault / "Organizations/Tidewater.md").read_bytes())
    assert org.fields["type"] == "organization"


def test_importing_the_same_people_again_creates_and_changes_nothing(
    vault: Path, jane: Path
) -> None:
    people = [
        person("Sam Lee", linkedin="https://linkedin.com/in/sam-lee"),
        person("Ana Ruiz", emails=("ana@x.example",)),
        person("Sam Lee", linkedin="https://linkedin.com/in/sam-lee"),  # twice in one file
    ]
    first = plan_import(career(vault), people, now=NOW)
    assert [c.note.path for c in first.created] == ["People/Sam Lee.md", "People/Ana Ruiz.md"]
    assert [(e.known.path, e.matched_by) for e in first.existing] == [
        ("People/Sam Lee.md", "linkedin")
    ]
    apply_import(vault, first)
    before = {p: p.read_bytes() for p in vault.rglob("*.md")}
    again = plan_import(career(vault), people, now=NOW, update=True)
    result = apply_import(vault, again)
    assert again.created == [] and len(again.existing) == 3
    assert result.written == [] and all(not r.changes for r in result.updated)
    assert {p: p.read_bytes() for p in vault.rglob("*.md")} == before


def test_update_fills_only_empty_or_missing_keys_byte_for_byte(vault: Path, jane: Path) -> None:
    imported = person(
        "Jane Doe",
        emails=("new@else.example",),  # she has an e-mail already: kept
        role="Head of Research",  # `role:` is empty: filled
        phones=("+44 20 7946 0000",),  # absent: added
        organization="Someone Else Inc",  # hers is set: kept
        connected_on=dt.date(2023, 1, 2),
    )
    plan = plan_import(career(vault), [imported], now=NOW, update=True)
    assert [key for key, _ in plan.existing[0].fills] == ["role", "phone", "connected_on"]
    result = apply_import(vault, plan)
    assert result.refused == []
    after = jane.read_text(encoding="utf-8")
    assert after == JANE.replace("role:\n", "role: Head of Research\n").replace(
        "status: contacted\n",
        "status: contacted\nphone: +44 20 7946 0000\nconnected_on: 2023-01-02\n",
    )


def test_update_refuses_a_note_saved_after_it_was_read(vault: Path, jane: Path) -> None:
    plan = plan_import(career(vault), [person("Jane Doe", role="CTO")], now=NOW, update=True)
    edited = JANE.replace("My own words.", "My own words, saved in the editor meanwhile.")
    jane.write_text(edited, encoding="utf-8")
    os.utime(jane, ns=(1, 1_700_000_000_000_000_000))
    result = apply_import(vault, plan)
    assert len(result.refused) == 1 and "changed while vaultkit" in result.refused[0]
    assert jane.read_text(encoding="utf-8") == edited


def test_a_file_that_appears_before_the_write_is_left_alone(vault: Path, jane: Path) -> None:
    plan = plan_import(career(vault), [person("Sam Lee")], now=NOW)
    (vault / "People/Sam Lee.md").write_text("mine\n", encoding="utf-8")
    result = apply_import(vault, plan)
    assert result.written == [] and "appeared meanwhile" in result.refused[0]
    assert (vault / "People/Sam Lee.md").read_text(encoding="utf-8") == "mine\n"
    assert not list((vault / "People").glob(".*vaultkit-tmp"))


def test_two_people_of_one_name_are_never_merged(vault: Path, jane: Path) -> None:
    namesake = person("Jane Doe", linkedin="https://www.linkedin.com/in/jane-doe-42")
    plan = plan_import(career(vault), [namesake], now=NOW)
    assert plan.created == [] and plan.existing == []
    assert "another LinkedIn profile" in plan.skipped[0].reason


def test_a_name_another_kind_of_note_answers_to_is_skipped(vault: Path, jane: Path) -> None:
    plan = plan_import(career(vault), [person("Apple"), person(""), person("Bo Chan")], now=NOW)
    assert [(s.person.name, s.reason) for s in plan.skipped] == [
        ("Apple", "'Apple' already names Organizations/Apple.md (an organization note)"),
        ("", "no name"),
    ]
    assert [c.note.path for c in plan.created] == ["People/Bo Chan.md"]


def test_a_near_namesake_is_only_mentioned(vault: Path, jane: Path) -> None:
    plan = plan_import(career(vault), [person("Jane Does"), person("Zed Quux")], now=NOW)
    assert [c.note.path for c in plan.created] == ["People/Jane Does.md", "People/Zed Quux.md"]
    assert [k.path for k in plan.created[0].maybe] == ["People/Jane Doe.md"]
    assert plan.created[1].maybe == []


@pytest.mark.parametrize(
    "name",
    ["AC/DC Fan", "..", "x]]y|z", "CON", "Dr. Who?", "Zoë  Ünal", "=Robert"],
)
def test_hostile_names_stay_inside_the_people_folder(vault: Path, jane: Path, name: str) -> None:
    plan = plan_import(career(vault), [person(name)], now=NOW)
    apply_import(vault, plan)
    for created in plan.created:
        target = (vault / created.note.path).resolve()
        assert target.parent == (vault / "People").resolve()
        note = parse_note(created.note.path, target.read_bytes())
        assert note.diagnostics == [] and note.fields["name"] == created.person.name
    for skipped in plan.skipped:
        assert skipped.reason
    assert len(plan.created) + len(plan.skipped) == 1


@pytest.mark.parametrize(
    ("imported", "why"),
    [
        (person("Zed Newguy", emails=("jane.doe@example.com",)), "under another name"),
        (
            person(
                "Jane Doe",
                emails=("jane.doe@example.com",),
                linkedin="https://linkedin.com/in/someone-else",
            ),
            "another LinkedIn profile",
        ),
    ],
)
def test_a_shared_address_alone_does_not_make_two_people_one(
    vault: Path, jane: Path, imported: Person, why: str
) -> None:
    before = jane.read_bytes()
    plan = plan_import(career(vault), [imported], now=NOW, update=True)
    assert plan.existing == [] and plan.created == []
    assert why in plan.skipped[0].reason and "not merged" in plan.skipped[0].reason
    apply_import(vault, plan)
    assert jane.read_bytes() == before


def test_a_name_two_notes_answer_to_is_not_guessed(
    vault: Path, jane: Path, write: WriteNote
) -> None:
    write("People/Old/Jane Doe.md", "---\ntype: contact\n---\n")
    plan = plan_import(career(vault), [person("Jane Doe")], now=NOW, update=True)
    assert plan.existing == [] and "could be People/Jane Doe.md and" in plan.skipped[0].reason


@pytest.mark.parametrize(
    "url",
    [
        "https://uk.linkedin.com/in/jane-doe",
        "https://m.linkedin.com/in/Jane-Doe/",
        "https://www.linkedin.com/in/jane-doe/details/experience/",
        "https://www.linkedin.com/in/jane%2Ddoe",
    ],
)
def test_every_address_of_a_linkedin_profile_is_that_profile(
    vault: Path, jane: Path, url: str
) -> None:
    plan = plan_import(career(vault), [person("J. D.", linkedin=url)], now=NOW)
    assert [(e.known.path, e.matched_by) for e in plan.existing] == [
        ("People/Jane Doe.md", "linkedin")
    ]


def test_two_rows_for_one_note_fill_it_once(vault: Path, jane: Path) -> None:
    rows = [person("Jane Doe", phones=("+1 555 0100",)), person("Janie", phones=("+1 555 0199",))]
    plan = plan_import(career(vault), rows, now=NOW, update=True)
    assert [len(e.fills) for e in plan.existing] == [1, 0]
    result = apply_import(vault, plan)
    assert result.refused == [] and "phone: +1 555 0100" in jane.read_text(encoding="utf-8")


def test_a_note_that_cannot_be_edited_is_said_so_before_the_run(
    vault: Path, jane: Path, write: WriteNote
) -> None:
    write("People/Finn Block.md", "---\ntype: contact\nemail:\n  -\n  -\n---\n")
    imported = person("Finn Block", emails=("finn@block.example",))
    plan = plan_import(career(vault), [imported], now=NOW, update=True)
    assert plan.existing[0].fills == [] and "several lines" in plan.existing[0].problem


def test_your_own_template_keeps_every_imported_value(
    vault: Path, jane: Path, write: WriteNote
) -> None:
    write(
        "Templates/vaultkit/contact.md",
        "---\ntype: contact\nname: {{ contact.name | yaml }}\n---\n# {{ contact.name }}\n",
    )
    imported = person(
        "Amara Eze",
        emails=("amara@civic.example",),
        linkedin="https://www.linkedin.com/in/amara-eze",
        organization="Acme Corp",
        role="Director",
    )
    apply_import(vault, plan_import(career(vault), [imported], now=NOW))
    fields = parse_note("x.md", (vault / "People/Amara Eze.md").read_bytes()).fields
    assert fields["email"] == "amara@civic.example" and fields["role"] == "Director"
    assert fields["organization"] == "[[Acme Corp]]" and fields["source"] == "LinkedIn"
    assert fields["linkedin"] == "https://www.linkedin.com/in/amara-eze"
