"""Google Contacts and Outlook CSV exports, told apart by their headers.

Google has written two headers. The older one (before 2022, still found in
people's archives) starts ``Name,Given Name,Additional Name,Family Name`` and
numbers its repeated fields ``E-mail 1 - Type,E-mail 1 - Value``,
``Organization 1 - Name``; the newer one starts ``First Name,Middle Name,
Last Name`` and has ``Organization Name``, ``E-mail 1 - Label``. Both put
several values of one field into a cell joined by `` ::: `` and add as many
numbered columns as the busiest contact needs.

Outlook's header (and Google's "Outlook CSV" export, which copies it) has
fixed columns: ``E-mail Address,E-mail 2 Address``, ``Mobile Phone``,
``Company``, ``Job Title``, ``Web Page``, ``Referred By``, ``Business City``.
Its ``Title`` is a form of address ("Dr."), not a job.

No column of either says where someone works *now*; the organisation and
title are what the address book holds.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import IO

from vaultkit.address_book.cleaning import (
    email_value,
    linkedin_value,
    phone_value,
    text_value,
)
from vaultkit.address_book.csv_text import (
    PROGRESS_ROWS,
    CsvTable,
    HeaderNotFoundError,
    Row,
    count_bytes,
    open_text,
    reason,
)
from vaultkit.address_book.person import ImportFileError, Person

GOOGLE = "Google Contacts"
OUTLOOK = "Outlook"

_NUMBERED = re.compile(
    r"(?:e-mail|phone|website|organization|address|im|relation|event|custom field) "
    r"(\d+) - (?:value|type|label|name|title|formatted|city|service)"
)
_SPLIT = re.compile(r"\s*:::\s*")
_OUTLOOK_MARKS = (
    "e-mail address",
    "e-mail 2 address",
    "job title",
    "mobile phone",
    "business phone",
    "home phone",
    "primary phone",
    "web page",
    "referred by",
    "business city",
)
_OUTLOOK_EMAIL = re.compile(r"e-mail(?: (\d+))? address")
_OUTLOOK_PHONES = (
    "mobile phone",
    "primary phone",
    "business phone",
    "business phone 2",
    "home phone",
    "home phone 2",
    "other phone",
    "company main phone",
    "car phone",
)
_OUTLOOK_WEB = ("web page", "personal web page", "business web page")
_OUTLOOK_CITIES = ("business city", "home city", "other city")
_LINKEDIN_MARKS = ("url", "position", "connected on")
_HOW = (
    "export from Google Contacts (Export, Google CSV or Outlook CSV) or from Outlook "
    "(Export to a file, Comma Separated Values)"
)


def read_contacts_csv(
    path: Path, on_bytes: Callable[[int], None] | None = None
) -> Iterator[Person]:
    """Every contact in a Google Contacts or Outlook CSV export.

    Raises `ImportFileError` (one line, naming the file and line) when the
    header is neither Google's nor Outlook's, or the file cannot be read; a
    bad row is a `Person` with no name and a problem instead. ``on_bytes``
    gets the bytes read so far every 1,000 rows and at the end.
    """
    path = Path(path)
    with ExitStack() as stack:
        try:
            binary: IO[bytes] = stack.enter_context(path.open("rb"))
        except OSError as error:
            raise ImportFileError(f"{path.name}: cannot be read ({reason(error)})") from None
        try:
            yield from _read(binary, path.name, on_bytes)
        except OSError as error:
            raise ImportFileError(f"{path.name}: cannot be read ({reason(error)})") from None


def kind_of(names: tuple[str, ...]) -> str | None:
    """Which export a header (normalised names) belongs to: `GOOGLE`,
    `OUTLOOK`, or None. Google's numbered columns decide first, since its
    newer header shares ``First Name``/``Last Name`` with Outlook's."""
    if any(_NUMBERED.fullmatch(n) for n in names):
        return GOOGLE
    if "given name" in names and "family name" in names:
        return GOOGLE
    has_name = "first name" in names or "last name" in names
    if has_name and ("organization name" in names or "file as" in names):
        return GOOGLE
    if has_name and any(mark in names for mark in _OUTLOOK_MARKS):
        return OUTLOOK
    return None


