"""Parsing one note file into a `Note`: the only function here that touches disk
reads exactly one file, once, and never raises for what is inside it.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from vaultkit.diagnostics import Diagnostic
from vaultkit.notes.frontmatter import split_front_matter
from vaultkit.notes.keys import normalise_key
from vaultkit.notes.source import decode_note
from vaultkit.notes.tasks import Task, tasks_in_body
from vaultkit.notes.wikilinks import Link, links_in_body, links_in_value
from vaultkit.notes.yaml_text import YamlProblem, load_yaml_mapping

MAX_NOTE_BYTES = 16 * 1024 * 1024


@dataclass(slots=True)
class Note:
    """A parsed note: normalised front-matter, links, and what went wrong reading it.

    ``fields`` maps normalised keys (``referred_by``) to values exactly as
    typed (strings, lists, nested mappings). ``key_lines`` gives each
    normalised key's 1-based line in the file so any later diagnostic about a
    value can point at it. ``raw_keys`` keeps the spelling the user chose.
    """

    path: str
    fields: dict[str, object] = field(default_factory=dict)
    key_lines: dict[str, int] = field(default_factory=dict)
    raw_keys: dict[str, str] = field(default_factory=dict)
    body: str = ""
    body_first_line: int = 1
    diagnostics: list[Diagnostic] = field(default_factory=list)
    has_front_matter: bool = False
    mtime_ns: int = 0
    size: int = 0
    _body_links: list[Link] | None = field(default=None, repr=False)
    _tasks: list[Task] | None = field(default=None, repr=False)

    @property
    def stem(self) -> str:
        """The file name without ``.md``: what a wikilink names. NFC, so a name
        stored decomposed (macOS) prints and compares like one typed."""
        name = self.path.rsplit("/", 1)[-1]
        stem = name[:-3] if name.lower().endswith(".md") else name
        return stem if stem.isascii() else unicodedata.normalize("NFC", stem)

    @property
    def name(self) -> str:
        """The display name: ``name:`` when it is text, else the file name."""
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
        if self._tasks is None:
            self._tasks = tasks_in_body(self.body, self.body_first_line)
        return self._tasks

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
        note.diagnostics.append(
            Diagnostic(path, decoded.problem_line, severity, "encoding", decoded.problem)  # type: ignore[arg-type]
        )
        if decoded.is_binary:
            return note
    split = split_front_matter(decoded.text)
    if split.unclosed:
        note.diagnostics.append(
            Diagnostic(
                path,
                1,
                "error",
                "front-matter",
                "front-matter opened with --- on line 1 is never closed with ---",
            )
        )
    if split.yaml_text is not None:
        note.has_front_matter = True
        try:
            loaded = load_yaml_mapping(split.yaml_text, split.yaml_first_line)
        except YamlProblem as problem:
            note.diagnostics.append(
                Diagnostic(path, problem.line, "error", "front-matter", problem.message)
            )
        except RecursionError:  # a backstop: the limits in yaml_text should prevent it
            note.diagnostics.append(
                Diagnostic(path, 2, "error", "front-matter", "front-matter nests too deeply")
            )
        else:
            for raw_key, line in loaded.duplicate_keys:
                note.diagnostics.append(
                    Diagnostic(
                        path,
                        line,
                        "warning",
                        "duplicate-key",
                        f"{raw_key}: key given twice; the last value is used",
                    )
                )
            _store_fields(note, loaded.data, loaded.key_lines)
    note.body, note.body_first_line = split.body, split.body_first_line
    return note


def _store_fields(note: Note, data: dict[str, object], key_lines: dict[str, int]) -> None:
    """Normalise keys. Two spellings of one key: the later wins, as YAML does for a
    key given twice, except that the canonical spelling beats a synonym."""
    for raw_key, value in data.items():
        key = normalise_key(raw_key)
        previous = note.raw_keys.get(key)
        if previous is not None:
            new_wins = raw_key == key or previous != key
            kept, dropped = (raw_key, previous) if new_wins else (previous, raw_key)
            note.diagnostics.append(
                Diagnostic(
                    note.path,
                    key_lines.get(dropped),
                    "warning",
                    "duplicate-key",
                    f"{dropped}: means the same as {kept}, which is used instead",
                )
            )
            if not new_wins:
                continue
        note.fields[key] = value
        note.raw_keys[key] = raw_key
        if raw_key in key_lines:
            note.key_lines[key] = key_lines[raw_key]


def read_note(root: Path, rel_path: str, max_bytes: int = MAX_NOTE_BYTES) -> Note:
    """Read and parse one note; an unreadable file becomes a note with an error.

    Files beyond ``max_bytes`` are read up to the limit and reported, so a stray
    1 GB file costs a bounded amount of memory instead of the process.
    """
    try:
        with open(os.path.join(root, rel_path), "rb") as handle:
            stat = os.fstat(handle.fileno())
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        note = Note(path=rel_path)
        reason = exc.strerror or str(exc)
        note.diagnostics.append(
            Diagnostic(rel_path, None, "error", "unreadable", f"cannot read the note: {reason}")
        )
        return note
    truncated = len(data) > max_bytes
    if truncated:
        data = data[:max_bytes]
    note = parse_note(rel_path, data)
    note.mtime_ns, note.size = stat.st_mtime_ns, stat.st_size
    if truncated:
        note.diagnostics.append(
            Diagnostic(
                rel_path,
                None,
                "warning",
                "too-large",
                f"the note is {stat.st_size // (1024 * 1024)} MB; only the first "
                f"{max_bytes // (1024 * 1024)} MB were read",
            )
        )
    return note
