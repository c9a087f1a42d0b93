"""Progress of long work: reported by any layer, shown (or not) by a front end.

The library never draws anything and never imports rich: a long piece of work
runs inside ``with task("reading notes", total=n) as step:`` and calls
``step(done)`` now and then. That costs nothing unless a front end installed a
`Hook` with `reporting` (the CLI does, at a terminal). Tasks nest; the hook
hears each one start, step and end, so it can take its display down when the
outermost task ends, before the command prints its output.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, Protocol, TypeVar

Step = Callable[[int], None]
P = ParamSpec("P")
R = TypeVar("R")


class Hook(Protocol):
    """What a front end implements to show progress."""

    def start(self, label: str, total: int | None) -> None: ...

    def step(self, done: int) -> None: ...

    def end(self) -> None: ...


_hook: Hook | None = None


def _no_step(done: int) -> None:
    return None


@contextmanager
def task(label: str, total: int | None = None) -> Iterator[Step]:
    """A piece of long work; ``total`` None means a spinner rather than a bar."""
    hook = _hook
    if hook is None:
        yield _no_step
        return
    hook.start(label, total)
    try:
        yield hook.step
    finally:
        hook.end()


def tracked(label: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """A function whose every call is a task (a spinner labelled ``label``)."""

    def wrap(function: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(function)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            if _hook is None:
                return function(*args, **kwargs)
            with task(label):
                return function(*args, **kwargs)

        return run

    return wrap


@contextmanager
def reporting(hook: Hook | None) -> Iterator[None]:
    """Send the progress of the work done inside to ``hook``."""
    global _hook
    previous, _hook = _hook, hook
    try:
        yield
    finally:
        _hook = previous


def silence() -> None:
    """No progress from here on (a forked reader: its parent reports)."""
    global _hook
    _hook = None
