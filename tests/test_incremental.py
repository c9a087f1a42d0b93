"""The watcher's incremental passes give exactly what a fresh sync gives.

A watcher reuses what a save did not touch (contacts, interviews, each
source's follow-ups, each event's bytes). If any of that reuse were wrong, the
calendar a phone subscribes to would drift from the notes until a restart. So
after every edit below, a brand-new sync of a copy of the vault must find
nothing to change: same calendar bytes (stamps included), same dashboard, same
referral map, and the same follow-ups (`vaultkit followups` shows more of each
than the calendar does).
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import SAMPLE_VAULT
from vaultkit.daemon.sync import Syncer
from vaultkit.domain.career import CareerVault
from vaultkit.domain.followups import follow_ups
from vaultkit.domain.resolved_links import Ref
from vaultkit.vault.index import VaultIndex

NEW_YORK = dt.timezone(dt.timedelta(hours=-5))
START = dt.datetime(2026, 11, 21, 9, tzinfo=NEW_YORK)

Edit = Callable[[Path], tuple[set[str], set[str]]]


def _replace(rel: str, old: str, new: str) -> Edit:
    def edit(root: Path) -> tuple[set[str], set[str]]:
        path = root / rel
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, (rel, old)
        path.write_text(text.replace(old, new), encoding="utf-8")
        return {rel}, set()

    return edit


def _append(rel: str, text: str) -> Edit:
    def edit(root: Path) -> tuple[set[str], set[str]]:
        with (root / rel).open("a", encoding="utf-8") as handle:
            handle.write(text)
        return {rel}, set()

    return edit


def _write(rel: str, text: str) -> Edit:
    def edit(root: Path) -> tuple[set[str], set[str]]:
        (root / rel).write_text(text, encoding="utf-8")
        return {rel}, set()

    return edit


def _delete(rel: str) -> Edit:
    def edit(root: Path) -> tuple[set[str], set[str]]:
        (root / rel).unlink()
        return set(), {rel}

    return edit


def _rename(old: str, new: str) -> Edit:
    def edit(root: Path) -> tuple[set[str], set[str]]:
        (root / old).rename(root / new)
        return {new}, {old}

    return edit


def _together(*edits: Edit) -> Edit:
    """Several notes saved in one burst (a git pull, a sync client)."""

    def edit(root: Path) -> tuple[set[str], set[str]]:
        changed: set[str] = set()
        removed: set[str] = set()
        for one in edits:
            more_changed, more_removed = one(root)
            changed |= more_changed
            removed |= more_removed
        return changed - removed, removed

    return edit


def _nothing(root: Path) -> tuple[set[str], set[str]]:
    return set(), set()


# Each step: what it does, the edit, and how far the clock moves first.
STEPS: list[tuple[str, Edit, dt.timedelta]] = [
    (
        "an interview moves by an hour",
        _replace("Interviews/2026-12-04 Hannah Lee.md", "15:00", "16:00"),
        dt.timedelta(0),
    ),
    (
        "a contact is thanked (the thank-you of a held interview is done)",
        _replace("People/Aisha Mohammed.md", "status: interviewed", "status: thanked"),
        dt.timedelta(minutes=5),
    ),
    (
        "someone not yet contacted joins Omar's organization (his nudge names them)",
        _replace("People/Leo Novak.md", '"[[Fieldwork Studio]]"', '"[[Cascadia Systems]]"'),
        dt.timedelta(0),
    ),
    (
        "a contact moves to another organization (colleagues' nudges change)",
        _replace("People/Omar Farouk.md", '"[[Cascadia Systems]]"', '"[[Lumen Health]]"'),
        dt.timedelta(0),
    ),
    (
        "the contact of an interview that names no organization moves (it takes theirs)",
        _replace(
            "People/José Martínez.md",
            '"[[Three Rivers Digital Service]]"',
            '"[[Keystone Federal Bank]]"',
        ),
        dt.timedelta(0),
    ),
    (
        "a dated task appears in a daily note",
        _append("Daily/2026-11-20.md", "\n- [ ] Send Omar the deck 📅 2026-11-25\n"),
        dt.timedelta(0),
    ),
    (
        "a new contact at an organization with others",
        _write(
            "People/Ada Quist.md",
            '---\norganization: "[[Lumen Health]]"\nstatus: contacted\n'
            "contacted_on: 2026-11-18\nid: c-ada\n---\n# Ada Quist\n",
        ),
        dt.timedelta(0),
    ),
    (
        "an interview is now with someone else",
        _replace("Interviews/2026-12-01 Camille Durand.md", "[[Camille Durand]]", "[[Grace Liu]]"),
        dt.timedelta(0),
    ),
    (
        "an organization note is edited",
        _replace(
            "Organizations/Lumen Health.md",
            "industry: Health tech (remote patient monitoring)",
            "industry: Digital health",
        ),
        dt.timedelta(0),
    ),
    (
        "an interview is cancelled",
        _replace("Interviews/2026-12-04 Hannah Lee.md", "status: planned", "status: cancelled"),
        dt.timedelta(0),
    ),
    (
        "a contact's display name changes",
        _replace("People/Sam Reyes.md", "name: Samuel Reyes", "name: Sam R. Reyes"),
        dt.timedelta(0),
    ),
    (
        "the name of a contact whose interview note holds tasks changes",
        _replace("People/Marcus Hale.md", "name: Marcus Hale", "name: Marcus J. Hale"),
        dt.timedelta(0),
    ),
    (
        "a note is copied with its id",
        _write(
            "People/Ada Quist copy.md",
            '---\norganization: "[[Lumen Health]]"\nstatus: to-contact\nid: c-ada\n---\n',
        ),
        dt.timedelta(0),
    ),
    ("the copy is deleted", _delete("People/Ada Quist copy.md"), dt.timedelta(0)),
    (
        "a contact note is renamed",
        _rename("People/Omar Farouk.md", "People/Omar F.md"),
        dt.timedelta(0),
    ),
    (
        "a task is ticked",
        _replace(
            "Daily/2026-11-20.md",
            "- [ ] Send Omar the deck 📅 2026-11-25",
            "- [x] Send Omar the deck 📅 2026-11-25 ✅ 2026-11-21",
        ),
        dt.timedelta(0),
    ),
    (
        "two notes saved in one burst: a contact closed, another replied",
        _together(
            _replace("People/Grace Liu.md", "status: scheduled", "status: closed"),
            _replace("People/Derek Olsen.md", "status: contacted", "status: scheduled"),
        ),
        dt.timedelta(0),
    ),
    (
        "a link now goes through an alias",
        _replace("People/Camille Durand.md", '"[[Zoë Chen]]"', '"[[Zoe Chen]]"'),
        dt.timedelta(0),
    ),
    (
        "the alias goes away (the link no longer resolves)",
        _replace("People/Zoë Chen.md", "aliases:\n  - Zoe Chen\n", ""),
        dt.timedelta(0),
    ),
    (
        "an id is changed in place",
        _replace("People/Derek Olsen.md", "id: c-555f76ed", "id: c-derek-2"),
        dt.timedelta(0),
    ),
    (
        "an interview's type: makes it an ordinary note",
        _replace("Interviews/2026-11-13 Tom Becker.md", "type: interview", "type: note"),
        dt.timedelta(0),
    ),
    (
        "and back",
        _replace("Interviews/2026-11-13 Tom Becker.md", "type: note", "type: interview"),
        dt.timedelta(0),
    ),
    (
        "a contact's front-matter is broken while typing",
        _replace("People/Derek Olsen.md", "status: scheduled", "status: [scheduled"),
        dt.timedelta(0),
    ),
    (
        "and fixed",
        _replace("People/Derek Olsen.md", "status: [scheduled", "status: scheduled"),
        dt.timedelta(0),
    ),
    (
        "an interview is booked with someone only contacted (stage scheduled: no nudge)",
        _write(
            "Interviews/2026-11-25 Omar F.md",
            '---\ncontact: "[[Omar F]]"\ndate: 2026-11-25T10:00\nstatus: planned\n---\n',
        ),
        dt.timedelta(0),
    ),
    (
        "an interview is marked done before its date (stage interviewed: keep in touch)",
        _replace("Interviews/2026-11-23 José Martínez.md", "status: planned", "status: done"),
        dt.timedelta(0),
    ),
    (
        "an earlier interview with the same person, held, no thank-you yet",
        _write(
            "Interviews/2026-11-19 José Martínez.md",
            '---\ncontact: "[[José Martínez]]"\ndate: 2026-11-19T10:00\nstatus: done\n---\n',
        ),
        dt.timedelta(0),
    ),
    (
        "the later interview's thank-you is sent (stage thanked: the earlier one's is done)",
        _replace(
            "Interviews/2026-11-23 José Martínez.md",
            "status: done",
            "status: done\nthank_you_sent: 2026-11-21",
        ),
        dt.timedelta(0),
    ),
    (
        "an interview with only a day, today (held once the day is over)",
        _replace(
            "Interviews/2026-12-02 Grace Liu.md", "date: 2026-12-02T09:30-08:00", "date: 2026-11-21"
        ),
        dt.timedelta(0),
    ),
    (
        "an interview is moved to later today (the clock passes its new end next)",
        _replace(
            "Interviews/2026-11-24 Marcus Hale.md",
            "date: 2026-11-24T16:00",
            "date: 2026-11-21T12:00",
        ),
        dt.timedelta(0),
    ),
    ("nothing changes but the clock passes interviews' ends", _nothing, dt.timedelta(days=3)),
    (
        "an old daily note whose tasks are not career ones (yet)",
        _write(
            "Daily/2025-03-02.md",
            "- [ ] Buy oat milk 📅 2025-03-05\n"
            "- [ ] Email Ines Duarte about the offer 📅 2025-03-06\n",
        ),
        dt.timedelta(0),
    ),
    (
        "a new contact is named by that note's task (it becomes a follow-up)",
        _write("People/Ines Duarte.md", "---\nstatus: to-contact\n---\n"),
        dt.timedelta(0),
    ),
    (
        "an earlier contacted_on brings the old daily note into the search",
        _replace(
            "People/Rachel Goldberg.md", "contacted_on: 2026-09-14", "contacted_on: 2025-02-20"
        ),
        dt.timedelta(0),
    ),
    ("a contact note is deleted", _delete("People/Leo Novak.md"), dt.timedelta(0)),
    (
        "an interview moves to 2045 (the time zone's rules must reach it)",
        _replace(
            "Interviews/2026-10-06 Daniel Whitaker.md", "date: 2026-10-06", "date: 2045-10-06"
        ),
        dt.timedelta(0),
    ),
    (
        "and back (the rules shrink to the fixed window again)",
        _replace(
            "Interviews/2026-10-06 Daniel Whitaker.md", "date: 2045-10-06", "date: 2026-10-06"
        ),
        dt.timedelta(0),
    ),
    (
        "a line of prose above a task (its event does not move)",
        _replace(
            "Daily/2026-11-20.md",
            "# Friday, November 20\n",
            "# Friday, November 20\nMet Omar at the fair.\n",
        ),
        dt.timedelta(0),
    ),
]


@pytest.fixture
def watched(tmp_path: Path) -> Path:
    root = tmp_path / "watched"
    shutil.copytree(SAMPLE_VAULT, root, ignore=shutil.ignore_patterns("vaultkit", ".vaultkit"))
    return root


def _outputs(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "vaultkit").iterdir())}


def _views(career: CareerVault | None) -> dict[str, object]:
    """What a view's lists say, in their order (its items hold other Note
    objects than a fresh view's, so they are compared by what they read)."""
    assert career is not None

    def ref(value: Ref | None) -> str | None:
        return None if value is None else value.name

    return {
        "contacts": [
            (c.path, c.name, c.status, ref(c.organization), [r.path for r in c.referred_by])
            for c in career.contacts
        ],
        "organizations": [(o.path, o.name) for o in career.organizations],
        "interviews": [
            (i.path, i.start, i.status, ref(i.contact), ref(i.organization))
            for i in career.interviews
        ],
        "by contact": {
            c.path: [i.path for i in career.interviews_with(c)] for c in career.contacts
        },
        "colleagues": {c.path: [o.path for o in career.colleagues(c)] for c in career.contacts},
        "referred": {c.path: [o.path for o in career.referred_by(c)] for c in career.contacts},
    }


