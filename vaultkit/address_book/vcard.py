"""vCard files: read address books into `Person` records, write contacts as vCard 3.0.

Reading takes what phones, Apple Contacts, Google and Android, Thunderbird
and vdirsyncer/khard write: vCard 3.0 and 4.0, and 2.1 from old phones
(``QUOTED-PRINTABLE``, ``CHARSET=``, parameters without names such as
``TEL;CELL;PREF:``). It is hand-written rather than built on a vCard library
because an import must survive what those libraries stop at: one broken card
in a file of a thousand, a 2 MB photo on one line, a card that never ends,
bytes in no declared encoding. Each of these costs one card (reported, with
its line) or one value, never the file.

Reading streams: the file is read a line at a time, at most one card is held,
and no line keeps more than `_MAX_LINE` bytes, so a 5 MB or 5 GB file reads in
the same memory.

Writing produces vCard 3.0 as iOS and macOS Contacts import it, byte for byte
the same for the same contacts (no ``REV``, no timestamps), so an export can
be compared with the last one or kept under version control.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import contextlib
import io
import quopri
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote

from vaultkit.address_book.cleaning import (
    email_value,
    linkedin_value,
    normalise_email,
    phone_value,
    text_value,
)
from vaultkit.address_book.person import ImportFileError, Person

SOURCE = "vCard"

_MAX_LINE = 256 * 1024  # bytes of one unfolded property kept; the rest is dropped
_MAX_CARD = 1024 * 1024  # bytes of used properties kept for one card...
_PROPERTY_COST = 256  # ...counting what Python spends on each besides its value
_HEADER_LINES = 20  # the first BEGIN:VCARD must come within this many non-blank lines...
_HEADER_BYTES = 1024 * 1024  # ...and this many bytes, or the file is not a vCard file
_PROGRESS_LINES = 1000  # on_bytes at most once per this many lines of a file
_PROGRESS_FILES = 100  # ...or per this many files of a folder
_CHUNK = 64 * 1024

# The properties a `Person` is built from; every other one (PHOTO, NOTE,
# BDAY, X-…) is recognised and skipped without keeping its value.
_USED = frozenset(
    "FN N NICKNAME EMAIL TEL ORG TITLE ROLE ADR URL X-ABLABEL X-SOCIALPROFILE "
    "SOCIALPROFILE X-LINKEDIN KIND X-ABSHOWAS X-ADDRESSBOOKSERVER-KIND".split()
)
_NAME = re.compile(r"^(?:([A-Za-z0-9-]+)\.)?([A-Za-z0-9-]+)$")
_BARE_ENCODINGS = frozenset({"QUOTED-PRINTABLE", "BASE64", "8BIT", "7BIT"})
_NOT_PEOPLE = {"org": "an organisation", "group": "a group", "location": "a place"}


class _ByteLines(Protocol):
    def readline(self, size: int = -1, /) -> bytes: ...
    def tell(self) -> int: ...


# --------------------------------------------------------------------------- reading


def read_vcards(path: Path, on_bytes: Callable[[int], None] | None = None) -> Iterator[Person]:
    """Every card in ``path``: one ``.vcf`` file holding one card or many, or
    a vdir (a folder with one card per ``*.vcf`` file, as vdirsyncer and
    khard keep them; other files, dot files and subfolders are ignored, and
    files are read in name order so two runs report in the same order).

    ``on_bytes(n)`` is called now and then, and once at the end, with the
    bytes read so far: of the file, or for a folder, of the ``.vcf`` files
    done (so the total to show is the sum of their sizes).

    A file with no ``BEGIN:VCARD`` near its start raises `ImportFileError`;
    inside a good file, a card that cannot be read (no ``END:VCARD``, a line
    that is not a property) is yielded with ``name=""`` and a problem naming
    the line, and reading goes on with the next card. Cards for an
    organisation or a group (``KIND:org``, Apple's ``X-ABShowAs:COMPANY``) are
    yielded the same way: they are address-book entries, not people.
    """
    if path.is_dir():
        yield from _read_folder(path, on_bytes)
        return
    try:
        handle = path.open("rb")
    except OSError as error:
        raise ImportFileError(f"{path.name}: cannot be read ({error.strerror})") from None
    with handle:
        cards = _read_stream(handle, path.name, on_bytes, first_where=None)
        for card in cards:
            if card is None:
                raise ImportFileError(f"{path.name} line 1: not a vCard file (no BEGIN:VCARD)")
            yield card


def _read_folder(folder: Path, on_bytes: Callable[[int], None] | None) -> Iterator[Person]:
    """The cards of a vdir, file by file; a file that cannot be read or is not
    a vCard costs that file only (a ``Person`` with a problem), since one bad
    file among hundreds a sync tool wrote should not stop the import."""
    files = sorted(
        (p for p in folder.iterdir() if _is_card_file(p) and p.is_file()), key=lambda p: p.name
    )
    if not files:
        hint = ""
        nested = sorted(p.name for p in folder.iterdir() if p.is_dir() and _holds_cards(p))
        if nested:
            hint = f"; its subfolder {nested[0]!r} holds some: give that folder instead"
        raise ImportFileError(f"{folder.name}: no .vcf files in the folder{hint}")
    done = 0
    for number, file in enumerate(files, start=1):
        try:
            with file.open("rb") as handle:
                for card in _read_stream(handle, file.name, None, first_where=file.name):
                    if card is None:
                        yield _unread(file.name, "not a vCard file (no BEGIN:VCARD)")
                        break
                    yield card
                done += handle.tell()
        except OSError as error:
            yield _unread(file.name, f"cannot be read ({error.strerror})")
        if on_bytes is not None and (number % _PROGRESS_FILES == 0 or number == len(files)):
            on_bytes(done)


def _is_card_file(path: Path) -> bool:
    # Dot files are editors' and sync tools' temporary files and macOS's
    # "._name.vcf" resource forks on exFAT drives, never cards.
    return path.suffix.lower() == ".vcf" and not path.name.startswith(".")


def _holds_cards(folder: Path) -> bool:
    try:
        return any(_is_card_file(p) for p in folder.iterdir())
    except OSError:
        return False


def _unread(where: str, problem: str) -> Person:
    return Person(name="", source=SOURCE, where=where, problems=(problem,))


def _read_stream(
    handle: io.BufferedIOBase,
    name: str,
    on_bytes: Callable[[int], None] | None,
    first_where: str | None,
) -> Iterator[Person | None]:
    """The cards of one open file; ``None`` (once, then nothing) when the file
    is not a vCard file. ``first_where`` names the file's first card (a
    vdir's file name) instead of ``name line n``."""
    lines: _ByteLines = _Utf16Lines(handle) if _has_utf16_bom(handle) else handle
    card: _Card | None = None
    header_lines = 0
    reported_at = 0
    last_line = 0
    skip_depth = 0  # inside a 2.1 AGENT's embedded card
    searching = [True]  # no card has begun yet; read by _physical_lines too
    for line in _logical_lines(_physical_lines(lines, lambda: searching[0])):
        last_line = line.number
        stripped = line.data.strip().upper()
        is_begin = stripped == b"BEGIN:VCARD"
        is_end = stripped == b"END:VCARD"
        if card is None:
            if is_begin:
                where = (
                    first_where if searching[0] and first_where else f"{name} line {line.number}"
                )
                searching[0] = False
                card = _Card(where)
            elif searching[0] and stripped:
                header_lines += 1
                if header_lines >= _HEADER_LINES or lines.tell() > _HEADER_BYTES:
                    yield None
                    return
            continue
        if skip_depth:
            skip_depth += 1 if is_begin else -1 if is_end else 0
            continue
        if is_begin:
            if card.agent_pending:
                skip_depth = 1
                continue
            yield card.unfinished(f"no END:VCARD before line {line.number} starts another card")
            card = _Card(f"{name} line {line.number}")
        elif is_end:
            yield card.person()
            card = None
            if on_bytes is not None and line.number - reported_at >= _PROGRESS_LINES:
                reported_at = line.number
                on_bytes(lines.tell())
        else:
            card.add(line)
    if card is not None:
        yield card.unfinished(f"no END:VCARD before the end of the file (line {last_line})")
    if searching[0]:
        yield None
        return
    if on_bytes is not None:
        on_bytes(lines.tell())


def _has_utf16_bom(handle: io.BufferedIOBase) -> bool:
    """Windows tools write vCards as UTF-16 with a byte order mark; everyone
    else writes UTF-8 (or, in old files, a Windows code page)."""
    start = handle.peek(2)[:2] if isinstance(handle, io.BufferedReader) else b""
    return start in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


class _Utf16Lines:
    """A UTF-16 file read as lines of UTF-8 bytes, so the rest of the reader
    knows one encoding."""

    def __init__(self, handle: io.BufferedIOBase) -> None:
        self._raw = handle
        self._text = io.TextIOWrapper(handle, encoding="utf-16", errors="replace", newline=None)

    def readline(self, size: int = -1, /) -> bytes:
        return self._text.readline(size).encode("utf-8")

    def tell(self) -> int:
        return self._raw.tell()


@dataclass
class _Line:
    number: int  # the physical line it starts on, from 1
    data: bytes
    overlong: bool = False


def _physical_lines(
    lines: _ByteLines, searching: Callable[[], bool]
) -> Iterator[tuple[bytes, bool]]:
    """Each line without its line end (LF or CRLF), and whether it was cut at
    `_MAX_LINE` bytes; a longer line is read to its end but not kept, unless
    no card has begun yet (``searching()``) and the file is past
    `_HEADER_BYTES`: then it is not a vCard file, however long it goes on."""
    first = True
    while True:
        chunk = lines.readline(_MAX_LINE + 2)
        if not chunk:
            return
        overlong = False
        if not chunk.endswith(b"\n"):
            rest = chunk
            while rest and not rest.endswith(b"\n"):
                if searching() and lines.tell() > _HEADER_BYTES:
                    return
                rest = lines.readline(_CHUNK)
                overlong = overlong or bool(rest)
            if overlong:
                chunk = chunk[:_MAX_LINE]
        if first:
            chunk = chunk.removeprefix(codecs.BOM_UTF8)
            first = False
        yield chunk.rstrip(b"\n").rstrip(b"\r"), overlong


def _logical_lines(physical: Iterable[tuple[bytes, bool]]) -> Iterator[_Line]:
    """Unfolded properties: a line starting with a space or a tab continues
    the one before (RFC 6350 §3.2), and so does the line after a 2.1
    quoted-printable value ending in ``=`` (a soft line break)."""
    pending: _Line | None = None
    quoted_printable = False
    for number, (data, overlong) in enumerate(physical, start=1):
        if pending is not None:
            if (
                quoted_printable
                and pending.data.endswith(b"=")
                and data.strip().upper() not in (b"END:VCARD", b"BEGIN:VCARD")
            ):
                pending.data = pending.data[:-1]
                _extend(pending, data, overlong)
                continue
            if data[:1] in (b" ", b"\t"):
                _extend(pending, data[1:], overlong)
                continue
            yield pending
        pending = _Line(number, data, overlong)
        head = data.split(b":", 1)[0].upper()
        quoted_printable = b"QUOTED-PRINTABLE" in head
    if pending is not None:
        yield pending


def _extend(line: _Line, more: bytes, overlong: bool) -> None:
    if line.overlong:
        return
    room = _MAX_LINE - len(line.data)
    if overlong or len(more) > room:
        line.data += more[:room]
        line.overlong = True
    else:
        line.data += more


@dataclass
class _Property:
    group: str  # Apple's "item1" in "item1.EMAIL", upper case; "" for none
    name: str  # upper case
    params: dict[str, list[str]]  # names upper case; TYPE values lower case
    value: str  # decoded, still backslash-escaped
    line: int


@dataclass
class _Card:
    """One card as its lines come in: the properties a Person needs, kept;
    the rest, skipped."""

    where: str
    props: list[_Property] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    broken: str | None = None  # why the card cannot be read
    agent_pending: bool = False  # the last property was a 2.1 AGENT whose card follows
    kept: int = 0

    def add(self, line: _Line) -> None:
        self.agent_pending = False
        if not line.data.strip():
            return
        colon = _find_unquoted(line.data, b":")
        if colon < 0:
            if self.broken is None:
                what = "is longer than 256 KB" if line.overlong else "is not a vCard property"
                self.broken = f"line {line.number} {what} ({_shown_bytes(line.data)})"
            return
        head = _decode_text(line.data[:colon])
        parts = _split_unquoted(head, ";")
        match = _NAME.match(parts[0].strip())
        if match is None:
            if self.broken is None:
                self.broken = (
                    f"line {line.number} is not a vCard property ({_shown_bytes(line.data)})"
                )
            return
        group = (match.group(1) or "").upper()
        name = match.group(2).upper()
        raw_value = line.data[colon + 1 :]
        if name == "AGENT" and not raw_value.strip():
            self.agent_pending = True
            return
        if name not in _USED:
            return
        if line.overlong:
            self.problems.append(f"{name} on line {line.number} is longer than 256 KB; left out")
            return
        cost = len(raw_value) + _PROPERTY_COST
        self.kept += cost
        if self.kept > _MAX_CARD:
            if self.kept - cost <= _MAX_CARD:
                self.problems.append(
                    f"the card holds more than 1 MB of names and addresses; "
                    f"line {line.number} and the rest left out"
                )
            return
        params = _parse_params(parts[1:])
        self.props.append(
            _Property(group, name, params, _decode_value(raw_value, params), line.number)
        )

    def unfinished(self, why: str) -> Person:
        return self._unread(self.broken or why)

    def person(self) -> Person:
        if self.broken is not None:
            return self._unread(self.broken)
        return _build_person(self.where, self.props, self.problems)

    def _unread(self, why: str) -> Person:
        name = self._name_for_message()
        whose = f"the card of {name!r}" if name else "the card"
        return _unread(self.where, f"{why}; {whose} was not read")

    def _name_for_message(self) -> str | None:
        for prop in self.props:
            if prop.name == "FN":
                name, _ = text_value(_unescape(prop.value), "FN")
                if name:
                    return name if len(name) <= 60 else name[:59] + "…"
        return None


def _find_unquoted(data: bytes, char: bytes) -> int:
    """Where ``char`` first occurs outside double quotes (a quoted parameter
    value may hold ``:`` and ``;``), or -1. ASCII bytes never occur inside a
    UTF-8 or Windows code page character, so bytes are safe to scan."""
    first = data.find(char)
    if first < 0 or data.find(b'"', 0, first) < 0:
        return first
    quoted = False
    for index, byte in enumerate(data):
        if byte == 0x22:
            quoted = not quoted
        elif byte == char[0] and not quoted:
            return index
    return -1


def _split_unquoted(text: str, sep: str) -> list[str]:
    if '"' not in text:
        return text.split(sep)
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
            current.append(char)
        elif char == sep and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _parse_params(parts: list[str]) -> dict[str, list[str]]:
    """``TYPE=work,pref``, ``type=INTERNET;type=pref`` (Apple repeats it),
    ``TYPE="cell,voice"`` (quoted lists), ``LABEL="…"``, RFC 6868's ``^n``
    and 2.1's bare ``CELL`` or ``QUOTED-PRINTABLE``, all into one form."""
    params: dict[str, list[str]] = {}
    for part in parts:
        key, has_value, value = part.partition("=")
        key = key.strip().upper()
        if not key:
            continue
        if not has_value:
            key, value = ("ENCODING", key) if key in _BARE_ENCODINGS else ("TYPE", key)
        values = [_param_text(v) for v in _split_unquoted(value, ",")]
        if key == "TYPE":
            values = [v.strip().lower() for piece in values for v in piece.split(",")]
        params.setdefault(key, []).extend(v for v in values if v)
    return params


def _param_text(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
    if "^" in value:
        value = re.sub(r"\^([n^'])", lambda m: {"n": "\n", "^": "^", "'": '"'}[m.group(1)], value)
    return value


def _decode_value(raw: bytes, params: dict[str, list[str]]) -> str:
    """The value's text: quoted-printable or base64 undone, then read in the
    declared ``CHARSET``, else UTF-8, else Windows-1252."""
    encoding = (params.get("ENCODING") or [""])[-1].upper()
    if encoding == "QUOTED-PRINTABLE":
        raw = quopri.decodestring(raw)
    elif encoding in ("B", "BASE64"):
        with contextlib.suppress(binascii.Error, ValueError):
            raw = base64.b64decode(raw, validate=False)
    charset = (params.get("CHARSET") or [""])[-1]
    if charset:
        try:
            if codecs.lookup(charset)._is_text_encoding:
                return raw.decode(charset)
        except (LookupError, UnicodeError, ValueError, TypeError):
            pass
    return _decode_text(raw)


def _decode_text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


_ESCAPES = {"n": "\n", "N": "\n"}


def _unescape(value: str) -> str:
    r"""Text with ``\,`` ``\;`` ``\n`` ``\\`` undone (and any other ``\x``
    read as ``x``, as Apple's old ``http\://`` needs)."""
    if "\\" not in value:
        return value
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), value, flags=re.DOTALL)


