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
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
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


def write_new_files(
    files: list[tuple[Path, str]],
    on_progress: Callable[[int], None] | None = None,
) -> list[bool]:
    """Create many new files, each as `write_atomic` with ``exclusive`` would
    (never replacing a file that is there or appears meanwhile; a reader sees
    a file whole or not at all), but synced in one step: an import of 10,000
    notes costs one ``sync`` and one folder sync per folder instead of 20,000
    fsyncs (about 11 s on a common disk). Returns, per file, whether it was
    placed (False: a file of that name was there first, and was left alone).

    Every temp file is written, then all are synced at once, and only then
    does any get its name, so a crash leaves either finished notes or hidden
    temp files that the next run removes."""
    staged: list[tuple[str, Path]] = []
    placed: list[bool] = []
    try:
        for path, text in files:
            fd, tmp_name = tempfile.mkstemp(
                prefix=f".{path.name}.", suffix=".vaultkit-tmp", dir=path.parent
            )
            staged.append((tmp_name, path))
            try:
                os.chmod(tmp_name, _mode_for(path))
                _write_fully(fd, memoryview(text.encode("utf-8")))
            finally:
                os.close(fd)
        _sync_everything([tmp for tmp, _ in staged])
        for done, (tmp_name, path) in enumerate(staged, start=1):
            try:
                _place_exclusively(tmp_name, path)
                placed.append(True)
            except FileExistsError:
                placed.append(False)
            if on_progress is not None and done % 100 == 0:
                on_progress(done)
    finally:  # what did not become a file (refused, or not reached) goes
        for position, (tmp_name, _) in enumerate(staged):
            if position >= len(placed) or not placed[position]:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(tmp_name)
    for folder in {path.parent for _, path in staged}:
        _fsync_folder(folder)
    if on_progress is not None:
        on_progress(len(staged))
    return placed


def _sync_everything(names: list[str]) -> None:
    """Put the written files on disk: ``os.sync`` where it waits for the data
    (Linux), else an fsync of each file."""
    if sys.platform.startswith("linux") and hasattr(os, "sync"):
        os.sync()
        return
    for name in names:
        fd = os.open(name, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


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
                self.written = os.fstat(fd)
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

    def untouched(self, name: str | Path) -> bool:
        """Whether ``name`` is the staged file, as it was written."""
        try:
            now = os.stat(name)
        except OSError:
            return False
        return _key(now) == _key(self.written)

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


class ChangedMeanwhile(Exception):
    """The file is no longer what was read for the edit; the user's version
    is in place (put back if vaultkit's write had briefly replaced it)."""


class TooLarge(Exception):
    """The file is larger than the caller will hold in memory (its size is
    the argument)."""


def _race_point(stage: str) -> None:
    """Where a test lets an "editor" save inside the edit's last steps
    (``"before-swap"``, ``"after-swap"``); nothing happens otherwise."""


@dataclass
class HeldOriginal:
    """A note opened for an edit: the bytes read, from the very file that is
    still held open, and what identified that file when it was read.

    Holding it open pins the inode, so whatever happens to the name meanwhile
    (an editor renaming its own temp file over it, or truncating and writing
    it in place), vaultkit can tell whether the file it replaces is still the
    one it read, down to the content."""

    path: Path
    fd: int
    stat: os.stat_result
    data: bytes

    @classmethod
    def open(cls, path: Path, max_bytes: int | None = None) -> HeldOriginal:
        """Open and read ``path``; `TooLarge` (nothing read) when it holds
        more than ``max_bytes``."""
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        try:
            stat = os.fstat(fd)
            if max_bytes is not None and stat.st_size > max_bytes:
                raise TooLarge(stat.st_size)
            return cls(path, fd, stat, _read_at(fd, stat.st_size + 1))
        except BaseException:
            os.close(fd)
            raise

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self.fd)

    def __enter__(self) -> HeldOriginal:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def unchanged(self, name: str | Path | None = None) -> bool:
        """Whether ``name`` (default: the note's path) is still the file read,
        with the same size, modification time and content. ``name`` None and
        an empty string differ: with "" only the held file itself is checked."""
        try:
            now = os.fstat(self.fd)
            if name != "":
                named = os.stat(self.path if name is None else name)
                if (named.st_dev, named.st_ino) != (self.stat.st_dev, self.stat.st_ino):
                    return False
        except OSError:
            return False
        if _key(now) != _key(self.stat):
            return False
        return _read_at(self.fd, len(self.data) + 1) == self.data

    def replace(self, data: bytes) -> None:
        """Put ``data`` in place of the note, atomically, only if the note is
        still exactly what was read; else raise `ChangedMeanwhile`, with the
        user's version in place.

        The file is checked right before the swap. Where the system exchanges
        two names in one step (Linux ``renameat2``, macOS ``renamex_np``), the
        file swapped out is exactly the one that was in place, and it is
        checked again after the swap: if an editor wrote it, or renamed its
        own file in, after the first check, the user's file is swapped back.
        Elsewhere a plain rename follows the check, and a write made to the
        replaced file through a descriptor opened before is still caught (its
        bytes are put back); only an editor's rename landing between the
        check and the rename goes unseen there."""
        staged = StagedWrite(self.path, data)
        try:
            if not self.unchanged():
                raise ChangedMeanwhile(str(self.path))
            _race_point("before-swap")
            if not _exchange(staged.tmp_name, self.path):
                self._replace_plainly(staged)
                return
            _race_point("after-swap")
            if not self.unchanged(staged.tmp_name):
                self._swap_back(staged)
                raise ChangedMeanwhile(str(self.path))
        except BaseException:
            staged.discard()  # vaultkit's version, or a superseded one
            raise
        staged.discard()  # the temp name now holds the original, unchanged
        staged._finish()

    def _swap_back(self, staged: StagedWrite) -> None:
        """The user's file (swapped out under the temp name) back in place.
        If what comes out is not vaultkit's file as written, an editor saved
        again after the swap, and that later save stays in place instead."""
        _exchange(staged.tmp_name, self.path)
        if not staged.untouched(staged.tmp_name):
            _exchange(staged.tmp_name, self.path)
        _fsync_folder(self.path.parent)

    def _replace_plainly(self, staged: StagedWrite) -> None:
        """Where names cannot be exchanged: re-check, rename, then make sure
        the file replaced was not written through a descriptor meanwhile; if
        it was, its bytes (the user's) go back in place."""
        if not self.unchanged():
            raise ChangedMeanwhile(str(self.path))
        os.replace(staged.tmp_name, self.path)
        _race_point("after-swap")
        if not self.unchanged(""):
            write_atomic(self.path, self._settled_bytes())
            raise ChangedMeanwhile(str(self.path))
        staged._finish()

    def _settled_bytes(self, wait: float = 0.02, longest: float = 2.0) -> bytes:
        """The held file's bytes once an editor writing it in place has
        finished: read until two reads ``wait`` apart agree, so a save caught
        between its truncate and its write is not put back empty."""
        import time

        def read() -> bytes:
            return _read_at(self.fd, os.fstat(self.fd).st_size + (1 << 20))

        last, deadline = read(), time.monotonic() + longest
        while time.monotonic() < deadline:
            time.sleep(wait)
            again = read()
            if again == last and again:
                break
            last = again
        return last


