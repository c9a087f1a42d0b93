"""Parsing one note file into a `Note`: the only function here that touches disk
reads exactly one file, once, and never raises for what is inside it.

The front-matter block is split off at once but parsed as YAML on first use:
a command about contacts parses the contacts (and whatever it must resolve),
not the thousands of daily and topic notes beside them.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from vaultkit.diagnostics import Diagnostic
from vaultkit.notes.frontmatter import split_front_matter
from vaultkit.notes.keys import normalise_key
from vaultkit.notes.limits import MAX_NOTE_BYTES
from vaultkit.notes.source import decode_note
from vaultkit.notes.tasks import DatedTasks, Task, tasks_from_rows, tasks_in_body
from vaultkit.notes.wikilinks import Link, links_in_body, links_in_value
from vaultkit.notes.yaml_text import YamlProblem, load_yaml_mapping


@dataclass(slots=True)
class FrontMatter:
    """A front-matter block after parsing: normalised keys and what went wrong.

    ``fields`` maps normalised keys (``referred_by``) to values exactly as
    typed (strings, lists, nested mappings). ``key_lines`` gives each
    normalised key's 1-based line in the file so any later diagnostic about a
    value can point at it. ``raw_keys`` keeps the spelling the user chose.
    """

    fields: dict[str, object] = field(default_factory=dict)
    key_lines: dict[str, int] = field(default_factory=dict)
    raw_keys: dict[str, str] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)


@dataclass(slots=True)
class Note:
    """A note: its path, front-matter (parsed on first use), body, and problems.

    ``read_diagnostics`` are what reading the file found (encoding, an
    unclosed block, size); `diagnostics` adds what parsing the YAML found.
    """

    path: str
    yaml_text: str | None = None
    yaml_first_line: int = 2
    _body: str | None = field(default="", repr=False)
    body_first_line: int = 1
    # A tuple, the empty one shared: ten thousand notes read without a problem.
    read_diagnostics: tuple[Diagnostic, ...] = ()
    mtime_ns: int = 0
    size: int = 0
    _front_matter: FrontMatter | None = field(default=None, repr=False)
    _body_links: list[Link] | None = field(default=None, repr=False)
    _tasks: list[Task] | None = field(default=None, repr=False)
    # The tasks as the index cache stored them, made `Task`s only when a
    # command asks (a listing restores ten thousand notes and reads none).
    _task_rows: list[object] | None = field(default=None, repr=False)
    _dated: DatedTasks | None = field(default=None, repr=False)
    source_root: str | None = field(default=None, repr=False)
    _brackets: bool = field(default=True, repr=False)
    _name: str | None = field(default=None, repr=False)
    _id: object = field(default=False, repr=False)
    max_bytes: int = field(default=MAX_NOTE_BYTES, repr=False)

    @property
    def body(self) -> str:
        """The Markdown after the front-matter. A note restored from the index
        cache has none in memory; it is read from the file the first time a
        command needs it (tasks, body links), never for one that does not."""
        if self._body is None:
            self._body = self._reread_body()
        return self._body

    @body.setter
    def body(self, value: str) -> None:
        self._body = value

    @property
    def may_hold_links_or_tasks(self) -> bool:
        """False when the body has no ``[`` at all: no wikilink, no task. Known
        without the body, so a watcher that released it need not read it again."""
        return "[" in self._body if self._body is not None else self._brackets

    def forget_body_and_tasks(self) -> None:
        """Forget the body and its tasks once the follow-ups drawn from them are
        known (a long-running watcher keeps those), keeping only the dated
        tasks, packed; both are read again if ever needed. A body whose tasks
        were never asked for goes too (one without a ``[`` has none)."""
        if self.known_tasks is not None:
            if self.source_root is not None:
                self.dated_tasks  # noqa: B018 - computed and kept
                self.forget_body()
                self._tasks = None
        elif self._body is not None:  # cheap for the thousands with neither, on every save
            self.forget_body()

    def keep_tasks_forget_body(self) -> None:
        """Keep only the dated tasks, packed, and forget the text and the
        tasks at once (a watcher's first read: neither the vault's bodies nor
        its tasks are ever all in memory at once)."""
        if self.source_root is not None and self._body is not None:
            self.dated_tasks  # noqa: B018 - computed and kept
            self.forget_body()
            self._tasks = None

    def forget_body(self) -> None:
        """Forget the text after the front-matter (read again from the file if
        a command ever needs it): a listing has no use for it."""
        if self.source_root is not None and self._body is not None:
            self._brackets = "[" in self._body
            self._body = None

    def release_front_matter(self) -> None:
        """Forget the parsed front-matter (parsed again from the kept text if
        ever needed): a watcher keeps what it drew from an ordinary note (its
        name, id and kind), not every value in it."""
        if self.yaml_text is not None:
            self._front_matter = None

    def _reread_body(self) -> str:
        if self.source_root is None or self.too_large:
            return ""
        fresh = read_note(self.source_root, self.path, self.max_bytes)
        return fresh._body or ""

    @property
    def too_large(self) -> bool:
        """Over ``max_note_size`` when read: front-matter only, no body."""
        return any(d.code == TOO_LARGE for d in self.read_diagnostics)

    @property
    def front_matter(self) -> FrontMatter:
        if self._front_matter is None:
            self._front_matter = parse_front_matter(self.path, self.yaml_text, self.yaml_first_line)
        return self._front_matter

    @property
    def fields(self) -> dict[str, object]:
        return self.front_matter.fields

    @property
    def key_lines(self) -> dict[str, int]:
        return self.front_matter.key_lines

    @property
    def raw_keys(self) -> dict[str, str]:
        return self.front_matter.raw_keys

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return [*self.read_diagnostics, *self.front_matter.diagnostics]

    @property
    def has_front_matter(self) -> bool:
        return self.yaml_text is not None

    def mentions_key(self, *words: str) -> bool:
        """Whether the raw front-matter might hold one of these keys, without
        parsing it: a cheap test that lets most notes stay unparsed."""
        text = self.yaml_text
        if not text:
            return False
        lowered = text.lower()
        return any(word in lowered for word in words)

    @property
    def stem(self) -> str:
        """The file name without ``.md``: what a wikilink names. NFC, so a name
        stored decomposed (macOS) prints and compares like one typed."""
        name = self.path.rsplit("/", 1)[-1]
        stem = name[:-3] if name.lower().endswith(".md") else name
        return stem if stem.isascii() else unicodedata.normalize("NFC", stem)

    @property
    def name(self) -> str:
        """The display name: ``name:`` when it is text, else the file name.
        Kept once known: a Note never changes (a changed file is a new Note),
        and a watcher asks for the names of thousands on every save."""
        if self._name is None:
            self._name = self._display_name()
        return self._name

    @property
    def id(self) -> str | None:
        """The ``id:`` text (what keeps a note's calendar events across renames),
        or None. Kept once known, like `name`."""
        if self._id is False:
            value = self.fields.get("id") if self.mentions_key("id") else None
            self._id = value.strip() if isinstance(value, str) and value.strip() else None
        return self._id  # type: ignore[return-value]

    def _display_name(self) -> str:
        if not self.mentions_key("name"):
            return self.stem
        value = self.fields.get("name")
        if isinstance(value, str) and value.strip():
            return value.strip()
        return self.stem

    @property
    def folder(self) -> str:
        """The vault-relative folder (``People/Alumni``), empty at the root."""
        return self.path.rsplit("/", 1)[0] if "/" in self.path else ""

    @property
    def body_links(self) -> list[Link]:
        """Wikilinks in the body, found on first use: most commands never need them,
        and scanning every body costs more than parsing every front-matter."""
        if self._body_links is None:
            self._body_links = links_in_body(self.body, self.body_first_line)
        return self._body_links

    @property
    def tasks(self) -> list[Task]:
        """Obsidian Tasks lines in the body, found on first use like `body_links`."""
        tasks = self.known_tasks
        if tasks is None:
            tasks = self._tasks = tasks_in_body(self.body, self.body_first_line)
        return tasks

    def _restore_tasks(self) -> None:
        """The stored task rows made tasks; a row that does not read (the cache
        is untrusted) leaves the tasks to be found in the body again."""
        rows, self._task_rows = self._task_rows, None
        try:
            self._tasks = tasks_from_rows(rows)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            self._tasks = None

    @property
    def dated_tasks(self) -> DatedTasks:
        """The tasks that have a due date (what follow-ups are drawn from),
        with their positions in `tasks`. Kept once known: a watcher keeps
        them when it lets the body and the tasks go."""
        if self._dated is None:
            self._dated = DatedTasks.of(self.tasks)
        return self._dated

    @property
    def known_tasks(self) -> list[Task] | None:
        """The tasks if already found (or restored from the index cache), else
        None: what the cache stores without reading a body to find them."""
        if self._tasks is None and self._task_rows is not None:
            self._restore_tasks()
        return self._tasks

    @property
    def tasks_known(self) -> bool:
        """Whether the tasks are found or stored, without making stored rows tasks."""
        return self._tasks is not None or self._task_rows is not None

    @property
    def known_body_links(self) -> list[Link] | None:
        """The body's links if already found, else None (like `known_tasks`)."""
        return self._body_links

    def line_of(self, key: str) -> int | None:
        return self.key_lines.get(key)

    def links(self, key: str) -> list[Link]:
        """Links given under a (normalised) front-matter key, in every accepted form."""
        return links_in_value(self.fields.get(key), self.key_lines.get(key))

    def problem(
        self,
        severity: str,
        code: str,
        message: str,
        key: str | None = None,
        line: int | None = None,
    ) -> Diagnostic:
        """Make a diagnostic about this note, naming the key and its line when known."""
        if key is not None:
            line = line if line is not None else self.key_lines.get(key)
            raw = self.raw_keys.get(key, key)
            message = f"{raw}: {message}"
        return Diagnostic(self.path, line, severity, code, message)  # type: ignore[arg-type]


def parse_note(path: str, data: bytes) -> Note:
    """Build a `Note` from a file's bytes; problems become diagnostics on the note."""
    note = Note(path=path, size=len(data))
    decoded = decode_note(data)
    if decoded.problem is not None:
        severity = "error" if decoded.is_binary else "warning"
        note.read_diagnostics += (
            Diagnostic(path, decoded.problem_line, severity, decoded.code, decoded.problem),  # type: ignore[arg-type]
        )
        if decoded.is_binary:
            return note
    split = split_front_matter(decoded.text)
    if split.unclosed:
        note.read_diagnostics += (
            Diagnostic(
                path,
                1,
                "error",
                "front-matter",
                "front-matter opened with --- on line 1 is never closed with ---",
            ),
        )
    note.yaml_text, note.yaml_first_line = split.yaml_text, split.yaml_first_line
    note.body, note.body_first_line = split.body, split.body_first_line
    return note


def parse_front_matter(path: str, yaml_text: str | None, first_line: int) -> FrontMatter:
    """Parse a front-matter block; problems become diagnostics, never exceptions."""
    front = FrontMatter()
    if yaml_text is None:
        return front
    try:
        loaded = load_yaml_mapping(yaml_text, first_line)
    except YamlProblem as problem:
        front.diagnostics.append(
            Diagnostic(path, problem.line, "error", "front-matter", problem.message)
        )
        return front
    except RecursionError:  # a backstop: the limits in yaml_text should prevent it
        front.diagnostics.append(
            Diagnostic(path, first_line, "error", "front-matter", "front-matter nests too deeply")
        )
        return front
    for raw_key, line in loaded.duplicate_keys:
        front.diagnostics.append(
            Diagnostic(
                path,
                line,
                "warning",
                "duplicate-key",
                f"{raw_key}: key given twice; the last value is used",
            )
        )
    _store_fields(path, front, loaded.data, loaded.key_lines)
    return front


def _store_fields(
    path: str, front: FrontMatter, data: dict[str, object], key_lines: dict[str, int]
) -> None:
    """Normalise keys. Two spellings of one key: the later wins, as YAML does for a
    key given twice, except that the canonical spelling beats a synonym."""
    for raw_key, value in data.items():
        key = normalise_key(raw_key)
        previous = front.raw_keys.get(key)
        if previous is not None:
            new_wins = raw_key == key or previous != key
            kept, dropped = (raw_key, previous) if new_wins else (previous, raw_key)
            front.diagnostics.append(
                Diagnostic(
                    path,
                    key_lines.get(dropped),
                    "warning",
                    "duplicate-key",
                    f"{dropped}: means the same as {kept}, which is used instead",
                )
            )
            if not new_wins:
                continue
        front.fields[key] = value
        front.raw_keys[key] = raw_key
        if raw_key in key_lines:
            front.key_lines[key] = key_lines[raw_key]


TOO_LARGE = "too-large"


def read_note(root: Path | str, rel_path: str, max_bytes: int = MAX_NOTE_BYTES) -> Note:
    """Read one note; an unreadable file becomes a note with an error.

    A file beyond ``max_bytes`` (``max_note_size``) is read only up to the
    limit, for its front-matter; its body is not kept or parsed (no tasks, no
    links) and the note carries a ``too-large`` warning naming the limit, so
    a stray 1 GB file costs a bounded amount of memory instead of the process.
    """
    try:
        data, stat = _read_bytes(os.path.join(root, rel_path), max_bytes + 1)
    except OSError as exc:
        note = Note(path=rel_path)
        reason = exc.strerror or str(exc)
        note.read_diagnostics += (
            Diagnostic(rel_path, None, "error", "unreadable", f"cannot read the note: {reason}"),
        )
        return note
    truncated = len(data) > max_bytes
    if truncated:
        data = data[:max_bytes]
    note = parse_note(rel_path, data)
    note.mtime_ns, note.size = stat.st_mtime_ns, stat.st_size
    note.source_root = root if isinstance(root, str) else str(root)
    note.max_bytes = max_bytes
    if truncated:
        note.body, note._brackets = "", False
        note.read_diagnostics += (
            Diagnostic(
                rel_path,
                None,
                "warning",
                TOO_LARGE,
                f"the note is {size_text(stat.st_size)}, over max_note_size "
                f"({size_text(max_bytes)}): only its front-matter is read, "
                "its tasks and links are skipped",
            ),
        )
    return note


def size_text(size: int) -> str:
    """A byte count as people say it: ``5 MB``, ``190.7 MB``, ``800 kB``."""
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("kB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} bytes"


def _read_bytes(path: str, limit: int) -> tuple[bytes, os.stat_result]:
    """Up to ``limit`` bytes of a file, and its stat, in as few system calls
    as a small file allows (a cold load reads ten thousand of them): the
    buffered-file machinery of `open` costs more than the read itself."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        stat = os.fstat(fd)
        data = os.read(fd, min(limit, stat.st_size + 1))
        if len(data) == stat.st_size:  # all of it, as fstat said: no second call
            return data, stat
        parts = [data]
        total = len(data)
        while data and total < limit:  # a short read (FUSE, network), or it grew
            data = os.read(fd, min(1 << 20, limit - total))
            parts.append(data)
            total += len(data)
        return b"".join(parts), stat
    finally:
        os.close(fd)
