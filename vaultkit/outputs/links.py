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
    return (
        f"obsidian://open?vault={quote(vault_root.name, safe='')}&file={quote(note_path, safe='')}"
    )
