"""`vaultkit lamp`: the LAMP list ranked as the book does, who you know at each
organization and the next step, `lamp --edit`, and the dashboard's "Top targets"."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import WriteNote, invoke, invoke_json

AS_OF = ("--as-of", "2026-11-20")  # a Friday


def org(write: WriteNote, name: str, **keys: object) -> Path:
    lines = "".join(f"{key}: {value}\n" for key, value in keys.items())
    return write(f"Organizations/{name}.md", f"---\n{lines}---\n# {name}\n\nNotes.\n")


def person(write: WriteNote, name: str, organization: str, **keys: object) -> Path:
    lines = "".join(f"{key}: {value}\n" for key, value in keys.items())
    body = f'---\norganization: "[[{organization}]]"\n{lines}---\n# {name}\n'
    return write(f"People/{name}.md", body)


def lamp(vault: Path, *args: str) -> list[dict]:
    found = invoke_json(vault, "lamp", *AS_OF, *args)
    assert isinstance(found, list)
    return found


def test_ranked_by_motivation_then_posting_then_advocacy(vault: Path, write: WriteNote) -> None:
    org(write, "Unscored")
    org(write, "Low", motivation=2, posting=3, advocacy="yes")
    org(write, "High posting", motivation=5, posting=3)
    org(write, "High no advocate", motivation=5, posting=1, advocacy="no")
    org(write, "High advocate", motivation=5, posting=1, alumni=3)
    names = [row["name"] for row in lamp(vault)]
    assert names == ["High posting", "High advocate", "High no advocate", "Low", "Unscored"]
    rows = {row["name"]: row for row in lamp(vault)}
    assert rows["High advocate"]["advocacy"] is True
    assert rows["High advocate"]["advocacy_count"] == 3  # `alumni` read as advocacy
    assert rows["High no advocate"]["advocacy"] is False
    assert rows["Unscored"]["motivation"] is None
    assert [row["rank"] for row in lamp(vault)] == [1, 2, 3, 4, 5]


def test_advocacy_derived_from_alumni_and_referrers(vault: Path, write: WriteNote) -> None:
    org(write, "Alma", motivation=3)
    org(write, "Referrer Inc", motivation=3)
    org(write, "Nobody", motivation=3)
    person(write, "Ann Alum", "Alma", source="alumni directory")
    person(write, "Rex Ref", "Referrer Inc", source="LinkedIn")
    person(write, "Someone Else", "Nobody", source="LinkedIn", referred_by='"[[Rex Ref]]"')
    rows = {row["name"]: row for row in lamp(vault)}
    assert rows["Alma"]["advocacy"] is True and rows["Alma"]["advocacy_derived"] is True
    assert rows["Alma"]["advocates"] == ["Ann Alum"]
    assert rows["Referrer Inc"]["advocates"] == ["Rex Ref"]  # referred someone
    assert rows["Nobody"]["advocacy"] is None and rows["Nobody"]["advocates"] == []
    # derived advocacy breaks the tie, as a written one would
    assert [r["name"] for r in lamp(vault)][2] == "Nobody"


def test_written_advocacy_wins_over_the_contacts(vault: Path, write: WriteNote) -> None:
    org(write, "Alma", advocacy="no")
    person(write, "Ann Alum", "Alma", source="alumni")
    (row,) = lamp(vault)
    assert row["advocacy"] is False and row["advocacy_derived"] is False


@pytest.mark.parametrize(
    ("contacted_on", "kind", "text"),
    [
        (None, "reach-out", "Reach out to Ann"),
        ("2026-11-18", "wait", "Wait for Ann (contacted 2026-11-18, 2 of 3 business days)"),
        ("2026-11-17", "nudge", "No reply from Ann since 2026-11-17: reach out to Bob"),
        ("2026-11-11", "move-on", "No reply from Ann since 2026-11-11: follow up once"),
    ],
)
def test_next_step_follows_3b7(
    vault: Path, write: WriteNote, contacted_on: str | None, kind: str, text: str
) -> None:
    org(write, "Acme", motivation=4)
    person(write, "Ann", "Acme", **({"contacted_on": contacted_on} if contacted_on else {}))
    if contacted_on:
        person(write, "Bob", "Acme")
    (row,) = lamp(vault)
    assert row["next_step"]["kind"] == kind
    assert row["next_step"]["text"].startswith(text)
    assert row["next_step"]["contact"] == "Ann"


def test_next_step_without_a_contact_is_finding_one(vault: Path, write: WriteNote) -> None:
    org(write, "Acme", motivation=4)
    org(write, "Closed Co", motivation=3)
    person(write, "Gone", "Closed Co", status="closed")
    rows = {row["name"]: row for row in lamp(vault)}
    assert rows["Acme"]["next_step"]["kind"] == "find-contact"
    assert rows["Acme"]["known"] == []
    assert rows["Closed Co"]["next_step"]["kind"] == "find-contact"  # closed is nobody
    assert rows["Closed Co"]["known"] == [
        {"name": "Gone", "path": "People/Gone.md", "stage": "closed"}
    ]


def test_a_reply_stops_the_3b7_clock(vault: Path, write: WriteNote) -> None:
    org(write, "Acme", motivation=4)
    person(write, "Ann", "Acme", contacted_on="2026-11-02", replied_on="2026-11-03")
    (row,) = lamp(vault)
    assert row["next_step"]["kind"] == "in-progress"


def test_as_of_moves_the_3b7_state(vault: Path, write: WriteNote) -> None:
    org(write, "Acme", motivation=4)
    person(write, "Ann", "Acme", contacted_on="2026-11-18")
    early = invoke_json(vault, "lamp", "--as-of", "2026-11-19")
    late = invoke_json(vault, "lamp", "--as-of", "2026-11-30")
    assert early[0]["next_step"]["kind"] == "wait"  # type: ignore[index]
    assert late[0]["next_step"]["kind"] == "move-on"  # type: ignore[index]


def test_top_and_the_table(vault: Path, write: WriteNote) -> None:
    for n in range(12):
        org(write, f"Org {n:02}", motivation=1 + n % 5)
    assert len(lamp(vault)) == 12  # --json: all by default
    assert len(lamp(vault, "--top", "3")) == 3
    result = invoke(vault, "lamp", *AS_OF)
    assert result.exit_code == 0
    assert "top 10 of 12 organizations" in result.output
    assert "Find a contact at Org 04" in result.output  # motivation 5 comes first
    assert "Org 00" not in invoke(vault, "lamp", *AS_OF, "--top", "2").output


def test_edit_changes_only_the_lamp_keys(vault: Path, write: WriteNote) -> None:
    path = write(
        "Organizations/Acme.md",
        "---\r\nname: Acme  # the company\r\nmotivation: 2\r\n---\r\n# Acme\r\n\r\nBody.\r\n",
    )
    result = invoke(
        vault, "lamp", "--edit", "Acme", "--motivation", "4", "--posting", "3", "--advocacy", "yes"
    )
    assert result.exit_code == 0, result.output
    assert "motivation: 2 → 4" in result.output
    assert path.read_bytes() == (
        b"---\r\nname: Acme  # the company\r\nmotivation: 4\r\nposting: 3\r\n"
        b'advocacy: "yes"\r\n---\r\n# Acme\r\n\r\nBody.\r\n'
    )
    (row,) = lamp(vault)
    assert (row["motivation"], row["posting"], row["advocacy"]) == (4, 3, True)


def test_edit_keeps_an_alumni_key(vault: Path, write: WriteNote) -> None:
    path = org(write, "Acme", alumni="no")
    assert invoke(vault, "lamp", "--edit", "Acme", "--advocacy", "2").exit_code == 0
    assert "alumni: 2\n" in path.read_text() and "advocacy" not in path.read_text()


def test_edit_writes_a_count_as_a_number_over_a_quoted_yes(vault: Path, write: WriteNote) -> None:
    """A count replaces "yes" unquoted (Obsidian's base sorts it as a number);
    a score given again is said to be unchanged, not "2 → 2"."""
    path = write("Organizations/Acme.md", '---\nposting: 2\nadvocacy: "yes"  # Dana\n---\n')
    result = invoke(vault, "lamp", "--edit", "Acme", "--posting", "2", "--advocacy", "3")
    assert result.exit_code == 0, result.output
    assert "posting: 2 (unchanged)" in result.output and "advocacy: yes → 3" in result.output
    assert path.read_text() == "---\nposting: 2\nadvocacy: 3  # Dana\n---\n"
    assert invoke(vault, "lamp", "--edit", "Acme", "--advocacy", "no").exit_code == 0
    assert 'advocacy: "no"  # Dana' in path.read_text()


def test_edit_refusals(vault: Path, write: WriteNote) -> None:
    before = org(write, "Acme").read_bytes()
    person(write, "Ann", "Acme")
    cases = [
        (("--edit", "Acme", "--motivation", "6"), "--motivation"),
        (("--edit", "Acme", "--advocacy", "maybe"), "not yes, no or a count"),
        (("--edit", "Acme"), "needs --motivation"),
        (("--edit", "Ann", "--motivation", "3"), "Ann"),  # a contact, not an organization
        (("--motivation", "3"), "go with --edit"),
    ]
    for args, message in cases:
        result = invoke(vault, "lamp", *args)
        assert result.exit_code == 2, result.output
        assert message in result.output
        assert "Traceback" not in result.output
    assert (vault / "Organizations/Acme.md").read_bytes() == before


def test_sample_vault_list_and_dashboard(sample: Path) -> None:
    rows = invoke_json(sample, "lamp", *AS_OF)
    assert isinstance(rows, list)
    assert [r["name"] for r in rows[:2]] == ["Three Rivers Digital Service", "OpenBallot"]
    meridian = next(r for r in rows if r["name"] == "Meridian Policy Institute")
    assert meridian["advocacy_count"] == 2 and not meridian["advocacy_derived"]  # alumni: 2
    assert meridian["next_step"]["kind"] == "nudge"  # Ben Adler, 3 business days
    assert invoke(sample, "sync", *AS_OF).exit_code == 0
    dashboard = (sample / "vaultkit/Dashboard.md").read_text(encoding="utf-8")
    section = dashboard.split("## Top targets", 1)[1].split("\n## ", 1)[0]
    assert section.strip().startswith(
        "1. [[Organizations/Three Rivers Digital Service|Three Rivers Digital Service]]"
    )
    assert "No reply from Ben Adler since 2026-11-17" in section
    assert "… and 3 more (`vaultkit lamp`)" in section
