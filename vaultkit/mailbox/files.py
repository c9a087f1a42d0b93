"""Mail on disk, read for its headers: a Maildir (or a Maildir++ tree), an
mbox file, a folder of ``.eml`` files, or one ``.eml`` file.

Only header blocks are read. A Maildir or ``.eml`` file is read in chunks up
to its first blank line and closed. An mbox is read once, front to back:
each header block a line at a time, each body in chunks searched for the
next ``From `` line and dropped, so a 5 GB mbox is read in the memory of one
header block and one chunk. The standard `mailbox` module is not used
because it reads whole messages.

What the path is decides how it is read, and a path that is none of these
raises `MailSourceError` before any message is read. Inside a source, one
unreadable file or message costs that message (a record with a problem),
never the scan.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

from vaultkit.mailbox.headers import MAX_HEADER_BYTES, parse_headers, read_header_block
from vaultkit.mailbox.message import MailSourceError, MessageHeaders

OnBytes = Callable[[int], None]

_PROGRESS_MESSAGES = 1000  # on_bytes at most once per this many messages (and at the end)
_MAX_LINE = 64 * 1024  # an mbox line longer than this is read in pieces of this size
_BLANK = (b"\n", b"\r\n")
_BODY_CHUNK = 256 * 1024  # a body is skipped in reads of up to this size...
_FIRST_BODY_CHUNK = 4 * 1024  # ...starting with this (most bodies are short), doubling
_NEXT_MESSAGE = re.compile(rb"\n\r?\nFrom ")  # a From line after a blank one
_MBOX_SUFFIXES = ("", ".mbox", ".mbx")  # an empty file with one of these is an empty mbox
_TOP_FOLDER = "INBOX"
_CUT = f"headers longer than {MAX_HEADER_BYTES // 1024} KB; the rest was ignored"


def read_mail(path: Path, on_bytes: OnBytes | None = None) -> Iterator[MessageHeaders]:
    """The headers of every message at ``path``, in a fixed order (folders,
    then files, by name; an mbox in file order).

    ``on_bytes`` hears how many bytes of the source are behind us (for a
    Maildir or ``.eml`` folder, the sizes of the files read), once every
    thousand messages and once at the end. Raises `MailSourceError` here,
    before iterating, when ``path`` is not a mail source; an mbox that
    cannot be read to its end raises it while iterating."""
    try:
        return _open_source(path, _Progress(on_bytes))
    except OSError as error:  # no permission to look at the path itself
        raise MailSourceError(f"{path}: cannot be read ({error.strerror or error})") from None


def _open_source(path: Path, progress: _Progress) -> Iterator[MessageHeaders]:
    """What kind of source ``path`` is, as the iterator that reads it."""
    if path.is_dir():
        maildirs = _maildirs(path)
        if maildirs:
            return _read_maildirs(maildirs, progress)
        emls = _eml_files(path)
        if emls:
            return _read_emls(emls, path.name, progress)
    elif path.is_file():
        if path.suffix.lower() == ".eml":
            return _read_emls([path], path.parent.name, progress)
        if _is_mbox(path):
            return _read_mbox(path, progress)
    elif not path.exists():
        raise MailSourceError(f"{path}: no such file or folder")
    raise MailSourceError(f"{path}: not a Maildir, an mbox file or a folder of .eml files")


class _Progress:
    """Calls ``on_bytes`` once every `_PROGRESS_MESSAGES` messages, and at the end."""

    def __init__(self, on_bytes: OnBytes | None) -> None:
        self.on_bytes = on_bytes
        self.done = 0
        self.messages = 0

    def message(self, done: int) -> None:
        self.done = done
        self.messages += 1
        if self.on_bytes is not None and self.messages % _PROGRESS_MESSAGES == 0:
            self.on_bytes(done)

    def finish(self) -> None:
        if self.on_bytes is not None:
            self.on_bytes(self.done)


def _unreadable(folder: str, where: str, error: OSError) -> MessageHeaders:
    """The record for a file or folder that could not be read: no headers,
    and why."""
    reason = error.strerror or str(error)
    return MessageHeaders(
        message_id="",
        date=None,
        from_addresses=(),
        to_addresses=(),
        subject="",
        folder=folder,
        where=where,
        problems=(f"cannot be read ({reason})",),
    )


def _from_block(stream: BinaryIO, folder: str, where: str) -> MessageHeaders:
    block, cut = read_header_block(stream)
    record = parse_headers(block, folder=folder, where=where)
    return replace(record, problems=(*record.problems, _CUT)) if cut else record


# -- Maildir ----------------------------------------------------------------


def _is_maildir(path: Path) -> bool:
    try:
        return (path / "cur").is_dir() and (path / "new").is_dir()
    except OSError:  # a sub-folder we may not look into is not one of ours
        return False


def _maildirs(path: Path) -> list[tuple[str, Path]]:
    """(folder, path) of a Maildir and its Maildir++ sub-folders (``.Sent``
    is folder ``Sent``, ``.Archive.2023`` is ``Archive.2023``): the top one,
    INBOX, first, then the rest by name. A Maildir++ sub-folder given on
    its own keeps its name (``.Sent`` is still ``Sent``), and a folder
    holding only Maildir++ sub-folders counts too. Empty when ``path`` is
    no Maildir."""
    top = path.name[1:] if path.name.startswith(".") and len(path.name) > 1 else _TOP_FOLDER
    found = [(top, path)] if _is_maildir(path) else []
    try:
        children = sorted(
            (entry.name, Path(entry.path))
            for entry in os.scandir(path)
            if entry.name.startswith(".") and len(entry.name) > 1 and entry.is_dir()
        )
    except OSError:
        children = []
    found.extend((name[1:], child) for name, child in children if _is_maildir(child))
    return found


def _read_maildirs(
    maildirs: list[tuple[str, Path]], progress: _Progress
) -> Iterator[MessageHeaders]:
    """Each folder's ``cur/`` then ``new/``, files by name; ``tmp/`` holds
    deliveries not finished yet and is left alone."""
    done = 0
    for folder, root in maildirs:
        for sub in ("cur", "new"):
            directory = root / sub
            try:
                names = sorted(
                    entry.name
                    for entry in os.scandir(directory)
                    if not entry.name.startswith(".") and not entry.is_dir()
                )
            except OSError as error:
                yield _unreadable(folder, f"{folder}/{sub}", error)
                continue
            for name in names:
                where = f"{folder}/{sub}/{name}"
                try:
                    with open(directory / name, "rb") as stream:
                        done += os.fstat(stream.fileno()).st_size
                        record = _from_block(stream, folder, where)
                except OSError as error:  # gone since listed (moved to cur/), or no permission
                    record = _unreadable(folder, where, error)
                progress.message(done)
                yield record
    progress.finish()


# -- .eml files -------------------------------------------------------------


def _eml_files(path: Path) -> list[Path]:
    """The folder's ``.eml`` files (any case), by name; sub-folders are not
    looked into."""
    try:
        entries = list(os.scandir(path))
    except OSError:
        return []
    return sorted(
        (
            Path(entry.path)
            for entry in entries
            if entry.name.lower().endswith(".eml") and not entry.is_dir()
        ),
        key=lambda p: p.name,
    )


def _read_emls(files: list[Path], folder: str, progress: _Progress) -> Iterator[MessageHeaders]:
    done = 0
    for file in files:
        try:
            with open(file, "rb") as stream:
                done += os.fstat(stream.fileno()).st_size
                record = _from_block(stream, folder, file.name)
        except OSError as error:
            record = _unreadable(folder, file.name, error)
        progress.message(done)
        yield record
    progress.finish()


# -- mbox -------------------------------------------------------------------


def _is_mbox(path: Path) -> bool:
    """An mbox starts with a ``From `` line; an empty file is an empty mbox
    when its name says mbox or nothing (Thunderbird's ``Sent``)."""
    try:
        with open(path, "rb") as stream:
            start = stream.read(5)
    except OSError as error:
        raise MailSourceError(f"{path}: cannot be read ({error.strerror or error})") from None
    if not start:
        return path.suffix.lower() in _MBOX_SUFFIXES
    return start == b"From "


def _read_mbox(path: Path, progress: _Progress) -> Iterator[MessageHeaders]:
    try:
        with open(path, "rb") as stream:
            yield from _mbox_messages(stream, path.name, path.stem, progress)
    except OSError as error:
        raise MailSourceError(f"{path}: cannot be read ({error.strerror or error})") from None
    progress.finish()


def _mbox_messages(
    stream: BinaryIO, name: str, folder: str, progress: _Progress
) -> Iterator[MessageHeaders]:
    """The messages of an mbox. A message starts at a line beginning
    ``From `` at the start of the file or after a blank line (or, as no
    header line can begin so, inside a header block). A body's own ``From``
    lines are quoted ``>From`` by the writer, and an unquoted one not after
    a blank line stays body.

    Header blocks are read a line at a time, in pieces of at most
    `_MAX_LINE` bytes; bodies are skipped by `_skip_body`, which finds the
    same next ``From `` line without looking at each line in Python."""
    readline = stream.readline
    position = 0
    line_number = 0
    number = 0
    line_start = True  # the next piece starts a line
    after_blank = True  # the start of the file counts as after a blank line
    in_header = False
    parts: list[bytes] = []
    size = 0
    cut = False
    where = ""

    def record() -> MessageHeaders:
        found = parse_headers(b"".join(parts), folder=folder, where=where)
        return replace(found, problems=(*found.problems, _CUT)) if cut else found

    while piece := readline(_MAX_LINE):
        starts_line = line_start
        line_start = piece.endswith(b"\n")
        position += len(piece)
        if starts_line:
            line_number += 1
        if starts_line and piece.startswith(b"From ") and (after_blank or in_header):
            if in_header:  # headers and no body, and the next message at once
                progress.message(position - len(piece))
                yield record()
            number += 1
            where = f"{name} message {number} (line {line_number})"
            in_header, parts, size, cut, after_blank = True, [], 0, False, False
            continue
        blank = starts_line and piece in _BLANK
        if in_header:
            if blank:
                progress.message(position)
                yield record()
                in_header, parts = False, []
                skipped, lines = _skip_body(stream)
                position += skipped
                line_number += lines
                after_blank = True  # what follows the body is a From line after a blank one
                continue
            if size + len(piece) <= MAX_HEADER_BYTES:
                parts.append(piece)
                size += len(piece)
            else:
                cut = True
        after_blank = blank
    if in_header:  # the file ends inside a header block
        progress.message(position)
        yield record()
    progress.done = position


def _skip_body(stream: BinaryIO) -> tuple[int, int]:
    """Move ``stream`` from the start of a body (just after the blank line
    that ends the headers) to the next message's ``From `` line, or to the
    end: (bytes skipped, lines skipped).

    The body is read in pieces, from `_FIRST_BODY_CHUNK` bytes doubling up
    to `_BODY_CHUNK` (so a short body costs one small read, a long one few
    calls), and searched for a ``From ``
    line after a blank line, the bytes just before the body standing in as
    a blank line, so a body that opens with ``From `` ends at once, as the
    line-by-line rule says. Nothing of the body is kept: at most one chunk
    and a few bytes of the one before are in memory."""
    start = stream.tell()
    tail = b"\n\n"  # the header block's end, as far as the pattern is concerned
    read_at = start
    lines = 0
    size = min(_FIRST_BODY_CHUNK, _BODY_CHUNK)
    while chunk := stream.read(size):
        size = min(2 * size, _BODY_CHUNK)
        buffer = tail + chunk
        found = _NEXT_MESSAGE.search(buffer)
        if found:
            at = found.end() - len(b"From ")
            lines += buffer.count(b"\n", len(tail), max(at, len(tail)))
            target = read_at - len(tail) + at
            stream.seek(target)
            return target - start, lines
        lines += chunk.count(b"\n")
        read_at += len(chunk)
        tail = buffer[-(len(b"\n\r\nFrom ") - 1) :]
    return read_at - start, lines
