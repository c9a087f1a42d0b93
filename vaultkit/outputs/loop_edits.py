"""Closing the loop: `done interview`, `cancel`, `reschedule` and `set`.

The same guarantees as `done_and_log` (only the keys named change, byte for
byte elsewhere, refused when the file changed meanwhile, atomic writes).
NAME is an interview note, or a contact, whose interview meant is picked
here: the one the command can only be about.
"""

from __future__ import annotations

import datetime as dt
import re

from vaultkit.domain.career import CareerVault
from vaultkit.domain.interviews import Interview
from vaultkit.domain.vocabulary import (
    CONTACT_STATUS_ALIASES,
    CONTACT_STATUSES,
    FORMAT_ALIASES,
    FORMATS,
    INTERVIEW_STATUS_ALIASES,
    INTERVIEW_STATUSES,
    WARMTH,
)
from vaultkit.errors import UsageError
from vaultkit.notes import typed_values
from vaultkit.notes.frontmatter_edit import EditableNote
from vaultkit.notes.keys import normalise_key
from vaultkit.outputs.done_and_log import Recorded, _edit, note_to_edit

DATE_KEYS = frozenset(
    {"contacted_on", "replied_on", "last_contact", "next_contact", "thank_you_sent"}
)
LINK_KEYS = frozenset({"organization", "contact", "referred_by", "referrals"})
_NUMBERS = {"motivation": (1, 5), "posting": (1, 3)}
_KEY = re.compile(r"[^\W\d]\w*")  # after normalise_key: spaces and hyphens are _


def _interviews_named(career: CareerVault, name: str) -> tuple[str, list[Interview], bool]:
    """Who NAME is (for messages), the interviews it can mean (a contact's,
    oldest first), and whether NAME was an interview note itself."""
    note = note_to_edit(career, name, ("contact", "interview"))
    interview = career.interview_at(note.path)
    if interview is not None:
        return (interview.contact.name if interview.contact else note.name), [interview], True
    contact = career.contact_at(note.path)
    assert contact is not None
    found = career.interviews_with(contact)
    if not found:
        raise UsageError(
            f"no interview with {contact.name} yet; `vaultkit new interview` books one"
        )
    return contact.name, found, False


def _start(interview: Interview, zone: dt.tzinfo) -> dt.datetime:
    assert interview.start is not None
    return interview.start.at or dt.datetime.combine(interview.start.day, dt.time(), tzinfo=zone)


def _open(interviews: list[Interview]) -> list[Interview]:
    return [i for i in interviews if i.status in (None, "planned") and i.start is not None]


def _next_or_last(who: str, interviews: list[Interview], now: dt.datetime, what: str) -> Interview:
    """The interview still to come soonest, else the latest one past."""
    if len(interviews) == 1 and interviews[0].start is None:
        return interviews[0]
    dated = [i for i in interviews if i.start is not None]
    if not dated:
        raise UsageError(f"no {what} interview with {who}")
    upcoming = [i for i in dated if not i.held(now)]
    return upcoming[0] if upcoming else dated[-1]


def record_interview_done(
    career: CareerVault, name: str, on: dt.date, now: dt.datetime
) -> Recorded:
    """``status: done`` on the latest planned interview that had begun by the
    end of ``on`` (a meeting still to come cannot have happened)."""
    who, interviews, direct = _interviews_named(career, name)
    zone = career.index.config.zone
    if direct:
        named = interviews[0]
        if named.status == "done":
            return Recorded(named.path, [])
        chosen = named
    else:
        end_of_day = dt.datetime.combine(on + dt.timedelta(days=1), dt.time(), tzinfo=zone)
        planned = _open(interviews)
        begun = [i for i in planned if _start(i, zone) < end_of_day]
        if not begun:
            if planned:
                day = planned[0].start.day.isoformat()  # type: ignore[union-attr]
                raise UsageError(
                    f"your interview with {who} is still to come on {day}; "
                    "name its note to mark it done anyway"
                )
            raise UsageError(f"no planned interview with {who} (all done or cancelled)")
        chosen = begun[-1]
    return _set_status(career, chosen, "done")


def record_cancel(career: CareerVault, name: str, now: dt.datetime) -> Recorded:
    """``status: cancelled`` on the interview still to come soonest, else the
    latest one past that is still planned."""
    who, interviews, direct = _interviews_named(career, name)
    if not direct:
        interviews = _open(interviews)
    if not interviews:
        raise UsageError(f"no planned interview with {who} to cancel")
    chosen = _next_or_last(who, interviews, now, "planned")
    return _set_status(career, chosen, "cancelled")


def record_reschedule(career: CareerVault, name: str, at: str, now: dt.datetime) -> Recorded:
    """A new ``date`` (as given, once it reads as one), and ``status: planned``
    again when the interview had been cancelled."""
    zone = career.index.config.zone
    text = " ".join(at.split())
    try:
        moment = typed_values.when(text, zone)
    except typed_values.ValueProblem as problem:
        raise UsageError(f"--at: {problem}") from None
    if moment is None:
        raise UsageError("--at needs a date and time, e.g. '2026-12-03 15:00'")
    who, interviews, direct = _interviews_named(career, name)
    if not direct:
        interviews = [i for i in interviews if i.status != "done"]
    if not interviews:
        raise UsageError(f"every interview with {who} is marked done; nothing to reschedule")
    chosen = _next_or_last(who, interviews, now, "open")
    changes = [f"date: {_shown(chosen.note.fields.get('date'))} → {text}"]
    reopen = chosen.status == "cancelled"
    if reopen:
        changes.append("status: cancelled → planned")

    def change(note: EditableNote) -> None:
        note.set_key("date", text)
        if reopen:
            note.set_key("status", "planned")

    return _edit(career.index.root, chosen.note, change, changes)


