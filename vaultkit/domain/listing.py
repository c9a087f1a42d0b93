"""What `list` selects: contacts, organizations and interviews filtered the
way the command's options say, in the views' order. Kept out of the CLI so a
script using the library gets the same answer as the command."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from vaultkit.domain.career import CareerVault
from vaultkit.domain.contacts import Contact
from vaultkit.domain.interviews import Interview
from vaultkit.domain.organizations import Organization


def select_contacts(
    career: CareerVault,
    now: Callable[[], dt.datetime],
    *,
    stages: Sequence[str] = (),
    organization: str | None = None,
    warmth: str | None = None,
) -> list[tuple[Contact, str]]:
    """Contacts with their stage as of ``now()`` (asked only once a contact
    passes the other filters), by name: at one of ``stages`` (the stage, not
    only the written status), at ``organization`` (a name matching nothing is
    an error), of ``warmth``."""
    matches_org = career.organization_filter(organization)
    found = []
    for contact in career.contacts:
        if (warmth is not None and contact.warmth != warmth) or not matches_org(
            contact.organization
        ):
            continue
        stage = career.stage(contact, now())
        if not stages or stage in stages:
            found.append((contact, stage))
    return found


def select_organizations(career: CareerVault, industry: str | None = None) -> list[Organization]:
    """Organizations whose industry contains ``industry`` (any case), by name."""
    wanted = industry.casefold() if industry else None
    return [
        o
        for o in career.organizations
        if wanted is None or (o.industry and wanted in o.industry.casefold())
    ]


def select_interviews(
    career: CareerVault,
    *,
    statuses: Sequence[str] = (),
    organization: str | None = None,
    contact: str | None = None,
) -> list[Interview]:
    """Interviews with one of ``statuses``, at ``organization``, with
    ``contact`` (a name matching no contact is an error), oldest first."""
    matches_org = career.organization_filter(organization)
    contact_path = career.find_note(contact, ("contact",)).path if contact else None
    return [
        i
        for i in career.interviews
        if (not statuses or i.status in statuses)
        and (contact_path is None or (i.contact is not None and i.contact.path == contact_path))
        and matches_org(i.organization)
    ]
