"""The calendar's memory: what the last written file said about each event,
the stamps an event is written with, and a watcher's cache of built events.

Clients re-import an event whose ``SEQUENCE`` or ``LAST-MODIFIED`` moved, so
those move only when the event's text does, and ``DTSTAMP`` with them. The
previous file is the memory: each event carries ``X-VAULTKIT-HASH``, a
fingerprint of its text, beside its stamps (`read_previous` reads them back).
A watcher keeps the same memory in a `FeedCache`, with a digest of the
`EventInputs` each event was rendered from and where its bytes are in the
file last written, so a save renders again only the events whose record
changed and copies the others from that file (read back only while it is
the file written), and the watcher holds no calendar's worth of text.
"""

from __future__ import annotations

import array
import bisect
import dataclasses
import datetime as dt
import functools
import hashlib
import io
import mmap
import os
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from vaultkit.domain.career import CareerVault
from vaultkit.domain.followups import FollowUp
from vaultkit.outputs import ics_text as ics
from vaultkit.outputs.ics_render import (
    EventInputs,
    FeedSettings,
    event_inputs,
    event_lines,
    event_years,
    uid_for,
)

if TYPE_CHECKING:
    from vaultkit.outputs.templates import TemplateSource
    from vaultkit.vault.config import Me

HASH_PROPERTY = "X-VAULTKIT-HASH"


@dataclass(frozen=True, slots=True)
class PreviousEvent:
    """What the last written file said about one UID."""

    fingerprint: str
    sequence: int
    stamp: dt.datetime


def read_previous(text: str | bytes) -> dict[str, PreviousEvent]:
    """UIDs, fingerprints, sequences and stamps of a file vaultkit wrote before
    (its text, or its bytes as read: then it need not be decoded first).

    Reads only our own layout (`stamped_component` writes these five lines
    first, in this order, each short enough never to be folded) with one
    regular expression: it runs on every write of a calendar that can hold
    tens of thousands of events. Anything else is simply treated as new.
    """
    if isinstance(text, bytes):
        matches = _PREVIOUS_EVENT_BYTES.findall(text)
        opening = _FIRST_EVENT_BYTES.match(text)
    else:
        matches = _PREVIOUS_EVENT.findall(text)
        opening = _FIRST_EVENT.match(text)
    if opening is not None:  # a text that starts with an event's UID line
        matches.insert(0, opening.groups())
    found: dict[str, PreviousEvent] = {}
    # Most events share the stamp of the write that last changed them: one
    # moment object each, parsed once.
    moments: dict[str | bytes, dt.datetime | None] = {}
    for uid, stamp, sequence, digest in matches:
        moment = moments.get(stamp, _UNPARSED)
        if moment is _UNPARSED:
            moment = moments[stamp] = _utc_moment(stamp)
        if moment is None:
            continue
        if isinstance(uid, bytes):
            uid, digest = uid.decode("utf-8", "replace"), digest.decode("ascii")
        found[uid] = PreviousEvent(digest, int(sequence), moment)  # type: ignore[arg-type]
    return found


def _utc_moment(stamp: str | bytes) -> dt.datetime | None:
    """``20261121T090000Z`` as a moment, or ``None`` when it names none."""
    try:
        return dt.datetime(
            int(stamp[0:4]),
            int(stamp[4:6]),
            int(stamp[6:8]),
            int(stamp[9:11]),
            int(stamp[11:13]),
            int(stamp[13:15]),
            tzinfo=dt.UTC,
        )
    except ValueError:
        return None


_UNPARSED: object = object()
# An event's five lines, from the line break before its UID (a literal start
# lets the search skip ahead instead of trying every line); `_FIRST_EVENT`
# reads one at the very start of the text, where no line break comes before.
_EVENT_LINES = (
    r"UID:([^\r\n]+)\r?\n"
    r"DTSTAMP:(\d{8}T\d{6}Z)\r?\n"
    r"LAST-MODIFIED:[^\r\n]*\r?\n"
    r"SEQUENCE:(\d+)\r?\n"
    rf"{HASH_PROPERTY}:([0-9a-f]+)\r?$"
)
_PREVIOUS_EVENT = re.compile("\n" + _EVENT_LINES, re.M)
_FIRST_EVENT = re.compile(_EVENT_LINES, re.M)
# The same over bytes; ``[0-9]`` for ``\d``, which in bytes means just that.
_EVENT_LINES_BYTES = _EVENT_LINES.replace(r"\d", "[0-9]").encode("ascii")
_PREVIOUS_EVENT_BYTES = re.compile(b"\n" + _EVENT_LINES_BYTES, re.M)
_FIRST_EVENT_BYTES = re.compile(_EVENT_LINES_BYTES, re.M)


