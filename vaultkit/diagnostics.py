"""Diagnostics: what vaultkit has to say about a file, without stopping.

A broken note must never hide the rest of the vault, so every layer reports
problems as values rather than exceptions. `vaultkit check` prints them; other
commands simply carry on with what could be read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem in one file.

    ``path`` is relative to the vault and ``/``-separated, ``line`` is 1-based
    (or None when the problem has no single line), ``code`` is a stable
    machine-readable name such as ``bad-date`` that scripts can filter on.
    """

    path: str
    line: int | None
    severity: Severity
    code: str
    message: str

    def format(self) -> str:
        """The compiler-style line users paste into an editor: ``path:line: severity: msg``."""
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return _one_line(f"{where}: {self.severity}: {self.message}")

    def to_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
        }


_CONTROL = {code: f"\\x{code:02x}" for code in range(32)} | {0x7F: "\\x7f"}


def _one_line(text: str) -> str:
    """Escape control characters (a file name can hold a newline) so one
    diagnostic is always one line, as editors and grep expect."""
    return text.translate(_CONTROL) if not text.isprintable() else text
