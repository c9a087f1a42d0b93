"""Obsidian Tasks lines in a note body: ``- [ ] Send résumé 📅 2026-11-27``.

The Tasks plugin's emoji format (``📅`` due, ``✅`` done) and Dataview's inline
fields (``[due:: 2026-11-27]``, ``[completion:: …]``) are both read. Tasks in
code blocks are examples and are skipped, like links.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from vaultkit.notes.typed_values import FIRST_YEAR, LAST_YEAR
from vaultkit.notes.wikilinks import strip_code

_TASK = re.compile(r"^(?P<indent>[ \t]*)[-*+] \[(?P<mark>.)\] (?P<text>.*)$", re.M)
_DUE = re.compile(r"(?:📅\ufe0f?\s*|\[due::\s*)(\d{4}-\d{2}-\d{2})\]?")
_DONE = re.compile(r"(?:✅\ufe0f?\s*|\[completion::\s*)(\d{4}-\d{2}-\d{2})\]?")
_FIELDS = re.compile(
    r"\s*(?:(?:📅|✅|⏳|🛫|➕|❌)\ufe0f?\s*\d{4}-\d{2}-\d{2}|"
    r"\[(?:due|completion|scheduled|start|created)::[^\]]*\]|"
    r"(?:🔁|⏫|🔼|🔽|🔺|⏬)\ufe0f?[^📅✅⏳🛫➕]*)"
)
DONE_MARKS = frozenset("xX")
CANCELLED_MARKS = frozenset("-")
_CHECKED_MARKS = DONE_MARKS | CANCELLED_MARKS


class Task(NamedTuple):
    """One checklist line. ``text`` is the task without its date fields;
    ``due``/``done_on`` are None when absent or not real dates.

    A named tuple, not a dataclass: a warm command rebuilds every task of the
    vault from the index cache (tens of thousands), and a tuple is made in one
    step and, holding only strings and dates, is never walked by the garbage
    collector again."""

    line: int
    text: str
    raw: str
    mark: str
    due: dt.date | None
    done_on: dt.date | None
    bad_date: str | None = None  # a date field that is not a real date, as written

    @property
    def checked(self) -> bool:
        """Done or cancelled: either way nothing is owed any more."""
        return self.mark in _CHECKED_MARKS


def tasks_from_rows(rows: list[object]) -> list[Task]:
    """Tasks stored as plain rows (``[line, text, raw, mark, due, done_on,
    bad_date]``, dates as ISO text) made `Task` again, in one loop: a warm
    command may restore every task of the vault. A malformed row raises
    TypeError or ValueError."""
    day = dt.date.fromisoformat
    tasks = []
    for line, text, raw, mark, due, done_on, bad_date in rows:  # type: ignore[misc]
        if not (isinstance(text, str) and isinstance(raw, str) and isinstance(mark, str)):
            raise TypeError("task")
        tasks.append(
            Task(
                int(line),
                text,
                raw,
                mark,
                day(due) if due else None,
                day(done_on) if done_on else None,
                bad_date if isinstance(bad_date, str) else None,
            )
        )
    return tasks


def task_row(task: Task) -> list[object]:
    """A task as the plain row `tasks_from_rows` reads."""
    return [
        task.line,
        task.text,
        task.raw,
        task.mark,
        task.due.isoformat() if task.due else None,
        task.done_on.isoformat() if task.done_on else None,
        task.bad_date,
    ]


def _date(match: re.Match[str] | None, bad: list[str]) -> dt.date | None:
    if match is None:
        return None
    try:
        day = dt.date.fromisoformat(match.group(1))
    except ValueError:
        day = None
    if day is None or not FIRST_YEAR <= day.year <= LAST_YEAR:
        bad.append(match.group(1))
        return None
    return day


def tasks_in_body(body: str, first_line: int = 1) -> list[Task]:
    """Every task line outside code, with its 1-based file line."""
    if "[" not in body:
        return []
    text = strip_code(body)
    found: list[Task] = []
    line = first_line
    position = 0
    for match in _TASK.finditer(text):
        line += text.count("\n", position, match.start())
        position = match.start()
        # Code spans were blanked only to find the tasks; the task's own text
        # is taken from the note as written (the blanking keeps positions).
        raw = body[match.start("text") : match.end("text")]
        bad: list[str] = []
        found.append(
            Task(
                line=line,
                text=_FIELDS.sub("", raw).strip(),
                raw=raw,
                mark=match.group("mark"),
                due=_date(_DUE.search(raw), bad),
                done_on=_date(_DONE.search(raw), bad),
                bad_date=bad[0] if bad else None,
            )
        )
    return found


@dataclass(frozen=True, slots=True)
class DatedTask:
    """One task that has a due date, as the follow-up rules read it."""

    text: str
    due: dt.date
    checked: bool
    line: int


class DatedTasks:
    """A note's tasks that have a due date, with their positions in the
    note's task list, packed: one UTF-8 string of texts and one array of
    numbers per note instead of objects per task. A watcher keeps this for
    every note in place of the tasks, whose raw lines and dates it never
    reads again; each `DatedTask` is made when iterated. Made by `of`."""

    __slots__ = ("_numbers", "_texts")

    def __init__(self, numbers: array[int], texts: bytes) -> None:
        self._numbers = numbers  # (position, line, due day * 2 + checked) of each
        self._texts = texts  # joined by "\n", which no task's text holds (one line each)

    @classmethod
    def of(cls, tasks: Iterable[Task]) -> DatedTasks:
        """The dated ones among ``tasks`` (a note's, in order)."""
        numbers: list[int] = []
        texts = []
        for position, task in enumerate(tasks):
            if task.due is not None:
                numbers += (position, task.line, task.due.toordinal() * 2 + task.checked)
                texts.append(task.text)
        if not numbers:
            return NO_DATED_TASKS  # shared: most notes have none
        return cls(array("I", numbers), "\n".join(texts).encode("utf-8", "surrogatepass"))

    def __len__(self) -> int:
        return len(self._numbers) // 3

    def texts(self) -> Iterator[tuple[int, str]]:
        """(position, text) of each dated task: what the task scope judges."""
        if not self._numbers:
            return iter(())
        texts = self._texts.decode("utf-8", "surrogatepass").split("\n")
        return zip(self._numbers[::3], texts, strict=True)

    def text(self, index: int) -> str:
        """The ``index``-th dated task's text."""
        return self._texts.decode("utf-8", "surrogatepass").split("\n")[index]

    def line(self, index: int) -> int:
        """The ``index``-th dated task's line in the file."""
        return self._numbers[index * 3 + 1]

    def __iter__(self) -> Iterator[tuple[int, DatedTask]]:
        """(position, task) of each dated task, in the note's order."""
        numbers = self._numbers
        for (position, text), line, day in zip(
            self.texts(), numbers[1::3], numbers[2::3], strict=True
        ):
            yield position, DatedTask(text, _day(day >> 1), bool(day & 1), line)


NO_DATED_TASKS = DatedTasks(array("I"), b"")


@functools.lru_cache(maxsize=4096)
def _day(ordinal: int) -> dt.date:
    """One date object per day: a vault's tasks fall on a few hundred days."""
    return dt.date.fromordinal(ordinal)
