"""`vaultkit stats`: how the search is going, in figures."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import click

from vaultkit.cli.context import AppContext, echo_json, echo_rich, json_option, pass_app
from vaultkit.cli.followups_cmd import as_of_option


@click.command()
@click.option(
    "--since",
    metavar="DATE",
    help="Only contacts whose search began on or after DATE (their first contact, reply, "
    "interview or last_contact), and those not contacted yet.",
)
@as_of_option
@json_option
@pass_app
def stats(app: AppContext, since: str | None, as_of: str | None, as_json: bool) -> None:
    """Show how the search is going: the funnel from contacts to thank-yous
    (overall, by warmth and by source), reply rate and time to reply (the last
    four weeks against the whole search), referrals, and the last 12 weeks.

    The dashboard draws the funnel and the weeks as charts."""
    from vaultkit.cli.context import wall_clock

    computed: dict[str, dt.datetime] = {}

    def compute() -> str:
        from vaultkit.domain.search_stats import search_stats
        from vaultkit.outputs.json_records import stats_record

        start = option_value_date(since)
        now = computed["now"] = app.now(as_of)
        # compact: the stored text serves the table and both JSON layouts
        return json.dumps(stats_record(search_stats(app.career(), now, start)), ensure_ascii=False)

    def valid_until() -> dt.datetime:
        """The next midnight (the weeks and the four-week window move) or the
        first interview to become held, whichever is first."""
        now = computed["now"]
        midnight = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(), now.tzinfo)
        held = app.career().next_stage_change(now)
        return min(midnight, held) if held is not None else midnight

    if since:
        option_value_date(since)  # a bad --since is a usage error before any work
    clock = wall_clock() if not as_of else None  # an --as-of answer holds for good
    text = app.cached_output(
        ("stats", since, as_of),
        compute,
        now=clock,
        valid_until=valid_until if clock is not None else None,
    )
    record: dict[str, Any] = json.loads(text)
    if as_json:
        echo_json(record)
        return
    from vaultkit.outputs.tables import stats_tables

    echo_rich(stats_tables(record))


def option_value_date(text: str | None) -> dt.date | None:
    """``--since`` read like a date in a note (2026-11-01), or None."""
    if not text:
        return None
    from vaultkit.cli.context import option_value
    from vaultkit.notes.typed_values import date

    return option_value(date, text, "--since")  # type: ignore[no-any-return]
