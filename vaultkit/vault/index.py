"""The vault index: every note read once, each one's kind, and link resolution.

This is the in-memory database the domain views query. Loading never fails
because of a note: a note that cannot be read carries its diagnostics and
stays in the index (it still has a name other notes can link to).
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Literal

from vaultkit.diagnostics import Diagnostic
from vaultkit.notes.note import Note, read_note
from vaultkit.notes.typed_values import ValueProblem, text
from vaultkit.vault.cache import IndexCache, note_facts_known, note_from_row
from vaultkit.vault.config import Config, load_config
from vaultkit.vault.detached_work import run_detached
from vaultkit.vault.parallel_read import read_notes
from vaultkit.vault.resolve import LinkResolver, Resolution
from vaultkit.vault.walk import escaped, ignored_folders, judge_path, list_notes

# A cache write of fewer rows than this is not worth a process of its own.
DETACH_MIN_NOTES = 1000

Kind = Literal["contact", "organization", "interview", "other"]

TYPE_WORDS: dict[str, Kind] = {
    "contact": "contact",
    "person": "contact",
    "people": "contact",
    "organization": "organization",
    "organisation": "organization",
    "org": "organization",
    "company": "organization",
    "interview": "interview",
    "informational-interview": "interview",
    "meeting": "interview",
}


class ChangeFeed:
    """The paths a refresh touched since a subscriber last drained it, or
    ``everything`` after a rescan: lets a watcher's caches redo only what a
    save changed instead of comparing every note."""

    def __init__(self) -> None:
        self.paths: set[str] = set()
        self.everything = False

    def drain(self) -> tuple[set[str], bool]:
        paths, everything = self.paths, self.everything
        self.paths, self.everything = set(), False
        return paths, everything


@dataclass
class VaultIndex:
    """All notes of one vault, by path, with their kinds and a link resolver."""

    root: Path
    config: Config
    notes: dict[str, Note]
    walk_diagnostics: list[Diagnostic] = field(default_factory=list)
    _resolver: LinkResolver | None = None
    _kinds: dict[str, Kind] = field(default_factory=dict)
    _cache: IndexCache | None = None
    _fresh: set[str] = field(default_factory=set)
    _restored: dict[str, tuple[bool, bool, bool]] = field(default_factory=dict)
    _gone: set[str] = field(default_factory=set)
    _results: list[tuple[str, str, str]] = field(default_factory=list, repr=False)
    # Held weakly: a feed lives as long as the cache that drains it, so a cache
    # dropped by replacing it (a failed pass, a restart, a command's view) stops
    # being fed without having to say so.
    _feeds: weakref.WeakSet[ChangeFeed] = field(default_factory=weakref.WeakSet, repr=False)
    _symlinks: set[str] | None = field(default=None, repr=False)
    """The vault's symlinked ``.md`` files (notes, or left out as broken),
    found on the first refresh: saving, removing or restoring the file a link
    leads to changes the link's note, though no file event names it."""
    resolution_version: int = 0
    """Moves when a change could make a link resolve differently or a note
    change kind (a note added, removed or renamed, its aliases, name or type
    edited). Views built from the index may be reused while it stands still."""

    @classmethod
    def load(
        cls,
        root: Path,
        config: Config | None = None,
        *,
        use_cache: bool = False,
        shed_bodies: bool = False,
        bodies: bool = True,
        walked: tuple[list[str], list[Diagnostic]] | None = None,
        stamps: dict[str, tuple[int, int]] | None = None,
        parse_kinds: tuple[Kind, ...] = ("contact", "organization", "interview"),
        find_tasks: bool = False,
    ) -> VaultIndex:
        """Read the whole vault at ``root`` (config from ``.vaultkit.toml`` unless given).

        With ``use_cache``, notes whose size and mtime match the index cache are
        restored from it instead of read; `save_cache` then records what this
        run read or parsed. With ``shed_bodies`` (a watcher), each note's tasks
        are found as it is read and its text is let go at once; without
        ``bodies`` (a listing), the text is not kept at all. A large vault is
        read on two cores (`parallel_read`), except by a watcher. ``walked``:
        what `list_notes` just returned for this vault, if the caller has it;
        ``stamps``: each of those notes' (mtime_ns, size), taken after that walk
        (a cached note missing from it is gone; one not cached is read).
        ``parse_kinds``: the notes whose front-matter the command will read,
        parsed as they are read (on both cores). ``find_tasks``: the command
        reads every note's tasks, so the notes read are scanned for them as
        they are read (on both cores too).
        """
        config = config if config is not None else load_config(root)
        paths, walk_problems = walked if walked is not None else list_notes(root, config)
        cache = IndexCache(root) if use_cache else None
        rows = cache.load_notes() if cache is not None else {}
        if cache is not None:
            cache.close()  # no connection may cross a fork (SQLite forbids it); reopened to save
        notes: dict[str, Note | None] = {}
        fresh: list[str] = []
        restored_facts: dict[str, tuple[bool, bool, bool]] = {}
        base = str(root) + os.sep  # joined as text: a Path per note costs more than its stat
        max_bytes = config.max_note_size
        for path in paths:
            row = rows.get(path)
            if row is not None:
                if stamps is not None:
                    stamp = stamps.get(path)
                    if stamp is None:
                        continue
                else:
                    try:
                        stat = os.stat(base + path)
                    except OSError:
                        continue
                    stamp = (stat.st_mtime_ns, stat.st_size)
                if stamp == row[:2]:
                    restored = note_from_row(root, path, row)
                    if restored is not None and restored.too_large == (
                        stamp[1] > max_bytes  # read under another limit
                    ):
                        restored.max_bytes = max_bytes
                        notes[path] = restored
                        known = note_facts_known(restored)
                        if not all(known):
                            restored_facts[path] = known  # saved again if this run finds more
                        continue
            notes[path] = None  # read below, in this order
            fresh.append(path)
        if shed_bodies:  # a watcher: one note at a time, never in a fork
            read = {}
            for path in fresh:
                note = read[path] = read_note(root, path, config.max_note_size)
                note.keep_tasks_forget_body()
        else:
            read = read_notes(
                root,
                fresh,
                parse=_soon_parsed(config, parse_kinds),
                keep_bodies=bodies,
                max_bytes=config.max_note_size,
                find_tasks=find_tasks and bodies,
            )
        notes.update(read)
        index = cls(
            root=root,
            config=config,
            notes=notes,  # type: ignore[arg-type]  # every None was read
            walk_diagnostics=walk_problems,
        )
        index._cache = cache
        index._fresh = set(fresh)
        index._restored = restored_facts
        index._gone = set(rows) - set(notes)
        return index

    def store_result_later(self, kind: str, state: str, value: str) -> None:
        """A command's output, to store with the notes when the cache is saved."""
        self._results.append((kind, state, value))

    def save_cache(self, *, detach: bool = False) -> None:
        """Record in the index cache the notes this run read, and the restored
        ones whose front-matter, tasks or links it found (so the next run need
        not). With ``detach`` (a command that has printed its output), a large
        write is left to a detached process."""
        if self._cache is None:
            return
        found_now = {
            path
            for path, known in self._restored.items()
            if path in self.notes and note_facts_known(self.notes[path]) != known
        }
        changed = [self.notes[p] for p in self._fresh | found_now if p in self.notes]
        gone, results = self._gone, self._results
        self._fresh, self._restored, self._gone, self._results = set(), {}, set(), []
        if detach and len(changed) >= DETACH_MIN_NOTES:
            root = self.root

            def store() -> None:  # over a connection of its own, never the inherited one
                _store(IndexCache(root), changed, gone, results)

            self._cache.close()  # no connection may cross the fork
            if run_detached(store):
                return
        _store(self._cache, changed, gone, results)

    def subscribe(self) -> ChangeFeed:
        """A feed of the paths every later refresh touches, for as long as the
        subscriber keeps it (the index holds it weakly)."""
        feed = ChangeFeed()
        self._feeds.add(feed)
        return feed

    @property
    def feed_count(self) -> int:
        """How many change feeds are still held by someone (a daemon's stays bounded)."""
        return len(self._feeds)

    def refresh(self, changed: set[str], removed: set[str]) -> None:
        """Re-read only what changed (the watcher's path): ``changed`` paths are
        read again if they are notes, ``removed`` ones dropped. The link
        resolver is updated for those notes alone, and the kinds of the others
        stand (a kind depends on its note and the config): rebuilding either
        would cost a large vault tens of milliseconds per save."""
        changed = changed | self._links_into(changed | removed)
        for feed in self._feeds:
            feed.paths |= changed | removed
        ignored = ignored_folders(self.root, self.config)
        resolver = self._resolver
        gone: list[Note] = []
        added: list[Note] = []
        replaced: list[tuple[Note, Note]] = []
        for path in removed:
            old = self.notes.pop(path, None)
            if old is not None:
                gone.append(old)
        touched = changed | removed
        shown = touched | {escaped(path) for path in touched}
        problems = [d for d in self.walk_diagnostics if d.path not in shown]
        for path in changed:
            old = self.notes.get(path)
            accepted, problem = judge_path(self.root, path, ignored)  # as `list_notes` would
            if problem is not None:
                problems.append(problem)
            if accepted:
                new = self.notes[path] = read_note(self.root, path, self.config.max_note_size)
                if old is None:
                    added.append(new)
                elif _naming(old) != _naming(new):
                    gone.append(old)
                    added.append(new)
                else:
                    replaced.append((old, new))
            elif path in self.notes:
                gone.append(self.notes.pop(path))
        for path in touched:
            self._kinds.pop(path, None)
            if self._symlinks is not None:
                if os.path.islink(self.root / path):
                    self._symlinks.add(path)
                else:
                    self._symlinks.discard(path)
        self.walk_diagnostics = problems
        if gone or added:
            self.resolution_version += 1
            self.notes = dict(sorted(self.notes.items()))
        if resolver is not None:
            for old in gone:
                resolver.remove(old)
            for new in added:
                resolver.add(new)
            for old, new in replaced:
                resolver.replace(old, new)

    def _links_into(self, touched: set[str]) -> set[str]:
        """The symlinked notes that lead to a ``touched`` file: read again
        with it (the full scan reads them through their link)."""
        if self._symlinks is None:  # once: a stat per note, then kept up to date
            broken = {d.path for d in self.walk_diagnostics if d.code == "broken-symlink"}
            self._symlinks = {
                path for path in (*self.notes, *broken) if os.path.islink(self.root / path)
            }
        if not self._symlinks:
            return set()
        targets = {os.path.realpath(self.root / path) for path in touched}
        return {
            link
            for link in self._symlinks - touched
            if os.path.realpath(self.root / link) in targets
        }

    def rescan(self) -> set[str]:
        """Walk the vault again (after a folder moved, or the vault came back),
        re-reading only files whose size or modification time changed; returns
        the paths read again."""
        paths, self.walk_diagnostics = list_notes(self.root, self.config)
        notes: dict[str, Note] = {}
        reread: set[str] = set()
        for feed in self._feeds:
            feed.everything = True
        for path in paths:
            old = self.notes.get(path)
            try:
                stat = os.stat(self.root / path)
            except OSError:
                continue
            if old is not None and (old.mtime_ns, old.size) == (stat.st_mtime_ns, stat.st_size):
                notes[path] = old
            else:
                notes[path] = read_note(self.root, path, self.config.max_note_size)
                reread.add(path)
        if notes.keys() != self.notes.keys() or any(
            _naming(note) != _naming(self.notes[path])
            for path, note in notes.items()
            if note is not self.notes[path]
        ):
            self.resolution_version += 1
        self.notes = notes
        self._forget_derived()
        return reread

    def _forget_derived(self) -> None:
        self._resolver = None
        self._symlinks = None
        self._kinds = {}

    @property
    def resolver(self) -> LinkResolver:
        if self._resolver is None:
            self._resolver = LinkResolver(self.notes.values())
        return self._resolver

    def resolve(self, target: str) -> Resolution:
        return self.resolver.resolve(target)

    def kind(self, note: Note) -> Kind:
        """``type:`` when it names a kind, else the configured folder the note is in."""
        kind = self._kinds.get(note.path)
        if kind is None:
            kind = self._kinds[note.path] = self._classify(note)
        return kind

    def of_kind(self, kind: Kind) -> Iterator[Note]:
        return (note for note in self.notes.values() if self.kind(note) == kind)

    def _classify(self, note: Note) -> Kind:
        declared = self.declared_type(note)
        if declared:
            return TYPE_WORDS.get(declared, "other")
        return self.folder_kind(note)

    @staticmethod
    def declared_type(note: Note) -> str:
        """The ``type:`` word, normalised (``[[Person]]`` → ``person``); empty if none."""
        if not note.mentions_key("type"):
            return ""  # no need to parse a note that cannot declare a type
        try:
            word = text(note.fields.get("type")) or ""
        except ValueProblem:
            return ""
        return word.strip("[]").strip().lower().replace(" ", "-").replace("_", "-")

    def folder_kind(self, note: Note) -> Kind:
        """The kind the note's folder gives, whatever its ``type:`` says."""
        folder = note.folder.lower() + "/"
        for kind, prefix in self._kind_folders:
            if folder.startswith(prefix):
                return kind
        return "other"

    @cached_property
    def _kind_folders(self) -> list[tuple[Kind, str]]:
        """Each kind's configured folder, lower-cased with a final ``/``."""
        folders = self.config.folders
        pairs: list[tuple[Kind, str]] = [
            ("contact", folders.people),
            ("organization", folders.organizations),
            ("interview", folders.interviews),
        ]
        return [(kind, base.lower() + "/") for kind, base in pairs if base]

    @staticmethod
    def is_kind_word(word: str) -> bool:
        """Whether a ``type:`` word names one of vaultkit's kinds."""
        return word in TYPE_WORDS

    def diagnostics(self) -> list[Diagnostic]:
        """What reading the vault found: config, walking and each note's parse."""
        found = list(self.config.diagnostics) + list(self.walk_diagnostics)
        for note in self.notes.values():
            found.extend(note.diagnostics)
        return found


def _store(
    cache: IndexCache, notes: list[Note], gone: set[str], results: list[tuple[str, str, str]]
) -> None:
    cache.store_notes(notes, gone)
    for result in results:
        cache.store_result(*result)


def _soon_parsed(config: Config, kinds: tuple[Kind, ...]) -> Callable[[Note], bool]:
    """Which notes' front-matter the command is about to parse: those in the
    folders of the kinds it reads, and those that may declare a ``type:``
    (the kind of every note is asked for)."""
    folder_of = {
        "contact": config.folders.people,
        "organization": config.folders.organizations,
        "interview": config.folders.interviews,
    }
    folders = tuple(folder_of[kind].lower() + "/" for kind in kinds if folder_of.get(kind))
    return lambda note: note.path.lower().startswith(folders) or note.mentions_key("type")


def _naming(note: Note) -> tuple[object, ...]:
    """What other notes' links and the note's kind depend on."""
    fields = note.fields
    return (fields.get("aliases"), fields.get("name"), fields.get("type"))
