"""The follow-up rules (README, "Follow-ups and the calendar"): what is owed to whom, by when.

Each rule is a function of one input record (below) and yields `FollowUp`s,
done or not; a watcher's `FollowUpCache` keeps each source's record and
follow-ups, and computes a source again only when its record changed. A
follow-up is due on a date (all-day) or at a time (interviews, thank-yous),
and overdue once that has passed.

| kind          | due                                              |
| ------------- | ------------------------------------------------ |
| interview     | its start                                        |
| thank-you     | its end + ``thank_you_within``                   |
| nudge         | ``contacted_on`` + ``nudge_after`` business days  |
| move-on       | ``contacted_on`` + ``move_on_after`` business days|
| keep-in-touch | ``next_contact``, else last contact + cadence    |
| task          | a Tasks/Dataview due date                        |
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import heapq
import itertools
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from vaultkit import progress
from vaultkit.domain.business_days import BusinessCalendar
from vaultkit.domain.career import CareerVault, open_colleagues
from vaultkit.domain.contacts import Contact
from vaultkit.domain.interviews import Interview
from vaultkit.domain.remove_sorted import remove_sorted
from vaultkit.domain.stage import MET_STAGES, at_or_after
from vaultkit.domain.task_scope import Counted, NameMatcher, TaskScope, dated_tasks
from vaultkit.domain.task_scope import search_start as _search_start
from vaultkit.notes import typed_values
from vaultkit.notes.note import Note
from vaultkit.notes.tasks import DatedTasks
from vaultkit.notes.wikilinks import unlink
from vaultkit.vault.config import Config
from vaultkit.vault.index import ChangeFeed

KINDS = ("interview", "thank-you", "nudge", "move-on", "keep-in-touch", "task")
_KIND_RANK = {kind: rank for rank, kind in enumerate(KINDS)}  # the sort's second key
_MIDNIGHT = dt.time()
MET_STATUSES = MET_STAGES  # the stages at which keep-in-touch applies


@dataclass(slots=True)
class FollowUp:
    """One thing to do. ``due`` is a date (all-day) or an aware date-time.

    ``key`` identifies the follow-up across runs and renames: the note's ``id``
    (else its path), the kind, and for tasks the task's text.
    """

    kind: str
    due: dt.date | dt.datetime
    title: str
    contact: str | None
    path: str
    done: bool
    key: str
    detail: str = ""
    end: dt.datetime | None = None
    location: str | None = None
    candidates: Sequence[str] = ()  # shared when empty: tens of thousands have none
    cancelled: bool = False

    @property
    def timed(self) -> bool:
        return isinstance(self.due, dt.datetime)

    def due_day(self, zone: dt.tzinfo) -> dt.date:
        if isinstance(self.due, dt.datetime):
            return self.due.astimezone(zone).date()
        return self.due

    def sort_key(self, zone: dt.tzinfo) -> tuple[dt.datetime, int, str, str]:
        """Due first, then kind, title and note. Not kept on the object: a
        watcher holds tens of thousands of follow-ups, and its saves only
        bisect into a sorted list (a few keys each)."""
        due = self.due
        if isinstance(due, dt.datetime):
            moment = due
        else:
            moment = dt.datetime.combine(due, _MIDNIGHT, tzinfo=zone)
        return (moment, _KIND_RANK[self.kind], self.title.casefold(), self.path)

    def is_overdue(self, now: dt.datetime) -> bool:
        """Past due and not done. A dated follow-up is overdue the day after."""
        if self.done:
            return False
        if isinstance(self.due, dt.datetime):
            return self.due < now
        return self.due < now.astimezone(now.tzinfo).date()


class TaskFollowUp(FollowUp):
    """A dated task's follow-up, whose ``key`` and ``detail`` are made when
    read, from the note's packed dated tasks it points into: a watcher holds
    tens of thousands of these and reads neither but to render an event or
    print a listing. Made by `of_task`; one made field by field (as
    `dataclasses.replace` does) holds its key and detail as given."""

    __slots__ = ("_index", "_note_key", "_occurrence", "_tasks")

    @classmethod
    def of_task(
        cls,
        due: dt.date,
        title: str,
        contact: str | None,
        path: str,
        done: bool,
        *,
        note_key: str,
        tasks: DatedTasks,
        index: int,
        occurrence: int,
    ) -> TaskFollowUp:
        """``tasks``: the note's dated tasks, this one the ``index``-th of
        them and the ``occurrence``-th with its text (``note_key``: the note's
        identity, shared by its follow-ups)."""
        made = cls.__new__(cls)
        made.kind, made.due, made.title, made.contact = "task", due, title, contact
        made.path, made.done = path, done
        made.end, made.location, made.candidates, made.cancelled = None, None, (), False
        made._note_key, made._tasks, made._index = note_key, tasks, index
        made._occurrence = occurrence
        return made

    @property  # type: ignore[override]
    def key(self) -> str:
        tasks = getattr(self, "_tasks", None)
        if tasks is None:
            return _KEY_SLOT.__get__(self, FollowUp)  # type: ignore[no-any-return]
        return f"{self._note_key}:{tasks.text(self._index)}#{self._occurrence}"

    @key.setter
    def key(self, value: str) -> None:
        self._hold_as_given()
        _KEY_SLOT.__set__(self, value)

    @property  # type: ignore[override]
    def detail(self) -> str:
        tasks = getattr(self, "_tasks", None)
        if tasks is None:
            return _DETAIL_SLOT.__get__(self, FollowUp)  # type: ignore[no-any-return]
        return f"From {self.path}, line {tasks.line(self._index)}."

    @detail.setter
    def detail(self, value: str) -> None:
        self._hold_as_given()
        _DETAIL_SLOT.__set__(self, value)

    def _hold_as_given(self) -> None:
        """From now on, key and detail are held, not made (one is being set)."""
        if getattr(self, "_tasks", None) is not None:
            key, detail = self.key, self.detail
            self._tasks = None
            _KEY_SLOT.__set__(self, key)
            _DETAIL_SLOT.__set__(self, detail)
        self._tasks = None


_KEY_SLOT = FollowUp.__dict__["key"]
_DETAIL_SLOT = FollowUp.__dict__["detail"]


def next_change(
    career: CareerVault, followups: Sequence[FollowUp], now: dt.datetime
) -> dt.datetime:
    """The first moment after ``now`` at which the clock alone may change what
    the follow-ups say (so an answer computed at ``now`` stays true until
    then): the next midnight in the vault's zone (a dated follow-up falls
    overdue the day after it is due), the next open timed follow-up's due, and
    the next interview to become held (it moves stages, thank-yous and
    keep-in-touch)."""
    zone = career.index.config.zone
    local = now.astimezone(zone)
    moments = [
        dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time(), tzinfo=zone),
        *(
            f.due
            for f in followups
            if not f.done and isinstance(f.due, dt.datetime) and f.due >= now
        ),
    ]
    held = career.next_stage_change(now)
    if held is not None:
        moments.append(held)
    return min(moments)


def after_elapsed(moment: dt.datetime, span: dt.timedelta) -> dt.datetime:
    """``moment`` + ``span`` of elapsed time, in ``moment``'s zone. Python adds
    wall-clock time within one zone, an hour off across a DST change."""
    return (moment.astimezone(dt.UTC) + span).astimezone(moment.tzinfo)


def thank_you_due(end: dt.datetime, within: dt.timedelta) -> dt.datetime:
    """When the thank-you is due: ``within`` (24h by default) after the interview ends."""
    return after_elapsed(end, within)


def thank_you_window(config: Config) -> dt.timedelta:
    window = typed_values.span(config.followups.thank_you_within)
    return dt.timedelta(hours=24) if window is None else window


def _note_key(note_id: object, path: str, duplicate_id: bool) -> str:
    """The identity of a note's follow-ups: its ``id``, which survives renames,
    unless another note carries the same id (a copied note), when the path
    keeps the two apart."""
    if isinstance(note_id, str) and note_id and not duplicate_id:
        return f"id:{note_id}"
    return f"path:{path}"


Source = tuple[str, str]  # ("interview" | "contact" | "tasks", path)


# Each rule is a function of one input record and reads nothing else, so the
# record is also the rule's cache key: what a rule depends on is written once,
# as the fields below, and a watcher recomputes a source exactly when its
# record differs from the last pass's. Records compare field by field; the
# objects in them are the very ones of the last pass when nothing changed,
# which makes comparing them cheap.


@dataclass(frozen=True, slots=True)
class RuleSettings:
    """What every rule may read from the config (and nothing of the vault)."""

    zone: dt.tzinfo
    thank_you_within: dt.timedelta
    holidays: str
    holidays_subdivision: str
    nudge_after: int
    move_on_after: int
    default_cadence: typed_values.Cadence | str | None
    done_tasks: bool

    @property
    def calendar(self) -> BusinessCalendar:
        return _business_calendar(self.holidays, self.holidays_subdivision)


@functools.cache
def _business_calendar(country: str, subdivision: str) -> BusinessCalendar:
    return BusinessCalendar(country, subdivision)


@dataclass(frozen=True, slots=True)
class InterviewInputs:
    """An interview's follow-ups (the meeting, the thank-you) are made of these."""

    interview: Interview
    contact: Contact | None  # the contact's current view (the interview's may be older)
    stage: str | None  # the contact's stage: their other interviews and the clock move it
    held: bool
    duplicate_id: bool  # another note carries the same id: keyed by path instead
    settings: RuleSettings