def _split_escaped(value: str, sep: str) -> list[str]:
    """Split at ``sep`` where it is not escaped; the parts stay escaped."""
    if sep not in value:
        return [value]
    parts: list[str] = []
    start = index = 0
    while index < len(value):
        char = value[index]
        if char == "\\":
            index += 2
            continue
        if char == sep:
            parts.append(value[start:index])
            start = index + 1
        index += 1
    parts.append(value[start:])
    return parts


def _components(value: str, lists: bool = True) -> list[str]:
    """A structured value (N, ADR, ORG): its ``;`` components, unescaped. In
    N and ADR a component may be a ``,`` list (two given names), joined here
    by a space; ORG has no lists, and writers leave its commas unescaped
    ("Acme, Inc."), so there a comma is text."""
    parts = _split_escaped(value, ";")
    if not lists:
        return [_unescape(part) for part in parts]
    return [
        " ".join(p for p in (_unescape(v) for v in _split_escaped(part, ",")) if p)
        for part in parts
    ]


def _rank(prop: _Property) -> int:
    """How preferred a value is: 4.0's ``PREF=1`` (1 is most), 3.0's
    ``TYPE=pref``, then the rest in file order."""
    for value in prop.params.get("PREF", []):
        try:
            return max(1, min(100, int(value)))
        except ValueError:
            continue
    return 1 if "pref" in prop.params.get("TYPE", []) else 101


