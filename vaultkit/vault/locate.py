"""Finding the vault: ``--vault``, then ``$VAULTKIT_VAULT``, then walking up from
the current folder to one that holds ``.vaultkit.toml`` or ``.obsidian/``, the
way git finds its repository.
"""

from __future__ import annotations

import os
from pathlib import Path

from vaultkit.errors import VaultNotFoundError
from vaultkit.vault.config import CONFIG_NAME

ENV_VAR = "VAULTKIT_VAULT"


def is_vault(folder: Path) -> bool:
    return (folder / CONFIG_NAME).is_file() or (folder / ".obsidian").is_dir()


def find_vault(explicit: str | os.PathLike[str] | None = None, cwd: Path | None = None) -> Path:
    """Return the vault root as an absolute path, or raise `VaultNotFoundError`."""
    given = explicit if explicit else os.environ.get(ENV_VAR) or None
    if given:
        root = Path(given).expanduser()
        if not root.is_dir():
            source = "--vault" if explicit else ENV_VAR
            raise VaultNotFoundError(f"{source} names {str(root)!r}, which is not a folder")
        return root.resolve()
    start = (cwd or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if is_vault(folder):
            return folder
    raise VaultNotFoundError(
        f"no vault here: no {CONFIG_NAME} or .obsidian/ in {start} or above it; "
        "pass --vault DIR or run `vaultkit init`"
    )
