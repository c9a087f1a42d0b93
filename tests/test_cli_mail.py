"""`vaultkit mail scan` as a user runs it: the README's tour on the sample
vault's Maildir, --apply, the JSON, a scan that finds nothing new, and the
daemon's scheduled scan (the IMAP account is tested against Dovecot on its own)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

from tests.conftest import invoke
from vaultkit.daemon.sync import Syncer
from vaultkit.notes.note import parse_note

EXPECTED = [
    ("Ben Adler", "replied_on", "2026-11-19"),
    ("Ben Adler", "last_contact", "2026-11-19"),
    ("Beth Sullivan", "replied_on", "2026-11-21"),  # her scheduler answered her thread
    ("Beth Sullivan", "last_contact", "2026-11-21"),
    ("Kevin O'Neill", "contacted_on", "2026-11-20"),  # your request, from the Sent folder
    ("Kevin O'Neill", "last_contact", "2026-11-20"),
    ("Tom Becker", "last_contact", "2026-11-15"),  # an answer to the thank-you: no reply
]


def scan(root: Path, *args: str) -> list[dict]:
    result = invoke(root, "mail", "scan", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def fields(root: Path, name: str) -> dict:
    return parse_note("x.md", (root / f"People/{name}.md").read_bytes()).fields


def test_the_tour_scans_the_sample_maildir(sample: Path) -> None:
    before = {p: p.read_bytes() for p in sample.rglob("*.md")}
    assert open_nudges(sample) == ["nudge", "move-on"]  # no reply recorded yet
    before = {p: p.read_bytes() for p in sample.rglob("*.md")}
    proposed = scan(sample, str(sample / "Mail"))
    assert [(p["contact"], p["key"], p["value"]) for p in proposed] == EXPECTED
    ben = proposed[0]
    assert ben["path"] == "People/Ben Adler.md"
    assert ben["message"]["subject"] == "Re: Informational interview request"
    assert ben["message"]["from"] == ["badler@meridianpolicy.example"]
    assert ben["message"]["date"].startswith("2026-11-19T14:02:11")
    assert {p: p.read_bytes() for p in sample.rglob("*.md")} == before  # a scan writes nothing

    shown = invoke(sample, "mail", "scan", str(sample / "Mail"))
    assert "7 dates from 10 messages proposed (--apply writes them)" in shown.stdout

    applied = invoke(sample, "mail", "scan", str(sample / "Mail"), "--apply")
    assert applied.exit_code == 0, applied.output
    ben_note = (sample / "People/Ben Adler.md").read_text(encoding="utf-8")
    assert "- 2026-11-19: replied by e-mail: Re: Informational interview request\n" in ben_note
    assert fields(sample, "Ben Adler")["replied_on"] == "2026-11-19"
    assert fields(sample, "Ben Adler")["status"] == "contacted"  # a reply is not a meeting
    assert fields(sample, "Kevin O'Neill")["contacted_on"] == "2026-11-20"
    changed = {p for p in sample.rglob("*.md") if p.read_bytes() != before.get(p)}
    assert {p.stem for p in changed} == {
        "Ben Adler",
        "Beth Sullivan",
        "Kevin O'Neill",
        "Tom Becker",
    }

    after = {p: p.read_bytes() for p in sample.rglob("*.md")}
    assert scan(sample, str(sample / "Mail")) == []  # each message counts once
    assert {p: p.read_bytes() for p in sample.rglob("*.md")} == after

    assert open_nudges(sample) == []  # his reply stopped the 3B7 clock


def open_nudges(root: Path) -> list[str]:
    followups = json.loads(invoke(root, "followups", "--json", "--as-of", "2026-11-24").stdout)
    return [
        f["kind"]
        for f in followups
        if f["contact"] == "Ben Adler" and f["kind"] in ("nudge", "move-on") and not f["done"]
    ]


def test_nothing_to_scan_and_a_path_that_is_no_mail(sample: Path, tmp_path: Path) -> None:
    nothing = invoke(sample, "mail", "scan")
    assert nothing.exit_code == 2 and "no mail to scan" in nothing.stderr
    text = tmp_path / "notes.txt"
    text.write_text("hello\n")
    wrong = invoke(sample, "mail", "scan", str(text))
    assert wrong.exit_code == 2 and "notes.txt" in wrong.stderr and "Traceback" not in wrong.output
    assert (
        invoke(sample, "mail", "scan", str(sample / "Mail"), "--status", "scheduled").exit_code == 2
    )


def test_the_daemon_scans_on_schedule_and_shows_what_it_found(sample: Path) -> None:
    config = sample / ".vaultkit.toml"
    config.write_text(
        config.read_text(encoding="utf-8")
        + f'\n[mail]\npaths = ["{sample / "Mail"}"]\nscan_every = "15m"\n',
        encoding="utf-8",
    )
    clock = [1_000_000.0]
    syncer = Syncer(sample, clock=lambda: clock[0])
    now = dt.datetime(2026, 11, 24, 9, tzinfo=ZoneInfo("America/New_York"))
    syncer.run(now)
    dashboard = (sample / "vaultkit/Dashboard.md").read_text(encoding="utf-8")
    assert "## Your mail says (7)" in dashboard and "replied_on 2026-11-19" in dashboard
    assert fields(sample, "Ben Adler").get("replied_on") is None  # apply is off

    config.write_text(config.read_text(encoding="utf-8") + "apply = true\n", encoding="utf-8")
    syncer.reload()
    clock[0] += 60  # not yet 15 minutes: no scan
    syncer.run(now)
    assert fields(sample, "Ben Adler").get("replied_on") is None
    clock[0] += 15 * 60
    changes = syncer.run(now)
    assert fields(sample, "Ben Adler")["replied_on"] == "2026-11-19"
    assert any(c.action == "updated" and c.path == "People/Ben Adler.md" for c in changes)
    dashboard = (sample / "vaultkit/Dashboard.md").read_text(encoding="utf-8")
    assert "Your mail says" not in dashboard
