"""LinkedIn's ``Connections.csv``, alone, in the ZIP of a data export, or in
the folder that ZIP unpacks to.

The file is not a plain CSV: it may start with a BOM and a preamble (a
``Notes:`` line, one quoted sentence about e-mail addresses, a blank line)
above the header ``First Name,Last Name,URL,Email Address,Company,Position,
Connected On``. Read naively it gives one column called ``Notes:`` and no
connections, without any error, so the header is looked for in the first
lines. Older exports have no ``URL`` column; some have no preamble; the
columns are found by name, in any order, among others. "Connected On" is
written in the account's language (``15 Mar 2024``, ``15 mars 2024``).
E-mail addresses are usually blank: LinkedIn only includes those members
allowed to be shared. Company and Position are the person's current ones.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from pathlib import Path, PurePosixPath
from typing import IO

from vaultkit.address_book.cleaning import (
    _shown,
    clean_text,
    email_value,
    linkedin_value,
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
from vaultkit.address_book.dates import read_date
from vaultkit.address_book.person import ImportFileError, Person

SOURCE = "LinkedIn"
FILE_NAME = "connections.csv"
_HOW = 'export "Connections" from LinkedIn\'s "Get a copy of your data"'

# Column names as compared (see csv_text.header_key), with the spellings
# LinkedIn has used.
_FIRST = ("first name",)
_LAST = ("last name",)
_URL = ("url", "profile url")
_EMAIL = ("email address", "e-mail address", "email")
_COMPANY = ("company",)
_POSITION = ("position",)
_CONNECTED = ("connected on",)
# A header names first and last names and at least one of these; Google's
# and Outlook's CSVs have first and last names too, but none of these.
_LINKEDIN_ONLY = ("url", "profile url", "position", "connected on")


def read_linkedin(path: Path, on_bytes: Callable[[int], None] | None = None) -> Iterator[Person]:
    """Every connection in ``path``: a ``Connections.csv``, a ZIP holding one
    anywhere (the whole LinkedIn data export), or a folder holding one.

    Raises `ImportFileError` (one line, naming the file and line) when the
    file is not a LinkedIn export, the ZIP or folder has no Connections.csv,
    or the file cannot be read; a bad row is a `Person` with no name and a
    problem instead. ``on_bytes`` gets the bytes of the CSV read so far every
    1,000 rows and at the end; inside a ZIP they are the bytes of the
    uncompressed Connections.csv, not of the ZIP.
    """
    path = Path(path)
    with ExitStack() as stack:
        try:
            if path.is_dir():
                member = _in_folder(path)
                prefix = f"{path.name}: {member.relative_to(path).as_posix()}"
                binary: IO[bytes] = stack.enter_context(member.open("rb"))
            elif zipfile.is_zipfile(path):
                archive = stack.enter_context(zipfile.ZipFile(path))
                info = _in_zip(path, archive)
                prefix = f"{path.name}: {info.filename}"
                binary = stack.enter_context(archive.open(info))
            else:
                prefix = path.name
                binary = stack.enter_context(path.open("rb"))
        except ImportFileError:
            raise
        except (OSError, zipfile.BadZipFile, RuntimeError, NotImplementedError) as error:
            raise ImportFileError(f"{path.name}: cannot be read ({reason(error)})") from None
        try:
            yield from _read(binary, prefix, on_bytes)
        except (OSError, zipfile.BadZipFile, zlib.error, EOFError) as error:
            raise ImportFileError(f"{prefix}: cannot be read ({reason(error)})") from None


def _read(
    binary: IO[bytes], prefix: str, on_bytes: Callable[[int], None] | None
) -> Iterator[Person]:
    """The connections in one Connections.csv, ``prefix`` naming it."""
    table = CsvTable(open_text(binary))
    consumed = count_bytes(binary)
    try:
        header = table.find_header(_is_header)
    except HeaderNotFoundError as error:
        raise ImportFileError(_not_linkedin(prefix, error)) from None
    if not any(name in header.columns for name in _LINKEDIN_ONLY):
        raise ImportFileError(
            f"{prefix} line {header.line}: a header with First Name and Last Name but no URL, "
            "Position or Connected On: this is not LinkedIn's Connections.csv (a Google Contacts "
            "or Outlook CSV is read by `vaultkit import csv`)"
        )
    for count, row in enumerate(table.rows(), start=1):
        yield person_from_row(row, f"{prefix} line {row.line}")
        if on_bytes is not None and count % PROGRESS_ROWS == 0:
            on_bytes(consumed())
    if on_bytes is not None:
        on_bytes(consumed())


def _is_header(names: tuple[str, ...]) -> bool:
    return any(n in names for n in _FIRST) and any(n in names for n in _LAST)


def _not_linkedin(prefix: str, error: HeaderNotFoundError) -> str:
    if error.complete:
        return f"{prefix} line {error.line}: {error.reason}"
    if error.reason:
        return f"{prefix} line {error.line}: {error.reason}; {_HOW}"
    return (
        f"{prefix} line 1: no LinkedIn header (First Name,Last Name,...) in the first 20 lines; "
        f"{_HOW}"
    )


def person_from_row(row: Row, where: str) -> Person:
    """One connection, every value cleaned; a row that could not be read
    is a Person with no name and the reason."""
    if row.error is not None:
        return Person(name="", source=SOURCE, where=where, problems=(f"Row {row.error}",))
    problems: list[str] = []

    def cell(names: tuple[str, ...]) -> str | None:
        for name in names:
            value = row.get(name)
            if value is not None:
                return value
        return None

    def text(names: tuple[str, ...], what: str) -> str | None:
        value, problem = text_value(cell(names), what)
        if problem:
            problems.append(problem)
        return value

    first = text(_FIRST, "First Name")
    last = text(_LAST, "Last Name")
    # Half a name would make (or match) the wrong note: a formula in either
    # part leaves the person without a name, and the problems say why.
    formula = len(problems) > 0
    name = "" if formula else " ".join(part for part in (first, last) if part)

    linkedin, problem = linkedin_value(cell(_URL), "URL")
    if problem:
        problems.append(problem)
    emails = _emails(cell(_EMAIL), problems)
    organization = text(_COMPANY, "Company")
    role = text(_POSITION, "Position")
    connected_on = None
    raw_date = clean_text(cell(_CONNECTED))
    if raw_date is not None:
        connected_on = read_date(raw_date)
        if connected_on is None:
            problems.append(
                f"Connected On {_shown(raw_date)} is not a date vaultkit can read; left out"
            )
    return Person(
        name=name,
        source=SOURCE,
        where=where,
        emails=emails,
        linkedin=linkedin,
        organization=organization,
        role=role,
        connected_on=connected_on,
        problems=tuple(problems),
    )


def _emails(value: str | None, problems: list[str]) -> tuple[str, ...]:
    """The addresses in one cell (several are separated by ``,`` or ``;``),
    each once, in order."""
    found: list[str] = []
    if value is None:
        return ()
    for part in value.replace(";", ",").split(","):
        address, problem = email_value(part, "Email Address")
        if problem:
            problems.append(problem)
        elif address is not None and address not in found:
            found.append(address)
    return tuple(found)


def _in_zip(path: Path, archive: zipfile.ZipFile) -> zipfile.ZipInfo:
    """The Connections.csv in an export's ZIP, in any folder and any case;
    the shallowest when there are several. macOS's ``__MACOSX`` copies are
    not it."""
    infos = archive.infolist()
    found = [
        info
        for info in infos
        if not info.is_dir()
        and PurePosixPath(info.filename).name.casefold() == FILE_NAME
        and "__MACOSX" not in PurePosixPath(info.filename).parts
    ]
    if not found:
        raise ImportFileError(
            f"{path.name}: no Connections.csv in this ZIP "
            f"({_listing(i.filename for i in infos if not i.is_dir())}); {_HOW}"
        )
    return min(found, key=lambda info: (info.filename.count("/"), info.filename))


def _in_folder(path: Path) -> Path:
    """The Connections.csv in an unpacked export, in any folder and any case."""
    found = [
        p
        for p in path.rglob("*")
        if p.name.casefold() == FILE_NAME and "__MACOSX" not in p.parts and p.is_file()
    ]
    if not found:
        raise ImportFileError(f"{path.name}: no Connections.csv in this folder; {_HOW}")
    return min(found, key=lambda p: (len(p.parts), str(p)))


def _listing(names: Iterable[str], most: int = 5) -> str:
    """What a ZIP holds instead, shortly: ``it holds 3 files: 'a.csv', 'b.csv'``."""
    shown = [clean_text(n) or "?" for n in names]
    if not shown:
        return "it is empty"
    listed = ", ".join(_shown(n) for n in shown[:most])
    more = f" and {len(shown) - most} more" if len(shown) > most else ""
    return f"it holds {len(shown)} file{'s' if len(shown) != 1 else ''}: {listed}{more}"