def _key(stat: os.stat_result) -> tuple[int, int, int, int]:
    return (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)


def _read_at(fd: int, limit: int) -> bytes:
    """Up to ``limit`` bytes from the start of the open file, whatever its
    offset (``pread``; a seek and read where there is none)."""
    pread = getattr(os, "pread", None)
    parts: list[bytes] = []
    total = 0
    if pread is None:
        os.lseek(fd, 0, os.SEEK_SET)
    while total < limit:
        want = min(limit - total, 1 << 24)
        part = pread(fd, want, total) if pread is not None else os.read(fd, want)
        if not part:
            break
        parts.append(part)
        total += len(part)
    return parts[0] if len(parts) == 1 else b"".join(parts)


_RENAME_EXCHANGE = 2  # Linux renameat2 flag
_RENAME_SWAP = 2  # macOS renamex_np flag
_exchange_call: list[object] = []


def _exchange(first: str | Path, second: str | Path) -> bool:
    """Swap the two names in one atomic step; False where the system or the
    file system cannot (the caller then renames plainly)."""
    import sys

    if not _exchange_call:
        _exchange_call.append(_find_exchange())
    call = _exchange_call[0]
    if call is None:
        return False
    import ctypes

    a, b = os.fsencode(first), os.fsencode(second)
    if sys.platform == "darwin":
        result = call(a, b, _RENAME_SWAP)  # type: ignore[operator]
    else:
        result = call(-100, a, -100, b, _RENAME_EXCHANGE)  # type: ignore[operator]  # AT_FDCWD
    if result == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(error, os.strerror(error), str(second))


def _find_exchange() -> object:
    import ctypes
    import sys

    if os.environ.get("VAULTKIT_NO_EXCHANGE"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if sys.platform == "darwin":
            return libc.renamex_np
        if sys.platform.startswith("linux"):
            return libc.renameat2
    except (OSError, AttributeError):
        pass
    return None


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
