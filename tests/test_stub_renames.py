"""A rename is not a new person: while Obsidian rewrites the links to a
renamed note, the name it had gets no stub (which would take the links back)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

from tests.conftest import SAMPLE_VAULT
from vaultkit.daemon.sync import Syncer

NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
INTERVIEW = "Interviews/2026-10-22 Sam Reyes.md"


class Clock:
    def __init__(self, at: float) -> None:
        self.at = at

    def __call__(self) -> float:
        return self.at


def _settled_vault(tmp_path: Path) -> tuple[Path, Clock]:
    """The sample vault with every file an hour old, and a clock at now."""
    root = tmp_path / "vault"
    shutil.copytree(SAMPLE_VAULT, root)
    at = os.stat(root / INTERVIEW).st_mtime + 3600
    for folder, _, files in os.walk(root):
        for name in files:
            os.utime(os.path.join(folder, name), (at - 3600, at - 3600))
    return root, Clock(at)


def test_a_renamed_contact_gets_no_stub_while_its_links_are_rewritten(tmp_path: Path) -> None:
    root, clock = _settled_vault(tmp_path)
    syncer = Syncer(root, stub_settle=30, clock=clock)
    syncer.run(NOW)
    old, new = root / "People" / "Victor Osei.md", root / "People" / "Victor K. Osei.md"
    old.rename(new)
    syncer.index.refresh({"People/Victor K. Osei.md"}, {"People/Victor Osei.md"})
    clock.at += 1
    assert not [c for c in syncer.run(NOW) if c.action == "created"]
    assert not old.exists()
    # a moment later Obsidian rewrites the link; the interview settles; still no stub
    interview = root / INTERVIEW
    interview.write_text(interview.read_text().replace("[[Victor Osei]]", "[[Victor K. Osei]]"))
    syncer.index.refresh({INTERVIEW}, set())
    clock.at += 120
    syncer.run(NOW)
    assert not old.exists()
    sam = syncer.index.resolve("Victor K. Osei").note
    assert sam is not None and sam.path == "People/Victor K. Osei.md"


def test_a_deleted_name_is_stubbed_once_the_vault_has_settled(tmp_path: Path) -> None:
    root, clock = _settled_vault(tmp_path)
    syncer = Syncer(root, stub_settle=30, clock=clock)
    syncer.run(NOW)
    stub = root / "People" / "Victor Osei.md"
    stub.unlink()
    syncer.index.refresh(set(), {"People/Victor Osei.md"})
    clock.at += 60
    syncer.run(NOW)
    assert not stub.exists() and syncer.pending_stubs  # looked at again later
    clock.at += 300
    created = [c.path for c in syncer.run(NOW) if c.action == "created"]
    assert created == ["People/Victor Osei.md"]


def test_a_name_a_note_answered_to_through_an_alias_is_held_back(tmp_path: Path) -> None:
    root, clock = _settled_vault(tmp_path)
    victor = root / "People" / "Victor Osei.md"
    victor.write_text(victor.read_text().replace("---\n", "---\naliases: [Vic O]\n", 1))
    interview = root / INTERVIEW
    interview.write_text(interview.read_text().replace("[[Victor Osei]]", "[[Vic O]]"))
    for path in (victor, interview):
        os.utime(path, (clock.at - 3600, clock.at - 3600))
    syncer = Syncer(root, stub_settle=30, clock=clock)
    syncer.run(NOW)
    # the alias is renamed in the note; the interview's link is rewritten a moment later
    victor.write_text(victor.read_text().replace("aliases: [Vic O]", "aliases: [Victor]"))
    os.utime(victor, (clock.at - 3600, clock.at - 3600))  # a settled vault but for the alias
    syncer.index.refresh({"People/Victor Osei.md"}, set())
    clock.at += 60
    assert not [c for c in syncer.run(NOW) if c.action == "created"]
    assert not (root / "People" / "Vic O.md").exists() and syncer.pending_stubs
