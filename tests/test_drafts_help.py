"""Drafts and help that read right, and "now" passed in rather than read from
the clock: articles, warnings, the day a thank-you names, what the interview's
notes said, summaries `--help` does not cut, CalDAV errors in a few words."""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

import click
import pytest

from tests.conftest import invoke


@pytest.fixture
def fresh(tmp_path: Path) -> Path:
    root = tmp_path / "fresh"
    assert invoke(None, "init", str(root)).exit_code == 0
    (root / ".vaultkit.toml").write_text('timezone = "America/New_York"\n[me]\nname = "Sam"\n')
    return root


@pytest.mark.parametrize(
    ("role", "phrase"),
    [
        ("UX researcher", "your work as a UX researcher at Acme"),
        ("engineer", "your work as an engineer at Acme"),
        ("MBA intern", "your work as an MBA intern at Acme"),
        ("user researcher", "your work as a user researcher at Acme"),
    ],
)
def test_outreach_puts_the_right_article_before_the_role(
    fresh: Path, role: str, phrase: str
) -> None:
    invoke(fresh, "new", "org", "Acme", "--as-of", "2026-11-21")
    invoke(fresh, "new", "contact", "Jane", "--org", "Acme", "--role", role)
    result = invoke(fresh, "outreach", "Jane", "--as-of", "2026-11-21")
    assert phrase in result.stdout
    assert result.stderr == ""  # never met: nothing to warn about


def test_outreach_warns_when_you_already_met_them(sample: Path) -> None:
    never_met = invoke(sample, "outreach", "Lucas Ferreira", "--as-of", "2026-12-20")
    assert "warning" not in never_met.stderr
    after = invoke(sample, "outreach", "Priya Raman", "--as-of", "2026-12-20")
    assert after.exit_code == 0
    lines = after.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("warning: you already interviewed Priya Raman on 2026-11-04")


@pytest.mark.parametrize(
    ("as_of", "subject"),
    [
        ("2026-11-21", "Subject: Thank you for your time on Friday"),  # the day after
        ("2026-12-20", "Subject: Thank you for your time on November 20"),  # weeks later
        ("2027-01-10", "Subject: Thank you for your time on November 20, 2026"),
    ],
)
def test_the_thank_you_subject_names_the_day_rightly(
    sample: Path, as_of: str, subject: str
) -> None:
    result = invoke(sample, "thank-you", "Aisha Mohammed", "--as-of", as_of)
    assert result.exit_code == 0, result.output
    assert f"\n{subject}\n" in result.stdout
    assert "today" not in result.stdout.splitlines()[1]


def test_the_thank_you_recalls_the_interview_notes(sample: Path) -> None:
    result = invoke(sample, "thank-you", "Aisha Mohammed", "--as-of", "2026-11-21")
    # Quoted as the user's own note for them to put in their words: notes are
    # often in the third person ("He said ..."), which reads wrong pasted in.
    assert '[From your notes: "Recruiting through state associations' in result.stdout
    assert "[One specific thing" not in result.stdout
    assert result.stderr == ""  # not sent yet


def test_a_thank_you_from_an_unfilled_note_keeps_the_prompt(fresh: Path) -> None:
    invoke(fresh, "new", "contact", "Jane")
    invoke(fresh, "new", "interview", "Jane", "--at", "2026-11-20 10:00", "--as-of", "2026-11-19")
    result = invoke(fresh, "thank-you", "Jane", "--as-of", "2026-11-21")
    assert result.exit_code == 0, result.output
    assert "[One specific thing they said that stayed with you" in result.stdout
    assert "From your notes" not in result.stdout


def test_the_thank_you_warns_when_it_was_already_sent(sample: Path) -> None:
    result = invoke(sample, "thank-you", "Priya Raman", "--as-of", "2026-12-20", "--json")
    assert json.loads(result.stdout)["subject"] == "Thank you for your time on November 4"
    assert result.stderr == (
        "warning: you already sent Priya Raman a thank-you on 2026-11-05 "
        "(thank_you_sent in Interviews/2026-11-04 Priya Raman.md)\n"
    )


def test_thank_you_and_graph_top_take_as_of(sample: Path) -> None:
    early = invoke(sample, "thank-you", "José Martínez", "--as-of", "2026-11-22")
    assert early.exit_code == 2 and "still to come on 2026-11-23" in early.stderr
    late = invoke(sample, "thank-you", "José Martínez", "--as-of", "2026-11-24")
    assert late.exit_code == 0, late.output

    def interviewed(as_of: str) -> int:
        rows = json.loads(invoke(sample, "graph", "top", "--as-of", as_of, "--json").stdout)
        return sum(row["interviewed"] for row in rows)

    # José's interview (2026-11-23, planned) counts once it has taken place.
    assert interviewed("2026-11-22") < interviewed("2026-11-24")