@dataclass(frozen=True, slots=True)
class ContactInputs:
    """A contact's follow-ups (nudge, move-on, keep-in-touch) are made of these."""

    contact: Contact
    stage: str
    interview_days: tuple[dt.date, ...]  # of the interviews not cancelled
    colleagues: tuple[Contact, ...]  # everyone at the organization, in candidate order
    duplicate_id: bool
    settings: RuleSettings


@dataclass(frozen=True, slots=True)
class TaskInputs:
    """A note's dated tasks become follow-ups from these."""

    note: Note
    contact_name: str | None  # the person the note is about (a contact's, an interview's)
    counted: Counted  # which tasks count as career follow-ups (task_scope)
    duplicate_id: bool
    settings: RuleSettings


class FollowUpCache:
    """What a watcher keeps between passes: each source's follow-ups (an
    interview's, a contact's, a note's tasks) with what they were computed
    from, and the last sorted result.

    A save that only edits notes (no name, alias, type, id or file changed)
    is followed through the index's change feed: the sources of the edited
    notes and of those that depend on them (an interview's contact, a
    contact's colleagues and interviews) are recomputed, nothing else is even
    looked at. Any other change compares every source's inputs, which are
    the very objects of the last pass when untouched. ``dropped`` and
    ``fresh`` say what the last call took out of and put into the list.
    """

    def __init__(self) -> None:
        # (input record, found): found as a tuple, the empty one shared.
        self.sources: dict[Source, tuple[Any, tuple[FollowUp, ...]]] = {}
        self._settings: RuleSettings | None = None
        self.last: list[FollowUp] = []
        self.dropped: list[FollowUp] = []
        self.fresh: list[FollowUp] = []
        self.in_place = False  # the last call moved only dropped and fresh (by insort)
        self._feed: ChangeFeed | None = None
        self._state: tuple[object, ...] | None = None
        # Interviews not yet over at the last pass, by end (a heap, and each
        # one's current end): the clock changes their follow-ups (held,
        # thank-you due) when it passes the end. The clock is taken to move
        # forward only.
        self._ends: list[tuple[dt.datetime, str]] = []
        self._end_of: dict[str, dt.datetime] = {}
        # The name matcher of the index version it was built for (a note's
        # dated tasks, what else decides whether its tasks count, stay with
        # the note when its body is released: a full comparison after a
        # rename reads no body again).
        self._matcher: tuple[tuple[int, int], NameMatcher] | None = None

    def next_end(self) -> dt.datetime | None:
        """When the soonest interview not yet over at the last pass ends: its
        follow-ups change then with no edit (a watcher wakes for it)."""
        return min(self._end_of.values(), default=None)


