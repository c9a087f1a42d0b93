"""`vaultkit calendar`: write the follow-ups as an .ics file; `calendar push`
sends them to a CalDAV server; `calendar login` stores its password."""

from __future__ import annotations

import datetime as dt
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
    app.reads_tasks = True  # every dated task is an event
    if out == "-":
        result = _write(app, out, todos, as_of)
        sys.stdout.flush()  # bytes, so the CRLF line ends RFC 5545 requires survive
        sys.stdout.buffer.write(result.data)
        sys.stdout.buffer.flush()
        return
    click.echo(_stored_write(app, out, todos, as_of))


def _stored_write(app: AppContext, out: str | None, todos: bool, as_of: str | None) -> str:
    """Write the calendar file unless the vault, the file itself, the thank-you
    template and the clock's verdicts are all as they were when it was last
    written: then it is still right, and only the line saying so is printed."""
    import os

    from vaultkit.cli.context import wall_clock
    from vaultkit.vault.config import load_config

    said: dict[str, object] = {}
    moment: dict[str, dt.datetime] = {}

    def compute() -> str:
        now = moment["now"] = app.now(as_of)  # one moment for the file and its validity
        result = _write(app, out, todos, as_of, now)
        extra = f" and {result.todos} to-dos" if todos else ""
        what = f"{result.path} ({result.events} events{extra})"
        said["line"] = f"{'wrote' if result.changed else 'unchanged'}  {what}"
        return f"unchanged  {what}"  # what the same run says next time

    def valid_until() -> dt.datetime:
        from vaultkit.domain.followups import next_change

        return next_change(app.career(), (), moment["now"])  # done leaves the feed

    config = load_config(app.root)
    target = os.path.abspath(out) if out else config.calendar.path
    template = f"{config.folders.templates}/thank-you.md"  # a thank-you's text quotes it
    clock = wall_clock() if not as_of else None
    stored = app.cached_output(
        ("calendar", out and os.path.abspath(out), todos, as_of),
        compute,
        now=clock,
        valid_until=valid_until if clock is not None else None,
        files=(target, template),
    )
    return str(said.get("line", stored))


def _write(  # type: ignore[no-untyped-def]
    app: AppContext, out: str | None, todos: bool, as_of: str | None, now: dt.datetime | None = None
):
    from vaultkit.domain.followups import follow_ups
    from vaultkit.outputs.ics_feed import write_calendar

    career = app.career()
    now = now if now is not None else app.now(as_of)
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
