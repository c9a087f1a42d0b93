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

import bisect
import dataclasses
import datetime as dt
import functools
import hashlib
import os
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from vaultkit import __version__, progress
from vaultkit.atomic import StagedWrite, write_atomic
from vaultkit.domain.career import CareerVault
from vaultkit.domain.followups import FollowUp, after_elapsed
from vaultkit.errors import UsageError
from vaultkit.notes import values
from vaultkit.notes.values import zone_name
from vaultkit.outputs import ics_text as ics
from vaultkit.outputs.links import obsidian_url
from vaultkit.outputs.vtimezone import vtimezone_lines
from vaultkit.safepath import is_inside, make_folder_inside

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
HASH_PROPERTY = "X-VAULTKIT-HASH"


@dataclass(frozen=True, slots=True)
class PreviousEvent:
    """What the last written file said about one UID."""

    fingerprint: str
    sequence: int
    stamp: dt.datetime


@dataclass(frozen=True)
class CalendarResult:
    path: str | None  # vault-relative; None when written to stdout
    parts: list[bytes]  # UTF-8, CRLF line ends: the file is their concatenation
    changed: bool
    events: int
    todos: int
    # With ``stage``: the new file, written and synced but not yet in place.
    staged: StagedWrite | None = None

    @property
    def data(self) -> bytes:
        return b"".join(self.parts)

    @property
    def text(self) -> str:
        return self.data.decode("utf-8")


def uid_for(followup: FollowUp, component: str = "event") -> str:
    """``<hash>-<kind>@vaultkit``: from the note's id (else path) and the rule,
    hashed so any id is safe in a UID and no path leaks into it."""
    return _uid(followup.key, followup.kind, component)


def _uid(key: str, kind: str, component: str) -> str:
    digest = hashlib.sha256(f"{key}\x1f{kind}".encode()).hexdigest()[:20]
    suffix = "-todo" if component == "todo" else ""
    return f"{digest}-{kind}{suffix}@vaultkit"


def read_previous(text: str) -> dict[str, PreviousEvent]:
    """UIDs, fingerprints, sequences and stamps of a file vaultkit wrote before.

    Reads only our own layout (`_component` writes these five lines first, in
    this order, each short enough never to be folded) with one regular
    expression: it runs on every write of a calendar that can hold tens of
    thousands of events. Anything else is simply treated as new.
    """
    found: dict[str, PreviousEvent] = {}
    for match in _PREVIOUS_EVENT.finditer(text):
        stamp = match["stamp"]
        try:
            moment = dt.datetime(
                int(stamp[0:4]),
                int(stamp[4:6]),
                int(stamp[6:8]),
                int(stamp[9:11]),
                int(stamp[11:13]),
                int(stamp[13:15]),
                tzinfo=dt.UTC,
            )
        except ValueError:
            continue
        found[match["uid"]] = PreviousEvent(match["hash"], int(match["sequence"]), moment)
    return found


_PREVIOUS_EVENT = re.compile(
    r"^UID:(?P<uid>[^\r\n]+)\r?\n"
    r"DTSTAMP:(?P<stamp>\d{8}T\d{6}Z)\r?\n"
    r"LAST-MODIFIED:[^\r\n]*\r?\n"
    r"SEQUENCE:(?P<sequence>\d+)\r?\n"
    rf"{HASH_PROPERTY}:(?P<hash>[0-9a-f]+)\r?$",
    re.M,
)


