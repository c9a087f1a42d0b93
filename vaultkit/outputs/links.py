"""Links back from outputs (the calendar, dashboards) to the notes they come from."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote


def obsidian_url(vault_root: Path, note_path: str) -> str:
    """``obsidian://open?vault=<folder name>&file=<path>``: Obsidian knows a vault by
    its folder name, and opens the note from any app that follows the link."""
    return (
        f"obsidian://open?vault={quote(vault_root.name, safe='')}&file={quote(note_path, safe='')}"
    )
