"""Keeping a long-running watcher small and its passes quick.

After the first pass most objects live as long as the index. Freezing them
once keeps the garbage collector from walking the whole vault again on every
save (a third of a pass on a 10,000-note vault), and the first pass's peak
(every note's text, read once) is given back to the system.
"""

from __future__ import annotations

import gc


def settle_after_first_pass() -> None:
    """Collect, freeze what is left, and return freed heap memory."""
    gc.collect()
    gc.freeze()
    return_free_memory()


def return_free_memory() -> None:
    """Give freed heap memory back to the system on glibc, where it otherwise
    stays with the process; elsewhere nothing happens."""
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
