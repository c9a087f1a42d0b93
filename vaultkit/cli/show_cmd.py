"""`vaultkit show NAME`."""

from __future__ import annotations

import click

from vaultkit.cli.context import AppContext, echo_json, echo_rich, json_option, pass_app


@click.command()
@click.argument("name")
@click.option("--as-of", "as_of", metavar="WHEN", help="The stage as of this date or time.")
@json_option
@pass_app
def show(app: AppContext, name: str, as_of: str | None, as_json: bool) -> None:
    """Show one contact: details, organization, who referred them, whom they
    referred, and their interviews. NAME is matched like a link: file name,
    alias or name, case-insensitively."""
    from vaultkit.outputs.records import contact_card_record

    career = app.career()
    contact = career.contact_at(career.find_note(name, ("contact",)).path)
    assert contact is not None  # find_note only returns contact notes here
    if as_json:
        echo_json(contact_card_record(contact, career, app.now(as_of)))
    else:
        from vaultkit.outputs.tables import contact_card

        echo_rich(contact_card(contact, career, app.now(as_of)))
