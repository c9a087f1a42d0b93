"""Files a full scan skips stay skipped however they arrive: a name that is not
UTF-8, a symlink out of the vault, a sync client's conflict copy. The watcher's
re-read (`VaultIndex.refresh`) must judge them exactly as the walk does."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import SAMPLE_VAULT, invoke
from vaultkit.daemon.sync import Syncer
from vaultkit.vault.index import VaultIndex
from vaultkit.vault.walk import list_notes

BAD = os.fsdecode(b"Daily/n\xff.md")  # what os.scandir and watchdog hand over
AS_OF = "2026-11-20"

pytestmark = pytest.mark.skipif(
    os.fsencode("\udcff") != b"\xff", reason="needs a file system that takes any bytes"
)


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    shutil.copytree(SAMPLE_VAULT, root)
    return root


def _make_bad_name(root: Path) -> None:
    os.makedirs(root / "Daily", exist_ok=True)
    path = os.path.join(os.fsencode(root), b"Daily", b"n\xff.md")
    with open(path, "wb") as handle:
        handle.write(b"---\nname: x\n---\n- [ ] a task \xf0\x9f\x93\x85 2026-11-21\n")


@pytest.mark.parametrize(
    "args",
    [
        ("list", "contacts"),
        ("check",),
        ("sync", "--as-of", AS_OF),
        ("calendar", "--as-of", AS_OF),
        ("followups", "--as-of", AS_OF),
        ("graph", "top"),
    ],
)
def test_a_name_that_is_not_utf8_is_skipped_and_the_rest_works(
    sample: Path, tmp_path: Path, args: tuple[str, ...]
) -> None:
    clean = tmp_path / "clean"
    shutil.copytree(sample, clean)
    _make_bad_name(sample)
    for _ in range(2):  # cold, then from the cache it saved
        expected = invoke(clean, *args)
        result = invoke(sample, *args)
        assert result.exit_code == expected.exit_code, result.output
        if args[0] == "check":
            assert r"Daily/n\xff.md: warning: the file name is not valid UTF-8" in result.output
            assert result.output.count("not valid UTF-8") == 1
        else:
            assert result.output == expected.output


def test_the_walk_names_a_bad_folder_once(vault: Path) -> None:
    folder = os.path.join(os.fsencode(vault), b"Old\xfe")
    os.mkdir(folder)
    for name in (b"a.md", b"b.md"):
        with open(os.path.join(folder, name), "wb") as handle:
            handle.write(b"x\n")
    (vault / "A.md").write_text("x\n")
    paths, problems = list_notes(vault, VaultIndex.load(vault).config)
    assert paths == ["A.md"]
    assert [(p.path, p.code) for p in problems] == [(r"Old\xfe", "bad-file-name")]


def test_refresh_skips_what_the_walk_skips(vault: Path, tmp_path: Path) -> None:
    """A file that appears while `watch` runs: a symlink out of the vault, a
    conflict copy, a bad name, a note behind a symlinked folder."""
    (vault / "People").mkdir()
    (vault / "People" / "A.md").write_text("---\nname: A\n---\n")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("- [ ] outside task 📅 2026-11-21\n")
    index = VaultIndex.load(vault)
    before = set(index.notes)
    os.symlink(outside / "secret.md", vault / "People" / "leak.md")
    (vault / "People" / "A (conflicted copy 2026-11-20).md").write_text("x\n")
    (vault / "People" / "A.sync-conflict-20261120-101010-ABC.md").write_text("x\n")
    os.symlink(vault / "People", vault / "Linked")
    _make_bad_name(vault)
    os.symlink(vault / "People" / "A.md", vault / "People" / "inside.md")  # stays inside: read
    changed = {
        "People/leak.md",
        "People/A (conflicted copy 2026-11-20).md",
        "People/A.sync-conflict-20261120-101010-ABC.md",
        "Linked/A.md",
        BAD,
        "People/inside.md",
    }
    index.refresh(changed, set())
    fresh = VaultIndex.load(vault)
    assert set(index.notes) == set(fresh.notes) == before | {"People/inside.md"}
    key = sorted((d.path, d.code) for d in fresh.walk_diagnostics)
    assert sorted((d.path, d.code) for d in index.walk_diagnostics) == key
    assert ("People/leak.md", "outside-vault") in key
    # and the warnings go when the files do
    os.unlink(vault / "People" / "leak.md")
    index.refresh(set(), {"People/leak.md"})
    assert ("People/leak.md", "outside-vault") not in [
        (d.path, d.code) for d in index.walk_diagnostics
    ]


def test_a_watcher_pass_survives_a_bad_name_and_an_outside_link(
    sample: Path, tmp_path: Path
) -> None:
    """The watcher's path through the index: every pass still works, and a task
    from outside the vault never reaches the calendar."""
    now = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
    syncer = Syncer(sample)
    syncer.run(now)
    outside = tmp_path / "outside.md"
    outside.write_text("- [ ] LEAKED task for [[Chris Park]] 📅 2026-11-21\n")
    os.symlink(outside, sample / "Daily" / "leak.md")
    _make_bad_name(sample)
    syncer.index.refresh({"Daily/leak.md", BAD}, set())
    syncer.run(now)
    interview = sample / "Interviews" / "2026-12-04 Hannah Lee.md"
    interview.write_text(interview.read_text() + "\n- [ ] a later edit 📅 2026-11-25\n")
    syncer.index.refresh({"Interviews/2026-12-04 Hannah Lee.md"}, set())
    syncer.run(now)
    calendar = (sample / syncer.index.config.calendar.path).read_text()
    assert "a later edit" in calendar
    assert "LEAKED" not in calendar
