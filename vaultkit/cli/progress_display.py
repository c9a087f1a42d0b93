"""The progress of long work at a terminal: a rich bar or spinner on stderr.

The library reports through `vaultkit.progress`; this is the CLI's display for
it. It appears only once a command has run for about a second (a quick command
never flickers), only when stderr is a terminal and the output is not JSON,
and it is transient: gone before the command prints its result. rich's own
refresh thread is not used (a thread running would stop the vault read from
forking a second reader): a bar redraws when its work reports a step, at most
ten times a second.
"""

from __future__ import annotations

import sys
import threading
import time
from typing import Any, TextIO

DELAY_SECONDS = 1.0
REDRAW_SECONDS = 0.1


def terminal() -> TextIO | None:
    """Where to draw: stderr when it is a terminal (the tests replace this)."""
    return sys.stderr if sys.stderr.isatty() else None


class TerminalProgress:
    """A `vaultkit.progress.Hook` drawing on ``stream`` after ``delay`` seconds.

    A bar redraws as its work steps. A spinner (work that cannot count) is
    kept turning by a small thread, which runs only while a spinner is the
    innermost task, so it never stands in the way of the vault read's fork.
    """

    def __init__(self, stream: TextIO, delay: float | None = None) -> None:
        self._stream = stream
        self._delay = DELAY_SECONDS if delay is None else delay
        self._begun = time.monotonic()
        self._tasks: list[list[Any]] = []  # [label, total, done], innermost last
        self._display: Any = None  # rich's Progress, imported once it is shown
        self._task: Any = None
        self._drawn_at = 0.0
        self._lock = threading.Lock()
        self._ticker: threading.Thread | None = None
        self._stop_ticking = threading.Event()

    def start(self, label: str, total: int | None) -> None:
        self._stop_ticker()
        self._tasks.append([label, total, 0])
        self._switch()

    def step(self, done: int) -> None:
        if self._tasks:
            self._tasks[-1][2] = done
        self._show()

    def end(self) -> None:
        self._stop_ticker()
        if self._tasks:
            self._tasks.pop()
        if self._tasks:
            self._switch()
        else:
            self.close()

    def close(self) -> None:
        """Take the display down (it leaves nothing on the screen)."""
        self._stop_ticker()
        with self._lock:
            if self._display is not None:
                self._display.stop()
                self._display = None

    def _switch(self) -> None:
        """Show the innermost task, and keep it turning if it is a spinner."""
        label, total, done = self._tasks[-1]
        with self._lock:
            if self._display is not None:
                self._display.update(self._task, description=label, total=total, completed=done)
        self._show(force=True)
        if total is None:
            self._stop_ticking.clear()
            self._ticker = threading.Thread(target=self._tick, daemon=True)
            self._ticker.start()

    def _tick(self) -> None:
        while not self._stop_ticking.wait(REDRAW_SECONDS):
            self._show()

    def _stop_ticker(self) -> None:
        if self._ticker is not None:
            self._stop_ticking.set()
            self._ticker.join()
            self._ticker = None

    def _show(self, force: bool = False) -> None:
        now = time.monotonic()
        if not self._tasks or now - self._begun < self._delay:
            return
        with self._lock:
            label, total, done = self._tasks[-1]
            if self._display is None:
                self._display = self._make()
                self._display.start()
                self._task = self._display.add_task(label, total=total)
            elif now - self._drawn_at < REDRAW_SECONDS and not force:
                return
            self._display.update(self._task, completed=done)
            self._display.refresh()
            self._drawn_at = now

    def _make(self) -> Any:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            Progress,
            SpinnerColumn,
            TaskProgressColumn,
            TextColumn,
            TimeElapsedColumn,
        )

        return Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            TaskProgressColumn(),  # blank for a spinner
            TimeElapsedColumn(),
            console=Console(file=self._stream, force_terminal=True, highlight=False),
            transient=True,
            auto_refresh=False,
            redirect_stdout=False,
            redirect_stderr=False,
        )
