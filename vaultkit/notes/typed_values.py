"""Reading typed values out of front-matter text, the way a person meant them.

Every scalar arrives as the string the person typed (see `yaml_text`), so this
module decides what ``2026-11-25 14:00``, ``90d`` or ``no`` mean for the key
they belong to. A value that cannot be read raises `ValueProblem` with a
message fit for a user; callers turn it into a diagnostic naming file, line
and key, and never fall back to a guessed date.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo


class ValueProblem(ValueError):
    """A value that does not mean anything for its key; the text says what was expected."""


_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DATETIME = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})[T ]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?"
    r"\s*(Z|[+-]\d{2}(?::?\d{2})?)?$",
    re.IGNORECASE,
)
_CADENCE = re.compile(r"^(\d+)\s*(d|days?|w|weeks?|m|months?|y|years?)$", re.IGNORECASE)
_MINUTES = re.compile(r"^(?:(\d+)\s*h(?:ours?)?)?\s*(?:(\d+)\s*(?:m|min|mins|minutes?)?)?$", re.I)
_OFF_WORDS = frozenset({"no", "off", "false", "never", "none", "n", "0"})


def text(value: object) -> str | None:
    """Free text: strings as typed; a list is joined (``role: [PM, UX]``); empty is None."""
    if type(value) is str:  # nearly every value: the general case below gives the same
        return value.strip() or None
    if value is None:
        return None
    if isinstance(value, list):
        parts = [text(item) for item in value]
        joined = ", ".join(part for part in parts if part)
        return joined or None
    if isinstance(value, dict):
        raise ValueProblem("expected text, found a nested mapping")
    result = str(value).strip()
    return result or None


def text_list(value: object) -> list[str]:
    """A list of texts, accepting a single text too (``aliases: Jay``)."""
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    result = []
    for item in items:
        if isinstance(item, list):  # an unquoted [[x]] inside aliases
            result.extend(text_list(item))
        elif (item_text := text(item)) is not None:
            result.append(item_text)
    return result


_SINGLE_LINK = re.compile(r"^\[\[([^\[\]|#]+)(?:[|#][^\[\]]*)?\]\]$")


def _unlinked(raw: str) -> str:
    """``[[2026-11-18]]`` (a link to a daily note) means the date it names."""
    if not raw.startswith("[["):
        return raw
    match = _SINGLE_LINK.match(raw)
    return match.group(1).strip() if match else raw


def date(value: object) -> dt.date | None:
    """A calendar date: ``2026-11-25``, or a link to that daily note; a date-time
    keeps only its date."""
    raw = text(value)
    if raw is None:
        return None
    return _date_of(raw)


@functools.lru_cache(maxsize=4096)
def _date_of(raw: str) -> dt.date:
    """`date` of a text. Kept once read: a vault writes the same few hundred
    days over and over, and a date is immutable. A text that is no date raises
    each time (nothing is kept for it)."""
    raw = _unlinked(raw)
    match = _DATE.match(raw) or _DATETIME.match(raw)
    if match is None:
        raise ValueProblem(f"{raw!r} is not a date; write it as YYYY-MM-DD")
    year, month, day = (int(part) for part in match.groups()[:3])
    _check_year(raw, year)
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise ValueProblem(f"{raw!r} is not a real date ({exc})") from None


FIRST_YEAR, LAST_YEAR = 1900, 2200


def _check_year(raw: str, year: int) -> None:
    """Years a career search can mean; outside them a typo (``0226``), and at
    the edges of Python's calendar, arithmetic across zones would overflow."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueProblem(f"{raw!r}: the year {year} is out of range ({FIRST_YEAR}-{LAST_YEAR})")


