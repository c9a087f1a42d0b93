"""How the search is going: the funnel, reply times, referrals and weekly
activity, as pure functions of a `CareerVault` and "now" (never the clock).

Each funnel step counts the contacts who got at least that far, from what the
notes record, so every step is part of the one before it:

- *contacted*: ``contacted_on`` is set, or the stage is ``contacted`` or later
  (a reply, an interview or a thank-you means they were contacted);
- *replied*: ``replied_on`` is set, or an interview was booked or held with
  them (nobody books a meeting without an answer);
- *met*: an interview with them was held (`Interview.held`, the one
  definition), or the stage (`domain.stage`, which a written status further
  along can set) is ``interviewed`` or later;
- *thanked*: a held interview's ``thank_you_sent``, or the stage ``thanked``
  or ``keep-in-touch``.

A ``closed`` contact counts for what their notes show, not for ``closed``.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from vaultkit.domain.career import CareerVault
from vaultkit.domain.contacts import Contact
from vaultkit.domain.stage import RANK
from vaultkit.vault.resolve import fold

STEPS = ("contacts", "contacted", "replied", "met", "thanked")
WEEKS = 12  # of weekly activity: a quarter, enough to see a trend
RECENT_DAYS = 28  # "the last four weeks"
NO_WARMTH = "not set"
NO_SOURCE = "not set"
_REFERRAL_SOURCES = frozenset({"referral", "referred", "intro", "introduction"})


@dataclass(frozen=True)
class Funnel:
    """How many contacts reached each step (each a subset of the one before)."""

    contacts: int = 0
    contacted: int = 0
    replied: int = 0
    met: int = 0
    thanked: int = 0

    def counts(self) -> list[int]:
        return [self.contacts, self.contacted, self.replied, self.met, self.thanked]

    @property
    def reply_rate(self) -> float | None:
        return rate(self.replied, self.contacted)


@dataclass(frozen=True)
class GroupFunnel:
    """The funnel of the contacts sharing one ``warmth`` or ``source``."""

    label: str
    funnel: Funnel


@dataclass(frozen=True)
class Replies:
    """Replies to the requests sent from ``since`` (None: the whole search)."""

    since: dt.date | None
    contacted: int
    replied: int
    median_days: float | None  # from contacted_on to replied_on, where both are set
    timed: int  # how many replies the median is drawn from

    @property
    def rate(self) -> float | None:
        return rate(self.replied, self.contacted)


@dataclass(frozen=True)
class Person:
    """Someone in a referral chain: a contact's note path, or only a name."""

    name: str
    path: str | None


@dataclass(frozen=True)
class Referrals:
    interviews_held: int
    referrals_gained: int  # distinct people named in held interviews' referrals
    contacts: int
    through_referral: int  # contacts someone introduced you to
    longest_chain: list[Person]  # first referrer first; empty when nobody referred anyone

    @property
    def per_interview(self) -> float | None:
        return rate(self.referrals_gained, self.interviews_held)

    @property
    def share_through_referral(self) -> float | None:
        return rate(self.through_referral, self.contacts)


@dataclass(frozen=True)
class Week:
    """One week's activity (weeks start on Monday, in the vault's zone)."""

    start: dt.date
    requests: int
    replies: int
    interviews: int


@dataclass(frozen=True)
class SearchStats:
    now: dt.datetime
    since: dt.date | None
    funnel: Funnel
    by_warmth: list[GroupFunnel]
    by_source: list[GroupFunnel]
    whole: Replies
    recent: Replies
    referrals: Referrals
    weeks: list[Week]


def rate(part: int, whole: int) -> float | None:
    """``part`` of ``whole``, None when there is nothing to divide by (not 0:
    "no requests yet" is not "nobody answered")."""
    return part / whole if whole else None


