"""Contacts: the people of the search, read from contact notes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from vaultkit.diagnostics import Diagnostic
from vaultkit.domain.field_reader import FieldReader
from vaultkit.domain.resolved_links import Ref
from vaultkit.domain.vocabulary import CONTACT_STATUS_ALIASES, CONTACT_STATUSES, WARMTH
from vaultkit.notes import typed_values
from vaultkit.notes.note import Note
from vaultkit.notes.typed_values import Cadence
from vaultkit.vault.index import VaultIndex


@dataclass
class Contact:
    """One person. Dates are calendar dates; ``keep_in_touch`` is a `Cadence`,
    ``typed_values.OFF`` or None (use the vault default)."""

    note: Note
    name: str
    aliases: list[str]
    organization: Ref | None
    role: str | None
    industry: str | None
    location: str | None
    email: str | None
    phone: str | None
    linkedin: str | None
    warmth: str | None
    source: str | None
    referred_by: list[Ref]
    status: str | None
    contacted_on: dt.date | None
    replied_on: dt.date | None
    last_contact: dt.date | None
    keep_in_touch: Cadence | str | None
    next_contact: dt.date | None
    id: str | None
    problems: list[Diagnostic] = field(default_factory=list)

    @property
    def path(self) -> str:
        return self.note.path

    @property
    def organization_name(self) -> str | None:
        """The organization as listings show it: the linked note's name, else the text."""
        return self.organization.name if self.organization is not None else None


def read_contact(note: Note, index: VaultIndex) -> Contact:
    """Build a `Contact` from a contact note, collecting problems on the way."""
    read = FieldReader(note, index)
    organization = read.ref("organization")
    contact = Contact(
        note=note,
        name=note.name,
        aliases=read.get("aliases", typed_values.text_list) or [],
        organization=organization,
        role=read.text("role"),
        industry=read.text("industry"),
        location=read.text("location"),
        email=read.text("email"),
        phone=read.text("phone"),
        linkedin=read.text("linkedin"),
        warmth=read.choice("warmth", WARMTH),
        source=read.text("source"),
        referred_by=read.refs("referred_by"),
        status=read.choice("status", CONTACT_STATUSES, CONTACT_STATUS_ALIASES),
        contacted_on=read.get("contacted_on", typed_values.date, code="bad-date"),
        replied_on=read.get("replied_on", typed_values.date, code="bad-date"),
        last_contact=read.get("last_contact", typed_values.date, code="bad-date"),
        keep_in_touch=read.get("keep_in_touch", typed_values.cadence),
        next_contact=read.get("next_contact", typed_values.date, code="bad-date"),
        id=read.text("id"),
    )
    contact.problems = read.problems
    return contact
