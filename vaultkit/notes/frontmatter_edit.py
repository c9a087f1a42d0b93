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
_LINE = re.compile(r"[^\n]*\n|[^\n]+$")
_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")
_TASK_LINE = re.compile(r"^(?P<lead>[ \t]*[-*+] )\[[^\]]\] (?P<text>.*)$")


def _quoted(value: str, quote: str) -> str:
    if quote == "'":
        return "'" + value.replace("'", "''") + "'"
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def yaml_scalar(value: str) -> str:
    """``value`` as YAML that reads back as this very string: plain when YAML
    would read it so, else double-quoted (``no``, ``12:30``, ``0612``, ``[[Bob]]``,
    a ``#`` or ``: `` inside)."""
    import yaml  # PyYAML's YAML 1.1 reading, the strictest one Obsidian plugins use

    if value and value == value.strip() and not any(c in value for c in "\r\n\t'\""):
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        try:
            loaded = yaml.load(f"k: {value}\n", Loader=loader)
        except yaml.YAMLError:
            loaded = None
        if loaded == {"k": value}:
            return value
    return _quoted(value, '"')


class EditProblem(Exception):
    """An edit that cannot be made without touching more than it should."""


def done_mark(task_text: str, done_on: str) -> str:
    """What ticking a task appends: Dataview's ``[completion:: day]`` for a task
    dated the Dataview way, else ``✅ day`` as the Tasks plugin writes it."""
    return f"[completion:: {done_on}]" if "[due::" in task_text else f"✅ {done_on}"


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
        # Split on \n only: str.splitlines also breaks at form feeds and U+2028,
        # which editors show inside a line (and the Tasks parser reads that way).
        return cls(bom, _LINE.findall(text), newline)

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

    def set_key(
        self, key: str, value: str, *, as_text: bool = False, keep_quoting: bool = True
    ) -> None:
        """Give the (normalised) ``key`` the plain ``value``: its own line is
        rewritten in place, keeping the user's spelling of the key and any
        comment after the value; a missing key is added at the end of the
        front-matter; a note without front-matter gets one. With ``as_text``,
        ``value`` is quoted when YAML would otherwise read it as something else
        (the user's own quoting is kept either way, unless ``keep_quoting`` is
        False: a number written over a quoted ``"yes"`` stays a number)."""
        if as_text:
            self._text_value = value
            value = yaml_scalar(value)
        else:
            self._text_value = None
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
            loaded = load_yaml_mapping(yaml_text, 2, spans=True)
        except YamlProblem as problem:
            raise EditProblem(f"line {problem.line}: {problem.message}; fix it first") from None
        matching = [raw for raw in loaded.key_lines if normalise_key(raw) == key]
        if not matching:
            if yaml_text.lstrip().startswith("{"):
                raise EditProblem("the front-matter is one {...} mapping; add the key by hand")
            self.lines.insert(end, f"{key}: {value}{self.newline}")
            return
        # The key the reader uses: the canonical spelling when present, else the
        # last of the synonyms (as `notes.note` resolves them).
        raw = key if key in matching else matching[-1]
        span = loaded.value_spans[raw]
        if not span.single_line:
            raise EditProblem(f"{raw}: its value spans several lines; edit it by hand")
        index = 1 + span.start_line
        line = self.lines[index]
        body = line.rstrip("\r\n")
        ending = line[len(body) :]
        before, after = body[: span.start_column], body[span.end_column :]
        old = body[span.start_column : span.end_column]
        if old[:1] in ("'", '"') and (keep_quoting or as_text):  # keep the user's quoting
            value = _quoted(self._text_value if self._text_value is not None else value, old[0])
        if span.start_column == span.end_column:  # an empty value: "key:" or "key:   # note"
            comment = after.strip()
            after = f" {comment}" if comment.startswith("#") else ""
            before = before.rstrip() + " "
        self.lines[index] = f"{before}{value}{after}{ending}"

    def check_task(self, line_number: int, task_text: str, done_on: str) -> None:
        """Tick the task on 1-based ``line_number`` (whose text must still be
        ``task_text``) and append its `done_mark`."""
        index = line_number - 1
        line = self.lines[index] if 0 <= index < len(self.lines) else ""
        body = line.rstrip("\r\n")
        match = _TASK_LINE.match(body)
        if match is None or match.group("text") != task_text:
            raise EditProblem("the task line changed; run the command again")
        done = done_mark(task_text, done_on)
        ticked = f"{match.group('lead')}[x] {task_text.rstrip()} {done}"
        self.lines[index] = ticked + line[len(body) :]

    def append_log(self, entry: str) -> None:
        """Add ``- entry`` at the end of the ``## Log`` section, creating the
        section at the end of the note when there is none."""
        item = f"- {entry}{self.newline}"
        start = self._log_heading()
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

    def _log_heading(self) -> int | None:
        """The ``## Log`` line in the body: after the front-matter (where ``# Log``
        is a YAML comment) and outside fenced code (where it is an example)."""
        end = self._front_matter_end()
        fence: str | None = None
        for index in range((end + 1) if end is not None else 0, len(self.lines)):
            line = self.lines[index].rstrip("\r\n")
            opened = _FENCE.match(line)
            if fence is not None:
                if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                    fence = None
                continue
            if opened:
                fence = opened.group(1)
            elif _LOG_HEADING.match(line):
                return index
        return None

    def _ensure_final_newline(self) -> None:
        if self.lines and not self.lines[-1].endswith(("\n", "\r")):
            self.lines[-1] += self.newline
