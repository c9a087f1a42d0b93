"""Email drafts: the outreach request and the thank-you, from templates.

A draft template renders to ``Subject: ...``, a blank line, then the body. The
referrer is named only when the contact note names one: a draft never invents
a connection.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from vaultkit.domain.career import CareerVault
from vaultkit.domain.contacts import Contact
from vaultkit.domain.interviews import Interview
from vaultkit.errors import UsageError
from vaultkit.outputs.note_context import (
    contact_context,
    interview_context,
    me_context,
    primary_referrer,
    ref_context,
)
from vaultkit.outputs.templates import TemplateProblem, find_template, render

_BLANK_RUNS = re.compile(r"\n{3,}")


@dataclass(frozen=True)
class Draft:
    to: str | None
    subject: str
    body: str

    def as_text(self) -> str:
        return f"Subject: {self.subject}\n\n{self.body}"


def _draft(
    template_name: str, career: CareerVault, context: dict[str, object], now: dt.datetime
) -> tuple[str, str]:
    config = career.index.config
    source = find_template(template_name, career.index.root, config.folders.templates)
    text = render(source, {"me": me_context(config), **context}, now)
    lines = [line.rstrip() for line in text.strip().splitlines()]
    if not lines or not lines[0].lower().startswith("subject:"):
        raise TemplateProblem(f"{source.origin}: the first line must be 'Subject: ...'")
    subject = lines[0].split(":", 1)[1].strip()
    body = _BLANK_RUNS.sub("\n\n", "\n".join(lines[1:]).strip()) + "\n"
    return subject, body


def outreach_draft(career: CareerVault, contact: Contact, now: dt.datetime) -> Draft:
    """The request for a 20–30 minute conversation."""
    referrer = primary_referrer(contact)
    context = {
        "contact": contact_context(contact),
        "organization": ref_context(contact.organization, career),
        "referrer": ref_context(referrer, career) if referrer else None,
    }
    subject, body = _draft("outreach.md", career, context, now)
    return Draft(contact.email, subject, body)


def latest_interview(career: CareerVault, contact: Contact, now: dt.datetime) -> Interview:
    """The interview a thank-you is for: the latest one held (marked done, or
    already started) that was not cancelled. A thank-you never comes before
    the meeting, so a planned one is an error that says when it is."""
    interviews = career.interviews_with(contact)
    live = [i for i in interviews if i.status != "cancelled"]
    if not live:
        if interviews:
            raise UsageError(
                f"your interview with {contact.name} was cancelled; "
                "a thank-you follows one that took place"
            )
        raise UsageError(f"no interview with {contact.name} yet; a thank-you follows one")
    held = [
        i
        for i in live
        if i.status == "done"
        or (i.start is not None and i.start.at is not None and i.start.at <= now)
    ]
    if not held:
        upcoming = live[0].start
        when = f" on {upcoming.day.isoformat()}" if upcoming is not None else ""
        raise UsageError(
            f"your interview with {contact.name} is still to come{when}; a thank-you follows it"
        )
    return held[-1]


def thank_you_draft(
    career: CareerVault, contact: Contact, now: dt.datetime, interview: Interview | None = None
) -> Draft:
    """The thank-you for ``interview`` (default: the latest one held): recalls it
    and the people they suggested."""
    interview = interview or latest_interview(career, contact, now)
    start = interview.start.at if interview.start is not None else None
    context = {
        "contact": contact_context(contact),
        "organization": ref_context(interview.organization, career),
        "interview": interview_context(
            start, interview.duration, interview.format, interview.location, career.index.config
        ),
        "referrals": [ref_context(ref, career) for ref in interview.referrals],
    }
    subject, body = _draft("thank-you.md", career, context, now)
    return Draft(contact.email, subject, body)
