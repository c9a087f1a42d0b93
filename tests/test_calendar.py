"""`vaultkit calendar`: the .ics that real clients accept, checked with three
independent parsers and against a golden file compared by meaning."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import icalendar
import pytest
import vobject
from ical.calendar_stream import IcsCalendarStream

from tests.conftest import REPO, SAMPLE_VAULT, invoke

FIXTURE = REPO / "tests" / "fixtures" / "calendar-vault"
GOLDEN = REPO / "tests" / "golden" / "calendar-vault.ics"
AS_OF = ("--as-of", "2026-11-21")


@pytest.fixture
def vault_copy(tmp_path: Path) -> Path:
    root = tmp_path / "calendar-vault"
    shutil.copytree(FIXTURE, root)
    return root


def write_calendar(root: Path, *args: str) -> str:
    result = invoke(root, "calendar", *AS_OF, *args)
    assert result.exit_code == 0, result.output
    return (root / "vaultkit" / "followups.ics").read_bytes().decode("utf-8")


def meaning(text: str) -> dict[tuple[str, str], list[str]]:
    """Each component (by type and UID or TZID) as its sorted, unfolded lines:
    what a calendar client reads, whatever the order of properties. Nested
    components (VALARM, STANDARD) count as lines of their parent; the
    calendar's own properties are one more entry."""
    icalendar.Calendar.from_ical(text)  # must parse at all
    unfolded = re.sub(r"\r\n[ \t]", "", text)
    found: dict[tuple[str, str], list[str]] = {}
    stack: list[tuple[str, list[str]]] = []
    for line in unfolded.split("\r\n"):
        if line.startswith("BEGIN:"):
            stack.append((line[6:], []))
        elif line.startswith("END:"):
            kind, lines = stack.pop()
            if len(stack) >= 2:  # nested inside an event or a time zone
                stack[-1][1].extend(f"{kind}/{ln}" for ln in lines)
                continue
            ident = next(
                (ln.split(":", 1)[1] for ln in lines if ln.startswith(("UID:", "TZID:"))), kind
            )
            found[(kind, ident)] = sorted(lines)
        elif stack and line:
            stack[-1][1].append(line)
    return found


def test_matches_the_golden_file(vault_copy: Path) -> None:
    text = write_calendar(vault_copy)
    if os.environ.get("VAULTKIT_UPDATE_GOLDEN"):
        GOLDEN.write_bytes(text.encode("utf-8"))
    assert meaning(text) == meaning(GOLDEN.read_bytes().decode("utf-8"))


def test_three_independent_parsers_read_it(vault_copy: Path) -> None:
    text = write_calendar(vault_copy, "--todos")
    ours = icalendar.Calendar.from_ical(text)
    events = ours.walk("VEVENT")
    theirs = vobject.readOne(text)
    strict = IcsCalendarStream.calendar_from_ics(text)
    assert len(events) == len(theirs.vevent_list) == len(strict.events) == 9
    assert len(ours.walk("VTODO")) == len(theirs.vtodo_list) == len(strict.todos) == 7
    assert {str(e["UID"]) for e in events} == {e.uid for e in strict.events}
    by_summary = {e.summary: e for e in strict.events}
    lou = by_summary["Interview with Lou Chen"]
    assert lou.dtstart.isoformat() == "2026-12-02T12:30:00-05:00"
    assert str(lou.dtstart.tzinfo) == "America/New_York"
    assert lou.location == 'https://meet.example/lou; room=1, "quoted"'
    assert lou.alarm[0].trigger.total_seconds() == -1800