def _build_person(where: str, props: list[_Property], problems: list[str]) -> Person:
    by_name: dict[str, list[_Property]] = {}
    for prop in sorted(props, key=_rank):
        by_name.setdefault(prop.name, []).append(prop)

    def first(name: str) -> _Property | None:
        found = by_name.get(name)
        return found[0] if found else None

    def note(problem: str | None) -> None:
        if problem is not None and problem not in problems:
            problems.append(problem)

    names: list[str] = []
    for prop in by_name.get("FN", []):
        value, problem = text_value(_unescape(prop.value), "FN")
        note(problem)
        if value is not None and value.casefold() not in (n.casefold() for n in names):
            names.append(value)
    name = names[0] if names else None
    n_prop = first("N")
    if name is None and n_prop is not None:
        parts = [*_components(n_prop.value), "", ""]
        name, problem = text_value(" ".join(p for p in (parts[1], parts[0]) if p), "N")
        note(problem)

    not_person = _not_a_person(by_name)
    if not_person is not None:
        shown = f" ({name!r})" if name else ""
        return _unread(where, f"the card is {not_person}{shown}, not a person; not read")

    aliases: list[str] = []
    for alias in names[1:] + [
        _unescape(v)
        for prop in by_name.get("NICKNAME", [])
        for v in _split_escaped(prop.value, ",")
    ]:
        value, problem = text_value(alias, "NICKNAME")
        note(problem)
        taken = [a.casefold() for a in (name or "", *aliases)]
        if value is not None and value.casefold() not in taken:
            aliases.append(value)

    emails: list[str] = []
    for prop in by_name.get("EMAIL", []):
        value, problem = email_value(_unescape(prop.value), "EMAIL")
        note(problem)
        if value is not None and normalise_email(value) not in map(normalise_email, emails):
            emails.append(value)

    phones: list[str] = []
    for prop in by_name.get("TEL", []):
        value, problem = phone_value(_tel_text(_unescape(prop.value)), "TEL")
        note(problem)
        if value is not None and value not in phones:
            phones.append(value)

    organization = None
    org = first("ORG")
    if org is not None:
        organization, problem = text_value(_components(org.value, lists=False)[0], "ORG")
        note(problem)

    role = None
    for key in ("TITLE", "ROLE"):
        prop = first(key)
        if prop is not None and role is None:
            role, problem = text_value(_unescape(prop.value), key)
            note(problem)

    location = _location(by_name.get("ADR", []), note)
    linkedin = _linkedin(props, by_name, note)

    return Person(
        name=name or "",
        source=SOURCE,
        where=where,
        emails=tuple(emails),
        phones=tuple(phones),
        linkedin=linkedin,
        organization=organization,
        role=role,
        location=location,
        aliases=tuple(aliases),
        problems=tuple(problems),
    )


