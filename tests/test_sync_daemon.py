"""`sync`, the dashboard notes, and `daemon start|stop|status|logs|install`."""

from __future__ import annotations

import errno
import os
import time
from pathlib import Path

import pytest

from tests.conftest import invoke


def test_sync_on_the_sample_vault_then_nothing(sample: Path) -> None:
    first = invoke(sample, "sync", "--as-of", "2026-11-21")
    assert first.exit_code == 0, first.output
    assert first.stdout.splitlines() == [
        "created  People/Farah Siddiqui.md (stub: suggested by Elena Brooks)",
        "created  People/Dana Whitfield.md (stub: suggested by Aisha Mohammed)",
        "wrote    vaultkit/followups.ics (61 events)",
        "wrote    vaultkit/Dashboard.md",
        "wrote    vaultkit/Referral map.md",
        "wrote    vaultkit/Contacts.base",
        "wrote    vaultkit/Interviews.base",
        "wrote    vaultkit/Organizations.base",
    ]
    stub = (sample / "People" / "Dana Whitfield.md").read_text()
    assert 'referred_by: ["[[Aisha Mohammed]]"]' in stub and "status: to-contact" in stub
    assert "\nid: c-" in stub
    again = invoke(sample, "sync", "--as-of", "2026-11-21")
    assert again.stdout == "nothing changed\n"
    assert invoke(sample, "check", "--as-of", "2026-11-21").stdout == ""


def test_dashboard_and_map_content(sample: Path) -> None:
    invoke(sample, "sync", "--as-of", "2026-11-21")
    dashboard = (sample / "vaultkit" / "Dashboard.md").read_text()
    assert "## Overdue (3)" in dashboard and "## This week (" in dashboard
    assert "[[People/Rachel Goldberg|Rachel Goldberg]]" in dashboard
    assert "| keep-in-touch | 5 |" in dashboard
    assert "## Recent interviews" in dashboard and "[[Interviews/2026-11-20 Aisha Mohammed|" in (
        dashboard
    )
    referral_map = (sample / "vaultkit" / "Referral map.md").read_text()
    assert referral_map.count("```mermaid\nflowchart LR\n") == 6  # the legend, five referral trees
    assert "class n1,n2,n3" in referral_map and " internal-link\n" in referral_map


def test_names_cannot_break_the_dashboards_markdown(vault: Path, write) -> None:  # type: ignore[no-untyped-def]
    write(
        "People/Eve.md",
        "---\nstatus: contacted\ncontacted_on: 2026-11-16\n"
        'organization: "Evil]] [[Corp | x"\n---\n'
        "- [ ] Pay $5 for `x` [[a|b]] **now** 📅 2026-11-20\n",
    )
    invoke(vault, "sync", "--as-of", "2026-11-24")
    dashboard = (vault / "vaultkit" / "Dashboard.md").read_text()
    line = next(ln for ln in dashboard.splitlines() if "Pay" in ln)
    assert line.count("[[") == line.count("]]") == 1  # only the link back to the note
    assert "\\$5" in line and "\\*\\*now\\*\\*" in line


def test_sync_never_overwrites_a_users_note_in_the_output_folder(vault: Path, write) -> None:  # type: ignore[no-untyped-def]
    mine = write("vaultkit/Dashboard.md", "My own dashboard\n")
    result = invoke(vault, "sync")
    assert "skipped  vaultkit/Dashboard.md (a note of yours has that name" in result.stdout
    assert mine.read_text() == "My own dashboard\n"


def test_watch_limit_is_one_clear_line(vault: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from watchdog.observers import Observer

    def full(self):  # type: ignore[no-untyped-def]
        raise OSError(errno.ENOSPC, "inotify watch limit reached")

    monkeypatch.setattr(Observer, "start", full)
    result = invoke(vault, "watch")
    assert result.exit_code == 1
    assert result.stderr.startswith("vaultkit: the system's limit on watched folders is reached;")
    assert "--polling" in result.stderr and "max_user_watches" in result.stderr


def test_install_prints_a_unit_for_this_vault(vault: Path) -> None:
    from vaultkit.daemon.service import unit_file

    result = invoke(vault, "daemon", "install")
    assert result.exit_code == 0
    assert "ExecStart=" in result.stdout or "<key>ProgramArguments</key>" in result.stdout
    path, text = unit_file(vault / "My Vault", platform="darwin")
    assert path.name == "org.vaultkit.My-Vault.plist"
    assert "<string>watch</string>" in text and "My Vault" in text
    path, text = unit_file(vault / "My Vault", platform="linux")
    assert path.name == "vaultkit-My-Vault.service"
    assert f'--vault "{vault / "My Vault"}" watch' in text


@pytest.mark.slow
@pytest.mark.skipif(os.name != "posix", reason="the background daemon is POSIX")
@pytest.mark.realclock  # a real background watcher: file times are not faked
def test_daemon_start_status_logs_stop(vault: Path, write) -> None:  # type: ignore[no-untyped-def]
    write("People/Jane.md", "---\nstatus: contacted\ncontacted_on: 2030-03-04\n---\n")
    assert invoke(vault, "daemon", "status").stdout == "not running\n"
    try:
        started = invoke(vault, "daemon", "start")
        assert started.exit_code == 0, started.output
        assert started.stdout.startswith("started  pid ")
        again = invoke(vault, "daemon", "start")
        assert again.exit_code == 2 and "already runs for this vault" in again.stderr
        status = invoke(vault, "daemon", "status").stdout
        assert status.startswith("running  pid ") and "last sync  20" in status
        assert (vault / "vaultkit" / "followups.ics").exists()
        assert any(
            "watching" in line for line in invoke(vault, "daemon", "logs").stdout.splitlines()
        )
    finally:
        stopped = invoke(vault, "daemon", "stop")
    assert stopped.stdout == "stopped\n"
    # the vault now has its vaultkit/ output folder: it must not shadow the package
    restarted = invoke(vault, "daemon", "start")
    assert restarted.exit_code == 0, restarted.output
    assert invoke(vault, "daemon", "stop").stdout == "stopped\n"
    deadline = time.monotonic() + 5
    while (
        time.monotonic() < deadline
        and "not running" not in invoke(vault, "daemon", "status").stdout
    ):
        time.sleep(0.05)
    assert invoke(vault, "daemon", "status").stdout.startswith("not running (last sync ")
    assert invoke(vault, "daemon", "stop").stdout == "not running\n"