class FeedCache:
    """What a watcher keeps between calendar builds, so a save re-renders only
    the events it touched:

    * ``by_uid``: per UID, the event last built: what it was built from (a
      hash of its signature), its fingerprint, the stamps it was written with
      and its finished bytes (UTF-8: a third of a ``str`` holding one
      accented name);
    * ``objects``: the same events by follow-up object;
    * ``order`` and ``body``: the events' follow-ups and bytes in file order,
      so a save that changed a few follow-ups moves only their events;
    * ``written``: the stamps last written, and ``last_body`` to tell an
      unchanged feed without hashing megabytes.
    """

    def __init__(self) -> None:
        self.by_uid: dict[str, _Entry] = {}
        self.written: dict[str, PreviousEvent] = {}
        self.objects: dict[int, _Entry] = {}
        self.settings: tuple[object, ...] | None = None
        self.last_body: list[bytes] | None = None
        self.order: list[FollowUp] | None = None
        self.body: list[bytes] = []
        self.timed = 0
        self.years: Counter[int] = Counter()  # the local years of timed events' starts and ends

    def finish(self, written: dict[str, PreviousEvent], objects: dict[int, _Entry]) -> None:
        """Keep only what this build used, so the cache never outgrows the feed."""
        self.by_uid = {entry.uid: entry for entry in objects.values()}
        self.written = written
        self.objects = objects


@dataclass(frozen=True, slots=True)
class _Entry:
    """One follow-up object's event as last built."""

    followup: FollowUp
    settings: tuple[object, ...]
    uid: str
    signature: int
    fingerprint: str
    stamp: PreviousEvent
    data: bytes
    timed: bool
    years: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class _Build:
    """What rendering one event needs, fixed for a whole build."""

    career: CareerVault
    cache: FeedCache
    settings: tuple[object, ...]
    template_stamp: object
    earlier: dict[str, PreviousEvent]
    written: dict[str, PreviousEvent]
    stamp_now: dt.datetime
    zone: dt.tzinfo
    zone_id: str
    alarm_before: dt.timedelta

    def event(self, followup: FollowUp) -> _Entry:
        """The follow-up's event, its text re-rendered only when its signature
        changed and re-stamped only when its content did."""
        cache = self.cache
        entry = cache.objects.get(id(followup))
        if entry is not None and entry.followup is followup and entry.settings is self.settings:
            if self.earlier.get(entry.uid) is entry.stamp:
                # Nothing about this event changed: its bytes, stamps and all, stand.
                self.written[entry.uid] = entry.stamp
                return entry
            uid, signature = entry.uid, entry.signature
        else:
            uid = uid_for(followup)
            # A hash, not the tuple: a watcher keeps one per event (tens of thousands).
            signature = hash(
                (_signature(self.career, followup, self.template_stamp), self.settings)
            )
        known = cache.by_uid.get(uid)
        lines: list[str] | None = None
        if known is not None and known.signature == signature:
            is_timed, fingerprint = known.timed, known.fingerprint
        else:
            lines, is_timed = _event_lines(
                self.career, followup, self.zone, self.zone_id, self.alarm_before
            )
            fingerprint = _fingerprint(uid, lines)
        rebuild = (self.career, followup, self.zone, self.zone_id, self.alarm_before)
        stamp, data = _component(
            "VEVENT",
            lines,
            uid,
            fingerprint,
            self.earlier,
            self.stamp_now,
            self.written,
            (known.stamp, known.data) if known is not None else None,
            rebuild,
        )
        years = _years(followup, self.zone) if is_timed else ()
        entry = _Entry(
            followup, self.settings, uid, signature, fingerprint, stamp, data, is_timed, years
        )
        cache.by_uid[uid] = entry
        return entry