class _Context:
    """What every rule of one call needs, computed once."""

    def __init__(
        self,
        career: CareerVault,
        now: dt.datetime,
        done_tasks: bool,
        cache: FollowUpCache | None = None,
    ) -> None:
        config = career.index.config
        self.career = career
        self.now = now
        rules = config.followups
        self.settings = RuleSettings(
            zone=config.zone,
            thank_you_within=thank_you_window(config),
            holidays=rules.holidays,
            holidays_subdivision=rules.holidays_subdivision,
            nudge_after=rules.nudge_after,
            move_on_after=rules.move_on_after,
            default_cadence=typed_values.cadence(rules.keep_in_touch),
            done_tasks=done_tasks,
        )
        if cache is not None and cache._settings == self.settings:
            self.settings = cache._settings  # the same object: records compare at once
        if cache is not None:
            cache._settings = self.settings
        self.duplicates = career.duplicate_ids
        self.resolution_version = career.index.resolution_version
        self.cache = cache
        # Which tasks count depends on other notes: every contact's and
        # organization's names (they move only with the naming version) and
        # the search start (any contacted_on or interview date); both are in
        # the cache's state, so a change to either compares every source.
        self.search_start = _search_start(
            (c.contacted_on for c in career.contacts if c.contacted_on is not None),
            (i.start.day for i in career.interviews if i.start is not None),
        )
        self.scope = TaskScope(career.index, rules.tasks, self.search_start, self._matcher())
        self._counted: dict[str, Counted] = {}

    def _matcher(self) -> NameMatcher:
        version = (id(self.career.index), self.resolution_version)
        cache = self.cache
        if cache is not None and cache._matcher is not None and cache._matcher[0] == version:
            return cache._matcher[1]
        career = self.career
        names: list[str] = []
        for item in (*career.contacts, *career.organizations):
            names.append(item.name)
            names.extend(item.aliases)
        matcher = NameMatcher(names)
        if cache is not None:
            cache._matcher = (version, matcher)
        return matcher

    def counted(self, note: Note) -> Counted:
        """Which of the note's dated tasks are career follow-ups (task_scope)."""
        found = self._counted.get(note.path)
        if found is None:
            found = self._counted[note.path] = self.scope.counted(
                note, self.career.index.kind(note), dated_tasks(note)
            )
        return found

    def interview_inputs(self, interview: Interview) -> InterviewInputs:
        career = self.career
        contact = career.contact_at(interview.contact.path) if interview.contact else None
        return InterviewInputs(
            interview,
            contact,
            career.stage(contact, self.now) if contact is not None else None,
            interview.held(self.now),
            interview.id in self.duplicates,
            self.settings,
        )

    def contact_inputs(self, contact: Contact) -> ContactInputs:
        career = self.career
        return ContactInputs(
            contact,
            career.stage(contact, self.now),  # the interviews' status, date, the clock
            tuple(
                i.start.day
                for i in career.interviews_with(contact)
                if i.start is not None and i.status != "cancelled"
            ),
            career.organization_group(contact),
            contact.id in self.duplicates,
            self.settings,
        )

    def task_inputs(self, note: Note) -> TaskInputs:
        return TaskInputs(
            note,
            _task_contact(self.career, note),
            self.counted(note),
            note.id in self.duplicates,
            self.settings,
        )


