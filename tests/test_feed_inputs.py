"""The feed's render cache compares `EventInputs` records: an event is
rendered again exactly when what it is rendered from changed."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path

import pytest

from tests.conftest import REPO
from vaultkit.domain.career import CareerVault
from vaultkit.domain.followups import FollowUp, follow_ups
from vaultkit.outputs import feed_stamps
from vaultkit.outputs.feed_stamps import FeedCache
from vaultkit.outputs.ics_feed import build_calendar
from vaultkit.vault.index import VaultIndex

FIXTURE = REPO / "tests" / "fixtures" / "calendar-vault"


@pytest.fixture
def vault(tmp_path: Path) -> tuple[CareerVault, list[FollowUp], dt.datetime]:
    root = tmp_path / "calendar-vault"
    shutil.copytree(FIXTURE, root)
    index = VaultIndex.load(root, use_cache=False)
    career = CareerVault(index)
    now = dt.datetime(2026, 11, 21, 9, tzinfo=index.config.zone)
    return career, follow_ups(career, now), now


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The titles of the events rendered, in order."""
    seen: list[str] = []
    real = feed_stamps.event_lines

    def counted(inputs):  # type: ignore[no-untyped-def]
        seen.append(inputs.title)
        return real(inputs)

    monkeypatch.setattr(feed_stamps, "event_lines", counted)
    return seen


def build(career: CareerVault, followups: list[FollowUp], now: dt.datetime, cache: FeedCache):
    parts, _, _ = build_calendar(career, followups, previous=None, now=now, cache=cache)
    return b"".join(parts)


def test_equal_records_are_not_rendered_again(vault, renders) -> None:  # type: ignore[no-untyped-def]
    career, followups, now = vault
    cache = FeedCache()
    first = build(career, followups, now, cache)
    assert renders
    renders.clear()
    # New follow-up objects with the same content (as a pass that recomputed them makes).
    copies = [dataclasses.replace(f) for f in followups]
    assert build(career, copies, now, cache) == first
    assert renders == []


def test_a_changed_field_renders_only_its_event(vault, renders) -> None:  # type: ignore[no-untyped-def]
    career, followups, now = vault
    cache = FeedCache()
    first = build(career, followups, now, cache)
    renders.clear()
    index = next(i for i, f in enumerate(followups) if not f.done)
    changed = list(followups)
    changed[index] = dataclasses.replace(followups[index], title="Renamed in the note")
    again = build(career, changed, now, cache)
    assert renders == ["Renamed in the note"]
    assert again != first and b"SUMMARY:Renamed in the note" in again
    # Its text changed, so its sequence moved, and no other event's.
    assert b"SEQUENCE:1\r\n" not in first and again.count(b"SEQUENCE:1\r\n") == 1


def test_what_the_event_does_not_show_is_not_in_its_record(vault, renders) -> None:  # type: ignore[no-untyped-def]
    career, followups, now = vault
    cache = FeedCache()
    first = build(career, followups, now, cache)
    renders.clear()
    # A task's line (in its detail), a follow-up's contact and candidates: not shown.
    moved = [
        dataclasses.replace(
            f,
            detail=f.detail + " (line 40)" if f.kind == "task" else f.detail,
            contact="Someone else",
            candidates=("Elsewhere.md",),
        )
        for f in followups
    ]
    assert build(career, moved, now, cache) == first
    assert renders == []


def test_a_new_thank_you_template_renders_only_the_thank_you(vault, renders) -> None:  # type: ignore[no-untyped-def]
    career, followups, now = vault
    cache = FeedCache()
    first = build(career, followups, now, cache)
    renders.clear()
    config = career.index.config
    folder = career.index.root / config.folders.templates
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "thank-you.md").write_text(
        "Subject: Thanks, {{ contact.first_name }}\n\nA line of my own.\n", encoding="utf-8"
    )
    again = build(career, followups, now, cache)
    thanked = [f.title for f in followups if f.kind == "thank-you" and not f.done]
    assert renders == thanked
    assert again != first and b"A line of my own." in again.replace(b"\r\n ", b"")


def written(career: CareerVault, followups: list[FollowUp], now: dt.datetime, cache: FeedCache):  # type: ignore[no-untyped-def]
    """A watcher's write: the calendar file's bytes afterwards."""
    from vaultkit.outputs.ics_feed import write_calendar

    write_calendar(career, followups, now, cache=cache)
    return (career.index.root / career.index.config.calendar.path).read_bytes()


def fresh(career: CareerVault, followups: list[FollowUp], now: dt.datetime, previous: bytes):  # type: ignore[no-untyped-def]
    """The same calendar built from nothing but the previous file (the CLI's way)."""
    parts, _, _ = build_calendar(career, followups, previous=previous, now=now)
    return b"".join(parts)


def test_a_written_feed_keeps_no_event_bytes_and_copies_them_back(vault, renders) -> None:  # type: ignore[no-untyped-def]
    career, followups, now = vault
    cache = FeedCache()
    first = written(career, followups, now, cache)
    # The file holds the events: the cache keeps where each one is, not its bytes.
    assert cache.body and all(entry.data is None for entry in cache.body)
    assert cache.file is not None and len(cache.file.starts) == len(cache.body) + 1
    from vaultkit.outputs.ics_feed import write_calendar

    same = write_calendar(career, followups, now, cache=cache)  # nothing changed: not written
    assert not same.changed and same.data == first
    renders.clear()
    index = next(i for i, f in enumerate(followups) if not f.done)
    changed = list(followups)
    changed[index] = dataclasses.replace(followups[index], title="Renamed in the note")
    again = written(career, changed, now, cache)
    assert renders == ["Renamed in the note"]
    assert again == fresh(career, changed, now, first)
    # Back as it was: the same bytes as a build from scratch, again from the file.
    renders.clear()
    back = written(career, followups, now, cache)
    assert renders == [followups[index].title]
    assert back == fresh(career, followups, now, again)


@pytest.mark.parametrize("change", ["removed", "edited", "replaced"])
def test_a_feed_whose_file_changed_renders_its_events_again(vault, renders, change) -> None:  # type: ignore[no-untyped-def]
    career, followups, now = vault
    cache = FeedCache()
    first = written(career, followups, now, cache)
    path = career.index.root / career.index.config.calendar.path
    if change == "removed":
        path.unlink()
    elif change == "edited":  # same size, another text: not the file the events are in
        path.write_bytes(first.replace(b"SUMMARY:", b"SUMMARX:", 1))
    else:
        path.write_bytes(first + b"\r\n")
    renders.clear()
    index = next(i for i, f in enumerate(followups) if not f.done)
    changed = list(followups)
    changed[index] = dataclasses.replace(followups[index], title="Renamed in the note")
    again = written(career, changed, now, cache)
    # Every event rendered again, with the stamps the cache remembers.
    assert len(renders) >= len(cache.body)
    assert again == fresh(career, changed, now, first)
    assert path.read_bytes() == again