def build_calendar(
    career: CareerVault,
    followups: list[FollowUp],
    *,
    previous: str | None,
    now: dt.datetime,
    todos: bool = False,
    cache: FeedCache | None = None,
    delta: tuple[list[FollowUp], list[FollowUp]] | None = None,
) -> tuple[list[bytes], int, int]:
    """The calendar's parts (UTF-8, to be joined), and how many events and
    to-dos it holds.

    ``delta`` (a watcher's): the follow-ups taken out of and put into the list
    since the last build with this ``cache``, each put in by `bisect.insort`
    on `FollowUp.sort_key`. Only their events are then rendered and moved.
    """
    config = career.index.config
    zone = config.zone
    zone_id = zone_name(zone)
    keep_done = config.followups.include_done
    refresh = values.span(config.calendar.refresh_every) or REFRESH
    alarm = values.span(config.calendar.alarm_before)
    alarm_before = ALARM_BEFORE if alarm is None else alarm
    cache = cache if cache is not None else FeedCache()
    template_stamp = _template_stamp(career)
    settings = (zone_id, alarm_before, template_stamp, config.me)
    same_settings = cache.settings == settings
    if same_settings:
        settings = cache.settings  # the same object, so entries compare by identity
    cache.settings = settings
    moving = delta is not None and same_settings and not todos and cache.order is not None
    if moving or cache.written:
        earlier = cache.written  # moving events updates these stamps in place
    else:
        earlier = read_previous(previous) if previous else {}
    header = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{ics.text(PRODID)}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"NAME:{ics.text(config.calendar.name)}",
        f"X-WR-CALNAME:{ics.text(config.calendar.name)}",
        f"X-WR-TIMEZONE:{ics.text(zone_id)}",
        f"REFRESH-INTERVAL;VALUE=DURATION:{ics.duration(refresh)}",
        f"X-PUBLISHED-TTL:{ics.duration(refresh)}",
    ]
    build = _Build(
        career,
        cache,
        settings,
        template_stamp,
        earlier,
        earlier if moving else {},
        now.astimezone(dt.UTC).replace(microsecond=0),
        zone,
        zone_id,
        alarm_before,
    )

    def shown(followup: FollowUp) -> bool:
        return not followup.done or keep_done or followup.kind == "interview"

    todo_count = 0
    if moving:
        try:
            moved = _move_events(build, delta, shown)  # type: ignore[arg-type]
        except BaseException:
            cache.order = None  # half moved: the next build starts over
            raise
        if not moved:  # the last build does not match the list: build all
            moving = False
            build = dataclasses.replace(build, written={})
    if not moving:
        objects: dict[int, _Entry] = {}
        order: list[FollowUp] = []
        body: list[bytes] = []
        timed = 0
        years: Counter[int] = Counter()
        for followup in followups:
            if not shown(followup):
                continue
            entry = build.event(followup) if not todos else _fresh_event(build, followup)
            objects[id(followup)] = entry
            order.append(followup)
            body.append(entry.data)
            timed += entry.timed
            years.update(entry.years)
            if todos and followup.kind != "interview":
                todo_uid = uid_for(followup, "todo")
                todo_lines = _todo_lines(career, followup, zone)
                body.append(
                    _component(
                        "VTODO",
                        todo_lines,
                        todo_uid,
                        _fingerprint(todo_uid, todo_lines),
                        earlier,
                        build.stamp_now,
                        build.written,
                        None,
                    )[1]
                )
                todo_count += 1
        cache.finish(build.written, objects)
        if todos:
            cache.order, cache.body, cache.timed, cache.years = None, [], 0, Counter()
            # No component at all is not a valid calendar: an empty one keeps its zone.
            timezone = _vtimezone(zone, zone_id, years) if timed or not body else ""
            opening = (ics.lines_to_text(header) + timezone).encode("utf-8")
            return [opening, *body, b"END:VCALENDAR\r\n"], len(order), todo_count
        cache.order, cache.body, cache.timed, cache.years = order, body, timed, years
    timezone = _vtimezone(zone, zone_id, cache.years) if cache.timed or not cache.body else ""
    opening = (ics.lines_to_text(header) + timezone).encode("utf-8")
    return [opening, *cache.body, b"END:VCALENDAR\r\n"], len(cache.body), todo_count


def _fresh_event(build: _Build, followup: FollowUp) -> _Entry:
    """An event built without the object memory (to-dos interleave with events)."""
    saved = build.cache.objects
    build.cache.objects = {}
    try:
        return build.event(followup)
    finally:
        build.cache.objects = saved


