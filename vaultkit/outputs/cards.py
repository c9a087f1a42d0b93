"""What `show` adds around a contact's or an organization's own fields: the
other notes that answer to the same name, what reading the note found wrong,
what is open for them, and their log. Gathered once, then laid out as a card
(`tables`) or as JSON (`json_records`), so both say the same."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from vaultkit.diagnostics import Diagnostic
from vaultkit.domain.career import CareerVault
from vaultkit.domain.contacts import Contact
from vaultkit.domain.followups import FollowUp, follow_ups_of_contact, follow_ups_of_note
from vaultkit.domain.organizations import Organization
from vaultkit.notes.log_section import log_entries
from vaultkit.notes.note import Note

# What makes a note's front-matter unreadable as a whole (its fields then all
# read as missing, which a card must not pass off as "nothing known").
_UNREADABLE = frozenset({"front-matter", "unreadable", "encoding"})


@dataclass(frozen=True)
class CardExtras:
    also: list[str]
    """Other notes that answer to the name asked for (the name is ambiguous)."""
    problems: list[Diagnostic]
    unreadable: Diagnostic | None
    """Set when the front-matter cannot be read at all."""
    followups: list[FollowUp]
    """Open follow-ups, next first."""
    log: list[str]
    now: dt.datetime


def contact_extras(
    career: CareerVault, contact: Contact, asked: str, now: dt.datetime
) -> CardExtras:
    return _extras(
        career,
        contact.note,
        asked,
        contact.problems,
        follow_ups_of_contact(career, contact, now),
        now,
    )


def organization_extras(
    career: CareerVault, organization: Organization, asked: str, now: dt.datetime
) -> CardExtras:
    return _extras(
        career,
        organization.note,
        asked,
        organization.problems,
        follow_ups_of_note(career, organization.note, now),
        now,
    )


def _extras(
    career: CareerVault,
    note: Note,
    asked: str,
    field_problems: list[Diagnostic],
    followups: list[FollowUp],
    now: dt.datetime,
) -> CardExtras:
    problems = list(dict.fromkeys([*note.diagnostics, *field_problems]))
    unreadable = next(
        (d for d in problems if d.severity == "error" and d.code in _UNREADABLE), None
    )
    return CardExtras(
        also=career.namesakes(asked, note, ("contact", "organization")),
        problems=problems,
        unreadable=unreadable,
        followups=followups,
        log=log_entries(note.body),
        now=now,
    )
