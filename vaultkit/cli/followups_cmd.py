"""`vaultkit followups`: what is due."""

from __future__ import annotations

import click

from vaultkit.cli.context import AppContext, echo_json, echo_rich, json_option, pass_app

as_of_option = click.option(
    "--as-of",
    "as_of",
    metavar="DATE",
    help="Pretend it is this date (or date-time) in the vault's time zone. Default: now.",
)


@click.command()
@as_of_option
@click.option("--overdue", is_flag=True, help="Only what is overdue.")
@click.option(
    "--within", metavar="SPAN", help="Only what is due within SPAN (7d, 2w), overdue included."
)
@click.option("--all", "include_done", is_flag=True, help="Include what is done.")
@json_option
@pass_app
def followups(
    app: AppContext,
    as_of: str | None,
    overdue: bool,
    within: str | None,
    include_done: bool,
    as_json: bool,
) -> None:
    """List follow-ups: interviews, thank-yous, nudges (3 business days without a
    reply), move-ons (7), keep-in-touch reminders and dated tasks."""
    from vaultkit.domain.followups import follow_ups
    from vaultkit.outputs.records import followup_record

    career = app.career()
    zone = career.index.config.zone
    now = app.now(as_of)
    found = follow_ups(career, now)
    if not include_done:
        found = [f for f in found if not f.done]
    if overdue:
        found = [f for f in found if f.is_overdue(now)]
    if within:
        horizon = now.date() + app.span(within, "--within")
        found = [f for f in found if f.due_day(zone) <= horizon]
    if as_json:
        echo_json([followup_record(f, now, zone) for f in found])
    else:
        from vaultkit.outputs.tables import followups_tables

        echo_rich(followups_tables(found, now, zone))
