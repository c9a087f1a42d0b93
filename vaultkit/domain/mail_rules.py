"""What the mailbox says about contacts: the dates it proposes.

The 3-and-7-day reminders, the thank-you and the keep-in-touch dates are
only as good as ``contacted_on``, ``replied_on`` and ``last_contact``. Mail
headers tell them:

- a message **from** one of a contact's addresses (``email:``, one or a
  list) on or after ``contacted_on``: ``replied_on`` if empty, and
  ``last_contact`` if later. A reply to the thank-you, or any message after
  you met, is a contact, not a reply to the request: only ``last_contact``.
- a message **to** a contact (in a sent folder, or from one of your own
  addresses, ``[me] email``): ``contacted_on`` if empty while the status is
  ``to-contact``, and ``last_contact`` if later.
- a message from an address that is no contact's, in a thread
  (``In-Reply-To``/``References``) with a message of a contact's, counts for
  that contact (they answered from their phone, or a colleague did).
- mailing lists, automatic replies (out of office) and bounces count for
  nothing; neither does a message seen by an earlier ``--apply``.

Only headers arrive here (`mailbox.message.MessageHeaders`); this module
reads no file and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from vaultkit.address_book.cleaning import normalise_email
from vaultkit.domain.career import CareerVault
from vaultkit.domain.contact_match import note_emails
from vaultkit.domain.contacts import Contact
from vaultkit.mailbox.message import MessageHeaders
from vaultkit.mailbox.sources import ImapAccount
from vaultkit.vault.config import Mail

# Folder names that hold the mail you sent, as the common mail programs and
# services name them (compared case-insensitively, by the last part of a path).
SENT_FOLDER_NAMES = frozenset(
    name.casefold()
    for name in (
        "Sent",
        "Sent Items",
        "Sent Messages",
        "Sent Mail",
        "[Gmail]/Sent Mail",
        "Gesendet",
        "Gesendete Elemente",
        "Envoyés",
        "Éléments envoyés",
        "Enviados",
        "Elementos enviados",
        "Inviati",
        "Posta inviata",
        "Verzonden",
        "Verzonden items",
    )
)


@dataclass(frozen=True)
class Proposal:
    """One key of one contact note, and the message that gives its value."""

    contact: Contact
    key: str  # "replied_on", "contacted_on" or "last_contact"
    value: dt.date
    message: MessageHeaders
    incoming: bool  # the message came from the contact (else you sent it)

    @property
    def path(self) -> str:
        return self.contact.path


@dataclass
class MailFindings:
    """What a scan found: the proposals, in note order then key order, and
    what it could not use (each a sentence naming the message)."""

    proposals: list[Proposal] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    messages: int = 0  # messages read
    counted: int = 0  # of which about a contact


def message_key(message: MessageHeaders) -> str:
    """The identity an applied message is remembered by: its Message-ID, or
    for a message without one, a digest of who, when and what."""
    if message.message_id:
        return message.message_id
    when = message.date.isoformat() if message.date else ""
    basis = "|".join((",".join(message.from_addresses), when, message.subject))
    return "sha1:" + hashlib.sha1(basis.encode("utf-8")).hexdigest()


def configured_sources(settings: Mail) -> tuple[list[Path], ImapAccount | None]:
    """What a scan reads when it is given no source: the ``[mail] paths``
    and the ``[mail]`` account, when a host is set."""
    paths = [Path(path).expanduser() for path in settings.paths]
    if not settings.host:
        return paths, None
    account = ImapAccount(
        settings.host, settings.port, settings.username, settings.folders, settings.security
    )
    return paths, account


def is_sent_folder(folder: str, names: frozenset[str] = SENT_FOLDER_NAMES) -> bool:
    """Whether ``folder`` (``Sent``, ``[Gmail]/Sent Mail``, ``INBOX.Sent``) holds
    mail you sent; ``names`` are case-folded, `SENT_FOLDER_NAMES` and your own."""
    folded = folder.casefold()
    return (
        folded in names or folded.rsplit("/", 1)[-1] in names or folded.rsplit(".", 1)[-1] in names
    )


def propose(
    career: CareerVault,
    messages: Iterable[MessageHeaders],
    *,
    my_addresses: Iterable[str] = (),
    sent_folders: Iterable[str] = (),
    seen: frozenset[str] = frozenset(),
    since: dt.date | None = None,
) -> MailFindings:
    """The dates ``messages`` give the vault's contacts (see the module's rules)."""
    findings = MailFindings()
    zone = career.index.config.zone
    mine = {normalise_email(address) for address in my_addresses}
    sent_names = SENT_FOLDER_NAMES | {name.casefold() for name in sent_folders}
    owners, shared = _addresses(career.contacts)
    for address in sorted(shared):
        findings.problems.append(
            f"{address} is the address of several contacts ({', '.join(shared[address])}); "
            "its mail is not counted"
        )

    # (message, its senders, its recipients), addresses normalised once
    usable: list[tuple[MessageHeaders, list[str], list[str]]] = []
    for message in messages:
        findings.messages += 1
        for problem in message.problems:
            findings.problems.append(f"{message.where}: {problem}")
        if message.date is None or message.mailing_list or message.automatic or message.bounce:
            continue
        senders = sorted({normalise_email(a) for a in message.from_addresses})
        recipients = [normalise_email(a) for a in message.to_addresses]
        # Only what can concern a contact is kept (a mailbox of 100,000 is
        # mostly strangers): their addresses, yours, or an answer in a thread.
        if not (
            message.in_reply_to
            or message.references
            or any(a in owners or a in mine for a in (*senders, *recipients))
        ):
            continue
        usable.append((message, senders, recipients))  # a message seen before still ties its thread
    usable.sort(key=lambda u: (u[0].date, u[0].message_id))  # type: ignore[arg-type, return-value]

    thread: dict[str, tuple[Contact, bool, bool]] = {}  # id -> contact, sent by you, after met
    best: dict[tuple[str, str], Proposal] = {}
    for message, senders, recipients in usable:
        assert message.date is not None
        day = message.date.astimezone(zone).date()
        outgoing = bool(mine.intersection(senders)) or is_sent_folder(message.folder, sent_names)
        contacts = _unique(owners.get(a) for a in (recipients if outgoing else senders))
        answers = [thread[i] for i in (*message.in_reply_to, *message.references) if i in thread]
        if not contacts and answers and not outgoing:
            contacts = [answers[-1][0]]
        for contact in contacts:
            met = _met_by(career, contact, message.date, zone)
            if message.message_id:
                thread[message.message_id] = (contact, outgoing, met)
            if (since is not None and day < since) or message_key(message) in seen:
                continue
            findings.counted += 1
            if outgoing:
                if contact.contacted_on is None and contact.status in (None, "to-contact"):
                    _keep(best, Proposal(contact, "contacted_on", day, message, False), first=True)
            else:
                after_thanks = any(c is contact and sent and after for c, sent, after in answers)
                asked = contact.contacted_on
                if asked is None and (contact.path, "contacted_on") in best:
                    asked = best[(contact.path, "contacted_on")].value  # found in this scan
                if (
                    contact.replied_on is None
                    and asked is not None
                    and day >= asked
                    and not met
                    and not after_thanks
                ):
                    _keep(best, Proposal(contact, "replied_on", day, message, True), first=True)
            if contact.last_contact is None or day > contact.last_contact:
                _keep(best, Proposal(contact, "last_contact", day, message, not outgoing))
    order = {"contacted_on": 0, "replied_on": 1, "last_contact": 2}
    findings.proposals = sorted(best.values(), key=lambda p: (p.path, order[p.key]))
    return findings


def _keep(best: dict[tuple[str, str], Proposal], proposal: Proposal, first: bool = False) -> None:
    """The earliest message for a first date, the latest for ``last_contact``
    (messages arrive oldest first)."""
    slot = (proposal.path, proposal.key)
    if first and slot in best:
        return
    best[slot] = proposal


def _met_by(career: CareerVault, contact: Contact, moment: dt.datetime, zone: dt.tzinfo) -> bool:
    """Whether an interview with ``contact`` had begun by ``moment``."""
    for interview in career.interviews_with(contact):
        if interview.start is None or interview.status == "cancelled":
            continue
        start = interview.start.at or dt.datetime.combine(
            interview.start.day, dt.time(), tzinfo=zone
        )
        if start <= moment:
            return True
    return False


def _addresses(contacts: Iterable[Contact]) -> tuple[dict[str, Contact], dict[str, list[str]]]:
    """Each address's contact; addresses that several contacts give apart."""
    owners: dict[str, Contact] = {}
    shared: dict[str, list[str]] = {}
    for contact in contacts:
        for address in note_emails(contact.note.fields.get("email")):
            key = normalise_email(address)
            other = owners.get(key)
            if other is not None and other is not contact:
                shared.setdefault(key, [other.path]).append(contact.path)
            else:
                owners[key] = contact
    for key in shared:
        owners.pop(key, None)
    return owners, shared


def _unique(contacts: Iterable[Contact | None]) -> list[Contact]:
    found: list[Contact] = []
    for contact in contacts:
        if contact is not None and all(contact is not c for c in found):
            found.append(contact)
    return found
