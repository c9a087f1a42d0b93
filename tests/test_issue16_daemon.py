"""Issue 16, points 6, 7, 8 and 10: the daemon across a replaced vault folder,
retried writes, names that would inject Markdown, and the smaller faults."""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import re
import time
from pathlib import Path

import pytest

from tests.conftest import invoke

NOW = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)


# -- 8. file names cannot inject Markdown into the dashboard -------------------


@pytest.mark.parametrize("name", ["Eve\n## INJECTED HEADING\n", "Eve]] ## INJECTED", "Eve|x]]"])
def test_file_names_cannot_inject_markdown_into_the_dashboard(vault: Path, write, name) -> None:  # type: ignore[no-untyped-def]
    write(
        f"People/{name}.md",
        "---\nstatus: contacted\ncontacted_on: 2026-11-16\n---\n- [ ] Call back 📅 2026-11-20\n",
    )
    invoke(vault, "sync", "--as-of", "2026-11-24")
    dashboard = (vault / "vaultkit" / "Dashboard.md").read_text()
    assert not any(line.startswith("## INJECTED") for line in dashboard.splitlines())
    line = next(ln for ln in dashboard.splitlines() if "Call back" in ln)
    destination = line.split("](", 1)[-1].split(")", 1)[0]
    assert re.fullmatch(r"[A-Za-z0-9/%._~-]+", destination), line
    # still a link to the note, in a form that cannot be broken out of
    assert "](People/Eve" in line and line.count("[[") == 0
    check = invoke(vault, "check", "--json")
    codes = {d["code"] for d in json.loads(check.stdout)}
    assert "unsafe-name" in codes


def test_referral_map_does_not_link_an_unsafe_name(vault: Path, write) -> None:  # type: ignore[no-untyped-def]
    write("People/Ann.md", "---\nstatus: contacted\n---\n")
    write(
        "People/Bo\n## INJECTED.md",
        '---\nstatus: contacted\nreferred_by: "[[Ann]]"\n---\n',
    )
    invoke(vault, "sync", "--as-of", "2026-11-24")
    text = (vault / "vaultkit" / "Referral map.md").read_text()
    assert not any(line.startswith("## INJECTED") for line in text.splitlines())
    diagram = text.split("```mermaid\n")[2]
    # Ann stays a link; the unsafe name is drawn as plain text, not a broken link
    assert "internal-link" in diagram
    bo = next(line.split("[")[0].strip() for line in diagram.splitlines() if "Bo" in line)
    links = next(line for line in diagram.splitlines() if "internal-link" in line)
    assert bo not in links.split()[1].split(",")


# -- 7. failed writes are retried with backoff; status shows the error ----------


