"""`vaultkit watch`: keep the outputs current while the user writes.

A watchdog observer feeds file events into a queue. When a burst begins (a
save; a git checkout, a sync client, Obsidian rewriting links in many notes
after a rename), the main loop re-reads only the notes that changed and
stages a sync pass at once: everything computed, the calendar written and
synced under a temporary name. More of the burst is read and staged again;
once it has settled, the pass is published (the calendar renamed into place,
the dashboards written). So the write of a large calendar overlaps the wait
for the burst to end, and what is published is the end of a burst, not a
state it passed through (a burst that never ends is published every
MAX_BURST_SECONDS). Writes land in the output folder, which is ignored, and a
pass that changes nothing writes nothing, so the watcher goes quiet after
each change instead of feeding on itself.
"""

from __future__ import annotations

import datetime as dt
import errno
import logging
import os
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from vaultkit.daemon.sync import Syncer
from vaultkit.errors import VaultkitError
from vaultkit.vault.config import CONFIG_NAME
from vaultkit.vault.walk import escaped, ignored_folders

log = logging.getLogger("vaultkit")

# Quiet time that ends a burst. An editor's save (temp file, rename) arrives
# within a millisecond; a checkout or a sync client keeps the gaps shorter
# than this, and a burst cut in two costs only one more (incremental) pass.
SETTLE_SECONDS = 0.05
# Quiet time before a pass is staged: the rest of one save (an editor writing a
# note in place truncates, writes and closes it) arrives first, so the note is
# not read half-written and staged twice.
STAGE_AFTER_SECONDS = 0.01
# An interview note unchanged this long may get stub contacts ($VAULTKIT_STUB_SETTLE
# shortens it for tests and demos).
STUB_SETTLE_SECONDS = float(os.environ.get("VAULTKIT_STUB_SETTLE", "30"))
MAX_BURST_SECONDS = 2.0  # a never-ending burst is still handled this often
VANISHED_POLL_SECONDS = 1.0
LOCK_CHECK_SECONDS = 1.0

# Files editors write next to a note while saving, which are never notes.
_TEMP_SUFFIXES = (
    ".swp",
    ".swo",
    ".swx",
    ".tmp",
    ".temp",
    "~",
    ".bak",
    ".crswap",
    ".part",
    ".vaultkit-tmp",
)
_TEMP_PREFIXES = (".#", "~$", ".goutputstream-", ".~lock.")


class WatchLimitError(VaultkitError):
    """The system's inotify limit is reached."""


@dataclass
class Batch:
    """Paths that changed or went away in one burst, vault-relative."""

    changed: set[str] = field(default_factory=set)
    removed: set[str] = field(default_factory=set)
    rescan: bool = False  # a folder moved or vanished: walk again
    reload: bool = False  # the config changed, or the vault folder was replaced: start over
    rerun: bool = False  # nothing to re-read, but the outputs are due (a timer, a template)

    def __bool__(self) -> bool:
        return bool(self.changed or self.removed or self.rescan or self.reload or self.rerun)


def is_temporary(name: str) -> bool:
    return name.endswith(_TEMP_SUFFIXES) or name.startswith(_TEMP_PREFIXES) or name == "4913"


