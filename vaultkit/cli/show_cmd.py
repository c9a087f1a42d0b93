"""`vaultkit show NAME`."""

from __future__ import annotations

import click

from vaultkit.cli.context import AppContext, echo_json, echo_rich, json_option, pass_app
from vaultkit.cli.followups_cmd import as_of_option


@click.command()
@click.argument("name")
@as_of_option
@json_option
@pass_app
def show(app: AppContext, name: str, as_of: str | None, as_json: bool) -> None:
    """Show one contact or organization. A contact: details, who referred them,
    whom they referred, interviews, what you owe them next and their log. An
    organization: details, LAMP scores, who you know there, interviews there.
    NAME is matched like a link: file name, alias or name, case-insensitively."""
    app.needs_bodies = False  # only the shown notes' bodies are read (tasks, log)
    career = app.career()
    note = career.find_note(name, ("contact", "organization"))
    now = app.now(as_of)
    contact = career.contact_at(note.path)
    if contact is not None:
        from vaultkit.outputs.cards import contact_extras

        extras = contact_extras(career, contact, name, now)
        if as_json:
            from vaultkit.outputs.json_records import contact_card_record

            echo_json(contact_card_record(contact, career, extras))
        else:
            from vaultkit.outputs.tables import contact_card

            echo_rich(contact_card(contact, career, extras))
        return
    organization = career.organization_at(note.path)
    assert organization is not None  # find_note only returns these two kinds here
    from vaultkit.outputs.cards import organization_extras

    extras = organization_extras(career, organization, name, now)
    if as_json:
        from vaultkit.outputs.json_records import organization_card_record

        echo_json(organization_card_record(organization, career, extras))
    else:
        from vaultkit.outputs.tables import organization_card

        echo_rich(organization_card(organization, career, extras))
