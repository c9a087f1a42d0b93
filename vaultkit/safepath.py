"""Keeping every read and write inside the vault.

A symlink, a ``..`` in a name or a config path can all point elsewhere; each
place that follows one asks `is_inside` about the real (symlink-free) path.
"""

from __future__ import annotations

import os
from pathlib import Path


def is_inside(path: str | os.PathLike[str], root: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is ``root`` or below it, after resolving symlinks in both."""
    real, real_root = os.path.realpath(path), os.path.realpath(root)
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


def make_folder_inside(root: Path, folder: Path) -> bool:
    """Create ``folder`` (and its parents) unless it, or the nearest part of it
    that exists, leads outside the vault, as a symlinked folder can. Returns
    False, creating nothing, when it would.

    Only the missing folders below the part that exists are made, one by one:
    a vault folder removed meanwhile (``rm -rf vault`` while a watcher writes
    its calendar) makes this fail instead of bringing the vault back."""
    existing = folder
    missing: list[Path] = []
    while not existing.exists() and existing != existing.parent:
        missing.append(existing)
        existing = existing.parent
    if not is_inside(existing, root):
        return False
    for part in reversed(missing):
        part.mkdir(exist_ok=True)
    return True


STATE_FOLDER = ".vaultkit"


class StateFolderOutsideError(OSError):
    """``.vaultkit/`` is a link to a folder outside the vault."""


def state_folder(root: Path, create: bool = True) -> Path:
    """The vault's ``.vaultkit/`` state folder (made when missing), refused
    (`StateFolderOutsideError`) when it is a link out of the vault: a synced or
    shared vault must not make vaultkit write its cache, lock and log elsewhere."""
    folder = root / STATE_FOLDER
    if not is_inside(folder, root):
        raise StateFolderOutsideError(
            f"{STATE_FOLDER}: is a link to a folder outside the vault; not used"
        )
    if create:
        folder.mkdir(exist_ok=True)
    return folder


def state_file(root: Path, name: str, create: bool = True) -> Path:
    """A file of vaultkit's own in ``.vaultkit/`` (see `state_folder`). A
    symlink there (a synced or shared vault can carry one) is removed, never
    followed: vaultkit's lock, log and state must not be written through it
    into a file outside the vault. Only the link goes; what it pointed at is
    not touched."""
    path = state_folder(root, create) / name
    if path.is_symlink():
        path.unlink(missing_ok=True)
    return path
