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
    help="Only contacts at this stage (the written status, or further along "
    "when their interviews say so); repeat for several.",
)
@click.option("--org", metavar="NAME", help="Only contacts at this organization.")
@click.option("--warmth", type=click.Choice(WARMTH), help="Only warm or only cold contacts.")
@click.option(
    "--as-of", "as_of", metavar="WHEN", help="Stages as of this date or time. Default: now."
)
@json_option
@pass_app
def contacts(
    app: AppContext,
    status: tuple[str, ...],
    org: str | None,
    warmth: str | None,
    as_of: str | None,
    as_json: bool,
) -> None:
    """List contacts, by name, with their stage beside the written status."""
    app.needs_bodies = False  # front-matter is all a listing shows
    # A contact's organization shows its name; interviews give the stage.
    app.reads = ("contact", "organization", "interview")
    moment: list = []  # type: ignore[type-arg]  # "now", read once the vault is

    def now():  # type: ignore[no-untyped-def]
        if not moment:
            moment.append(app.now(as_of))
        return moment[0]

    def select() -> list:  # type: ignore[type-arg]
        from vaultkit.domain.listing import select_contacts

        return select_contacts(app.career(), now, stages=status, organization=org, warmth=warmth)

    if as_json:
        from vaultkit.cli.context import wall_clock

        parts = ("list contacts", status, org, warmth, as_of, sys.stdout.isatty())
        clock = wall_clock() if not as_of else None
        click.echo(
            app.cached_output(
                parts,
                lambda: json_text(_contact_records(select())),
                now=clock,
                valid_until=(lambda: app.career().next_stage_change(now())) if clock else None,
            )
        )
    else:
        found = select()
        from vaultkit.outputs.tables import contacts_table

        echo_rich(contacts_table([c for c, _ in found], [s for _, s in found]))


def _contact_records(found: list) -> list:  # type: ignore[type-arg]
    from vaultkit.outputs.json_records import contact_record  # only when not stored already

    return [contact_record(c, stage) for c, stage in found]


@list_group.command()
@click.option("--industry", metavar="TEXT", help="Only organizations whose industry contains TEXT.")
@json_option
@pass_app
def orgs(app: AppContext, industry: str | None, as_json: bool) -> None:
    """List organizations, by name."""
    app.needs_bodies = False  # front-matter is all a listing shows
    app.reads = ("organization",)
    from vaultkit.domain.listing import select_organizations
    from vaultkit.outputs.json_records import organization_record

    career = app.career()
    found = select_organizations(career, industry)
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
    from vaultkit.domain.listing import select_interviews
    from vaultkit.outputs.json_records import interview_record

    career = app.career()
    found = select_interviews(career, statuses=status, organization=org, contact=contact)
    if as_json:
        echo_json([interview_record(i) for i in found])
    else:
        from vaultkit.outputs.tables import interviews_table

        echo_rich(interviews_table(found, career.index.config.zone))
