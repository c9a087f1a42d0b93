"""One watcher's life around its loop, in the foreground or as the daemon:
the vault's lock taken (one watcher per vault), logging set up, the state
file kept for `daemon status`, signals turned into a clean stop, and the lock
given back at the end.
"""

from __future__ import annotations

import signal
from pathlib import Path

from vaultkit.daemon.schedule import system_now
from vaultkit.daemon.service import DaemonLock, StateFile, reopen_log, setup_logging
from vaultkit.daemon.watcher import Watcher
from vaultkit.errors import UsageError


def watch(
    root: Path,
    *,
    polling: bool = False,
    verbose: bool = False,
    log_file: Path | None = None,
    daemon_state: bool = False,
) -> None:
    """Watch ``root`` until stopped (Ctrl-C, SIGTERM, or another watcher that
    took over a replaced vault folder). ``daemon_state``: record passes and
    errors in ``.vaultkit/daemon.json`` (the background daemon does)."""
    setup_logging(verbose, log_file)
    lock = DaemonLock(root)
    if not lock.acquire():
        raise UsageError("another vaultkit watch or daemon is already watching this vault")
    state = StateFile(root) if daemon_state else None

    def keep_lock() -> bool:
        """The watcher follows a vault folder made anew, lock, log and all."""
        held = lock.follow()
        reopen_log()
        return held

    if state is not None:
        state.start()
    watcher = Watcher(
        root,
        polling=polling,
        now=system_now,
        on_pass=state.record_pass if state is not None else None,
        on_error=state.record_error if state is not None else None,
        keep_lock=keep_lock,
    )

    def stop(*_: object) -> None:
        watcher.stop()
        if watcher.busy:  # loading or mid-pass: outputs are written atomically, leave now
            raise SystemExit(0)

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, stop)
    try:
        watcher.run()
    except Exception as error:
        if state is not None:
            state.record_error(str(error))
        raise
    finally:
        lock.release()
