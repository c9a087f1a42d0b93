"""Read one message's header block into a `MessageHeaders` record.

Mail in the wild is not what RFC 5322 says: headers in raw UTF-8 or latin-1,
encoded words with charsets nobody has heard of, ``To:`` lines with
unquoted commas in names, dates without a zone or in a format from 1985,
lines without a colon. A scan of ten years of mail must not stop at any of
them, so this parser is hand-written and lenient: it reads only the headers
`MessageHeaders` needs, turns what it cannot read into ``problems`` and
never raises. The standard library is used where it is lenient too
(`email.utils.parsedate_to_datetime` for dates, the ``email.policy.default`` header
parser for encoded words); `email.header.decode_header` is not, as it
raises on a bad base64 word or an unknown charset.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from email.headerregistry import HeaderRegistry
from email.utils import parsedate_to_datetime
from typing import BinaryIO

from vaultkit.mailbox.message import MessageHeaders

MAX_HEADER_BYTES = 1024 * 1024  # a header block is cut here; real ones are under 100 KB
_CHUNK = 8 * 1024  # most header blocks fit in one read
_QUOTE = 60  # characters of a bad value quoted in a problem

# Only these headers are looked at; every other line is skipped undecoded.
_WANTED = frozenset(
    {
        "from",
        "to",
        "cc",
        "date",
        "message-id",
        "in-reply-to",
        "references",
        "subject",
        "list-id",
        "list-unsubscribe",
        "precedence",
        "auto-submitted",
        "x-autoreply",
        "x-autorespond",
        "content-type",
        "return-path",
    }
)
_MULTI = frozenset({"to", "cc"})  # every occurrence counts; for the rest, the first

_BLANK_LINE = re.compile(rb"\n\r?\n")
_NAME = re.compile(rb"[!-9;-~]+")  # printable ASCII but the colon (RFC 5322 ftext)
_WHITESPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SPECIAL = re.compile(r'["()\\:]')  # what only the careful address splitter handles
_SEPARATOR = re.compile(r"[,;]")
_ANGLED = re.compile(r"<([^<>]*)>")
_ADDRESS = re.compile(r"[^@\s<>()\[\],;:\"\ue000-\ue002]+@[^@\s<>()\[\],;:\"\ue000-\ue002]+")

# Out-of-office replies in the languages mail clients ship them in: at the
# start of the subject, compared case-folded.
_AUTOMATIC_SUBJECTS = tuple(
    s.casefold()
    for s in (
        "Out of office",
        "Out of the office",
        "Automatic reply",
        "Auto reply",
        "Auto-reply",
        "Autoreply",
        "Abwesenheitsnotiz",
        "Automatische Antwort",
        "Réponse automatique",
        "Absence du bureau",
        "Respuesta automática",
        "Risposta automatica",
        "Automatisch antwoord",
        "Autosvar",
        "Automaattinen vastaus",
    )
)
_BOUNCE_SENDERS = frozenset({"mailer-daemon", "postmaster"})

# Zone names `parsedate_tz` does not know that European and Japanese mailers
# write; ambiguous ones (IST, CST outside the US) are left out on purpose.
_EXTRA_ZONES = {
    "CET": 1,
    "CEST": 2,
    "MET": 1,
    "MEST": 2,
    "EET": 2,
    "EEST": 3,
    "WET": 0,
    "WEST": 1,
    "BST": 1,
    "JST": 9,
}
_ZONE_WORD = re.compile(r"(?<![\w+-])([A-Za-z]{3,4})\s*(?:\(.*)?$")
_LEAP_SECOND = re.compile(r"(?<=\d:\d\d):60(?!\d)")  # 23:59:60, which datetime cannot hold
_MINUS_ZERO = re.compile(r"(?<!\d)-0000(?!\d)")

_REGISTRY = HeaderRegistry()

# Stand-ins for the characters of a quoted display name that would make it
# look like an address; put back when the name is quoted in a problem.
_MASK = {"@": "\ue000", "<": "\ue001", ">": "\ue002"}
_UNMASK = str.maketrans({v: k for k, v in _MASK.items()})


def header_block(stream: BinaryIO, limit: int = MAX_HEADER_BYTES) -> bytes:
    """The header block at the start of ``stream``: the bytes before the first
    blank line (LF or CRLF), read in chunks so a message body is never read
    whole. Cut at ``limit`` bytes; a stream without a blank line gives all it
    has. The stream is left somewhere after the block."""
    block, _ = read_header_block(stream, limit)
    return block


def read_header_block(stream: BinaryIO, limit: int = MAX_HEADER_BYTES) -> tuple[bytes, bool]:
    """`header_block`, and whether it was cut at ``limit`` bytes, so the
    caller can say so in the record's problems."""
    buffer = bytearray()
    while len(buffer) < limit:
        chunk = stream.read(_CHUNK)
        if not chunk:
            return bytes(buffer), False
        start = max(0, len(buffer) - 2)
        buffer += chunk
        if buffer.startswith((b"\n", b"\r\n")):
            return b"", False
        found = _BLANK_LINE.search(buffer, start)
        if found:
            end = found.start() + 1
            if end > limit:
                return bytes(buffer[:limit]), True
            return bytes(buffer[:end]), False
    return bytes(buffer[:limit]), True