def _is_linkedin(names: tuple[str, ...]) -> bool:
    return (
        "first name" in names
        and "last name" in names
        and any(mark in names for mark in _LINKEDIN_MARKS)
    )


def _read(
    binary: IO[bytes], label: str, on_bytes: Callable[[int], None] | None
) -> Iterator[Person]:
    table = CsvTable(open_text(binary))
    consumed = count_bytes(binary)
    try:
        header = table.find_header(lambda names: kind_of(names) is not None or _is_linkedin(names))
    except HeaderNotFoundError as error:
        what = error.reason or (
            "no Google Contacts or Outlook header (First Name,Last Name,... or "
            "Name,Given Name,...) in the first 20 lines"
        )
        advice = "" if error.complete else f"; {_HOW}"
        raise ImportFileError(f"{label} line {error.line}: {what}{advice}") from None
    kind = kind_of(header.names)
    if kind is None:
        raise ImportFileError(
            f"{label} line {header.line}: this is LinkedIn's Connections.csv, not a Google "
            "Contacts or Outlook export; read it with `vaultkit import linkedin`"
        )
    convert = _google if kind == GOOGLE else _outlook
    for count, row in enumerate(table.rows(), start=1):
        where = f"{label} line {row.line}"
        if row.error is not None:
            yield Person(name="", source=kind, where=where, problems=(f"Row {row.error}",))
        else:
            yield convert(row, where, header.names)
        if on_bytes is not None and count % PROGRESS_ROWS == 0:
            on_bytes(consumed())
    if on_bytes is not None:
        on_bytes(consumed())


class _Values:
    """Cleans a row's cells into a Person's values, collecting the problems."""

    def __init__(self, row: Row) -> None:
        self.row = row
        self.problems: list[str] = []

    def parts(self, column: str) -> list[str]:
        """The values in one cell, split at Google's `` ::: ``."""
        cell = self.row.get(column)
        if cell is None or not cell.strip():
            return []
        return [part for part in _SPLIT.split(cell) if part.strip()]

    def text(self, column: str, what: str) -> str | None:
        """The first value of a free-text cell, cleaned."""
        parts = self.parts(column)
        return self._keep(text_value(parts[0], what)) if parts else None

    def name(self, columns: tuple[str, ...], what: tuple[str, ...]) -> str | None:
        """The parts of a name joined, or None when there are none. A
        formula in any part leaves the whole name out (half a name would
        make or match the wrong note): the result is then ``""``."""
        parts = []
        formula = False
        for column, label in zip(columns, what, strict=True):
            cell = self.row.get(column)
            value, problem = text_value(cell, label)
            if problem:
                self.problems.append(problem)
                formula = True
            elif value:
                parts.append(value)
        if formula:
            return ""
        return " ".join(parts) or None

    def add(self, found: list[str], value: tuple[str | None, str | None]) -> None:
        """Append a cleaned value once; a problem is noted instead."""
        kept = self._keep(value)
        if kept is not None and kept not in found:
            found.append(kept)

    def linkedin(self, columns: list[str]) -> str | None:
        """The first LinkedIn address among a contact's web sites. Other
        sites have no place in a Person and are passed over silently; one
        that mentions LinkedIn but is not a safe address is a problem."""
        for column in columns:
            for value in self.parts(column):
                if "linkedin" not in value.casefold():
                    continue
                url = self._keep(linkedin_value(value, _title(column)))
                if url is not None:
                    return url
        return None

    def _keep(self, value: tuple[str | None, str | None]) -> str | None:
        cleaned, problem = value
        if problem:
            self.problems.append(problem)
        return cleaned


