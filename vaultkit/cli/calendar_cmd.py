"""`vaultkit calendar`: write the follow-ups as an .ics file."""

from __future__ import annotations

import click

from vaultkit.cli.context import AppContext, pass_app
from vaultkit.cli.followups_cmd import as_of_option


@click.command()
@click.option(
    "--out",
    metavar="FILE",
    help="Where to write (inside the vault), or - for stdout. "
    "Default: [calendar] path, vaultkit/followups.ics.",
)
@click.option(
    "--todos",
    is_flag=True,
    help="Also write each follow-up as a VTODO for task apps (Google ignores them).",
)
@as_of_option
@pass_app
def calendar(app: AppContext, out: str | None, todos: bool, as_of: str | None) -> None:
    """Write the follow-ups calendar that Google, Apple, Outlook and Thunderbird
    import or subscribe to. Unchanged events keep their stamps, and an unchanged
    file is not rewritten."""
    from vaultkit.domain.followups import follow_ups
    from vaultkit.outputs.ics_feed import write_calendar

    career = app.career()
    now = app.now(as_of)
    result = write_calendar(career, follow_ups(career, now), now, out=out, todos=todos)
    if result.path is None:  # bytes, so the CRLF line ends RFC 5545 requires survive
        stdout = click.get_binary_stream("stdout")
        stdout.write(result.text.encode("utf-8"))
        stdout.flush()
        return
    extra = f" and {result.todos} to-dos" if todos else ""
    state = "wrote" if result.changed else "unchanged"
    click.echo(f"{state}  {result.path} ({result.events} events{extra})")
