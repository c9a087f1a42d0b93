"""Which file-system events matter to the watcher, gathered into a `Batch`.

The rule for notes is the full scan's own (`vaultkit.vault.walk`): a path the
watcher passes on as a changed note is one `list_notes` could list, and the
index then judges it with `judge_path`, exactly as a fresh walk would. Beyond
notes, a few files steer the watcher itself: the config (start over), the
Obsidian templates setting (which folders hold notes), an edited template or a
deleted output (the outputs are due again). Everything else, the watcher's own
writes and editors' scratch files among it, is ignored, so it never prolongs
a burst or feeds on itself.
"""

from __future__ import annotations

import errno
import os
import queue
from dataclasses import dataclass, field
from pathlib import Path

from vaultkit.errors import VaultkitError
from vaultkit.vault.config import CONFIG_NAME, Config
from vaultkit.vault.walk import ignored_folders, is_note_path

# One event as the filter sees it: ("changed" | "removed", vault-relative
# path with ``/``, whether it is a folder).
Event = tuple[str, str, bool]

# Where Obsidian keeps its template folder, and the folder that file is in:
# they decide which folder's files are not notes (`walk.obsidian_template_folder`).
OBSIDIAN_TEMPLATES = ".obsidian/templates.json"
OBSIDIAN_SETTINGS = ".obsidian"


class WatchLimitError(VaultkitError):
    """The system's inotify limit is reached."""


@dataclass
class Batch:
    """Paths that changed or went away in one burst, vault-relative."""

    changed: set[str] = field(default_factory=set)
    removed: set[str] = field(default_factory=set)
    rescan: bool = False  # a folder moved or vanished, or what counts as a note changed: walk again
    reload: bool = False  # the config changed, or the vault folder was replaced: start over
    rerun: bool = False  # nothing to re-read, but the outputs are due (a timer, a template)

    def __bool__(self) -> bool:
        return bool(self.changed or self.removed or self.rescan or self.reload or self.rerun)


class EventFilter:
    """Sorts events into a `Batch` by what they mean for the outputs, for one
    vault and its config (a new config means a new filter)."""

    def __init__(self, root: Path, config: Config) -> None:
        self.root = root
        self.config = config
        self._ignored = ignored_folders(root, config)
        self._templates = config.folders.templates.lower()
        self._outputs = {
            config.calendar.path.lower(),
            config.dashboard.path.lower(),
            config.dashboard.referral_map.lower(),
        }

    def add(self, batch: Batch, event: Event) -> bool:
        """Put ``event`` into ``batch``; False when it does not matter."""
        kind, rel, is_directory = event
        if rel == CONFIG_NAME:
            batch.reload = True
            return True
        if rel in (OBSIDIAN_TEMPLATES, OBSIDIAN_SETTINGS):
            # Another template folder: its files stop or start being notes.
            ignored = ignored_folders(self.root, self.config)
            if ignored == self._ignored:
                return False
            self._ignored = ignored
            batch.rescan = True
            return True
        parts = rel.split("/")
        if any(part.startswith(".") for part in parts):
            return False  # .obsidian/, .git/, .trash/, .vaultkit/ and editors' dot-files
        lowered = rel.lower()
        if self._templates and lowered.startswith(self._templates + "/"):
            batch.rerun = True  # an edited template changes drafts in the calendar
            return True
        if kind == "removed" and lowered in self._outputs:
            batch.rerun = True  # someone deleted an output: write it again
            return True
        if any(lowered == f or lowered.startswith(f + "/") for f in self._ignored):
            return False  # our own output folder, other template folders
        if is_directory:
            batch.rescan = True  # the walk enters any folder not excluded above
        elif not is_note_path(rel, self._ignored):
            return False  # not Markdown (editors' scratch files: ``.swp``, ``~``, ``.tmp``)
        elif kind == "removed":
            batch.removed.add(rel)
            batch.changed.discard(rel)
        else:
            batch.changed.add(rel)
            batch.removed.discard(rel)
        return True


class FileEvents:
    """A watchdog observer over the vault, putting each event into a queue as
    an `Event` (a move is the old path removed and the new one changed)."""

    def __init__(self, root: Path, *, polling: bool = False) -> None:
        self.root = root
        self.polling = polling
        self.queue: queue.Queue[Event] = queue.Queue()
        self._observer: object | None = None

    @property
    def alive(self) -> bool:
        """Whether the observer runs (it dies when its folder is deleted)."""
        return self._observer is not None and self._observer.is_alive()  # type: ignore[attr-defined]

    def put(self, kind: str, path: str, is_directory: bool) -> None:
        """Queue an event on an absolute ``path``; one outside the vault is dropped."""
        rel = relative(self.root, path)
        if rel is None or rel == ".":
            return
        self.queue.put((kind, rel, is_directory))

    def start(self) -> None:
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers import Observer
        from watchdog.observers.polling import PollingObserver

        events = self

        class Handler(FileSystemEventHandler):
            def on_any_event(self, event):  # type: ignore[no-untyped-def]
                if event.event_type in ("opened", "closed", "closed_no_write"):
                    return
                source = os.fsdecode(event.src_path)
                if event.is_directory and event.event_type == "modified":
                    return  # a folder "changes" whenever a file in it does
                if event.event_type == "moved":
                    events.put("removed", source, event.is_directory)
                    events.put("changed", os.fsdecode(event.dest_path), event.is_directory)
                elif event.event_type == "deleted":
                    events.put("removed", source, event.is_directory)
                else:
                    events.put("changed", source, event.is_directory)

        observer = PollingObserver(timeout=1) if self.polling else Observer()
        observer.schedule(Handler(), str(self.root), recursive=True)
        try:
            observer.start()
        except OSError as error:
            if error.errno in (errno.ENOSPC, errno.EMFILE):
                raise WatchLimitError(
                    "the system's limit on watched folders is reached; run with --polling, "
                    "or raise it: sudo sysctl fs.inotify.max_user_watches=524288"
                ) from None
            raise
        self._observer = observer

    def stop(self) -> None:
        observer = self._observer
        self._observer = None
        if observer is not None:
            observer.stop()  # type: ignore[attr-defined]
            observer.join(timeout=1)  # type: ignore[attr-defined]


def relative(root: Path, path: str) -> str | None:
    """``path`` relative to the vault with ``/`` separators; None when outside."""
    try:
        rel = os.path.relpath(path, root)
    except ValueError:
        return None
    if rel.startswith(".."):
        return None
    return rel.replace(os.sep, "/")
