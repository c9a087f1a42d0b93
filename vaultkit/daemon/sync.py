"""One pass of everything the daemon keeps current: stub contacts for new
referrals, the calendar, the dashboard, the referral map and the Obsidian
Bases.

`Syncer` holds what a watcher reuses between passes: the vault index (re-read
only where files changed) and the calendar last written (the memory of each
event's stamps, so the file is not read back on every save).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from vaultkit.atomic import remove_leftover_temps, write_atomic
from vaultkit.domain.career import CareerVault
from vaultkit.domain.followups import FollowUp, FollowUpCache, follow_ups
from vaultkit.domain.mail_rules import Proposal
from vaultkit.errors import VaultkitError
from vaultkit.outputs.dashboard import GENERATED, dashboard
from vaultkit.outputs.feed_stamps import FeedCache
from vaultkit.outputs.ics_feed import CalendarResult, write_calendar
from vaultkit.outputs.new_notes import NoteExistsError, write_new_note
from vaultkit.outputs.referral_map import MapInputs, map_inputs, referral_map
from vaultkit.outputs.stubs import RecentNames, plan_stubs
from vaultkit.safepath import is_inside, make_folder_inside
from vaultkit.vault.config import load_config
from vaultkit.vault.index import VaultIndex

log = logging.getLogger("vaultkit")

# A watcher retries a pass whose writes failed (a full disk, a folder in the
# way): after this long, doubling after each failure up to RETRY_MAX_SECONDS,
# so freed space brings the outputs back without an unrelated edit.
RETRY_FIRST_SECONDS = 5.0
RETRY_MAX_SECONDS = 300.0


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

    def __init__(
        self,
        root: Path,
        index: VaultIndex | None = None,
        stub_settle: float = 0.0,
        retries: bool = False,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.root = root
        self.stub_settle = stub_settle
        # The clock that file times are compared with (stubs wait for a settled
        # vault) and that retries wait by; injectable so a test can move it
        # on. It never decides a date.
        self._clock = clock
        # Names renamed or deleted within ten settle times get no stub: long
        # enough for a rename's link rewrite to land, or the user to finish one.
        self._recent = RecentNames(stub_settle * 10)
        # A watcher retries a failed push on its own; a one-shot sync cannot,
        # and its report must not say it will.
        self.retries = retries
        self.pending_stubs = False
        self.retry_push_at = 0.0
        self._push_failures = 0
        self.retry_write_at = 0.0  # when to run a pass again after failed writes (0: none)
        self._write_failures = 0
        self._stage_failed: list[Change] = []
        self._reported: set[str] = set()
        # The mailbox ([mail] scan_every): when to scan next (wall clock; 0:
        # at the next pass), and what the last scan proposed but did not write.
        self.next_mail_scan_at = 0.0
        self.mail_pending: list[Proposal] = []
        self.index = index if index is not None else VaultIndex.load(root, shed_bodies=True)
        self._watch_names()
        self._remove_leftovers()
        self._feed_cache = FeedCache()
        self._followup_cache = FollowUpCache()
        self._career: CareerVault | None = None
        self.last_followups: list[FollowUp] = []
        self._map: tuple[MapInputs, str] | None = None
        # Between `stage` and `publish`: what the pass computed, the calendar
        # built last, and the one staged on disk that is not yet in place.
        self._staged: tuple[dt.datetime, CareerVault, list[FollowUp]] | None = None
        self._calendar: CalendarResult | None = None
        self._pending: CalendarResult | None = None

    def _remove_leftovers(self) -> None:
        """Temp files a killed vaultkit left where it writes (the outputs'
        folders, the notes' folders, ``.vaultkit/``): removed at the start,
        once too old to be another writer's."""
        config = self.index.config
        rels = {
            config.calendar.path,
            config.dashboard.path,
            config.dashboard.referral_map,
            f"{config.folders.people}/-",
            ".vaultkit/-",
            *self.index.notes,
        }
        folders = {(self.root / rel).parent for rel in rels}
        folders = {folder for folder in folders if is_inside(folder, self.root)}
        for path in remove_leftover_temps(folders, self._clock()):
            log.debug("removed %s, left by a vaultkit that was stopped", path)

    def reload(self) -> None:
        """Start from scratch: the config changed, or the vault came back. The
        config is read first (a broken one raises, the old index still in
        place); then the old index and all drawn from it go before the new one
        is read, so that the two are never in memory together (memory freed
        after a peak stays with the process)."""
        config = load_config(self.root)
        self._forget()
        self.last_followups = []
        self.index = None  # type: ignore[assignment]
        self.index = VaultIndex.load(self.root, config, shed_bodies=True)
        self._watch_names()

    def _watch_names(self) -> None:
        """Follow which names notes answer to (a reload compares them all), to
        hold back stubs for a name a note answered to a moment ago."""
        self._names_feed = self.index.subscribe()
        self._recent.track(self.index.notes, None, self._clock())

    def _forget(self) -> None:
        """Drop every cache a pass updates step by step (and a staged calendar)."""
        self._followup_cache = FollowUpCache()
        self._feed_cache = FeedCache()
        self._career = None
        self._map = None
        self._staged = self._calendar = None
        self._discard_pending()

    def run(self, now: dt.datetime) -> list[Change]:
        """One pass; returns what changed (nothing when all was current). Each
        output is written on its own: one that fails (a full disk, a read-only
        folder, a file of yours in the way) is reported and the others still are."""
        return self.stage(now) + self.publish()

    def stage(self, now: dt.datetime) -> list[Change]:
        """The first half of a pass: stubs, follow-ups, and the calendar
        written and synced under a temporary name. A watcher stages as soon as
        a save arrives and publishes once the burst is over, so the time the
        big write takes is spent while it waits anyway. Staging again before
        publishing replaces what was staged. Should it fail half-way, the
        caches are dropped, so the next pass starts clean instead of from half
        of this one."""
        try:
            changes = self._stage(now)
        except BaseException:
            self._forget()
            raise
        self._stage_failed = [c for c in changes if _is_write_failure(c)]
        return changes

    def publish(self) -> list[Change]:
        """The second half: the staged calendar put in place (and pushed), the
        dashboard and the referral map written."""
        try:
            changes = self._publish()
        except BaseException:
            self._forget()
            raise
        failed, self._stage_failed = self._stage_failed, []
        return self._plan_retry(failed + [c for c in changes if _is_write_failure(c)], changes)

    def pass_failed(self) -> None:
        """A pass that ended in an error of its own (not one output's): a
        watcher tries it again later, as after a failed write."""
        self._stage_failed = []
        self._plan_retry([Change("failed", "-")], [])

    def _plan_retry(self, failed: list[Change], changes: list[Change]) -> list[Change]:
        """After a pass: when a write failed, a watcher (``retries``) runs the
        pass again later, waiting longer after each failure; one that succeeds
        ends the backoff."""
        if not failed:
            self._write_failures = 0
            self.retry_write_at = 0.0
            return changes
        if not self.retries:
            return changes
        self._write_failures += 1
        delay = min(RETRY_FIRST_SECONDS * 2 ** (self._write_failures - 1), RETRY_MAX_SECONDS)
        self.retry_write_at = self._clock() + delay
        note = f"retrying in {delay:.0f} s"
        return [
            Change(c.action, c.path, f"{c.detail}; {note}" if c.detail else note)
            if _is_write_failure(c)
            else c
            for c in changes
        ]

    def next_interview_end(self) -> dt.datetime | None:
        """When an interview not yet over at the last pass ends (its thank-you
        falls due then): a watcher runs a pass at that moment."""
        return self._followup_cache.next_end()

    def abandon(self) -> None:
        """Remove a calendar staged but never published (the watcher stops)."""
        self._discard_pending()

    def _discard_pending(self) -> None:
        """Throw the staged calendar away. The feed cache then no longer holds
        what it held as written, so the next pass writes the calendar anew
        even if it comes out the same."""
        pending, self._pending = self._pending, None
        if pending is not None:
            self._feed_cache.last_body = None
            if pending.staged is not None:
                pending.staged.discard()

    def _stage(self, now: dt.datetime) -> list[Change]:
        career = CareerVault(self.index, self._career)
        changes = self._stubs(career, now)
        changes += self._scan_mail(CareerVault(self.index, career) if changes else career)
        if any(c.action in ("created", "updated") for c in changes):  # the vault changed
            career = CareerVault(self.index, career)
        self._career = career
        config = self.index.config
        followups = self.last_followups = follow_ups(
            career, now, self._followup_cache, done_tasks=config.followups.include_done
        )
        for note in self.index.notes.values():
            # The follow-ups drawn from its tasks are known: the watcher need
            # not hold them (read again if ever needed). Its name, id and kind
            # are kept, and contacts, interviews and organizations hold what
            # they read from it, so its parsed front-matter goes too. Let go
            # before the calendar is built, whose events take the room they leave.
            note.forget_body_and_tasks()
            note.release_front_matter()
        self._staged = (now, career, followups)
        self._calendar = None
        try:
            moved = self._followup_cache
            delta = (moved.dropped, moved.fresh) if moved.in_place else None
            result = write_calendar(
                career, followups, now, cache=self._feed_cache, delta=delta, stage=True
            )
        except (VaultkitError, OSError) as error:
            self._feed_cache.order = None  # built from scratch next time
            self._discard_pending()  # older than what failed: the next pass writes anew
            changes.append(Change("failed", config.calendar.path, _reason(error)))
        else:
            self._calendar = result
            if result.staged is not None:  # it supersedes one staged earlier
                earlier, self._pending = self._pending, result
                if earlier is not None and earlier.staged is not None:
                    earlier.staged.discard()
        return changes

    def _publish(self) -> list[Change]:
        changes: list[Change] = []
        if self._staged is None:
            return changes
        now, career, followups = self._staged
        self._staged = None
        config = self.index.config
        pending, self._pending = self._pending, None
        result, self._calendar = self._calendar, None
        if pending is not None and pending.staged is not None:
            try:
                pending.staged.commit()
            except OSError as error:
                self._feed_cache.last_body = None  # not written: tried again next pass
                self._feed_cache.order = None
                changes.append(Change("failed", config.calendar.path, _reason(error)))
                result = None
            else:
                changes.append(Change("wrote", pending.path or "-", f"{pending.events} events"))
        if result is not None:
            changes.extend(self._push(result))
        for rel, render in (
            (config.dashboard.path, lambda: dashboard(career, followups, now, self.mail_pending)),
            (config.dashboard.referral_map, lambda: self._referral_map(career, now)),
        ):
            try:
                change = self._write_note_output(rel, render())
            except OSError as error:
                change = Change("failed", rel, _reason(error))
            if change is not None:
                changes.append(change)
        changes.extend(self._write_bases())
        career.forget_derived()  # the views stay for the next save; what was drawn goes
        return changes

    def _write_bases(self) -> list[Change]:
        """The Obsidian Bases beside the dashboard (`outputs.bases`): written when
        missing or still vaultkit's own, never over one a user edited."""
        from vaultkit.outputs.bases import base_files, is_vaultkits
        from vaultkit.vault.walk import skipped_folders

        changes = []
        config = self.index.config
        for base in base_files(config, skipped_folders(self.root, config)):
            target = self.root / base.path
            if not is_inside(target, self.root):
                changes.append(Change("skipped", base.path, "leads outside the vault"))
                continue
            try:
                current = target.read_bytes().decode("utf-8", errors="replace")
            except FileNotFoundError:
                current = None
            except OSError as error:
                changes.append(Change("failed", base.path, _reason(error)))
                continue
            if current == base.text:
                continue
            if current is not None and not is_vaultkits(current):
                if base.path not in self._reported:  # said once, not on every save
                    self._reported.add(base.path)
                    changes.append(Change("skipped", base.path, "edited by you; left as it is"))
                continue
            self._reported.discard(base.path)
            try:
                if not make_folder_inside(self.root, target.parent):
                    changes.append(
                        Change("skipped", base.path, "its folder leads outside the vault")
                    )
                    continue
                write_atomic(target, base.text)
            except OSError as error:
                changes.append(Change("failed", base.path, _reason(error)))
                continue
            changes.append(Change("wrote", base.path))
        return changes

    def _referral_map(self, career: CareerVault, now: dt.datetime) -> str:
        """The map note, drawn again only when the graph behind it changed (most
        saves touch no name, status or referral)."""
        referrals = career.referral_graph()
        # What the diagrams show, compactly (the whole graph is a few MB a
        # watcher need not keep): names, link targets, stages and edges.
        shown = map_inputs(career, referrals, now)
        if self._map is None or self._map[0] != shown:
            self._map = (shown, referral_map(career, referrals, shown))
        return self._map[1]

    def _push(self, result: CalendarResult) -> list[Change]:
        """Send the calendar to the [caldav] server when one is configured. A
        failure (the server down, a wrong password) is reported; a watcher
        (``retries``) tries again later, waiting longer after each failure."""
        caldav = self.index.config.caldav
        if not (caldav.url and caldav.username) or self._clock() < self.retry_push_at:
            return []
        from vaultkit.outputs.caldav_push import MissingExtraError, push, require_caldav

        try:
            require_caldav()
        except MissingExtraError as missing:  # said once; the rest of the sync goes on
            if str(missing) in self._reported:
                return []
            self._reported.add(str(missing))
            return [Change("skipped", "caldav push", str(missing))]
        name = caldav.calendar or self.index.config.calendar.name
        try:
            pushed = push(self.root, result.text, caldav.url, caldav.username, name)
        except (VaultkitError, OSError) as error:
            if not self.retries:
                then = "the next sync or `vaultkit calendar push` tries again"
                return [Change("failed", "caldav push", f"{_reason(error)}; {then}")]
            self._push_failures += 1
            delay = min(30 * 2 ** (self._push_failures - 1), 1800)
            self.retry_push_at = self._clock() + delay
            return [Change("failed", "caldav push", f"{_reason(error)}; retrying in {delay} s")]
        self._push_failures = 0
        self.retry_push_at = 0.0
        if pushed.sent or pushed.deleted:
            return [Change("pushed", pushed.url, pushed.line())]
        return []

    def _scan_mail(self, career: CareerVault) -> list[Change]:
        """Scan the [mail] account and paths when ``scan_every`` says it is
        time: with ``apply``, write what the mail says into the contact notes;
        else keep it for the dashboard. A server that is down is reported,
        and the next scan comes at the usual interval."""
        settings = self.index.config.mail
        interval = settings.scan_interval()
        if interval is None or not (settings.host or settings.paths):
            self.mail_pending = []
            return []
        if self._clock() < self.next_mail_scan_at:
            return []
        self.next_mail_scan_at = self._clock() + interval.total_seconds()
        from vaultkit.domain.mail_rules import configured_sources, propose
        from vaultkit.mailbox.sources import read_sources
        from vaultkit.outputs.mail_apply import apply_proposals, load_seen

        paths, account = configured_sources(settings)
        try:
            findings = propose(
                career,
                read_sources(paths, account),
                my_addresses=self.index.config.me.email,
                sent_folders=settings.sent_folders,
                seen=load_seen(self.root),
            )
        except (VaultkitError, OSError) as error:
            return [Change("failed", "mail scan", _reason(error))]
        if not settings.apply:
            self.mail_pending = findings.proposals
            return []
        self.mail_pending = []
        result = apply_proposals(self.root, findings.proposals)
        changes = [Change("skipped", "mail scan", line) for line in result.refused]
        written = {r.path for r in result.updated if r.changes}
        for recorded in result.updated:
            if recorded.changes:
                changes.append(Change("updated", recorded.path, "; ".join(recorded.changes)))
        if written:
            self.index.refresh(written, set())
        return changes

    def _stubs(self, career: CareerVault, now: dt.datetime) -> list[Change]:
        """Stub contacts for new referrals. With ``stub_settle`` (the watcher's
        case), only from interview notes unchanged for that long, so half-typed
        names (Obsidian saves as you type) and links a rename has not rewritten
        yet never become notes; ``pending_stubs`` says a later pass should look
        again."""
        clock = self._clock()
        settled_before = clock - self.stub_settle
        touched, everything = self._names_feed.drain()
        self._recent.track(self.index.notes, None if everything else touched, clock)
        plans, problems = plan_stubs(career, now)
        self.pending_stubs = False
        for problem in problems:
            if problem not in self._reported:
                self._reported.add(problem)
                log.warning(problem)
        changes = []
        created: set[str] = set()
        for plan in plans:
            interview = self.index.notes.get(plan.interview)
            if (
                self.stub_settle
                and interview is not None
                and (interview.mtime_ns / 1e9 > settled_before)
            ):
                self.pending_stubs = True
                continue
            if self.stub_settle and self._recent.recent(plan.name, clock):
                self.pending_stubs = True  # a rename's links may be rewritten yet
                continue
            try:
                write_new_note(self.root, plan.note)
            except NoteExistsError:
                continue
            except (VaultkitError, OSError) as error:
                changes.append(Change("failed", plan.note.path, _reason(error)))
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


def _is_write_failure(change: Change) -> bool:
    """An output (or stub) that could not be written; a failed push has its own retry."""
    return change.action == "failed" and change.path not in ("caldav push", "mail scan")


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError):
        return error.strerror or str(error)
    return str(error)
