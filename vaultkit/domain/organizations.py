"""Organizations: where contacts work, read from organization notes.

The LAMP keys (*The 2-Hour Job Search*'s target list) are optional:
``motivation`` 1-5, ``posting`` 1-3, and ``advocacy`` (``alumni`` means the
same), free text since people write yes/no, a count or a name there.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from vaultkit.diagnostics import Diagnostic
from vaultkit.domain.field_reader import FieldReader
from vaultkit.notes import typed_values
from vaultkit.notes.note import Note
from vaultkit.notes.typed_values import ValueProblem
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
    motivation: int | None = None
    posting: int | None = None
    advocacy: str | None = None
    problems: list[Diagnostic] = field(default_factory=list)

    @property
    def path(self) -> str:
        return self.note.path


def read_organization(note: Note, index: VaultIndex) -> Organization:
    read = FieldReader(note, index)
    organization = Organization(
        note=note,
        name=note.name,
        aliases=read.get("aliases", typed_values.text_list) or [],
        industry=read.text("industry"),
        website=read.text("website"),
        location=read.text("location"),
        size=read.text("size"),
        id=read.text("id"),
        motivation=read.get("motivation", _score, 5, code="bad-value", severity="warning"),
        posting=read.get("posting", _score, 3, code="bad-value", severity="warning"),
        advocacy=read.text("advocacy") or read.text("alumni"),
    )
    organization.problems = read.problems
    return organization


def _score(value: object, top: int) -> int | None:
    """A LAMP score: a whole number from 1 to ``top``."""
    raw = typed_values.text(value)
    if raw is None:
        return None
    if not raw.isdigit() or not 1 <= int(raw) <= top:
        raise ValueProblem(f"{raw!r} is not a score from 1 to {top}")
    return int(raw)
