"""`vaultkit calendar push` against a real CalDAV server: Radicale, started on
127.0.0.1 with a password file, as a user's server would be."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import caldav
import pytest

from tests.conftest import REPO, invoke

FIXTURE = REPO / "tests" / "fixtures" / "calendar-vault"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        (folder / "users").write_text("maya:secret\n")
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "radicale",
                "--server-hosts",
                f"127.0.0.1:{self.port}",
                "--storage-filesystem-folder",
                str(self.folder / "collections"),
                "--auth-type",
                "htpasswd",
                "--auth-htpasswd-filename",
                str(self.folder / "users"),
                "--auth-htpasswd-encryption",
                "plain",
                "--logging-level",
                "error",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("Radicale did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def calendar(self) -> caldav.Calendar:
        client = caldav.DAVClient(url=self.url, username="maya", password="secret")
        (calendar,) = [
            c for c in client.principal().calendars() if c.get_display_name() == "Career follow-ups"
        ]
        return calendar

    def uids(self) -> set[str]:
        return {str(event.icalendar_component["UID"]) for event in self.calendar().events()}


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    running = Server(tmp_path)
    running.start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def vault(tmp_path: Path, server: Server, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "calendar-vault"
    shutil.copytree(FIXTURE, root)
    config = root / ".vaultkit.toml"
    config.write_text(
        config.read_text().replace(
            '[calendar]\nname = "Test follow-ups"',
            f'[calendar]\nname = "Test follow-ups"\n\n[caldav]\nurl = "{server.url}"\n'
            'username = "maya"\ncalendar = "Career follow-ups"',
        )
    )
    monkeypatch.setenv("VAULTKIT_CALDAV_PASSWORD", "secret")
    return root


def push(root: Path, as_of: str = "2026-11-21") -> str:
    result = invoke(root, "calendar", "push", "--as-of", as_of)
    assert result.exit_code == 0, result.output
    return result.stdout


def feed_uids(root: Path) -> set[str]:
    import icalendar

    text = (root / "vaultkit" / "followups.ics").read_bytes()
    return {str(e["UID"]) for e in icalendar.Calendar.from_ical(text).walk("VEVENT")}


@pytest.mark.slow
def test_push_keeps_the_server_equal_to_the_feed(vault: Path, server: Server) -> None:
    first = push(vault)
    assert "(9 sent, 0 deleted, 0 unchanged)" in first
    assert server.uids() == feed_uids(vault)
    for event in server.calendar().events():  # each resource carries its own time zone
        if "TZID=" in event.data:
            assert "BEGIN:VTIMEZONE" in event.data

    assert "(0 sent, 0 deleted, 9 unchanged)" in push(vault)  # nothing changed, nothing sent

    # someone else's event in the same calendar
    server.calendar().save_event(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//other//EN\r\nBEGIN:VEVENT\r\n"
        "UID:dentist@example.com\r\nDTSTAMP:20261121T000000Z\r\nDTSTART;VALUE=DATE:20261130\r\n"
        "SUMMARY:Dentist\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )

    # a note change updates exactly its events
    note = vault / "Interviews" / "2026-12-02 Lou Chen.md"
    note.write_text(note.read_text().replace("09:30-08:00", "10:30-08:00"))
    assert "(1 sent, 0 deleted, 8 unchanged)" in push(vault, "2026-11-22")

    # a reply ends the 3B7 nudges: their events leave the server
    invoke(vault, "done", "reply", "Pat Kim", "--on", "2026-11-24")
    assert "(0 sent, 2 deleted, 7 unchanged)" in push(vault, "2026-11-24")
    assert server.uids() == feed_uids(vault) | {"dentist@example.com"}


@pytest.mark.slow
def test_a_wrong_password_is_one_line(
    vault: Path, server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VAULTKIT_CALDAV_PASSWORD", "wrong")
    result = invoke(vault, "calendar", "push")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"vaultkit: {server.url} refused user 'maya': wrong user")
    assert len(result.stderr.splitlines()) == 1


def test_no_password_anywhere_says_how_to_give_one(
    vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VAULTKIT_CALDAV_PASSWORD")
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    result = invoke(vault, "calendar", "push")
    assert result.exit_code == 1
    assert "run `vaultkit calendar login`" in result.stderr


@pytest.mark.slow
def test_a_server_that_goes_away_is_survived(vault: Path, server: Server) -> None:
    push(vault)
    server.stop()
    note = vault / "Interviews" / "2026-12-02 Lou Chen.md"
    note.write_text(note.read_text().replace("09:30-08:00", "11:30-08:00"))
    result = invoke(vault, "calendar", "push", "--as-of", "2026-11-22")
    assert result.exit_code == 1
    # One line a person can act on, not the HTTP library's nested exceptions.
    assert result.stderr == f"vaultkit: cannot reach 127.0.0.1:{server.port}: connection refused\n"
    server.start()
    assert "(1 sent, 0 deleted, 8 unchanged)" in push(vault, "2026-11-22")
    assert server.uids() == feed_uids(vault)


@pytest.mark.slow
def test_sync_pushes_and_retries_later_when_the_server_is_down(vault: Path, server: Server) -> None:
    import datetime as dt

    from vaultkit.daemon.sync import Syncer

    result = invoke(vault, "sync", "--as-of", "2026-11-21")
    assert f"pushed   {server.url}" in result.stdout
    server.stop()
    note = vault / "Interviews" / "2026-12-02 Lou Chen.md"
    note.write_text(note.read_text().replace("09:30-08:00", "12:30-08:00"))
    failed = invoke(vault, "sync", "--as-of", "2026-11-22")
    refused = f"cannot reach 127.0.0.1:{server.port}: connection refused"
    # A one-shot sync does not retry, so it does not say it will.
    assert f"failed   caldav push ({refused}; the next sync" in failed.stdout
    assert "retrying" not in failed.stdout
    assert failed.exit_code == 1
    assert (vault / "vaultkit" / "Dashboard.md").exists()  # the rest of the pass went on
    # The watcher's syncer does retry, and says when.
    watching = Syncer(vault, retries=True)
    now = dt.datetime(2026, 11, 22, tzinfo=dt.UTC)
    lines = [c.line() for c in watching.run(now)]
    assert f"failed   caldav push ({refused}; retrying in 30 s)" in lines
