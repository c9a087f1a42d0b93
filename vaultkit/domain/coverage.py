"""Coverage: whom you have heard from, per organization and per industry.

The guides warn against judging a field from one or two conversations; this
counts, for each organization and industry, the people in your notes and the
ones you have actually interviewed, and flags the thin ones.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from vaultkit.domain.career import CareerVault

THIN = 2  # heard from this many people or fewer: one or two views are not enough


@dataclass(frozen=True)
class Coverage:
    kind: str  # "organization" or "industry"
    name: str
    people: int
    heard_from: int
    interviews: int

    @property
    def thin(self) -> bool:
        """Heard from someone, but only one or two people."""
        return 0 < self.heard_from <= THIN


def coverage(career: CareerVault, now: dt.datetime) -> list[Coverage]:
    """Rows for every organization and industry named in the vault, organizations first."""
    people: dict[tuple[str, str], set[str]] = defaultdict(set)
    heard: dict[tuple[str, str], set[str]] = defaultdict(set)
    interviews: dict[tuple[str, str], int] = defaultdict(int)
    for contact in career.contacts:
        for key in _keys(career, contact.path):
            people[key].add(contact.path)
    for interview in career.interviews:
        if interview.status == "cancelled" or interview.contact is None:
            continue
        if not interview.held(now) or not interview.contact.path:
            continue
        keys = set(_keys(career, interview.contact.path))
        if interview.organization is not None:
            keys.add(("organization", interview.organization.name))
        for key in keys:
            heard[key].add(interview.contact.path)
            interviews[key] += 1
    rows = [
        Coverage(
            kind,
            name,
            len(people[(kind, name)]),
            len(heard[(kind, name)]),
            interviews[(kind, name)],
        )
        for kind, name in people.keys() | heard.keys()
    ]
    return sorted(rows, key=lambda r: (r.kind != "organization", r.name.casefold()))


def _keys(career: CareerVault, path: str) -> list[tuple[str, str]]:
    contact = career.contact_at(path)
    if contact is None:
        return []
    keys = []
    if contact.organization is not None:
        keys.append(("organization", contact.organization.name))
    organization = career.organization_at(
        contact.organization.path if contact.organization else None
    )
    industry = contact.industry or (organization.industry if organization else None)
    if industry:
        keys.append(("industry", industry))
    return keys