def search_stats(
    career: CareerVault, now: dt.datetime, since: dt.date | None = None
) -> SearchStats:
    """Every figure `vaultkit stats` and the dashboard show, as of ``now``.
    ``since``: only contacts whose search began on or after that day (their
    first dated step), and those not contacted yet, the pool still to work."""
    today = now.date()
    levels: dict[str, int] = {}
    started: dict[str, dt.date | None] = {}
    for contact in career.contacts:
        level, first = _level(career, contact, now)
        # --since: a contact the notes date before it, or one gone past
        # "to contact" with no date at all, began before it as far as we know
        if since is not None and (first < since if first is not None else level > 0):
            continue
        levels[contact.path] = level
        started[contact.path] = first
    chosen = [c for c in career.contacts if c.path in levels]
    funnel = _funnel(levels[c.path] for c in chosen)
    recent_from = today - dt.timedelta(days=RECENT_DAYS - 1)
    if since is not None and since > recent_from:
        recent_from = since
    return SearchStats(
        now=now,
        since=since,
        funnel=funnel,
        by_warmth=_groups(chosen, levels, lambda c: c.warmth or NO_WARMTH),
        by_source=_groups(chosen, levels, _source_label),
        whole=_replies(chosen, levels, since, today),
        recent=_replies(chosen, levels, recent_from, today),
        referrals=_referrals(career, chosen, now, since),
        weeks=_weeks(career, chosen, now),
    )


def _level(career: CareerVault, contact: Contact, now: dt.datetime) -> tuple[int, dt.date | None]:
    """How far ``contact`` got (an index into `STEPS`) and the first day the
    notes date any step of theirs."""
    # last_contact too: for a contact the notes date only by it (met before
    # vaultkit, kept in touch), it is the one day known
    dated = (contact.contacted_on, contact.replied_on, contact.last_contact)
    days = [d for d in dated if d is not None]
    level = 1 if contact.contacted_on is not None else 0
    if contact.replied_on is not None:
        level = 2
    for interview in career.interviews_with(contact):
        if interview.start is not None and interview.status != "cancelled":
            days.append(interview.start.day)
        if interview.held(now):
            level = max(level, 4 if interview.thank_you_sent is not None else 3)
        elif interview.planned(now):
            level = max(level, 2)
    stage = career.stage(contact, now)
    if stage != "closed":
        by_stage = {"contacted": 1, "scheduled": 2, "interviewed": 3, "thanked": 4}
        rank = RANK[stage]
        for name, step in by_stage.items():
            if rank >= RANK[name]:
                level = max(level, step)
    return level, min(days, default=None)


def _funnel(levels: Iterable[int]) -> Funnel:
    reached = Counter(levels)
    counts = [sum(n for level, n in reached.items() if level >= step) for step in range(5)]
    return Funnel(*counts)


def _source_label(contact: Contact) -> str:
    return " ".join(contact.source.split()) if contact.source else NO_SOURCE


def _groups(
    contacts: list[Contact], levels: dict[str, int], label_of: Callable[[Contact], str]
) -> list[GroupFunnel]:
    """One funnel per label (``label_of(contact)``), labels folded so
    ``LinkedIn`` and ``linkedin`` are one group shown as first written;
    largest group first, then by name."""
    members: dict[str, list[int]] = defaultdict(list)
    shown: dict[str, str] = {}
    for contact in contacts:
        label = label_of(contact)
        key = fold(label)
        shown.setdefault(key, label)
        members[key].append(levels[contact.path])
    groups = [GroupFunnel(shown[key], _funnel(found)) for key, found in members.items()]
    groups.sort(key=lambda g: (-g.funnel.contacts, g.label.casefold()))
    return groups