def _years(inputs: EventInputs) -> tuple[int, ...]:
    """`event_years`, one tuple per distinct value: a watcher keeps one per
    timed event, and they are nearly all the same few."""
    years = event_years(inputs)
    return _YEARS.setdefault(years, years)


_YEARS: dict[tuple[int, ...], tuple[int, ...]] = {}


def fingerprint(uid: str, lines: list[str]) -> str:
    """What ``X-VAULTKIT-HASH`` holds: a digest of the component's text."""
    return hashlib.sha256("\n".join([uid, *lines]).encode("utf-8")).hexdigest()[:16]


def next_stamp(before: PreviousEvent | None, print_: str, now: dt.datetime) -> PreviousEvent:
    """The stamps to write a component with: those it was last written with
    while its fingerprint is the same, else ``now`` and the next sequence."""
    if before is not None and before.fingerprint == print_:
        return before
    sequence = before.sequence + 1 if before is not None else 0
    return PreviousEvent(print_, sequence, now)


def stamped_component(kind: str, uid: str, stamp: PreviousEvent, lines: list[str]) -> bytes:
    """A VEVENT or VTODO, its UID and stamps first (the layout `read_previous`
    reads), as UTF-8 with CRLF line ends."""
    when = _utc_text(stamp.stamp)
    head = (
        f"BEGIN:{kind}\r\n{ics.fold(f'UID:{ics.text(uid)}')}\r\n"
        f"DTSTAMP:{when}\r\nLAST-MODIFIED:{when}\r\n"
        f"SEQUENCE:{stamp.sequence}\r\n{HASH_PROPERTY}:{stamp.fingerprint}\r\n"
    )  # none of these but the UID can come near the 75 octets that fold a line
    return (head + ics.lines_to_text(lines) + f"END:{kind}\r\n").encode("utf-8")


@functools.lru_cache(maxsize=64)
def _utc_text(moment: dt.datetime) -> str:
    """A stamp as written: a calendar's events share a few dozen of them."""
    return ics.utc_datetime(moment)


class BuildSettings(NamedTuple):
    """What every record of one calendar is made with besides its follow-up
    and the notes a thank-you's draft is drawn from. The thank-you template
    is known here by its file's stamp: it is read only if a record needs it."""

    feed: FeedSettings
    template_stamp: object
    me: Me
    thank_you_within: str