def test_calendar_properties_and_event_shapes(vault_copy: Path) -> None:
    text = write_calendar(vault_copy)
    calendar = icalendar.Calendar.from_ical(text)
    assert str(calendar["X-WR-CALNAME"]) == "Test follow-ups" == str(calendar["NAME"])
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in text
    assert "X-PUBLISHED-TTL:PT1H\r\n" in text
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["America/New_York"]
    for event in calendar.walk("VEVENT"):
        url = str(event["URL"])
        assert url.startswith("obsidian://open?vault=calendar-vault&file=")
        assert url in str(event["DESCRIPTION"]).replace("\n", "")
        if "interview" in [str(c) for c in event["CATEGORIES"].cats]:
            assert event["DTSTART"].params["TZID"] == "America/New_York"
        else:  # all-day with an exclusive end
            start, end = event["DTSTART"].dt, event["DTEND"].dt
            assert event["DTSTART"].params["VALUE"] == "DATE"
            assert (end - start).days == 1


def test_done_follow_ups_leave_but_interviews_stay(vault_copy: Path) -> None:
    summaries = {
        str(e["SUMMARY"])
        for e in icalendar.Calendar.from_ical(write_calendar(vault_copy)).walk("VEVENT")
    }
    assert "Interview with Jane Doe (Acme)" in summaries  # done, stays as the record
    assert not any(s.startswith("Thank Lou Chen") for s in summaries)  # thank_you_sent
    assert "Book the room (Lou Chen)" not in summaries  # ticked task
    assert "No reply from No Id: reach a second contact" not in summaries  # replied
    (vault_copy / ".vaultkit.toml").write_text(
        (vault_copy / ".vaultkit.toml").read_text() + "include_done = true\n"
        if False
        else 'timezone = "America/New_York"\n[followups]\ninclude_done = true\n'
    )
    summaries = {
        str(e["SUMMARY"])
        for e in icalendar.Calendar.from_ical(write_calendar(vault_copy)).walk("VEVENT")
    }
    assert "Book the room (Lou Chen)" in summaries  # says whom it is for


def test_thank_you_description_holds_the_draft_opening(vault_copy: Path) -> None:
    calendar = icalendar.Calendar.from_ical(write_calendar(vault_copy))
    thank = next(e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]).startswith("Thank Jane"))
    description = str(thank["DESCRIPTION"])
    assert "Subject: Thank you for your time on Saturday" in description
    assert "Dear Jane," in description
    nudge = next(e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]).startswith("No reply"))
    assert "Sam Lee, Jane Doe" in str(nudge["DESCRIPTION"])


def test_second_run_changes_nothing(vault_copy: Path) -> None:
    write_calendar(vault_copy)
    path = vault_copy / "vaultkit" / "followups.ics"
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    result = invoke(vault_copy, "calendar", "--as-of", "2026-11-25")  # a later day
    assert result.stdout == "unchanged  vaultkit/followups.ics (9 events)\n"
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_changing_one_note_changes_only_its_events(vault_copy: Path) -> None:
    old = meaning(write_calendar(vault_copy))
    note = vault_copy / "Interviews" / "2026-12-02 Lou Chen.md"
    note.write_text(note.read_text().replace("2026-12-02T09:30-08:00", "2026-12-02T10:30-08:00"))
    out = invoke(vault_copy, "calendar", "--as-of", "2026-11-22", "--out", "-").stdout_bytes
    new = meaning(out.decode("utf-8"))
    changed = {key for key in old.keys() | new.keys() if old.get(key) != new.get(key)}
    assert len(changed) == 1
    (key,) = changed
    lines = new[key]
    assert "SUMMARY:Interview with Lou Chen" in lines
    assert "SEQUENCE:1" in lines and "DTSTAMP:20261122T050000Z" in lines
    assert "LAST-MODIFIED:20261122T050000Z" in lines


def test_renaming_a_note_with_an_id_keeps_its_uids(vault_copy: Path) -> None:
    def uids() -> dict[str, str]:
        calendar = icalendar.Calendar.from_ical(write_calendar(vault_copy))
        return {str(e["SUMMARY"]): str(e["UID"]) for e in calendar.walk("VEVENT")}

    before = uids()
    (vault_copy / "People" / "Pat Kim.md").rename(vault_copy / "People" / "Patricia Kim.md")
    after = uids()
    nudge_before = before["No reply from Pat Kim: reach out to Sam Lee at Acme"]
    assert after["No reply from Patricia Kim: reach out to Sam Lee at Acme"] == nudge_before


