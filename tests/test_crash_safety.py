"""Crash safety and fuzzing: outputs are always a complete old or new file,
however a write is interrupted; whatever text a note holds, the calendar
parses and keeps it as text; a burst of thousands of file events coalesces."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import icalendar
import pytest
import vobject
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import REPO, invoke

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL and inotify")


@pytest.fixture(scope="module")
def big_vault(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """1,000 generated notes: enough that a calendar takes a while to write."""
    root = tmp_path_factory.mktemp("crash") / "vault"
    subprocess.run(
        [
            sys.executable,
            str(REPO / "benchmarks" / "generate_vault.py"),
            str(root),
            "--notes",
            "1000",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return root


def complete_calendar(path: Path) -> bool:
    data = path.read_bytes()
    calendar = icalendar.Calendar.from_ical(data)
    return data.endswith(b"END:VCALENDAR\r\n") and len(calendar.walk("VEVENT")) > 0


@pytest.mark.slow
@pytest.mark.parametrize("command", ["calendar", "sync"])
def test_killed_writes_leave_the_old_or_the_new_file(
    big_vault: Path, tmp_path: Path, command: str
) -> None:
    root = tmp_path / "vault"
    shutil.copytree(big_vault, root)
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "vaultkit", "--vault", str(root), command],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    # kill anywhere from interpreter start-up to just past a full run, scaled
    # to this machine's speed so some kills land mid-write and some after it
    full_run = time.monotonic() - started
    outputs = [root / "vaultkit" / "followups.ics"]
    if command == "sync":
        outputs += [root / "vaultkit" / "Dashboard.md", root / "vaultkit" / "Referral map.md"]
    interviews = sorted((root / "Interviews").glob("*.md"))
    rng = random.Random(7)
    versions = {path: {path.read_bytes()} for path in outputs}
    for attempt in range(8):
        # change the vault so every run has something new to write
        note = interviews[attempt]
        with note.open("a") as body:
            body.write(f"\n- [ ] Crash-test task {attempt} 📅 2026-12-{10 + attempt}\n")
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "vaultkit",
                "--vault",
                str(root),
                command,
                "--as-of",
                f"2026-11-{10 + attempt}",
            ],
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.2, 1.3 * full_run) if attempt % 2 else 1.3 * full_run)
        process.send_signal(signal.SIGKILL)
        process.wait()
        for path in outputs:
            assert (
                complete_calendar(path)
                if path.suffix == ".ics"
                else (
                    path.read_text().startswith("---\nvaultkit:")
                    and path.read_text().endswith("\n")
                )
            )
            versions[path].add(path.read_bytes())
    # at least some kills landed after a write: the outputs did change
    assert len(versions[outputs[0]]) > 1
    leftovers = [p for p in (root / "vaultkit").iterdir() if p.name.endswith(".vaultkit-tmp")]
    assert all(p.name.startswith(".") for p in leftovers)  # hidden, and removed later


# Any text but NUL, which makes a file binary junk (reported, never read as a note).
texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=1,
    max_size=120,
).filter(lambda s: s.strip())


@pytest.mark.slow
@settings(
    max_examples=int(os.environ.get("VAULTKIT_FUZZ_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(name=texts, location=texts, task=texts)
def test_any_text_makes_a_calendar_that_parses(
    tmp_path: Path, name: str, location: str, task: str
) -> None:
    from vaultkit.notes.yaml_text import load_yaml_mapping
    from vaultkit.outputs.ics_text import _CONTROL
    from vaultkit.outputs.templates import yaml_value

    root = Path(tempfile.mkdtemp(dir=tmp_path))  # a new vault per example
    (root / "People").mkdir(parents=True)
    (root / "Interviews").mkdir()
    (root / ".vaultkit.toml").write_text('timezone = "UTC"\n')
    (root / "People" / "P.md").write_text(f"---\nname: {yaml_value(name)}\n---\n")
    one_line_task = " ".join(task.split()) or "x"
    (root / "Interviews" / "I.md").write_text(
        f'---\ncontact: "[[P]]"\ndate: 2030-01-02 10:00\nlocation: {yaml_value(location)}\n---\n'
        f"- [ ] {one_line_task} 📅 2030-01-03\n"
    )
    assert load_yaml_mapping(f"l: {yaml_value(location)}\n").data["l"] == location
    result = invoke(root, "calendar", "--out", "-", "--as-of", "2029-12-01")
    assert result.exit_code == 0, result.output
    text = result.stdout_bytes.decode("utf-8")
    calendar = icalendar.Calendar.from_ical(text)
    parsed = vobject.readOne(text)
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert len(events) == len(parsed.vevent_list)
    interview = next(e for s, e in events.items() if s.startswith("Interview with"))

    def as_written(value: str) -> str:
        return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))

    assert str(interview["LOCATION"]) == as_written(location.strip())


@pytest.mark.slow
def test_a_burst_of_events_coalesces_and_ends_equal_to_a_fresh_sync(
    big_vault: Path, tmp_path: Path
) -> None:
    root = tmp_path / "vault"
    shutil.copytree(big_vault, root)
    process = subprocess.Popen(
        [sys.executable, "-m", "vaultkit", "--vault", str(root), "watch", "-v"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    ics = root / "vaultkit" / "followups.ics"
    deadline = time.monotonic() + 60
    while not ics.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.0)
    # a checkout rewriting half the vault: 500 notes x (create, write, rename, touch),
    # some 2,000 file events
    notes = sorted(root.rglob("*.md"))
    notes = [n for n in notes if "/vaultkit/" not in str(n) and "/." not in str(n)][::2]
    for number, note in enumerate(notes):
        temp = note.with_name(f".{note.name}.tmp")
        temp.write_text(note.read_text().replace("\n", f"\n<!-- checkout {number} -->\n", 1))
        os.replace(temp, note)
        note.touch()
    time.sleep(6)  # the burst ends, the watcher catches up
    process.send_signal(signal.SIGTERM)
    log = process.communicate(timeout=10)[0].decode()
    passes = log.count("published ")
    assert 2 <= passes <= 6, log  # the first pass, then a handful for the burst
    watched = icalendar.Calendar.from_ical(ics.read_bytes())

    fresh = tmp_path / "fresh"
    shutil.copytree(root, fresh, ignore=shutil.ignore_patterns("vaultkit", ".vaultkit"))
    invoke(fresh, "sync")
    synced = icalendar.Calendar.from_ical((fresh / "vaultkit" / "followups.ics").read_bytes())

    def events(calendar: icalendar.Calendar) -> set[tuple[str, str, str]]:
        return {
            (str(e["UID"]), str(e["SUMMARY"]), e["DTSTART"].to_ical().decode())
            for e in calendar.walk("VEVENT")
        }

    assert events(watched) == events(synced)