class Watcher:
    """The watch loop over one vault. ``stop()`` (from a signal handler or
    another thread) ends it within a fraction of a second."""

    def __init__(
        self,
        root: Path,
        *,
        polling: bool = False,
        now: Callable[[], dt.datetime] | None = None,
        on_pass: Callable[[list[str]], None] | None = None,
        on_error: Callable[[str], None] | None = None,
        keep_lock: Callable[[], bool] | None = None,
    ) -> None:
        self.root = root
        self.polling = polling
        self._events: queue.Queue[tuple[str, str, bool]] = queue.Queue()
        self._stop = threading.Event()
        # The moment passes reason about (what is overdue, when midnight is).
        # Injectable so a test or a demo can run the watcher on a chosen day;
        # time.time()/monotonic() below only measure waits, never decide a date.
        self._now = now
        self._on_pass = on_pass
        self._on_error = on_error  # a pass that failed as a whole: `daemon status` shows it
        # Re-takes the daemon lock when the vault folder was replaced (the
        # watcher follows the new folder); False: another watcher has it, stop.
        self._keep_lock = keep_lock
        self._lock_checked = 0.0
        self._observer: object | None = None
        self.syncer: Syncer | None = None
        self._frozen = False
        self._wake_at: float | None = None
        self._root_id: tuple[int, int] | None = None
        self.busy = False  # loading or in a pass: a signal then ends it at once
        self._burst_started = self._last_event = 0.0
        self._lines: list[str] = []  # what the staged half of a pass did, logged when published

    def stop(self) -> None:
        self._stop.set()

    # -- events --------------------------------------------------------------

    def _relative(self, path: str) -> str | None:
        try:
            rel = os.path.relpath(path, self.root)
        except ValueError:
            return None
        if rel.startswith(".."):
            return None
        return rel.replace(os.sep, "/")

    def _queue(self, kind: str, path: str, is_directory: bool) -> None:
        rel = self._relative(path)
        if rel is None or rel == ".":
            return
        self._events.put((kind, rel, is_directory))

    def _start_observer(self) -> None:
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers import Observer
        from watchdog.observers.polling import PollingObserver

        watcher = self

        class Handler(FileSystemEventHandler):
            def on_any_event(self, event):  # type: ignore[no-untyped-def]
                if event.event_type in ("opened", "closed", "closed_no_write"):
                    return
                source = os.fsdecode(event.src_path)
                if event.is_directory and event.event_type == "modified":
                    return  # a folder "changes" whenever a file in it does
                if event.event_type == "moved":
                    watcher._queue("removed", source, event.is_directory)
                    watcher._queue("changed", os.fsdecode(event.dest_path), event.is_directory)
                elif event.event_type == "deleted":
                    watcher._queue("removed", source, event.is_directory)
                else:
                    watcher._queue("changed", source, event.is_directory)

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

    def _stop_observer(self) -> None:
        observer = self._observer
        self._observer = None
        if observer is not None:
            observer.stop()  # type: ignore[attr-defined]
            observer.join(timeout=1)  # type: ignore[attr-defined]

    # -- the loop ------------------------------------------------------------

    def _collect(self) -> Batch | None:
        """Wait for the start of the next burst: its first events that matter,
        with whatever else has already arrived (the caller stages a pass on
        them, then `_settle`s); None when stopping. While idle, also notice the
        vault folder vanishing or being replaced, and the timers: midnight (the
        dashboard's "overdue" moves on) and stubs that waited for an interview
        note to settle."""
        while not self._stop.is_set():
            try:
                first = self._events.get(timeout=0.2)
            except queue.Empty:
                if not self.root.is_dir():
                    return Batch(rescan=True)
                if self._root_identity() != self._root_id:
                    return Batch(reload=True)  # rm -rf && cp -r: a new folder, new watches
                if not self._lock_held():
                    return None
                if self._wake_at is not None and time.time() >= self._wake_at:
                    self._wake_at = None
                    return Batch(rerun=True)
                continue
            batch = Batch()
            self._add(batch, first)
            while True:
                try:
                    self._add(batch, self._events.get_nowait())
                except queue.Empty:
                    break
            if batch:
                return batch
        return None

    def _settle(self, batch: Batch, quiet: float = SETTLE_SECONDS) -> Batch:
        """The rest of the burst, added to ``batch``: events that matter until
        none has come for ``quiet`` seconds (or the burst has gone on for
        MAX_BURST_SECONDS). Events the watcher ignores, its own temp files
        among them, do not prolong it."""
        while not self._stop.is_set():
            now = time.monotonic()
            wait = self._last_event + quiet - now
            if now - self._burst_started >= MAX_BURST_SECONDS:
                break
            try:
                event = self._events.get(timeout=wait) if wait > 0 else self._events.get_nowait()
            except queue.Empty:
                break
            if self._add(batch, event):
                self._last_event = time.monotonic()
        return batch

    def _root_identity(self) -> tuple[int, int] | None:
        try:
            stat = os.stat(self.root)
        except OSError:
            return None
        return (stat.st_dev, stat.st_ino)

    def _schedule(self) -> None:
        """The next timed pass: local midnight, or sooner for settling stubs."""
        assert self.syncer is not None
        zone = self.syncer.index.config.zone
        now = self._clock()
        midnight = dt.datetime.combine(
            now.date() + dt.timedelta(days=1), dt.time(0, 0, 5), tzinfo=zone
        )
        # The wait until then, on the wall clock the loop sleeps by.
        wake = time.time() + max(0.0, (midnight - now).total_seconds())
        if self.syncer.pending_stubs:
            wake = min(wake, time.time() + STUB_SETTLE_SECONDS + 1)
        if self.syncer.retry_write_at:
            wake = min(wake, self.syncer.retry_write_at)
        if self.syncer.retry_push_at:
            wake = min(wake, self.syncer.retry_push_at + 0.5)
        self._wake_at = wake

    def _add(self, batch: Batch, event: tuple[str, str, bool]) -> bool:
        """Put ``event`` into ``batch``; False when it does not matter."""
        kind, rel, is_directory = event
        parts = rel.split("/")
        if rel == CONFIG_NAME:
            batch.reload = True
            return True
        if any(part.startswith(".") for part in parts) or is_temporary(parts[-1]):
            return False  # .obsidian/, .git/, .trash/, .vaultkit/ and editors' scratch files
        lowered = rel.lower()
        if self.syncer is not None:
            config = self.syncer.index.config
            templates = config.folders.templates.lower()
            if templates and lowered.startswith(templates + "/"):
                batch.rerun = True  # an edited template changes drafts in the calendar
                return True
            outputs = {
                config.calendar.path.lower(),
                config.dashboard.path.lower(),
                config.dashboard.referral_map.lower(),
            }
            if kind == "removed" and lowered in outputs:
                batch.rerun = True  # someone deleted an output: write it again
                return True
            ignored = ignored_folders(self.root, config)
            if any(lowered == f or lowered.startswith(f + "/") for f in ignored):
                return False  # our own output folder, other template folders
        if is_directory:
            batch.rescan = True
        elif not lowered.endswith(".md"):
            return False
        elif kind == "removed":
            batch.removed.add(rel)
            batch.changed.discard(rel)
        else:
            batch.changed.add(rel)
            batch.removed.discard(rel)
        return True

    def _stage(self) -> None:
        """The first half of a pass (see `Syncer.stage`)."""
        assert self.syncer is not None
        self._lines += [change.line() for change in self.syncer.stage(self._clock())]

    def _clock(self) -> dt.datetime:
        """Now in the vault's zone: the injected clock, else the real one."""
        assert self.syncer is not None
        zone = self.syncer.index.config.zone
        return self._now().astimezone(zone) if self._now else dt.datetime.now(zone)

    def _publish(self) -> None:
        """The second half: outputs in place, what changed logged."""
        assert self.syncer is not None
        import gc

        lines, self._lines = self._lines + [c.line() for c in self.syncer.publish()], []
        for line in lines:
            log.info(line)
        took = (time.monotonic() - self._burst_started) * 1000
        log.debug("published %.0f ms after the burst began", took)
        if self._on_pass is not None:
            self._on_pass(lines)
        if not self._frozen:
            # Most objects now live as long as the index. Freezing them once
            # keeps the garbage collector from walking the whole vault again on
            # every save (a third of a pass on a 10,000-note vault).
            gc.collect()
            gc.freeze()
            self._frozen = True
            _return_free_memory()

    def _wait_for_vault(self) -> bool:
        """The vault folder is gone (an unmounted drive): wait for it to return."""
        log.warning("the vault folder %s is gone; waiting for it to come back", self.root)
        self._stop_observer()
        while not self._stop.wait(VANISHED_POLL_SECONDS):
            if self.root.is_dir():
                log.info("the vault folder is back; reading it again")
                return True
        return False

    def run(self) -> None:
        """Sync once, then on every change until stopped."""
        self.busy = True
        self.syncer = Syncer(self.root, stub_settle=STUB_SETTLE_SECONDS, retries=True)
        self._root_id = self._root_identity()
        self._start_observer()
        log.info("watching %s%s", self.root, " (polling)" if self.polling else "")
        try:
            self._safe_pass()
            while not self._stop.is_set():
                self.busy = False
                batch = self._collect()
                self.busy = True
                if batch is None or not self._burst(batch):
                    break
        finally:
            self.syncer.abandon()  # stopped between staging and publishing
            self._stop_observer()
            log.info("stopped")

    def _burst(self, batch: Batch) -> bool:
        """Read what a burst changed and stage a pass at once; while more of
        the burst arrives, read that and stage again; publish when it is over.
        The calendar is written while the burst settles and only renamed into
        place at its end. False when watching must end (the vault went away
        and never came back)."""
        assert self.syncer is not None
        self._burst_started = self._last_event = time.monotonic()
        self._settle_idle(batch, STAGE_AFTER_SECONDS)
        staged = False
        while batch:
            if not self.root.is_dir():
                if not self._wait_for_vault():
                    return False
                self._restart(full=True)
                return True
            try:
                if batch.reload:
                    log.info("the config or the vault folder changed; reading it again")
                    self._restart(full=True)
                    return True
                elif batch.rescan:
                    self._report_unreadable(self.syncer.index.rescan())
                else:
                    self.syncer.index.refresh(batch.changed, batch.removed)
                    self._report_unreadable(batch.changed)
            except VaultkitError as error:
                log.error("%s", error)
            else:
                if self._observer is None or not self._observer.is_alive():  # type: ignore[attr-defined]
                    self._restart(full=False)  # a whole pass, published
                    return True
                staged = self._safe(self._stage) or staged
            batch = self._settle_idle(Batch(), SETTLE_SECONDS)
        if staged:
            self._safe(self._publish)
        return True

    def _settle_idle(self, batch: Batch, quiet: float) -> Batch:
        """`_settle` as idle time: a signal then only stops the watcher, which
        publishes what it staged on its way out instead of dropping it."""
        self.busy = False
        try:
            return self._settle(batch, quiet)
        finally:
            self.busy = True

    def _report_unreadable(self, paths: set[str]) -> None:
        """A changed note that cannot be read, or a file the walk would skip
        with a warning, is logged (and skipped by the pass)."""
        assert self.syncer is not None
        index = self.syncer.index
        shown = paths | {escaped(path) for path in paths}
        for diagnostic in index.walk_diagnostics:  # skipped: a bad name, a link outside
            if diagnostic.path in shown:
                log.warning(diagnostic.format())
        for path in sorted(paths):
            note = index.notes.get(path)
            for diagnostic in note.diagnostics if note is not None else ():
                if diagnostic.severity == "error":
                    log.warning(diagnostic.format())

    def _safe_pass(self) -> None:
        """A whole pass at once (the first, and after a restart)."""
        self._burst_started = time.monotonic()
        if self._safe(self._stage):
            self._safe(self._publish)

    def _lock_held(self, now: bool = False) -> bool:
        """Whether this watcher still holds its vault's lock (checked about once
        a second while idle, and at once after the folder changed); stops it
        when another watcher took the vault over."""
        if self._keep_lock is None:
            return True
        if not now and time.monotonic() - self._lock_checked < LOCK_CHECK_SECONDS:
            return True
        self._lock_checked = time.monotonic()
        if self._keep_lock():
            return True
        log.warning("another watcher now watches %s; this one stops", self.root)
        self.stop()
        return False

    def _restart(self, full: bool) -> None:
        if full and not self._lock_held(now=True):
            return  # the folder was replaced and another watcher has taken it
        self._stop_observer()
        assert self.syncer is not None
        if full:
            self.syncer.reload()
            self._root_id = self._root_identity()
        self._start_observer()
        self._safe_pass()

    def _safe(self, step: Callable[[], None]) -> bool:
        """Run half a pass; one that fails is logged (False) and watching goes
        on: whatever a note holds, the watcher must outlive it."""
        message = ""
        try:
            step()
            return True
        except VaultkitError as error:
            message = str(error)
            log.error("%s", message)
        except OSError as error:
            where = f" ({error.filename})" if error.filename else ""
            message = f"could not write: {error.strerror or error}{where}"
            log.error("%s", message)
        except Exception as error:  # a bug must not stop the watcher; say what happened
            message = f"the pass failed and is skipped: {error}"
            log.exception("%s", message)
        finally:
            if message and self.syncer is not None:
                self.syncer.pass_failed()  # tried again later, the disk may be freed
                if self._on_error is not None:
                    self._on_error(message)
            if self.syncer is not None:
                self._schedule()
        for line in self._lines:  # what an earlier stage of the burst did (stubs made)
            log.info(line)
        self._lines = []
        return False


def _return_free_memory() -> None:
    """Give the first pass's peak (every note's text, read once) back to the
    system on glibc, where freed heap memory otherwise stays with the process."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    if not name:
        return
    try:
        libc = ctypes.CDLL(name)
        trim = libc.malloc_trim
    except (OSError, AttributeError):
        return
    trim(0)
