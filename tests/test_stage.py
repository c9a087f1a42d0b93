"""A pipeline that follows the facts: the derived stage, where it shows, the
rules that use it, `check`'s status-lags warning, and the commands that close
the loop (`done interview`, `cancel`, `reschedule`, `set`)."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from tests.conftest import invoke, invoke_json
from tests.test_edits import changed_lines

BOB = '---\norganization: "[[Acme]]"\nstatus: contacted\ncontacted_on: 2026-11-16\n---\n# Bob\n'
# Bytes a user's editor wrote: BOM, CRLF, comments, quoting, a key order of their own.
INTERVIEW = codecs.BOM_UTF8 + (
    b"---\r\n"
    b"# booked by email\r\n"
    b'contact: "[[Bob Tran]]"   # the hiring manager\r\n'
    b"date: 2026-11-24 15:00  # their time\r\n"
    b"duration: 30\r\n"
    b"status: planned # not yet\r\n"
    b"---\r\n"
    b"## Notes\r\n"
    b"- [ ] Bring the portfolio\r\n"
)


@pytest.fixture
def bob(vault: Path, write) -> Path:  # type: ignore[no-untyped-def]
    write("People/Bob Tran.md", BOB)
    write("People/Cleo Ray.md", '---\norganization: "[[Acme]]"\nstatus: to-contact\n---\n')
    write("Interviews/2026-11-24 Bob Tran.md", INTERVIEW)
    return vault


def bob_row(root: Path, as_of: str) -> dict[str, object]:
    rows = invoke_json(root, "list", "contacts", "--as-of", as_of)
    return next(r for r in rows if r["name"] == "Bob Tran")  # type: ignore[union-attr,index]


def bob_followups(root: Path, as_of: str) -> dict[str, bool]:
    rows = invoke_json(root, "followups", "--all", "--as-of", as_of)
    return {r["kind"]: r["done"] for r in rows if r["contact"] == "Bob Tran"}  # type: ignore


def test_the_stage_follows_the_interview(bob: Path, write) -> None:  # type: ignore[no-untyped-def]
    # Booked (planned, in the future): scheduled, though the note says contacted.
    assert (bob_row(bob, "2026-11-20")["status"], bob_row(bob, "2026-11-20")["stage"]) == (
        "contacted",
        "scheduled",
    )
    # Its end has passed: interviewed. Then the thank-you: thanked.
    assert bob_row(bob, "2026-11-24T15:31")["stage"] == "interviewed"
    assert bob_row(bob, "2026-11-24T15:29")["stage"] == "scheduled"
    assert invoke(bob, "done", "thank-you", "Bob Tran", "--on", "2026-11-25").exit_code == 0
    assert bob_row(bob, "2026-11-26")["stage"] == "thanked"
    # An exchange logged after the thank-you: keep-in-touch.
    invoke(bob, "log", "Bob Tran", "Sent the article we discussed", "--on", "2026-12-10")
    assert bob_row(bob, "2026-12-11")["stage"] == "keep-in-touch"
    # A written status further along, or closed, wins.
    text = (bob / "People/Bob Tran.md").read_text()
    (bob / "People/Bob Tran.md").write_text(text.replace("status: contacted", "status: closed"))
    assert bob_row(bob, "2026-12-11")["stage"] == "closed"


def test_no_stage_without_facts_is_the_written_status(vault: Path, write) -> None:  # type: ignore[no-untyped-def]
    write("People/Ann.md", "---\nstatus: scheduled\n---\n")
    write("People/Dee.md", "---\ncontacted_on: 2026-11-02\n---\n")
    write("People/Eve.md", "---\n---\n")
    rows = invoke_json(vault, "list", "contacts", "--as-of", "2026-11-20")
    assert [(r["name"], r["status"], r["stage"]) for r in rows] == [  # type: ignore
        ("Ann", "scheduled", "scheduled"),
        ("Dee", None, "contacted"),
        ("Eve", None, "to-contact"),
    ]


def test_show_and_the_table_show_the_stage(bob: Path) -> None:
    card = invoke(bob, "show", "Bob Tran", "--as-of", "2026-11-25").stdout
    assert "Stage         interviewed" in card and "Status        contacted" in card
    record = invoke_json(bob, "show", "Bob Tran", "--as-of", "2026-11-20")
    assert record["stage"] == "scheduled"  # type: ignore[index]
    table = invoke(bob, "list", "contacts", "--as-of", "2026-11-25").stdout
    assert "Stage" in table and "interviewed" in table


def test_the_stored_listing_expires_when_an_interview_ends(
    bob: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`list contacts --json` is stored while the vault is unchanged; the clock
    passing an interview's end must not serve the old stage."""
    import datetime as dt

    import vaultkit.cli.context as context

    class Clock(dt.datetime):
        moment = dt.datetime(2026, 11, 24, 15, 0, tzinfo=dt.UTC)

        @classmethod
        def now(cls, tz=None):  # type: ignore[no-untyped-def,override]
            return cls.moment.astimezone(tz) if tz else cls.moment

    fake = type("dt", (), {"datetime": Clock, "UTC": dt.UTC, "time": dt.time})
    monkeypatch.setattr(context, "dt", fake)

    def stage() -> object:
        rows = invoke_json(bob, "list", "contacts")
        return next(r["stage"] for r in rows if r["name"] == "Bob Tran")  # type: ignore

    Clock.moment = dt.datetime(2026, 11, 24, 19, 0, tzinfo=dt.UTC)  # 14:00 in New York
    assert stage() == "scheduled"
    assert stage() == "scheduled"  # stored, served again
    Clock.moment = dt.datetime(2026, 11, 24, 21, 0, tzinfo=dt.UTC)  # 16:00: it has ended
    assert stage() == "interviewed"


