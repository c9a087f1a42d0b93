"""`vaultkit followups`: what is due."""

from __future__ import annotations

import click

from vaultkit.cli.context import AppContext, echo_json, echo_rich, json_option, pass_app

DEFAULT_LIMIT = 20  # a screen of follow-ups, not a vault's worth

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
    "--within",
    metavar="SPAN",
    help="Only what is due within SPAN (7d, 2w) from now, and what fell overdue within "
    "SPAN before now (with --overdue: every overdue item).",
)
@click.option("--all", "include_done", is_flag=True, help="Include what is done.")
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=None,
    help=f"At most N overdue (newest first) and N upcoming (soonest first); 0 shows all. "
    f"Default {DEFAULT_LIMIT} on screen, all with --json.",
)
@json_option
@pass_app
def followups(
    app: AppContext,
    as_of: str | None,
    overdue: bool,
    within: str | None,
    include_done: bool,
    limit: int | None,
    as_json: bool,
) -> None:
    """List follow-ups: interviews, thank-yous, nudges (3 business days without a
    reply), move-ons (7), keep-in-touch reminders and dated tasks."""
    from vaultkit.domain.followup_groups import screen_groups
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
        span = app.span(within, "--within")
        today = now.astimezone(zone).date()
        horizon, back = today + span, today - span
        found = [
            f
            for f in found
            if f.due_day(zone) <= horizon
            and (overdue or not f.is_overdue(now) or f.due_day(zone) >= back)
        ]
    if as_json:
        if limit:  # the same items a screen shows, still sorted by due
            shown = {id(f) for group in screen_groups(found, now, zone, limit) for f in group.shown}
            found = [f for f in found if id(f) in shown]
        echo_json([followup_record(f, now, zone) for f in found])
    else:
        from vaultkit.outputs.tables import followups_tables

        chosen = DEFAULT_LIMIT if limit is None else limit
        echo_rich(followups_tables(screen_groups(found, now, zone, chosen), zone))
