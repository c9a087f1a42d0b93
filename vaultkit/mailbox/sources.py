"""Every message of every source a scan is given: local mail (Maildir, mbox,
.eml) and an IMAP account, one stream of `MessageHeaders`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from vaultkit.mailbox.message import MessageHeaders
from vaultkit.progress import task


@dataclass(frozen=True)
class ImapAccount:
    host: str
    port: int
    username: str
    folders: tuple[str, ...]
    security: str = "tls"


def read_sources(
    paths: list[Path], account: ImapAccount | None, since: dt.date | None = None
) -> Iterator[MessageHeaders]:
    """The messages of ``paths`` in order, then of ``account``; IMAP is asked
    only for messages since ``since`` (files are read whole, headers only)."""
    from vaultkit.mailbox.files import read_mail

    for path in paths:
        total = path.stat().st_size if path.is_file() else None
        with task(f"reading {path.name}", total=total) as step:
            yield from read_mail(path, on_bytes=step)
    if account is not None:
        from vaultkit.mailbox.credentials import mail_password
        from vaultkit.mailbox.imap import read_imap

        secret = mail_password(account.host, account.port, account.username)
        with task(f"reading {account.host}", total=None) as step:
            yield from read_imap(
                account.host,
                account.port,
                account.username,
                secret,
                account.folders,
                since=since,
                ssl=account.security,
                on_count=step,
            )
