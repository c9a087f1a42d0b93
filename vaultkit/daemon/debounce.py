"""Settling a burst of file events: a save (temp file, rename), a git checkout,
a sync client, Obsidian rewriting links in many notes after a rename.

The watcher stages a pass as soon as a burst begins and publishes it once the
burst is over, so what is published is the end of a burst, not a state it
passed through. A burst that never ends is still handled every
MAX_BURST_SECONDS.
"""

from __future__ import annotations

import queue
import time
from collections.abc import Callable

from vaultkit.daemon.events import Batch, Event, EventFilter

# Quiet time that ends a burst. An editor's save (temp file, rename) arrives
# within a millisecond; a checkout or a sync client keeps the gaps shorter
# than this, and a burst cut in two costs only one more (incremental) pass.
SETTLE_SECONDS = 0.05
# Quiet time before a pass is staged: the rest of one save (an editor writing a
# note in place truncates, writes and closes it) arrives first, so the note is
# not read half-written and staged twice.
STAGE_AFTER_SECONDS = 0.01
MAX_BURST_SECONDS = 2.0  # a never-ending burst is still handled this often
# How long a wait for the next burst blocks before the watcher looks around
# (the vault folder, the lock, a timed pass).
IDLE_POLL_SECONDS = 0.2


class Debouncer:
    """Reads events from ``events`` through a filter and tells bursts apart.
    ``monotonic`` only measures waits; it never decides what a pass shows."""

    def __init__(
        self, events: queue.Queue[Event], monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self.events = events
        self._monotonic = monotonic
        self.burst_started = 0.0
        self._last_event = 0.0

    def begin(self) -> None:
        """A burst (or a whole pass) starts now."""
        self.burst_started = self._last_event = self._monotonic()

    def since_burst_began(self) -> float:
        """Seconds since `begin`: how long a save took to reach the outputs."""
        return self._monotonic() - self.burst_started

    def first(self, sort: EventFilter) -> Batch | None:
        """The start of the next burst: its first event that matters, with
        whatever else has already arrived; None when nothing came for
        IDLE_POLL_SECONDS (the caller looks around and asks again)."""
        try:
            event = self.events.get(timeout=IDLE_POLL_SECONDS)
        except queue.Empty:
            return None
        batch = Batch()
        sort.add(batch, event)
        while True:
            try:
                sort.add(batch, self.events.get_nowait())
            except queue.Empty:
                break
        return batch

    def settle(
        self,
        batch: Batch,
        sort: EventFilter,
        quiet: float = SETTLE_SECONDS,
        stopped: Callable[[], bool] = lambda: False,
    ) -> Batch:
        """The rest of the burst, added to ``batch``: events that matter until
        none has come for ``quiet`` seconds (or the burst has gone on for
        MAX_BURST_SECONDS). Events the filter ignores, the watcher's own temp
        files among them, do not prolong it."""
        while not stopped():
            now = self._monotonic()
            wait = self._last_event + quiet - now
            if now - self.burst_started >= MAX_BURST_SECONDS:
                break
            try:
                event = self.events.get(timeout=wait) if wait > 0 else self.events.get_nowait()
            except queue.Empty:
                break
            if sort.add(batch, event):
                self._last_event = self._monotonic()
        return batch
