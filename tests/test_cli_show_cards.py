"""`show`: the card of a contact or an organization, as a user reads it and as
a script gets it, with "now" frozen by --as-of."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import invoke, invoke_json


@pytest.fixture
def search(vault: Path, write) -> Path:  # type: ignore[no-untyped-def]
    write(
        "Organizations/Acme Corp.md",
        "---\naliases: [Acme]\nindustry: Robotics\nwebsite: https://acme.example\n"
        "location: Pittsburgh, PA\nsize: 51-200\nmotivation: 4\nposting: 2\nalumni: yes\n---\n"
        "- [ ] Read Acme's annual report 📅 2026-11-30\n",
    )
    write("People/Wei Chen.md", "---\naliases: [Prof. Chen]\nstatus: interviewed\n---\n")
    write(
        "People/Jane Doe.md",
        '---\naliases: [JD, Janie]\norganization: "[[Acme]]"\nrole: UX researcher\n'
        'referred_by: "[[Prof. Chen]]"\nstatus: contacted\ncontacted_on: 2026-11-16\n---\n'
        "# Jane Doe\n\n- [ ] Send Jane my portfolio 📅 2026-11-24\n",
    )
    write("People/Li Wei.md", "---\ncompany: Acme Corp\nstatus: to-contact\n---\n")  # plain text
    write("People/Bo Chan.md", '---\norganization: "[[Other Co]]"\n---\n')
    write(
        "Interviews/2026-11-25 Wei Chen.md",
        '---\ncontact: "[[Wei Chen]]"\norganization: "[[Acme Corp]]"\n'
        "date: 2026-11-25 14:00\nstatus: planned\n---\n",
    )
    return vault


def test_show_an_organization_who_you_know_interviews_and_lamp(search: Path) -> None:
    card = invoke_json(search, "show", "acme", "--as-of", "2026-11-20")
    assert isinstance(card, dict)
    assert card["kind"] == "organization" and card["name"] == "Acme Corp"
    assert (card["motivation"], card["posting"], card["advocacy"]) == (4, 2, "yes")
    assert card["industry"] == "Robotics" and card["size"] == "51-200"
    people = {p["name"]: p["status"] for p in card["people"]}
    assert people == {"Jane Doe": "contacted", "Li Wei": "to-contact"}  # Bo Chan is elsewhere
    assert [i["contact"] for i in card["interviews"]] == ["Wei Chen"]
    assert [f["title"] for f in card["followups"]] == ["Read Acme's annual report"]
    text = invoke(search, "show", "Acme Corp", "--as-of", "2026-11-20").stdout
    for shown in ("Robotics", "https://acme.example", "Pittsburgh, PA", "51-200", "4/5", "2/3"):
        assert shown in text
    assert "Who you know there (2)" in text and "contacted" in text and "to-contact" in text
    assert "2026-11-25 14:00" in text and "Bo Chan" not in text


def test_show_an_organization_without_lamp_keys_leaves_them_out(vault: Path, write) -> None:  # type: ignore[no-untyped-def]
    write("Organizations/Beta.md", "---\nindustry: Media\nmotivation: 9\n---\n")
    text = invoke(vault, "show", "Beta").stdout
    assert "Motivation" not in text and "Posting" not in text and "Advocacy" not in text
    assert "is not a score from 1 to 5" in text  # the bad value is said, not hidden
    assert "You know no one there yet." in text


def test_show_a_contact_says_what_you_owe_them_next(search: Path) -> None:
    card = invoke_json(search, "show", "Jane Doe", "--as-of", "2026-11-20")
    assert isinstance(card, dict)
    owed = [(f["kind"], f["due"], f["overdue"]) for f in card["followups"]]
    # contacted Mon 16th: nudge on Thu 19th (overdue on the 20th), the task on
    # the 24th, move-on after 7 business days on the 25th
    assert owed == [
        ("nudge", "2026-11-19", True),
        ("task", "2026-11-24", False),
        ("move-on", "2026-11-25", False),
    ]
    assert card["aliases"] == ["JD", "Janie"]
    text = invoke(search, "show", "Jane Doe", "--as-of", "2026-11-20").stdout
    assert "What you owe them next (3)" in text and "JD, Janie" in text
    lines = text.splitlines()
    nudge = next(line for line in lines if "nudge" in line)
    task = next(line for line in lines if "portfolio" in line)
    assert "overdue" in nudge and "overdue" not in task
    assert lines.index(nudge) < lines.index(task)
    earlier = invoke_json(search, "show", "Jane Doe", "--as-of", "2026-11-18")
    assert not any(f["overdue"] for f in earlier["followups"])  # type: ignore[index]


def test_show_a_contact_lists_their_log(search: Path) -> None:
    for day, text in (("2026-11-18", "Coffee; she suggested Li"), ("2026-11-19", "Sent notes")):
        assert invoke(search, "log", "Jane Doe", text, "--on", day).exit_code == 0
    card = invoke_json(search, "show", "JD", "--as-of", "2026-11-20")
    assert card["log"] == ["2026-11-18: Coffee; she suggested Li", "2026-11-19: Sent notes"]  # type: ignore[index]
    text = invoke(search, "show", "JD", "--as-of", "2026-11-20").stdout
    assert "Log" in text and "2026-11-19: Sent notes" in text
    assert "## Log" not in text


def test_show_says_which_other_notes_answer_to_the_name(vault: Path, write) -> None:  # type: ignore[no-untyped-def]
    write("People/Sam Lee.md", "---\nrole: Analyst\n---\n")
    write("People/Archive/Sam Lee.md", "---\nrole: Former analyst\n---\n")
    write("People/Samuel Lee.md", "---\naliases: [Sam Lee]\n---\n")
    result = invoke(vault, "show", "Sam Lee", "--as-of", "2026-11-20")
    assert result.exit_code == 0
    assert "also People/Archive/Sam Lee.md" in result.stdout
    assert "also People/Samuel Lee.md" in result.stdout
    card = invoke_json(vault, "show", "Sam Lee", "--as-of", "2026-11-20")
    assert card["path"] == "People/Sam Lee.md"  # type: ignore[index]
    assert card["also"] == ["People/Archive/Sam Lee.md", "People/Samuel Lee.md"]  # type: ignore[index]
    single = invoke_json(vault, "show", "People/Archive/Sam Lee", "--as-of", "2026-11-20")
    assert single["also"] == []  # type: ignore[index]  # a full path means one note


def test_show_a_note_whose_front_matter_cannot_be_read(vault: Path, write) -> None:  # type: ignore[no-untyped-def]
    write("People/Broken.md", "---\nrole: [unclosed\nstatus: contacted\n---\nbody\n")
    result = invoke(vault, "show", "Broken", "--as-of", "2026-11-20")
    assert result.exit_code == 0
    problem = [line for line in result.stdout.splitlines() if "front-matter" in line]
    assert len(problem) == 1 and problem[0].startswith("People/Broken.md:")
    assert "front-matter cannot be read" in problem[0]
    assert "Status" not in result.stdout and "Role" not in result.stdout
    card = invoke_json(vault, "show", "Broken", "--as-of", "2026-11-20")
    assert card["readable"] is False  # type: ignore[index]
    assert card["problems"][0]["code"] == "front-matter"  # type: ignore[index]


def test_show_a_readable_note_reports_no_problem(search: Path) -> None:
    card = invoke_json(search, "show", "Wei Chen", "--as-of", "2026-11-20")
    assert card["readable"] is True and card["problems"] == []  # type: ignore[index]
    kinds = [f["kind"] for f in card["followups"]]  # type: ignore[index]
    assert kinds[:2] == ["interview", "thank-you"]  # the meeting, then thanking them for it


def test_list_contacts_shows_paths_only_when_two_share_a_name(vault: Path, write) -> None:  # type: ignore[no-untyped-def]
    write("People/Sam Lee.md", "---\nrole: Analyst\n---\n")
    write("People/Ann Park.md", "---\nrole: Designer\n---\n")
    text = invoke(vault, "list", "contacts").stdout
    assert "Path" not in text and "People/Sam Lee.md" not in text
    write("People/Archive/Sam Lee.md", "---\nrole: Former analyst\n---\n")
    text = invoke(vault, "list", "contacts").stdout
    assert "Path" in text
    assert "People/Archive/Sam Lee.md" in text and "People/Sam Lee.md" in text
    assert "People/Ann Park.md" in text  # the column is the table's, every row fills it
