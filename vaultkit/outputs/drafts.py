"""Email drafts: the outreach request and the thank-you, from templates.

A draft template renders to ``Subject: ...``, a blank line, then the body. The
referrer is named only when the contact note names one: a draft never invents
a connection.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

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
from vaultkit.outputs.templates import (
    DAY_NAMES,
    MONTH_NAMES,
    TemplateProblem,
    TemplateSource,
    find_template,
    render,
)

_BLANK_RUNS = re.compile(r"\n{3,}")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_LIST_MARK = re.compile(r"^(?:[-*+]|\d+[.)])(?:\s+\[[ xX]?\])?\s*")
# What a template leaves under ## Notes for you to fill in: a bare bullet, a
# [bracketed prompt], an HTML comment.
_PLACEHOLDER = re.compile(r"^(?:\[[^\]]*\]|<!--.*-->|[-*+_.…]*)$")


@dataclass(frozen=True)
class Draft:
    to: str | None
    subject: str
    body: str
    # Things to know before sending (already met, already thanked): the CLI
    # prints them on stderr, one line each.
    warnings: tuple[str, ...] = field(default=())

    def as_text(self) -> str:
        return f"Subject: {self.subject}\n\n{self.body}"


def _draft(
    template_name: str, career: CareerVault, context: dict[str, object], now: dt.datetime
) -> tuple[str, str]:
    config = career.index.config
    source = find_template(template_name, career.index.root, config.folders.templates)
    return draft_text(source, {"me": me_context(config), **context}, now)


def draft_text(
    source: TemplateSource, context: dict[str, object], now: dt.datetime
) -> tuple[str, str]:
    """The subject and body ``source`` renders to with ``context`` (``me``
    included): a function of its arguments, so the calendar can quote a draft
    from what it recorded the draft is made of."""
    text = render(source, context, now)
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
    warnings = ()
    met = held_interviews(career, contact, now)
    if met and met[-1].start is not None:
        warnings = (
            f"you already interviewed {contact.name} on {met[-1].start.day.isoformat()} "
            f"({met[-1].path}); this draft asks for a first conversation "
            f'(for the thank-you: vaultkit thank-you "{contact.name}")',
        )
    return Draft(contact.email, subject, body, warnings)


def held_interviews(career: CareerVault, contact: Contact, now: dt.datetime) -> list[Interview]:
    """Interviews with ``contact`` held by ``now`` (`Interview.held`), oldest first."""
    return [i for i in career.interviews_with(contact) if i.held(now)]


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
    held = held_interviews(career, contact, now)
    if not held:
        upcoming = live[0].start
        when = f" on {upcoming.day.isoformat()}" if upcoming is not None else ""
        raise UsageError(
            f"your interview with {contact.name} is still to come{when}; a thank-you follows it"
        )
    return held[-1]


def thank_you_draft(
    career: CareerVault,
    contact: Contact,
    now: dt.datetime,
    interview: Interview | None = None,
    recall_notes: bool = False,
) -> Draft:
    """The thank-you for ``interview`` (default: the latest one held): recalls it
    and the people they suggested, and with ``recall_notes`` what its ``## Notes``
    say (the command does; the calendar quotes only the draft's opening, and
    need not read every interview note's text for it)."""
    interview = interview or latest_interview(career, contact, now)
    context = thank_you_context(career, contact, now, interview, recall_notes)
    subject, body = _draft("thank-you.md", career, context, now)
    warnings = ()
    if interview.thank_you_sent is not None:
        warnings = (
            f"you already sent {contact.name} a thank-you on "
            f"{interview.thank_you_sent.isoformat()} (thank_you_sent in {interview.path})",
        )
    return Draft(contact.email, subject, body, warnings)


def thank_you_context(
    career: CareerVault,
    contact: Contact,
    now: dt.datetime,
    interview: Interview,
    recall_notes: bool = False,
) -> dict[str, object]:
    """What the thank-you template sees besides ``me``: the contact, the
    interview, its organization and the people suggested in it."""
    start = interview.start.at if interview.start is not None else None
    config = career.index.config
    shown = interview_context(
        start, interview.duration, interview.format, interview.location, config
    )
    if start is not None:
        shown["day_phrase"] = day_phrase(start.astimezone(config.zone).date(), now)
    shown["notes"] = notes_points(interview.note.body) if recall_notes else []
    shown["highlight"] = highlight(shown["notes"])
    return {
        "contact": contact_context(contact),
        "organization": ref_context(interview.organization, career),
        "interview": shown,
        "referrals": [ref_context(ref, career) for ref in interview.referrals],
    }


def day_phrase(day: dt.date, now: dt.datetime) -> str:
    """How an email names the day it recalls: its weekday within the last
    week ("on Friday"), else its date ("on November 5", with the year when it
    was another year). Never "today" or "yesterday", which a draft sent later
    would get wrong."""
    ago = (now.date() - day).days
    if 0 <= ago < 7:
        return f"on {DAY_NAMES[day.weekday()]}"
    text = f"on {MONTH_NAMES[day.month - 1]} {day.day}"
    return text if day.year == now.year else f"{text}, {day.year}"


def highlight(points: list[str]) -> str | None:
    """The point of the notes a thank-you recalls: the first that is not about
    whom they suggested (the draft thanks them for those already), as a sentence."""
    for point in points:
        if not re.match(r"(?i)(suggested|referred|introduced)\b", point):
            point = point.rstrip()
            return point if point[-1] in ".!?\"'”)" else point + "."
    return None


def notes_points(body: str) -> list[str]:
    """What the note's ``## Notes`` section says, one point per list item or
    line, without the template's empty bullets and [bracketed prompts]."""
    points: list[str] = []
    level = 0
    for line in body.splitlines():
        heading = _HEADING.match(line)
        if heading is not None:
            if level and len(heading.group(1)) <= level:
                break  # the next section
            if not level and heading.group(2).strip().lower() == "notes":
                level = len(heading.group(1))
            continue
        if not level:
            continue
        text = _LIST_MARK.sub("", line.strip(), count=1).strip()
        if text and not _PLACEHOLDER.match(text):
            points.append(text)
    return points