def _move_events(
    build: _Build,
    delta: tuple[list[FollowUp], list[FollowUp]],
    shown: Callable[[FollowUp], bool],
) -> bool:
    """Apply a watcher's delta to the last build: drop the events of follow-ups
    taken out, render and insert those put in, in the same places the
    follow-up list put them. False if an event to drop is not where its sort
    key says (the delta does not belong to this build)."""
    cache = build.cache
    order, body = cache.order, cache.body
    assert order is not None
    zone = build.zone

    def sort_key(followup: FollowUp) -> tuple[dt.datetime, int, str, str]:
        return followup.sort_key(zone)

    dropped, fresh = delta
    gone: list[str] = []
    for followup in dropped:
        entry = cache.objects.pop(id(followup), None)
        if entry is None or entry.followup is not followup:
            if shown(followup):
                return False  # it should be in the last build: that build is not this list's
            continue  # not in the feed (done)
        position = bisect.bisect_left(order, sort_key(followup), key=sort_key)
        while position < len(order) and order[position] is not followup:
            position += 1
        if position == len(order):
            return False
        del order[position]
        del body[position]
        cache.timed -= entry.timed
        cache.years.subtract(entry.years)
        gone.append(entry.uid)
    added: set[str] = set()
    for followup in fresh:
        if not shown(followup):
            continue
        entry = build.event(followup)
        cache.objects[id(followup)] = entry
        position = bisect.bisect_right(order, sort_key(followup), key=sort_key)
        order.insert(position, followup)
        body.insert(position, entry.data)
        cache.timed += entry.timed
        cache.years.update(entry.years)
        added.add(entry.uid)
    for uid in gone:
        if uid not in added:
            cache.written.pop(uid, None)
            cache.by_uid.pop(uid, None)
    return True


def _signature(
    career: CareerVault, followup: FollowUp, template_stamp: object
) -> tuple[object, ...]:
    """Everything an event's text depends on, compared instead of re-rendering.
    A thank-you's description quotes the draft, so the notes and template it
    is drawn from count too (a changed file is a new Note object)."""
    signature: tuple[object, ...] = (
        followup.kind,
        followup.title,
        followup.due,
        followup.end,
        followup.location,
        _detail(followup),
        followup.done,
        followup.path,
        followup.cancelled,
        tuple(followup.candidates),
    )
    if followup.kind == "thank-you" and not followup.done:
        interview = career.interview_at(followup.path)
        contact = (
            career.contact_at(interview.contact.path) if interview and interview.contact else None
        )
        # The organization's current note (a contact kept from an earlier pass
        # may hold the one it was read with).
        organization = (
            career.index.notes.get(contact.organization.path or "")
            if contact and contact.organization
            else None
        )
        notes = (
            interview.note if interview else None,
            contact.note if contact else None,
            organization,
        )
        signature += (tuple(id(n) for n in notes), template_stamp, career.index.config.me)
    return signature


def _template_stamp(career: CareerVault) -> object:
    """Changes when the vault's own thank-you template does."""
    config = career.index.config
    path = career.index.root / config.folders.templates / "thank-you.md"
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size)


def _fingerprint(uid: str, lines: list[str]) -> str:
    return hashlib.sha256("\n".join([uid, *lines]).encode("utf-8")).hexdigest()[:16]


def _component(
    kind: str,
    lines: list[str] | None,
    uid: str,
    fingerprint: str,
    earlier: dict[str, PreviousEvent],
    now: dt.datetime,
    written: dict[str, PreviousEvent],
    known: tuple[PreviousEvent, bytes] | None,
    rebuild: tuple[object, ...] | None = None,
) -> tuple[PreviousEvent, bytes]:
    """A VEVENT or VTODO with its UID, a fingerprint of its content, and the
    stamps that move only when the content does. ``known`` (the stamps and
    bytes it was last built with) is reused while its stamps stand; ``lines``
    are rebuilt (from ``rebuild``) only when it must be written anew."""
    before = earlier.get(uid)
    if before is not None and before.fingerprint == fingerprint:
        current = before
    else:
        sequence = before.sequence + 1 if before is not None else 0
        current = PreviousEvent(fingerprint, sequence, now)
    written[uid] = current
    if known is not None and known[0] is current:
        data = known[1]
    else:
        if lines is None:
            lines = _event_lines(*rebuild)[0]  # type: ignore[arg-type, misc]
        stamped = [
            f"BEGIN:{kind}",
            f"UID:{ics.text(uid)}",
            f"DTSTAMP:{ics.utc_datetime(current.stamp)}",
            f"LAST-MODIFIED:{ics.utc_datetime(current.stamp)}",
            f"SEQUENCE:{current.sequence}",
            f"{HASH_PROPERTY}:{fingerprint}",
            *lines,
            f"END:{kind}",
        ]
        data = ics.lines_to_text(stamped).encode("utf-8")
    return current, data


