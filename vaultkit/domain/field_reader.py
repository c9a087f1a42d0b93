"""Reading a note's typed fields while collecting, not raising, what is wrong.

Domain views call `FieldReader.get(key, parser)` for each key; a value that
cannot be read becomes a diagnostic naming the note, the key and its line, and
the field reads as missing, so one bad date never hides the rest of the note.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from vaultkit.diagnostics import Diagnostic
from vaultkit.domain.resolved_links import Ref
from vaultkit.notes.note import Note
from vaultkit.notes.typed_values import ValueProblem, choice, text
from vaultkit.vault.index import VaultIndex

T = TypeVar("T")


class FieldReader:
    """Typed access to one note's fields, with diagnostics gathered in ``problems``."""

    def __init__(self, note: Note, index: VaultIndex) -> None:
        self.note = note
        self.index = index
        self.problems: list[Diagnostic] = []
        self._fields = note.fields  # looked up once: a note has a dozen keys to read

    def get(
        self,
        key: str,
        parser: Callable[..., T],
        *args: object,
        code: str = "bad-value",
        severity: str = "error",
    ) -> T | None:
        value = self._fields.get(key)
        if value is None:
            return None
        try:
            return parser(value, *args)
        except ValueProblem as problem:
            self.problems.append(self.note.problem(severity, code, str(problem), key))
            return None

    def text(self, key: str) -> str | None:
        value = self._fields.get(key)
        if type(value) is str:  # most keys: read here as `values.text` reads it
            return value.strip() or None
        return self.get(key, text)

    def choice(
        self, key: str, allowed: tuple[str, ...], aliases: dict[str, str] | None = None
    ) -> str | None:
        """An enumerated value; an unknown one is a warning and reads as missing."""
        return self.get(key, choice, allowed, aliases, code="unknown-value", severity="warning")

    def refs(self, key: str) -> list[Ref]:
        """The key's links, each resolved against the whole vault."""
        return [Ref(link, self.index.resolve(link.target)) for link in self.note.links(key)]

    def ref(self, key: str) -> Ref | None:
        """A single link; extra links under the key are reported and ignored."""
        refs = self.refs(key)
        if len(refs) > 1:
            self.problems.append(
                self.note.problem(
                    "warning",
                    "too-many-links",
                    f"expects one link but has {len(refs)}; using {refs[0].link.target!r}",
                    key,
                )
            )
        return refs[0] if refs else None
