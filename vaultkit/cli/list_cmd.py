"""`vaultkit list contacts|orgs|interviews`."""

from __future__ import annotations

import sys

import click

from vaultkit.cli.context import (
    AppContext,
    echo_json,
    echo_rich,
    json_option,
    json_text,
    pass_app,
)
from vaultkit.domain.vocabulary import CONTACT_STATUSES, INTERVIEW_STATUSES, WARMTH


@click.group(name="list")
def list_group() -> None:
    """List contacts, organizations or interviews (add --json for scripts)."""


@list_group.command()
@click.option(
    "--status",
    multiple=True,
    type=click.Choice(CONTACT_STATUSES),
    help="Only contacts with this status (repeat for several).",
)
@click.option("--org", metavar="NAME", help="Only contacts at this organization.")
@click.option("--warmth", type=click.Choice(WARMTH), help="Only warm or only cold contacts.")
@json_option
@pass_app
def contacts(
    app: AppContext, status: tuple[str, ...], org: str | None, warmth: str | None, as_json: bool
) -> None:
    """List contacts, by name."""
    app.needs_bodies = False  # front-matter is all a listing shows
    app.reads = ("contact", "organization")  # a contact's organization shows its name

    def select() -> list:  # type: ignore[type-arg]
        matches_org = app.career().organization_filter(org)
        return [
            c
            for c in app.career().contacts
            if (not status or c.status in status)
            and (warmth is None or c.warmth == warmth)
            and matches_org(c.organization)
        ]

    if as_json:
        parts = ("list contacts", status, org, warmth, sys.stdout.isatty())
        click.echo(app.cached_output(parts, lambda: json_text(_contact_records(select()))))
    else:
        found = select()
        from vaultkit.outputs.tables import contacts_table

        echo_rich(contacts_table(found))


def _contact_records(found: list) -> list:  # type: ignore[type-arg]
    from vaultkit.outputs.records import contact_record  # only when not stored already

    return [contact_record(c) for c in found]


@list_group.command()
@click.option("--industry", metavar="TEXT", help="Only organizations whose industry contains TEXT.")
@json_option
@pass_app
def orgs(app: AppContext, industry: str | None, as_json: bool) -> None:
    """List organizations, by name."""
    app.needs_bodies = False  # front-matter is all a listing shows
    app.reads = ("organization",)
    from vaultkit.outputs.records import organization_record

    career = app.career()
    wanted = industry.casefold() if industry else None
    found = [
        o
        for o in career.organizations
        if wanted is None or (o.industry and wanted in o.industry.casefold())
    ]
    if as_json:
        echo_json([organization_record(o, career) for o in found])
    else:
        from vaultkit.outputs.tables import organizations_table

        echo_rich(organizations_table(found, career))


@list_group.command()
@click.option(
    "--status",
    multiple=True,
    type=click.Choice(INTERVIEW_STATUSES),
    help="Only interviews with this status (repeat for several).",
)
@click.option("--org", metavar="NAME", help="Only interviews at this organization.")
@click.option("--contact", metavar="NAME", help="Only interviews with this person.")
@json_option
@pass_app
def interviews(
    app: AppContext, status: tuple[str, ...], org: str | None, contact: str | None, as_json: bool
) -> None:
    """List interviews, oldest first."""
    app.needs_bodies = False  # front-matter is all a listing shows
    app.reads = ("interview", "contact", "organization")
    from vaultkit.outputs.records import interview_record

    career = app.career()
    matches_org = app.career().organization_filter(org)
    contact_path = career.find_note(contact, ("contact",)).path if contact else None
    found = [
        i
        for i in career.interviews
        if (not status or i.status in status)
        and (contact_path is None or (i.contact is not None and i.contact.path == contact_path))
        and matches_org(i.organization)
    ]
    if as_json:
        echo_json([interview_record(i) for i in found])
    else:
        from vaultkit.outputs.tables import interviews_table

        echo_rich(interviews_table(found, career.index.config.zone))
