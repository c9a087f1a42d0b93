"""Bugs found by review and by trying vaultkit as a new user, each pinned by a test."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import invoke, invoke_json


def test_self_referencing_alias_is_one_diagnostic_and_the_rest_is_listed(
    vault: Path,
    write,  # type: ignore[no-untyped-def]
) -> None:
    write("People/Rec.md", "---\nreferred_by: &a [*a]\n---\n")
    write("People/Ok.md", "---\nstatus: contacted\n---\n")
    result = invoke(vault, "check")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "People/Rec.md:2: error: front-matter contains itself (a YAML alias inside its own anchor)"
    ]
    assert [r["name"] for r in invoke_json(vault, "list", "contacts")] == ["Ok", "Rec"]


def test_values_that_look_like_rich_markup_are_shown_as_written(
    vault: Path,
    write,  # type: ignore[no-untyped-def]
) -> None:
    write("People/M.md", '---\nrole: "R&D [/] ops"\nsource: "Engineer [contract]"\n---\n')
    for args in (("list", "contacts"), ("show", "M")):
        result = invoke(vault, *args)
        assert result.exit_code == 0, result.output
    assert "R&D [/] ops" in result.output and "Engineer [contract]" in result.output


def test_unknown_type_in_a_people_folder_is_warned(vault: Path, write) -> None:  # type: ignore[no-untyped-def]
    write("People/X.md", "---\ntype: person-note\n---\n")
    result = invoke(vault, "check")
    assert result.stdout.startswith(
        "People/X.md:2: warning: type: 'person-note' is not contact, organization or interview"
    )


def test_dst_problems_reach_check(vault: Path, write) -> None:  # type: ignore[no-untyped-def]
    write("People/A.md", "")
    write("Interviews/gap.md", '---\ncontact: "[[A]]"\ndate: 2026-03-08 02:30\n---\n')
    write("Interviews/twice.md", '---\ncontact: "[[A]]"\ndate: 2026-11-01 01:30\n---\n')
    lines = invoke(vault, "check").stdout.splitlines()
    # a wall time the clocks skip or pass twice is a warning naming the zone's two offsets
    assert lines[0].startswith(
        "Interviews/gap.md:3: warning: date: 2026-03-08 02:30 does not exist in America/New_York"
    )
    assert "(2026-03-08 02:30-05:00)" in lines[0]
    assert lines[1].startswith(
        "Interviews/twice.md:3: warning: date: 2026-11-01 01:30 happens twice in America/New_York"
    )
    assert lines[1].endswith("2026-11-01 01:30-04:00 or 2026-11-01 01:30-05:00")


def test_ambiguous_body_link_is_reported_once_per_note(vault: Path, write) -> None:  # type: ignore[no-untyped-def]
    write("People/Twin.md", "")
    write("Old/Twin.md", "")
    write("Notes/Many.md", "[[Twin]]\n" * 50 + "[[People/Twin]]\n")
    lines = invoke(vault, "check").stdout.splitlines()
    assert lines == [
        "Notes/Many.md:1: warning: [[Twin]] could mean 2 notes; using Old/Twin.md "
        "(also People/Twin.md); write the folder to choose"
    ]


def test_names_on_the_command_line(vault: Path, write) -> None:  # type: ignore[no-untyped-def]
    write("People/Zoë Chen.md", '---\norganization: "[[Acme]]"\n---\n')
    write("Organizations/Acme.md", "")
    assert invoke_json(vault, "show", "[[Zoë Chen]]")["name"] == "Zoë Chen"  # type: ignore[index]
    write("Interviews/2026-11-25 Zoë.md", '---\ncontact: "[[Zoë Chen]]"\n---\n')
    assert invoke_json(vault, "show", "Acme")["people"][0]["name"] == "Zoë Chen"  # type: ignore[index]
    result = invoke(vault, "show", "2026-11-25 Zoë")
    assert result.exit_code == 2
    assert result.stderr == (
        "vaultkit: '2026-11-25 Zoë' is a note of kind interview (Interviews/2026-11-25 Zoë.md), "
        "not a contact or organization\n"
    )
    assert [r["name"] for r in invoke_json(vault, "list", "contacts", "--org", "[[acme]]")] == [
        "Zoë Chen"
    ]
    typo = invoke(vault, "list", "contacts", "--org", "Acne")
    assert typo.exit_code == 2
    assert typo.stderr == "vaultkit: no organization named 'Acne' in this vault\n"


def test_vault_found_by_walking_up_to_the_config_or_from_the_environment(
    vault: Path,
    write,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    write("People/Deep/Jane.md", "")
    monkeypatch.chdir(vault / "People" / "Deep")
    assert [r["name"] for r in invoke_json_no_vault()] == ["Jane"]
    monkeypatch.chdir(vault.parent)
    result = invoke(None, "list", "contacts", "--json", env={"VAULTKIT_VAULT": str(vault)})
    assert [r["name"] for r in json.loads(result.stdout)] == ["Jane"]


def invoke_json_no_vault() -> list[dict[str, object]]:
    result = invoke(None, "list", "contacts", "--json", env={"VAULTKIT_VAULT": ""})
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_init_uses_the_folders_an_existing_config_names(tmp_path: Path) -> None:
    (tmp_path / ".vaultkit.toml").write_text('[folders]\npeople = "Contacts"\n')
    result = invoke(None, "init", str(tmp_path))
    assert result.exit_code == 0
    assert (tmp_path / "Contacts").is_dir() and not (tmp_path / "People").exists()


def test_init_refuses_a_file_where_a_folder_goes(tmp_path: Path) -> None:
    (tmp_path / "People").write_text("not a folder")
    result = invoke(None, "init", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr == "vaultkit: People exists but is a file, not a folder; rename it first\n"
    assert (tmp_path / "People").read_text() == "not a folder"


def test_a_file_name_with_a_newline_stays_one_diagnostic_line(vault: Path, write) -> None:  # type: ignore[no-untyped-def]
    if os.name == "nt":
        pytest.skip("Windows file names cannot hold a newline")
    write("People/Bad\nName.md", "---\nlast_contact: soon\n---\n")
    lines = invoke(vault, "check").stdout.splitlines()
    assert lines == [
        "People/Bad\\x0aName.md: warning: the file name holds a character a wikilink "
        "cannot (a line break, [ ] | # or ^); links to it break, rename it",
        "People/Bad\\x0aName.md:2: error: last_contact: 'soon' is not a date; "
        "write it as YYYY-MM-DD",
    ]


def test_a_task_with_an_impossible_date_is_reported(vault: Path, write) -> None:  # type: ignore[no-untyped-def]
    write("Daily/2026-11-20.md", "text\n- [ ] Pay the fee 📅 2026-02-30\n")
    result = invoke(vault, "check")
    assert result.exit_code == 1
    assert result.stdout == (
        "Daily/2026-11-20.md:2: error: task 'Pay the fee': 2026-02-30 is not a real date\n"
    )


def test_exclusive_writes_work_without_hard_links(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """FAT/exFAT drives and some cloud folders refuse os.link."""
    import errno

    from vaultkit.atomic import write_atomic

    def no_links(source: str, target: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    target = tmp_path / "note.md"
    write_atomic(target, "first", exclusive=True)
    assert target.read_text() == "first"
    with pytest.raises(FileExistsError):
        write_atomic(target, "second", exclusive=True)
    assert target.read_text() == "first"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["note.md"]
