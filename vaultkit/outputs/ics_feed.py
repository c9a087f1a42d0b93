"""The follow-ups as an RFC 5545 calendar file that Google, Apple, Outlook
and Thunderbird accept: where it goes, how it is built, and its write.

The calendar is built from three parts: `ics_render` renders the text (an
event from a record of what it shows), `feed_stamps` keeps the stamps
(``DTSTAMP`` stays put while an event does not change; ``SEQUENCE`` and
``LAST-MODIFIED`` move when it does) and a watcher's cache of built events,
and this module puts them together and writes the file.

* Done follow-ups leave the feed (configurable), except interviews, which stay
  as the record of when you met.
* The file is always inside the vault, never over something vaultkit did not
  write, replaced atomically, and not at all when nothing changed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from vaultkit import progress
from vaultkit.atomic import StagedWrite
from vaultkit.domain.career import CareerVault
from vaultkit.domain.followups import FollowUp
from vaultkit.errors import UsageError
from vaultkit.notes import typed_values
from vaultkit.notes.typed_values import zone_name
from vaultkit.outputs import ics_text as ics
from vaultkit.outputs.feed_stamps import (
    CALENDAR_END,
    BuildSettings,
    CachedEvent,
    EventBuilder,
    FeedCache,
    WrittenFile,
    file_identity,
    read_previous,
)
from vaultkit.outputs.ics_render import (
    ALARM_BEFORE,
    REFRESH,
    FeedSettings,
    calendar_header,
    todo_lines,
    vtimezone,
)
from vaultkit.safepath import is_inside, make_folder_inside

if TYPE_CHECKING:
    from vaultkit.outputs.templates import TemplateSource


@dataclass(frozen=True)
class CalendarResult:
    path: str | None  # vault-relative; None when written to stdout
    # UTF-8, CRLF line ends: the file is their concatenation (with a watcher's
    # cache, some are views of the file written before, holding its runs of
    # unchanged events)
    parts: list[bytes]
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


def build_calendar(
    career: CareerVault,
    followups: list[FollowUp],
    *,
    previous: str | bytes | None,
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
    refresh = typed_values.span(config.calendar.refresh_every) or REFRESH
    alarm = typed_values.span(config.calendar.alarm_before)
    alarm_before = ALARM_BEFORE if alarm is None else alarm
    cache = cache if cache is not None else FeedCache()
    settings = BuildSettings(
        FeedSettings(career.index.root, zone, zone_id, alarm_before),
        _template_stamp(career),
        config.me,
        config.followups.thank_you_within,
    )
    same_settings = cache.settings == settings
    if same_settings:
        # The same objects, so entries and records compare by identity.
        settings = cache.settings  # type: ignore[assignment]
    cache.settings = settings
    moving = delta is not None and same_settings and not todos and cache.order is not None
    if moving or cache.written:
        earlier = cache.written  # moving events updates these stamps in place
    else:
        earlier = read_previous(previous) if previous else {}
    header = calendar_header(config.calendar.name, zone_id, refresh)
    build = EventBuilder(
        career,
        cache,
        settings,
        _thank_you_template(career),
        earlier,
        earlier if moving else {},
        now.astimezone(dt.UTC).replace(microsecond=0),
    )

    def shown(followup: FollowUp) -> bool:
        return not followup.done or keep_done or followup.kind == "interview"

    todo_count = 0
    if moving:
        try:
            moved = build.move_events(delta, shown)  # type: ignore[arg-type]
        except BaseException:
            cache.order = None  # half moved: the next build starts over
            raise
        if not moved:  # the last build does not match the list: build all
            moving = False
            build = dataclasses.replace(build, written={})
    if not moving:
        objects: dict[int, CachedEvent] = {}
        order: list[FollowUp] = []
        body: list[CachedEvent] = []
        chunks: list[bytes] = []  # with to-dos: the components, in file order
        timed = 0
        years: Counter[int] = Counter()
        for followup in followups:
            if not shown(followup):
                continue
            if todos:
                entry, inputs = build.fresh_event(followup)
                chunks.append(entry.data)  # type: ignore[arg-type]
                if followup.kind != "interview":
                    chunks.append(build.todo(followup, todo_lines(inputs)))
                    todo_count += 1
            else:
                entry = build.event(followup)
                body.append(entry)
            objects[id(followup)] = entry
            order.append(followup)
            if entry.timed:
                timed += 1
                years.update(entry.years)
        cache.finish(build.written, objects)
        if todos:
            cache.order, cache.body, cache.timed, cache.years = None, [], 0, Counter()
            # No component at all is not a valid calendar: an empty one keeps its zone.
            timezone = vtimezone(zone, zone_id, years) if timed or not chunks else ""
            opening = (ics.lines_to_text(header) + timezone).encode("utf-8")
            return [opening, *chunks, CALENDAR_END], len(order), todo_count
        cache.order, cache.body, cache.timed, cache.years = order, body, timed, years
    timezone = vtimezone(zone, zone_id, cache.years) if cache.timed or not cache.body else ""
    opening = (ics.lines_to_text(header) + timezone).encode("utf-8")
    parts = cache.parts(opening, cache.body)
    if parts is None:
        # The unchanged events' bytes were in a file that is not there as
        # written any more: render them all again, with the stamps kept.
        cache.forget_bytes()
        return build_calendar(
            career, followups, previous=None, now=now, todos=todos, cache=cache, delta=None
        )
    return parts, len(cache.body), todo_count  # type: ignore[return-value]


def _template_stamp(career: CareerVault) -> object:
    """Changes when the vault's own thank-you template does (or its folder)."""
    config = career.index.config
    path = career.index.root / config.folders.templates / "thank-you.md"
    try:
        stat = path.stat()
    except OSError:
        return None
    return (config.folders.templates, stat.st_mtime_ns, stat.st_size)


