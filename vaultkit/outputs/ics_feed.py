"""The follow-ups as an RFC 5545 calendar that Google, Apple, Outlook and
Thunderbird accept.

Choices that clients depend on:

* Dated follow-ups are all-day events (``VALUE=DATE``, exclusive ``DTEND``);
  interviews are timed, in the vault's zone, with its ``VTIMEZONE``.
* Every event keeps its ``UID`` across runs and across renames of its note
  (it is derived from the note's ``id``), so re-importing never duplicates.
* ``DTSTAMP`` stays put while an event does not change; ``SEQUENCE`` and
  ``LAST-MODIFIED`` move when it does. The previous file is the memory: each
  event carries ``X-VAULTKIT-HASH``, a fingerprint of its content.
* Done follow-ups leave the feed (configurable), except interviews, which stay
  as the record of when you met.
* The file is replaced atomically, and not at all when nothing changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vaultkit import __version__
from vaultkit.atomic import write_atomic
from vaultkit.domain.career import CareerVault
from vaultkit.domain.followups import FollowUp
from vaultkit.errors import UsageError
from vaultkit.notes.values import zone_name
from vaultkit.outputs.links import obsidian_url
from vaultkit.safepath import is_inside, make_folder_inside

PRODID = f"-//vaultkit//vaultkit {__version__}//EN"
REFRESH = dt.timedelta(hours=1)
ALARM_BEFORE = dt.timedelta(minutes=30)
# A fixed window for VTIMEZONE rules, so the file does not change with the year.
ZONE_RULES_FROM = dt.date(2020, 1, 1)
ZONE_RULES_UNTIL = dt.date(2040, 1, 1)
HASH_PROPERTY = "X-VAULTKIT-HASH"


@dataclass(frozen=True)
class PreviousEvent:
    """What the last written file said about one UID."""

    fingerprint: str
    sequence: int
    stamp: dt.datetime


@dataclass(frozen=True)
class CalendarResult:
    path: str | None  # vault-relative; None when written to stdout
    text: str
    changed: bool
    events: int
    todos: int


def uid_for(followup: FollowUp, component: str = "event") -> str:
    """``<hash>-<kind>@vaultkit``: from the note's id (else path) and the rule,
    hashed so any id is safe in a UID and no path leaks into it."""
    digest = hashlib.sha256(f"{followup.key}\x1f{followup.kind}".encode()).hexdigest()[:20]
    suffix = "-todo" if component == "todo" else ""
    return f"{digest}-{followup.kind}{suffix}@vaultkit"


def read_previous(text: str) -> dict[str, PreviousEvent]:
    """UIDs, fingerprints, sequences and stamps of a file vaultkit wrote before.

    A deliberately small reader (unfold lines, watch five properties) rather
    than a full parse: it runs on every write and only needs our own output.
    Anything unreadable is simply treated as new.
    """
    found: dict[str, PreviousEvent] = {}
    unfolded = re.sub(r"\r?\n[ \t]", "", text)
    for block in re.findall(
        r"^BEGIN:(?:VEVENT|VTODO)\r?$(.*?)^END:(?:VEVENT|VTODO)\r?$", unfolded, re.M | re.S
    ):
        fields: dict[str, str] = {}
        for line in block.splitlines():
            name, _, value = line.partition(":")
            fields.setdefault(name.split(";", 1)[0].upper(), value.strip())
        try:
            stamp = dt.datetime.strptime(fields["DTSTAMP"], "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
            found[fields["UID"]] = PreviousEvent(
                fields[HASH_PROPERTY], int(fields.get("SEQUENCE", "0")), stamp
            )
        except (KeyError, ValueError):
            continue
    return found


def build_calendar(
    career: CareerVault,
    followups: list[FollowUp],
    *,
    previous: str | None,
    now: dt.datetime,
    todos: bool = False,
) -> tuple[str, int, int]:
    """The calendar text, and how many events and to-dos it holds."""
    import icalendar

    config = career.index.config
    zone = config.zone
    keep_done = config.followups.include_done
    earlier = read_previous(previous) if previous else {}
    stamp_now = now.astimezone(dt.UTC).replace(microsecond=0)

    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", config.calendar.name)
    calendar.add("x-wr-calname", config.calendar.name)
    calendar.add("x-wr-timezone", zone_name(zone))
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")  # Outlook's refresh hint; an unknown type to icalendar

    events = todo_count = 0
    for followup in followups:
        if followup.done and not keep_done and followup.kind != "interview":
            continue
        component = _event(career, followup, zone)
        _stamp(component, uid_for(followup), earlier, stamp_now)
        calendar.add_component(component)
        events += 1
        if todos and followup.kind != "interview":
            todo = _todo(career, followup, zone)
            _stamp(todo, uid_for(followup, "todo"), earlier, stamp_now)
            calendar.add_component(todo)
            todo_count += 1
    calendar.add_missing_timezones(first_date=ZONE_RULES_FROM, last_date=ZONE_RULES_UNTIL)
    return calendar.to_ical().decode("utf-8"), events, todo_count


def _stamp(component: Any, uid: str, earlier: dict[str, PreviousEvent], now: dt.datetime) -> None:
    """UID, fingerprint, and the stamps that must move only when content does."""
    component.add("uid", uid)
    fingerprint = hashlib.sha256(component.to_ical()).hexdigest()[:16]
    before = earlier.get(uid)
    if before is not None and before.fingerprint == fingerprint:
        stamp, sequence = before.stamp, before.sequence
    else:
        stamp = now
        sequence = before.sequence + 1 if before is not None else 0
    component.add("dtstamp", stamp)
    component.add("last-modified", stamp)
    component.add("sequence", sequence)
    component.add(HASH_PROPERTY, fingerprint)


def _describe(career: CareerVault, followup: FollowUp) -> str:
    root = career.index.root
    what = followup.detail
    if followup.kind == "thank-you" and not followup.done:
        what = _thank_you_opening(career, followup) or what
    return f"{what}\n\nNote: {followup.path}\n{obsidian_url(root, followup.path)}"


def _thank_you_opening(career: CareerVault, followup: FollowUp) -> str | None:
    """The thank-you draft's subject and first lines, ready to adapt."""
    from vaultkit.outputs.drafts import thank_you_draft
    from vaultkit.outputs.templates import TemplateProblem

    interview = career.interview_at(followup.path)
    if interview is None or interview.contact is None:
        return None
    contact = career.contact_at(interview.contact.path)
    if contact is None or interview.start is None or interview.start.at is None:
        return None
    try:
        draft = thank_you_draft(career, contact, interview.start.at, interview)
    except TemplateProblem:
        return None  # a broken vault template must not break the calendar
    opening = "\n".join(draft.body.splitlines()[:3]).strip()
    return f"{followup.detail}\n\nSubject: {draft.subject}\n{opening}"


