"""Organizations: where contacts work, read from organization notes."""

from __future__ import annotations

from dataclasses import dataclass, field

from vaultkit.diagnostics import Diagnostic
from vaultkit.domain.fields import FieldReader
from vaultkit.notes import values
from vaultkit.notes.note import Note
from vaultkit.vault.index import VaultIndex


@dataclass
class Organization:
    note: Note
    name: str
    aliases: list[str]
    industry: str | None
    website: str | None
    location: str | None
    size: str | None
    id: str | None
    problems: list[Diagnostic] = field(default_factory=list)

    @property
    def path(self) -> str:
        return self.note.path


def read_organization(note: Note, index: VaultIndex) -> Organization:
    read = FieldReader(note, index)
    organization = Organization(
        note=note,
        name=note.name,
        aliases=read.get("aliases", values.text_list) or [],
        industry=read.text("industry"),
        website=read.text("website"),
        location=read.text("location"),
        size=read.text("size"),
        id=read.text("id"),
    )
    organization.problems = read.problems
    return organization
