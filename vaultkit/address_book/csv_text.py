"""Reading an exported CSV as text, a row at a time, whatever wrote it.

Shared by the LinkedIn, Google Contacts and Outlook readers. Exports reach
us through spreadsheets and old Windows programs, so the text may start with
a byte-order mark, end lines with CRLF (or a lone CR), be Windows-1252
instead of UTF-8, put a preamble above the header, or use ``;`` or tabs
where a European Excel saved it. None of that should stop an import, and
none of it should cost memory: a 100,000-row file is read line by line, and
no line or cell is allowed to grow without bound: a binary file has no line
breaks (lines stop at `MAX_LINE_CHARS`), and an unclosed quote would swallow
the rest of the file (the csv module stops a cell at its field size limit,
128 KiB; that row is reported and reading goes on after it).
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO

from vaultkit.address_book.cleaning import clean_text

# How far down a header may be: LinkedIn puts three lines of notes above it.
HEADER_LINES = 20
# A line longer than this is not a row of an address book; it is skipped
# (reported) rather than held in memory whole.
MAX_LINE_CHARS = 1_000_000
# How often a reader reports progress.
PROGRESS_ROWS = 1_000

_DELIMITERS = (",", ";", "\t")
_FALLBACK = "vaultkit-cp1252"


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    """Bytes that are not UTF-8 read as Windows-1252: what Excel and older
    Outlook write when they do not write UTF-8. Done per byte sequence, not
    per file, so a file can be read in one pass without knowing its end."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    return bytes(bad).decode("cp1252", errors="replace"), error.end


codecs.register_error(_FALLBACK, _cp1252_fallback)


def open_text(binary: IO[bytes]) -> io.TextIOWrapper:
    """The text of an export: UTF-8 with its BOM dropped, any byte that is
    not UTF-8 read as Windows-1252, UTF-16 when it starts with a UTF-16 BOM
    (Excel's "Unicode text"). Line ends are kept as they are (``newline=""``)
    because the csv module needs them to tell a quoted line break from the
    end of a row."""
    start = binary.peek(2)[:2] if hasattr(binary, "peek") else b""
    if start in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return io.TextIOWrapper(binary, encoding="utf-16", errors="replace", newline="")
    return io.TextIOWrapper(binary, encoding="utf-8-sig", errors=_FALLBACK, newline="")


def header_key(cell: str) -> str:
    """A header cell as it is compared: blanks collapsed, case folded, BOM
    and stray quotes dropped (``" E-mail 1 - Value"`` → ``e-mail 1 - value``)."""
    return " ".join(cell.replace("\ufeff", "").strip().strip('"').split()).casefold()


@dataclass(frozen=True)
class Header:
    """The header row: where it is, how cells are separated, and the column
    of each (normalised) name; the first of two equal names wins."""

    line: int
    delimiter: str
    columns: dict[str, int]
    names: tuple[str, ...]  # the normalised names, in file order


@dataclass(frozen=True)
class Row:
    """One record after the header: the line it starts on and its cells by
    column name (missing cells are absent), or why it could not be read."""

    line: int
    values: dict[str, str]
    error: str | None = None

    def get(self, column: str) -> str | None:
        """The cell under ``column`` (a normalised name), or None."""
        return self.values.get(column)


class LineTooLongError(Exception):
    """A physical line longer than `MAX_LINE_CHARS`; it has been skipped."""

    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


class _Lines:
    """The lines of a text stream, counted, each at most `MAX_LINE_CHARS`.

    An iterator class rather than a generator so that it can raise
    `LineTooLongError` for one line and still give the next one: the csv
    reader passes the exception up and starts afresh on its next call."""

    def __init__(self, text: IO[str], consumed: int) -> None:
        self._text = text
        self.count = consumed  # lines handed out (or skipped) so far

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = self._text.readline(MAX_LINE_CHARS)
        if not line:
            raise StopIteration
        self.count += 1
        if _cut(line):
            while (rest := self._text.readline(MAX_LINE_CHARS)) and _cut(rest):
                pass
            raise LineTooLongError(self.count)
        return line


def _cut(line: str) -> bool:
    """Whether ``readline(MAX_LINE_CHARS)`` stopped before the line's end."""
    return len(line) >= MAX_LINE_CHARS and not line.endswith(("\n", "\r"))


