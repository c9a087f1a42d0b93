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
    staged = StagedWrite(path, data)
    if exclusive:
        staged.commit_exclusively()
    else:
        staged.commit()


class StagedWrite:
    """``data`` written and synced beside ``path`` under a hidden temporary
    name, not yet in place: `commit` renames it over ``path`` (the atomic
    step), `discard` removes it. A watcher stages while it waits to see whether
    a save was the last of its burst, so the new file then appears at once."""

    def __init__(self, path: Path, data: bytes | str | list[bytes]) -> None:
        chunks = [data.encode("utf-8")] if isinstance(data, str) else data
        if isinstance(chunks, bytes):
            chunks = [chunks]
        self.path = path
        fd, self.tmp_name = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=".vaultkit-tmp", dir=path.parent
        )
        try:
            # mkstemp makes the file private (0600); a note must keep the mode
            # it had, or get the one any new file gets here, so sync clients and
            # other users see no difference.
            os.chmod(self.tmp_name, _mode_for(path))
            try:
                _write_all(fd, chunks)
                os.fsync(fd)
            finally:
                os.close(fd)
        except BaseException:
            self.discard()
            raise

    def commit(self) -> None:
        """Put the staged file in place of ``path``."""
        held = _hold(self.path) if _size(self.path) >= HOLD_OLD_BYTES else None
        try:
            os.replace(self.tmp_name, self.path)
        except BaseException:
            self.discard()
            raise
        finally:
            if held is not None:
                with contextlib.suppress(OSError):
                    os.unlink(held)
        self._finish()

    def commit_exclusively(self) -> None:
        """Put the staged file at ``path`` only if nothing is there yet."""
        try:
            _place_exclusively(self.tmp_name, self.path)
        except BaseException:
            self.discard()
            raise
        self._finish()

    def discard(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.tmp_name)

    def _finish(self) -> None:
        _fsync_folder(self.path.parent)
        _remove_stale_temps(self.path)


# Replacing a large file frees its blocks inside the rename (about 5 ms for a
# 19 MB calendar on ext4), and a reader waits for that. A second name for the
# old file keeps the rename a mere swap of names; the blocks are freed when
# that name goes, once the new file is in place.
HOLD_OLD_BYTES = 1 << 20


def _hold(path: Path) -> str | None:
    """A temporary second name (hard link) for the file at ``path``, or None
    where hard links are not to be had."""
    name = str(path.parent / f".{path.name}.{os.getpid()}-{os.urandom(4).hex()}.vaultkit-tmp")
    try:
        os.link(path, name)
    except OSError:
        return None
    return name


def _write_all(fd: int, chunks: list[bytes]) -> None:
    """Write every chunk, in order: many at a time with ``writev`` (one copy
    into the kernel, no buffer in between), or joined into large blocks where
    there is none."""
    writev = getattr(os, "writev", None)
    if writev is None or len(chunks) == 1:  # Windows: joined a megabyte at a time
        block: list[bytes] = []
        size = 0
        for chunk in chunks:
            block.append(chunk)
            size += len(chunk)
            if size >= 1 << 20:
                _write_fully(fd, memoryview(b"".join(block)))
                block, size = [], 0
        if block:
            _write_fully(fd, memoryview(b"".join(block)))
        return
    batch = 1024  # IOV_MAX on Linux and the BSDs
    for start in range(0, len(chunks), batch):
        group = chunks[start : start + batch]
        written = writev(fd, group)
        if written < sum(map(len, group)):  # a short write: finish one by one
            for chunk in group:
                if written >= len(chunk):
                    written -= len(chunk)
                    continue
                _write_fully(fd, memoryview(chunk)[written:])
                written = 0


def _write_fully(fd: int, view: memoryview) -> None:
    while view:
        view = view[os.write(fd, view) :]


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


def _size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


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


# At the start of a sync or a watch, a temp file of vaultkit's is a leftover
# (a SIGKILL, a power cut) once it is this old: a writer at work touches its
# temp file as it writes and renames it within seconds (a watcher's staged
# calendar waits at most a burst, two seconds), so a minute leaves a wide margin.
STALE_AT_START_SECONDS = 60


def remove_leftover_temps(folders: set[Path], now: float) -> list[Path]:
    """Remove the temp files vaultkit left in ``folders`` (named
    ``.<name>.<random>.vaultkit-tmp`` by `StagedWrite` and `_hold`, so no file
    of anyone else's) last modified over `STALE_AT_START_SECONDS` before
    ``now``. Returns what was removed."""
    removed = []
    for folder in sorted(folders):
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            name = entry.name
            if not (
                name.startswith(".") and name.endswith(".vaultkit-tmp") and name.count(".") >= 3
            ):
                continue
            with contextlib.suppress(OSError):
                if entry.is_file(follow_symlinks=False) and (
                    entry.stat(follow_symlinks=False).st_mtime < now - STALE_AT_START_SECONDS
                ):
                    os.unlink(entry.path)
                    removed.append(Path(entry.path))
    return removed
