"""`vaultkit watch`: keep the outputs current while the user writes.

A watchdog observer feeds file events into a queue (`events.FileEvents`);
the ones that matter are sorted into a batch by the same note rule as the
full scan (`events.EventFilter`). When a burst begins (a save; a git
checkout, a sync client, Obsidian rewriting links in many notes after a
rename), the loop re-reads only the notes that changed and stages a sync pass
at once: everything computed, the calendar written and synced under a
temporary name. More of the burst is read and staged again; once it has
settled (`debounce.Debouncer`), the pass is published (the calendar renamed
into place, the dashboards written). So the write of a large calendar
overlaps the wait for the burst to end, and what is published is the end of
a burst, not a state it passed through. Passes that no event starts
(midnight, an interview's end, retries) come from `schedule.Scheduler`.
Writes land in the output folder, which is ignored, and a pass that changes
nothing writes nothing, so the watcher goes quiet after each change instead
of feeding on itself.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from vaultkit.daemon.debounce import SETTLE_SECONDS, STAGE_AFTER_SECONDS, Debouncer
from vaultkit.daemon.events import Batch, EventFilter, FileEvents, WatchLimitError
from vaultkit.daemon.memory import settle_after_first_pass
from vaultkit.daemon.schedule import Scheduler, system_now
from vaultkit.daemon.sync import Syncer
from vaultkit.errors import VaultkitError
from vaultkit.vault.walk import escaped

__all__ = ["WatchLimitError", "Watcher"]

log = logging.getLogger("vaultkit")

# An interview note unchanged this long may get stub contacts ($VAULTKIT_STUB_SETTLE
# shortens it for tests and demos).
STUB_SETTLE_SECONDS = float(os.environ.get("VAULTKIT_STUB_SETTLE", "30"))
VANISHED_POLL_SECONDS = 1.0
LOCK_CHECK_SECONDS = 1.0


class Watcher:
    """The watch loop over one vault: file events, filtered and settled into
    bursts, and timed wake-ups, each turned into a sync pass. ``stop()`` (from
    a signal handler or another thread) ends it within a fraction of a second."""

    def __init__(
        self,
        root: Path,
        *,
        polling: bool = False,
        now: Callable[[], dt.datetime] = system_now,
        on_pass: Callable[[list[str]], None] | None = None,
        on_error: Callable[[str], None] | None = None,
        keep_lock: Callable[[], bool] | None = None,
        wall: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        """``now``: the moment passes reason about (what is overdue, when
        midnight is), injectable so a test or a demo can run the watcher on a
        chosen day. ``wall`` and ``monotonic`` only measure waits."""
        self.root = root
        self._stop = threading.Event()
        self._files = FileEvents(root, polling=polling)
        self._debouncer = Debouncer(self._files.queue, monotonic)
        self._scheduler = Scheduler(now, stub_settle=STUB_SETTLE_SECONDS, wall=wall)
        self._monotonic = monotonic
        self._on_pass = on_pass
        self._on_error = on_error  # a pass that failed as a whole: `daemon status` shows it
        # Re-takes the daemon lock when the vault folder was replaced (the
        # watcher follows the new folder); False: another watcher has it, stop.
        self._keep_lock = keep_lock
        self._lock_checked = 0.0
        self.syncer: Syncer | None = None
        self._filter: EventFilter | None = None
        self._frozen = False
        self._root_id: tuple[int, int] | None = None
        self.busy = False  # loading or in a pass: a signal then ends it at once
        self._lines: list[str] = []  # what the staged half of a pass did, logged when published

    @property
    def polling(self) -> bool:
        return self._files.polling

    @property
    def _wake_at(self) -> float | None:
        """When the next timed pass is due, on the wall clock (None: none planned)."""
        return self._scheduler.wake_at

    def stop(self) -> None:
        self._stop.set()

    # -- the loop ------------------------------------------------------------

    def run(self) -> None:
        """Sync once, then on every change until stopped."""
        self.busy = True
        self.syncer = Syncer(self.root, stub_settle=STUB_SETTLE_SECONDS, retries=True)
        self._filter = EventFilter(self.root, self.syncer.index.config)
        self._root_id = self._root_identity()
        self._files.start()
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
            self._files.stop()
            log.info("stopped")

    def _collect(self) -> Batch | None:
        """Wait for the start of the next burst: its first events that matter,
        with whatever else has already arrived (the caller stages a pass on
        them, then settles the rest); None when stopping. While idle, also
        notice the vault folder vanishing or being replaced, and the timed
        passes."""
        assert self._filter is not None
        while not self._stop.is_set():
            batch = self._debouncer.first(self._filter)
            if batch is None:
                if not self.root.is_dir():
                    return Batch(rescan=True)
                if self._root_identity() != self._root_id:
                    return Batch(reload=True)  # rm -rf && cp -r: a new folder, new watches
                if not self._lock_held():
                    return None
                if self._scheduler.due():
                    return Batch(rerun=True)
            elif batch:
                return batch
        return None

    def _burst(self, batch: Batch) -> bool:
        """Read what a burst changed and stage a pass at once; while more of
        the burst arrives, read that and stage again; publish when it is over.
        The calendar is written while the burst settles and only renamed into
        place at its end. False when watching must end (the vault went away
        and never came back)."""
        assert self.syncer is not None
        self._debouncer.begin()
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
                if not self._files.alive:
                    self._restart(full=False)  # a whole pass, published
                    return True
                staged = self._safe(self._stage) or staged
            batch = self._settle_idle(Batch(), SETTLE_SECONDS)
        if staged:
            self._safe(self._publish)
        return True

    def _settle_idle(self, batch: Batch, quiet: float) -> Batch:
        """Settling as idle time: a signal then only stops the watcher, which
        publishes what it staged on its way out instead of dropping it."""
        assert self._filter is not None
        self.busy = False
        try:
            return self._debouncer.settle(batch, self._filter, quiet, self._stop.is_set)
        finally:
            self.busy = True

    def _root_identity(self) -> tuple[int, int] | None:
        try:
            stat = os.stat(self.root)
        except OSError:
            return None
        return (stat.st_dev, stat.st_ino)

    # -- passes --------------------------------------------------------------

    def _schedule(self) -> None:
        """Plan the next timed pass from what the syncer waits for."""
        syncer = self.syncer
        assert syncer is not None
        zone = syncer.index.config.zone
        self._scheduler.plan(
            zone,
            stubs_pending=syncer.pending_stubs,
            next_end=syncer.next_interview_end(),
            retry_write_at=syncer.retry_write_at,
            retry_push_at=syncer.retry_push_at,
            mail_scan_at=syncer.next_mail_scan_at if syncer.index.config.mail.scan_every else 0.0,
        )

    def _clock(self) -> dt.datetime:
        """Now in the vault's zone, from the injected clock."""
        assert self.syncer is not None
        return self._scheduler.moment(self.syncer.index.config.zone)

    def _stage(self) -> None:
        """The first half of a pass (see `Syncer.stage`)."""
        assert self.syncer is not None
        self._lines += [change.line() for change in self.syncer.stage(self._clock())]

    def _publish(self) -> None:
        """The second half: outputs in place, what changed logged."""
        assert self.syncer is not None
        lines, self._lines = self._lines + [c.line() for c in self.syncer.publish()], []
        for line in lines:
            log.info(line)
        took = self._debouncer.since_burst_began() * 1000
        log.debug("published %.0f ms after the burst began", took)
        if self._on_pass is not None:
            self._on_pass(lines)
        if not self._frozen:
            settle_after_first_pass()
            self._frozen = True

    def _safe_pass(self) -> None:
        """A whole pass at once (the first, and after a restart)."""
        self._debouncer.begin()
        if self._safe(self._stage):
            self._safe(self._publish)

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

    # -- the vault folder and the lock ---------------------------------------

    def _wait_for_vault(self) -> bool:
        """The vault folder is gone (an unmounted drive): wait for it to return."""
        log.warning("the vault folder %s is gone; waiting for it to come back", self.root)
        self._files.stop()
        while not self._stop.wait(VANISHED_POLL_SECONDS):
            if self.root.is_dir():
                log.info("the vault folder is back; reading it again")
                return True
        return False

    def _lock_held(self, now: bool = False) -> bool:
        """Whether this watcher still holds its vault's lock (checked about once
        a second while idle, and at once after the folder changed); stops it
        when another watcher took the vault over."""
        if self._keep_lock is None:
            return True
        if not now and self._monotonic() - self._lock_checked < LOCK_CHECK_SECONDS:
            return True
        self._lock_checked = self._monotonic()
        if self._keep_lock():
            return True
        log.warning("another watcher now watches %s; this one stops", self.root)
        self.stop()
        return False

    def _restart(self, full: bool) -> None:
        """Watch again from a new observer, after the folder came back or was
        replaced or the config changed (``full``: the vault read anew), or
        after the observer died; then a whole pass."""
        if full and not self._lock_held(now=True):
            return  # the folder was replaced and another watcher has taken it
        self._files.stop()
        assert self.syncer is not None
        if full:
            self.syncer.reload()
            self._filter = EventFilter(self.root, self.syncer.index.config)
            self._root_id = self._root_identity()
        self._files.start()
        self._safe_pass()