def test_no_nudge_while_an_interview_is_planned_or_held(bob: Path) -> None:
    # Contacted 16 Nov: the nudge falls due on the 19th; the interview is booked.
    found = bob_followups(bob, "2026-11-20")
    assert found["nudge"] is True and found["move-on"] is True
    assert "keep-in-touch" not in found
    held = bob_followups(bob, "2026-11-26")
    assert held["nudge"] is True and held["thank-you"] is False
    assert "keep-in-touch" in held  # met: keep in touch
    # Cancelled: the nudges are owed again, and nothing to keep up.
    invoke(bob, "cancel", "Bob Tran", "--as-of", "2026-11-20")
    cancelled = bob_followups(bob, "2026-11-26")
    assert cancelled["nudge"] is False and "keep-in-touch" not in cancelled


def test_check_warns_when_the_status_lags(bob: Path) -> None:
    def lags(as_of: str) -> list[dict[str, object]]:
        found = invoke_json(bob, "check", "--as-of", as_of)
        return [d for d in found if d["code"] == "status-lags"]  # type: ignore

    assert lags("2026-11-20") == []
    after = lags("2026-11-25")
    assert [(d["path"], d["line"], d["severity"], d["code"]) for d in after] == [  # type: ignore
        ("People/Bob Tran.md", 3, "warning", "status-lags")
    ]
    message = after[0]["message"]  # type: ignore[index]
    # Still planned: held only by the clock, so the fix asks what happened.
    assert message.startswith("status: says contacted, but an interview's time has passed")
    assert "Interviews/2026-11-24 Bob Tran.md" in message and "stage is interviewed" in message
    assert '`vaultkit done interview "2026-11-24 Bob Tran"` if it took place' in message
    assert invoke(bob, "check", "--as-of", "2026-11-25").exit_code == 0  # a warning only
    invoke(bob, "done", "interview", "Bob Tran", "--as-of", "2026-11-25")
    message = lags("2026-11-25")[0]["message"]  # type: ignore[index]
    assert message.startswith("status: says contacted, but an interview was held")
    assert '`vaultkit set "Bob Tran" status interviewed` to write it' in message


def test_done_interview_is_surgical(bob: Path) -> None:
    path = bob / "Interviews/2026-11-24 Bob Tran.md"
    early = invoke(bob, "done", "interview", "Bob Tran", "--as-of", "2026-11-20")
    assert early.exit_code == 2 and "still to come on 2026-11-24" in early.stderr
    assert path.read_bytes() == INTERVIEW
    result = invoke(bob, "done", "interview", "Bob Tran", "--on", "2026-11-24")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "updated  Interviews/2026-11-24 Bob Tran.md\n  status: planned → done\n"
    )
    after = path.read_bytes()
    assert after.startswith(codecs.BOM_UTF8)
    assert changed_lines(INTERVIEW, after) == [("replace", "status: done # not yet\r\n")]
    assert bob_row(bob, "2026-11-24T15:10")["stage"] == "interviewed"  # done before its end


def test_cancel_and_reschedule(bob: Path) -> None:
    path = bob / "Interviews/2026-11-24 Bob Tran.md"
    result = invoke(bob, "cancel", "Bob Tran", "--as-of", "2026-11-20")
    assert result.stdout.splitlines() == [
        "updated  Interviews/2026-11-24 Bob Tran.md",
        "  status: planned → cancelled",
    ]
    assert changed_lines(INTERVIEW, path.read_bytes()) == [
        ("replace", "status: cancelled # not yet\r\n")
    ]
    assert bob_row(bob, "2026-11-20")["stage"] == "contacted"
    # By the interview note's own name; a cancelled one is planned again.
    result = invoke(
        bob,
        "reschedule",
        "2026-11-24 Bob Tran",
        "--at",
        "2026-12-03 15:00",
        "--as-of",
        "2026-11-20",
    )
    assert result.exit_code == 0, result.output
    # The status line is back to its very bytes: only the date differs now.
    assert changed_lines(INTERVIEW, path.read_bytes()) == [
        ("replace", "date: 2026-12-03 15:00  # their time\r\n")
    ]
    rows = invoke_json(bob, "list", "interviews")
    assert rows[0]["date"] == "2026-12-03T15:00:00-05:00"  # type: ignore[index]
    bad = invoke(bob, "reschedule", "Bob Tran", "--at", "next week")
    assert bad.exit_code == 2 and bad.stderr.count("\n") == 1 and "--at" in bad.stderr


