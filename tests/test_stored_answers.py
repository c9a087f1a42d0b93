"""Stored answers: a warm command on an unchanged vault is served from the
index cache, and anything it was computed from changing computes it again.

Every test here would fail if an answer were served stale: each one changes
one input and expects what a fresh run says.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from zoneinfo import ZoneInfo

from conftest import WriteNote, invoke

from vaultkit.domain.career import CareerVault
from vaultkit.domain.followups import follow_ups, next_change
from vaultkit.vault.index import VaultIndex

AS_OF = "2026-11-20"


def _contact(write: WriteNote, contacted_on: str = "2026-11-16") -> Path:
    return write(
        "People/Jane Doe.md",
        f"---\ntype: contact\norganization: Acme\ncontacted_on: {contacted_on}\n---\n",
    )


def _followups(vault: Path, *extra: str) -> list[dict[str, object]]:
    result = invoke(vault, "followups", "--json", "--as-of", AS_OF, *extra)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _bump(path: Path) -> None:
    """A new modification time even on a coarse clock, as an editor's save gives."""
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))


def test_a_stored_followups_answer_follows_an_edit(vault: Path, write: WriteNote) -> None:
    note = _contact(write)
    first = _followups(vault)
    assert _followups(vault) == first  # served from the store
    assert (vault / ".vaultkit" / "index.sqlite").exists()
    note.write_text(note.read_text().replace("2026-11-16", "2026-11-02"), encoding="utf-8")
    _bump(note)
    moved = _followups(vault)
    assert [f["due"] for f in moved if f["kind"] == "nudge"] == ["2026-11-05"]
    assert moved != first


def test_options_are_part_of_a_stored_answer(vault: Path, write: WriteNote) -> None:
    _contact(write)
    everything = _followups(vault)
    overdue = _followups(vault, "--overdue")
    assert len(overdue) < len(everything)
    assert _followups(vault) == everything


def test_check_json_keeps_its_exit_code_when_served(vault: Path, write: WriteNote) -> None:
    write("People/Broken.md", "---\ntype: contact\ncontacted_on: 2026-13-45\n---\n")
    for _ in range(2):  # computed, then served
        result = invoke(vault, "check", "--json", "--as-of", AS_OF)
        assert result.exit_code == 1
        assert any(d["severity"] == "error" for d in json.loads(result.stdout))


def test_the_calendar_is_written_again_when_its_file_goes(vault: Path, write: WriteNote) -> None:
    _contact(write)
    args = ("calendar", "--as-of", AS_OF)
    assert invoke(vault, *args).stdout.startswith("wrote")
    assert invoke(vault, *args).stdout.startswith("unchanged")
    feed = vault / "vaultkit" / "followups.ics"
    feed.unlink()
    assert invoke(vault, *args).stdout.startswith("wrote")
    assert b"No reply from Jane Doe" in feed.read_bytes()


def test_the_calendar_follows_the_thank_you_template(vault: Path, write: WriteNote) -> None:
    """The template is not a note (the walk skips its folder), yet a
    thank-you's event quotes it: a change to it must reach the calendar."""
    write("People/Jane Doe.md", "---\ntype: contact\n---\n")
    write(
        "Interviews/2026-11-19 Jane Doe.md",
        "---\ntype: interview\ncontact: '[[Jane Doe]]'\n"
        "date: 2026-11-19 10:00\nduration: 30\n---\n",
    )
    args = ("calendar", "--as-of", AS_OF)
    invoke(vault, *args)
    template = write(
        "Templates/vaultkit/thank-you.md",
        "Subject: Thank you\n\nDear {{ contact.name }}, a quite distinctive opening line.\n",
    )
    _bump(template)
    assert invoke(vault, *args).stdout.startswith("wrote")
    feed = (vault / "vaultkit" / "followups.ics").read_bytes().replace(b"\r\n ", b"")
    assert b"quite distinctive" in feed


def test_next_change_is_the_first_moment_the_clock_changes_an_answer(
    vault: Path, write: WriteNote
) -> None:
    """How long an answer computed now stays true: the next midnight, an open
    timed follow-up falling due, an interview becoming held, whichever first."""
    zone = ZoneInfo("America/New_York")
    write("People/Jane Doe.md", "---\ntype: contact\n---\n")
    write(
        "Interviews/2026-11-20 Jane Doe.md",
        "---\ntype: interview\ncontact: '[[Jane Doe]]'\n"
        "date: 2026-11-20 15:00\nduration: 30\n---\n",
    )
    career = CareerVault(VaultIndex.load(vault))
    morning = dt.datetime(2026, 11, 20, 9, 0, tzinfo=zone)
    found = follow_ups(career, morning)
    assert next_change(career, found, morning) == dt.datetime(2026, 11, 20, 15, 0, tzinfo=zone)
    during = dt.datetime(2026, 11, 20, 15, 10, tzinfo=zone)
    held = dt.datetime(2026, 11, 20, 15, 30, tzinfo=zone)  # it ends: held, thank-you owed
    assert next_change(career, follow_ups(career, during), during) == held
    evening = dt.datetime(2026, 11, 20, 23, 0, tzinfo=zone)
    midnight = dt.datetime(2026, 11, 21, 0, 0, tzinfo=zone)
    later = [f for f in follow_ups(career, evening) if f.kind != "thank-you"]
    assert next_change(career, later, evening) == midnight


def test_a_conflict_copy_reaches_a_stored_check(vault: Path, write: WriteNote) -> None:
    """What the walk finds is no note, yet `check` reports it."""
    _contact(write)
    args = ("check", "--json", "--as-of", AS_OF)
    assert not any(d["code"] == "sync-conflict" for d in json.loads(invoke(vault, *args).stdout))
    write("People/Jane Doe (conflicted copy 2026-11-30).md", "---\ntype: contact\n---\n")
    found = json.loads(invoke(vault, *args).stdout)
    assert [d["code"] for d in found if d["code"] == "sync-conflict"] == ["sync-conflict"]


def test_a_moved_vault_gets_its_calendar_links_again(vault: Path, write: WriteNote) -> None:
    """The vault's folder name is in every event's Obsidian link; a move keeps
    every note's time, so the folder itself counts."""
    _contact(write)
    args = ("calendar", "--as-of", AS_OF)
    invoke(vault, *args)
    moved = vault.parent / "Renamed vault"
    vault.rename(moved)
    assert invoke(moved, *args).stdout.startswith("wrote")
    feed = (moved / "vaultkit" / "followups.ics").read_bytes().replace(b"\r\n ", b"")
    assert b"vault=Renamed%20vault" in feed