@dataclass(frozen=True, slots=True)
class When:
    """A point in time as a note gives it: a date-time with its zone, or only a day.

    ``at`` is aware (offset from the note, else the vault's zone); it is None
    when the note gave a date without a time, which callers report rather than
    inventing a time of day.
    """

    day: dt.date
    at: dt.datetime | None
    ambiguous: bool = False
    skipped: bool = False  # a wall time the clocks skip, read with the offset before the gap
    # For an ambiguous or skipped wall time, the two offsets the vault's zone
    # could give it (first and second; before and after the gap).
    offsets: tuple[dt.timedelta, dt.timedelta] | None = None

    def wall_time(self) -> str:
        """The wall time as the note wrote it, ``2026-11-01 01:30``."""
        assert self.at is not None
        first = self.offsets[0] if self.offsets else self.at.utcoffset() or dt.timedelta(0)
        return self.at.astimezone(dt.timezone(first)).strftime("%Y-%m-%d %H:%M")


def offset_text(offset: dt.timedelta) -> str:
    """``-04:00``, ``+10:30``: an offset as a note writes it."""
    sign = "-" if offset < dt.timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def when(value: object, zone: dt.tzinfo, skipped_ok: bool = False) -> When | None:
    """Read an interview's start: ``2026-11-25T14:00``, ``2026-11-25 14:00``,
    with seconds, ``Z`` or an offset (``-08:00``), or a bare date.

    A wall time the vault's zone skips (clocks jump forward) is a problem,
    unless ``skipped_ok`` (a note already written): it then reads as RFC 5545
    reads it, with the offset before the gap (02:30 is 03:30 summer time), and
    is flagged ``skipped``. One it passes twice (clocks go back) reads as the
    first and is flagged ``ambiguous``. Either way the caller can say so.
    """
    raw = text(value)
    if raw is None:
        return None
    raw = _unlinked(raw)
    if _DATE.match(raw):
        return When(date(raw), None)  # type: ignore[arg-type]
    match = _DATETIME.match(raw)
    if match is None:
        raise ValueProblem(f"{raw!r} is not a date-time; write it as YYYY-MM-DD HH:MM")
    year, month, day, hour, minute = (int(part) for part in match.groups()[:5])
    second = int(match.group(6) or 0)
    offset = match.group(7)
    _check_year(raw, year)
    try:
        tz = _offset(offset) if offset else zone
        at = dt.datetime(year, month, day, hour, minute, second, tzinfo=tz)
    except ValueError as exc:
        raise ValueProblem(f"{raw!r} is not a real date-time ({exc})") from None
    if offset:
        return When(at.date(), at)
    if at.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) != at.replace(tzinfo=None):
        if skipped_ok:  # the same instant as a wall time that exists (compares right)
            offsets = (at.utcoffset(), at.replace(fold=1).utcoffset())
            real = at.astimezone(dt.UTC).astimezone(zone)
            return When(at.date(), real, skipped=True, offsets=offsets)  # type: ignore[arg-type]
        raise ValueProblem(
            f"{raw!r} does not exist in {zone_name(zone)}: the clocks skip that hour; "
            "pick another time or add an offset"
        )
    second = at.replace(fold=1).utcoffset()
    if second != at.utcoffset():
        return When(at.date(), at, True, offsets=(at.utcoffset(), second))  # type: ignore[arg-type]
    return When(at.date(), at)


def _offset(text_offset: str) -> dt.tzinfo:
    if text_offset.upper() == "Z":
        return dt.UTC
    sign = -1 if text_offset[0] == "-" else 1
    digits = text_offset[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if hours > 23 or minutes > 59:
        raise ValueError(f"offset {text_offset} out of range")
    return dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))


@dataclass(frozen=True, slots=True)
class Cadence:
    """How often to reconnect: a count of days, weeks, months or years.

    Months stay months (``3m`` from 31 January is 30 April, not 91 days later),
    which is what a person writing ``3m`` expects.
    """

    count: int
    unit: str  # "days", "weeks", "months", "years"

    def __str__(self) -> str:
        return f"{self.count}{self.unit[0]}"

    def after(self, start: dt.date) -> dt.date:
        if self.unit == "days":
            return start + dt.timedelta(days=self.count)
        if self.unit == "weeks":
            return start + dt.timedelta(weeks=self.count)
        months = self.count * (12 if self.unit == "years" else 1)
        month_index = start.month - 1 + months
        year, month = start.year + month_index // 12, month_index % 12 + 1
        return dt.date(year, month, min(start.day, _days_in_month(year, month)))


