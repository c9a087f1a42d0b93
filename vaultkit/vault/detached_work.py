"""Work a command's user need not wait for, done by a detached process.

Writing the index cache after a cold read of a large vault takes a tenth of a
second that buys nothing for the output already printed. A grandchild
(forked twice, so it is nobody's zombie) does the write while the command
exits; it holds none of the command's output streams, so a shell or a script
reading them sees the end at once. If the write fails or never happens, the
next command simply reads those notes again: the cache is only ever a hint.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from vaultkit.vault.parallel_read import fork_allowed


def run_detached(work: Callable[[], object]) -> bool:
    """Run ``work`` in a detached grandchild; False if that is not possible
    here (the caller then does it itself)."""
    if not fork_allowed():
        return False
    try:
        child = os.fork()
    except OSError:
        return False
    if child == 0:
        try:
            if os.fork() == 0:  # the grandchild: away from the terminal and pipes
                devnull = os.open(os.devnull, os.O_RDWR)
                for stream in (0, 1, 2):
                    os.dup2(devnull, stream)
                try:
                    work()
                finally:
                    os._exit(0)
        finally:
            os._exit(0)
    os.waitpid(child, 0)
    return True