def _thank_you_template(career: CareerVault) -> Callable[[], TemplateSource | None]:
    """The thank-you template, read on first use and then kept for the build;
    ``None`` when the vault's own cannot be used."""

    @functools.cache
    def template() -> TemplateSource | None:
        from vaultkit.outputs.templates import TemplateProblem, find_template

        folder = career.index.config.folders.templates
        try:
            return find_template("thank-you.md", career.index.root, folder)
        except TemplateProblem:
            return None  # a broken vault template must not break the calendar

    return template


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
    to stdout). A watcher passes its `FeedCache`, which remembers them and
    where each event is in the file it wrote: the stamps are read from the
    file only on its first pass, and each later one copies the unchanged
    events from the file it wrote last.
    """
    target = calendar_target(career, out)
    previous_data = None
    previous_identity = None
    memory = target if target is not None else calendar_target(career, None)
    remembered = cache is not None and cache.written
    if not remembered and memory is not None and memory.is_file():
        previous_data, previous_identity = _read_with_identity(memory)  # bytes: not decoded
    parts, events, todo_count = build_calendar(
        career, followups, previous=previous_data, now=now, todos=todos, cache=cache, delta=delta
    )
    if target is None:
        return CalendarResult(None, parts, True, events, todo_count)
    rel = Path(os.path.relpath(os.path.realpath(target), os.path.realpath(career.index.root)))
    rel = rel.as_posix()
    opening = parts[0]
    kept = cache if cache is not None and not todos else None  # a cache that keeps events
    # The same parts as the file last written (compared entry by entry, so
    # tens of thousands of unchanged events cost no byte comparison).
    if previous_data is not None and previous_data == b"".join(parts):
        if kept is not None and previous_identity is not None and memory == target:
            # That file holds these events as they are: their bytes can go.
            kept.wrote(WrittenFile((str(target),), previous_identity), opening, kept.body)
        return CalendarResult(rel, parts, False, events, todo_count)
    if kept is not None and kept.unchanged(opening, kept.body) and target.is_file():
        return CalendarResult(rel, parts, False, events, todo_count)
    if cache is not None:
        cache.last_body = None  # until written: a failed write is tried again
    if not make_folder_inside(career.index.root, target.parent):
        raise UsageError(f"{rel}: its folder leads outside the vault; not written")
    staged = StagedWrite(target, parts)  # type: ignore[arg-type]
    names = (staged.tmp_name, str(target)) if stage else (str(target),)
    if not stage:
        staged.commit()  # as `write_atomic` does; the staged write tells what it wrote
    if kept is not None:
        kept.wrote(WrittenFile(names, file_identity(staged.written)), opening, kept.body)
        kept.last_body, kept.last_opening = list(kept.body), opening
    return CalendarResult(rel, parts, True, events, todo_count, staged if stage else None)


def _read_with_identity(path: Path) -> tuple[bytes | None, tuple[int, int, int, int] | None]:
    """The file's bytes and the identity of the version they were read from."""
    try:
        with open(path, "rb") as handle:
            identity = file_identity(os.fstat(handle.fileno()))
            data = handle.read()
    except OSError:
        return None, None
    return data, identity if len(data) == identity[2] else None