def _days_in_month(year: int, month: int) -> int:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return (following - dt.timedelta(days=1)).day


OFF = "off"


def cadence(value: object) -> Cadence | str | None:
    """``90d``, ``8w``, ``3m``, ``1y`` (or spelled out); ``no``/``off`` give `OFF`."""
    raw = text(value)
    if raw is None:
        return None
    if raw.lower() in _OFF_WORDS:
        return OFF
    match = _CADENCE.match(raw)
    if match is None:
        raise ValueProblem(f"{raw!r} is not a cadence; write e.g. 90d, 8w, 3m or no")
    count = int(match.group(1))
    unit = {"d": "days", "w": "weeks", "m": "months", "y": "years"}[match.group(2)[0].lower()]
    if count == 0:
        return OFF
    if count > _CADENCE_LIMITS[unit]:
        raise ValueProblem(f"{raw!r} is longer than ten years")
    return Cadence(count, unit)


_CADENCE_LIMITS = {"days": 3660, "weeks": 522, "months": 120, "years": 10}


def minutes(value: object) -> int | None:
    """A duration in minutes: ``30``, ``45 min``, ``1h``, ``1h30``."""
    raw = text(value)
    if raw is None:
        return None
    match = _MINUTES.match(raw)
    if match is None or not (match.group(1) or match.group(2)):
        raise ValueProblem(f"{raw!r} is not a duration; write minutes, e.g. 30")
    total = int(match.group(1) or 0) * 60 + int(match.group(2) or 0)
    if total <= 0 or total > 24 * 60:
        raise ValueProblem(f"{raw!r} is not a duration between 1 minute and 24 hours")
    return total


_SPAN = re.compile(r"^(\d+)\s*(min|mins|minutes?|h|hours?|d|days?|w|weeks?)$", re.IGNORECASE)
_SPAN_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
MAX_SPAN = dt.timedelta(days=3660)


def span(value: object) -> dt.timedelta | None:
    """A length of time such as ``24h``, ``48 hours``, ``2d``, ``2w`` or ``90min``,
    up to ten years. A bare ``m`` is refused: in a cadence it means months."""
    raw = text(value)
    if raw is None:
        return None
    match = _SPAN.match(raw)
    if match is None:
        raise ValueProblem(f"{raw!r} is not a length of time; write e.g. 24h, 2d, 2w or 90min")
    unit = _SPAN_UNITS[match.group(2)[0].lower()]
    count = int(match.group(1))
    if count > MAX_SPAN / dt.timedelta(**{unit: 1}):
        raise ValueProblem(f"{raw!r} is longer than ten years")
    return dt.timedelta(**{unit: count})


_SEPARATORS = re.compile(r"[\s_]+")


def choice(
    value: object, allowed: tuple[str, ...], aliases: dict[str, str] | None = None
) -> str | None:
    """A value from a fixed set, read leniently: ``Keep in touch`` → ``keep-in-touch``."""
    raw = text(value)
    if raw is None:
        return None
    normal = _SEPARATORS.sub("-", raw.strip().lower())
    normal = (aliases or {}).get(normal, normal)
    if normal not in allowed:
        raise ValueProblem(f"{raw!r} is not one of: {', '.join(allowed)}")
    return allowed[allowed.index(normal)]  # the one string, not one per note (a watcher keeps them)


def zone_name(zone: dt.tzinfo) -> str:
    """The IANA name of a zone when it has one, for JSON and the calendar."""
    if isinstance(zone, ZoneInfo):
        return zone.key
    return str(zone)
