"""Links back from outputs (the calendar, dashboards) to the notes they come from."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from urllib.parse import quote


@lru_cache(maxsize=1024)
def obsidian_url(vault_root: Path, note_path: str) -> str:
    """``obsidian://open?vault=<folder name>&file=<path>``: Obsidian knows a vault by
    its folder name, and opens the note from any app that follows the link.
    Cached: a calendar links each note from several events (a small cache: a
    watcher lives for weeks, and each URL is cheap to make again)."""
    return f"obsidian://open?vault={_quoted(vault_root.name)}&file={_quoted(note_path)}"


def _quoted(text: str) -> str:
    """``quote(text, safe="")``; an ASCII text through one table lookup per
    character (a calendar links tens of thousands of notes)."""
    if text.isascii():
        return text.translate(_ASCII_QUOTED)
    return quote(text, safe="")


_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~")
_ASCII_QUOTED = {code: f"%{code:02X}" for code in range(128) if code not in _UNRESERVED}