def parse_headers(raw: bytes, *, folder: str = "", where: str = "") -> MessageHeaders:
    """The record for a message whose header block is ``raw`` (anything after
    the first blank line is ignored, so a whole message will do too). Never
    raises: what cannot be read is left out and named in ``problems``."""
    problems: list[str] = []
    fields = _fields(raw, problems)

    from_addresses = _addresses("From", fields.get("from", []), problems)
    to_addresses = _addresses("To", fields.get("to", []), problems)
    cc_addresses = _addresses("Cc", fields.get("cc", []), problems)
    subject = _subject(_first(fields, "subject"))
    date = _date(fields.get("date"), problems)

    return MessageHeaders(
        message_id=_message_id(_first(fields, "message-id")),
        date=date,
        from_addresses=from_addresses,
        to_addresses=_unique(to_addresses + cc_addresses),
        subject=subject,
        in_reply_to=_message_ids(_first(fields, "in-reply-to")),
        references=_message_ids(_first(fields, "references")),
        mailing_list=_is_mailing_list(fields),
        automatic=_is_automatic(fields, subject),
        bounce=_is_bounce(fields, from_addresses),
        folder=folder,
        where=where,
        problems=tuple(problems),
    )


# -- the header block, split into fields ----------------------------------


def _fields(raw: bytes, problems: list[str]) -> dict[str, list[str]]:
    """The wanted headers, unfolded and decoded (UTF-8, else latin-1), by
    lower-case name. Lines that are not headers are counted in one problem."""
    fields: dict[str, list[str]] = {}
    bad_lines: list[bytes] = []
    for name, value in _unfolded(raw, bad_lines):
        key = name.lower()
        if key in _WANTED and (key in _MULTI or key not in fields):
            fields.setdefault(key, []).append(_text(value))
    if bad_lines:
        first = _quote(_text(bad_lines[0]))
        if len(bad_lines) == 1:
            problems.append(f"a header line that is not a header was ignored: {first}")
        else:
            problems.append(
                f"{len(bad_lines)} header lines that are not headers were ignored "
                f"(the first: {first})"
            )
    return fields


def _unfolded(raw: bytes, bad_lines: list[bytes]) -> Iterator[tuple[str, bytes]]:
    """(name, raw value) for each header of the block, continuation lines
    joined to the header they continue."""
    name = ""
    parts: list[bytes] = []
    first_line = True
    for line in raw.split(b"\n"):
        line = line.rstrip(b"\r")
        if not line.strip(b" \t"):
            if line:  # whitespace only: a folded nothing, or garbage; not the end
                continue
            break  # the blank line: the body starts here
        if line[:1] in (b" ", b"\t"):
            if name:
                parts.append(line)
            else:
                bad_lines.append(line)
            continue
        if first_line and line.startswith(b"From "):  # an mbox envelope line
            first_line = False
            continue
        first_line = False
        if name:
            yield name, b" ".join(parts)
            name, parts = "", []
        head, colon, value = line.partition(b":")
        head = head.rstrip(b" \t")  # "Subject : x", obsolete but seen
        if not colon or not _NAME.fullmatch(head):
            bad_lines.append(line)
            continue
        name, parts = head.decode("ascii"), [value]
    if name:
        yield name, b" ".join(parts)


def _text(value: bytes) -> str:
    """Header bytes as text: UTF-8 when they are, else latin-1 (which
    cannot fail and is what 8-bit Western headers mostly are)."""
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return value.decode("latin-1")


def _first(fields: dict[str, list[str]], key: str) -> str:
    values = fields.get(key)
    return values[0] if values else ""


