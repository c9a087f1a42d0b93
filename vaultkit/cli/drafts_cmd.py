"""`vaultkit outreach NAME` and `vaultkit thank-you NAME`: email drafts."""

from __future__ import annotations

import click

from vaultkit.cli.context import AppContext, echo_json, pass_app
from vaultkit.cli.followups_cmd import as_of_option

copy_option = click.option("--copy", is_flag=True, help="Also put the draft on the clipboard.")
draft_json_option = click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print the draft as JSON (contact, to, subject, body) for a script or mail client.",
)


def _show(draft, contact_name: str, as_json: bool, copy: bool) -> None:  # type: ignore[no-untyped-def]
    for warning in draft.warnings:
        click.echo(f"warning: {warning}", err=True)
    if as_json:
        echo_json(
            {"contact": contact_name, "to": draft.to, "subject": draft.subject, "body": draft.body}
        )
    else:
        if draft.to:
            click.echo(f"To: {draft.to}")
        click.echo(draft.as_text(), nl=False)
    if copy:
        from vaultkit.cli.desktop import copy_to_clipboard

        problem = copy_to_clipboard(draft.as_text())
        click.echo(f"vaultkit: {problem}" if problem else "(copied to the clipboard)", err=True)


def _contact(app: AppContext, name: str):  # type: ignore[no-untyped-def]
    career = app.career()
    contact = career.contact_at(career.find_note(name, ("contact",)).path)
    if not career.index.config.me.name:
        click.echo("hint: fill in [me] in .vaultkit.toml so drafts introduce you", err=True)
    return career, contact


@click.command()
@click.argument("name")
@as_of_option
@draft_json_option
@copy_option
@pass_app
def outreach(app: AppContext, name: str, as_of: str | None, as_json: bool, copy: bool) -> None:
    """Draft the email asking NAME for a 20-30 minute conversation."""
    from vaultkit.outputs.drafts import outreach_draft

    career, contact = _contact(app, name)
    now = app.now(as_of)
    _show(outreach_draft(career, contact, now), contact.name, as_json, copy)


@click.command(name="thank-you")
@click.argument("name")
@as_of_option
@draft_json_option
@copy_option
@pass_app
def thank_you(app: AppContext, name: str, as_of: str | None, as_json: bool, copy: bool) -> None:
    """Draft the thank-you for your latest interview with NAME."""
    from vaultkit.outputs.drafts import thank_you_draft

    career, contact = _contact(app, name)
    now = app.now(as_of)
    _show(thank_you_draft(career, contact, now, recall_notes=True), contact.name, as_json, copy)
