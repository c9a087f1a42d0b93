"""`vaultkit done` and `vaultkit log`: record what happened in the right note.

These are the only commands that change a note the user wrote, so each one:
changes only the lines it must (`frontmatter_edit`), refuses when the file
changed between reading and writing, and writes atomically. The result says
what changed, for the command to print.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from vaultkit.atomic import ChangedMeanwhile, HeldOriginal, TooLarge
from vaultkit.domain.career import CareerVault
from vaultkit.domain.contacts import Contact
from vaultkit.domain.vocabulary import CONTACT_STATUSES
from vaultkit.errors import UsageError, VaultkitError
from vaultkit.notes.frontmatter_edit import EditableNote, EditProblem, done_mark
from vaultkit.notes.note import Note, size_text
from vaultkit.notes.tasks import Task
from vaultkit.notes.wikilinks import unlink
from vaultkit.outputs.drafts import latest_interview
from vaultkit.safepath import is_inside
from vaultkit.vault.index import Kind


class EditRefused(VaultkitError):
    """The note could not be edited safely; it is unchanged."""


@dataclass
class Recorded:
    path: str
    changes: list[str] = field(default_factory=list)


def _edit(
    root: Path, note: Note, change: Callable[[EditableNote], None], changes: list[str]
) -> Recorded:
    """Apply ``change`` to the note's current bytes and write the result, unless
    the file changed since the vault was read (the decision about what to write
    was made from that reading) or while editing (an editor saving, a sync
    client). A symlinked note is edited where it really lives, so the link
    stays a link."""
    path = Path(os.path.realpath(root / note.path))
    if not is_inside(path, root):
        raise EditRefused(f"{note.path} leads outside the vault; nothing was changed")
    changed = EditRefused(
        f"{note.path} changed while vaultkit was working on it; "
        "nothing was written, run the command again"
    )
    try:
        held = HeldOriginal.open(path, note.max_bytes)
    except FileNotFoundError:
        raise changed from None
    except TooLarge as large:
        raise EditRefused(
            f"{note.path} is {size_text(large.args[0])}, over max_note_size "
            f"({size_text(note.max_bytes)}): vaultkit does not edit a note that large; "
            "nothing was changed (edit it by hand, or raise max_note_size in .vaultkit.toml)"
        ) from None
    with held:
        if (held.stat.st_mtime_ns, held.stat.st_size) != (note.mtime_ns, note.size):
            raise changed
        try:
            editable = EditableNote.from_bytes(held.data)
            change(editable)
        except EditProblem as problem:
            raise EditRefused(f"{note.path}: {problem}; nothing was changed") from None
        updated = editable.to_bytes()
        if updated == held.data:
            return Recorded(note.path, [])
        try:
            held.replace(updated)
        except ChangedMeanwhile:
            raise changed from None
    return Recorded(note.path, changes)


def note_to_edit(career: CareerVault, name: str, kinds: tuple[Kind, ...]) -> Note:
    """The note an edit command means by ``name``; refused when several notes
    answer to it, since an edit must never land on the wrong one (a listing
    can say "also ..."; an edit cannot take it back). A path names one."""
    note = career.find_note(name, kinds)
    index = career.index
    others = [  # an ordinary note of the same name is no rival for an edit
        path
        for path in career.namesakes(name, note, kinds)
        if path in index.notes and index.kind(index.notes[path]) in kinds
    ]
    if others:
        stem = note.path[:-3] if note.path.lower().endswith(".md") else note.path
        raise UsageError(
            f"{name!r} is {note.path} and also {', '.join(others)}; "
            f'name the note by its path to choose, e.g. "{stem}"; nothing was changed'
        )
    return note


def _contact(career: CareerVault, name: str) -> Contact:
    contact = career.contact_at(note_to_edit(career, name, ("contact",)).path)
    assert contact is not None
    return contact


def record_thank_you(
    career: CareerVault, name: str, on: dt.date, now: dt.datetime | None
) -> Recorded:
    """``thank_you_sent`` on the latest interview held with ``name``: by ``now``
    on the day itself, else (``now`` None, a date given) by the end of ``on``."""
    contact = _contact(career, name)
    # The interview the thank-you was for: the latest held by the end of --on.
    end_of_day = dt.datetime.combine(on, dt.time(23, 59), tzinfo=career.index.config.zone)
    held_by = end_of_day if now is None else min(now, end_of_day)
    interview = latest_interview(career, contact, held_by)
    day = on.isoformat()
    return _edit(
        career.index.root,
        interview.note,
        lambda note: note.set_key("thank_you_sent", day),
        [f"thank_you_sent: {day}"],
    )


def record_reply(
    career: CareerVault, name: str, on: dt.date, status: str | None = None
) -> Recorded:
    """``replied_on`` on the contact, and the status moved on to ``scheduled``
    (or ``status``, or the stage the facts give when further along) when it
    was earlier in the pipeline. The no-reply reminders (nudge, move-on) stop."""
    contact = _contact(career, name)
    day = on.isoformat()
    rank = {s: i for i, s in enumerate(CONTACT_STATUSES)}
    new_status = status
    if new_status is None:
        # A reply means at least "scheduled"; a contact the facts already put
        # further along (an interview held, thanked) gets that stage instead,
        # so the status written never lags what the notes say.
        end_of_day = dt.datetime.combine(on, dt.time(23, 59), tzinfo=career.index.config.zone)
        stage = career.stage(contact, end_of_day)
        wanted = stage if rank[stage] > rank["scheduled"] else "scheduled"
        if contact.status is None or rank[contact.status] < rank[wanted]:
            new_status = wanted
    changes = [f"replied_on: {day}"]
    if new_status and new_status != contact.status:
        changes.append(f"status: {contact.status or '(none)'} → {new_status}")

    def change(note: EditableNote) -> None:
        note.set_key("replied_on", day)
        if new_status and new_status != contact.status:
            note.set_key("status", new_status)

    return _edit(career.index.root, contact.note, change, changes)


def record_log(career: CareerVault, name: str, text: str, on: dt.date) -> Recorded:
    """A dated line under ``## Log``, and ``last_contact`` moved forward to ``on``
    (never back: logging an old call does not make the next check-in sooner)."""
    contact = _contact(career, name)
    day = on.isoformat()
    entry = f"{day}: {' '.join(text.split())}"
    move = contact.last_contact is None or on > contact.last_contact
    changes = [f"log: {entry}"] + ([f"last_contact: {day}"] if move else [])

    def change(note: EditableNote) -> None:
        note.append_log(entry)
        if move:
            note.set_key("last_contact", day)

    return _edit(career.index.root, contact.note, change, changes)


def find_open_task(career: CareerVault, text: str) -> tuple[Note, Task]:
    """The one unchecked task whose text contains ``text`` (case-insensitive)."""
    wanted = text.casefold().strip()
    matches = [
        (note, task)
        for note in career.index.notes.values()
        for task in note.tasks
        if not task.checked
        and (wanted in task.text.casefold() or wanted in unlink(task.text).casefold())
    ]
    if not matches:
        raise UsageError(f"no open task matches {text!r}")
    exact = [(n, t) for n, t in matches if wanted in (t.text.casefold(), unlink(t.text).casefold())]
    if len(matches) > 1 and len(exact) != 1:
        listed = "; ".join(f"{n.path}:{t.line} {t.text!r}" for n, t in matches[:5])
        more = f" and {len(matches) - 5} more" if len(matches) > 5 else ""
        raise UsageError(
            f"{len(matches)} open tasks match {text!r}: {listed}{more}; be more specific"
        )
    return exact[0] if len(matches) > 1 else matches[0]


def record_task_done(career: CareerVault, text: str, on: dt.date) -> Recorded:
    note, task = find_open_task(career, text)
    day = on.isoformat()
    return _edit(
        career.index.root,
        note,
        lambda editable: editable.check_task(task.line, task.raw, day),
        # What check_task writes: Dataview's field for a Dataview task, else ✅.
        [f"line {task.line}: [x] {task.text} " + done_mark(task.raw, day)],
    )