def interview_rules(inputs: InterviewInputs) -> list[FollowUp]:
    """The interview itself and its thank-you."""
    return _interview_rules(inputs)


def contact_rules(inputs: ContactInputs) -> list[FollowUp]:
    """The 3B7 nudge and move-on, and keep-in-touch."""
    found = _reply_rules(inputs)
    keep = _keep_in_touch(inputs)
    if keep is not None:
        found.append(keep)
    return found


def task_rules(inputs: TaskInputs) -> list[FollowUp]:
    """A note's dated tasks that count."""
    return _task_rules(inputs)


@progress.tracked("Working out follow-ups")
def follow_ups(
    career: CareerVault,
    now: dt.datetime,
    cache: FollowUpCache | None = None,
    *,
    done_tasks: bool = True,
) -> list[FollowUp]:
    """Every follow-up the vault implies, done or not, sorted by due.

    With ``cache`` (a watcher keeps one), a save costs what it changed (see
    `FollowUpCache`). Without ``done_tasks``, ticked tasks are left out: a
    watcher whose calendar and dashboard show only open ones need not hold
    tens of thousands of them.
    """
    zone = career.index.config.zone
    if cache is None:  # a fresh run: the incremental one from an empty state
        cache = FollowUpCache()
        _compare_every_source(_Context(career, now, done_tasks, cache), cache)
        return _merge(cache, zone)
    context = _Context(career, now, done_tasks, cache)
    cache.dropped, cache.fresh = [], []
    state = (
        id(career.index),
        context.resolution_version,
        context.duplicates,
        done_tasks,
        context.search_start,
    )
    if cache._feed is not None and cache._state == state:
        paths, everything = cache._feed.drain()
        if not everything:
            _follow_edits(context, cache, paths)
            return _merge(cache, zone)
    if cache._state is None or cache._state[0] != state[0]:
        cache._feed = career.index.subscribe()
    else:
        cache._feed.drain()  # type: ignore[union-attr]
    cache._state = state
    _compare_every_source(context, cache)
    return _merge(cache, zone)


