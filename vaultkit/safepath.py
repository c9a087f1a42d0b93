"""Keeping every read and write inside the vault.

A symlink, a ``..`` in a name or a config path can all point elsewhere; each
place that follows one asks `is_inside` about the real (symlink-free) path.
"""

from __future__ import annotations

import os


def is_inside(path: str | os.PathLike[str], root: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is ``root`` or below it, after resolving symlinks in both."""
    real, real_root = os.path.realpath(path), os.path.realpath(root)
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)
