"""A front-matter link after resolution: what the note said and what it points to."""

from __future__ import annotations

from dataclasses import dataclass

from vaultkit.notes.note import Note
from vaultkit.notes.wikilinks import Link
from vaultkit.vault.resolve import Resolution


@dataclass(frozen=True, slots=True)
class Ref:
    """A resolved (or unresolved) reference from one note to another.

    ``name`` is what listings and JSON show: the linked note's display name
    when the link resolves, else the text as the user wrote it.
    """

    link: Link
    resolution: Resolution

    @property
    def note(self) -> Note | None:
        return self.resolution.note

    @property
    def name(self) -> str:
        return self.note.name if self.note is not None else self.link.target

    @property
    def path(self) -> str | None:
        return self.note.path if self.note is not None else None
