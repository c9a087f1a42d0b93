"""A contact's stage: where they are in the pipeline, from the facts.

The written ``status`` drifts (nobody edits the contact note when an
interview is booked), so the stage is derived from what the notes record:

- a planned interview → ``scheduled``;
- an interview held → ``interviewed``; its ``thank_you_sent`` → ``thanked``;
  a ``last_contact`` after that thank-you → ``keep-in-touch``;
- before any of these, ``contacted`` once ``contacted_on`` is set.

The written status wins only when it is further along, or ``closed``. A pure
function of the contact, their interviews and "now" (never the clock).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from vaultkit.domain.contacts import Contact
from vaultkit.domain.interviews import Interview
from vaultkit.domain.vocabulary import CONTACT_STATUSES

RANK = {status: rank for rank, status in enumerate(CONTACT_STATUSES)}
MET_STAGES = frozenset({"interviewed", "thanked", "keep-in-touch"})


def at_or_after(stage: str | None, threshold: str) -> bool:
    """Whether ``stage`` has reached ``threshold`` (``closed`` is past everything)."""
    return stage is not None and RANK[stage] >= RANK[threshold]


def factual_stage(
    contact: Contact, interviews: Iterable[Interview], now: dt.datetime
) -> tuple[str | None, Interview | None]:
    """The stage the facts alone give (None when they say nothing), and the
    interview that says it (None for ``contacted``)."""
    latest_held: Interview | None = None
    planned: Interview | None = None
    for interview in interviews:  # oldest first
        if interview.held(now):
            latest_held = interview
        elif planned is None and interview.planned(now):
            planned = interview
    if latest_held is not None:
        thanked_on = latest_held.thank_you_sent
        if thanked_on is None:
            return "interviewed", latest_held
        since = thanked_on
        if latest_held.start is not None and latest_held.start.day > since:
            since = latest_held.start.day
        if contact.last_contact is not None and contact.last_contact > since:
            return "keep-in-touch", latest_held
        return "thanked", latest_held
    if planned is not None:
        return "scheduled", planned
    if contact.contacted_on is not None:
        return "contacted", None
    return None, None


def contact_stage(contact: Contact, interviews: Iterable[Interview], now: dt.datetime) -> str:
    """The stage listings, the dashboard and the follow-up rules use."""
    facts, _ = factual_stage(contact, interviews, now)
    written = contact.status
    if written == "closed" or (
        written is not None and (facts is None or RANK[written] > RANK[facts])
    ):
        return written
    return facts or "to-contact"


def status_lag(
    contact: Contact, interviews: Iterable[Interview], now: dt.datetime
) -> tuple[str, Interview | None] | None:
    """When the written status is behind a meeting that took place: the stage
    the facts give and the interview behind it (for `check`'s ``status-lags``
    warning); else None. A booking alone is not flagged (`new interview` makes
    one without touching the contact note), nor a contact with no status."""
    written = contact.status
    if written is None or written == "closed":
        return None
    facts, interview = factual_stage(contact, interviews, now)
    if facts is None or RANK[facts] < RANK["interviewed"] or RANK[facts] <= RANK[written]:
        return None
    return facts, interview