class FeedCache:
    """What a watcher keeps between calendar builds, so a save re-renders only
    the events it touched, and keeps little per event: the file it wrote
    holds the events' bytes, and a save copies the unchanged ones from it.

    * ``by_uid``: per UID, the event last built (`CachedEvent`): a digest of
      the record it was rendered from, the stamps and fingerprint it was
      written with, and where its bytes are in ``file``;
    * ``objects``: the same events by follow-up object;
    * ``order`` and ``body``: the events' follow-ups and entries in file
      order, so a save that changed a few follow-ups moves only their events;
    * ``written``: the stamps last written; ``last_body`` and
      ``last_opening``, the entries and opening of the file last written, to
      tell an unchanged feed without comparing megabytes;
    * ``file``: the file last written (`WrittenFile`), which the events' bytes
      are copied from.
    """

    def __init__(self) -> None:
        self.by_uid: dict[str, CachedEvent] = {}
        self.written: dict[str, PreviousEvent] = {}
        self.objects: dict[int, CachedEvent] = {}
        self.settings: BuildSettings | None = None
        self.last_body: list[CachedEvent] | None = None
        self.last_opening: bytes | None = None
        self.order: list[FollowUp] | None = None
        self.body: list[CachedEvent] = []
        self.timed = 0
        self.years: Counter[int] = Counter()  # the local years of timed events' starts and ends
        self.file: WrittenFile | None = None
        self._numbers: list[int] = []  # 0, 1, 2, …: the entries' positions

    def finish(self, written: dict[str, PreviousEvent], objects: dict[int, CachedEvent]) -> None:
        """Keep only what this build used, so the cache never outgrows the feed."""
        self.by_uid = {entry.uid: entry for entry in objects.values()}
        self.written = written
        self.objects = objects

    def forget_bytes(self) -> None:
        """The file the events' bytes were in is gone (or not as written): keep
        only the stamps, so the next build renders every event again, with
        the stamps it had."""
        self.by_uid, self.objects = {}, {}
        self.order, self.body = None, []
        self.timed, self.years = 0, Counter()
        self.last_body = self.last_opening = None
        self.file = None

    def parts(self, opening: bytes, body: list[CachedEvent]) -> list[bytes | memoryview] | None:
        """The file's parts: ``opening``, the events (each run of events that
        lies together in the last file copied as one slice of it), the end.
        ``None`` when an event's bytes are only in a file that is gone."""
        old: memoryview | None = None
        starts = self.file.starts if self.file is not None else None
        parts: list[bytes | memoryview] = [opening]
        run_from = run_to = -1  # a run of positions in the last file
        for entry in body:
            data = entry.data
            if data is None:
                position = entry.position
                if position == run_to:
                    run_to += 1
                    continue
                if old is None:
                    assert self.file is not None and starts is not None
                    # A feed that is not written again is read, not mapped:
                    # its file stays where it is, open to any other program.
                    old = self.file.read(mapped=not self.unchanged(opening, body))
                    if old is None:
                        return None
                if run_to > run_from:
                    parts.append(old[starts[run_from] : starts[run_to]])  # type: ignore[index]
                run_from, run_to = position, position + 1
                continue
            if run_to > run_from:
                parts.append(old[starts[run_from] : starts[run_to]])  # type: ignore[index]
                run_from = run_to = -1
            parts.append(data)
        if run_to > run_from:
            parts.append(old[starts[run_from] : starts[run_to]])  # type: ignore[index]
        parts.append(CALENDAR_END)
        return parts

    def wrote(self, file: WrittenFile, opening: bytes, body: list[CachedEvent]) -> None:
        """``body`` is now in ``file``, after ``opening``: its entries let go
        of their bytes and remember their place in it instead."""
        before = self.file.starts if self.file is not None else array.array("q")
        # One array of the final size, and each entry's place one of the same
        # int objects each time: a save that grew arrays step by step, or made
        # tens of thousands of new ints (and dropped as many), would leave the
        # process's heap a little bigger each time.
        count = len(body)
        starts = array.array("q", bytes(8 * (count + 1)))
        numbers = self._numbers
        if len(numbers) < count:
            numbers.extend(range(len(numbers), count))
        offset = len(opening)
        for entry, number in zip(body, numbers, strict=False):  # numbers may be longer
            starts[number] = offset
            data = entry.data
            if data is None:
                offset += before[entry.position + 1] - before[entry.position]
            else:
                offset += len(data)
                entry.data = None
            entry.position = number
        starts[count] = offset
        file.starts = starts
        self.file = file

    def unchanged(self, opening: bytes, body: list[CachedEvent]) -> bool:
        """Whether ``opening`` and ``body`` are those last written (compared
        entry by entry, object by object)."""
        return (
            self.last_body is not None and self.last_opening == opening and self.last_body == body
        )


CALENDAR_END = b"END:VCALENDAR\r\n"


class WrittenFile:
    """A calendar file as vaultkit wrote it: where it may be (its staged name,
    then its place) and its identity then, so it is read back only while it
    is still that file; ``starts``: where each event of its body begins (and,
    last, where the body ends)."""

    __slots__ = ("identity", "names", "starts")

    def __init__(self, names: tuple[str, ...], identity: tuple[int, int, int, int]) -> None:
        self.names = names
        self.identity = identity
        self.starts: array.array[int] = array.array("q")

    def read(self, mapped: bool) -> memoryview | None:
        """Its bytes, or ``None`` when none of its names holds it any more
        (replaced, edited, removed).

        ``mapped``, for a file about to be replaced, where a file can be
        replaced while mapped (not on Windows): the file's own pages, mapped,
        so nothing is copied and nothing stays with the process once the new
        file is written (a ``bytes`` that size would be taken from the heap
        on every save after the first, and kept there). The system writes the
        new file from the map and reports a file shortened meanwhile as an
        error; the one reader in this process, a CalDAV push, comes after the
        file was replaced, when no program can open it by name to shorten it
        (a mapped file shortened under a reader would stop the process).
        Otherwise they are copied into memory of their own, given back as
        soon as they are let go."""
        size = self.identity[2]
        for name in self.names:
            try:
                fd = os.open(name, os.O_RDONLY | getattr(os, "O_BINARY", 0))
            except OSError:
                continue
            try:
                if file_identity(os.fstat(fd)) != self.identity:
                    continue
                if mapped and os.name != "nt":
                    data: memoryview | None = _mapped(fd, size)
                else:
                    data = _read_exactly(fd, size)
            except (OSError, ValueError):
                continue
            finally:
                os.close(fd)
            if data is not None:
                return data
        return None


