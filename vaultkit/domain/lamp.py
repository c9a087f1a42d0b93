"""The LAMP list (*The 2-Hour Job Search*): which organizations to work on first.

Each organization note may score ``motivation`` (1-5: how much you want to
work there) and ``posting`` (1-3: how relevant its job postings are), and
say ``advocacy`` (``alumni`` means the same): yes/no, or a count. The book
ranks by motivation, then posting, then advocacy; an organization with no
score sorts after every scored one, since you have not judged it yet.

When ``advocacy`` is not written it is derived from the notes: someone you
know there who is an alum (their ``source`` mentions alumni) or who referred
you to someone is an advocate. For each organization the list says who you
already know there and the next step: find a contact, reach out, or where the
3B7 routine stands for the person who has not replied (3 business days: reach
a second contact; 7: follow up once, then move on). A pure function of the
vault and "now" (never the clock).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from vaultkit.domain.business_days import BusinessCalendar
from vaultkit.domain.career import CareerVault
from vaultkit.domain.contacts import Contact
from vaultkit.domain.organizations import Organization
from vaultkit.domain.stage import at_or_after

_YES = frozenset({"yes", "y", "true"})
_NO = frozenset({"no", "n", "false", "none"})


@dataclass(frozen=True)
class NextStep:
    """What to do next at one organization.

    ``kind`` is one of ``find-contact`` (nobody open there yet),
    ``reach-out`` (someone known, nobody contacted), ``wait`` (contacted, under
    3 business days), ``nudge`` (3 or more: reach a second contact),
    ``move-on`` (7 or more: follow up once, then move on), ``in-progress`` (an
    interview to prepare or to thank for; someone met to keep in touch with)."""

    kind: str
    text: str
    contact: Contact | None = None
    business_days: int | None = None  # since contacted_on, for the 3B7 kinds


@dataclass(frozen=True)
class Target:
    """One organization on the LAMP list."""

    organization: Organization
    advocacy: bool | None  # None: not written and nobody there advocates
    advocacy_count: int | None  # a written count, else the advocates found
    advocacy_derived: bool  # True when read from the contacts, not the note
    advocates: tuple[Contact, ...]
    known: tuple[Contact, ...]  # everyone filed under it, stage order kept by name
    stages: tuple[str, ...]  # each known contact's stage, as of "now"
    next_step: NextStep

    @property
    def motivation(self) -> int | None:
        return self.organization.motivation

    @property
    def posting(self) -> int | None:
        return self.organization.posting

    def rank_key(self) -> tuple[int, int, int, int, str]:
        """Motivation, then posting, then advocacy, highest first; unscored last."""
        org = self.organization
        return (
            -(org.motivation or 0),
            -(org.posting or 0),
            0 if self.advocacy else 1,
            -(self.advocacy_count or 0),
            org.name.casefold(),
        )


def written_advocacy(text: str | None) -> tuple[bool | None, int | None]:
    """What a written ``advocacy`` says: (yes/no, a count when one is given).
    Any other text (a name, "my aunt") is someone: yes."""
    if text is None:
        return None, None
    folded = text.strip().casefold()
    if folded.isdigit():
        return int(folded) > 0, int(folded)
    if folded in _YES:
        return True, None
    if folded in _NO:
        return False, 0
    return True, None


def is_advocate(contact: Contact, career: CareerVault) -> bool:
    """An alum (``source`` mentions alumni) or someone who referred you on."""
    source = (contact.source or "").casefold()
    return "alum" in source or bool(career.referred_by(contact))


def lamp_list(career: CareerVault, now: dt.datetime) -> list[Target]:
    """Every organization note, ranked as the book does."""
    rules = career.index.config.followups
    calendar = BusinessCalendar(rules.holidays, rules.holidays_subdivision)
    targets = [
        _target(career, org, now, calendar, rules.nudge_after, rules.move_on_after)
        for org in career.organizations
    ]
    targets.sort(key=Target.rank_key)
    return targets


def _target(
    career: CareerVault,
    org: Organization,
    now: dt.datetime,
    calendar: BusinessCalendar,
    nudge_after: int,
    move_on_after: int,
) -> Target:
    known = tuple(career.people_known_at(org))
    stages = tuple(career.stage(c, now) for c in known)
    advocates = tuple(c for c in known if c.status != "closed" and is_advocate(c, career))
    advocacy, count = written_advocacy(org.advocacy)
    derived = advocacy is None
    if derived:
        advocacy = True if advocates else None
        count = len(advocates) or None
    step = _next_step(org, known, stages, advocates, now, calendar, nudge_after, move_on_after)
    return Target(org, advocacy, count, derived, advocates, known, stages, step)


def _next_step(
    org: Organization,
    known: tuple[Contact, ...],
    stages: tuple[str, ...],
    advocates: tuple[Contact, ...],
    now: dt.datetime,
    calendar: BusinessCalendar,
    nudge_after: int,
    move_on_after: int,
) -> NextStep:
    """The most pressing step: a 3B7 clock running wins (it has a date), then
    an interview to prepare or to thank for, then someone to reach, then
    keeping in touch with the people met, then finding someone."""
    today = now.date()
    open_ = [(c, s) for c, s in zip(known, stages, strict=True) if s != "closed"]
    waiting = [
        c
        for c, s in open_
        if s == "contacted" and c.contacted_on is not None and c.replied_on is None
    ]
    if waiting:
        first = min(waiting, key=lambda c: (c.contacted_on, c.name.casefold()))
        assert first.contacted_on is not None
        days = _business_days_between(calendar, first.contacted_on, today)
        # the follow-ups' candidates: anyone else open there, not yet contacted first
        others = sorted(
            (c for c, _ in open_ if c.path != first.path),
            key=lambda c: (c.status not in (None, "to-contact"), c.name.casefold()),
        )
        since = f"since {first.contacted_on.isoformat()}"
        if today >= calendar.add(first.contacted_on, move_on_after):
            return NextStep(
                "move-on",
                f"No reply from {first.name} {since}: follow up once, then move on",
                first,
                days,
            )
        if today >= calendar.add(first.contacted_on, nudge_after):
            second = f"reach out to {others[0].name}" if others else "find a second contact"
            return NextStep("nudge", f"No reply from {first.name} {since}: {second}", first, days)
        return NextStep(
            "wait",
            f"Wait for {first.name} (contacted {first.contacted_on.isoformat()}, "
            f"{days} of {nudge_after} business days)",
            first,
            days,
        )
    steps = (("scheduled", "Prepare for your interview with {}"),)
    steps += (("interviewed", "Thank {} for the interview"),)
    for stage, what in steps:
        found = [c for c, s in open_ if s == stage]
        if found:
            return NextStep("in-progress", what.format(found[0].name), found[0])
    fresh = [c for c, s in open_ if s == "to-contact"]
    if fresh:
        chosen = next((c for c in fresh if c in advocates), fresh[0])
        return NextStep("reach-out", f"Reach out to {chosen.name}", chosen)
    going = [c for c, s in open_ if at_or_after(s, "scheduled") or c.replied_on is not None]
    if going:
        return NextStep(
            "in-progress", f"Keep in touch with {going[0].name}; ask who else to meet", going[0]
        )
    return NextStep("find-contact", f"Find a contact at {org.name} (alumni, LinkedIn)")


def _business_days_between(calendar: BusinessCalendar, start: dt.date, end: dt.date) -> int:
    """Business days after ``start`` up to and including ``end``."""
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        if calendar.is_business_day(day):
            count += 1
    return count
