"""What every command shares: finding and loading the vault once, printing
JSON and tables, and turning library errors into one line and an exit code."""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import json
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from vaultkit.diagnostics import Diagnostic
    from vaultkit.domain.career import CareerVault
    from vaultkit.vault.index import Kind


class VaultkitGroup(click.Group):
    """The root group: the one place where user errors become a message and exit code.

    Library code raises `VaultkitError` subclasses carrying their exit code;
    an OSError (a permission, a full disk) is a user-environment problem too.
    Neither ever shows a traceback.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        from vaultkit.cli import COMMANDS

        return sorted({*COMMANDS, *self.commands})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        """A command from `COMMANDS`, its module imported on first use."""
        from vaultkit.cli import COMMANDS

        if name not in self.commands and name in COMMANDS:
            module, attribute = COMMANDS[name]
            loaded = importlib.import_module(f"vaultkit.cli.{module}")
            command = getattr(loaded, attribute)
            summarise(command)
            self.add_command(command, name)
        return self.commands.get(name)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """Click's own usage errors (an unknown option, a bad choice) as one line
        too, naming the command and where to look, instead of a usage block."""
        kwargs["standalone_mode"] = False
        try:
            result = super().main(*args, **kwargs)
        except click.UsageError as error:
            if type(error).__name__ == "NoArgsIsHelpError" and error.ctx is not None:
                # `vaultkit import` alone: what it can do, as --help says it
                click.echo(error.ctx.get_help())
                sys.exit(0)
            command = error.ctx.command_path if error.ctx is not None else "vaultkit"
            click.echo(f"vaultkit: {error.format_message()} (see {command} --help)", err=True)
            sys.exit(error.exit_code)
        except click.ClickException as error:
            click.echo(f"vaultkit: {error.format_message()}", err=True)
            sys.exit(error.exit_code)
        except click.Abort:
            click.echo("vaultkit: aborted", err=True)
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)

    def invoke(self, ctx: click.Context) -> Any:
        from vaultkit.errors import VaultkitError

        try:
            return super().invoke(ctx)
        except VaultkitError as error:
            click.echo(f"vaultkit: {error}", err=True)
            ctx.exit(error.exit_code)
        except BrokenPipeError:
            # `vaultkit check | head` closed the pipe early: not an error to report.
            # Point stdout at /dev/null so Python's exit-time flush stays quiet.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(141)
        except OSError as error:
            where = f" ({error.filename})" if error.filename else ""
            click.echo(f"vaultkit: {error.strerror or error}{where}", err=True)
            ctx.exit(1)
        except KeyboardInterrupt:
            click.echo("vaultkit: interrupted", err=True)
            ctx.exit(130)


def summarise(command: click.Command) -> None:
    """Give ``command`` and its subcommands the first sentence of their help as
    the summary `--help` lists. Click would cut a longer one at 45 characters
    ("Write the follow-ups calendar that Google, Apple, Outlook..."); a whole
    sentence wraps instead."""
    if command.short_help is None and command.help:
        paragraph = " ".join(inspect.cleandoc(command.help).split("\n\n")[0].split())
        command.short_help = _SENTENCE_END.split(paragraph, maxsplit=1)[0]
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            summarise(sub)


_SENTENCE_END = re.compile(r"(?<=[a-z0-9)]\.)\s+(?=[A-Z])")


@dataclass
class AppContext:
    """Per-invocation state: the ``--vault`` option and the lazily loaded vault."""

    vault_option: str | None
    _career: CareerVault | None = field(default=None, repr=False)
    needs_bodies: bool = True  # a listing reads front-matter only
    reads_tasks: bool = False  # every note's tasks (follow-ups, the calendar, check)
    # The kinds of note the command reads, parsed while the vault is read.
    reads: tuple[Kind, ...] = ("contact", "organization", "interview")
    # What the stored-output lookup just walked and stamped, handed to the
    # load on a miss so that one command walks and stats the vault once.
    _walked: tuple[list[str], list[Diagnostic]] | None = field(default=None, repr=False)
    _stamps: list[tuple[str, int, int]] | None = field(default=None, repr=False)

    @property
    def root(self) -> Path:
        from vaultkit.vault.locate import find_vault

        return find_vault(self.vault_option)

    def now(self, as_of: str | None = None) -> dt.datetime:
        """The moment commands reason about: ``--as-of`` (a date means the start of
        that day) in the vault's zone, else the clock. Tests always pass it."""
        from vaultkit.notes.typed_values import when

        zone = self.career().index.config.zone
        if not as_of:
            return dt.datetime.now(zone)
        moment = option_value(when, as_of, "--as-of", zone)
        if moment.at is not None:
            return moment.at.astimezone(zone)  # one instant, however it was written
        return dt.datetime.combine(moment.day, dt.time(), tzinfo=zone)

    def today(self, on: str | None, option: str = "--on") -> dt.date:
        """A date option (``--on``), default today in the vault's zone."""
        from vaultkit.notes.typed_values import date

        return option_value(date, on, option) if on else self.now().date()

    @staticmethod
    def span(text: str, option: str) -> dt.timedelta:
        from vaultkit.notes.typed_values import span

        return option_value(span, text, option)

    def career(self) -> CareerVault:
        """Load the vault once per command (the index, then typed views on demand),
        through the index cache unless $VAULTKIT_NO_CACHE is set; what this run
        read is saved back to the cache when the command ends."""
        if self._career is None:
            from vaultkit.domain.career import CareerVault
            from vaultkit.vault.index import VaultIndex

            _show_progress(click.get_current_context())
            index = VaultIndex.load(
                self.root,
                use_cache=_cache_enabled(),
                bodies=self.needs_bodies,
                parse_kinds=self.reads,
                find_tasks=self.reads_tasks,
                walked=self._walked,
                stamps=(
                    {path: (mtime_ns, size) for path, mtime_ns, size in self._stamps}
                    if self._stamps is not None
                    else None
                ),
            )
            click.get_current_context().call_on_close(lambda: index.save_cache(detach=True))
            self._career = CareerVault(index)
        return self._career

    def cached_output(
        self,
        parts: tuple[object, ...],
        compute: Callable[[], str],
        now: dt.datetime | None = None,
        valid_until: Callable[[], dt.datetime | None] | None = None,
        files: tuple[str, ...] = (),
    ) -> str:
        """A command's output, reused while the vault is unchanged (see
        `vault.results`): the second `followups --json` on a quiet vault only
        stats the files. An output that depends on the clock gives ``now`` and
        ``valid_until``; ``files`` are vault-relative files besides the notes
        that the output depends on (the calendar it rewrites)."""
        if not _cache_enabled():
            return compute()
        from vaultkit.notes.typed_values import zone_name
        from vaultkit.vault.config import load_config
        from vaultkit.vault.results import stored_output
        from vaultkit.vault.walk import list_notes

        root = self.root
        config = load_config(root)
        paths, problems = list_notes(root, config)
        if self._career is None:  # a miss loads the vault from this walk and its stamps
            self._walked = (paths, problems)

        def keep_stamps(stamps: list[tuple[str, int, int]]) -> None:
            if self._career is None:
                self._stamps = stamps  # made a lookup only on a miss

        # What the walk found (a conflict copy, a link out of the vault) is
        # part of the answer too: `check` reports it, and it is no note.
        found_by_walk = tuple((d.path, d.code, d.message) for d in problems)
        return stored_output(
            root,
            paths,
            # the computer's zone counts when the config names none
            (*parts, zone_name(config.zone), found_by_walk),
            compute,
            now=now,
            valid_until=valid_until,
            files=files,
            loaded=lambda: self._career.index if self._career is not None else None,
            on_stamps=keep_stamps,
        )