def _mapped(fd: int, size: int) -> memoryview:
    """The open file's ``size`` bytes, mapped read-only (and paged in at once
    where the system can: the write reads them all)."""
    if size == 0:
        return memoryview(b"")
    flags = mmap.MAP_SHARED | getattr(mmap, "MAP_POPULATE", 0)
    mapped = mmap.mmap(fd, size, flags=flags, prot=mmap.PROT_READ)
    if os.fstat(fd).st_size != size:  # shortened as it was mapped
        mapped.close()
        raise ValueError("the file changed")
    return memoryview(mapped)


def _read_exactly(fd: int, size: int) -> memoryview | None:
    """``size`` bytes from the start of ``fd`` into memory of their own (an
    anonymous map, given back when released), or ``None`` if the file holds
    fewer or more."""
    if size == 0:
        return memoryview(b"")
    buffer = mmap.mmap(-1, size)
    view = memoryview(buffer)
    raw = io.FileIO(fd, closefd=False)  # unbuffered: straight into the map
    got = 0
    while got < size:
        count = raw.readinto(view[got:])
        if not count:
            return None  # shorter than it was
        got += count
    if raw.read(1):
        return None  # longer than it was
    return view


def file_identity(stat: os.stat_result) -> tuple[int, int, int, int]:
    """What tells one version of a file from another: a write replaces it
    (a new inode) or changes its size or time."""
    return (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)


def record_digest(inputs: EventInputs) -> int | EventInputs:
    """What an event keeps of the record it was rendered from, to tell
    whether a new record is the same: its hash, or the record itself when it
    has none (a thank-you's draft context is a dictionary). Two records of
    one UID that differ but hash alike would keep the old text: a 64-bit
    chance, as for the 64-bit fingerprint that decides the stamps."""
    try:
        return hash(inputs)
    except TypeError:
        return inputs


def same_record(kept: int | EventInputs, inputs: EventInputs) -> bool:
    if isinstance(kept, int):
        try:
            return kept == hash(inputs)
        except TypeError:
            return False
    return kept == inputs


class CachedEvent:
    """One follow-up object's event as last built: its stamps, a digest of
    its record (`record_digest`) and its bytes: ``data`` until they are
    written, then ``None`` and their ``position`` in the body of the cache's
    ``file``. Only where its bytes are ever changes: an event whose text or
    stamps change gets a new entry."""

    __slots__ = (
        "data",
        "followup",
        "position",
        "record",
        "settings",
        "stamp",
        "timed",
        "uid",
        "years",
    )

    def __init__(
        self,
        followup: FollowUp,
        settings: BuildSettings,  # the build's, compared by identity
        uid: str,
        record: int | EventInputs,
        stamp: PreviousEvent,  # with the fingerprint of its text
        timed: bool,
        years: tuple[int, ...],
        data: bytes | None,
        position: int = -1,
    ) -> None:
        self.followup = followup
        self.settings = settings
        self.uid = uid
        self.record = record
        self.stamp = stamp
        self.timed = timed
        self.years = years
        self.data = data
        self.position = position


