"""`vaultkit init [DIR]`."""

from __future__ import annotations

import shlex
from pathlib import Path

import click


@click.command()
@click.argument(
    "directory", required=False, default=".", type=click.Path(file_okay=False, path_type=Path)
)
def init(directory: Path) -> None:
    """Set up a vault in DIRECTORY (default: here): folders and a commented
    .vaultkit.toml. Nothing that exists is changed."""
    from vaultkit.vault.config import load_config
    from vaultkit.vault.scaffold import init_vault

    # An existing config decides the folder names (people = "Contacts", ...).
    config = load_config(directory) if directory.is_dir() else None
    created, kept = init_vault(directory, config)
    for path in created:
        click.echo(f"created  {path}")
    for path in kept:
        click.echo(f"kept     {path} (already there)")
    click.echo(
        f"Vault ready in {directory.resolve()}. Next: vaultkit --vault "
        f"{shlex.quote(str(directory))} check"
    )
