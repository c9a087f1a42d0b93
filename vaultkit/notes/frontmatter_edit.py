"""Surgical edits to a note the user wrote: one key's value, one task's
checkbox, one log line. Everything else stays byte for byte: comments, key
order and spelling, quoting, the byte-order mark, CRLF line ends and whether
the file ends with a newline.

Pure text in, text out; `EditProblem` when an edit cannot be made safely (a
multi-line value, broken front-matter), so the caller changes nothing.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from vaultkit.notes.keys import normalise_key
from vaultkit.notes.yaml_text import YamlProblem, load_yaml_mapping

_LOG_HEADING = re.compile(r"^#{1,6}[ \t]+log[ \t]*#*[ \t]*$", re.IGNORECASE)
_ANY_HEADING = re.compile(r"^#{1,6}[ \t]")
_TASK_LINE = re.compile(r"^(?P<lead>[ \t]*[-*+] )\[[^\]]\] (?P<text>.*)$")


def _quoted(value: str, quote: str) -> str:
    if quote == "'":
        return "'" + value.replace("'", "''") + "'"
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


class EditProblem(Exception):
    """An edit that cannot be made without touching more than it should."""


@dataclass
class EditableNote:
    """A note's text split into lines that keep their own line ends."""

    bom: bytes
    lines: list[str]
    newline: str

    @classmethod
    def from_bytes(cls, data: bytes) -> EditableNote:
        bom = codecs.BOM_UTF8 if data.startswith(codecs.BOM_UTF8) else b""
        try:
            text = data[len(bom) :].decode("utf-8")
        except UnicodeDecodeError:
            raise EditProblem("the note is not UTF-8 text; edit it by hand") from None
        newline = "\r\n" if "\r\n" in text else "\n"
        return cls(bom, text.splitlines(keepends=True), newline)

    def to_bytes(self) -> bytes:
        return self.bom + "".join(self.lines).encode("utf-8")

    def _front_matter_end(self) -> int | None:
        """Index of the closing ``---`` line, or None without front-matter."""
        if not self.lines or self.lines[0].rstrip("\r\n").rstrip() != "---":
            return None
        for index in range(1, len(self.lines)):
            if self.lines[index].rstrip("\r\n").rstrip() == "---":
                return index
        raise EditProblem("the front-matter is never closed with ---; fix it first")

    def set_key(self, key: str, value: str) -> None:
        """Give the (normalised) ``key`` the plain ``value``: its own line is
        rewritten in place, keeping the user's spelling of the key and any
        comment after the value; a missing key is added at the end of the
        front-matter; a note without front-matter gets one."""
        end = self._front_matter_end()
        if end is None:
            self.lines[0:0] = [
                f"---{self.newline}",
                f"{key}: {value}{self.newline}",
                f"---{self.newline}",
            ]
            return
        yaml_text = "".join(line.rstrip("\r\n") + "\n" for line in self.lines[1:end])
        try:
            loaded = load_yaml_mapping(yaml_text, 2)
        except YamlProblem as problem:
            raise EditProblem(f"line {problem.line}: {problem.message}; fix it first") from None
        matching = [raw for raw in loaded.key_lines if normalise_key(raw) == key]
        if not matching:
            self.lines.insert(end, f"{key}: {value}{self.newline}")
            return
        raw = matching[-1]  # YAML uses the last of duplicate keys
        span = loaded.value_spans[raw]
        if not span.single_line:
            raise EditProblem(f"{raw}: its value spans several lines; edit it by hand")
        index = 1 + span.start_line
        line = self.lines[index]
        body = line.rstrip("\r\n")
        ending = line[len(body) :]
        before, after = body[: span.start_column], body[span.end_column :]
        old = body[span.start_column : span.end_column]
        if old[:1] in ("'", '"'):  # keep the user's quoting
            value = _quoted(value, old[0])
        if span.start_column == span.end_column:  # an empty value: "key:" or "key:   # note"
            comment = after.strip()
            after = f" {comment}" if comment.startswith("#") else ""
            before = before.rstrip() + " "
        self.lines[index] = f"{before}{value}{after}{ending}"

    def check_task(self, line_number: int, task_text: str, done_on: str) -> None:
        """Tick the task on 1-based ``line_number`` (whose text must still be
        ``task_text``) and append ``✅ done_on``, as the Tasks plugin does."""
        index = line_number - 1
        line = self.lines[index] if 0 <= index < len(self.lines) else ""
        body = line.rstrip("\r\n")
        match = _TASK_LINE.match(body)
        if match is None or match.group("text") != task_text:
            raise EditProblem("the task line changed; run the command again")
        ticked = f"{match.group('lead')}[x] {task_text.rstrip()} ✅ {done_on}"
        self.lines[index] = ticked + line[len(body) :]

    def append_log(self, entry: str) -> None:
        """Add ``- entry`` at the end of the ``## Log`` section, creating the
        section at the end of the note when there is none."""
        item = f"- {entry}{self.newline}"
        start = next(
            (i for i, line in enumerate(self.lines) if _LOG_HEADING.match(line.rstrip("\r\n"))),
            None,
        )
        if start is None:
            self._ensure_final_newline()
            if self.lines and self.lines[-1].strip():
                self.lines.append(self.newline)
            self.lines.extend([f"## Log{self.newline}", self.newline, item])
            return
        end = next(
            (i for i in range(start + 1, len(self.lines)) if _ANY_HEADING.match(self.lines[i])),
            len(self.lines),
        )
        last = end - 1
        while last > start and not self.lines[last].strip():
            last -= 1
        if last == len(self.lines) - 1:
            self._ensure_final_newline()
        if last == start:  # an empty section: keep a blank line under the heading
            self.lines[start + 1 : start + 1] = [self.newline, item]
        else:
            self.lines.insert(last + 1, item)

    def _ensure_final_newline(self) -> None:
        if self.lines and not self.lines[-1].endswith(("\n", "\r")):
            self.lines[-1] += self.newline
