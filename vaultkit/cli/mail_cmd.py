"""`vaultkit mail scan` and `vaultkit mail login`: reply dates from your mailbox."""

from __future__ import annotations

from pathlib import Path

import click

from vaultkit.cli.context import AppContext, json_option, pass_app
from vaultkit.domain.vocabulary import CONTACT_STATUSES


@click.group()
def mail() -> None:
    """Find when contacts replied and when you wrote to them, in your own mail.

    Only message headers are read (who, to whom, when, the subject), on this
    computer; nothing is sent anywhere and no message body is read.
    """


@mail.command()
@click.argument("sources", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--apply", "apply_", is_flag=True, help="Write the dates into the contact notes.")
@click.option("--since", metavar="DATE", help="Only messages from this day on (YYYY-MM-DD).")
@click.option(
    "--status",
    type=click.Choice(CONTACT_STATUSES),
    help="With --apply: move a contact whose reply is recorded on to this status "
    "(a reply is not yet a meeting, so by default the status stays).",
)
@json_option
@pass_app
def scan(
    app: AppContext,
    sources: tuple[Path, ...],
    apply_: bool,
    since: str | None,
    status: str | None,
    as_json: bool,
) -> None:
    """Propose replied_on, contacted_on and last_contact from SOURCES (Maildir
    folders, mbox files, folders of .eml files), or from the [mail] account
    and paths in .vaultkit.toml when none is given. Writes nothing without --apply.

    A message from a contact after contacted_on is their reply; a message to a
    contact still to-contact is your request; any exchange moves last_contact.
    Mailing lists, out-of-office replies and bounces do not count, and a
    message counted by an earlier --apply never counts again.
    """
    from vaultkit.cli.context import echo_json, echo_rich, option_value
    from vaultkit.domain.mail_rules import configured_sources, propose
    from vaultkit.errors import UsageError
    from vaultkit.mailbox.sources import read_sources
    from vaultkit.notes.typed_values import date
    from vaultkit.outputs.json_records import mail_record
    from vaultkit.outputs.mail_apply import apply_proposals, load_seen
    from vaultkit.outputs.tables import mail_table

    if status and not apply_:
        raise UsageError("--status changes notes, so it goes with --apply")
    career = app.career()
    config = career.index.config
    since_day = option_value(date, since, "--since") if since else None
    paths, account = (list(sources), None) if sources else configured_sources(config.mail)
    if not paths and account is None:
        raise UsageError(
            "no mail to scan: give a Maildir, an mbox file or a folder of .eml files, "
            "or set [mail] host (or paths) in .vaultkit.toml"
        )
    findings = propose(
        career,
        read_sources(paths, account, since_day),
        my_addresses=config.me.email,
        sent_folders=config.mail.sent_folders,
        seen=load_seen(career.index.root),
        since=since_day,
    )
    for problem in findings.problems:
        click.echo(f"vaultkit: {problem}", err=True)
    refused: list[str] = []
    if apply_ and findings.proposals:
        result = apply_proposals(career.index.root, findings.proposals, status)
        refused = result.refused
        for line in refused:
            click.echo(f"vaultkit: {line}", err=True)
    if as_json:
        echo_json([mail_record(p) for p in findings.proposals])
    else:
        echo_rich(mail_table(findings, apply_))
    if refused:
        click.get_current_context().exit(1)


@mail.command()
@pass_app
def login(app: AppContext) -> None:
    """Store the password of the [mail] account in the system keyring, after
    checking it with the server."""
    from vaultkit.errors import UsageError
    from vaultkit.mailbox.credentials import store_mail_password
    from vaultkit.mailbox.imap import check_login

    settings = app.career().index.config.mail
    if not settings.host or not settings.username:
        raise UsageError("set [mail] host and username in .vaultkit.toml first")
    secret = click.prompt(
        f"Password for {settings.username} at {settings.host}", hide_input=True, err=True
    )
    check_login(settings.host, settings.port, settings.username, secret, settings.security, 20.0)
    store_mail_password(settings.host, settings.port, settings.username, secret)
    click.echo(f"stored the password for {settings.username} at {settings.host}")