class HeaderNotFoundError(Exception):
    """No header in the first lines; ``reason`` says what was found instead
    ("" when nothing in particular), ``line`` where. ``complete`` when the
    reason already says what to do, so the reader adds no advice."""

    def __init__(self, reason: str, line: int = 1, complete: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line
        self.complete = complete


class CsvTable:
    """A CSV export read from its text: find the header, then stream rows."""

    def __init__(self, text: IO[str]) -> None:
        self._text = text
        self._header: Header | None = None

    def find_header(self, is_header: Callable[[tuple[str, ...]], bool]) -> Header:
        """The first of the first `HEADER_LINES` lines whose cells (as
        `header_key` names, split by ``,``, ``;`` or a tab) satisfy
        ``is_header``. Lines above it (a preamble) are read one at a time
        and let go. Raises `HeaderNotFoundError` naming what the file looks
        like when there is none: empty, binary, a vCard."""
        glance = _Glance()
        for number in range(1, HEADER_LINES + 1):
            line = self._text.readline(MAX_LINE_CHARS)
            if not line:
                break
            glance.see(number, line)
            if _cut(line):
                break  # a line this long is no header; nor is anything below it
            header = _header_in(line, number, is_header)
            if header is not None:
                self._header = header
                return header
        raise HeaderNotFoundError(*glance.verdict())

    def rows(self) -> Iterator[Row]:
        """The records after the header, blank ones left out. A record the
        csv module cannot read (a cell over its size limit, an overlong
        line) comes as a `Row` with ``error`` set; the next one follows."""
        header = self._header
        if header is None:
            raise RuntimeError("find_header first")
        lines = _Lines(self._text, header.line)
        reader = csv.reader(lines, delimiter=header.delimiter)
        names = header.names
        while True:
            start = lines.count + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except LineTooLongError as error:
                yield Row(error.line, {}, f"line is longer than {MAX_LINE_CHARS:,} characters")
                continue
            except csv.Error as error:
                yield Row(start, {}, f"not readable as CSV ({error})")
                continue
            if not any(cell.strip() for cell in cells):
                continue
            values = {}
            for name, cell in zip(names, cells, strict=False):
                values.setdefault(name, cell)
            yield Row(start, values)


def _header_in(
    line: str, number: int, is_header: Callable[[tuple[str, ...]], bool]
) -> Header | None:
    """``line`` as a header, split by whichever delimiter makes one."""
    for delimiter in _DELIMITERS:
        if delimiter != "," and delimiter not in line:
            continue
        try:
            cells = next(csv.reader([line], delimiter=delimiter), [])
        except csv.Error:
            continue
        names = tuple(header_key(cell) for cell in cells)
        if is_header(names):
            columns: dict[str, int] = {}
            for index, name in enumerate(names):
                columns.setdefault(name, index)
            return Header(number, delimiter, columns, names)
    return None


class _Glance:
    """What the first lines looked like, kept small, for the message that
    says why they hold no header."""

    def __init__(self) -> None:
        self.lines = 0
        self.first_text: tuple[int, str] | None = None  # first non-blank line: number, start
        self.binary = False
        self.first_too_long = False

    def see(self, number: int, line: str) -> None:
        self.lines = number
        self.binary = self.binary or "\x00" in line
        if number == 1:
            self.first_too_long = _cut(line)
        if self.first_text is None and line.strip():
            self.first_text = (number, line.lstrip()[:20])

    def verdict(self) -> tuple[str, int, bool]:
        if self.first_text is None:
            # Twenty blank lines may have a header below them; fewer end the file.
            return ("the file is empty" if self.lines < HEADER_LINES else ""), 1, False
        if self.binary:
            return "this is a binary file, not a CSV export", 1, False
        if self.first_too_long:
            return "the first line is too long for a CSV header", 1, False
        number, start = self.first_text
        if start.upper().startswith("BEGIN:VCARD"):
            advice = "this is a vCard, not a CSV export; read it with `vaultkit import vcard`"
            return advice, number, True
        return "", 1, False


def count_bytes(binary: IO[bytes]) -> Callable[[], int]:
    """How many bytes of ``binary`` have been read so far (for ``on_bytes``)."""

    def consumed() -> int:
        try:
            return binary.tell()
        except (OSError, ValueError):
            return 0

    return consumed


def reason(error: BaseException) -> str:
    """An exception as a short clause for a one-line message
    (``Permission denied``, ``File is not a zip file``)."""
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return clean_text(str(error)) or type(error).__name__
