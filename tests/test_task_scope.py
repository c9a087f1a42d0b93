"""Which dated tasks are follow-ups ([followups] tasks), and how a big list reads."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import invoke, invoke_json

AS_OF = "2026-11-20"


def titles(root: Path, *args: str) -> list[str]:
    return [r["title"] for r in invoke_json(root, "followups", "--as-of", AS_OF, *args)]  # type: ignore[union-attr,index]


def _search(write) -> None:  # type: ignore[no-untyped-def]
    write("People/Chris Park.md", "---\naliases: [CP]\ncontacted_on: 2026-11-02\n---\n")
    write("Organizations/Lumen Health.md", "---\nname: Lumen Health\n---\n")


def test_career_tasks_by_default_not_a_2020_grocery_list(vault: Path, write) -> None:  # type: ignore[no-untyped-def]
    _search(write)
    write(
        "Daily/2020-03-02.md",
        "- [ ] Buy oat milk 📅 2020-03-03\n"
        "- [ ] Email chris park about the data team 📅 2020-03-04\n"
        "- [ ] Ask Chrissy Parker about Lumen 📅 2020-03-05\n"
        "- [ ] Read up on [[Lumen Health]] 📅 2020-03-06\n",
    )
    write("Daily/2026-11-17.md", "- [ ] Water the plants 📅 2026-11-18\n")
    write("Projects/Career/plan.md", "- [ ] Polish the CV 📅 2026-11-19\n")
    write("Reading/book.md", "---\ntags: [job/search]\n---\n- [ ] Finish chapter 📅 2026-11-19\n")
    found = titles(vault)
    assert "Buy oat milk" not in found  # an old daily note that names no one
    assert "Email chris park about the data team" in found  # names a contact, any case
    assert "Ask Chrissy Parker about Lumen" not in found  # whole words only
    assert "Read up on Lumen Health" in found  # links to an organization
    assert "Water the plants" in found  # a note dated within the search
    assert "Polish the CV" not in found and "Finish chapter" not in found
    write(".vaultkit.toml", '[followups]\ntasks = ["#job", "Projects/Career"]\n')
    found = titles(vault)
    assert "Polish the CV" in found and "Finish chapter" in found  # added to career
    assert "Buy oat milk" not in found
    write(".vaultkit.toml", '[followups]\ntasks = "all"\n')
    assert "Buy oat milk" in titles(vault)


def test_a_bad_tasks_setting_is_one_line(vault: Path, write) -> None:  # type: ignore[no-untyped-def]
    write(".vaultkit.toml", "[followups]\ntasks = 3\n")
    result = invoke(vault, "followups")
    assert result.exit_code == 1, result.output
    assert "followups.tasks must be" in result.output


def test_interview_tasks_say_whom_they_are_for(vault: Path, write) -> None:  # type: ignore[no-untyped-def]
    write("People/Jane Doe.md", "---\ncontacted_on: 2026-11-02\n---\n")
    write(
        "Interviews/2026-11-18 Jane Doe.md",
        '---\ncontact: "[[Jane Doe]]"\ndate: 2026-11-18T10:00\n---\n'
        "- [ ] Send anything you promised (a résumé) 📅 2026-11-19\n"
        "- [ ] Ask Jane about her team 📅 2026-11-19\n",
    )
    found = titles(vault)
    assert "Send anything you promised (a résumé) (Jane Doe)" in found
    assert "Ask Jane about her team" in found  # names them already


def test_overdue_newest_first_with_a_footer_that_reveals_the_rest(vault: Path, write) -> None:  # type: ignore[no-untyped-def]
    write("People/Chris Park.md", "---\nstatus: to-contact\n---\n")
    lines = "".join(
        f"- [ ] Email Chris Park, item {n:02} 📅 2026-10-{n:02}\n" for n in range(1, 26)
    )
    write("Notes/backlog.md", lines)
    shown = invoke(vault, "followups", "--as-of", AS_OF).output
    assert "showing 20 of 25 overdue; --limit 0 shows all" in shown
    assert shown.index("item 25") < shown.index("item 24")  # newest first
    assert "item 05" not in shown
    everything = invoke(vault, "followups", "--as-of", AS_OF, "--limit", "0").output
    assert "item 01" in everything and "showing" not in everything
    assert len(titles(vault, "--overdue")) == 25  # JSON: no cap unless asked
    limited = invoke_json(vault, "followups", "--as-of", AS_OF, "--limit", "3")
    assert [r["due"] for r in limited] == ["2026-10-23", "2026-10-24", "2026-10-25"]  # type: ignore[index]
    assert len(titles(vault, "--within", "3d")) == 0  # overdue bounded too
    assert len(titles(vault, "--within", "30d")) == 5  # since 2026-10-21
