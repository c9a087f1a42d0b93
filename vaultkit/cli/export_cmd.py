"""`vaultkit export vcard`: your contacts for the phone's address book."""

from __future__ import annotations

import os
from pathlib import Path

import click

from vaultkit.cli.context import AppContext, pass_app


@click.group(name="export")
def export_group() -> None:
    """Write the vault's contacts in a form other programs read."""


@export_group.command()
@click.option(
    "--out",
    "out",
    metavar="FILE|-",
    help="Where to write the cards; - prints them. "
    "Default: contacts.vcf beside the calendar (vaultkit/contacts.vcf).",
)
@click.option(
    "--vdir",
    "vdir",
    metavar="DIR",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write one card a file into DIR instead (vdirsyncer, khard); "
    "only cards vaultkit wrote are ever removed from it.",
)
@pass_app
def vcard(app: AppContext, out: str | None, vdir: Path | None) -> None:
    """Write every contact as a vCard 3.0 card (what iOS, macOS, Android and
    Outlook import): name, e-mail, phone, organization, role and LinkedIn, with
    a UID from the note's id, so importing again replaces instead of duplicating."""
    from vaultkit.errors import UsageError
    from vaultkit.outputs.vcard_export import vcards, write_vcf, write_vdir

    if out and vdir:
        raise UsageError("--out and --vdir: choose one")
    career = app.career()
    cards = vcards(career)
    if vdir is not None:
        result = write_vdir(vdir, cards)
        for name in result.written:
            click.echo(f"wrote    {vdir / name}")
        for name in result.removed:
            click.echo(f"removed  {vdir / name} (no such contact any more)")
        for name in result.kept:
            click.echo(
                f"kept     {vdir / name} (changed since vaultkit wrote it, by another "
                "program; remove it to have vaultkit write it again)"
            )
        click.echo(f"{len(cards)} cards in {vdir} ({result.unchanged} unchanged)")
        return
    if out == "-":
        click.echo("".join(text for _, text in cards), nl=False)
        return
    root = career.index.root
    if out:
        target = Path(out)
        if not target.parent.is_dir():
            raise UsageError(f"{target.parent} is not a folder; nothing was written")
    else:
        target = root / Path(career.index.config.calendar.path).parent / "contacts.vcf"
        target.parent.mkdir(parents=True, exist_ok=True)
    changed = write_vcf(target, cards)
    shown = os.path.relpath(target, root) if target.is_relative_to(root) else str(target)
    click.echo(f"{'wrote' if changed else 'unchanged'}  {shown} ({len(cards)} cards)")
