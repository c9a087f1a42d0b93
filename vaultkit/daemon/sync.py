"""One pass of everything the daemon keeps current: stub contacts for new
referrals, the calendar, the dashboard and the referral map.

`Syncer` holds what a watcher reuses between passes: the vault index (re-read
only where files changed) and the calendar last written (the memory of each
event's stamps, so the file is not read back on every save).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path

from vaultkit.atomic import write_atomic
from vaultkit.domain.career import CareerVault
from vaultkit.domain.followups import TaskCache, follow_ups
from vaultkit.outputs.dashboard import GENERATED, dashboard, referral_map
from vaultkit.outputs.ics_feed import FeedCache, write_calendar
from vaultkit.outputs.new_notes import NoteExistsError, write_new_note
from vaultkit.outputs.stubs import plan_stubs
from vaultkit.safepath import is_inside, make_folder_inside
from vaultkit.vault.index import VaultIndex

log = logging.getLogger("vaultkit")


@dataclass(frozen=True)
class Change:
    """One thing a pass did, as the CLI and the log print it."""

    action: str  # "created", "wrote", "skipped"
    path: str
    detail: str = ""

    def line(self) -> str:
        return f"{self.action:<8} {self.path}" + (f" ({self.detail})" if self.detail else "")


class Syncer:
    """Runs sync passes over one vault, keeping the index between them."""

    def __init__(self, root: Path, index: VaultIndex | None = None) -> None:
        self.root = root
        self.index = index if index is not None else VaultIndex.load(root)
        self._feed_cache = FeedCache()
        self._task_cache: TaskCache = {}
        self._career: CareerVault | None = None

    def reload(self) -> None:
        """Start from scratch: the config changed, or the vault came back."""
        self.index = VaultIndex.load(self.root)
        self._feed_cache = FeedCache()
        self._task_cache = {}
        self._career = None

    def run(self, now: dt.datetime) -> list[Change]:
        """One pass; returns what changed (nothing when all was current)."""
        career = CareerVault(self.index, self._career)
        changes = self._stubs(career, now)
        if changes:  # new stub notes: the vault changed under this view
            career = CareerVault(self.index, career)
        self._career = career
        followups = follow_ups(career, now, self._task_cache)
        result = write_calendar(career, followups, now, cache=self._feed_cache)
        if result.changed:
            changes.append(Change("wrote", result.path or "-", f"{result.events} events"))
        for note in self.index.notes.values():
            note.release_body()  # tasks are known now; the watcher need not hold the text
        config = self.index.config
        for rel, text in (
            (config.dashboard.path, dashboard(career, followups, now)),
            (config.dashboard.referral_map, referral_map(career)),
        ):
            change = self._write_note_output(rel, text)
            if change is not None:
                changes.append(change)
        return changes

    def _stubs(self, career: CareerVault, now: dt.datetime) -> list[Change]:
        plans, problems = plan_stubs(career, now)
        for problem in problems:
            log.warning(problem)
        changes = []
        created: set[str] = set()
        for plan in plans:
            try:
                write_new_note(self.root, plan.note)
            except NoteExistsError:
                continue
            created.add(plan.note.path)
            changes.append(
                Change("created", plan.note.path, f"stub: suggested by {plan.referred_by}")
            )
        if created:
            self.index.refresh(created, set())
        return changes

    def _write_note_output(self, rel: str, text: str) -> Change | None:
        """Write a dashboard-like note when its content changed, and never over a
        file of the same name that vaultkit did not write."""
        target = self.root / rel
        if not is_inside(target, self.root):
            return Change("skipped", rel, "leads outside the vault")
        try:
            current = target.read_bytes().decode("utf-8", errors="replace")
        except FileNotFoundError:
            current = None
        if current == text:
            return None
        if current is not None and GENERATED not in current:
            return Change(
                "skipped",
                rel,
                "a note of yours has that name; rename it or set another [dashboard] path",
            )
        if not make_folder_inside(self.root, target.parent):
            return Change("skipped", rel, "its folder leads outside the vault")
        write_atomic(target, text)
        return Change("wrote", rel)