def _every_source(context: _Context) -> Iterator[tuple[Source, Any, Callable[[Any], Any]]]:
    """Each source with what it is read from and how its input record is made."""
    career = context.career
    for interview in career.interviews:
        yield ("interview", interview.path), interview, context.interview_inputs
    for contact in career.contacts:
        yield ("contact", contact.path), contact, context.contact_inputs
    for note in career.index.notes.values():
        if _may_have_follow_ups(note):
            yield ("tasks", note.path), note, context.task_inputs


def _may_have_follow_ups(note: Note) -> bool:
    """Whether a note has dated tasks: a note without is no source at all (a
    watcher keeps no record for the thousands of notes with none)."""
    return note.may_hold_links_or_tasks and len(dated_tasks(note)) > 0


def _compare_every_source(context: _Context, cache: FollowUpCache) -> None:
    """Every source's inputs against the last pass's: after a rename, a new or
    deleted note, a changed id, or on the first pass."""
    sources = cache.sources
    visited: dict[Source, tuple[Any, tuple[FollowUp, ...]]] = {}
    for source, item, inputs_of in _every_source(context):
        inputs = inputs_of(item)
        cached = sources.get(source)
        if cached is None or cached[0] != inputs:
            if cached is not None:
                cache.dropped.extend(cached[1])
            cached = (inputs, tuple(_RULES[source[0]](inputs)))
            cache.fresh.extend(cached[1])
        visited[source] = cached
    for source in sources.keys() - visited.keys():
        cache.dropped.extend(sources[source][1])
    cache.sources = visited
    zone = context.career.index.config.zone
    cache._end_of = {
        interview.path: end
        for interview in context.career.interviews
        if interview.status != "done"
        and (end := interview.held_from(zone)) is not None
        and end > context.now
    }
    cache._ends = [(end, path) for path, end in cache._end_of.items()]
    heapq.heapify(cache._ends)