def _numbered(names: tuple[str, ...], field: str, part: str) -> list[str]:
    """Google's numbered columns of one field, by number:
    ``e-mail 1 - value``, ``e-mail 2 - value``, ..."""
    pattern = re.compile(rf"{re.escape(field)} (\d+) - {re.escape(part)}")
    found = [(int(m[1]), n) for n in names if (m := pattern.fullmatch(n))]
    return [name for _, name in sorted(found)]


def _google(row: Row, where: str, names: tuple[str, ...]) -> Person:
    """One Google contact, from either of Google's headers."""
    v = _Values(row)
    if "name" in names and (row.get("name") or "").strip():
        name = v.name(("name",), ("Name",))
    elif "given name" in names or "family name" in names:
        name = v.name(
            ("given name", "additional name", "family name"),
            ("Given Name", "Additional Name", "Family Name"),
        )
    else:
        name = v.name(
            ("first name", "middle name", "last name"),
            ("First Name", "Middle Name", "Last Name"),
        )
        if name is None and "file as" in names:
            name = v.name(("file as",), ("File As",))

    emails: list[str] = []
    for column in _numbered(names, "e-mail", "value"):
        for part in v.parts(column):
            v.add(emails, email_value(part, _title(column)))
    phones: list[str] = []
    for column in _numbered(names, "phone", "value"):
        for part in v.parts(column):
            v.add(phones, phone_value(part, _title(column)))
    if "organization name" in names or "organization title" in names:
        organization = v.text("organization name", "Organization Name")
        role = v.text("organization title", "Organization Title")
    else:
        organization = role = None
        for column in _numbered(names, "organization", "name"):
            if v.parts(column):
                organization = v.text(column, _title(column))
                title = column.removesuffix(" - name") + " - title"
                role = v.text(title, _title(title))
                break
        if organization is None:
            for column in _numbered(names, "organization", "title"):
                if role := v.text(column, _title(column)):
                    break

    location = None
    for column in _numbered(names, "address", "city"):
        if location := v.text(column, _title(column)):
            break

    aliases: list[str] = []
    for part in v.parts("nickname"):
        v.add(aliases, text_value(part, "Nickname"))
    return Person(
        name=name or "",
        source=GOOGLE,
        where=where,
        emails=tuple(emails),
        phones=tuple(phones),
        linkedin=v.linkedin(_numbered(names, "website", "value")),
        organization=organization,
        role=role,
        location=location,
        aliases=tuple(a for a in aliases if a != name),
        problems=tuple(v.problems),
    )


def _outlook(row: Row, where: str, names: tuple[str, ...]) -> Person:
    """One Outlook contact."""
    v = _Values(row)
    name = v.name(
        ("first name", "middle name", "last name"), ("First Name", "Middle Name", "Last Name")
    )
    emails: list[str] = []
    email_columns = sorted((int(m[1] or 1), n) for n in names if (m := _OUTLOOK_EMAIL.fullmatch(n)))
    for _, column in email_columns:
        for part in v.parts(column):
            for address in part.split(";"):
                v.add(emails, email_value(address, _title(column)))
    phones: list[str] = []
    for column in _OUTLOOK_PHONES:
        for part in v.parts(column):
            v.add(phones, phone_value(part, _title(column)))
    location = None
    for column in _OUTLOOK_CITIES:
        if location := v.text(column, _title(column)):
            break
    aliases: list[str] = []
    for part in v.parts("nickname"):
        v.add(aliases, text_value(part, "Nickname"))
    return Person(
        name=name or "",
        source=OUTLOOK,
        where=where,
        emails=tuple(emails),
        phones=tuple(phones),
        linkedin=v.linkedin(list(_OUTLOOK_WEB)),
        organization=v.text("company", "Company"),
        role=v.text("job title", "Job Title"),
        location=location,
        referred_by=v.text("referred by", "Referred By"),
        aliases=tuple(a for a in aliases if a != name),
        problems=tuple(v.problems),
    )


def _title(column: str) -> str:
    """A normalised column name as the export spells it, for problems:
    ``e-mail 2 - value`` → ``E-mail 2 - Value``."""
    return " ".join(word[:1].upper() + word[1:] for word in column.split(" "))
