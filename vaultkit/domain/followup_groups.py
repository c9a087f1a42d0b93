"""Follow-ups as a person reads them: what slipped (newest first: last week's
is still worth doing, a year-old one rarely), then what comes (soonest first).

A big vault owes hundreds of things; a screen or a dashboard shows the first
``limit`` of each section and says how many it left out and how to see them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from vaultkit.domain.followups import FollowUp


@dataclass
class Group:
    """One heading's follow-ups: ``shown`` in reading order, ``total`` in all,
    and ``footer`` when the section (overdue, upcoming, done) was cut here."""

    title: str
    total: int
    shown: list[FollowUp] = field(default_factory=list)
    footer: str | None = None


@dataclass
class ByWhen:
    """Follow-ups split as a person plans: ``overdue`` and ``done`` newest
    first, ``week`` (today and six more days) and ``later`` soonest first."""

    overdue: list[FollowUp] = field(default_factory=list)
    week: list[FollowUp] = field(default_factory=list)
    later: list[FollowUp] = field(default_factory=list)
    done: list[FollowUp] = field(default_factory=list)


def by_when(followups: list[FollowUp], now: dt.datetime, zone: dt.tzinfo) -> ByWhen:
    """One pass over ``followups`` (sorted by due, as `follow_ups` returns
    them), which keeps each part sorted: a large vault has tens of thousands."""
    week_end = now.astimezone(zone).date() + dt.timedelta(days=6)  # today and six more
    split = ByWhen()
    for followup in followups:
        if followup.done:
            split.done.append(followup)
        elif followup.is_overdue(now):
            split.overdue.append(followup)
        elif followup.due_day(zone) <= week_end:
            split.week.append(followup)
        else:
            split.later.append(followup)
    split.overdue.reverse()  # last week's slip matters more than last year's
    split.done.reverse()
    return split


def screen_groups(
    followups: list[FollowUp], now: dt.datetime, zone: dt.tzinfo, limit: int
) -> list[Group]:
    """Overdue (newest first), this week and later (soonest first), done.
    ``limit`` (0: no limit) caps each section: overdue, upcoming (this week
    and later together), done. Groups with nothing are left out."""
    split = by_when(followups, now, zone)
    overdue, week, later, done = split.overdue, split.week, split.later, split.done
    groups: list[Group] = []
    for noun, section in (
        ("overdue", [("Overdue", overdue)]),
        ("upcoming", [("This week", week), ("Later", later)]),
        ("done", [("Done", done)]),
    ):
        room = limit if limit else None
        total = sum(len(items) for _, items in section)
        last: Group | None = None
        for title, items in section:
            if not items:
                continue
            shown = items if room is None else items[:room]
            if room is not None:
                room -= len(shown)
            last = Group(title, len(items), list(shown))
            if shown:
                groups.append(last)
        shown_count = sum(len(g.shown) for g in groups if g.title in {t for t, _ in section})
        if last is not None and shown_count < total:
            if last not in groups:
                groups.append(last)
            last.footer = f"showing {shown_count} of {total} {noun}; --limit 0 shows all"
    return groups


def select(
    found: list[FollowUp],
    now: dt.datetime,
    zone: dt.tzinfo,
    *,
    overdue: bool = False,
    within: dt.timedelta | None = None,
    include_done: bool = False,
) -> list[FollowUp]:
    """What `followups` lists, still sorted by due: open ones (all with
    ``include_done``), only the overdue (``overdue``), and with ``within``
    those due within it from today and those that fell overdue within it
    before today (every overdue one, with ``overdue``)."""
    if not include_done:
        found = [f for f in found if not f.done]
    if overdue:
        found = [f for f in found if f.is_overdue(now)]
    if within is not None:
        today = now.astimezone(zone).date()
        horizon, back = today + within, today - within
        found = [
            f
            for f in found
            if f.due_day(zone) <= horizon
            and (overdue or not f.is_overdue(now) or f.due_day(zone) >= back)
        ]
    return found
