"""Reading many notes on two cores: a forked child reads and parses half.

A cold command on a large vault spends most of its time reading files and
parsing front-matter, note by note, in one thread. On a machine with a second
core a child process, forked so it starts with everything already imported,
reads every other note (and parses the front-matter of those the command is
about to need) while the parent reads the rest; the child's notes come back
pickled through a pipe. Anything going wrong with the child (no ``fork``, a
crash, a short read) only means the parent reads those notes itself: the
result is the same either way, only slower.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import threading
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from vaultkit import progress
from vaultkit.diagnostics import Diagnostic
from vaultkit.notes.note import MAX_NOTE_BYTES, FrontMatter, Note, read_note
from vaultkit.notes.tasks import NO_DATED_TASKS

# Below this many files a fork costs more than it saves.
MIN_PARALLEL_NOTES = 2000
# How often reading reports its progress (cheap, but not every note).
STEP_EVERY = 200


def read_notes(
    root: Path,
    paths: list[str],
    *,
    parse: Callable[[Note], bool],
    keep_bodies: bool = True,
    max_bytes: int = MAX_NOTE_BYTES,
    find_tasks: bool = False,
) -> dict[str, Note]:
    """Read ``paths`` (vault-relative), parsing the front-matter of each note
    ``parse`` selects. Without ``keep_bodies`` the text after the front-matter
    is dropped (read again from the file if a command ever needs it).
    ``max_bytes``: the vault's ``max_note_size``. With ``find_tasks`` (a
    command that reads every note's tasks: follow-ups, the calendar, check)
    each body's tasks are found as it is read, on both cores: scanning the
    bodies costs more than reading them."""
    with progress.task("Reading notes", total=len(paths)) as step:
        notes = _read_notes(root, paths, _Reading(parse, keep_bodies, max_bytes, find_tasks), step)
    if max_bytes != MAX_NOTE_BYTES:
        for note in notes.values():  # those sent back from the child
            note.max_bytes = max_bytes
    return notes


class _Reading(NamedTuple):
    """What to do with each note read, the same in the parent and the child."""

    parse: Callable[[Note], bool]
    keep_bodies: bool
    max_bytes: int
    find_tasks: bool


def _read_notes(
    root: Path, paths: list[str], reading: _Reading, step: progress.Step
) -> dict[str, Note]:
    if not _parallel_allowed(len(paths)):
        return _read_part(root, paths, reading, step)
    # Interleaved (folders differ in size and in how much they parse), and a
    # little less for the child, which also pickles what it read.
    theirs = [path for number, path in enumerate(paths) if number % 20 < 9]
    mine = [path for number, path in enumerate(paths) if number % 20 >= 9]
    receive, send = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(receive)
        os.close(send)
        return _read_part(root, paths, reading, None)
    if pid == 0:  # the child: read, send, and leave without cleanup
        status = 1
        try:
            os.close(receive)
            devnull = os.open(os.devnull, os.O_RDWR)  # never holds the command's output open
            for stream in (0, 1, 2):
                os.dup2(devnull, stream)
            progress.silence()  # the parent reports for both
            notes = _read_part(root, theirs, reading, None)
            data = pickle.dumps([_to_plain(note) for note in notes.values()], protocol=5)
            with os.fdopen(send, "wb") as pipe:
                pipe.write(data)
            status = 0
        finally:
            os._exit(status)
    os.close(send)
    try:
        # The child reads about as fast: count for both.
        notes = _read_part(root, mine, reading, _scaled(step, len(paths) / len(mine)))
        with os.fdopen(receive, "rb") as pipe:
            data = pipe.read()
    finally:
        os.waitpid(pid, 0)  # it exits once its notes are sent
    received: dict[str, Note] | None = None
    with contextlib.suppress(Exception):  # a broken pickle: read them here
        folder = str(root)
        received = {plain[0]: _from_plain(folder, plain) for plain in pickle.loads(data)}
    if received is None or received.keys() != set(theirs):
        received = _read_part(root, theirs, reading, None)
    notes.update(received)
    return notes


def fork_allowed() -> bool:
    """Whether forking is safe here: POSIX, no other thread running (a fork
    copies only the calling thread, and any lock another one holds), and not
    turned off with $VAULTKIT_NO_PARALLEL."""
    return (
        hasattr(os, "fork")
        and threading.active_count() == 1
        and not os.environ.get("VAULTKIT_NO_PARALLEL")
    )


def _parallel_allowed(count: int) -> bool:
    """Read in a child only where it pays: enough notes, and a second core."""
    return count >= MIN_PARALLEL_NOTES and (os.cpu_count() or 1) >= 2 and fork_allowed()


def _scaled(step: progress.Step, factor: float) -> progress.Step:
    return lambda done: step(int(done * factor))


def _read_part(
    root: Path, paths: list[str], reading: _Reading, step: progress.Step | None = None
) -> dict[str, Note]:
    notes: dict[str, Note] = {}
    folder = str(root)  # one string shared by every note, not one each
    parse, max_bytes = reading.parse, reading.max_bytes
    for number, path in enumerate(paths):
        if step is not None and number % STEP_EVERY == 0:
            step(number)
        note = read_note(folder, path, max_bytes)
        if parse(note):
            note.front_matter  # noqa: B018 - parsed now, on this core
        if reading.find_tasks and note.may_hold_links_or_tasks:
            note.dated_tasks  # noqa: B018 - the tasks, and the dated ones, found on this core
        if not reading.keep_bodies:
            note.forget_body()
        notes[path] = note
    if step is not None:
        step(len(paths))
    return notes


# Notes cross the pipe as plain tuples: pickling dataclasses field by field
# costs more than reading the files did.
Plain = tuple[object, ...]


def _to_plain(note: Note) -> Plain:
    front = note._front_matter
    return (
        note.path,
        note.yaml_text,
        note.yaml_first_line,
        note._body,
        note.body_first_line,
        note.mtime_ns,
        note.size,
        note._brackets,
        note._tasks,
        note._dated if note._dated is not NO_DATED_TASKS else None,
        [_diagnostic_tuple(d) for d in note.read_diagnostics],
        None
        if front is None
        else (
            front.fields,
            front.key_lines,
            front.raw_keys,
            [_diagnostic_tuple(d) for d in front.diagnostics],
        ),
    )


def _from_plain(folder: str, plain: Plain) -> Note:
    (path, yaml_text, yaml_line, body, body_line, mtime_ns, size, brackets, tasks, dated, read,
     front) = plain  # fmt: skip
    note = Note(
        path=path,  # type: ignore[arg-type]
        yaml_text=yaml_text,  # type: ignore[arg-type]
        yaml_first_line=yaml_line,  # type: ignore[arg-type]
        body_first_line=body_line,  # type: ignore[arg-type]
        mtime_ns=mtime_ns,  # type: ignore[arg-type]
        size=size,  # type: ignore[arg-type]
        read_diagnostics=tuple(Diagnostic(*d) for d in read),  # type: ignore[attr-defined]
    )
    note._body = body  # type: ignore[assignment]
    note._brackets = brackets  # type: ignore[assignment]
    note._tasks = tasks  # type: ignore[assignment]
    # none dated: the one shared empty set, as `DatedTasks.of` gives
    note._dated = dated if dated is not None or tasks is None else NO_DATED_TASKS  # type: ignore[assignment]
    note.source_root = folder
    if front is not None:
        fields, key_lines, raw_keys, diagnostics = front  # type: ignore[misc]
        note._front_matter = FrontMatter(
            fields, key_lines, raw_keys, [Diagnostic(*d) for d in diagnostics]
        )
    return note


def _diagnostic_tuple(diagnostic: Diagnostic) -> tuple[object, ...]:
    return (
        diagnostic.path,
        diagnostic.line,
        diagnostic.severity,
        diagnostic.code,
        diagnostic.message,
    )
