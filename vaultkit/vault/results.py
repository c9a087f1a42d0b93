"""Stored outputs: a command's whole answer, kept in the index cache against
everything it was computed from, so the same question on an unchanged vault
costs a walk that stats the files and one row read.

What an output depends on is declared, never guessed:

* every note's size and modification time, the config file and vaultkit's
  own code (`vault_fingerprint`);
* the command and its options (``parts``);
* other files the command reads or writes besides notes (``files``: the
  calendar it keeps its stamps in, a template), stamped before it is looked
  up and again after it ran, so an output that wrote its own file is found
  by the next run;
* the clock: an answer that moves with time gives ``valid_until``, the first
  moment it may differ, asked after computing, and is reused only before then.

Any change to any of these computes the answer again; files stay the truth.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from vaultkit.vault.cache import IndexCache, fingerprint_of, note_stamps

if TYPE_CHECKING:
    from vaultkit.vault.index import VaultIndex

NEVER = "-"  # the validity of an answer the clock does not move


def stored_output(
    root: Path,
    paths: Sequence[str],
    parts: tuple[object, ...],
    compute: Callable[[], str],
    *,
    now: dt.datetime | None = None,
    valid_until: Callable[[], dt.datetime | None] | None = None,
    files: Sequence[str] = (),
    loaded: Callable[[], VaultIndex | None] = lambda: None,
    on_stamps: Callable[[list[tuple[str, int, int]]], None] = lambda stamps: None,
) -> str:
    """``compute()``'s answer, or the one stored for the same inputs.

    ``paths``: the notes a walk just listed. ``now`` and ``valid_until``: see
    the module docstring (both or neither). ``loaded``: the index ``compute``
    loaded, if any: on a cold start (no cache yet) the answer is stored with
    the notes that index saves, stamped from what it read. ``on_stamps``: told
    the notes' stamps once they are taken, before ``compute`` runs (its load
    need not stat them again).
    """
    clocked = now is not None and valid_until is not None
    # The vault's own folder counts too: its name is in the calendar's links,
    # and a moved vault keeps every note's time.
    parts = (os.path.realpath(root), *parts)

    def stamped() -> str:
        text = compute()
        if not clocked:
            return text
        until = valid_until()  # type: ignore[misc]
        return f"{now.isoformat()} {until.isoformat() if until else NEVER}\n{text}"  # type: ignore[union-attr]

    def still_true(found: str) -> bool:
        """Between the moment it was computed for and the first change: a
        clock put back (a VM restored, a date set by hand) computes again."""
        if not clocked:
            return True
        since, _, until = found.partition("\n")[0].partition(" ")
        try:
            if now < dt.datetime.fromisoformat(since):  # type: ignore[operator]
                return False
            return until == NEVER or now < dt.datetime.fromisoformat(until)  # type: ignore[operator]
        except ValueError:
            return False

    def unstamped(found: str) -> str:
        return found.partition("\n")[2] if clocked else found

    kind = repr(parts)
    cache = IndexCache(root)
    try:
        if not cache.exists():  # cold: nothing stored, and every file is about to be read
            found = stamped()
            index = loaded()
            if index is not None and list(index.notes) == list(paths):
                stamps = [(n.path, n.mtime_ns, n.size) for n in index.notes.values()]
                state = fingerprint_of(root, stamps, *parts, _file_stamps(root, files))
                index.store_result_later(kind, state, found)  # written with the notes
            return unstamped(found)
        # The notes' stamps are taken once, before computing: a note saved
        # while the answer is computed makes the next run compute it again.
        stamps = note_stamps(root, paths)
        on_stamps(stamps)
        state = fingerprint_of(root, stamps, *parts, _file_stamps(root, files))
        found = cache.result(kind, state)
        if found is None or not still_true(found):
            cache.close()  # computing may fork: no connection may cross it
            found = stamped()
            if files:  # the command may have written one of them
                state = fingerprint_of(root, stamps, *parts, _file_stamps(root, files))
            cache.store_result(kind, state, found)
    finally:
        cache.close()
    return unstamped(found)


def _file_stamps(root: Path, files: Sequence[str]) -> tuple[object, ...]:
    """Size and modification time of each extra input file (None if missing)."""
    stamps: list[object] = []
    for name in files:
        try:
            info = os.stat(root / name)
        except OSError:
            stamps.append(None)
            continue
        stamps.append((name, info.st_mtime_ns, info.st_size))
    return tuple(stamps)
