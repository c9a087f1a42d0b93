"""What templates can see: plain dictionaries built from the domain.

Templates get data, never live objects, so the sandbox has nothing to reach
through. Links are given as ``[[file name]]``, the form Obsidian resolves
fastest and vaultkit writes quoted.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from vaultkit.domain.career import CareerVault
from vaultkit.domain.contacts import Contact
from vaultkit.domain.followups import after_elapsed, thank_you_due, thank_you_window
from vaultkit.domain.resolved_links import Ref
from vaultkit.outputs.templates import DAY_NAMES, MONTH_NAMES
from vaultkit.vault.config import Config

# Titles that go with the surname ("Prof. Chen"), honorifics that go with the
# first name ("Sir Ken"), and suffixes a greeting drops.
_TITLES = frozenset("prof prof. professor dr dr. mr mr. ms ms. mrs mrs. mx mx.".split())
_HONORIFICS = frozenset("sir dame".split())
_SUFFIXES = frozenset("jr jr. sr sr. ii iii iv phd ph.d. md m.d. esq esq.".split())

# How a note's `source:` reads after "I found your name ...".
_SOURCE_PHRASES = (
    (re.compile(r"linked\s*in", re.I), "on LinkedIn"),
    (re.compile(r"vcard|address book|google contacts|outlook|phone", re.I), "in my address book"),
    (re.compile(r"alumni", re.I), "through our alumni network"),
    (re.compile(r"career fair|job fair|\bfair\b", re.I), "at a career fair"),
    (re.compile(r"conference|meetup|event|panel|talk", re.I), "at an event you spoke at"),
    (re.compile(r"website|company site", re.I), "on your organization's website"),
    (re.compile(r"association|society", re.I), "through a professional association"),
)


def link(stem: str | None) -> str | None:
    return f"[[{stem}]]" if stem else None


def ref_link(ref: Ref) -> str | None:
    """The link to write for a reference: to the note's file name when it resolves."""
    return link(ref.note.stem if ref.note is not None else ref.link.target)


def primary_referrer(contact: Contact) -> Ref | None:
    """The referrer a draft or prep note names: the first the note lists."""
    return contact.referred_by[0] if contact.referred_by else None


def greeting_name(name: str) -> str:
    """How an email greets someone: ``Jane`` for Jane Doe, ``Prof. Chen`` for
    Prof. Wei Chen, ``Pat`` for "O'Brien, Pat", ``Martin`` for Martin King Jr."""
    if name.count(",") == 1 and not name.rstrip().endswith(","):
        last, first = (part.strip() for part in name.split(","))
        if first and first.lower().strip(".") not in {s.strip(".") for s in _SUFFIXES}:
            name = f"{first} {last}"
    words = [w.strip(",") for w in name.split() if w.strip(",")]
    while len(words) > 1 and words[-1].lower() in _SUFFIXES:
        words.pop()
    if not words:
        return name.strip()
    if words[0].lower() in _TITLES and len(words) > 1:
        return f"{words[0]} {words[-1]}"
    if words[0].lower() in _HONORIFICS and len(words) > 1:
        return f"{words[0]} {words[1]}"
    return words[0]


def source_phrase(source: str | None) -> str | None:
    """``LinkedIn`` → "on LinkedIn", ``career fair`` → "at a career fair"; anything
    else → "through <source>"."""
    if not source:
        return None
    for pattern, phrase in _SOURCE_PHRASES:
        if pattern.search(source):
            return phrase
    return f"through {source}"


def ref_context(ref: Ref | None, career: CareerVault | None = None) -> dict[str, Any]:
    """A linked person or organization: its name, link, and note fields when resolved."""
    if ref is None:
        return {"name": None, "link": None}
    context: dict[str, Any] = {"name": ref.name, "link": ref_link(ref)}
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


def person_context(
    name: str, stem: str, fields: dict[str, Any], referrers: list[dict[str, Any]]
) -> dict[str, Any]:
    """A contact as templates see it, whether the note exists yet or not."""
    keys = (
        "role",
        "organization",
        "industry",
        "location",
        "email",
        "phone",
        "linkedin",
        "warmth",
        "source",
        "status",
        "contacted_on",
    )
    context = {key: fields.get(key) for key in keys}
    context.update(
        name=name,
        first_name=greeting_name(name),
        link=link(stem),
        source_phrase=source_phrase(fields.get("source")),
        referred_by=[r["name"] for r in referrers],
        referred_by_links=[r["link"] for r in referrers],
    )
    return context


def contact_context(contact: Contact) -> dict[str, Any]:
    fields = {
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
        "contacted_on": contact.contacted_on.isoformat() if contact.contacted_on else None,
    }
    referrers = [ref_context(ref) for ref in contact.referred_by]
    return person_context(contact.name, contact.note.stem, fields, referrers)


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
    due = thank_you_due(end, thank_you_window(config))
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
        "thank_you_due": due.date().isoformat(),
        "thank_you_by": f"{DAY_NAMES[due.weekday()]} {due:%H:%M}",
    }
