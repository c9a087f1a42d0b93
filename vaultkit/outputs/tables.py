"""Terminal tables and cards (rich) for people reading, not scripts.

Scripts use ``--json``; these layouts may change between versions.
"""

from __future__ import annotations

import datetime as dt

from rich.console import Group
from rich.table import Table
from rich.text import Text

from vaultkit.domain.career import CareerVault
from vaultkit.domain.contacts import Contact
from vaultkit.domain.followup_groups import Group as FollowUpGroup
from vaultkit.domain.followups import FollowUp
from vaultkit.domain.interviews import Interview
from vaultkit.domain.organizations import Organization


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _day(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def interview_when(interview: Interview, zone: dt.tzinfo) -> str:
    """``2026-11-25 14:00`` in the vault's zone (the note's own offset is kept in JSON)."""
    if interview.start is None:
        return ""
    if interview.start.at is None:
        return interview.start.day.isoformat()
    return interview.start.at.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def contacts_table(contacts: list[Contact], stages: list[str] | None = None) -> Table:
    """One row a contact; ``stages`` (derived, in the same order) beside the status."""
    table = Table(title=_count(len(contacts), "contact"), title_justify="left", expand=False)
    for column in (
        "Name",
        "Organization",
        "Role",
        "Stage",
        "Status",
        "Warmth",
        "Referred by",
        "Last contact",
    ):
        table.add_column(column, overflow="fold")
    for number, contact in enumerate(contacts):
        table.add_row(
            contact.name,
            contact.organization_name or "",
            contact.role or "",
            stages[number] if stages is not None else "",
            contact.status or "",
            contact.warmth or "",
            ", ".join(ref.name for ref in contact.referred_by),
            _day(contact.last_contact),
        )
    return table


def organizations_table(organizations: list[Organization], career: CareerVault) -> Table:
    table = Table(title=_count(len(organizations), "organization"), title_justify="left")
    for column in ("Name", "Industry", "Location", "Contacts"):
        table.add_column(column, overflow="fold")
    for organization in organizations:
        table.add_row(
            organization.name,
            organization.industry or "",
            organization.location or "",
            str(len(career.people_at(organization))),
        )
    return table


def interviews_table(interviews: list[Interview], zone: dt.tzinfo) -> Table:
    table = Table(title=_count(len(interviews), "interview"), title_justify="left")
    for column in ("When", "Contact", "Organization", "Format", "Status", "Thank-you"):
        table.add_column(column, overflow="fold")
    for interview in interviews:
        table.add_row(
            interview_when(interview, zone),
            interview.contact.name if interview.contact else "",
            interview.organization_name or "",
            interview.format or "",
            interview.status or "",
            _day(interview.thank_you_sent),
        )
    return table


def contact_card(contact: Contact, career: CareerVault, now: dt.datetime | None = None) -> Group:
    """Everything about one person on one screen: details, who referred them,
    whom they referred, and the interviews held or planned."""
    details = Table.grid(padding=(0, 2))
    details.add_column(style="bold")
    details.add_column(overflow="fold")
    rows = [
        ("Organization", contact.organization_name),
        ("Role", contact.role),
        ("Industry", contact.industry),
        ("Location", contact.location),
        ("Stage", career.stage(contact, now) if now is not None else None),
        ("Status", contact.status),
        ("Warmth", contact.warmth),
        ("Source", contact.source),
        ("Referred by", ", ".join(ref.name for ref in contact.referred_by)),
        ("Referred you to", ", ".join(c.name for c in career.referred_by(contact))),
        ("Email", contact.email),
        ("Phone", contact.phone),
        ("LinkedIn", contact.linkedin),
        ("Contacted on", _day(contact.contacted_on)),
        ("Replied on", _day(contact.replied_on)),
        ("Last contact", _day(contact.last_contact)),
        ("Keep in touch", str(contact.keep_in_touch) if contact.keep_in_touch else None),
        ("Next contact", _day(contact.next_contact)),
        ("Note", contact.path),
    ]
    for label, value in rows:
        if value:
            details.add_row(label, value)
    parts: list[object] = [Text(contact.name, style="bold underline"), details]
    interviews = career.interviews_with(contact)
    if interviews:
        parts.append(interviews_table(interviews, career.index.config.zone))
    else:
        parts.append(Text("No interviews yet.", style="dim"))
    return Group(*parts)  # type: ignore[arg-type]


def followups_tables(groups: list[FollowUpGroup], zone: dt.tzinfo) -> Group:
    """Follow-ups grouped as a person plans (see `screen_groups`): overdue,
    this week, later (and done, when asked for), each cut section with a
    footer saying how to see the rest."""
    parts: list[object] = []
    for group in groups:
        table = Table(title=f"{group.title} ({group.total})", title_justify="left")
        for column in ("Due", "Kind", "What", "Note"):
            table.add_column(column, overflow="fold")
        for followup in group.shown:
            table.add_row(_due_text(followup, zone), followup.kind, followup.title, followup.path)
        if group.shown:
            parts.append(table)
        else:
            parts.append(Text(f"{group.title} ({group.total})", style="italic"))
        if group.footer:
            parts.append(Text(group.footer, style="dim"))
    if not parts:
        parts.append(Text("Nothing due."))
    return Group(*parts)  # type: ignore[arg-type]


def _due_text(followup: FollowUp, zone: dt.tzinfo) -> str:
    if isinstance(followup.due, dt.datetime):
        return followup.due.astimezone(zone).strftime("%a %Y-%m-%d %H:%M")
    return followup.due.strftime("%a %Y-%m-%d")