pass_app = click.make_pass_decorator(AppContext)


def wall_clock() -> dt.datetime:
    """The clock, for deciding whether a stored output is still true (cheaper
    than `AppContext.now`, which reads the vault's config for its zone)."""
    return dt.datetime.now(dt.UTC)


def option_value(reader: Callable[..., Any], text: str, option: str, *args: Any) -> Any:
    """A command-line value read like the same value in a note (a date, a span),
    its problem reported as a usage error naming the option."""
    from vaultkit.errors import UsageError
    from vaultkit.notes.typed_values import ValueProblem

    try:
        value = reader(text, *args)
    except ValueProblem as problem:
        raise UsageError(f"{option}: {problem}") from None
    if value is None:
        raise UsageError(f"{option} needs a value")
    return value


def _show_progress(ctx: click.Context) -> None:
    """At a terminal, and unless the output is JSON, show the progress of the
    command's long work on stderr until the command ends."""
    from vaultkit.cli import progress_display

    stream = progress_display.terminal()
    if stream is None or _wants_json(ctx):
        return
    from vaultkit.progress import reporting

    display = progress_display.TerminalProgress(stream)
    ctx.call_on_close(display.close)
    ctx.with_resource(reporting(display))


def _wants_json(ctx: click.Context | None) -> bool:
    while ctx is not None:
        if ctx.params.get("as_json"):
            return True
        ctx = ctx.parent
    return False


def _cache_enabled() -> bool:
    return not os.environ.get("VAULTKIT_NO_CACHE")


json_option = click.option(
    "--json", "as_json", is_flag=True, help="Print JSON for scripts instead of a table."
)


def json_text(value: Any) -> str:
    """JSON with names kept readable (UTF-8, not \\u escapes): indented for a person
    at a terminal, compact when piped, which also keeps json's fast C encoder."""
    indent = 2 if sys.stdout.isatty() else None
    return json.dumps(value, ensure_ascii=False, indent=indent)


def echo_json(value: Any) -> None:
    click.echo(json_text(value))


def echo_rich(renderable: Any) -> None:
    """Print a rich renderable; plain text when stdout is not a terminal."""
    from rich.console import Console

    # Piped: the terminal's width is unknown, so COLUMNS when set, else 120.
    columns = os.environ.get("COLUMNS", "")
    width = None if sys.stdout.isatty() else int(columns) if columns.isdigit() else 120
    # markup=False: note text such as "R&D [contract]" is data, not rich markup.
    Console(width=width, soft_wrap=False, highlight=False, markup=False).print(renderable)