def _quote(text: str) -> str:
    text = _WHITESPACE.sub(" ", _CONTROL.sub(" ", text)).strip()
    if len(text) > _QUOTE:
        text = text[: _QUOTE - 1] + "…"
    return f'"{text}"'


def _unique(items: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


# -- subject ----------------------------------------------------------------


def _subject(value: str) -> str:
    """The subject on one line, encoded words decoded."""
    if "=?" in value:
        value = _decoded_words(value)
    return _WHITESPACE.sub(" ", _CONTROL.sub(" ", value)).strip()


def _decoded_words(value: str) -> str:
    """RFC 2047 encoded words decoded by the standard library's lenient
    parser (bad base64 and unknown charsets become defects, not errors);
    should even that fail, the text as it came."""
    try:
        return str(_REGISTRY("subject", value))
    except Exception:  # the parser is private code; a scan must not stop at it
        return value


# -- addresses --------------------------------------------------------------


def _addresses(label: str, values: list[str], problems: list[str]) -> tuple[str, ...]:
    """Bare lower-case addresses of every ``values`` header; mailboxes that
    hold no address (``Doe`` from an unquoted ``Doe, Jane <…>``) are named in
    one problem."""
    found: list[str] = []
    not_addresses: list[str] = []
    for value in values:
        for candidate in _mailboxes(value):
            if _ADDRESS.fullmatch(candidate):
                found.append(candidate.lower())
            elif candidate and candidate.lower() not in _BOUNCE_SENDERS:
                not_addresses.append(candidate)
    if not_addresses:
        shown = ", ".join(_quote(c) for c in not_addresses[:3])
        more = f" and {len(not_addresses) - 3} more" if len(not_addresses) > 3 else ""
        problems.append(f"{label}: not an address: {shown}{more}")
    return _unique(found)


def _mailboxes(value: str) -> Iterator[str]:
    """The address part of each mailbox in an address header, as written
    (not yet checked): the text in angle brackets when there is one, else the
    word with an @, else what is left once comments and quotes are gone.
    Group syntax (``Team: a@x, b@y;``, ``undisclosed-recipients:;``) gives its
    members; an empty ``<>`` gives nothing."""
    for element in _split_top_level(value):
        angled = _ANGLED.findall(element)
        if angled:
            inner = angled[-1].strip()
            # An obsolete source route: <@relay.example.org:jane@example.com>
            inner = inner.rpartition(":")[2].strip() if inner.startswith("@") else inner
            if inner:
                yield inner.strip()
            continue
        if element.count("<") != element.count(">"):
            element = element.replace("<", " ").replace(">", " ")
        words = element.split()
        with_at = [w for w in words if "@" in w]
        if with_at:
            yield with_at[-1].strip(".")
        elif words:
            yield " ".join(words).translate(_UNMASK)


def _split_top_level(value: str) -> Iterator[str]:
    """The mailboxes of an address header, split at commas outside quotes,
    comments and angle brackets, with comments and group names dropped.
    Inside a quoted display name, ``@ < >`` are masked so the name is never
    taken for the address (``"jane@example.com" <jane@example.org>``)."""
    if not _SPECIAL.search(value):  # the usual case: no quotes, comments or groups
        for element in _SEPARATOR.split(value):
            yield from _element(element)
        return
    element: list[str] = []
    depth = 0  # comment nesting
    quoted = False
    angle = False
    escaped = False
    for char in value:
        if escaped:
            escaped = False
            if not depth:
                element.append(_MASK.get(char, char) if quoted and not angle else char)
            continue
        if char == "\\":
            escaped = True
        elif depth:
            depth += {"(": 1, ")": -1}.get(char, 0)
        elif quoted:
            if char == '"':
                quoted = False
            else:
                element.append(char if angle else _MASK.get(char, char))
        elif char == '"':
            quoted = True
        elif char == "(":
            depth = 1
            element.append(" ")
        elif char == "<":
            angle = True
            element.append(char)
        elif char == ">":
            angle = False
            element.append(char)
        elif char == ":" and not angle:
            element = []  # "Group name:" starts a group; the name is not a mailbox
        elif char in ",;" and not angle:
            yield from _element("".join(element))
            element = []
        else:
            element.append(char)
    yield from _element("".join(element))


def _element(text: str) -> Iterator[str]:
    text = text.strip()
    if text:
        yield text


# -- message ids ------------------------------------------------------------


def _message_id(value: str) -> str:
    """The Message-ID without its angle brackets; "" when there is none."""
    ids = _message_ids(value)
    return ids[0] if ids else ""


def _message_ids(value: str) -> tuple[str, ...]:
    """Message-IDs without angle brackets: those in angle brackets when there
    are any (so ``<a@x> (Jane's message of Monday)`` gives ``a@x``), else
    the words of the value."""
    angled = [inner.strip() for inner in _ANGLED.findall(value)]
    ids = [i for i in angled if i and i.split() == [i]]
    if not angled:
        ids = [w.strip("<>") for w in value.split()]
    return _unique([i for i in ids if i])


# -- date -------------------------------------------------------------------


def _date(values: list[str] | None, problems: list[str]) -> dt.datetime | None:
    """The Date as an aware datetime. Without a zone it is read as UTC and
    said so; unreadable or missing, None and said so."""
    if values is None:
        problems.append("no Date header")
        return None
    text = _WHITESPACE.sub(" ", _CONTROL.sub(" ", values[0])).strip()
    if not text:
        problems.append("the Date header is empty")
        return None
    date, zone_known = _rfc5322_date(text)
    if date is None:
        date, zone_known = _iso_date(text)
    if date is None:
        problems.append(f"Date {_quote(text)} cannot be read")
        return None
    if not zone_known:
        problems.append(f"Date {_quote(text)} has no time zone; read as UTC")
    return date


def _rfc5322_date(text: str) -> tuple[dt.datetime | None, bool]:
    """An RFC 5322 date, or one of the obsolete forms the standard library
    reads (two-digit years, no weekday, US zone names). ``-0000`` is UTC by
    definition; a zone name it does not know is looked up in a few more."""
    try:
        date = parsedate_to_datetime(_LEAP_SECOND.sub(":59", text))
    except Exception:  # ValueError mostly; a scan must not stop at any of them
        return None, False
    if date.tzinfo is None:
        offset = 0 if _MINUS_ZERO.search(text) else None
        if offset is None:
            word = _ZONE_WORD.search(text)
            hours = _EXTRA_ZONES.get(word.group(1).upper()) if word else None
            offset = None if hours is None else hours * 3600
        zone_known = offset is not None
        date = date.replace(tzinfo=dt.timezone(dt.timedelta(seconds=offset or 0)))
    else:
        zone_known = True
    return (date, zone_known) if _plausible(date) else (None, False)


def _iso_date(text: str) -> tuple[dt.datetime | None, bool]:
    """``2024-03-05 10:00:00+01:00`` and its kin, which some scripts write."""
    try:
        date = dt.datetime.fromisoformat(text)
    except ValueError:
        return None, False
    if not _plausible(date):
        return None, False
    if date.tzinfo is None:
        return date.replace(tzinfo=dt.UTC), False
    return date, True


def _plausible(date: dt.datetime) -> bool:
    """A year mail can have been sent in, and far enough from the ends of
    `datetime` that converting it to another zone cannot overflow."""
    return 1900 <= date.year <= 9998


# -- classification ---------------------------------------------------------


def _is_mailing_list(fields: dict[str, list[str]]) -> bool:
    if _first(fields, "list-id").strip() or _first(fields, "list-unsubscribe").strip():
        return True
    return _first(fields, "precedence").strip().lower() in ("bulk", "list", "junk")


def _is_automatic(fields: dict[str, list[str]], subject: str) -> bool:
    """Auto-Submitted other than ``no`` (RFC 3834), the X-Autoreply family,
    or an out-of-office subject from a mailer that sets none of them."""
    auto_submitted = _first(fields, "auto-submitted").strip().lower()
    if auto_submitted and auto_submitted.split(";")[0].strip() != "no":
        return True
    if _first(fields, "x-autoreply").strip() or _first(fields, "x-autorespond").strip():
        return True
    folded = subject.lstrip("[(").casefold()
    return folded.startswith(_AUTOMATIC_SUBJECTS)


def _is_bounce(fields: dict[str, list[str]], from_addresses: tuple[str, ...]) -> bool:
    """A delivery report: multipart/report, or sent by MAILER-DAEMON or
    postmaster (with or without a domain, as Return-Path often has it)."""
    if _first(fields, "content-type").strip().lower().startswith("multipart/report"):
        return True
    senders = list(from_addresses)
    for key in ("from", "return-path"):
        value = _first(fields, key)
        if "daemon" in value.lower() or "postmaster" in value.lower():
            senders.extend(_mailboxes(value))
    return any(s.lower().partition("@")[0] in _BOUNCE_SENDERS for s in senders)
