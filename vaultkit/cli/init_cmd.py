"""`vaultkit init [DIR]`."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.argument(
    "directory", required=False, default=".", type=click.Path(file_okay=False, path_type=Path)
)
def init(directory: Path) -> None:
    """Set up a vault in DIRECTORY (default: here): folders and a commented
    .vaultkit.toml. Nothing that exists is changed."""
    from vaultkit.vault.scaffold import init_vault

    created, kept = init_vault(directory)
    for path in created:
        click.echo(f"created  {path}")
    for path in kept:
        click.echo(f"kept     {path} (already there)")
    click.echo(
        f"Vault ready in {directory.resolve()}. Next: vaultkit --vault "
        f"{click.format_filename(str(directory))} check"
    )
