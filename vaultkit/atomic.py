"""Atomic file writes: a reader (Obsidian, a sync client, a calendar app) sees
the old file or the new one, never half of either.

The temporary file lives in the destination folder so the final ``os.replace``
is a rename within one file system, which POSIX and Windows both make atomic.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes | str | list[bytes], *, exclusive: bool = False) -> None:
    """Write ``data`` to ``path`` through a synced temp file and a rename.
    ``data`` may be a list of byte chunks, written one after another (a large
    calendar is never joined into one more copy in memory).

    With ``exclusive`` the write refuses (``FileExistsError``) when ``path``
    already exists, and never replaces a file that appeared meanwhile: the
    final step is then a hard link, which fails instead of overwriting.
    """
    chunks = [data.encode("utf-8")] if isinstance(data, str) else data
    if isinstance(chunks, bytes):
        chunks = [chunks]
    folder = path.parent
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".vaultkit-tmp", dir=folder)
    try:
        # mkstemp makes the file private (0600); a note must keep the mode it had,
        # or get the one any new file gets here, so sync clients and other users
        # see no difference.
        os.chmod(tmp_name, _mode_for(path))
        # A large buffer: thousands of small chunks become a few large writes.
        with os.fdopen(fd, "wb", buffering=1 << 20 if len(chunks) > 1 else -1) as handle:
            handle.writelines(chunks)
            handle.flush()
            os.fsync(handle.fileno())
        if exclusive:
            _place_exclusively(tmp_name, path)
        else:
            os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    _fsync_folder(folder)
    _remove_stale_temps(path)


def _place_exclusively(tmp_name: str, path: Path) -> None:
    """Move the finished temp file to ``path`` only if nothing is there.

    A hard link does it in one step and fails if ``path`` exists. File systems
    without hard links (FAT and exFAT drives, some cloud folders) get the next
    best: claim the name with an exclusive create, then rename over our own
    empty claim.
    """
    try:
        os.link(tmp_name, path)
    except FileExistsError:
        raise
    except OSError as error:
        if error.errno not in _NO_HARD_LINKS:
            raise
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, _mode_for(path)))
        os.replace(tmp_name, path)
        return
    os.unlink(tmp_name)


_NO_HARD_LINKS = {
    errno.EPERM,
    errno.ENOTSUP,
    errno.EOPNOTSUPP,
    errno.EMLINK,
    errno.ENOSYS,
    errno.EXDEV,
    errno.EACCES,
}


STALE_TEMP_SECONDS = 600


def _remove_stale_temps(path: Path) -> None:
    """Temp files a killed vaultkit left beside ``path`` (the write never became
    the file, so nothing is lost by removing them), once they are old enough
    not to belong to a writer still at work."""
    import time

    cutoff = time.time() - STALE_TEMP_SECONDS
    for leftover in path.parent.glob(f".{glob.escape(path.name)}.*.vaultkit-tmp"):
        with contextlib.suppress(OSError):
            if leftover.stat().st_mtime < cutoff:
                leftover.unlink()


def _mode_for(path: Path) -> int:
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _fsync_folder(folder: Path) -> None:
    """Persist the rename itself; skipped where folders cannot be opened (Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
