"""`list` and `show`: what users and scripts see, on real files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import SAMPLE_VAULT, invoke, invoke_json


@pytest.fixture
def career_vault(vault: Path, write) -> Path:  # type: ignore[no-untyped-def]
    write("Organizations/Acme Corp.md", "---\naliases: [Acme]\nindustry: Robotics\n---\n")
    write("People/Wei Chen.md", "---\naliases: [Prof. Chen]\nstatus: Keep in touch\n---\n")
    write(
        "People/Jane Doe.md",
        "---\n"
        "organization: [[Acme]]\n"  # unquoted: YAML reads a nested list
        'Referred By: "[[Prof. Chen]]"\n'
        "status: contacted\n"
        "warmth: warm\n"
        "phone: 0612345670\n"
        "email: jane@acme.example\n"
        "last_contact: 2026-11-18\n"
        "keep_in_touch: no\n"
        "---\n",
    )
    write(
        "People/Li Wei.md",
        "---\ncompany: Some Startup\nreferrer: ['[[Jane Doe]]', '[[Ghost Person]]']\n---\n",
    )
    write(
        "Interviews/2026-11-25 Jane Doe.md",
        '---\nperson: "[[Jane Doe]]"\ndate: 2026-11-25 14:00\nduration: 45\n'
        "format: video\nstatus: planned\n---\n",
    )
    write(
        "Interviews/2026-12-02 Li Wei.md",
        '---\ncontact: "[[Li Wei]]"\norganization: "[[Acme Corp]]"\n'
        "date: 2026-12-02T09:30-08:00\n---\n",
    )
    return vault


def test_list_contacts_json_shape(career_vault: Path) -> None:
    rows = invoke_json(career_vault, "list", "contacts")
    assert isinstance(rows, list)
    by_name = {row["name"]: row for row in rows}
    assert list(by_name) == ["Jane Doe", "Li Wei", "Wei Chen"]
    jane = by_name["Jane Doe"]
    assert {
        k: jane[k]
        for k in (
            "name",
            "path",
            "organization",
            "referred_by",
            "status",
            "warmth",
            "email",
            "phone",
            "last_contact",
        )
    } == {
        "name": "Jane Doe",
        "path": "People/Jane Doe.md",
        "organization": "Acme Corp",
        "referred_by": ["Wei Chen"],
        "status": "contacted",
        "warmth": "warm",
        "email": "jane@acme.example",
        "phone": "0612345670",
        "last_contact": "2026-11-18",
    }
    assert jane["keep_in_touch"] == "off"
    li = by_name["Li Wei"]
    assert li["organization"] == "Some Startup"
    assert li["referred_by"] == ["Jane Doe", "Ghost Person"]
    assert li["status"] is None and li["last_contact"] is None
    assert by_name["Wei Chen"]["status"] == "keep-in-touch"


def test_list_interviews_json_shape(career_vault: Path) -> None:
    rows = invoke_json(career_vault, "list", "interviews")
    assert [
        {
            k: r[k]
            for k in ("contact", "organization", "date", "duration", "format", "status", "path")
        }
        for r in rows
    ] == [
        {
            "contact": "Jane Doe",
            "organization": "Acme Corp",  # defaults to the contact's
            "date": "2026-11-25T14:00:00-05:00",
            "duration": 45,
            "format": "video",
            "status": "planned",
            "path": "Interviews/2026-11-25 Jane Doe.md",
        },
        {
            "contact": "Li Wei",
            "organization": "Acme Corp",
            "date": "2026-12-02T09:30:00-08:00",
            "duration": 30,
            "format": None,
            "status": None,
            "path": "Interviews/2026-12-02 Li Wei.md",
        },
    ]


def test_list_orgs_json(career_vault: Path) -> None:
    (row,) = invoke_json(career_vault, "list", "orgs")  # type: ignore[misc]
    assert row["name"] == "Acme Corp" and row["contacts"] == ["Jane Doe"]
    assert row["industry"] == "Robotics"


def test_filters(career_vault: Path) -> None:
    names = [r["name"] for r in invoke_json(career_vault, "list", "contacts", "--org", "acme")]
    assert names == ["Jane Doe"]
    names = [
        r["name"] for r in invoke_json(career_vault, "list", "contacts", "--org", "some startup")
    ]
    assert names == ["Li Wei"]
    # --status filters by stage: Jane's note says contacted, but her interview
    # is booked (scheduled), then held (interviewed).
    for as_of, wanted in (("2026-11-21", ["Wei Chen"]), ("2026-11-26", ["Wei Chen"])):
        statuses = invoke_json(
            career_vault,
            "list",
            "contacts",
            "--status",
            "keep-in-touch",
            "--status",
            "contacted",
            "--as-of",
            as_of,
        )
        assert [r["name"] for r in statuses] == wanted
    booked = [("Jane Doe", "contacted", "scheduled"), ("Li Wei", None, "scheduled")]
    for as_of, stage, wanted in (
        ("2026-11-21", "scheduled", booked),
        ("2026-11-26", "interviewed", [("Jane Doe", "contacted", "interviewed")]),
    ):
        rows = invoke_json(career_vault, "list", "contacts", "--status", stage, "--as-of", as_of)
        assert [(r["name"], r["status"], r["stage"]) for r in rows] == wanted
    rows = invoke_json(career_vault, "list", "interviews", "--contact", "li wei")
    assert [r["contact"] for r in rows] == ["Li Wei"]
    assert invoke_json(career_vault, "list", "interviews", "--status", "done") == []


def test_bad_filter_value_is_a_usage_error(career_vault: Path) -> None:
    result = invoke(career_vault, "list", "contacts", "--status", "maybe")
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_human_table_lists_everyone(career_vault: Path) -> None:
    result = invoke(career_vault, "list", "contacts")
    assert result.exit_code == 0
    for name in ("Jane Doe", "Li Wei", "Wei Chen", "Acme Corp"):
        assert name in result.output


def test_show_by_alias_with_referrals_and_interviews(career_vault: Path) -> None:
    card = invoke_json(career_vault, "show", "jane doe")
    assert isinstance(card, dict)
    assert card["referred_by"] == ["Wei Chen"]
    assert card["referred"] == ["Li Wei"]
    assert [i["date"] for i in card["interviews"]] == ["2026-11-25T14:00:00-05:00"]
    result = invoke(career_vault, "show", "Prof. Chen")
    assert result.exit_code == 0
    assert "Wei Chen" in result.output and "Jane Doe" in result.output


def test_show_unknown_name_is_one_line_exit_2(career_vault: Path) -> None:
    result = invoke(career_vault, "show", "Nobody Here")
    assert result.exit_code == 2
    assert (
        result.stderr.strip()
        == "vaultkit: no contact or organization named 'Nobody Here' in this vault"
    )


def test_no_vault_is_one_line_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke(None, "list", "contacts", env={"VAULTKIT_VAULT": ""})
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "no vault here" in result.stderr


def test_bad_config_is_one_line_exit_1(career_vault: Path) -> None:
    (career_vault / ".vaultkit.toml").write_text("timezone = 'Nowhere/Land'\n")
    result = invoke(career_vault, "list", "contacts")
    assert result.exit_code == 1
    assert result.stderr.startswith("vaultkit: .vaultkit.toml: timezone 'Nowhere/Land'")


def test_sample_vault_lists_every_contact_resolved() -> None:
    rows = invoke_json(SAMPLE_VAULT, "list", "contacts")
    assert isinstance(rows, list)
    contact_files = sorted(p.name for p in (SAMPLE_VAULT / "People").glob("*.md"))
    assert len(rows) == len(contact_files) >= 20
    organizations = {p.stem for p in (SAMPLE_VAULT / "Organizations").glob("*.md")}
    people = {row["name"] for row in rows}
    for row in rows:
        # every organization is a real organization note, except one deliberate plain text
        if row["organization"] not in organizations:
            # one deliberate plain-text organization; stubs that `sync` (the README's
            # first command) made for suggested people have none yet
            assert row["path"] == "People/Daniel Whitaker.md" or row["organization"] is None
        assert set(row["referred_by"]) <= people, row
    assert json.dumps(rows, ensure_ascii=False).count("0612345670") == 1