def test_each_incremental_pass_equals_a_fresh_sync(watched: Path, tmp_path: Path) -> None:
    syncer = Syncer(watched)
    now = START
    syncer.run(now)
    changed_steps = 0
    for number, (what, edit, elapsed) in enumerate(STEPS):
        now += elapsed
        before = (_outputs(watched), list(syncer.last_followups))
        changed, removed = edit(watched)
        syncer.index.refresh(changed, removed)
        syncer.run(now)
        changed_steps += before != (_outputs(watched), syncer.last_followups)
        fresh = tmp_path / f"fresh-{number}" / watched.name  # links name the vault folder
        shutil.copytree(watched, fresh)
        assert Syncer(fresh).run(now) == [], f"after {what!r}, a fresh sync changed something"
        assert _outputs(fresh) == _outputs(watched), what
        from_scratch = follow_ups(CareerVault(VaultIndex.load(fresh)), now)
        # The watcher leaves ticked tasks out (its outputs show none).
        wanted = [f for f in from_scratch if not (f.kind == "task" and f.done)]
        assert syncer.last_followups == wanted, what
        assert _views(syncer._career) == _views(CareerVault(VaultIndex.load(fresh))), what
    # Nearly every step must change what is written or the follow-ups, or
    # "nothing to change" would hold trivially. (Editing an organization note,
    # or linking through an alias to the same person, rightly changes nothing.)
    assert changed_steps >= len(STEPS) - 3