def test_set_validates_and_quotes(bob: Path) -> None:
    path = bob / "People/Bob Tran.md"
    result = invoke(bob, "set", "Bob Tran", "status", "closed")
    assert result.stdout == "updated  People/Bob Tran.md\n  status: contacted → closed\n"
    assert changed_lines(BOB.encode(), path.read_bytes()) == [("replace", "status: closed\n")]
    for key, value, written in (
        ("phone", "0612345670", 'phone: "0612345670"\n'),  # octal to YAML unquoted
        ("keep_in_touch", "no", 'keep_in_touch: "no"\n'),  # false to YAML unquoted
        ("Replied On", "2026-11-21", "replied_on: 2026-11-21\n"),
        ("role", "Head of R&D", "role: Head of R&D\n"),
        ("referrer", "Cleo Ray", 'referred_by: "[[Cleo Ray]]"\n'),
    ):
        assert invoke(bob, "set", "Bob Tran", key, value).exit_code == 0
        assert written in path.read_text()
    record = invoke_json(bob, "show", "Bob Tran", "--as-of", "2026-11-20")
    assert record["phone"] == "0612345670" and record["keep_in_touch"] == "off"  # type: ignore
    assert record["referred_by"] == ["Cleo Ray"]  # type: ignore[index]
    before = path.read_bytes()
    for args, words in (
        (("status", "maybe"), "status: 'maybe' is not one of"),
        (("contacted_on", "2026-13-01"), "contacted_on:"),
        (("keep_in_touch", "often"), "keep_in_touch:"),
    ):
        bad = invoke(bob, "set", "Bob Tran", *args)
        assert bad.exit_code == 2 and bad.stderr.startswith(f"vaultkit: {words}"), bad.stderr
    assert path.read_bytes() == before
    # An interview note's status is an interview status.
    assert invoke(bob, "set", "2026-11-24 Bob Tran", "status", "held").exit_code == 0
    assert "status: done # not yet" in (bob / "Interviews/2026-11-24 Bob Tran.md").read_text()


def test_an_edit_refuses_a_note_changed_meanwhile(
    bob: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vaultkit.notes import frontmatter_edit

    path = bob / "Interviews/2026-11-24 Bob Tran.md"
    real = frontmatter_edit.EditableNote.set_key

    def racing(self, key, value, **kwargs):  # type: ignore[no-untyped-def]
        path.write_bytes(INTERVIEW + b"typed meanwhile\r\n")
        return real(self, key, value, **kwargs)

    monkeypatch.setattr(frontmatter_edit.EditableNote, "set_key", racing)
    result = invoke(bob, "cancel", "Bob Tran", "--as-of", "2026-11-20")
    assert result.exit_code == 1 and "changed while vaultkit was working on it" in result.stderr
    assert path.read_bytes() == INTERVIEW + b"typed meanwhile\r\n"


def test_new_interview_makes_the_contact_scheduled_without_editing_it(vault: Path, write) -> None:  # type: ignore[no-untyped-def]
    contact = write("People/Bob Tran.md", BOB)
    result = invoke(vault, "new", "interview", "Bob Tran", "--at", "2026-12-01 10:00")
    assert result.exit_code == 0, result.output
    assert contact.read_text() == BOB  # never rewritten
    assert bob_row(vault, "2026-11-25")["stage"] == "scheduled"


def test_the_dashboard_pipeline_and_past_planned_interviews(bob: Path) -> None:
    assert invoke(bob, "sync", "--as-of", "2026-11-20").exit_code == 0
    board = (bob / "vaultkit/Dashboard.md").read_text()
    assert "| Stage | Contacts |" in board and "| scheduled | 1 |" in board
    assert "Did these happen?" not in board
    invoke(bob, "sync", "--as-of", "2026-11-26")
    board = (bob / "vaultkit/Dashboard.md").read_text()
    assert "| interviewed | 1 |" in board and "| to-contact | 1 |" in board
    assert "## Did these happen? (1)" in board
    assert "`vaultkit done interview NAME` or `vaultkit cancel NAME`" in board
    assert "`2026-11-24 Bob Tran`" in board
    invoke(bob, "done", "interview", "Bob Tran", "--on", "2026-11-24")
    invoke(bob, "sync", "--as-of", "2026-11-26")
    assert "Did these happen?" not in (bob / "vaultkit/Dashboard.md").read_text()