def _follow_edits(context: _Context, cache: FollowUpCache, paths: set[str]) -> None:
    """Recompute the sources the edited ``paths`` can affect, and interviews
    that ended since the last pass."""
    career = context.career
    interviews: set[str] = set()
    contacts: set[str] = set()
    ended: set[str] = set()
    ends, end_of = cache._ends, cache._end_of
    while ends and ends[0][0] <= context.now:
        end, path = heapq.heappop(ends)
        if end_of.get(path) == end:  # held since the last pass (not an edit's leftover)
            del end_of[path]
            ended.add(path)
    for path in paths | ended:
        for interview in (_cached_object(cache, "interview", path), career.interview_at(path)):
            if isinstance(interview, Interview):
                interviews.add(path)
                # An interview's status, date or the clock move its contact's
                # stage: their reply and keep-in-touch rules and their other
                # interviews' thank-yous (each recomputed only if its key moved).
                if interview.contact is not None and interview.contact.path:
                    contacts.add(interview.contact.path)
                    other = career.contact_at(interview.contact.path)
                    if other is not None:
                        interviews.update(i.path for i in career.interviews_with(other))
        for contact in (_cached_object(cache, "contact", path), career.contact_at(path)):
            if isinstance(contact, Contact):
                contacts.add(path)  # its colleagues' nudges name it; its interviews use it
                contacts.update(c.path for c in career.organization_group(contact))
                interviews.update(i.path for i in career.interviews_with(contact))
    zone = career.index.config.zone
    for path in sorted(interviews):
        found = career.interview_at(path)
        end = found.held_from(zone) if found is not None and found.status != "done" else None
        if end is None or end <= context.now:
            end_of.pop(path, None)
        elif end_of.get(path) != end:
            end_of[path] = end
            heapq.heappush(ends, (end, path))
        _recompute(cache, ("interview", path), found, context.interview_inputs)
    for path in sorted(contacts):
        found = career.contact_at(path)
        _recompute(cache, ("contact", path), found, context.contact_inputs)
    for path in sorted(paths):
        note = career.index.notes.get(path)
        if note is not None and not _may_have_follow_ups(note):
            note = None
        _recompute(cache, ("tasks", path), note, context.task_inputs)


def _cached_object(cache: FollowUpCache, kind: str, path: str) -> object:
    """The interview or contact a source was last computed from (its record's first field)."""
    cached = cache.sources.get((kind, path))
    if cached is None:
        return None
    return cached[0].interview if kind == "interview" else cached[0].contact


def _recompute(
    cache: FollowUpCache, source: Source, item: Any, inputs_of: Callable[[Any], Any]
) -> None:
    """One source again: dropped when its note is gone, recomputed when its
    input record differs from the last pass's."""
    cached = cache.sources.get(source)
    if item is None:
        if cached is not None:
            cache.dropped.extend(cached[1])
            del cache.sources[source]
        return
    inputs = inputs_of(item)
    if cached is not None and cached[0] == inputs:
        return
    if cached is not None:
        cache.dropped.extend(cached[1])
    found = tuple(_RULES[source[0]](inputs))
    cache.fresh.extend(found)
    cache.sources[source] = (inputs, found)


def _merge(cache: FollowUpCache, zone: dt.tzinfo) -> list[FollowUp]:
    """Last pass's sorted list without ``dropped``, with ``fresh`` put in place:
    no full sort of tens of thousands for a save that changed a few."""
    kept = cache.last
    cache.in_place = len(cache.dropped) + len(cache.fresh) <= len(kept) // 4
    if not cache.in_place:  # a big change: sort
        gone = {id(f) for f in cache.dropped}
        kept = [f for f in kept if id(f) not in gone] + cache.fresh
        kept.sort(key=lambda f: f.sort_key(zone))
    else:
        kept = list(kept)
        for followup in cache.dropped:
            remove_sorted(kept, followup, lambda f: f.sort_key(zone))
        for followup in cache.fresh:
            bisect.insort(kept, followup, key=lambda f: f.sort_key(zone))
    cache.last = kept
    return kept


