"""The watcher's parts on their own, without a real observer or clock: the
event filter (the full scan's note rule), the debouncer, the scheduler, and
the change feeds a long-running watcher holds."""

from __future__ import annotations

import datetime as dt
import json
import queue
import shutil
from pathlib import Path

import pytest

from vaultkit.daemon.debounce import Debouncer
from vaultkit.daemon.events import Batch, Event, EventFilter
from vaultkit.daemon.schedule import Scheduler
from vaultkit.vault.config import load_config
from vaultkit.vault.index import VaultIndex
from vaultkit.vault.walk import list_notes

NOW = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)

CONTACT = "---\nstatus: contacted\ncontacted_on: 2026-11-16\n---\n"


def _apply(index: VaultIndex, events: list[Event], sort: EventFilter | None = None) -> Batch:
    """What the watcher does with one burst: filter it (by a filter made
    when the index was, like the watcher's), then re-read."""
    batch = Batch()
    sort = sort if sort is not None else EventFilter(index.root, index.config)
    for event in events:
        sort.add(batch, event)
    if batch.rescan:
        index.rescan()
    else:
        index.refresh(batch.changed, batch.removed)
    return batch


def _fresh_notes(root: Path) -> list[str]:
    return list_notes(root, load_config(root))[0]


# Files that appear in folders the vault already has (a save, a sync client):
# each is a note to the watcher exactly when it is one to a fresh scan.
ODD_FILES = [
    "People/Jane.md",
    "People/~$Lock.md",  # a Word-style lock name, but Markdown: the scan reads it
    "People/Jane.md~",
    "People/Jane.md.swp",
    "People/.Jane.md.swp",
    "People/Jane.tmp",
    "People/4913",
    "People/Jane (conflicted copy 2026-11-20).md",
    "People/Jane.sync-conflict-20261120-1.md",
    "People/Notes.MD",
    "Templates/Contact.md",
    "vaultkit/Dashboard.md",
    "Obsidian Templates/Person.md",
    ".obsidian/workspace.md",
]


def test_the_event_filter_takes_the_notes_a_fresh_scan_takes(vault: Path, write) -> None:  # type: ignore[no-untyped-def]
    (vault / ".obsidian").mkdir()
    (vault / ".obsidian" / "templates.json").write_text('{"folder": "Obsidian Templates"}')
    for folder in ("People", "Templates", "vaultkit", "Obsidian Templates"):
        (vault / folder).mkdir()
    index = VaultIndex.load(vault)
    for rel in ODD_FILES:
        write(rel, CONTACT)
    _apply(index, [("changed", rel, False) for rel in ODD_FILES])
    assert sorted(index.notes) == _fresh_notes(vault)
    assert "People/~$Lock.md" in index.notes
    for rel in ODD_FILES:
        (vault / rel).unlink()
    _apply(index, [("removed", rel, False) for rel in ODD_FILES])
    assert sorted(index.notes) == _fresh_notes(vault) == []


def test_a_folder_moved_in_is_walked_whatever_its_name(vault: Path, write) -> None:  # type: ignore[no-untyped-def]
    index = VaultIndex.load(vault)
    write("Archive~/Jane.md", CONTACT)  # moved in from outside: one folder event
    write("Old.bak/Lou.md", CONTACT)
    batch = _apply(index, [("changed", "Archive~", True), ("changed", "Old.bak", True)])
    assert batch.rescan
    assert sorted(index.notes) == _fresh_notes(vault) == ["Archive~/Jane.md", "Old.bak/Lou.md"]


def test_a_new_obsidian_template_folder_changes_which_files_are_notes(vault: Path, write) -> None:  # type: ignore[no-untyped-def]
    settings = vault / ".obsidian" / "templates.json"
    settings.parent.mkdir()
    settings.write_text(json.dumps({"folder": "Snippets"}))
    write("Snippets/Person.md", CONTACT)
    write("Blueprints/Person.md", CONTACT)
    index = VaultIndex.load(vault)
    sort = EventFilter(vault, index.config)
    assert sorted(index.notes) == ["Blueprints/Person.md"]
    settings.write_text(json.dumps({"folder": "Blueprints"}))
    assert _apply(index, [("changed", ".obsidian/templates.json", False)], sort).rescan
    assert sorted(index.notes) == _fresh_notes(vault) == ["Snippets/Person.md"]
    # a save of the same setting is nothing
    assert not _apply(index, [("changed", ".obsidian/templates.json", False)], sort)
    # Obsidian's settings gone as a whole: no template folder of its own any more
    shutil.rmtree(vault / ".obsidian")
    assert _apply(index, [("removed", ".obsidian", True)], sort).rescan
    assert sorted(index.notes) == _fresh_notes(vault)
    assert sorted(index.notes) == ["Blueprints/Person.md", "Snippets/Person.md"]