def test_a_pass_that_fails_half_way_leaves_nothing_behind(
    watched: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug in one rule must cost one pass, not every pass after it."""
    import vaultkit.domain.followups as rules

    syncer = Syncer(watched)
    syncer.run(START)
    real = rules._interview_rules
    monkeypatch.setattr(rules, "_interview_rules", _fail)
    changed, removed = STEPS[0][1](watched)
    syncer.index.refresh(changed, removed)
    with pytest.raises(RuntimeError):
        syncer.run(START)
    monkeypatch.setattr(rules, "_interview_rules", real)
    changed, removed = STEPS[1][1](watched)
    syncer.index.refresh(changed, removed)
    syncer.run(START)
    fresh = tmp_path / "fresh" / watched.name
    shutil.copytree(watched, fresh)
    assert Syncer(fresh).run(START) == []
    assert _outputs(fresh) == _outputs(watched)


def _fail(*args: object, **kwargs: object) -> list[object]:
    raise RuntimeError("a bug in a rule")


def _temps(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "vaultkit").iterdir() if p.name.endswith("-tmp"))


def _synced_then_moved(root: Path) -> tuple[Syncer, Path, bytes]:
    """A synced vault, then an interview moved by an hour (read, not passed):
    the syncer, the calendar and the calendar's bytes before the move."""
    syncer = Syncer(root)
    syncer.run(START)
    calendar = root / "vaultkit" / "followups.ics"
    before = calendar.read_bytes()
    moved, _ = _replace("Interviews/2026-12-04 Hannah Lee.md", "15:00", "16:00")(root)
    syncer.index.refresh(moved, set())
    return syncer, calendar, before


def test_a_staged_calendar_appears_only_when_published(watched: Path) -> None:
    """The watcher stages while a burst settles: until it publishes, the
    calendar in place is the old one; staging again replaces what was staged,
    even when the second stage finds nothing new (a note touched, not
    edited); what is finally published is what a fresh sync writes."""
    syncer, calendar, before = _synced_then_moved(watched)
    assert syncer.stage(START) == []
    assert calendar.read_bytes() == before
    assert len(_temps(watched)) == 1  # written and synced, not yet in place
    (watched / "Interviews/2026-12-04 Hannah Lee.md").touch()
    syncer.index.refresh({"Interviews/2026-12-04 Hannah Lee.md"}, set())
    syncer.stage(START)
    assert calendar.read_bytes() == before and len(_temps(watched)) == 1
    assert [c.action for c in syncer.publish()] == ["wrote", "wrote"]  # calendar, dashboard
    assert _temps(watched) == []
    assert Syncer(watched).run(START) == []


def test_a_stage_dropped_or_failed_leaves_the_old_calendar(
    watched: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    syncer, calendar, before = _synced_then_moved(watched)
    syncer.stage(START)
    syncer.abandon()  # the watcher stops mid-burst
    assert calendar.read_bytes() == before and _temps(watched) == []

    syncer.stage(START)
    monkeypatch.setattr("vaultkit.daemon.sync.follow_ups", _fail)
    with pytest.raises(RuntimeError):
        syncer.stage(START)  # a later stage in the burst fails
    assert syncer.publish() == []
    assert calendar.read_bytes() == before and _temps(watched) == []
    monkeypatch.undo()
    assert [c.action for c in syncer.run(START)][:1] == ["wrote"]
    assert Syncer(watched).run(START) == []


def test_a_calendar_that_failed_to_stage_is_written_by_the_next_pass(
    watched: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Staged, then a second stage of the same burst fails to write (the file
    locked by a sync client): the next pass must not take the calendar
    staged and thrown away for the one on disk."""
    syncer, _, _ = _synced_then_moved(watched)
    syncer.stage(START)

    def locked(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("vaultkit.daemon.sync.write_calendar", locked)
    assert [c.action for c in syncer.stage(START)] == ["failed"]
    syncer.publish()
    monkeypatch.undo()
    assert "wrote" in [c.action for c in syncer.run(START)]
    assert Syncer(watched).run(START) == []
    assert _temps(watched) == []
