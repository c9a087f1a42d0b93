"""`Person`: one person as an address book or an export describes them, with
every value already cleaned (see `cleaning`), before it is matched against
the vault's contacts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from vaultkit.errors import UsageError


class ImportFileError(UsageError):
    """The file is not what the command expects (no LinkedIn header, not a
    vCard, a CSV with no name column); the message names the file and line.
    Nothing is imported."""


@dataclass(frozen=True)
class Person:
    """One person read from a file.

    ``where`` says where the person was found, for messages
    (``Connections.csv line 12``). ``problems`` are values that were in the
    file but were left out (a spreadsheet formula, a ``javascript:`` link, a
    date in a form vaultkit does not read), each a sentence naming the column
    or property.
    """

    name: str
    source: str  # how the note's `source:` reads: "LinkedIn", "vCard", "Google Contacts", "Outlook"
    where: str
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    linkedin: str | None = None  # an http(s) URL on linkedin.com
    organization: str | None = None
    role: str | None = None
    location: str | None = None
    connected_on: dt.date | None = None
    referred_by: str | None = None
    aliases: tuple[str, ...] = ()  # a nickname, or the name in another spelling
    problems: tuple[str, ...] = ()