def _interview_rules(inputs: InterviewInputs) -> list[FollowUp]:
    interview, contact, settings = inputs.interview, inputs.contact, inputs.settings
    if interview.start is None:
        return []
    contact_name = interview.contact.name if interview.contact else None
    where = f" ({interview.organization_name})" if interview.organization_name else ""
    key = _note_key(interview.id, interview.path, inputs.duplicate_id)
    end = interview.end
    held = inputs.held
    cancelled = interview.status == "cancelled"
    how = ", ".join(part for part in (interview.format, interview.location) if part)
    found = [
        FollowUp(
            kind="interview",
            due=interview.start.at or interview.start.day,
            title=f"Interview with {contact_name or 'someone'}{where}"
            + (" (cancelled)" if cancelled else ""),
            contact=contact_name,
            path=interview.path,
            done=held or cancelled,
            key=key,
            detail=f"{interview.duration} min" + (f", {how}" if how else ""),
            end=end,
            location=interview.location,
            cancelled=cancelled,
        )
    ]
    if cancelled or end is None:
        return found
    due = thank_you_due(end, settings.thank_you_within)
    # The contact's stage speaks for interviews already held; for one still to
    # come, "thanked" is left over from an earlier meeting.
    thanked = interview.thank_you_sent is not None or (
        held and contact is not None and at_or_after(inputs.stage, "thanked")
    )
    local_due = due.astimezone(settings.zone)
    found.append(
        FollowUp(
            kind="thank-you",
            due=due,
            title=f"Thank {contact_name or 'them'} for the interview (by {local_due:%H:%M})",
            contact=contact_name,
            path=interview.path,
            done=thanked,
            key=key,
            detail="Send a thank-you note and anything you promised; "
            "then set thank_you_sent in the interview note.",
        )
    )
    return found


def _reply_rules(inputs: ContactInputs) -> list[FollowUp]:
    """The 3B7 routine: no reply after 3 business days, reach a second contact
    at the same organization; after 7, follow up once with the first. Done
    once they replied, or the stage is ``scheduled`` or later: no nudge while
    an interview is planned or held."""
    contact, settings = inputs.contact, inputs.settings
    if contact.contacted_on is None:
        return []
    replied = contact.replied_on is not None or at_or_after(inputs.stage, "scheduled")
    key = _note_key(contact.id, contact.path, inputs.duplicate_id)
    candidates = _second_contacts(inputs)
    where = f" at {contact.organization_name}" if contact.organization_name else ""
    if candidates:
        nudge_title = f"No reply from {contact.name}: reach out to {candidates[0]}{where}"
        nudge_detail = (
            "No reply yet. Reach a second contact" + where + ": " + ", ".join(candidates) + "."
        )
    else:
        nudge_title = f"No reply from {contact.name}: reach a second contact{where}"
        nudge_detail = (
            "No reply yet. Reach a second contact" + where + " (none in your notes yet: find one)."
        )
    calendar = settings.calendar
    return [
        FollowUp(
            "nudge",
            calendar.add(contact.contacted_on, settings.nudge_after),
            nudge_title,
            contact.name,
            contact.path,
            replied,
            key,
            nudge_detail,
            candidates=candidates,
        ),
        FollowUp(
            "move-on",
            calendar.add(contact.contacted_on, settings.move_on_after),
            f"Follow up once with {contact.name}, then move on",
            contact.name,
            contact.path,
            replied,
            key,
            f"Still no reply since {contact.contacted_on.isoformat()}. Send one short, "
            "friendly follow-up; if that goes unanswered, move on.",
        ),
    ]


MAX_CANDIDATES = 5


def _second_contacts(inputs: ContactInputs) -> list[str]:
    """Up to five other open (not closed) people at the same organization
    (matched by its note, or by the name when there is no note), those not
    yet contacted first (the group's order)."""
    found = open_colleagues(inputs.contact, inputs.colleagues)
    return [c.name for c in itertools.islice(found, MAX_CANDIDATES)]


def _keep_in_touch(inputs: ContactInputs) -> FollowUp | None:
    """Reconnect with people you have met (stage interviewed, thanked or
    keep-in-touch), on their cadence or the vault's."""
    contact = inputs.contact
    if inputs.stage not in MET_STATUSES:
        return None
    default = inputs.settings.default_cadence
    cadence = contact.keep_in_touch if contact.keep_in_touch is not None else default
    if cadence == typed_values.OFF or cadence is None:
        return None
    last = contact.last_contact
    if contact.next_contact is not None and (last is None or last < contact.next_contact):
        due = contact.next_contact  # a later last_contact means that touch happened
    else:
        base = contact.last_contact
        met = inputs.interview_days  # the last meeting, had or booked, resets the cadence
        if met and (base is None or max(met) > base):
            base = max(met)
        if base is None:
            return None
        due = cadence.after(base)  # type: ignore[union-attr]
    return FollowUp(
        "keep-in-touch",
        due,
        f"Keep in touch with {contact.name}",
        contact.name,
        contact.path,
        False,
        _note_key(contact.id, contact.path, inputs.duplicate_id),
        "Reconnect: share how their advice worked out, send an article or an update.",
    )


