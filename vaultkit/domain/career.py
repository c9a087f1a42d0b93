"""The career-search view of a vault: contacts, organizations and interviews,
cross-linked, with lookups by name.

Built from a `VaultIndex` on demand; every command that needs people or
interviews starts here.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from functools import cached_property

from vaultkit.diagnostics import Diagnostic
from vaultkit.domain.contacts import Contact, read_contact
from vaultkit.domain.interviews import Interview, read_interview
from vaultkit.domain.organizations import Organization, read_organization
from vaultkit.errors import NameNotFoundError
from vaultkit.notes.note import Note
from vaultkit.vault.index import Kind, VaultIndex

_FAR_FUTURE = dt.datetime.max.replace(tzinfo=dt.UTC)


class CareerVault:
    """Typed, cross-linked views over one vault index."""

    def __init__(self, index: VaultIndex) -> None:
        self.index = index

    @cached_property
    def contacts(self) -> list[Contact]:
        """Every contact, sorted by name (case-insensitive)."""
        found = [read_contact(note, self.index) for note in self.index.of_kind("contact")]
        return sorted(found, key=lambda c: (c.name.casefold(), c.path))

    @cached_property
    def organizations(self) -> list[Organization]:
        found = [read_organization(n, self.index) for n in self.index.of_kind("organization")]
        return sorted(found, key=lambda o: (o.name.casefold(), o.path))

    @cached_property
    def interviews(self) -> list[Interview]:
        """Every interview, oldest first; an interview without an organization
        takes its contact's."""
        found = [read_interview(note, self.index) for note in self.index.of_kind("interview")]
        for interview in found:
            if interview.organization is None and interview.contact is not None:
                contact = self.contact_at(interview.contact.path)
                if contact is not None:
                    interview.organization = contact.organization
        return sorted(found, key=_interview_order)

    @cached_property
    def _contacts_by_path(self) -> dict[str, Contact]:
        return {contact.path: contact for contact in self.contacts}

    @cached_property
    def _organizations_by_path(self) -> dict[str, Organization]:
        return {org.path: org for org in self.organizations}

    def contact_at(self, path: str | None) -> Contact | None:
        return self._contacts_by_path.get(path) if path else None

    def organization_at(self, path: str | None) -> Organization | None:
        return self._organizations_by_path.get(path) if path else None

    @cached_property
    def _interviews_by_contact(self) -> dict[str, list[Interview]]:
        table: dict[str, list[Interview]] = defaultdict(list)
        for interview in self.interviews:
            if interview.contact is not None and interview.contact.path:
                table[interview.contact.path].append(interview)
        return dict(table)

    def interviews_with(self, contact: Contact) -> list[Interview]:
        return self._interviews_by_contact.get(contact.path, [])

    @cached_property
    def _referred_by_contact(self) -> dict[str, list[Contact]]:
        table: dict[str, list[Contact]] = defaultdict(list)
        for contact in self.contacts:
            for ref in contact.referred_by:
                if ref.path:
                    table[ref.path].append(contact)
        return dict(table)

    def referred_by(self, contact: Contact) -> list[Contact]:
        """The contacts this person referred you to."""
        return self._referred_by_contact.get(contact.path, [])

    def people_at(self, organization: Organization) -> list[Contact]:
        return [
            c
            for c in self.contacts
            if c.organization is not None and c.organization.path == organization.path
        ]

    def find_note(self, name: str, kinds: tuple[Kind, ...]) -> Note:
        """Find a note by name as a link would (file name, path tail, alias, ``name``).

        Raises `NameNotFoundError` with a one-line message when nothing of the
        wanted kinds matches.
        """
        resolution = self.index.resolve(name)
        note = resolution.note
        if note is not None and self.index.kind(note) in kinds:
            return note
        wanted = name.strip().casefold()
        for candidate in self.index.notes.values():
            if self.index.kind(candidate) in kinds and candidate.name.casefold() == wanted:
                return candidate
        label = " or ".join(kinds)
        raise NameNotFoundError(f"no {label} named {name!r} in this vault")

    def diagnostics(self) -> list[Diagnostic]:
        """Everything reading the vault and its typed fields found."""
        found = self.index.diagnostics()
        for group in (self.contacts, self.organizations, self.interviews):
            for item in group:
                found.extend(item.problems)
        return found


def _interview_order(interview: Interview) -> tuple[dt.datetime, str]:
    if interview.start is None:
        return (_FAR_FUTURE, interview.path)
    at = interview.start.at
    if at is None:
        at = dt.datetime.combine(interview.start.day, dt.time(), tzinfo=dt.UTC)
    return (at, interview.path)
