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

from vaultkit import progress
from vaultkit.diagnostics import Diagnostic
from vaultkit.notes.note import MAX_NOTE_BYTES, FrontMatter, Note, read_note

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
) -> dict[str, Note]:
    """Read ``paths`` (vault-relative), parsing the front-matter of each note
    ``parse`` selects. Without ``keep_bodies`` the text after the front-matter
    is dropped (read again from the file if a command ever needs it).
    ``max_bytes``: the vault's ``max_note_size``."""
    with progress.task("Reading notes", total=len(paths)) as step:
        notes = _read_notes(root, paths, parse, keep_bodies, step, max_bytes)
    if max_bytes != MAX_NOTE_BYTES:
        for note in notes.values():  # those sent back from the child
            note.max_bytes = max_bytes
    return notes


def _read_notes(
    root: Path,
    paths: list[str],
    parse: Callable[[Note], bool],
    keep_bodies: bool,
    step: progress.Step,
    max_bytes: int = MAX_NOTE_BYTES,
) -> dict[str, Note]:
    if not _parallel_allowed(len(paths)):
        return _read_part(root, paths, parse, keep_bodies, step, max_bytes)
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
        return _read_part(root, paths, parse, keep_bodies, None, max_bytes)
    if pid == 0:  # the child: read, send, and leave without cleanup
        status = 1
        try:
            os.close(receive)
            devnull = os.open(os.devnull, os.O_RDWR)  # never holds the command's output open
            for stream in (0, 1, 2):
                os.dup2(devnull, stream)
            progress.silence()  # the parent reports for both
            notes = _read_part(root, theirs, parse, keep_bodies, None, max_bytes)
            data = pickle.dumps([_to_plain(note) for note in notes.values()], protocol=5)
            with os.fdopen(send, "wb") as pipe:
                pipe.write(data)
            status = 0
        finally:
            os._exit(status)
    os.close(send)
    try:
        # The child reads about as fast: count for both.
        notes = _read_part(
            root, mine, parse, keep_bodies, _scaled(step, len(paths) / len(mine)), max_bytes
        )
        with os.fdopen(receive, "rb") as pipe:
            data = pipe.read()
    finally:
        os.waitpid(pid, 0)  # it exits once its notes are sent
    received: dict[str, Note] | None = None
    with contextlib.suppress(Exception):  # a broken pickle: read them here
        folder = str(root)
        received = {plain[0]: _from_plain(folder, plain) for plain in pickle.loads(data)}
    if received is None or received.keys() != set(theirs):
        received = _read_part(root, theirs, parse, keep_bodies, None, max_bytes)
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
    root: Path,
    paths: list[str],
    parse: Callable[[Note], bool],
    keep_bodies: bool,
    step: progress.Step | None = None,
    max_bytes: int = MAX_NOTE_BYTES,
) -> dict[str, Note]:
    notes: dict[str, Note] = {}
    folder = str(root)  # one string shared by every note, not one each
    for number, path in enumerate(paths):
        if step is not None and number % STEP_EVERY == 0:
            step(number)
        note = read_note(folder, path, max_bytes)
        if parse(note):
            note.front_matter  # noqa: B018 - parsed now, on this core
        if not keep_bodies:
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
    path, yaml_text, yaml_line, body, body_line, mtime_ns, size, brackets, read, front = plain
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