class _Clock:
    """The seconds a Syncer waits by, moved by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_failed_write_is_retried_with_backoff_until_it_succeeds(
    vault: Path,
    write,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from vaultkit.daemon import service, sync
    from vaultkit.daemon.sync import Syncer

    write("People/Jane.md", "---\nstatus: contacted\ncontacted_on: 2026-11-16\n---\n")
    real_write = sync.write_atomic
    failures = {"left": 2}

    def full_disk(path: Path, data: object, **options: object) -> None:
        if failures["left"] > 0 and path.name == "Dashboard.md":
            failures["left"] -= 1
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        real_write(path, data, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(sync, "write_atomic", full_disk)
    clock = _Clock()
    syncer = Syncer(vault, retries=True, clock=clock)
    state = service.StateFile(vault)
    state.start()
    lines = [c.line() for c in syncer.run(NOW)]
    state.record_pass(lines)
    dashboard = vault / "vaultkit" / "Dashboard.md"
    assert not dashboard.exists()
    assert any(ln.startswith("failed   vaultkit/Dashboard.md (No space left") for ln in lines)
    first_wait = syncer.retry_write_at - clock.now
    assert first_wait > 0 and "retrying in" in " ".join(lines)
    error = service.status(vault).last_error
    assert error is not None and "No space left on device" in error
    # nothing changed in the vault: the retry alone brings the outputs back
    clock.now = syncer.retry_write_at
    state.record_pass([c.line() for c in syncer.run(NOW)])
    assert syncer.retry_write_at - clock.now > first_wait  # backing off
    assert service.status(vault).last_error is not None
    clock.now = syncer.retry_write_at
    state.record_pass([c.line() for c in syncer.run(NOW)])
    assert dashboard.exists() and syncer.retry_write_at == 0
    assert service.status(vault).last_error is None  # shown until a write succeeds


def test_the_watcher_wakes_for_a_write_retry(vault: Path) -> None:
    from vaultkit.daemon.sync import Syncer
    from vaultkit.daemon.watcher import Watcher

    watcher = Watcher(vault, now=lambda: NOW)
    watcher.syncer = Syncer(vault, retries=True)
    watcher.syncer.retry_write_at = time.time() + 7
    watcher._schedule()
    assert watcher._wake_at is not None and watcher._wake_at <= time.time() + 7.5


def test_an_output_path_that_is_a_folder_is_retried(vault: Path, write) -> None:  # type: ignore[no-untyped-def]
    from vaultkit.daemon.sync import Syncer

    write("People/Jane.md", "---\nstatus: contacted\ncontacted_on: 2026-11-16\n---\n")
    blocker = vault / "vaultkit" / "followups.ics"
    blocker.mkdir(parents=True)  # root ignores chmod; a folder in the way stops anyone
    clock = _Clock()
    syncer = Syncer(vault, retries=True, clock=clock)
    assert any(c.action == "failed" for c in syncer.run(NOW))
    assert syncer.retry_write_at > clock.now
    blocker.rmdir()
    clock.now = syncer.retry_write_at
    assert any(c.line().startswith("wrote    vaultkit/followups.ics") for c in syncer.run(NOW))
    assert syncer.retry_write_at == 0


# -- 6. one daemon per vault, across a vault folder deleted and made again ------


def _replace_folder(root: Path) -> None:
    """rm -rf the vault, then make it again (a restore, a fresh clone). A
    running watcher may be writing into it meanwhile (its pass goes on after
    the calendar appears): run again, as one would run ``rm -rf`` again."""
    import shutil

    for _ in range(100):
        try:
            shutil.rmtree(root)
            break
        except OSError:  # a file written into a folder as it was emptied
            time.sleep(0.05)
    root.mkdir()
    (root / ".vaultkit.toml").write_text('timezone = "America/New_York"\n', encoding="utf-8")


@pytest.mark.skipif(os.name != "posix", reason="flock")
def test_a_lock_follows_a_replaced_vault_folder(vault: Path) -> None:
    from vaultkit.daemon.service import DaemonLock, status

    lock = DaemonLock(vault)
    assert lock.acquire()
    try:
        _replace_folder(vault)
        assert lock.follow()  # what the watcher does on noticing the new folder
        assert status(vault).running and status(vault).pid == os.getpid()
        second = invoke(vault, "watch")
        assert second.exit_code == 2 and "already watching this vault" in second.stderr
        # someone else got the new folder first: this one must give way
        _replace_folder(vault)
        other = DaemonLock(vault)
        assert other.acquire()
        assert not lock.follow()
        other.release()
    finally:
        lock.release()


@pytest.mark.skipif(os.name != "posix", reason="flock")
@pytest.mark.realclock  # a real watcher thread on real file events
def test_the_watcher_follows_a_replaced_vault_folder(vault: Path, write) -> None:  # type: ignore[no-untyped-def]
    import threading

    from vaultkit.daemon.service import DaemonLock, status
    from vaultkit.daemon.watcher import Watcher

    write("People/Jane.md", "---\nstatus: contacted\ncontacted_on: 2026-11-16\n---\n")
    lock = DaemonLock(vault)
    assert lock.acquire()
    watcher = Watcher(vault, now=lambda: NOW, keep_lock=lock.follow)
    thread = threading.Thread(target=watcher.run, daemon=True)
    thread.start()
    try:
        calendar = vault / "vaultkit" / "followups.ics"
        deadline = time.monotonic() + 20
        while not calendar.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert calendar.exists()
        _replace_folder(vault)
        (vault / "People").mkdir()
        (vault / "People" / "Lou.md").write_text(
            "---\nstatus: contacted\ncontacted_on: 2026-11-16\n---\n", encoding="utf-8"
        )
        dashboard = vault / "vaultkit" / "Dashboard.md"
        while time.monotonic() < deadline and not (
            dashboard.exists() and "Lou" in dashboard.read_text() and status(vault).running
        ):
            time.sleep(0.05)
        assert "Lou" in dashboard.read_text()  # it watches the new folder
        assert status(vault).pid == os.getpid()  # and status sees it there
    finally:
        watcher.stop()
        thread.join(10)
        lock.release()
    assert not thread.is_alive()


# -- 10. the smaller ones ---------------------------------------------------------


def test_a_deeply_nested_config_is_one_line(vault: Path) -> None:
    (vault / ".vaultkit.toml").write_text("x = " + "[" * 3000 + "]" * 3000 + "\n")
    result = invoke(vault, "list", "contacts")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and ".vaultkit.toml" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(os.name != "posix", reason="symlinks")
def test_a_state_folder_linked_out_of_the_vault_is_refused(
    vault: Path, write, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    write("People/Jane.md", "---\nstatus: contacted\n---\n")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (vault / ".vaultkit").symlink_to(outside)
    listed = invoke(vault, "list", "contacts")
    assert listed.exit_code == 0 and "Jane" in listed.stdout
    watched = invoke(vault, "watch")
    assert watched.exit_code == 2
    assert "outside the vault" in watched.stderr and watched.stderr.count("\n") == 1
    assert list(outside.iterdir()) == []  # no cache, lock or log written out there


def test_a_stub_answers_to_the_name_the_referral_wrote(vault: Path, write) -> None:  # type: ignore[no-untyped-def]
    write("People/Ann.md", "---\nstatus: interviewed\n---\n")
    write(
        "Interviews/2026-11-10 Ann.md",
        '---\ncontact: "[[Ann]]"\ndate: 2026-11-10 10:00\nstatus: done\n'
        'referrals: ["Stub\\u2028END:VEVENT"]\n---\n',
    )
    first = invoke(vault, "sync", "--as-of", "2026-11-24")
    assert "created  People/Stub END-VEVENT.md" in first.stdout
    again = invoke(vault, "sync", "--as-of", "2026-11-24")
    assert again.stdout == "nothing changed\n"
    assert "no stub" not in again.stderr  # the referral resolves to the stub now
    from vaultkit.domain.career import CareerVault
    from vaultkit.outputs.stubs import plan_stubs
    from vaultkit.vault.index import VaultIndex

    assert plan_stubs(CareerVault(VaultIndex.load(vault)), NOW) == ([], [])
    assert invoke(vault, "check", "--as-of", "2026-11-24").stdout == ""


def test_leftover_temp_files_are_removed_at_the_start(vault: Path, write) -> None:  # type: ignore[no-untyped-def]
    from vaultkit.daemon.sync import Syncer

    note = write("People/Jane.md", "---\nstatus: contacted\n---\n")
    (vault / "vaultkit").mkdir()
    now = note.stat().st_mtime
    old = [
        vault / "vaultkit" / ".followups.ics.ab12cd.vaultkit-tmp",  # a SIGKILLed sync
        vault / "People" / ".Jane.md.x9y8z7.vaultkit-tmp",  # a SIGKILLed `log`
    ]
    fresh = vault / "vaultkit" / ".Dashboard.md.qq11.vaultkit-tmp"  # a writer at work
    mine = vault / "People" / "notes.vaultkit-tmp"  # not a name vaultkit makes
    for path in (*old, fresh, mine):
        path.write_text("half")
        os.utime(path, (now - 3600, now - 3600))
    os.utime(fresh, (now - 1, now - 1))
    Syncer(vault, clock=lambda: now)
    assert not any(path.exists() for path in old)
    assert fresh.exists() and mine.exists()


@pytest.mark.skipif(os.name != "posix", reason="the background daemon is POSIX")
@pytest.mark.realclock  # a real background daemon
def test_daemon_start_is_truthful_when_its_state_cannot_be_written(vault: Path) -> None:
    state = vault / ".vaultkit" / "daemon.json"
    state.mkdir(parents=True)  # as an immutable .vaultkit/ does, even to root: no state file
    try:
        started = invoke(vault, "daemon", "start")
        assert started.exit_code == 0, started.output
        assert started.stdout.startswith("started  pid ")
        assert "cannot record the daemon's state" in started.stderr
        assert invoke(vault, "daemon", "status").stdout.startswith("running  pid ")
    finally:
        stopped = invoke(vault, "daemon", "stop")
    assert stopped.stdout == "stopped\n"


def test_an_empty_daemon_log_is_never_pointed_at(tmp_path: Path) -> None:
    from vaultkit.daemon.service import _why_no_log

    log = tmp_path / "daemon.log"
    assert f"see {log}" not in _why_no_log(log) and "vaultkit watch" in _why_no_log(log)


def test_links_inside_the_state_folder_are_never_written_through(tmp_path: Path) -> None:
    from vaultkit.daemon.service import DaemonLock
    from vaultkit.safepath import state_file

    root = tmp_path / "vault"
    (root / ".vaultkit").mkdir(parents=True)
    outside = tmp_path / "victim.txt"
    outside.write_text("VICTIM")
    for name in ("daemon.lock", "daemon.log", "index.sqlite"):
        (root / ".vaultkit" / name).symlink_to(outside)
    lock = DaemonLock(root)
    assert lock.acquire()
    assert state_file(root, "daemon.log") == root / ".vaultkit" / "daemon.log"
    assert invoke(root, "list", "contacts", "--json").exit_code == 0  # the cache is made
    assert outside.read_text() == "VICTIM"
    assert not any((root / ".vaultkit" / n).is_symlink() for n in ("daemon.lock", "daemon.log"))
    assert not (root / ".vaultkit" / "index.sqlite").is_symlink()


def test_a_config_that_is_a_fifo_is_one_line_not_a_hang(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    root.mkdir()
    os.mkfifo(root / ".vaultkit.toml")
    result = invoke(root, "list", "contacts")
    assert result.exit_code == 1
    assert result.stderr == "vaultkit: .vaultkit.toml: is not a regular file; not read\n"


def test_status_shows_the_error_a_full_disk_kept_out_of_the_state_file(tmp_path: Path) -> None:
    from vaultkit.daemon.service import STATE_UNWRITABLE, DaemonLock, status

    root = tmp_path / "vault"
    (root / ".vaultkit").mkdir(parents=True)
    lock = DaemonLock(root)
    assert lock.acquire()  # a running daemon, as status sees one
    state = {"pid": os.getpid(), "started": "2026-11-20T09:00:00+00:00"}
    state["last_sync"] = "2026-11-20T09:00:05+00:00"
    (root / ".vaultkit" / "daemon.json").write_text(json.dumps(state))
    log = root / ".vaultkit" / "daemon.log"
    log.write_text(f"2026-11-20 09:10:00 {STATE_UNWRITABLE} No space left on device\n")
    assert status(root).last_error == f"{STATE_UNWRITABLE} No space left on device"
    state["last_sync"] = "2026-11-20T09:20:00+00:00"  # the disk was freed: a pass recorded
    (root / ".vaultkit" / "daemon.json").write_text(json.dumps(state))
    assert status(root).last_error is None
