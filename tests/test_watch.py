"""The real watcher on a temp vault: started as users start it, driven by
editor-style saves, observed through its outputs. Every wait is on a
condition with a timeout, never a bare sleep."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import icalendar
import pytest

from tests.conftest import REPO, invoke

# realclock: the watcher compares the files' real times with its clock, which
# faketime moves but the file system does not (see the README's testing notes).
pytestmark = [
    pytest.mark.skipif(os.name != "posix", reason="signals and inotify: POSIX"),
    pytest.mark.realclock,
]


def wait_until(condition: Callable[[], object], timeout: float = 10.0) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for {condition.__doc__}")


def save_like_an_editor(path: Path, text: str) -> None:
    """Write a temp file beside the note, then rename it over (Obsidian, vim)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.swp")
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, path)


def events(root: Path) -> dict[str, str]:
    """Summary → UID of every event in the calendar."""
    try:
        text = (root / "vaultkit" / "followups.ics").read_bytes().decode()
        calendar = icalendar.Calendar.from_ical(text)
    except (OSError, ValueError):
        return {}
    return {str(e["SUMMARY"]): str(e["UID"]) for e in calendar.walk("VEVENT")}


@pytest.fixture
def watched(vault: Path, write) -> Iterator[tuple[Path, subprocess.Popen[bytes]]]:  # type: ignore[no-untyped-def]
    write(
        "People/Jane Doe.md", "---\nid: c-jane\nstatus: contacted\ncontacted_on: 2030-03-04\n---\n"
    )
    write(
        "Interviews/2030-03-10 Jane Doe.md",
        '---\nid: i-jane\ncontact: "[[Jane Doe]]"\ndate: 2030-03-10 10:00\n---\n',
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "vaultkit", "--vault", str(vault), "watch", "-v"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, "VAULTKIT_STUB_SETTLE": "1"},  # stubs after 1 s, not 30
    )
    try:
        wait_until(lambda: "Interview with Jane Doe" in events(vault), 20)
        yield vault, process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.mark.slow
def test_the_watcher_keeps_outputs_current(watched: tuple[Path, subprocess.Popen[bytes]]) -> None:
    root, process = watched
    jane = root / "Interviews" / "2030-03-10 Jane Doe.md"
    uid = events(root)["Interview with Jane Doe"]

    # an edit reaches the calendar
    save_like_an_editor(jane, jane.read_text().replace("10:00", "11:30"))

    def moved() -> bool:
        """the interview moved to 11:30"""
        text = (root / "vaultkit" / "followups.ics").read_bytes().decode()
        return "DTSTART;TZID=America/New_York:20300310T113000" in text

    wait_until(moved)

    # a burst of saves, each sooner than the watcher settles: the calendar
    # goes from the time before the burst straight to the last one
    calendar = root / "vaultkit" / "followups.ics"
    text = jane.read_text()
    temps = []
    for hour in ("12", "13", "14", "15"):  # written first, so the renames come microseconds apart
        temps.append(jane.with_name(f".{jane.name}.{hour}.swp"))
        temps[-1].write_text(re.sub(r"\d\d:\d\d", f"{hour}:30", text), encoding="utf-8")
    for temp in temps:
        os.replace(temp, jane)
    seen = set()
    deadline = time.monotonic() + 20
    while "T153000" not in seen and time.monotonic() < deadline:
        text = calendar.read_bytes().decode()
        seen |= set(re.findall(r"DTSTART;TZID=America/New_York:20300310(T\d{6})", text))
        time.sleep(0.002)
    assert seen == {"T113000", "T153000"}

    # a new interview with referrals creates a stub contact
    save_like_an_editor(root / "People" / "Li Wei.md", "---\nid: c-li\n---\n")
    save_like_an_editor(
        root / "Interviews" / "2030-03-12 Li Wei.md",
        '---\nid: i-li\ncontact: "[[Li Wei]]"\ndate: 2030-03-12 09:00\n'
        'referrals: ["[[Sam Newcomer]]"]\n---\n',
    )
    stub = root / "People" / "Sam Newcomer.md"
    wait_until(stub.exists)
    assert 'referred_by: ["[[Li Wei]]"]' in stub.read_text()
    wait_until(lambda: "Interview with Li Wei" in events(root))

    # a rename keeps the UIDs (the note has an id)
    os.rename(jane, root / "Interviews" / "Jane Doe (moved).md")
    wait_until(
        lambda: (
            "Jane Doe (moved)"
            in (root / "vaultkit" / "followups.ics").read_bytes().decode().replace("\r\n ", "")
        )
    )
    assert events(root)["Interview with Jane Doe"] == uid

    # a broken note does not stop it
    save_like_an_editor(root / "People" / "Broken.md", "---\nname: [unclosed\n---\n")
    save_like_an_editor(
        root / "People" / "After.md", "---\nstatus: contacted\ncontacted_on: 2030-03-04\n---\n"
    )
    wait_until(lambda: any("No reply from After" in s for s in events(root)))

    # a delete removes its events
    os.remove(root / "Interviews" / "2030-03-12 Li Wei.md")
    wait_until(lambda: "Interview with Li Wei" not in events(root))

    # idle: no output is rewritten
    outputs = [
        root / "vaultkit" / name for name in ("followups.ics", "Dashboard.md", "Referral map.md")
    ]
    before = wait_until(lambda: _quiet(outputs))  # the last pass has finished writing
    time.sleep(1.5)  # watching for writes that must not happen
    assert [p.stat().st_mtime_ns for p in outputs] == before
    assert process.poll() is None
    assert not [p for p in (root / "vaultkit").iterdir() if p.name.endswith("-tmp")]

    # SIGTERM stops it within a second
    process.send_signal(signal.SIGTERM)
    started = time.monotonic()
    process.wait(timeout=5)
    assert time.monotonic() - started < 1.5
    log = process.stdout.read().decode() if process.stdout else ""
    assert "stopped" in log and "Traceback" not in log
    assert "People/Broken.md:2: error: front-matter is not valid YAML" in log


