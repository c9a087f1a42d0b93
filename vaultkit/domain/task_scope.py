"""Which dated tasks are career follow-ups: the ``[followups] tasks`` setting.

A real vault is mostly not career notes: years of daily notes with grocery
lists and project chores. With ``"career"`` (the default) a task counts when

- its note is a contact, organization or interview note;
- its note is tagged (front-matter ``tags:``) or placed (a folder) as the
  setting's list says, or the task line carries such a ``#tag``;
- its note is dated (an ISO date in its file name, else a ``date:`` key) on or
  after the start of the search: 30 days before the earliest ``contacted_on``
  or interview;
- the task line itself links to a contact, organization or interview note, or
  names a contact or organization by its name or an alias (word by word,
  case-insensitively).

The last test reads the task line, not the rest of its note: a daily note of
2020 whose log says "Coffee with [[Jane Doe]]" does not make its grocery list
about Jane, while "Email Chris Park about the data platform team" is. It also
keeps the decision cheap: it needs only the task texts a watcher keeps.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence

from vaultkit.notes import typed_values
from vaultkit.notes.note import Note
from vaultkit.notes.tasks import DatedTasks
from vaultkit.notes.typed_values import ValueProblem
from vaultkit.notes.wikilinks import link_targets
from vaultkit.vault.index import Kind, VaultIndex

CAREER_KINDS = frozenset({"contact", "organization", "interview"})
SEARCH_LEAD = dt.timedelta(days=30)
MIN_SINGLE_WORD = 3  # a one-word name shorter than this ("Al", "HP") matches too much

_WORD = re.compile(r"\w+")
_STEM_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_TAG = re.compile(r"(?<![\w#])#([\w/-]+)")

Counted = bool | tuple[int, ...]  # True: every task; else the positions that count


class NameMatcher:
    """Every contact and organization name and alias, matched word by word.

    Built once per vault index version: names are split into words and filed
    under their first word, so a task line costs one dictionary look-up per
    word, however many contacts there are (an alternation regex of thousands
    of names would try each at every position).
    """

    def __init__(self, names: Iterable[str]) -> None:
        by_first: dict[str, set[tuple[str, ...]]] = {}
        for name in names:
            words = tuple(_WORD.findall(name.casefold()))
            if not words or (len(words) == 1 and len(words[0]) < MIN_SINGLE_WORD):
                continue
            by_first.setdefault(words[0], set()).add(words[1:])
        self._by_first = {first: tuple(rests) for first, rests in by_first.items()}

    def names_someone(self, text: str) -> bool:
        """Whether ``text`` holds one of the names as whole words."""
        words = _WORD.findall(text.casefold())
        by_first = self._by_first
        if by_first.keys().isdisjoint(words):  # most lines: no name starts anywhere
            return False
        for position, word in enumerate(words):
            rests = by_first.get(word)
            if rests is None:
                continue
            for rest in rests:
                if not rest or tuple(words[position + 1 : position + 1 + len(rest)]) == rest:
                    return True
        return False


def search_start(contacted: Iterable[dt.date], interviews: Iterable[dt.date]) -> dt.date | None:
    """30 days before the first request or interview; None before the search."""
    first = min((*contacted, *interviews), default=None)
    return None if first is None else first - SEARCH_LEAD


def note_date(note: Note) -> dt.date | None:
    """A daily or dated note's day: an ISO date in its file name, else ``date:``."""
    match = _STEM_DATE.search(note.stem)
    if match is not None:
        try:
            return dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            pass
    if note.mentions_key("date"):
        try:
            return typed_values.date(note.fields.get("date"))
        except ValueProblem:
            return None
    return None


def _note_tags(note: Note) -> set[str]:
    if not note.mentions_key("tag"):
        return set()
    try:
        listed = typed_values.text_list(note.fields.get("tags"))
    except ValueProblem:
        return set()
    tags = set()
    for item in listed:
        for part in item.replace(",", " ").split():
            tags.add(part.lstrip("#").casefold())
    return tags


def _tag_matches(tags: Iterable[str], wanted: Sequence[str]) -> bool:
    """``#job`` matches ``job`` and nested ``job/applied``, as Obsidian searches."""
    return any(tag == w or tag.startswith(w + "/") for tag in tags for w in wanted)


class TaskScope:
    """The setting applied to one vault state (index version, search start)."""

    def __init__(
        self,
        index: VaultIndex,
        setting: str | tuple[str, ...],
        start: dt.date | None,
        matcher: NameMatcher,
    ) -> None:
        self.index = index
        self.everything = setting == "all"
        listed = () if isinstance(setting, str) else setting
        self.tags = tuple(entry[1:] for entry in listed if entry.startswith("#"))
        self.folders = tuple(entry.casefold() + "/" for entry in listed if entry[:1] != "#")
        self.start = start
        self.matcher = matcher
        self._judged: dict[str, bool] = {}
        self._targets: dict[str, bool] = {}

    def counted(self, note: Note, kind: Kind, dated: DatedTasks) -> Counted:
        """Which of ``note``'s dated tasks count: True for all, else positions."""
        if not dated:
            return ()
        if self.everything or kind in CAREER_KINDS:
            return True
        if self.folders and note.path.casefold().startswith(self.folders):
            return True
        if self.tags and _tag_matches(_note_tags(note), self.tags):
            return True
        if self.start is not None:
            day = note_date(note)
            if day is not None and day >= self.start:
                return True
        return tuple(position for position, text in dated.texts() if self._task_counts(text))

    def _task_counts(self, text: str) -> bool:
        """Whether one dated task's line concerns the career search. A function
        of the text alone within one scope, so each distinct text is judged
        once (a vault's daily notes repeat the same lines and links)."""
        known = self._judged.get(text)
        if known is None:
            known = self._judged[text] = self._judge(text)
        return known

    def _judge(self, text: str) -> bool:
        if (
            self.tags
            and "#" in text
            and _tag_matches((t.casefold() for t in _TAG.findall(text)), self.tags)
        ):
            return True
        if "[" in text:
            for target in link_targets(text):
                if self._leads_to_career_note(target):
                    return True
        return self.matcher.names_someone(text)

    def _leads_to_career_note(self, target: str) -> bool:
        """Whether a link target resolves to a contact, organization or
        interview; asked once per distinct target (daily notes link the same
        people over and over)."""
        known = self._targets.get(target)
        if known is None:
            note = self.index.resolve(target).note
            known = note is not None and self.index.kind(note) in CAREER_KINDS
            self._targets[target] = known
        return known


def dated_tasks(note: Note) -> DatedTasks:
    """The note's tasks that have a due date, with their positions (packed:
    all a watcher keeps of a released body)."""
    return note.dated_tasks
