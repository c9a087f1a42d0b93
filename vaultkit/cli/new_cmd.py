"""`vaultkit new contact|org|interview`: notes from templates."""

from __future__ import annotations

import click

from vaultkit.cli.context import AppContext, pass_app
from vaultkit.cli.followups_cmd import as_of_option
from vaultkit.domain.vocabulary import CONTACT_STATUSES, FORMATS, WARMTH

open_option = click.option(
    "--open/--no-open",
    "open_note",
    default=None,
    help="Open the new note in Obsidian (default: the [new] open setting).",
)


@click.group()
def new() -> None:
    """Create a contact, organization or interview note from a template.

    Built-in templates are used unless Templates/vaultkit/ in the vault holds a
    file of the same name. An existing note is never replaced.
    """


def _create(app: AppContext, plan, open_note: bool | None) -> None:  # type: ignore[no-untyped-def]
    from vaultkit.cli.desktop import open_url
    from vaultkit.outputs.links import obsidian_url
    from vaultkit.outputs.new_notes import write_new_note

    career = app.career()
    write_new_note(career.index.root, plan)
    click.echo(f"created  {plan.path}")
    for hint in plan.hints:
        click.echo(f"hint: {hint}", err=True)
    if open_note if open_note is not None else career.index.config.new.open:
        problem = open_url(obsidian_url(career.index.root, plan.path))
        if problem:
            click.echo(f"vaultkit: {problem}", err=True)


@new.command()
@click.argument("name")
@click.option("--org", "organization", metavar="NAME", help="Where they work.")
@click.option(
    "--referred-by", multiple=True, metavar="NAME", help="Who referred you (repeat for several)."
)
@click.option("--role", help="Their job title.")
@click.option("--email")
@click.option("--linkedin", metavar="URL")
@click.option("--warmth", type=click.Choice(WARMTH))
@click.option("--source", help="How you found them: alumni directory, LinkedIn, event...")
@click.option("--phone")
@click.option("--location", help="Where they are: a city, a region.")
@click.option(
    "--status",
    type=click.Choice(CONTACT_STATUSES),
    default="to-contact",
    show_default=True,
    help="Where you stand with them.",
)
@as_of_option
@open_option
@pass_app
def contact(
    app: AppContext,
    name: str,
    organization: str | None,
    referred_by: tuple[str, ...],
    role: str | None,
    email: str | None,
    linkedin: str | None,
    warmth: str | None,
    source: str | None,
    phone: str | None,
    location: str | None,
    status: str,
    as_of: str | None,
    open_note: bool | None,
) -> None:
    """Create People/NAME.md (status to-contact unless --status says otherwise)."""
    from vaultkit.outputs.new_notes import plan_contact

    plan = plan_contact(
        app.career(),
        name,
        organization=organization,
        referred_by=referred_by,
        role=role,
        email=email,
        linkedin=linkedin,
        warmth=warmth,
        source=source,
        phone=phone,
        location=location,
        status=status,
        now=app.now(as_of),
    )
    _create(app, plan, open_note)


@new.command()
@click.argument("name")
@click.option("--industry")
@click.option("--website", metavar="URL")
@click.option("--location")
@click.option("--size", help="Head count or a word: startup, 50-200...")
@as_of_option
@open_option
@pass_app
def org(
    app: AppContext,
    name: str,
    industry: str | None,
    website: str | None,
    location: str | None,
    size: str | None,
    as_of: str | None,
    open_note: bool | None,
) -> None:
    """Create Organizations/NAME.md."""
    from vaultkit.outputs.new_notes import plan_organization

    plan = plan_organization(
        app.career(),
        name,
        industry=industry,
        website=website,
        location=location,
        size=size,
        now=app.now(as_of),
    )
    _create(app, plan, open_note)


@new.command()
@click.argument("contact_name", metavar="CONTACT")
@click.option(
    "--at",
    "at",
    required=True,
    metavar="DATETIME",
    help='When: "2026-11-25 14:00", or with an offset "2026-11-25T14:00-08:00".',
)
@click.option("--format", "format_", type=click.Choice(FORMATS))
@click.option(
    "--duration", type=click.IntRange(5, 240), default=30, show_default=True, help="Minutes."
)
@click.option("--location", help="The place, or the video link.")
@click.option(
    "--questions",
    type=click.IntRange(0, 60),
    default=10,
    show_default=True,
    help="How many questions to prepare (the closing ones come on top).",
)
@click.option(
    "--style",
    type=click.Choice(["standard", "tiara"]),
    default="standard",
    show_default=True,
    help="standard: by topic; tiara: trends, insights, advice, resources, assignments.",
)
@click.option(
    "--seed", type=int, help="Pick the same questions again (default: from the contact and date)."
)
@as_of_option
@open_option
@pass_app
def interview(
    app: AppContext,
    contact_name: str,
    at: str,
    format_: str | None,
    duration: int,
    location: str | None,
    questions: int,
    style: str,
    seed: int | None,
    as_of: str | None,
    open_note: bool | None,
) -> None:
    """Create an interview prep note for CONTACT: research prompts, questions,
    closing and evaluation questions, next steps."""
    from vaultkit.outputs.new_notes import plan_interview

    plan = plan_interview(
        app.career(),
        contact_name,
        at,
        format_=format_,
        duration=duration,
        location=location,
        questions=questions,
        style=style,
        seed=seed,
        now=app.now(as_of),
    )
    _create(app, plan, open_note)