def _task_contact(career: CareerVault, note: Note) -> str | None:
    """The person a note's tasks concern: the contact, or an interview's contact."""
    kind = career.index.kind(note)
    if kind == "contact":
        return note.name
    if kind == "interview":
        interview = career.interview_at(note.path)  # its contact link, already resolved
        if interview is not None and interview.contact is not None:
            return interview.contact.name
    return None


def _task_title(text: str, contact_name: str | None) -> str:
    """A task of a contact's or interview's note says whom it is for when its
    line does not ("Send anything you promised (Jane Doe)"): in a calendar or
    a listing it stands alone. Titled here rather than only in the template,
    so the tasks of notes written before are named too."""
    if not contact_name:
        return text
    folded = text.casefold()
    name, first = _name_forms(contact_name)
    if name in folded or first in _WORD.findall(folded):
        return text
    return f"{text} ({contact_name})"


_WORD = re.compile(r"\w+")


@functools.lru_cache(maxsize=1024)
def _name_forms(contact_name: str) -> tuple[str, str]:
    """A contact's name as `_task_title` compares it: case-folded, and its
    first word. The same few names title every task of their notes."""
    name = contact_name.casefold()
    words = name.split()
    return name, words[0] if words else name


def _task_rules(inputs: TaskInputs) -> list[FollowUp]:
    note, counted, contact_name = inputs.note, inputs.counted, inputs.contact_name
    done_tasks = inputs.settings.done_tasks
    path = note.path
    note_key = _note_key(note.id, path, inputs.duplicate_id)
    found: list[FollowUp] = []
    seen: dict[str, int] = {}
    dated = dated_tasks(note)
    for index, (position, task) in enumerate(dated):
        occurrence = seen.get(task.text, 0)
        seen[task.text] = occurrence + 1  # counted even when left out: keys stay put
        if task.checked and not done_tasks:
            continue
        if counted is not True and position not in counted:
            continue
        found.append(
            TaskFollowUp.of_task(
                task.due,
                _task_title(unlink(task.text) or "(task)", contact_name),
                contact_name,
                path,
                task.checked,
                note_key=note_key,
                tasks=dated,
                index=index,
                occurrence=occurrence,
            )
        )
    return found


_RULES: dict[str, Callable[[Any], list[FollowUp]]] = {
    "interview": lambda inputs: interview_rules(inputs),  # looked up when called:
    "contact": lambda inputs: contact_rules(inputs),  # a test may replace a rule
    "tasks": lambda inputs: task_rules(inputs),
}


def follow_ups_of_contact(
    career: CareerVault, contact: Contact, now: dt.datetime
) -> list[FollowUp]:
    """What is open for one person, by due: their own rules (nudge, move-on,
    keep-in-touch), their interviews' (the meeting, the thank-you), and the
    tasks in their note and in those interviews' notes. Reads only those
    notes, not the vault: `show` answers at once on ten thousand notes."""
    context = _Context(career, now, done_tasks=False)
    found = contact_rules(context.contact_inputs(contact))
    found += task_rules(context.task_inputs(contact.note))
    for interview in career.interviews_with(contact):
        found += interview_rules(context.interview_inputs(interview))
        found += task_rules(context.task_inputs(interview.note))
    zone = career.index.config.zone
    return sorted((f for f in found if not f.done), key=lambda f: f.sort_key(zone))


def follow_ups_of_note(career: CareerVault, note: Note, now: dt.datetime) -> list[FollowUp]:
    """The open tasks of one note (an organization's), by due."""
    found = task_rules(_Context(career, now, done_tasks=False).task_inputs(note))
    zone = career.index.config.zone
    return sorted((f for f in found if not f.done), key=lambda f: f.sort_key(zone))
