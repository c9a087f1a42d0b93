"""`vaultkit new contact|org|interview`: notes from templates (arriving with the
templates work; the place in the command tree is kept so scripts and docs can
rely on it)."""

from __future__ import annotations

import click


@click.group()
def new() -> None:
    """Create a contact, organization or interview note from a template."""


def _not_yet(kind: str) -> click.Command:
    @click.command(name=kind, context_settings={"ignore_unknown_options": True})
    @click.argument("args", nargs=-1, type=click.UNPROCESSED)
    def command(args: tuple[str, ...]) -> None:
        from vaultkit.errors import UsageError

        raise UsageError(
            f"`vaultkit new {kind}` is not available in this version yet; "
            "create the note by hand for now"
        )

    command.help = f"Create a new {kind} note (not available yet)."
    return command


for _kind in ("contact", "org", "interview"):
    new.add_command(_not_yet(_kind))
