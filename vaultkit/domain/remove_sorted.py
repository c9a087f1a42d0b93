"""Lists kept sorted between a watcher's passes: a save takes out and puts
back a few items with bisect instead of sorting tens of thousands again."""

from __future__ import annotations

import bisect
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def remove_sorted(items: list[T], item: T, key: Callable[[T], Any]) -> None:
    """Take ``item`` (that very object, not an equal one) out of ``items``,
    which is sorted by ``key``: found by bisect among the items of its key,
    or, should its key have moved since it was put in, by a scan."""
    wanted = key(item)
    at = bisect.bisect_left(items, wanted, key=key)
    while at < len(items) and items[at] is not item and key(items[at]) == wanted:
        at += 1
    if not (at < len(items) and items[at] is item):
        at = next((n for n, other in enumerate(items) if other is item), -1)
        if at < 0:
            raise ValueError("the item is not in the list")
    del items[at]