def test_new_dates_its_note_by_as_of(fresh: Path) -> None:
    invoke(fresh, "new", "contact", "Jane", "--as-of", "2027-03-15")
    assert "\n- 2027-03-15: note created\n" in (fresh / "People/Jane.md").read_text()


def test_new_contact_takes_phone_location_and_status(fresh: Path) -> None:
    result = invoke(
        fresh,
        "new",
        "contact",
        "Jane",
        "--phone",
        "+1 555 0100",
        "--location",
        "Pittsburgh",
        "--status",
        "contacted",
    )
    assert result.exit_code == 0, result.output
    text = (fresh / "People/Jane.md").read_text()
    assert '\nphone: "+1 555 0100"\n' in text and '\nlocation: "Pittsburgh"\n' in text
    assert "\nstatus: contacted\n" in text
    assert invoke(fresh, "check").stdout == ""


def _helps(command: click.Command, path: list[str]) -> list[tuple[list[str], str]]:
    from vaultkit.cli import cli

    found = [(path, invoke(None, *path, "--help").stdout)]
    if isinstance(command, click.Group):
        context = click.Context(cli)
        for name in command.list_commands(context):
            sub = command.get_command(context, name)
            if sub is not None and not sub.hidden:
                found += _helps(sub, [*path, name])
    return found


def test_help_summaries_are_whole_and_explain_their_words() -> None:
    from vaultkit.cli import cli

    for path, text in _helps(cli, []):
        listed = text.split("Commands:")[1] if "Commands:" in text else ""
        assert "..." not in listed, f"a summary is cut off in `vaultkit {' '.join(path)} --help`"
        assert "3B7" not in text, path
    for command in ("outreach", "thank-you"):
        text = invoke(None, command, "--help").stdout
        assert "Print the draft as JSON (contact, to, subject, body)" in text
        assert "--as-of" in text


def test_caldav_errors_read_as_a_few_words() -> None:
    from vaultkit.outputs.caldav_push import network_reason, server_address

    assert server_address("http://maya:secret@127.0.0.1:5377/dav/") == "127.0.0.1:5377"
    assert server_address("https://caldav.example.com/") == "caldav.example.com:443"
    try:
        try:
            raise ConnectionRefusedError(111, "Connection refused")
        except OSError as cause:
            raise RuntimeError("HTTPConnectionPool(host='127.0.0.1', port=5377): Max") from cause
    except RuntimeError as error:
        assert network_reason(error) == "connection refused"
    assert network_reason(OSError("[Errno -2] Name or service not known")) == "unknown host name"


def test_the_watchers_midnight_comes_from_its_clock(tmp_path: Path) -> None:
    from vaultkit.daemon.sync import Syncer
    from vaultkit.daemon.watcher import Watcher

    root = tmp_path / "v"
    assert invoke(None, "init", str(root)).exit_code == 0
    (root / ".vaultkit.toml").write_text('timezone = "UTC"\n')
    moment = dt.datetime(2030, 1, 1, 23, 59, tzinfo=dt.UTC)
    watcher = Watcher(root, now=lambda: moment)
    watcher.syncer = Syncer(root)
    watcher._schedule()
    assert watcher._wake_at is not None
    assert 60 <= watcher._wake_at - time.time() <= 70  # 00:00:05 the next day, its clock says


def test_a_new_contact_already_contacted_starts_the_reply_clock(fresh: Path) -> None:
    made = invoke(
        fresh, "new", "contact", "Ana Ñúñez", "--status", "contacted", "--as-of", "2026-11-20"
    )
    assert made.exit_code == 0, made.output
    text = (fresh / "People" / "Ana Ñúñez.md").read_text(encoding="utf-8")
    assert "\ncontacted_on: 2026-11-20\n" in text
    found = json.loads(invoke(fresh, "followups", "--json", "--as-of", "2026-11-30").stdout)
    assert [(f["kind"], f["due"]) for f in found] == [
        ("nudge", "2026-11-25"),
        ("move-on", "2026-12-01"),
    ]
    invoke(fresh, "new", "contact", "Bo", "--as-of", "2026-11-20")
    assert "\ncontacted_on:\n" in (fresh / "People" / "Bo.md").read_text(encoding="utf-8")
