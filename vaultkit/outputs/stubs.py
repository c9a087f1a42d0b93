"""Stub contacts: each person an interview's ``referrals`` names who has no
note yet gets one (``referred_by`` the person you met, status ``to-contact``),
so nobody suggested to you is forgotten. Existing notes are never touched.

A name a note answered to a moment ago is not a new person: renaming
``People/Victor Osei.md`` leaves the interview's link dangling until Obsidian
rewrites it, and a stub made meanwhile would take the name back and the
links with it. `RecentNames` remembers such names, so the watcher waits.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass

from vaultkit.domain.career import CareerVault
from vaultkit.errors import VaultkitError
from vaultkit.notes.note import Note
from vaultkit.outputs.new_notes import NewNote, plan_contact
from vaultkit.vault.resolve import answers_to, fold


@dataclass(frozen=True)
class StubPlan:
    note: NewNote
    referred_by: str
    interview: str
    name: str = ""  # the referral's name, as the link gave it


class RecentNames:
    """Names notes answered to (file names, aliases, ``name:``; folded) that
    vanished, renamed or deleted, each with the moment it went. Times are given
    by the caller (seconds on one clock), so the rule can be tested without
    waiting."""

    def __init__(self, memory: float) -> None:
        self.memory = memory
        self._names: dict[str, float] = {}  # folded name -> when it vanished
        # What each note answers to beyond its file name, which its path gives
        # (most notes: nothing, one shared empty set): a watcher keeps this
        # for every note, so it holds no copy of what the path already says.
        self._by_path: dict[str, frozenset[str]] | None = None

    def track(self, notes: Mapping[str, Note], touched: set[str] | None, at: float) -> None:
        """Note the vault's notes now: with ``touched`` (the paths a refresh
        changed), only those are compared; None compares them all."""
        before = self._by_path
        if before is None:  # the first look: nothing has vanished yet
            self._by_path = {path: _beyond_file_name(path, note) for path, note in notes.items()}
            return
        if touched is None:
            now = {path: _beyond_file_name(path, note) for path, note in notes.items()}
            for name in _every_name(before) - _every_name(now):
                self._names[name] = at
            self._by_path = now
            return
        for path in touched:
            old = before.pop(path, None)
            old_names = old | {_file_name(path)} if old is not None else frozenset()
            note = notes.get(path)
            new = answers_to(note) if note is not None else frozenset()
            if note is not None:
                before[path] = new - {_file_name(path)} or _NOTHING
            for name in old_names - new:
                self._names[name] = at

    def recent(self, name: str, at: float) -> bool:
        """Whether a note answered to ``name`` less than ``memory`` seconds ago."""
        for old in [n for n, when in self._names.items() if at - when >= self.memory]:
            del self._names[old]
        return fold(name) in self._names

    @property
    def waiting(self) -> bool:
        return bool(self._names)


_NOTHING: frozenset[str] = frozenset()


def _file_name(path: str) -> str:
    """The folded name a note's file gives it (as `answers_to` folds it)."""
    stem = path.rsplit("/", 1)[-1]
    return fold(stem[:-3] if stem.lower().endswith(".md") else stem)


def _beyond_file_name(path: str, note: Note) -> frozenset[str]:
    """What ``note`` answers to besides its file name (aliases, ``name:``)."""
    return answers_to(note) - {_file_name(path)} or _NOTHING


def _every_name(by_path: Mapping[str, frozenset[str]]) -> set[str]:
    names = {_file_name(path) for path in by_path}
    for more in by_path.values():
        names |= more
    return names


def plan_stubs(career: CareerVault, now: dt.datetime) -> tuple[list[StubPlan], list[str]]:
    """Stubs to create, and one line for each referral that cannot get one."""
    plans: list[StubPlan] = []
    problems: list[str] = []
    planned: set[str] = set()
    for interview in career.interviews:
        if interview.contact is None or interview.contact.note is None:
            continue
        for ref in interview.referrals:
            if ref.note is not None or fold(ref.name) in planned:
                continue
            if "/" in ref.link.target:  # a path: no note made in People/ would answer to it
                problems.append(
                    f"{interview.path}: no stub for {ref.link.target!r}: a link "
                    "with a folder; create that note where the link points"
                )
                continue
            try:
                plan = plan_contact(
                    career,
                    ref.name,
                    referred_by=(interview.contact.name,),
                    source=f"referral from {interview.contact.name}",
                    now=now,
                )
            except VaultkitError as error:
                problems.append(f"{interview.path}: no stub for {ref.name!r}: {error}")
                continue
            planned.add(fold(ref.name))
            plan = _answering_to(plan, ref.name)
            plans.append(StubPlan(plan, interview.contact.name, interview.path, ref.name))
    return plans, problems


_EMPTY_ALIASES = re.compile(r"^aliases:[ \t]*(?:\[\][ \t]*)?$", re.M)


def _answering_to(plan: NewNote, name: str) -> NewNote:
    """The stub with ``name``, as the referral wrote it, among its ``aliases``
    when its file name came out different (``Stub\u2028END:VEVENT`` is made
    ``People/Stub END-VEVENT.md``): the referral then resolves to the stub
    instead of asking for it again on every sync."""
    stem = plan.path.rsplit("/", 1)[-1].removesuffix(".md")
    if fold(stem) == fold(name):
        return plan
    line = f"aliases: [{json.dumps(name)}]"  # JSON's escapes are YAML's: one safe line
    if not plan.text.startswith("---\n") or "\n---" not in plan.text[3:]:
        return plan
    end = plan.text.index("\n---", 3)
    front, rest = plan.text[:end], plan.text[end:]
    front, found = _EMPTY_ALIASES.subn(lambda _: line, front, count=1)
    if not found:  # a template of the user's own without an empty aliases line
        front = f"---\n{line}\n{front[4:]}"
    return dataclasses.replace(plan, text=front + rest)