def test_text_cannot_inject_properties_or_components(vault_copy: Path) -> None:
    note = vault_copy / "Interviews" / "2026-12-02 Lou Chen.md"
    evil = r"Room 1\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil\r\nSUMMARY:pwned; a, b"
    text = note.read_text().replace(
        'location: "https://meet.example/lou; room=1, \\"quoted\\""', f'location: "{evil}"'
    )
    assert evil in text
    note.write_text(text)
    (vault_copy / "People" / "Lou Chen.md").write_text(
        '---\nid: c-lou\nstatus: thanked\nname: "Lou\\nBEGIN:VTODO"\n---\n'
    )
    ics = write_calendar(vault_copy)
    calendar = icalendar.Calendar.from_ical(ics)
    assert len(calendar.walk("VEVENT")) == 9 and not calendar.walk("VTODO")
    assert "\r\nUID:evil" not in ics and "\r\nBEGIN:VTODO" not in ics
    lou = next(
        e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]).startswith("Interview with Lou")
    )
    # the line breaks survive as escaped text (\\n) inside the one property
    assert str(lou["LOCATION"]).replace("\r", "") == (
        "Room 1\nEND:VEVENT\nBEGIN:VEVENT\nUID:evil\nSUMMARY:pwned; a, b"
    )
    assert len(IcsCalendarStream.calendar_from_ics(ics).events) == 9
    assert len(vobject.readOne(ics).vevent_list) == 9


def test_stdout_and_paths_outside_the_vault(vault_copy: Path, tmp_path: Path) -> None:
    result = invoke(vault_copy, "calendar", *AS_OF, "--out", "-")
    assert result.stdout_bytes.startswith(b"BEGIN:VCALENDAR\r\n")
    assert not (vault_copy / "vaultkit" / "followups.ics").exists()
    outside = invoke(vault_copy, "calendar", "--out", str(tmp_path / "elsewhere.ics"))
    assert outside.exit_code == 2
    assert "inside the vault" in outside.stderr
    assert not (tmp_path / "elsewhere.ics").exists()


def test_sample_vault_calendar_parses_everywhere(tmp_path: Path) -> None:
    result = invoke(SAMPLE_VAULT, "calendar", *AS_OF, "--out", "-")
    text = result.stdout_bytes.decode("utf-8")
    assert (
        len(icalendar.Calendar.from_ical(text).walk("VEVENT"))
        == len(vobject.readOne(text).vevent_list)
        == len(IcsCalendarStream.calendar_from_ics(text).events)
        > 30
    )


def test_a_line_added_above_a_task_leaves_its_event_alone(vault_copy: Path) -> None:
    before = write_calendar(vault_copy)
    note = vault_copy / "Interviews" / "2026-12-02 Lou Chen.md"
    text = note.read_text()
    note.write_text(text.replace("\n- [ ]", "\nA line of prose, added later.\n\n- [ ]", 1))
    assert note.read_text() != text
    result = invoke(vault_copy, "calendar", "--as-of", "2026-11-22")
    assert result.stdout.startswith("unchanged"), result.stdout
    assert write_calendar(vault_copy) == before


def test_a_vault_without_follow_ups_writes_a_valid_calendar(tmp_path: Path) -> None:
    (tmp_path / ".vaultkit.toml").write_text('timezone = "Europe/Berlin"\n')
    result = invoke(tmp_path, "calendar", *AS_OF, "--out", "-")
    text = result.stdout_bytes.decode("utf-8")
    # RFC 5545 wants at least one component: the calendar keeps its time zone
    assert "BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n" in text
    assert not icalendar.Calendar.from_ical(text).walk("VEVENT")
    assert IcsCalendarStream.calendar_from_ics(text).timezones
    assert vobject.readOne(text).vtimezone.tzid.value == "Europe/Berlin"