def _not_a_person(by_name: dict[str, list[_Property]]) -> str | None:
    """What the card describes when it is not a person: 4.0's ``KIND``,
    Apple's company cards (``X-ABShowAs:COMPANY``) and server groups."""
    for key in ("KIND", "X-ADDRESSBOOKSERVER-KIND"):
        for prop in by_name.get(key, []):
            kind = _unescape(prop.value).strip().lower()
            if kind in _NOT_PEOPLE:
                return _NOT_PEOPLE[kind]
    for prop in by_name.get("X-ABSHOWAS", []):
        if _unescape(prop.value).strip().upper() == "COMPANY":
            return "a company"
    return None


def _tel_text(value: str) -> str:
    """A 4.0 ``tel:`` URI as a number: ``tel:+1-555-010-0100;ext=42`` →
    ``+1-555-010-0100 ext 42`` (other URI parameters dropped)."""
    value = value.strip()
    if not value.lower().startswith("tel:"):
        return value
    number, *uri_params = unquote(value[4:]).split(";")
    for param in uri_params:
        key, _, ext = param.partition("=")
        if key.strip().lower() == "ext" and ext.strip():
            number += f" ext {ext.strip()}"
    return number


def _location(addresses: list[_Property], note: Callable[[str | None], None]) -> str | None:
    """Where the person is, from their addresses: the locality (city) of a
    work address first, then of the preferred or first one; with no
    locality anywhere, the region, then the country."""
    ordered = sorted(addresses, key=lambda p: "work" not in p.params.get("TYPE", []))
    parts = [[*_components(p.value), "", "", "", "", "", "", ""] for p in ordered]
    for index in (3, 4, 6):  # ADR: box;extended;street;locality;region;code;country
        for components in parts:
            if components[index].strip():
                value, problem = text_value(components[index], "ADR")
                note(problem)
                if value is not None:
                    return value
    return None