def _vtimezone(zone: dt.tzinfo, zone_id: str, years: Counter[int]) -> str:
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


def _years(followup: FollowUp, zone: dt.tzinfo) -> tuple[int, ...]:
    """The local years a timed event's start and end fall in."""
    assert isinstance(followup.due, dt.datetime)
    start = followup.due.astimezone(zone).year
    end = (followup.end or followup.due).astimezone(zone).year
    return (start,) if end == start else (start, end)


def _detail(followup: FollowUp) -> str:
    """What the event says the follow-up is. A task's says which note holds it
    but not at which line: a line added above it must not change the event
    (and re-upload it with a new SEQUENCE)."""
    if followup.kind == "task":
        return f"A task in {followup.path}."
    return followup.detail


def _moment(name: str, moment: dt.datetime, zone: dt.tzinfo, tzid: str) -> str:
    """``DTSTART``/``DTEND`` as wall time in the zone, or in UTC when that wall
    time happens twice (the night the clocks go back): parsers then disagree
    on which of the two it means, and a one-hour event could read as zero."""
    local = moment.astimezone(zone)
    if local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset():
        return f"{name}:{ics.utc_datetime(local)}"
    return f"{name};TZID={tzid}:{ics.local_datetime(local)}"


def _describe(career: CareerVault, followup: FollowUp) -> str:
    root = career.index.root
    what = _detail(followup)
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


def _event_lines(
    career: CareerVault,
    followup: FollowUp,
    zone: dt.tzinfo,
    zone_id: str,
    alarm_before: dt.timedelta,
) -> tuple[list[str], bool]:
    """The event's content lines (unfolded), and whether it is timed."""
    lines = [f"SUMMARY:{ics.text(followup.title)}"]
    timed = followup.kind == "interview" and isinstance(followup.due, dt.datetime)
    if timed:
        assert isinstance(followup.due, dt.datetime)
        end = followup.end or after_elapsed(followup.due, dt.timedelta(minutes=30))
        tzid = ics.param(zone_id)
        lines += [
            _moment("DTSTART", followup.due, zone, tzid),
            _moment("DTEND", end, zone, tzid),
        ]
    else:
        day = followup.due_day(zone)
        lines += [
            f"DTSTART;VALUE=DATE:{ics.date(day)}",
            f"DTEND;VALUE=DATE:{ics.date(day + dt.timedelta(days=1))}",
            "TRANSP:TRANSPARENT",
        ]  # a reminder, not a meeting: it keeps you free
    if followup.location:
        lines.append(f"LOCATION:{ics.text(followup.location)}")
    lines += [
        f"DESCRIPTION:{ics.text(_describe(career, followup))}",
        f"URL:{ics.uri(obsidian_url(career.index.root, followup.path))}",
        f"CATEGORIES:{ics.text(followup.kind)}",
        "STATUS:" + ("CANCELLED" if followup.cancelled else "CONFIRMED"),
    ]
    if timed:
        lines += [
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            f"DESCRIPTION:{ics.text(followup.title)}",
            f"TRIGGER:{ics.duration(-alarm_before)}",
            "END:VALARM",
        ]
    return lines, timed


