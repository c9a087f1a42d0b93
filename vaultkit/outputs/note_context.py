"""What templates can see: plain dictionaries built from the domain.

Templates get data, never live objects, so the sandbox has nothing to reach
through. Links are given as ``[[file name]]``, the form Obsidian resolves
fastest and vaultkit writes quoted.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from vaultkit.domain.career import CareerVault
from vaultkit.domain.contacts import Contact
from vaultkit.domain.followups import after_elapsed, thank_you_due, thank_you_window
from vaultkit.domain.refs import Ref
from vaultkit.outputs.templates import DAY_NAMES, MONTH_NAMES
from vaultkit.vault.config import Config

_TITLES = frozenset(
    {
        "prof.",
        "prof",
        "professor",
        "dr.",
        "dr",
        "mr.",
        "mr",
        "ms.",
        "ms",
        "mrs.",
        "mrs",
        "mx.",
        "mx",
    }
)


def link(stem: str | None) -> str | None:
    return f"[[{stem}]]" if stem else None


def greeting_name(name: str) -> str:
    """How an email greets someone: ``Jane`` for Jane Doe, ``Prof. Chen`` for
    Prof. Wei Chen (a title keeps the surname)."""
    words = name.split()
    if not words:
        return name
    if words[0].lower() in _TITLES and len(words) > 1:
        return f"{words[0]} {words[-1]}"
    return words[0]


def ref_context(ref: Ref | None, career: CareerVault | None = None) -> dict[str, Any]:
    """A linked person or organization: its name, link, and note fields when resolved."""
    if ref is None:
        return {"name": None, "link": None}
    context: dict[str, Any] = {
        "name": ref.name,
        "link": link(ref.note.stem if ref.note is not None else ref.link.target),
    }
    if career is not None and ref.note is not None:
        organization = career.organization_at(ref.note.path)
        if organization is not None:
            context.update(
                industry=organization.industry,
                website=organization.website,
                location=organization.location,
                size=organization.size,
            )
        contact = career.contact_at(ref.note.path)
        if contact is not None:
            context.update(role=contact.role, organization=contact.organization_name)
    return context


def contact_context(contact: Contact) -> dict[str, Any]:
    return {
        "name": contact.name,
        "first_name": greeting_name(contact.name),
        "link": link(contact.note.stem),
        "role": contact.role,
        "organization": contact.organization_name,
        "industry": contact.industry,
        "location": contact.location,
        "email": contact.email,
        "phone": contact.phone,
        "linkedin": contact.linkedin,
        "warmth": contact.warmth,
        "source": contact.source,
        "status": contact.status,
        "referred_by": [ref.name for ref in contact.referred_by],
        "referred_by_links": [
            link(r.note.stem if r.note else r.link.target) for r in contact.referred_by
        ],
    }


def me_context(config: Config) -> dict[str, Any]:
    me = config.me
    return {"name": me.name or None, "school": me.school or None, "field": me.field or None}


def interview_context(
    start: dt.datetime | None,
    duration: int,
    format_: str | None,
    location: str | None,
    config: Config,
    date_text: str | None = None,
) -> dict[str, Any]:
    """The interview as templates show it, in the vault's time zone."""
    if start is None:
        return {"duration": duration, "format": format_, "location": location}
    local = start.astimezone(config.zone)
    end = after_elapsed(local, dt.timedelta(minutes=duration))
    due = thank_you_due(end, thank_you_window(config)).date()
    return {
        "date": local.date().isoformat(),
        "time": local.strftime("%H:%M"),
        "weekday": DAY_NAMES[local.weekday()],
        "month_day": f"{MONTH_NAMES[local.month - 1]} {local.day}",
        "start": start.isoformat(),
        "date_text": date_text or local.strftime("%Y-%m-%d %H:%M"),
        "duration": duration,
        "format": format_,
        "location": location,
        "thank_you_due": due.isoformat(),
    }
