"""`vaultkit import linkedin|vcard|csv PATH`: contacts you already have become notes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from vaultkit.cli.context import AppContext, json_option, pass_app
from vaultkit.cli.followups_cmd import as_of_option

if TYPE_CHECKING:
    from vaultkit.address_book.person import Person

Reader = Callable[..., "Iterator[Person]"]


@click.group(name="import")
def import_group() -> None:
    """Create contact notes from LinkedIn, a phone's address book or a contacts CSV.

    A person already in the vault (same LinkedIn address, an e-mail address in
    common, the same name or an alias) gets no second note, and an existing
    note is never rewritten: --update only fills keys it leaves empty.
    Importing the same file again changes nothing.
    """


def _options(command: Callable[..., None]) -> Callable[..., None]:
    for option in reversed(
        [
            click.argument("path", type=click.Path(exists=True, path_type=Path)),
            click.option("--dry-run", is_flag=True, help="Show what would happen; write nothing."),
            click.option(
                "--update",
                is_flag=True,
                help="Fill keys that are empty or missing in notes already there "
                "(e-mail, phone, LinkedIn, role, organization, location, connected_on); "
                "a value you wrote is never changed.",
            ),
            click.option(
                "--orgs", is_flag=True, help="Also create organization notes for new employers."
            ),
            json_option,
            as_of_option,
        ]
    ):
        command = option(command)
    return pass_app(command)


def _run(
    app: AppContext,
    reader: Reader,
    path: Path,
    dry_run: bool,
    update: bool,
    orgs: bool,
    as_json: bool,
    as_of: str | None,
) -> None:
    from vaultkit.cli.context import echo_json, echo_rich
    from vaultkit.outputs.contact_import import apply_import, plan_import
    from vaultkit.outputs.json_records import import_record
    from vaultkit.outputs.tables import import_table
    from vaultkit.progress import task

    career = app.career()
    now = app.now(as_of)
    total = path.stat().st_size if path.is_file() else None
    with task(f"reading {path.name}", total=total) as step:
        people = list(reader(path, on_bytes=step))
    with task("matching", total=None):
        plan = plan_import(career, people, now=now, orgs=orgs, update=update)
    result = None if dry_run else apply_import(career.index.root, plan)
    for warning in plan.warnings:
        click.echo(f"vaultkit: {warning}", err=True)
    if result is not None:
        for refused in result.refused:
            click.echo(f"vaultkit: {refused}", err=True)
    if as_json:
        echo_json(import_record(plan, result))
    else:
        echo_rich(import_table(plan, result))
        if not (plan.created or plan.updates or plan.organizations) and plan.existing:
            click.echo("everyone is already in the vault; nothing to do")
    if result is not None and result.refused:
        click.get_current_context().exit(1)


@import_group.command()
@_options
def linkedin(app: AppContext, path: Path, **options: object) -> None:
    """Import LinkedIn's Connections.csv, or the ZIP of your whole LinkedIn data
    export (Settings > Data privacy > Get a copy of your data)."""
    from vaultkit.address_book.linkedin import read_linkedin

    _run(app, read_linkedin, path, **options)  # type: ignore[arg-type]


@import_group.command()
@_options
def vcard(app: AppContext, path: Path, **options: object) -> None:
    """Import a .vcf file of one or many cards (Apple Contacts, Android, Outlook)
    or a folder of .vcf files (vdirsyncer, khard)."""
    from vaultkit.address_book.vcard import read_vcards

    _run(app, read_vcards, path, **options)  # type: ignore[arg-type]


@import_group.command(name="csv")
@_options
def contacts_csv(app: AppContext, path: Path, **options: object) -> None:
    """Import a Google Contacts or Outlook CSV export (recognised by its columns;
    Outlook's Referred By becomes referred_by)."""
    from vaultkit.address_book.contacts_csv import read_contacts_csv

    _run(app, read_contacts_csv, path, **options)  # type: ignore[arg-type]