def _linkedin(
    props: list[_Property],
    by_name: dict[str, list[_Property]],
    note: Callable[[str | None], None],
) -> str | None:
    """The LinkedIn profile, by how surely it is one: a social profile of type
    LinkedIn (Apple's ``X-SOCIALPROFILE;type=linkedin``, 4.0's
    ``SOCIALPROFILE;SERVICE-TYPE=LinkedIn``), ``X-LINKEDIN``, a URL labelled
    LinkedIn (Apple's ``item1.URL`` with ``item1.X-ABLabel:LinkedIn``), and
    last any URL on linkedin.com. A value the card calls LinkedIn that is not
    a LinkedIn address is reported; other URLs are not imported at all."""
    labels = {
        p.group: _unescape(p.value).lower() for p in props if p.name == "X-ABLABEL" and p.group
    }
    said: list[tuple[str, str]] = []  # (what, value) the card calls LinkedIn
    for key in ("X-SOCIALPROFILE", "SOCIALPROFILE"):
        for prop in by_name.get(key, []):
            kinds = prop.params.get("TYPE", []) + [
                v.lower() for v in prop.params.get("SERVICE-TYPE", [])
            ]
            if "linkedin" in kinds:
                said.append((key, _social_url(prop)))
    said += [("X-LINKEDIN", _unescape(p.value)) for p in by_name.get("X-LINKEDIN", [])]
    for prop in by_name.get("URL", []):
        if "linkedin" in labels.get(prop.group, "") or "linkedin" in prop.params.get("TYPE", []):
            said.append(("URL", _unescape(prop.value)))
    for what, value in said:
        url, problem = linkedin_value(value, what)
        if url is not None:
            return url
        note(problem)
    for prop in by_name.get("URL", []):
        url, _ = linkedin_value(_unescape(prop.value), "URL")
        if url is not None:
            return url
    return None


