"""An editor saving a note while `log`/`done`/`set` rewrite it: the user's save
is never lost. Either vaultkit's edit lands on what the user saved, or it is
refused ("changed while vaultkit was working on it", exit 1) and the file
holds the user's version."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import invoke
from vaultkit import atomic

SAM = "---\nstatus: keep-in-touch\nlast_contact: 2026-11-10\n---\nAbout Sam.\n"
USERS = SAM + "The user typed this meanwhile.\n"


@pytest.fixture
def sam(vault: Path, write) -> Path:  # type: ignore[no-untyped-def]
    return write("People/Sam.md", SAM)


def save_in_place(path: Path, text: str = USERS) -> None:
    with open(path, "wb") as file:  # truncate and write the same inode (Obsidian)
        file.write(text.encode())


def save_by_rename(path: Path, text: str = USERS) -> None:
    tmp = path.with_name(path.name + ".editor")
    tmp.write_bytes(text.encode())
    os.replace(tmp, path)  # vim, sync clients


EDITORS = [save_in_place, save_by_rename]


def log_sam(vault: Path):  # type: ignore[no-untyped-def]
    return invoke(vault, "log", "Sam", "Coffee", "--on", "2026-11-21")


def assert_refused_with_users_version(result, path: Path, text: str = USERS) -> None:  # type: ignore[no-untyped-def]
    assert result.exit_code == 1, result.output
    assert "changed while vaultkit was working on it" in result.stderr
    assert path.read_text() == text
    leftovers = [p.name for p in path.parent.iterdir() if p.name != path.name]
    assert not [name for name in leftovers if name.endswith(".vaultkit-tmp")]


@pytest.mark.parametrize("editor", EDITORS)
def test_a_save_while_the_new_version_is_synced_is_not_lost(
    vault: Path, sam: Path, editor: Callable[[Path], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The slow step of a write is the fsync; an editor saving during it used
    to be overwritten, and vaultkit said `updated`."""
    real_fsync = os.fsync
    saved = []

    def slow_fsync(fd: int) -> None:
        if not saved:
            saved.append(True)
            editor(sam)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", slow_fsync)
    result = log_sam(vault)
    assert saved
    assert_refused_with_users_version(result, sam)


@pytest.mark.parametrize("editor", EDITORS)
def test_a_save_right_before_the_swap_is_put_back(
    vault: Path, sam: Path, editor: Callable[[Path], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    """After the last check, before the atomic step: the file swapped out is
    checked once more and put back when it was not the one read."""

    def race(stage: str) -> None:
        if stage == "before-swap":
            editor(sam)

    monkeypatch.setattr(atomic, "_race_point", race, raising=False)
    assert_refused_with_users_version(log_sam(vault), sam)


def test_a_write_through_a_descriptor_opened_before_the_swap_is_put_back(
    vault: Path, sam: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An editor that opened the note before vaultkit swapped it and writes
    after: its bytes go to the file swapped out, which goes back in place."""
    held: list[int] = []

    def race(stage: str) -> None:
        if stage == "before-swap":
            held.append(os.open(sam, os.O_WRONLY | os.O_TRUNC))
        elif stage == "after-swap":
            os.write(held[0], USERS.encode())
            os.close(held[0])

    monkeypatch.setattr(atomic, "_race_point", race, raising=False)
    assert_refused_with_users_version(log_sam(vault), sam)


def test_a_second_save_after_the_swap_stays(
    vault: Path, sam: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The user saved twice (once into the old file, once over vaultkit's):
    the later save is what stays."""
    later = USERS + "And a second save.\n"

    def race(stage: str) -> None:
        if stage == "before-swap":
            save_in_place(sam)
        elif stage == "after-swap":
            save_by_rename(sam, later)

    monkeypatch.setattr(atomic, "_race_point", race, raising=False)
    assert_refused_with_users_version(log_sam(vault), sam, later)


def test_without_a_name_exchange_a_write_to_the_old_file_is_put_back(
    vault: Path, sam: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where names cannot be exchanged (the fallback), an in-place write that
    reaches the replaced file is still caught and its bytes restored."""
    held: list[int] = []

    def race(stage: str) -> None:
        if stage == "before-swap":
            held.append(os.open(sam, os.O_WRONLY))  # written over from the start
        elif stage == "after-swap":
            os.write(held[0], USERS.encode())
            os.close(held[0])

    monkeypatch.setattr(atomic, "_exchange_call", [None], raising=False)
    monkeypatch.setattr(atomic, "_race_point", race, raising=False)
    assert_refused_with_users_version(log_sam(vault), sam)


def test_an_edit_with_no_editor_around_still_lands(vault: Path, sam: Path) -> None:
    result = log_sam(vault)
    assert result.exit_code == 0, result.output
    assert sam.read_text().endswith("## Log\n\n- 2026-11-21: Coffee\n")
    assert sorted(p.name for p in sam.parent.iterdir()) == ["Sam.md"]


@pytest.mark.slow
@pytest.mark.realclock
@pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX editor process")
def test_race_harness_loses_nothing(tmp_path: Path) -> None:
    """300 races against an in-place and a temp-and-rename editor (the full
    10,000: `python benchmarks/race_edits.py`)."""
    sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))
    try:
        import race_edits
    finally:
        sys.path.pop(0)
    figures = race_edits.run(300, tmp_path)
    assert figures.races == 300
    assert figures.lost == 0, figures
