"""Turning a person's or organization's name into a file name Obsidian accepts.

Obsidian refuses ``* " \\ / < > : | ?`` in file names and ``# ^ [ ] |`` break
links; ``/`` and ``..`` would also let a name leave its folder. Windows adds
reserved names (``CON``, ``NUL``...) and trailing dots or spaces.
"""

from __future__ import annotations

import re
import unicodedata

from vaultkit.errors import UsageError

MAX_STEM_BYTES = 150  # leaves room for folders and ".md" under the usual 255-byte limit

_FORBIDDEN = re.compile(r'[*"\\/<>:|?#^\[\]\x00-\x1f\x7f]+')
_SPACES = re.compile(r"\s+")
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[1-9]|lpt[1-9])(\..*)?$", re.IGNORECASE)


def safe_stem(name: str) -> str:
    """A file name (without ``.md``) for ``name``: forbidden characters become
    ``-``, blanks are tidied, leading dots and trailing dots or spaces go.

    Raises `UsageError` when nothing usable is left (``..``, ``///``).
    """
    stem = unicodedata.normalize("NFC", name)
    stem = _FORBIDDEN.sub("-", stem)
    stem = _SPACES.sub(" ", stem).strip(" -.")
    stem = stem.lstrip(".")
    if _WINDOWS_RESERVED.match(stem):
        stem = f"{stem} (note)"
    encoded = stem.encode("utf-8")
    if len(encoded) > MAX_STEM_BYTES:
        stem = encoded[:MAX_STEM_BYTES].decode("utf-8", errors="ignore").rstrip(" -.")
    if not stem:
        raise UsageError(f"{name!r} cannot be used as a note name")
    return stem