def _social_url(prop: _Property) -> str:
    """Apple may write the profile as ``x-apple:jdoe`` with ``x-user=jdoe``,
    not as a web address; the user name makes the address."""
    value = _unescape(prop.value).strip()
    user = (prop.params.get("X-USER") or [""])[0].strip()
    if "linkedin." not in value.lower() and user and re.fullmatch(r"[\w.\-]+", user):
        return f"https://www.linkedin.com/in/{user}"
    return value


def _shown_bytes(data: bytes, limit: int = 40) -> str:
    text = _decode_text(data[: limit * 4])
    text = "".join(c if c.isprintable() else " " for c in text).strip()
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


# --------------------------------------------------------------------------- writing


@dataclass(frozen=True)
class CardFields:
    """What `format_vcard` writes for one contact. ``family`` and ``given``
    both empty means "split ``full_name``" (see `split_name`)."""

    uid: str
    full_name: str
    family: str
    given: str
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    organization: str | None = None
    role: str | None = None
    linkedin: str | None = None
    note: str | None = None
    aliases: tuple[str, ...] = ()


def format_vcard(card: CardFields) -> str:
    """One vCard 3.0 card, CRLF line ends, folded at 75 octets, in the form
    iOS and macOS Contacts import: the LinkedIn profile as a ``URL`` and as
    ``X-SOCIALPROFILE;TYPE=linkedin`` (which Contacts shows as a LinkedIn
    profile). Nothing in it depends on the time or the machine, so the same
    contact always gives the same bytes. Write it with ``newline=""`` (or as
    UTF-8 bytes) so the CRLFs stay as they are."""
    family, given = card.family, card.given
    if not family.strip() and not given.strip():
        family, given = split_name(card.full_name)
    full_name = (
        card.full_name.strip()
        or " ".join(p for p in (given.strip(), family.strip()) if p)
        or (card.emails[0] if card.emails else "")
    )
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        "PRODID:-//vaultkit//EN",
        f"N:{_escape(family)};{_escape(given)};;;",
        f"FN:{_escape(full_name)}",
    ]
    if card.uid:
        lines.append(f"UID:{_escape(card.uid)}")
    if card.organization:
        lines.append(f"ORG:{_escape(card.organization)}")
    if card.role:
        lines.append(f"TITLE:{_escape(card.role)}")
    lines += [f"EMAIL;TYPE=INTERNET:{_escape(e)}" for e in card.emails]
    lines += [f"TEL:{_escape(p)}" for p in card.phones]
    if card.linkedin:
        lines.append(f"URL:{_escape(card.linkedin)}")
        lines.append(f"X-SOCIALPROFILE;TYPE=linkedin:{_escape(card.linkedin)}")
    if card.aliases:
        lines.append("NICKNAME:" + ",".join(_escape(a) for a in card.aliases))
    if card.note:
        lines.append(f"NOTE:{_escape(card.note)}")
    lines.append("END:VCARD")
    return "".join(_fold(line) + "\r\n" for line in lines)


