"""RFC 5545 text, written directly: escaping, line folding, dates.

The calendar writes tens of thousands of events on a large vault; building
each through icalendar's object model cost ~0.6 ms an event (20 s for a
10,000-note vault), so vaultkit writes the few property types it uses
itself, following RFC 5545 §3.1 (folding at 75 octets, CRLF) and §3.3.11
(TEXT escaping). The output is checked against three independent parsers in
the tests. icalendar still provides the VTIMEZONE rules.
"""

from __future__ import annotations

import datetime as dt
import re

CRLF = "\r\n"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # no control characters but TAB in TEXT
_PARAM_UNSAFE = re.compile(r'[\x00-\x1f\x7f";:,]')
# Anything `text` changes: most titles and paths hold none of it.
_TEXT_SPECIAL = re.compile(r"[\\;,\x00-\x08\x0a-\x1f\x7f]")


def text(value: str) -> str:
    """A TEXT value: backslash, semicolon and comma escaped, line breaks as ``\\n``,
    other control characters dropped, so no value can start a new property."""
    if _TEXT_SPECIAL.search(value) is None:
        return value
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return _CONTROL.sub("", value)


def param(value: str) -> str:
    """A parameter value (a TZID): characters that would end it are removed."""
    return _PARAM_UNSAFE.sub("", value)


def uri(value: str) -> str:
    """A URI value: no escaping in iCalendar, so nothing that could break a line."""
    return _CONTROL.sub("", value).replace("\n", "").replace("\r", "")


# The formats below are written out by hand for four-digit years (an
# f-string is several times cheaper than strftime, and a calendar formats
# tens of thousands of dates); strftime keeps the platform's own way of
# writing an earlier year, so the bytes never depend on which path ran.


def date(day: dt.date) -> str:
    if day.year < 1000:
        return day.strftime("%Y%m%d")
    return f"{day.year}{day.month:02d}{day.day:02d}"


def local_datetime(moment: dt.datetime) -> str:
    """Wall time, for use with a TZID parameter."""
    if moment.year < 1000:
        return moment.strftime("%Y%m%dT%H%M%S")
    return (
        f"{moment.year}{moment.month:02d}{moment.day:02d}"
        f"T{moment.hour:02d}{moment.minute:02d}{moment.second:02d}"
    )


def utc_datetime(moment: dt.datetime) -> str:
    moment = moment.astimezone(dt.UTC)
    if moment.year < 1000:
        return moment.strftime("%Y%m%dT%H%M%SZ")
    return (
        f"{moment.year}{moment.month:02d}{moment.day:02d}"
        f"T{moment.hour:02d}{moment.minute:02d}{moment.second:02d}Z"
    )


def duration(span: dt.timedelta) -> str:
    """``-PT30M``, ``PT1H``: days, hours, minutes, seconds as needed."""
    seconds = int(span.total_seconds())
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    days, seconds = divmod(seconds, 86400)
    hours, seconds = divmod(seconds, 3600)
    minutes, seconds = divmod(seconds, 60)
    out = f"{sign}P" + (f"{days}D" if days else "")
    clock = (
        (f"{hours}H" if hours else "")
        + (f"{minutes}M" if minutes else "")
        + (f"{seconds}S" if seconds else "")
    )
    if clock or not days:
        out += "T" + (clock or "0S")
    return out


def fold(line: str) -> str:
    """Fold a content line at 75 octets (continuations start with a space),
    never inside a UTF-8 character."""
    if line.isascii():  # one octet a character: cut the text itself
        if len(line) <= 75:
            return line
        return (CRLF + " ").join([line[:75], *(line[i : i + 74] for i in range(75, len(line), 74))])
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts = []
    start = 0
    limit = 75
    while start < len(encoded):
        end = min(start + limit, len(encoded))
        while end < len(encoded) and (encoded[end] & 0xC0) == 0x80:  # a continuation byte
            end -= 1
        parts.append(encoded[start:end].decode("utf-8"))
        start = end
        limit = 74  # the leading space counts
    return (CRLF + " ").join(parts)


def lines_to_text(lines: list[str]) -> str:
    """Content lines, folded, each ended by CRLF."""
    if not lines:
        return ""
    # Most lines are short and ASCII: tested here, without a call each.
    return (
        CRLF.join([line if len(line) <= 75 and line.isascii() else fold(line) for line in lines])
        + CRLF
    )
