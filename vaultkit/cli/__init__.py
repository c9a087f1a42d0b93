"""The `vaultkit` command: click wiring only; every decision lives in the library.

Subcommand modules import the library inside their functions, so
``vaultkit --help`` loads click and nothing heavy.
"""

from __future__ import annotations

import click

from vaultkit import __version__
from vaultkit.cli.context import AppContext, VaultkitGroup

# Each command's module, imported only when that command runs (or --help
# lists them all): a command pays for its own imports, not for every other's.
COMMANDS = {
    "calendar": ("calendar_cmd", "calendar"),
    "cancel": ("done_cmd", "cancel"),
    "check": ("check_cmd", "check"),
    "daemon": ("sync_cmd", "daemon"),
    "done": ("done_cmd", "done"),
    "followups": ("followups_cmd", "followups"),
    "export": ("export_cmd", "export_group"),
    "graph": ("graph_cmd", "graph"),
    "import": ("import_cmd", "import_group"),
    "init": ("init_cmd", "init"),
    "lamp": ("lamp_cmd", "lamp"),
    "list": ("list_cmd", "list_group"),
    "log": ("done_cmd", "log"),
    "mail": ("mail_cmd", "mail"),
    "new": ("new_cmd", "new"),
    "outreach": ("drafts_cmd", "outreach"),
    "reschedule": ("done_cmd", "reschedule"),
    "set": ("done_cmd", "set_key"),
    "show": ("show_cmd", "show"),
    "stats": ("stats_cmd", "stats"),
    "sync": ("sync_cmd", "sync"),
    "thank-you": ("drafts_cmd", "thank_you"),
    "watch": ("sync_cmd", "watch"),
}


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


# Objects made between two young collections. Python's default (700) suits
# programs whose objects die young; a command builds the vault's notes,
# contacts and follow-ups (hundreds of thousands of objects that live until
# it ends), and at 700 the collector walks them all again every time a
# quarter more have been made: a third of a warm command's time on 10,000
# notes. Cycles are still collected, only in larger batches.
YOUNG_COLLECTION_THRESHOLD = 50_000


def main() -> None:
    """Console-script entry point."""
    import gc

    gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, *gc.get_threshold()[1:])
    cli(prog_name="vaultkit")