def _quiet(paths: list[Path]) -> list[int] | None:
    """the outputs unchanged for half a second"""
    before = [p.stat().st_mtime_ns for p in paths]
    time.sleep(0.5)
    return before if [p.stat().st_mtime_ns for p in paths] == before else None


def test_one_watcher_per_vault(watched: tuple[Path, subprocess.Popen[bytes]]) -> None:
    root, _ = watched
    result = invoke(root, "watch")
    assert result.exit_code == 2
    assert "already watching this vault" in result.stderr


@pytest.mark.slow
def test_the_vault_vanishing_and_coming_back_is_survived(
    watched: tuple[Path, subprocess.Popen[bytes]], tmp_path: Path
) -> None:
    root, process = watched
    aside = tmp_path / "unmounted"
    os.rename(root, aside)
    time.sleep(1.2)  # long enough for the watcher to notice the folder is gone
    assert process.poll() is None
    os.rename(aside, root)
    save_like_an_editor(
        root / "People" / "Back.md", "---\nstatus: contacted\ncontacted_on: 2030-03-04\n---\n"
    )
    wait_until(lambda: any("No reply from Back" in s for s in events(root)), 20)
    assert process.poll() is None


@pytest.mark.slow
def test_half_typed_referrals_never_become_notes(vault: Path, write) -> None:  # type: ignore[no-untyped-def]
    """Obsidian saves while you type: [[Sa]], [[Sam N]], [[Sam Newman]]. Only the
    name the note settles on gets a stub."""
    write("People/Li.md", "---\nid: c-li\n---\n")
    process = subprocess.Popen(
        [sys.executable, "-m", "vaultkit", "--vault", str(vault), "watch"],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "VAULTKIT_STUB_SETTLE": "2"},
    )
    try:
        wait_until(lambda: (vault / "vaultkit" / "followups.ics").exists(), 20)
        interview = vault / "Interviews" / "2030-03-12 Li.md"
        for typed in ("Sa", "Sam N", "Sam Newman"):
            save_like_an_editor(
                interview,
                f'---\ncontact: "[[Li]]"\ndate: 2030-03-12 09:00\n'
                f'referrals: ["[[{typed}]]"]\n---\n',
            )
            time.sleep(0.5)
        wait_until((vault / "People" / "Sam Newman.md").exists, 20)
        assert sorted(p.name for p in (vault / "People").iterdir()) == ["Li.md", "Sam Newman.md"]
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=5)


def test_templates_and_deleted_outputs_trigger_a_pass(
    watched: tuple[Path, subprocess.Popen[bytes]],
) -> None:
    root, _ = watched
    dashboard = root / "vaultkit" / "Dashboard.md"
    wait_until(dashboard.exists)
    dashboard.unlink()
    wait_until(dashboard.exists)  # written again without any note changing
    ics = root / "vaultkit" / "followups.ics"
    save_like_an_editor(
        root / "Interviews" / "2030-03-10 Jane Doe.md",
        '---\nid: i-jane\ncontact: "[[Jane Doe]]"\ndate: 2030-03-10 10:00\nstatus: done\n---\n',
    )
    template = root / "Templates" / "vaultkit" / "thank-you.md"

    def drafted() -> bool:
        """the calendar quotes the new template"""
        return "Cheers from a custom template" in ics.read_bytes().decode().replace("\r\n ", "")

    save_like_an_editor(template, "Subject: Thanks!\n\nCheers from a custom template\n")
    wait_until(drafted)


@pytest.mark.slow
def test_a_replaced_vault_folder_is_watched_anew(
    watched: tuple[Path, subprocess.Popen[bytes]], tmp_path: Path
) -> None:
    root, process = watched
    backup = tmp_path / "backup"
    shutil.copytree(root, backup)
    shutil.rmtree(root)
    shutil.copytree(backup, root)  # rm -rf vault && cp -r backup vault
    time.sleep(1)
    save_like_an_editor(
        root / "People" / "Fresh.md", "---\nstatus: contacted\ncontacted_on: 2030-03-04\n---\n"
    )
    wait_until(lambda: any("No reply from Fresh" in s for s in events(root)), 20)
    assert process.poll() is None
