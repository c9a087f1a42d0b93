"""A VTIMEZONE that every calendar parser reads the same, from ``zoneinfo``.

icalendar's ``Timezone.from_tzinfo`` lists all of a rule's changes in one
``RDATE`` line, and several parsers (ical.js in Thunderbird, vobject and so
Radicale, ts-ics) read only its first date: for them daylight-saving time
stopped after the first year. So the zone is written as Google's and Apple's
exports write it: one yearly ``RRULE`` per run of years in which a change
follows a rule ("2nd Sunday of March at 02:00"), and for the changes that
follow none, one ``RDATE`` per line.

The rules cover a window of years that the caller chooses (the years of the
feed's events and the years around them); a rule still in force at the end of
the window is left open-ended, as zoneinfo itself carries it on. So the file
changes only when an event moves the window's start, never with the date.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
from dataclasses import dataclass

_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_STEP = dt.timedelta(days=7)  # no zone changes its clocks twice within a week


@dataclass(frozen=True, slots=True)
class _State:
    offset: dt.timedelta
    daylight: bool
    name: str


@dataclass(frozen=True, slots=True)
class _Change:
    at: dt.datetime  # UTC
    before: _State
    after: _State

    @property
    def onset(self) -> dt.datetime:
        """The local wall time at which it happens, on the clock before it (RFC 5545 §3.6.5)."""
        return (self.at + self.before.offset).replace(tzinfo=None)


def _state(zone: dt.tzinfo, moment: dt.datetime) -> _State:
    local = moment.astimezone(zone)
    return _State(local.utcoffset() or dt.timedelta(0), bool(local.dst()), local.tzname() or "UTC")


def _changes(zone: dt.tzinfo, first: dt.datetime, last: dt.datetime) -> list[_Change]:
    """Every change of offset, daylight flag or name between two UTC instants,
    found by stepping and then bisecting to the second."""
    found = []
    moment, state = first, _state(zone, first)
    while moment < last:
        following = moment + _STEP
        after = _state(zone, following)
        if after != state:
            low, high = moment, following
            while high - low > dt.timedelta(seconds=1):
                middle = low + (high - low) / 2
                middle = middle.replace(microsecond=0)
                if _state(zone, middle) == state:
                    low = middle
                else:
                    high = middle
            found.append(_Change(high, state, after))
            state = after
        moment = following
    return found


def _rule_keys(onset: dt.datetime) -> list[tuple[object, ...]]:
    """The yearly rules an onset fits: nth weekday, last weekday, fixed day."""
    keys: list[tuple[object, ...]] = [
        ("byday", onset.month, onset.time(), f"{(onset.day - 1) // 7 + 1}{_DAYS[onset.weekday()]}")
    ]
    if onset.day + 7 > calendar.monthrange(onset.year, onset.month)[1]:
        keys.append(("byday", onset.month, onset.time(), f"-1{_DAYS[onset.weekday()]}"))
    keys.append(("bymonthday", onset.month, onset.time(), str(onset.day)))
    return keys


def _runs(changes: list[_Change]) -> tuple[list[tuple[tuple[object, ...], list[_Change]]], list]:
    """Split one kind of change (same offsets and name) into yearly runs that
    follow a rule, and the changes left over."""
    runs: list[tuple[tuple[object, ...], list[_Change]]] = []
    singles: list[_Change] = []
    index = 0
    while index < len(changes):
        best: tuple[tuple[object, ...], int] | None = None
        for key in _rule_keys(changes[index].onset):
            end = index
            while (
                end + 1 < len(changes)
                and changes[end + 1].onset.year == changes[end].onset.year + 1
                and key in _rule_keys(changes[end + 1].onset)
            ):
                end += 1
            if best is None or end > best[1]:
                best = (key, end)
        assert best is not None
        key, end = best
        if end > index:
            runs.append((key, changes[index : end + 1]))
        else:
            singles.append(changes[index])
        index = end + 1
    return runs, singles


def _offset(span: dt.timedelta) -> str:
    seconds = int(span.total_seconds())
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{sign}{hours:02d}{minutes:02d}" + (f"{seconds:02d}" if seconds else "")


def _local(moment: dt.datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%S")


def _observance(
    before: _State, after: _State, start: dt.datetime, extra: list[str]
) -> tuple[dt.datetime, list[str]]:
    kind = "DAYLIGHT" if after.daylight else "STANDARD"
    return start, [
        f"BEGIN:{kind}",
        f"DTSTART:{_local(start)}",
        *extra,
        f"TZNAME:{after.name}",
        f"TZOFFSETFROM:{_offset(before.offset)}",
        f"TZOFFSETTO:{_offset(after.offset)}",
        f"END:{kind}",
    ]


@functools.lru_cache(maxsize=16)
def vtimezone_lines(zone: dt.tzinfo, tzid: str, first_year: int, last_year: int) -> list[str]:
    """The VTIMEZONE's content lines (unfolded, none longer than a few dozen
    characters), right from 1 January of ``first_year`` to the end of
    ``last_year`` and, for the rules in force then, beyond."""
    start = dt.datetime(first_year, 1, 1)
    initial = _state(zone, start.replace(tzinfo=zone))
    first = (start - initial.offset).replace(tzinfo=dt.UTC)
    last = dt.datetime(last_year + 1, 1, 1, tzinfo=dt.UTC)
    observances = [_observance(initial, initial, start, [])]
    groups: dict[tuple[object, ...], list[_Change]] = {}
    for change in _changes(zone, first, last):
        key = (change.before.offset, change.after)
        groups.setdefault(key, []).append(change)
    for changes in groups.values():
        runs, singles = _runs(changes)
        for (kind, month, _time, value), run in runs:
            by = f"BYDAY={value}" if kind == "byday" else f"BYMONTHDAY={value}"
            rule = f"RRULE:FREQ=YEARLY;BYMONTH={month};{by}"
            if run[-1].onset.year < last_year:  # else still in force: open-ended
                # In UTC, as RFC 5545 asks, but a day past the last change:
                # vobject compares UNTIL with the local onset, which east of
                # UTC is later than the instant, and would drop that year.
                until = run[-1].at + dt.timedelta(days=1)
                rule += f";UNTIL={until.strftime('%Y%m%dT%H%M%SZ')}"
            observances.append(_observance(run[0].before, run[0].after, run[0].onset, [rule]))
        if singles:
            dates = [f"RDATE:{_local(change.onset)}" for change in singles[1:]]
            observances.append(
                _observance(singles[0].before, singles[0].after, singles[0].onset, dates)
            )
    observances.sort(key=lambda item: item[0])
    lines = ["BEGIN:VTIMEZONE", f"TZID:{tzid}", f"X-LIC-LOCATION:{tzid}"]
    for _start, observance in observances:
        lines += observance
    lines.append("END:VTIMEZONE")
    return lines