_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def _escape(value: str) -> str:
    r"""Text as a vCard value: ``\ , ;`` and line breaks escaped; a CRLF is
    one break; other control characters, which no vCard value may hold,
    written as spaces (as `cleaning.clean_text` reads them)."""
    value = value.replace("\r\n", "\n")
    value = "".join(
        "\n" if c in _BREAKS else " " if c != "\t" and unicodedata.category(c) == "Cc" else c
        for c in value
    )
    return value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


def _fold(line: str, limit: int = 75) -> str:
    """A line cut into pieces of at most 75 octets (the continuation's leading
    space counted), never inside a UTF-8 character."""
    if len(line.encode("utf-8")) <= limit:
        return line
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    room = limit
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > room:
            pieces.append("".join(current))
            current, size, room = [], 0, limit - 1
        current.append(char)
        size += width
    pieces.append("".join(current))
    return "\r\n ".join(pieces)


_PREFIXES = frozenset(
    "dr prof mr mrs ms mx miss sir dame rev fr hon herr frau mme mlle sra srta".split()
)
_SUFFIXES = frozenset(
    "jr sr ii iii iv phd dphil md dds dmd jd llm mba msc ma bsc ba cpa esq rn obe mbe cbe".split()
)
# Lower-case particles that belong to the family name: "Vincent van Gogh"
# is van Gogh. Capitalised, they are given names ("Van Morrison").
_PARTICLES = frozenset(
    "van von de da del della der den di du la le dos das do ter ten bin binti ibn al el".split()
)