def _event(career: CareerVault, followup: FollowUp, zone: dt.tzinfo) -> Any:
    import icalendar

    event = icalendar.Event()
    event.add("summary", followup.title)
    if followup.kind == "interview" and isinstance(followup.due, dt.datetime):
        start = followup.due.astimezone(zone)
        end = (followup.end or followup.due + dt.timedelta(minutes=30)).astimezone(zone)
        event.add("dtstart", start)
        event.add("dtend", end)
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", followup.title)
        alarm.add("trigger", -ALARM_BEFORE)
        event.add_component(alarm)
    else:
        day = followup.due_day(zone)
        event.add("dtstart", day)
        event.add("dtend", day + dt.timedelta(days=1))
        event.add("transp", "TRANSPARENT")  # a reminder, not a meeting: shows you as free
    if followup.location:
        event.add("location", followup.location)
    event.add("description", _describe(career, followup))
    event.add("url", obsidian_url(career.index.root, followup.path))
    event.add("categories", [followup.kind])
    event.add("status", "CANCELLED" if followup.title.endswith("(cancelled)") else "CONFIRMED")
    return event


def _todo(career: CareerVault, followup: FollowUp, zone: dt.tzinfo) -> Any:
    import icalendar

    todo = icalendar.Todo()
    todo.add("summary", followup.title)
    todo.add("due", followup.due_day(zone))
    todo.add("status", "COMPLETED" if followup.done else "NEEDS-ACTION")
    todo.add("description", _describe(career, followup))
    todo.add("url", obsidian_url(career.index.root, followup.path))
    todo.add("categories", [followup.kind])
    return todo


def calendar_target(career: CareerVault, out: str | None) -> Path | None:
    """Where to write: ``--out`` (``-`` is stdout), else the configured path; always
    inside the vault."""
    root = career.index.root
    if out == "-":
        return None
    target = Path(os.path.abspath(out)) if out else root / career.index.config.calendar.path
    if not is_inside(target, root):
        raise UsageError(f"--out {out}: the calendar must be written inside the vault, or to -")
    return target


def write_calendar(
    career: CareerVault,
    followups: list[FollowUp],
    now: dt.datetime,
    *,
    out: str | None = None,
    todos: bool = False,
) -> CalendarResult:
    """Build the calendar and write it unless nothing changed."""
    target = calendar_target(career, out)
    # The written file is the memory of stamps and sequences, also for stdout.
    memory = target if target is not None else calendar_target(career, None)
    previous = None
    if memory is not None and memory.is_file():
        previous = memory.read_bytes().decode("utf-8", errors="replace")  # keep its CRLFs
    text, events, todo_count = build_calendar(
        career, followups, previous=previous, now=now, todos=todos
    )
    if target is None:
        return CalendarResult(None, text, True, events, todo_count)
    rel = Path(os.path.relpath(os.path.realpath(target), os.path.realpath(career.index.root)))
    rel = rel.as_posix()
    if previous == text:
        return CalendarResult(rel, text, False, events, todo_count)
    if not make_folder_inside(career.index.root, target.parent):
        raise UsageError(f"{rel}: its folder leads outside the vault; not written")
    write_atomic(target, text.encode("utf-8"))
    return CalendarResult(rel, text, True, events, todo_count)
