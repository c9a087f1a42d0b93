"""The `vaultkit` command: click wiring only; every decision lives in the library.

Subcommand modules import the library inside their functions, so
``vaultkit --help`` loads click and nothing heavy.
"""

from __future__ import annotations

import click

from vaultkit import __version__
from vaultkit.cli.calendar_cmd import calendar
from vaultkit.cli.check_cmd import check
from vaultkit.cli.context import AppContext, VaultkitGroup
from vaultkit.cli.done_cmd import done, log
from vaultkit.cli.drafts_cmd import outreach, thank_you
from vaultkit.cli.followups_cmd import followups
from vaultkit.cli.graph_cmd import graph
from vaultkit.cli.init_cmd import init
from vaultkit.cli.list_cmd import list_group
from vaultkit.cli.new_cmd import new
from vaultkit.cli.show_cmd import show
from vaultkit.cli.sync_cmd import daemon, sync, watch


@click.group(cls=VaultkitGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--vault",
    "vault",
    metavar="DIR",
    type=click.Path(file_okay=False),
    help="The vault folder. Default: $VAULTKIT_VAULT, else the nearest folder "
    "at or above this one holding .vaultkit.toml or .obsidian/.",
)
@click.version_option(__version__, prog_name="vaultkit")
@click.pass_context
def cli(ctx: click.Context, vault: str | None) -> None:
    """Run an informational-interview career search from your notes.

    vaultkit reads the contacts, organizations and interviews in your Obsidian
    vault (plain Markdown with front-matter) and tells you who to follow up
    with and when. It never changes a note you wrote unless a command says so.
    """
    ctx.obj = AppContext(vault_option=vault)


for command in (
    init,
    new,
    list_group,
    show,
    check,
    followups,
    calendar,
    done,
    log,
    graph,
    outreach,
    thank_you,
    sync,
    watch,
    daemon,
):
    cli.add_command(command)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="vaultkit")