def split_name(full_name: str) -> tuple[str, str]:
    """``(family, given)`` for a vCard's ``N`` when a note has only a display
    name: the last word is the family name (with lower-case particles before
    it: "Ana de la Cruz" → ("de la Cruz", "Ana")), every word before it the
    given names; "Doe, Jane" → ("Doe", "Jane"); one word → (word, "").
    Honorifics ("Dr.", "Prof.") and suffixes ("Jr.", "PhD") are dropped:
    ``N`` has its own places for them, and ``FN`` keeps them."""
    text = " ".join(full_name.split())
    if not text:
        return "", ""
    head, comma, tail = text.partition(",")
    if comma and head.strip():
        tail_words = tail.replace(",", " ").split()
        if not all(_is_suffix(w) for w in tail_words):
            given = _trim(tail_words)
            return _trim(head.split()), given
        text = head
    words = text.replace(",", " ").split()
    while len(words) > 1 and _is_prefix(words[0]):
        words = words[1:]
    while len(words) > 1 and _is_suffix(words[-1]):
        words = words[:-1]
    start = len(words) - 1
    while start > 0 and words[start - 1] in _PARTICLES:
        start -= 1
    return " ".join(words[start:]), " ".join(words[:start])


def _trim(words: list[str]) -> str:
    """Words without their honorifics and suffixes (unless that leaves none)."""
    kept = [w for w in words if not _is_prefix(w) and not _is_suffix(w)]
    return " ".join(kept or words)


def _is_prefix(word: str) -> bool:
    return word.rstrip(".").casefold() in _PREFIXES


def _is_suffix(word: str) -> bool:
    return word.replace(".", "").casefold() in _SUFFIXES
