"""The vault index: every note read once, each one's kind, and link resolution.

This is the in-memory database the domain views query. Loading never fails
because of a note: a note that cannot be read carries its diagnostics and
stays in the index (it still has a name other notes can link to).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from vaultkit.diagnostics import Diagnostic
from vaultkit.notes.note import Note, read_note
from vaultkit.notes.values import ValueProblem, text
from vaultkit.vault.config import Config, load_config
from vaultkit.vault.resolve import LinkResolver, Resolution
from vaultkit.vault.walk import list_notes

Kind = Literal["contact", "organization", "interview", "other"]

TYPE_WORDS: dict[str, Kind] = {
    "contact": "contact",
    "person": "contact",
    "people": "contact",
    "organization": "organization",
    "organisation": "organization",
    "org": "organization",
    "company": "organization",
    "interview": "interview",
    "informational-interview": "interview",
    "meeting": "interview",
}


@dataclass
class VaultIndex:
    """All notes of one vault, by path, with their kinds and a link resolver."""

    root: Path
    config: Config
    notes: dict[str, Note]
    walk_diagnostics: list[Diagnostic] = field(default_factory=list)
    _resolver: LinkResolver | None = None
    _kinds: dict[str, Kind] = field(default_factory=dict)

    @classmethod
    def load(cls, root: Path, config: Config | None = None) -> VaultIndex:
        """Read the whole vault at ``root`` (config from ``.vaultkit.toml`` unless given)."""
        config = config if config is not None else load_config(root)
        paths, walk_problems = list_notes(root, config)
        notes = {path: read_note(root, path) for path in paths}
        return cls(root=root, config=config, notes=notes, walk_diagnostics=walk_problems)

    @property
    def resolver(self) -> LinkResolver:
        if self._resolver is None:
            self._resolver = LinkResolver(self.notes.values())
        return self._resolver

    def resolve(self, target: str) -> Resolution:
        return self.resolver.resolve(target)

    def kind(self, note: Note) -> Kind:
        """``type:`` when it names a kind, else the configured folder the note is in."""
        kind = self._kinds.get(note.path)
        if kind is None:
            kind = self._kinds[note.path] = self._classify(note)
        return kind

    def of_kind(self, kind: Kind) -> Iterator[Note]:
        return (note for note in self.notes.values() if self.kind(note) == kind)

    def _classify(self, note: Note) -> Kind:
        declared = self.declared_type(note)
        if declared:
            return TYPE_WORDS.get(declared, "other")
        return self.folder_kind(note)

    @staticmethod
    def declared_type(note: Note) -> str:
        """The ``type:`` word, normalised (``[[Person]]`` → ``person``); empty if none."""
        try:
            word = text(note.fields.get("type")) or ""
        except ValueProblem:
            return ""
        return word.strip("[]").strip().lower().replace(" ", "-").replace("_", "-")

    def folder_kind(self, note: Note) -> Kind:
        """The kind the note's folder gives, whatever its ``type:`` says."""
        folder = note.folder.lower()
        folders = self.config.folders
        for kind, configured in (
            ("contact", folders.people),
            ("organization", folders.organizations),
            ("interview", folders.interviews),
        ):
            base = configured.lower()
            if base and (folder == base or folder.startswith(base + "/")):
                return kind  # type: ignore[return-value]
        return "other"

    @staticmethod
    def is_kind_word(word: str) -> bool:
        """Whether a ``type:`` word names one of vaultkit's kinds."""
        return word in TYPE_WORDS

    def diagnostics(self) -> list[Diagnostic]:
        """What reading the vault found: config, walking and each note's parse."""
        found = list(self.config.diagnostics) + list(self.walk_diagnostics)
        for note in self.notes.values():
            found.extend(note.diagnostics)
        return found