def _replies(
    contacts: list[Contact], levels: dict[str, int], since: dt.date | None, today: dt.date
) -> Replies:
    """Requests sent from ``since`` to today (by ``contacted_on``; a contact
    without one counts only in the whole search) and how many were answered."""
    contacted = replied = 0
    days: list[int] = []
    for contact in contacts:
        level = levels[contact.path]
        sent = contact.contacted_on
        if level < 1:
            continue
        if since is not None and (sent is None or sent < since or sent > today):
            continue
        contacted += 1
        if level >= 2:
            replied += 1
            answer = contact.replied_on
            if sent is not None and answer is not None and answer >= sent:
                days.append((answer - sent).days)
    median = float(statistics.median(days)) if days else None
    return Replies(since, contacted, replied, median, len(days))


def _referrals(
    career: CareerVault, contacts: list[Contact], now: dt.datetime, since: dt.date | None
) -> Referrals:
    held = [
        i
        for i in career.interviews
        if i.held(now) and (since is None or (i.start is not None and i.start.day >= since))
    ]
    gained = {ref.path or f"?{fold(ref.name)}" for i in held for ref in i.referrals}
    named = {ref.path for i in career.interviews for ref in i.referrals if ref.path}
    through = sum(
        1
        for c in contacts
        if c.referred_by or c.path in named or fold(_source_label(c)) in _REFERRAL_SOURCES
    )
    return Referrals(len(held), len(gained), len(contacts), through, _longest_chain(career))


def _longest_chain(career: CareerVault) -> list[Person]:
    """The longest run of introductions (A referred B, who referred C, ...) in
    the referral graph; a cycle (which `check` reports) is cut where it would
    repeat a person. Ties go to the chain whose names sort first."""
    plain = career.referral_graph().plain
    after: dict[str, list[str]] = defaultdict(list)
    for source, target in plain.edges:
        if source != target:
            after[source].append(target)
    name = {node: str(attributes["name"]) for node, attributes in plain.nodes.items()}
    best: dict[str, list[str]] = {}  # the longest chain starting at each node
    state: dict[str, int] = {}  # 1 while on the walk, 2 when done
    for root in sorted(after, key=lambda n: name.get(n, n).casefold()):
        if state.get(root):
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        state[root] = 1
        while stack:  # depth first without recursion: a chain may be thousands long
            node, child = stack[-1]
            nexts = after.get(node, [])
            if child < len(nexts):
                stack[-1] = (node, child + 1)
                target = nexts[child]
                if not state.get(target):
                    state[target] = 1
                    stack.append((target, 0))
                continue
            stack.pop()
            state[node] = 2
            tails = [best[t] for t in nexts if state.get(t) == 2 and t in best]
            longest = max(tails, key=len, default=[])
            best[node] = [node, *longest]
    chain = max(best.values(), key=len, default=[])
    if len(chain) < 2:
        return []
    return [
        Person(name.get(node, node), node if plain.nodes.get(node, {}).get("resolved") else None)
        for node in chain
    ]


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _weeks(career: CareerVault, contacts: list[Contact], now: dt.datetime) -> list[Week]:
    """The last `WEEKS` weeks, this one last: requests sent (``contacted_on``),
    replies (``replied_on``) and interviews held, each on its own day."""
    this_week = week_start(now.date())
    first = this_week - dt.timedelta(weeks=WEEKS - 1)
    requests: Counter[dt.date] = Counter()
    replies: Counter[dt.date] = Counter()
    meetings: Counter[dt.date] = Counter()
    for contact in contacts:
        if contact.contacted_on is not None and contact.contacted_on <= now.date():
            requests[week_start(contact.contacted_on)] += 1
        if contact.replied_on is not None and contact.replied_on <= now.date():
            replies[week_start(contact.replied_on)] += 1
    chosen = {c.path for c in contacts}
    for interview in career.interviews:
        if interview.start is None or not interview.held(now):
            continue
        who = interview.contact.path if interview.contact is not None else None
        if who is not None and who not in chosen:
            continue  # a contact left out by --since
        meetings[week_start(interview.start.day)] += 1
    weeks = [first + dt.timedelta(weeks=n) for n in range(WEEKS)]
    return [Week(w, requests[w], replies[w], meetings[w]) for w in weeks]
