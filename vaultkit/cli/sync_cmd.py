"""`vaultkit sync`, `vaultkit watch` and `vaultkit daemon ...`."""

from __future__ import annotations

import json

import click

from vaultkit.cli.context import AppContext, echo_json, json_option, pass_app
from vaultkit.cli.followups_cmd import as_of_option


@click.command()
@as_of_option
@pass_app
def sync(app: AppContext, as_of: str | None) -> None:
    """Do once what the daemon keeps doing: stub contacts for new referrals,
    the calendar, the dashboard, the referral map and the Obsidian bases.
    Prints what changed."""
    from vaultkit.daemon.sync import Syncer

    app.reads_tasks = True  # the calendar's events and the dashboard's follow-ups
    career = app.career()
    changes = Syncer(career.index.root, career.index).run(app.now(as_of))
    for change in changes:
        click.echo(change.line())
    if not changes:
        click.echo("nothing changed")
    if any(change.action == "failed" for change in changes):
        raise SystemExit(1)


@click.command()
@click.option(
    "--polling",
    is_flag=True,
    help="Poll for changes instead of file-system events (network drives, containers).",
)
@click.option("-v", "--verbose", is_flag=True, help="Log more: each pass and its time.")
@click.option("--log-file", type=click.Path(dir_okay=False), hidden=True)
@click.option("--daemon-state", is_flag=True, hidden=True)
@pass_app
def watch(
    app: AppContext, polling: bool, verbose: bool, log_file: str | None, daemon_state: bool
) -> None:
    """Keep the calendar, stubs and dashboards current while you write
    (Ctrl-C stops it)."""
    from pathlib import Path

    from vaultkit.daemon.lifecycle import watch as watch_vault

    watch_vault(
        app.root,
        polling=polling,
        verbose=verbose,
        log_file=Path(log_file) if log_file else None,
        daemon_state=daemon_state,
    )


@click.group()
def daemon() -> None:
    """Run the watcher in the background, one per vault."""


@daemon.command()
@click.option("--polling", is_flag=True, help="Poll instead of file-system events.")
@click.option("-v", "--verbose", is_flag=True, help="Log more.")
@pass_app
def start(app: AppContext, polling: bool, verbose: bool) -> None:
    """Start the daemon for this vault."""
    from vaultkit.daemon.service import start as start_daemon

    current = start_daemon(app.root, polling=polling, verbose=verbose)
    click.echo(f"started  pid {current.pid}, watching {app.root}")
    if current.last_error and not current.last_sync:  # it runs, but its state is not recorded
        click.echo(f"vaultkit: warning: {current.last_error.split(' ', 2)[-1]}", err=True)


@daemon.command()
@pass_app
def stop(app: AppContext) -> None:
    """Stop this vault's daemon."""
    from vaultkit.daemon.service import stop as stop_daemon

    click.echo("stopped" if stop_daemon(app.root) else "not running")


@daemon.command()
@json_option
@pass_app
def status(app: AppContext, as_json: bool) -> None:
    """Whether the daemon runs, since when, and its last sync."""
    from dataclasses import asdict

    from vaultkit.daemon.service import status as daemon_status

    current = daemon_status(app.root)
    if as_json:
        echo_json(asdict(current))
        return
    if not current.running:
        click.echo(
            "not running" + (f" (last sync {current.last_sync})" if current.last_sync else "")
        )
        if current.last_error:
            click.echo(f"last error  {current.last_error}")
        return
    click.echo(f"running  pid {current.pid} since {current.started}")
    click.echo(f"last sync  {current.last_sync or 'not yet'}")
    if current.last_error:
        click.echo(f"last error  {current.last_error}")
    if current.last_push:
        click.echo(f"last push  {current.last_push}")
    if current.last_push_error:
        click.echo(f"last push error  {current.last_push_error}")


@daemon.command()
@click.option("-n", "lines", type=click.IntRange(1, 10000), default=50, show_default=True)
@pass_app
def logs(app: AppContext, lines: int) -> None:
    """The end of the daemon's log."""
    from vaultkit.daemon.service import log_lines

    for line in log_lines(app.root, lines):
        click.echo(line)


@daemon.command()
@click.option("--write", is_flag=True, help="Write the file instead of printing it.")
@pass_app
def install(app: AppContext, write: bool) -> None:
    """Print (or --write) a systemd user unit (Linux) or a launchd agent (macOS)
    that starts the watcher at login."""
    from vaultkit.atomic import write_atomic
    from vaultkit.daemon.service import unit_file

    path, text = unit_file(app.root)
    if not write:
        click.echo(f"# {path}")
        click.echo(text, nl=False)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, text)
    click.echo(f"wrote  {path}")
    if path.suffix == ".service":
        click.echo(
            f"then:  systemctl --user daemon-reload && systemctl --user enable --now {path.name}"
        )
    else:
        click.echo(f"then:  launchctl load {json.dumps(str(path))}")
