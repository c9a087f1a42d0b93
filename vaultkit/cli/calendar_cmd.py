"""`vaultkit calendar`: write the follow-ups as an .ics file; `calendar push`
sends them to a CalDAV server; `calendar login` stores its password."""

from __future__ import annotations

import sys

import click

from vaultkit.cli.context import AppContext, pass_app
from vaultkit.cli.followups_cmd import as_of_option


@click.group(invoke_without_command=True)
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
@click.pass_context
def calendar(ctx: click.Context, out: str | None, todos: bool, as_of: str | None) -> None:
    """Write the follow-ups calendar that Google, Apple, Outlook and Thunderbird
    import or subscribe to. Unchanged events keep their stamps, and an unchanged
    file is not rewritten."""
    if ctx.invoked_subcommand is not None:
        return
    app = ctx.find_object(AppContext)
    assert app is not None
    result = _write(app, out, todos, as_of)
    if result.path is None:  # bytes, so the CRLF line ends RFC 5545 requires survive
        sys.stdout.flush()
        sys.stdout.buffer.write(result.data)
        sys.stdout.buffer.flush()
        return
    extra = f" and {result.todos} to-dos" if todos else ""
    state = "wrote" if result.changed else "unchanged"
    click.echo(f"{state}  {result.path} ({result.events} events{extra})")


def _write(app: AppContext, out: str | None, todos: bool, as_of: str | None):  # type: ignore[no-untyped-def]
    from vaultkit.domain.followups import follow_ups
    from vaultkit.outputs.ics_feed import write_calendar

    career = app.career()
    now = app.now(as_of)
    return write_calendar(career, follow_ups(career, now), now, out=out, todos=todos)


def _settings(app: AppContext) -> tuple[str, str, str]:
    from vaultkit.errors import UsageError

    config = app.career().index.config
    caldav = config.caldav
    if not caldav.url or not caldav.username:
        raise UsageError("set url and username under [caldav] in .vaultkit.toml first")
    return caldav.url, caldav.username, caldav.calendar or config.calendar.name


@calendar.command()
@as_of_option
@pass_app
def push(app: AppContext, as_of: str | None) -> None:
    """Write the calendar and make the [caldav] server's calendar hold the same
    events: only what changed is sent, and only vaultkit's own events are
    ever deleted."""
    from vaultkit.outputs.caldav_push import push as push_feed
    from vaultkit.outputs.caldav_push import require_caldav

    require_caldav()
    url, username, name = _settings(app)
    result = _write(app, None, False, as_of)
    pushed = push_feed(app.career().index.root, result.text, url, username, name)
    click.echo(f"pushed   {pushed.url} ({pushed.line()})")


@calendar.command()
@pass_app
def login(app: AppContext) -> None:
    """Store the [caldav] password in the system keyring (never in the vault)."""
    from vaultkit.outputs.caldav_push import CalDavTarget, require_caldav, store_password

    require_caldav()
    url, username, name = _settings(app)
    secret = click.prompt(f"Password for {username} at {url}", hide_input=True)
    CalDavTarget(url, username, secret, name).connect()  # a wrong password fails here
    store_password(url, username, secret)
    click.echo(f"stored   the password for {username} in the system keyring")
