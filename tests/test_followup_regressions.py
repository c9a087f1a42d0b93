"""Follow-up, calendar and edit bugs found in review, each pinned by a test."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import invoke, invoke_json


def due(root: Path, kind: str, *args: str) -> dict[str | None, object]:
    rows = invoke_json(root, "followups", "--as-of", "2026-11-24", "--all", *args)
    return {r["contact"]: r for r in rows if r["kind"] == kind}  # type: ignore[union-attr,index]


def test_calendar_never_replaces_a_note_or_a_foreign_file(vault: Path, write) -> None:  # type: ignore[no-untyped-def]
    note = write("People/Chris.md", "---\nstatus: contacted\n---\nMy notes.\n")
    result = invoke(vault, "calendar", "--out", str(note))
    assert result.exit_code == 2 and "that is a note's name" in result.stderr
    foreign = write("vaultkit/followups.ics", "my own calendar\n")
    result = invoke(vault, "calendar")
    assert result.exit_code == 2 and "not a calendar vaultkit wrote" in result.stderr
    assert note.read_text() == "---\nstatus: contacted\n---\nMy notes.\n"
    assert foreign.read_text() == "my own calendar\n"


def test_log_ignores_a_log_comment_in_the_front_matter(vault: Path, write) -> None:  # type: ignore[no-untyped-def]
    path = write("People/X.md", "---\nid: x\n# Log\nstatus: interviewed\n---\nBody\n")
    assert invoke(vault, "log", "X", "older call", "--on", "2026-10-01").exit_code == 0
    assert path.read_text() == (
        "---\nid: x\n# Log\nstatus: interviewed\nlast_contact: 2026-10-01\n---\nBody\n\n"
        "## Log\n\n- 2026-10-01: older call\n"
    )
    assert invoke(vault, "check").stdout == ""


def test_the_edited_key_is_the_one_vaultkit_reads(vault: Path, write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "People/Syd.md",
        "---\nstatus: keep-in-touch\nlast_contact: 2026-06-01\nLast Contact: 2026-01-01\n---\n",
    )
    invoke(vault, "log", "Syd", "coffee", "--on", "2026-11-20")
    assert "last_contact: 2026-11-20\nLast Contact: 2026-01-01\n" in path.read_text()
    assert due(vault, "keep-in-touch")["Syd"]["due"] == "2027-02-18"  # type: ignore[index]


def test_a_change_after_the_vault_was_read_is_not_overwritten(vault: Path, write) -> None:  # type: ignore[no-untyped-def]
    from vaultkit.domain.career import CareerVault
    from vaultkit.errors import VaultkitError
    from vaultkit.outputs.done_and_log import record_reply
    from vaultkit.vault.index import VaultIndex

    path = write("People/Ann.md", "---\nstatus: contacted\n---\n")
    career = CareerVault(VaultIndex.load(vault))
    career.contacts  # noqa: B018 - decisions are made from this reading
    path.write_text("---\nstatus: closed\n---\nShe declined.\n")
    with pytest.raises(VaultkitError, match="changed while vaultkit was working on it"):
        import datetime as dt

        record_reply(career, "Ann", dt.date(2026, 11, 21))
    assert path.read_text() == "---\nstatus: closed\n---\nShe declined.\n"


def test_dates_out_of_range_are_diagnostics_not_crashes(vault: Path, write) -> None:  # type: ignore[no-untyped-def]
    write(
        "People/Far.md",
        "---\nstatus: contacted\ncontacted_on: 9999-12-30\n"
        "keep_in_touch: 99999y\n---\n- [ ] Someday 📅 9999-12-31\n",
    )
    write("People/Near.md", "---\nstatus: contacted\ncontacted_on: 2026-11-16\n---\n")
    write("Interviews/far.md", '---\ncontact: "[[Near]]"\ndate: 9999-12-31 23:30\n---\n')
    check = invoke(vault, "check")
    assert check.exit_code == 1
    assert "out of range" in check.stdout and "longer than ten years" in check.stdout
    assert "9999-12-31 is not a real date" in check.stdout
    assert "Near" in due(vault, "nudge")
    assert invoke(vault, "calendar", "--as-of", "2026-11-24").exit_code == 0


def test_editing_a_symlinked_note_keeps_the_link(vault: Path, write) -> None:  # type: ignore[no-untyped-def]
    real = write("Archive/Real.md", "---\nstatus: contacted\n---\n")
    (vault / "People").mkdir(exist_ok=True)
    os.symlink(real, vault / "People" / "Sym.md")
    result = invoke(vault, "done", "reply", "Sym", "--on", "2026-11-21")
    assert result.exit_code == 0, result.output
    assert (vault / "People" / "Sym.md").is_symlink()
    assert "replied_on: 2026-11-21" in real.read_text()


def test_copied_ids_are_warned_and_keep_their_events_apart(vault: Path, write) -> None:  # type: ignore[no-untyped-def]
    for name in ("A", "B"):
        write(
            f"People/{name}.md",
            "---\nid: c-same\nstatus: contacted\ncontacted_on: 2026-11-16\n---\n",
        )
    assert invoke(vault, "check").stdout.count("is also the id of another note") == 2
    import icalendar

    invoke(vault, "calendar", "--as-of", "2026-11-24")
    text = (vault / "vaultkit" / "followups.ics").read_bytes().decode()
    uids = [str(e["UID"]) for e in icalendar.Calendar.from_ical(text).walk("VEVENT")]
    assert len(uids) == len(set(uids)) == 4


def test_thanked_status_does_not_cover_an_interview_still_to_come(vault: Path, write) -> None:  # type: ignore[no-untyped-def]
    write("People/Two.md", "---\nstatus: thanked\n---\n")
    write(
        "Interviews/past.md", '---\ncontact: "[[Two]]"\ndate: 2026-11-02 10:00\nstatus: done\n---\n'
    )
    write("Interviews/next.md", '---\ncontact: "[[Two]]"\ndate: 2026-11-30 10:00\n---\n')
    rows = [
        r
        for r in invoke_json(vault, "followups", "--as-of", "2026-11-24", "--all")  # type: ignore[union-attr]
        if r["kind"] == "thank-you"
    ]
    assert [(r["path"], r["done"]) for r in rows] == [
        ("Interviews/past.md", True),
        ("Interviews/next.md", False),
    ]


def test_a_later_last_contact_retires_a_past_next_contact(vault: Path, write) -> None:  # type: ignore[no-untyped-def]
    write(
        "People/Kit.md",
        "---\nstatus: keep-in-touch\nnext_contact: 2026-10-01\n"
        "last_contact: 2026-11-20\nkeep_in_touch: 8w\n---\n",
    )
    assert due(vault, "keep-in-touch")["Kit"]["due"] == "2027-01-15"  # type: ignore[index]


def test_tasks_with_inline_code_and_links_can_be_ticked(vault: Path, write) -> None:  # type: ignore[no-untyped-def]
    write(".vaultkit.toml", '[followups]\ntasks = "all"\n')  # a daily note, before any search
    path = write(
        "Daily/d.md",
        "- [ ] Run `vaultkit check` before the call 📅 2026-11-25\n"
        "- [ ] Prep questions for [[People/José|José]] 📅 2026-11-25\n"
        "- [ ] Update CV [due:: 2026-11-26]\n",
    )
    titles = [r["title"] for r in invoke_json(vault, "followups", "--as-of", "2026-11-24")]  # type: ignore[union-attr]
    assert titles == [  # same day: by title
        "Prep questions for José",
        "Run `vaultkit check` before the call",
        "Update CV",
    ]
    for text in ("Run `vaultkit check`", "Prep questions for José", "Update CV"):
        assert invoke(vault, "done", "task", text, "--on", "2026-11-24").exit_code == 0, text
    assert path.read_text() == (
        "- [x] Run `vaultkit check` before the call 📅 2026-11-25 ✅ 2026-11-24\n"
        "- [x] Prep questions for [[People/José|José]] 📅 2026-11-25 ✅ 2026-11-24\n"
        "- [x] Update CV [due:: 2026-11-26] [completion:: 2026-11-24]\n"
    )


def test_done_thank_you_picks_the_interview_held_by_that_day(vault: Path, write) -> None:  # type: ignore[no-untyped-def]
    write("People/Han.md", "---\nstatus: interviewed\n---\n")
    past = write("Interviews/a.md", '---\ncontact: "[[Han]]"\ndate: 2020-11-02 10:00\n---\n')
    write("Interviews/b.md", '---\ncontact: "[[Han]]"\ndate: 2099-12-04 10:00\n---\n')
    result = invoke(vault, "done", "thank-you", "Han", "--on", "2020-11-03")
    assert result.stdout.startswith("updated  Interviews/a.md")
    assert "thank_you_sent: 2020-11-03" in past.read_text()


def test_as_of_with_an_offset_is_the_same_instant(vault: Path, write) -> None:  # type: ignore[no-untyped-def]
    write("People/T.md", "---\nstatus: interviewed\n---\n")
    write("Interviews/t.md", '---\ncontact: "[[T]]"\ndate: 2026-11-20 02:00\nstatus: done\n---\n')
    for as_of in ("2026-11-20T23:31-08:00", "2026-11-21T02:31"):
        rows = invoke_json(vault, "followups", "--as-of", as_of, "--overdue")
        assert [r["kind"] for r in rows] == ["thank-you"], as_of  # type: ignore[index]


def test_a_zero_thank_you_window_is_zero(vault: Path, write) -> None:  # type: ignore[no-untyped-def]
    (vault / ".vaultkit.toml").write_text(
        'timezone = "UTC"\n[followups]\nthank_you_within = "0h"\n'
    )
    write("People/Z.md", "")
    write("Interviews/z.md", '---\ncontact: "[[Z]]"\ndate: 2026-11-20 10:00\n---\n')
    assert due(vault, "thank-you")["Z"]["due"] == "2026-11-20T10:30:00+00:00"  # type: ignore[index]


def test_a_huge_organization_names_five_candidates(vault: Path, write) -> None:  # type: ignore[no-untyped-def]
    for number in range(40):
        write(
            f"People/P{number:02d}.md",
            "---\norganization: Big Co\nstatus: contacted\ncontacted_on: 2026-11-16\n---\n",
        )
    nudge = due(vault, "nudge")["P00"]
    assert nudge["candidates"] == ["P01", "P02", "P03", "P04", "P05"]  # type: ignore[index]