def _shown(value: object) -> str:
    return "(none)" if value is None else str(value)


def _set_status(career: CareerVault, interview: Interview, status: str) -> Recorded:
    before = interview.status or "(none)"
    return _edit(
        career.index.root,
        interview.note,
        lambda note: note.set_key("status", status),
        [f"status: {before} → {status}"],
    )


def record_set(career: CareerVault, name: str, key: str, value: str) -> Recorded:
    """One key of a contact, organization or interview note, validated when
    vaultkit knows the key, written so that YAML reads it back as meant."""
    note = note_to_edit(career, name, ("contact", "organization", "interview"))
    kind = career.index.kind(note)
    wanted = normalise_key(key)
    if not wanted:
        raise UsageError("KEY is empty")
    if not _KEY.fullmatch(wanted):
        raise UsageError(
            f"{key!r} is not a key vaultkit writes: letters, digits, spaces, - and _ only"
        )
    if "\n" in value or "\r" in value:
        raise UsageError(f"{wanted}: one line only; edit a longer value by hand")
    text, as_text = _checked(kind, wanted, value.strip(), career)
    before = note.fields.get(wanted)
    changes = [f"{wanted}: {_shown(before)} → {text}"]
    return _edit(
        career.index.root,
        note,
        lambda editable: editable.set_key(wanted, text, as_text=as_text),
        changes,
    )


def _checked(kind: str, key: str, value: str, career: CareerVault) -> tuple[str, bool]:
    """The value to write for ``key`` in a note of ``kind``, and whether it is
    text (quoted when YAML would read it otherwise). A value vaultkit would
    not read is a usage error, so nothing half-right is written."""

    def choose(allowed: tuple[str, ...], aliases: dict[str, str]) -> str:
        folded = value.casefold().replace(" ", "-")
        found = aliases.get(folded, folded)
        if found not in allowed:
            raise UsageError(f"{key}: {value!r} is not one of {', '.join(allowed)}")
        return found

    try:
        if key == "status" and kind == "contact":
            return choose(CONTACT_STATUSES, CONTACT_STATUS_ALIASES), False
        if key == "status" and kind == "interview":
            return choose(INTERVIEW_STATUSES, INTERVIEW_STATUS_ALIASES), False
        if key == "warmth" and kind == "contact":
            return choose(WARMTH, {}), False
        if key == "format" and kind == "interview":
            return choose(FORMATS, FORMAT_ALIASES), False
        if key in DATE_KEYS:
            day = typed_values.date(value)
            if day is None:
                raise UsageError(f"{key} needs a date (YYYY-MM-DD)")
            return day.isoformat(), False
        if key == "date" and kind == "interview":
            if typed_values.when(value, career.index.config.zone) is None:
                raise UsageError("date needs a date and time, e.g. '2026-12-03 15:00'")
            return " ".join(value.split()), False
        if key == "duration" and kind == "interview":
            return str(typed_values.minutes(value)), False
        if key == "keep_in_touch":
            typed_values.cadence(value)
            return value, True
        if key in _NUMBERS and kind == "organization":
            low, high = _NUMBERS[key]
            if not value.isdigit() or not low <= int(value) <= high:
                raise UsageError(f"{key}: a whole number from {low} to {high}")
            return value, False
    except typed_values.ValueProblem as problem:
        raise UsageError(f"{key}: {problem}") from None
    if key in LINK_KEYS and value and not value.startswith("[["):
        value = f"[[{value}]]"  # vaultkit writes links as quoted wikilinks
    return value, True


def record_lamp(
    career: CareerVault,
    name: str,
    motivation: int | None = None,
    posting: int | None = None,
    advocacy: str | None = None,
) -> Recorded:
    """`lamp --edit`: the LAMP scores of one organization note, in one write
    (only those keys change). ``advocacy`` is yes, no or a count; a note that
    says ``alumni:`` instead keeps that key, so the two never disagree."""
    note = note_to_edit(career, name, ("organization",))
    wanted: list[tuple[str, str, bool]] = []
    if motivation is not None:
        wanted.append(("motivation", _lamp_number("motivation", str(motivation)), False))
    if posting is not None:
        wanted.append(("posting", _lamp_number("posting", str(posting)), False))
    if advocacy is not None:
        said = advocacy.strip().casefold()
        if said in ("y", "true"):
            said = "yes"
        if said in ("n", "false"):
            said = "no"
        if said not in ("yes", "no") and not said.isdigit():
            raise UsageError(f"--advocacy: {advocacy!r} is not yes, no or a count")
        key = "alumni" if "alumni" in note.fields and "advocacy" not in note.fields else "advocacy"
        # quoted: YAML would read a bare yes/no as true/false
        wanted.append((key, said, not said.isdigit()))
    if not wanted:
        raise UsageError("--edit needs --motivation, --posting or --advocacy")
    changes = [_lamp_change(key, _shown(note.fields.get(key)), text) for key, text, _ in wanted]

    def change(editable: EditableNote) -> None:
        for key, text, as_text in wanted:
            # a score is a number, even where the note had it quoted: Obsidian's
            # properties and the LAMP base sort numbers, not text
            editable.set_key(key, text, as_text=as_text, keep_quoting=as_text)

    return _edit(career.index.root, note, change, changes)


def _lamp_change(key: str, old: str, new: str) -> str:
    """One line of the report: the change, or that the value was already so."""
    return f"{key}: {new} (unchanged)" if old == new else f"{key}: {old} → {new}"


def _lamp_number(key: str, value: str) -> str:
    low, high = _NUMBERS[key]
    if not value.isdigit() or not low <= int(value) <= high:
        raise UsageError(f"--{key}: a whole number from {low} to {high}")
    return str(int(value))
