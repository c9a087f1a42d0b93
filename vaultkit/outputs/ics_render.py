"""The text of the calendar: one follow-up's event or to-do, the calendar's
header, its ``VTIMEZONE``. Functions of their arguments, with no cache of
their own and no file: `ics_feed` writes the file, `feed_stamps` decides the
stamps and remembers what was written.

An event's text is rendered from an `EventInputs` record only, built by
`event_inputs`: the record is all the renderer can see, so it holds exactly
what the text depends on, and a watcher compares records to know which events
to render again (a field the renderer starts reading has to be added to the
record, and so counts in the comparison).

Choices that clients depend on:

* Dated follow-ups are all-day events (``VALUE=DATE``, exclusive ``DTEND``)
  that leave you free; interviews are timed, in the vault's zone, with an
  alarm.
* Every event keeps its ``UID`` across runs and across renames of its note
  (it is derived from the note's ``id``), so re-importing never duplicates.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from vaultkit import __version__
from vaultkit.domain.career import CareerVault
from vaultkit.domain.followups import FollowUp, after_elapsed
from vaultkit.outputs import ics_text as ics
from vaultkit.outputs.links import obsidian_url
from vaultkit.outputs.vtimezone import vtimezone_lines

if TYPE_CHECKING:
    from vaultkit.outputs.templates import TemplateSource

PRODID = f"-//vaultkit//vaultkit {__version__}//EN"
REFRESH = dt.timedelta(hours=1)
ALARM_BEFORE = dt.timedelta(minutes=30)
# The years the VTIMEZONE's rules always cover, widened to a year before the
# earliest and after the latest timed event; the rules in force at the end stay
# open-ended. So the file never changes with the date, and every VTIMEZONE
# vaultkit writes for a zone is the same: vobject (and so Radicale) keeps the
# first one it parsed for a TZID for the life of its process.
ZONE_RULES_FROM = 1970
ZONE_RULES_UNTIL = 2040


@dataclass(frozen=True, slots=True)
class FeedSettings:
    """What every event of one calendar is rendered with."""

    root: Path  # the vault: its folder name is in every note link
    zone: dt.tzinfo
    zone_id: str
    alarm_before: dt.timedelta


@dataclass(frozen=True, slots=True)
class ThankYouInputs:
    """The thank-you draft an open thank-you's event quotes, as its ingredients:
    the template (``None`` when the vault's cannot be read: the event then says
    what the follow-up says), what the template sees, and the moment it is
    rendered for (the interview's start)."""

    template: TemplateSource | None
    context: dict[str, object]
    moment: dt.datetime


@dataclass(frozen=True, slots=True)
class EventInputs:
    """Everything one follow-up's event (and to-do) text is rendered from.

    Not the follow-up itself: its ``contact``, ``key`` (the UID is made from
    it apart) and ``candidates`` are not shown, and a task's detail (which
    names its line) is cut to the note, so a line added above a task changes
    neither its record nor its event.
    """

    settings: FeedSettings
    kind: str
    title: str
    due: dt.date | dt.datetime
    day: dt.date  # the local day it is due
    end: dt.datetime | None
    location: str | None
    detail: str
    done: bool
    cancelled: bool
    path: str
    thank_you: ThankYouInputs | None = None


def event_inputs(
    career: CareerVault,
    followup: FollowUp,
    settings: FeedSettings,
    template: Callable[[], TemplateSource | None],
) -> EventInputs:
    """The record `event_lines` and `todo_lines` render ``followup`` from.
    ``template`` gives the thank-you template, read at most once for a whole
    calendar and only if a thank-you is open."""
    # A task's: which note holds it, not at which line: a line added above it
    # must not change the event (and re-upload it with a new SEQUENCE).
    task = followup.kind == "task"
    detail = f"A task in {followup.path}." if task else followup.detail
    thank_you = None
    if followup.kind == "thank-you" and not followup.done:
        thank_you = _thank_you_inputs(career, followup, template)
    return EventInputs(
        settings,
        followup.kind,
        followup.title,
        followup.due,
        followup.due_day(settings.zone),
        followup.end,
        followup.location,
        detail,
        followup.done,
        followup.cancelled,
        followup.path,
        thank_you,
    )


def _thank_you_inputs(
    career: CareerVault, followup: FollowUp, template: Callable[[], TemplateSource | None]
) -> ThankYouInputs | None:
    """What the thank-you draft for the follow-up's interview is made of, or
    ``None`` when there is no draft to quote (no contact, no start)."""
    from vaultkit.outputs.drafts import thank_you_context
    from vaultkit.outputs.note_context import me_context

    interview = career.interview_at(followup.path)
    if interview is None or interview.contact is None:
        return None
    contact = career.contact_at(interview.contact.path)
    if contact is None or interview.start is None or interview.start.at is None:
        return None
    moment = interview.start.at
    context = thank_you_context(career, contact, moment, interview)
    return ThankYouInputs(template(), {"me": me_context(career.index.config), **context}, moment)


def uid_for(followup: FollowUp, component: str = "event") -> str:
    """``<hash>-<kind>@vaultkit``: from the note's id (else path) and the rule,
    hashed so any id is safe in a UID and no path leaks into it."""
    digest = hashlib.sha256(f"{followup.key}\x1f{followup.kind}".encode()).hexdigest()[:20]
    suffix = "-todo" if component == "todo" else ""
    return f"{digest}-{followup.kind}{suffix}@vaultkit"


def calendar_header(name: str, zone_id: str, refresh: dt.timedelta) -> list[str]:
    """The calendar's own properties (unfolded lines), before its components."""
    return [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{ics.text(PRODID)}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"NAME:{ics.text(name)}",
        f"X-WR-CALNAME:{ics.text(name)}",
        f"X-WR-TIMEZONE:{ics.text(zone_id)}",
        f"REFRESH-INTERVAL;VALUE=DURATION:{ics.duration(refresh)}",
        f"X-PUBLISHED-TTL:{ics.duration(refresh)}",
    ]


def event_lines(inputs: EventInputs) -> tuple[list[str], bool]:
    """The event's content lines (unfolded, without its UID and stamps), and
    whether it is timed."""
    settings = inputs.settings
    lines = [f"SUMMARY:{ics.text(inputs.title)}"]
    timed = inputs.kind == "interview" and isinstance(inputs.due, dt.datetime)
    if timed:
        assert isinstance(inputs.due, dt.datetime)
        end = inputs.end or after_elapsed(inputs.due, dt.timedelta(minutes=30))
        tzid = ics.param(settings.zone_id)
        lines += [
            _moment("DTSTART", inputs.due, settings.zone, tzid),
            _moment("DTEND", end, settings.zone, tzid),
        ]
    else:
        lines += [
            f"DTSTART;VALUE=DATE:{ics.date(inputs.day)}",
            f"DTEND;VALUE=DATE:{ics.date(inputs.day + dt.timedelta(days=1))}",
            "TRANSP:TRANSPARENT",
        ]  # a reminder, not a meeting: it keeps you free
    if inputs.location:
        lines.append(f"LOCATION:{ics.text(inputs.location)}")
    url = obsidian_url(settings.root, inputs.path)
    lines += [
        f"DESCRIPTION:{ics.text(_describe(inputs, url))}",
        f"URL:{ics.uri(url)}",
        f"CATEGORIES:{ics.text(inputs.kind)}",
        "STATUS:" + ("CANCELLED" if inputs.cancelled else "CONFIRMED"),
    ]
    if timed:
        lines += [
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            f"DESCRIPTION:{ics.text(inputs.title)}",
            f"TRIGGER:{ics.duration(-settings.alarm_before)}",
            "END:VALARM",
        ]
    return lines, timed


def todo_lines(inputs: EventInputs) -> list[str]:
    """The to-do's content lines (``--todos``), beside the follow-up's event."""
    url = obsidian_url(inputs.settings.root, inputs.path)
    return [
        f"SUMMARY:{ics.text(inputs.title)}",
        f"DUE;VALUE=DATE:{ics.date(inputs.day)}",
        "STATUS:" + ("COMPLETED" if inputs.done else "NEEDS-ACTION"),
        f"DESCRIPTION:{ics.text(_describe(inputs, url))}",
        f"URL:{ics.uri(url)}",
        f"CATEGORIES:{ics.text(inputs.kind)}",
    ]


def event_years(inputs: EventInputs) -> tuple[int, ...]:
    """The local years a timed event's start and end fall in (its zone's
    VTIMEZONE must cover them)."""
    assert isinstance(inputs.due, dt.datetime)
    zone = inputs.settings.zone
    start = inputs.due.astimezone(zone).year
    end = (inputs.end or inputs.due).astimezone(zone).year
    return (start,) if end == start else (start, end)


def vtimezone(zone: dt.tzinfo, zone_id: str, years: Counter[int]) -> str:
    """The zone's VTIMEZONE, right over the fixed window of years widened to
    one year around every timed event's (so the file does not change with the
    date, and a 2019 or 2045 interview is as right as this year's)."""
    used = [year for year, count in years.items() if count > 0]
    first = min([ZONE_RULES_FROM, *(year - 1 for year in used)])
    last = max([ZONE_RULES_UNTIL, *(year + 1 for year in used)])
    return _vtimezone_text(zone, ics.param(zone_id), first, last)


@functools.lru_cache(maxsize=8)
def _vtimezone_text(zone: dt.tzinfo, tzid: str, first: int, last: int) -> str:
    return ics.lines_to_text(vtimezone_lines(zone, tzid, first, last))


def _moment(name: str, moment: dt.datetime, zone: dt.tzinfo, tzid: str) -> str:
    """``DTSTART``/``DTEND`` as wall time in the zone, or in UTC when that wall
    time happens twice (the night the clocks go back): parsers then disagree
    on which of the two it means, and a one-hour event could read as zero."""
    local = moment.astimezone(zone)
    if local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset():
        return f"{name}:{ics.utc_datetime(local)}"
    return f"{name};TZID={tzid}:{ics.local_datetime(local)}"


def _describe(inputs: EventInputs, url: str) -> str:
    """What the event says, then which note it comes from (``url`` is the
    note's link, made once for the description and the ``URL``)."""
    what = inputs.detail
    if inputs.thank_you is not None:
        what = _thank_you_opening(inputs.detail, inputs.thank_you) or what
    return f"{what}\n\nNote: {inputs.path}\n{url}"


def _thank_you_opening(detail: str, draft: ThankYouInputs) -> str | None:
    """The thank-you draft's subject and first lines, ready to adapt."""
    from vaultkit.outputs.drafts import draft_text
    from vaultkit.outputs.templates import TemplateProblem

    if draft.template is None:
        return None  # a vault template that cannot be read must not break the calendar
    try:
        subject, body = draft_text(draft.template, draft.context, draft.moment)
    except TemplateProblem:
        return None  # nor one that does not render
    opening = "\n".join(body.splitlines()[:3]).strip()
    return f"{detail}\n\nSubject: {subject}\n{opening}"
