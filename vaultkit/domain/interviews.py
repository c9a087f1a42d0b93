"""Interviews: the meetings themselves, read from interview notes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from vaultkit.diagnostics import Diagnostic
from vaultkit.domain.field_reader import FieldReader
from vaultkit.domain.resolved_links import Ref
from vaultkit.domain.vocabulary import (
    FORMAT_ALIASES,
    FORMATS,
    INTERVIEW_STATUS_ALIASES,
    INTERVIEW_STATUSES,
)
from vaultkit.notes import typed_values
from vaultkit.notes.note import Note
from vaultkit.notes.typed_values import When
from vaultkit.vault.index import VaultIndex

DEFAULT_DURATION = 30


@dataclass
class Interview:
    """One informational interview. ``start`` carries the day and, when the
    note gives one, the aware start time; ``organization`` is the note's own
    link or, when absent, the contact's organization."""

    note: Note
    contact: Ref | None
    organization: Ref | None
    start: When | None
    duration: int
    format: str | None
    location: str | None
    status: str | None
    thank_you_sent: dt.date | None
    referrals: list[Ref]
    id: str | None
    problems: list[Diagnostic] = field(default_factory=list)
    organization_from_contact: bool = False

    @property
    def path(self) -> str:
        return self.note.path

    @property
    def end(self) -> dt.datetime | None:
        """Start plus duration in elapsed time (through UTC: Python adds wall-clock
        time within one zone, which is off by an hour across a DST change)."""
        if self.start is None or self.start.at is None:
            return None
        start = self.start.at
        elapsed = start.astimezone(dt.UTC) + dt.timedelta(minutes=self.duration)
        return elapsed.astimezone(start.tzinfo)

    @property
    def organization_name(self) -> str | None:
        """The organization as listings show it: the linked note's name, else the text."""
        return self.organization.name if self.organization is not None else None

    def held_from(self, zone: dt.tzinfo) -> dt.datetime | None:
        """From when the clock alone makes this interview held: its end, or for
        one with only a day, the start of the next day (in ``zone``). None when
        the clock cannot (no date, or cancelled)."""
        if self.start is None or self.status == "cancelled":
            return None
        end = self.end
        if end is not None:
            return end
        return dt.datetime.combine(self.start.day + dt.timedelta(days=1), dt.time(), tzinfo=zone)

    def held(self, now: dt.datetime) -> bool:
        """Whether the meeting took place, as of ``now``: marked ``done``, or not
        cancelled and over (ended; a day-only one, that day past). The one
        definition the follow-ups, the stage, the dashboard and the graph share."""
        if self.status == "done":
            return True
        since = self.held_from(now.tzinfo or dt.UTC)
        return since is not None and since <= now

    def planned(self, now: dt.datetime) -> bool:
        """Still to come (or under way) as of ``now``: status ``planned`` or none,
        dated or explicitly planned, and not held."""
        if self.status not in (None, "planned") or self.held(now):
            return False
        return self.start is not None or self.status == "planned"


def _wall_time_problem(note: Note, start: typed_values.When, zone: dt.tzinfo) -> Diagnostic:
    """The warning for a wall time that happens twice or not at all in the
    vault's zone, with the two offsets that zone gives it to choose from."""
    assert start.at is not None and start.offsets is not None
    first, second = (typed_values.offset_text(offset) for offset in start.offsets)
    wall = start.wall_time()
    where = typed_values.zone_name(zone)
    if start.ambiguous:
        code = "ambiguous-time"
        message = (
            f"{wall} happens twice in {where} when the clocks go back; reading it as the "
            f"first ({first}); to choose, add the offset: {wall}{first} or {wall}{second}"
        )
    else:
        code = "skipped-time"
        shown = start.at.astimezone(zone).strftime("%H:%M")
        message = (
            f"{wall} does not exist in {where}: the clocks skip it; reading it as "
            f"{shown} ({wall}{first}); pick another time or add the offset you mean"
        )
    return note.problem("warning", code, message, "date")


def read_interview(note: Note, index: VaultIndex) -> Interview:
    read = FieldReader(note, index)
    zone = index.config.zone
    interview = Interview(
        note=note,
        contact=read.ref("contact"),
        organization=read.ref("organization"),
        start=read.get("date", typed_values.when, zone, True, code="bad-date"),
        duration=read.get("duration", typed_values.minutes) or DEFAULT_DURATION,
        format=read.choice("format", FORMATS, FORMAT_ALIASES),
        location=read.text("location"),
        status=read.choice("status", INTERVIEW_STATUSES, INTERVIEW_STATUS_ALIASES),
        thank_you_sent=read.get("thank_you_sent", typed_values.date, code="bad-date"),
        referrals=read.refs("referrals"),
        id=read.text("id"),
    )
    start = interview.start
    if start is not None and (start.ambiguous or start.skipped):
        interview.problems.append(_wall_time_problem(note, start, zone))
    if interview.contact is None:
        interview.problems.append(
            Diagnostic(
                note.path,
                None,
                "error",
                "missing-key",
                "an interview needs contact: (a link to the person you are meeting)",
            )
        )
    interview.problems[:0] = read.problems
    return interview
