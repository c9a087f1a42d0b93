"""`MessageHeaders`: the few headers of one message that say who wrote to whom,
when, and in answer to what. Nothing else of a message is read or kept."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from vaultkit.errors import UsageError, VaultkitError


class MailSourceError(UsageError):
    """A mail source that cannot be read as one: a path that is neither a
    Maildir, an mbox file nor a folder of .eml files. One line naming it."""


class MailServerError(VaultkitError):
    """The IMAP server is down, refuses the password, or has no such folder.
    One line naming the server; nothing is written."""


@dataclass(frozen=True)
class MessageHeaders:
    """One message, by its headers.

    Addresses are lower-cased bare addresses (``jane@example.com``, no display
    name). ``date`` is aware (a Date header without a zone is read as UTC and
    says so in ``problems``); None when missing or unreadable. ``where`` names
    the message for messages (``INBOX/cur/1700000000.M1.host`` or
    ``archive.mbox message 12`` or ``imap INBOX uid 42``). ``folder`` is the
    mailbox folder it came from (``Sent``, ``INBOX``), "" when unknown.
    """

    message_id: str  # without the angle brackets; "" when the message has none
    date: dt.datetime | None
    from_addresses: tuple[str, ...]
    to_addresses: tuple[str, ...]  # To and Cc together
    subject: str  # decoded (encoded words), one line
    in_reply_to: tuple[str, ...] = ()  # Message-IDs, without brackets
    references: tuple[str, ...] = ()
    mailing_list: bool = False  # List-Id or List-Unsubscribe or Precedence: list/bulk
    automatic: bool = False  # Auto-Submitted (not "no"), X-Autoreply, out-of-office subjects
    bounce: bool = False  # a delivery report: Content-Type multipart/report, MAILER-DAEMON
    folder: str = ""
    where: str = ""
    problems: tuple[str, ...] = ()
