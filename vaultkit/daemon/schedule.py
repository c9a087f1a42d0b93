"""When the watcher runs a pass with no file event to start it.

What a pass shows moves with the clock alone: at local midnight "overdue"
moves on (the dashboard, the calendar's drafts), and when an interview ends
its thank-you falls due. Stubs that wait for an interview note to settle, and
writes or pushes that failed, are tried again later too. The moment these
are reckoned from is the injected clock (a test or a demo runs the watcher on
a chosen day); the wall clock only tells the loop how long to sleep.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

# A moment after midnight, so the pass that wakes then is surely on the new day.
MIDNIGHT_MARGIN = dt.time(0, 0, 5)
# A moment after an interview's end, so the pass that wakes then sees it held.
END_MARGIN_SECONDS = 1.0


def system_now() -> dt.datetime:
    """The real moment, for a watcher given no clock of its own."""
    return dt.datetime.now(dt.UTC)


class Scheduler:
    """The next timed pass, as a time on the ``wall`` clock the loop sleeps by."""

    def __init__(
        self,
        now: Callable[[], dt.datetime],
        *,
        stub_settle: float,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self._now = now
        self._wall = wall
        self.stub_settle = stub_settle
        self.wake_at: float | None = None

    def moment(self, zone: dt.tzinfo) -> dt.datetime:
        """Now in the vault's zone, from the injected clock: what a pass reasons about."""
        return self._now().astimezone(zone)

    def plan(
        self,
        zone: dt.tzinfo,
        *,
        stubs_pending: bool = False,
        next_end: dt.datetime | None = None,
        retry_write_at: float = 0.0,
        retry_push_at: float = 0.0,
        mail_scan_at: float = 0.0,
    ) -> float:
        """Set (and return) the next wake-up: local midnight; sooner for an
        interview that ends before then, for stubs waiting to settle, and for a
        retry, and for the next mail scan (``retry_*_at`` and ``mail_scan_at`` are
        wall-clock times; 0 means none)."""
        now = self.moment(zone)
        wall = self._wall()
        midnight = dt.datetime.combine(
            now.date() + dt.timedelta(days=1), MIDNIGHT_MARGIN, tzinfo=zone
        )
        wake = wall + max(0.0, (midnight - now).total_seconds())
        if next_end is not None and next_end > now:
            wake = min(wake, wall + (next_end - now).total_seconds() + END_MARGIN_SECONDS)
        if stubs_pending:
            wake = min(wake, wall + self.stub_settle + 1)
        if retry_write_at:
            wake = min(wake, retry_write_at)
        if retry_push_at:
            wake = min(wake, retry_push_at + 0.5)
        if mail_scan_at:
            wake = min(wake, mail_scan_at + 0.5)
        self.wake_at = wake
        return wake

    def due(self) -> bool:
        """Whether the planned wake-up has come (then it is spent)."""
        if self.wake_at is not None and self._wall() >= self.wake_at:
            self.wake_at = None
            return True
        return False