def _todo_lines(career: CareerVault, followup: FollowUp, zone: dt.tzinfo) -> list[str]:
    return [
        f"SUMMARY:{ics.text(followup.title)}",
        f"DUE;VALUE=DATE:{ics.date(followup.due_day(zone))}",
        "STATUS:" + ("COMPLETED" if followup.done else "NEEDS-ACTION"),
        f"DESCRIPTION:{ics.text(_describe(career, followup))}",
        f"URL:{ics.uri(obsidian_url(career.index.root, followup.path))}",
        f"CATEGORIES:{ics.text(followup.kind)}",
    ]


def calendar_target(career: CareerVault, out: str | None) -> Path | None:
    """Where to write: ``--out`` (``-`` is stdout), else the configured path.

    Always inside the vault, never a note (``.md``), and never over a file
    that is not a calendar vaultkit wrote: a mistyped path must not replace
    something the user made.
    """
    root = career.index.root
    if out == "-":
        return None
    target = Path(os.path.abspath(out)) if out else root / career.index.config.calendar.path
    shown = out or career.index.config.calendar.path
    if not is_inside(target, root):
        raise UsageError(f"{shown}: the calendar must be written inside the vault, or to -")
    if target.suffix.lower() == ".md":
        raise UsageError(f"{shown}: that is a note's name; the calendar goes in an .ics file")
    if target.is_dir():
        raise UsageError(f"{shown} is a folder; name the .ics file to write")
    if target.exists() and not _written_by_vaultkit(target):
        raise UsageError(f"{shown} exists and is not a calendar vaultkit wrote; not replaced")
    return target


def _written_by_vaultkit(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            head = handle.read(512)
    except OSError:
        return False
    return head.startswith(b"BEGIN:VCALENDAR") and b"PRODID:-//vaultkit//" in head


@progress.tracked("Writing the calendar")
def write_calendar(
    career: CareerVault,
    followups: list[FollowUp],
    now: dt.datetime,
    *,
    out: str | None = None,
    todos: bool = False,
    cache: FeedCache | None = None,
    delta: tuple[list[FollowUp], list[FollowUp]] | None = None,
    stage: bool = False,
) -> CalendarResult:
    """Build the calendar and write it unless nothing changed. With ``stage``
    it is only written under a temporary name, for the caller to put in place
    (``result.staged.commit()``); "unchanged" then means unchanged from the
    last one staged.

    The file on disk is the memory of stamps and sequences (also when printing
    to stdout). A watcher passes its `FeedCache`, which remembers them and a
    digest of what it wrote, so the file is read back only on its first pass.
    """
    target = calendar_target(career, out)
    previous = None
    previous_data = None
    memory = target if target is not None else calendar_target(career, None)
    remembered = cache is not None and cache.written
    if not remembered and memory is not None and memory.is_file():
        previous_data = memory.read_bytes()
        previous = previous_data.decode("utf-8", errors="replace")  # keep its CRLFs
    last_body = cache.last_body if cache is not None else None
    parts, events, todo_count = build_calendar(
        career, followups, previous=previous, now=now, todos=todos, cache=cache, delta=delta
    )
    if target is None:
        return CalendarResult(None, parts, True, events, todo_count)
    rel = Path(os.path.relpath(os.path.realpath(target), os.path.realpath(career.index.root)))
    rel = rel.as_posix()
    # The same parts as the file last written (compared object by object, so
    # tens of thousands of unchanged events cost no byte comparison).
    unchanged = (previous_data is not None and previous_data == b"".join(parts)) or (
        last_body is not None and last_body == parts and target.is_file()
    )
    if unchanged:
        return CalendarResult(rel, parts, False, events, todo_count)
    if cache is not None:
        cache.last_body = None  # until written: a failed write is tried again
    if not make_folder_inside(career.index.root, target.parent):
        raise UsageError(f"{rel}: its folder leads outside the vault; not written")
    staged = StagedWrite(target, parts) if stage else None
    if staged is None:
        write_atomic(target, parts)
    if cache is not None:
        cache.last_body = parts
    return CalendarResult(rel, parts, True, events, todo_count, staged)