@pytest.mark.realclock  # the debouncer waits on the real monotonic clock, which faketime skews
def test_the_debouncer_ignores_what_the_filter_ignores(vault: Path) -> None:
    events: queue.Queue[Event] = queue.Queue()
    debouncer = Debouncer(events)
    sort = EventFilter(vault, load_config(vault))
    assert debouncer.first(sort) is None  # nothing came
    events.put(("changed", "vaultkit/followups.ics", False))  # our own write
    assert not debouncer.first(sort)
    for event in [("changed", "People/.Jane.md.swp", False), ("changed", "People/Jane.md", False)]:
        events.put(event)
    batch = debouncer.first(sort)
    assert batch is not None and batch.changed == {"People/Jane.md"}
    debouncer.begin()
    events.put(("removed", "People/Jane.md", False))
    settled = debouncer.settle(batch, sort, quiet=0.01)
    assert settled.removed == {"People/Jane.md"} and not settled.changed


class _Wall:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_the_scheduler_wakes_at_local_midnight_by_its_clock() -> None:
    from zoneinfo import ZoneInfo

    zone = ZoneInfo("America/New_York")
    wall = _Wall()
    moment = dt.datetime(2026, 11, 24, 23, 59, tzinfo=zone)
    scheduler = Scheduler(lambda: moment, stub_settle=30, wall=wall)
    wake = scheduler.plan(zone)
    assert wake - wall.now == 65  # 00:00:05 the next day, on that clock
    assert not scheduler.due()
    wall.now = wake
    assert scheduler.due() and not scheduler.due()  # spent once it came


def test_the_scheduler_wakes_when_an_interview_ends_and_for_retries() -> None:
    zone = dt.UTC
    wall = _Wall()
    scheduler = Scheduler(lambda: NOW, stub_settle=30, wall=wall)
    ends = NOW + dt.timedelta(minutes=10)
    assert scheduler.plan(zone, next_end=ends) - wall.now == 601
    assert scheduler.plan(zone, next_end=NOW - dt.timedelta(hours=1)) - wall.now == 12 * 3600 + 5
    assert scheduler.plan(zone, next_end=ends, stubs_pending=True) - wall.now == 31
    assert scheduler.plan(zone, retry_write_at=wall.now + 7) == wall.now + 7
    assert scheduler.plan(zone, retry_push_at=wall.now + 7) == wall.now + 7.5


def test_the_syncer_knows_when_the_next_interview_ends(vault: Path, write) -> None:  # type: ignore[no-untyped-def]
    from vaultkit.daemon.sync import Syncer

    write("People/Jane Doe.md", CONTACT)
    write(
        "Interviews/2026-11-24 Jane Doe.md",
        '---\ncontact: "[[Jane Doe]]"\ndate: 2026-11-24 10:00\nduration: 45\n---\n',
    )
    syncer = Syncer(vault)
    syncer.run(NOW)  # 07:00 in New York: the interview is ahead
    ends = syncer.next_interview_end()
    assert ends is not None and ends.astimezone(dt.UTC) == dt.datetime(
        2026, 11, 24, 15, 45, tzinfo=dt.UTC
    )
    syncer.run(ends + dt.timedelta(seconds=1))
    assert syncer.next_interview_end() is None


# -- change feeds ----------------------------------------------------------------


def test_recovered_and_restarted_passes_hold_a_bounded_number_of_feeds(  # type: ignore[no-untyped-def]
    vault: Path, write, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    import vaultkit.daemon.sync as sync
    from vaultkit.daemon.watcher import Watcher
    from vaultkit.errors import VaultkitError

    write("People/Jane Doe.md", CONTACT)
    watcher = Watcher(vault, now=lambda: NOW)
    watcher._frozen = True  # no gc.freeze() in the test process
    syncer = watcher.syncer = sync.Syncer(vault, retries=True)
    watcher._safe_pass()
    held = syncer.index.feed_count
    assert held == 3  # the stub names, the views, the follow-ups
    real = sync.follow_ups

    def broken(*args: object, **kwargs: object) -> object:
        raise VaultkitError("a rule that cannot be applied")

    gc.disable()  # the feeds go with their caches, not with a collection
    try:
        for _ in range(4):
            monkeypatch.setattr(sync, "follow_ups", broken)
            watcher._safe_pass()  # fails: every cache dropped
            monkeypatch.setattr(sync, "follow_ups", real)
            watcher._safe_pass()  # recovered
            assert syncer.index.feed_count == held
        for _ in range(2):
            watcher._restart(full=True)  # a new config or vault folder: read anew
            watcher._files.stop()
            assert syncer.index.feed_count == held
    finally:
        gc.enable()
