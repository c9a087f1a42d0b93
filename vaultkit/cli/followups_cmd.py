"""`vaultkit followups`: what is due."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import click

from vaultkit.cli.context import AppContext, echo_rich, json_option, json_text, pass_app

if TYPE_CHECKING:
    from vaultkit.domain.followups import FollowUp

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
    app.reads_tasks = True  # every dated task may be a follow-up
    if not as_json:
        from vaultkit.domain.followup_groups import screen_groups
        from vaultkit.outputs.tables import followups_tables

        every, now = _every(app, as_of)
        found = _selected(app, every, now, overdue, within, include_done)
        zone = app.career().index.config.zone
        chosen = DEFAULT_LIMIT if limit is None else limit
        echo_rich(followups_tables(screen_groups(found, now, zone, chosen), zone))
        return
    import sys

    from vaultkit.cli.context import wall_clock

    parts = ("followups", as_of, overdue, within, include_done, limit, sys.stdout.isatty())
    computed: dict[str, Any] = {}

    def compute() -> str:
        every, now = computed["every"], computed["now"] = _every(app, as_of)
        found = _selected(app, every, now, overdue, within, include_done)
        return json_text(_records(app, found, now, limit))

    def valid_until() -> dt.datetime:
        from vaultkit.domain.followups import next_change

        # every follow-up, not only those shown: one may come into view
        return next_change(app.career(), computed["every"], computed["now"])

    clock = wall_clock() if not as_of else None  # an --as-of answer holds for good
    click.echo(
        app.cached_output(
            parts, compute, now=clock, valid_until=valid_until if clock is not None else None
        )
    )


def _every(app: AppContext, as_of: str | None) -> tuple[list[FollowUp], dt.datetime]:
    """Every follow-up of the vault as of ``--as-of`` (or now), and that moment."""
    from vaultkit.domain.followups import follow_ups

    career = app.career()
    now = app.now(as_of)
    return follow_ups(career, now), now


def _selected(
    app: AppContext,
    found: list[FollowUp],
    now: dt.datetime,
    overdue: bool,
    within: str | None,
    include_done: bool,
) -> list[FollowUp]:
    from vaultkit.domain.followup_groups import select

    span = app.span(within, "--within") if within else None
    zone = app.career().index.config.zone
    return select(found, now, zone, overdue=overdue, within=span, include_done=include_done)


def _records(
    app: AppContext, found: list[FollowUp], now: dt.datetime, limit: int | None
) -> list[dict[str, Any]]:
    """``followups --json``: all that was selected, or with ``--limit`` the same
    items a screen shows, still sorted by due."""
    from vaultkit.domain.followup_groups import screen_groups
    from vaultkit.outputs.json_records import followup_record

    zone = app.career().index.config.zone
    if limit:
        shown = {id(f) for group in screen_groups(found, now, zone, limit) for f in group.shown}
        found = [f for f in found if id(f) in shown]
    return [followup_record(f, now, zone) for f in found]