@dataclass(frozen=True, slots=True)
class EventBuilder:
    """Builds one calendar's events through a `FeedCache`.

    A follow-up object met again under the same ``settings`` keeps the record
    it was built with: the follow-up cache makes a new object whenever its
    interview or contact changes. (What the draft shows of an organization's
    or a suggested person's note, which only a vault's own thank-you template
    quotes, is looked at only when the record is built anew.) ``earlier``
    holds the stamps last written, ``written`` receives this build's. With
    ``own_bytes`` every event returned holds its bytes (to-dos are
    interleaved with the events, so no run of the last file fits).
    """

    career: CareerVault
    cache: FeedCache
    settings: BuildSettings
    template: Callable[[], TemplateSource | None]
    earlier: dict[str, PreviousEvent]
    written: dict[str, PreviousEvent]
    stamp_now: dt.datetime
    own_bytes: bool = False

    def inputs(self, followup: FollowUp) -> EventInputs:
        return event_inputs(self.career, followup, self.settings.feed, self.template)

    def event(self, followup: FollowUp) -> CachedEvent:
        """The follow-up's event, its text rendered again only when its record
        changed and stamped anew only when its text did."""
        return self.event_and_inputs(followup)[0]

    def event_and_inputs(self, followup: FollowUp) -> tuple[CachedEvent, EventInputs | None]:
        """`event`, and the record it was made from when it had to be made
        (``None`` when the object's event stood as it was)."""
        cache = self.cache
        entry = cache.objects.get(id(followup))
        inputs: EventInputs | None = None
        if entry is not None and entry.followup is followup and entry.settings is self.settings:
            if self.earlier.get(entry.uid) is entry.stamp and (
                entry.data is not None or not self.own_bytes
            ):
                # Nothing about this event changed: its bytes, stamps and all, stand.
                self.written[entry.uid] = entry.stamp
                return entry, None
            uid = entry.uid
            if not isinstance(entry.record, int):
                inputs = entry.record  # the record it was built with, kept whole
        else:
            uid = uid_for(followup)
        if inputs is None:
            inputs = self.inputs(followup)
        known = cache.by_uid.get(uid)
        lines: list[str] | None = None
        if known is not None and same_record(known.record, inputs):
            record = known.record  # one record per event, not one per build
            is_timed, print_ = known.timed, known.stamp.fingerprint
        else:
            record = record_digest(inputs)
            lines, is_timed = event_lines(inputs)
            print_ = fingerprint(uid, lines)
        stamp = next_stamp(self.earlier.get(uid), print_, self.stamp_now)
        self.written[uid] = stamp
        data: bytes | None
        position = -1
        if (
            known is not None
            and known.stamp is stamp
            and (known.data is not None or not self.own_bytes)
        ):
            data, position = known.data, known.position
        else:
            if lines is None:
                lines = event_lines(inputs)[0]
            data = stamped_component("VEVENT", uid, stamp, lines)
        years = _years(inputs) if is_timed else ()
        entry = CachedEvent(
            followup, self.settings, uid, record, stamp, is_timed, years, data, position
        )
        cache.by_uid[uid] = entry
        return entry, inputs

    def fresh_event(self, followup: FollowUp) -> tuple[CachedEvent, EventInputs]:
        """An event built without the object memory, with its bytes and the
        record it was rendered from (to-dos interleave with events, and are
        rendered from the same record)."""
        saved = self.cache.objects
        self.cache.objects = {}
        try:
            entry, inputs = dataclasses.replace(self, own_bytes=True).event_and_inputs(followup)
        finally:
            self.cache.objects = saved
        assert inputs is not None and entry.data is not None
        return entry, inputs

    def todo(self, followup: FollowUp, lines: list[str]) -> bytes:
        """The follow-up's VTODO (``--todos``: never cached, always rendered)."""
        uid = uid_for(followup, "todo")
        stamp = next_stamp(self.earlier.get(uid), fingerprint(uid, lines), self.stamp_now)
        self.written[uid] = stamp
        return stamped_component("VTODO", uid, stamp, lines)

    def move_events(
        self,
        delta: tuple[list[FollowUp], list[FollowUp]],
        shown: Callable[[FollowUp], bool],
    ) -> bool:
        """Apply a watcher's delta to the last build: drop the events of
        follow-ups taken out, render and insert those put in, in the same
        places the follow-up list put them. False if an event to drop is not
        where its sort key says (the delta does not belong to this build)."""
        cache = self.cache
        order, body = cache.order, cache.body
        assert order is not None
        zone = self.settings.feed.zone

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
            entry = self.event(followup)
            cache.objects[id(followup)] = entry
            position = bisect.bisect_right(order, sort_key(followup), key=sort_key)
            order.insert(position, followup)
            body.insert(position, entry)
            cache.timed += entry.timed
            cache.years.update(entry.years)
            added.add(entry.uid)
        for uid in gone:
            if uid not in added:
                cache.written.pop(uid, None)
                cache.by_uid.pop(uid, None)
        return True
