"""The JSON shapes scripts rely on (the README's promise to scripts).

The keys the README lists are a contract: they are always present (null when
unknown) and never renamed. Extra keys may be added. A link is given as the
linked note's name, or as the text the user wrote when it resolves to nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from vaultkit.domain.career import CareerVault
from vaultkit.domain.contacts import Contact
from vaultkit.domain.followups import FollowUp
from vaultkit.domain.interviews import Interview
from vaultkit.domain.organizations import Organization

if TYPE_CHECKING:  # not imported by listings, which never make a card or a graph
    from vaultkit.domain.coverage import Coverage
    from vaultkit.domain.lamp import Target
    from vaultkit.domain.mail_rules import Proposal
    from vaultkit.domain.referral_graph import Reached, ReferralGraph
    from vaultkit.domain.search_stats import Funnel, Replies, SearchStats
    from vaultkit.outputs.cards import CardExtras
    from vaultkit.outputs.contact_import import ImportPlan, ImportResult


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def contact_record(contact: Contact, stage: str | None = None) -> dict[str, Any]:
    """``list contacts --json``: name, path, organization, referred_by, status,
    warmth, email, phone, last_contact, then extras (``stage``, beside the
    written status, when given)."""
    return {
        "name": contact.name,
        "path": contact.path,
        "organization": contact.organization_name,
        "referred_by": [ref.name for ref in contact.referred_by],
        "status": contact.status,
        **({"stage": stage} if stage is not None else {}),
        "warmth": contact.warmth,
        "email": contact.email,
        "phone": contact.phone,
        "last_contact": _iso(contact.last_contact),
        "role": contact.role,
        "industry": contact.industry,
        "location": contact.location,
        "linkedin": contact.linkedin,
        "source": contact.source,
        "aliases": contact.aliases,
        "contacted_on": _iso(contact.contacted_on),
        "replied_on": _iso(contact.replied_on),
        "keep_in_touch": (
            str(contact.keep_in_touch) if contact.keep_in_touch is not None else None
        ),
        "next_contact": _iso(contact.next_contact),
        "id": contact.id,
    }


def interview_record(interview: Interview) -> dict[str, Any]:
    """``list interviews --json``: contact, organization, date (ISO 8601 with its
    UTC offset; a bare date when the note gives no time), duration, format,
    status, path, then extras."""
    start = interview.start
    if start is None:
        date = None
    elif start.at is not None:
        date = start.at.isoformat()
    else:
        date = start.day.isoformat()
    return {
        "contact": interview.contact.name if interview.contact else None,
        "organization": interview.organization_name,
        "date": date,
        "duration": interview.duration,
        "format": interview.format,
        "status": interview.status,
        "path": interview.path,
        "location": interview.location,
        "thank_you_sent": _iso(interview.thank_you_sent),
        "referrals": [ref.name for ref in interview.referrals],
        "id": interview.id,
    }


def organization_record(organization: Organization, career: CareerVault) -> dict[str, Any]:
    """``list orgs --json``: no shape is promised to scripts; this mirrors the schema."""
    return {
        "name": organization.name,
        "path": organization.path,
        "industry": organization.industry,
        "website": organization.website,
        "location": organization.location,
        "size": organization.size,
        "aliases": organization.aliases,
        "contacts": [c.name for c in career.people_at(organization)],
        "id": organization.id,
        "motivation": organization.motivation,
        "posting": organization.posting,
        "advocacy": organization.advocacy,
    }


def _card_extras_record(extras: CardExtras, zone: dt.tzinfo) -> dict[str, Any]:
    """What `show --json` adds to either kind's record (see `cards`)."""
    return {
        "followups": [followup_record(f, extras.now, zone) for f in extras.followups],
        "log": extras.log,
        "also": extras.also,
        "readable": extras.unreadable is None,
        "problems": [d.to_json() for d in extras.problems],
    }


def contact_card_record(
    contact: Contact, career: CareerVault, extras: CardExtras
) -> dict[str, Any]:
    """``show NAME --json`` for a contact: the contact record plus interviews,
    whom they referred, their open follow-ups (next first), their log, the
    other notes of the same name, and what reading the note found wrong."""
    record = {"kind": "contact", **contact_record(contact, career.stage(contact, extras.now))}
    record["interviews"] = [interview_record(i) for i in career.interviews_with(contact)]
    record["referred"] = [c.name for c in career.referred_by(contact)]
    record.update(_card_extras_record(extras, career.index.config.zone))
    return record


def organization_card_record(
    organization: Organization, career: CareerVault, extras: CardExtras
) -> dict[str, Any]:
    """``show NAME --json`` for an organization: its record (LAMP keys included),
    the people you know there with their status, the interviews there, its
    open tasks, and the same extras as a contact's card."""
    record = {"kind": "organization", **organization_record(organization, career)}
    people = career.people_known_at(organization)
    record["contacts"] = [c.name for c in people]
    record["people"] = [
        {
            "name": c.name,
            "path": c.path,
            "role": c.role,
            "status": c.status,
            "stage": career.stage(c, extras.now),
        }
        for c in people
    ]
    record["interviews"] = [interview_record(i) for i in career.interviews_at(organization)]
    record.update(_card_extras_record(extras, career.index.config.zone))
    return record


def followup_record(followup: FollowUp, now: dt.datetime, zone: dt.tzinfo) -> dict[str, Any]:
    """``followups --json``: kind, due (ISO date, or date-time with the vault's
    offset), title, contact, path, done, overdue, then extras."""
    due = followup.due
    due_text = due.astimezone(zone).isoformat() if isinstance(due, dt.datetime) else due.isoformat()
    return {
        "kind": followup.kind,
        "due": due_text,
        "title": followup.title,
        "contact": followup.contact,
        "path": followup.path,
        "done": followup.done,
        "overdue": followup.is_overdue(now),
        "detail": followup.detail,
        "candidates": followup.candidates,
    }


def connector_record(name: str, direct: int, total: int, interviewed: int) -> dict[str, Any]:
    """``graph top --json``: a connector, the people they referred directly,
    everyone reached through them, and how many of those you interviewed."""
    return {"name": name, "direct": direct, "total": total, "interviewed": interviewed}


def referrers_record(name: str, chains: list[list[str]]) -> dict[str, Any]:
    """``graph referrers --json``: the nearest chain first, and every chain."""
    return {"name": name, "chain": chains[0] if chains else [], "chains": chains}


def referrals_record(graph: ReferralGraph, node: str, reached: list[Reached]) -> dict[str, Any]:
    """``graph referrals --json``: everyone reached through ``node``, how far, via whom."""
    return {
        "name": graph.name(node),
        "referrals": [
            {"name": graph.name(r.node), "depth": r.depth, "referred_by": graph.name(r.via)}
            for r in reached
        ],
    }


def chain_record(names: list[str]) -> dict[str, Any]:
    """``graph path --json``: the chain of introductions, by name."""
    return {"path": names}


def coverage_record(row: Coverage) -> dict[str, Any]:
    """``graph coverage --json``: one organization or industry."""
    return {
        "kind": row.kind,
        "name": row.name,
        "people": row.people,
        "heard_from": row.heard_from,
        "interviews": row.interviews,
        "thin": row.thin,
    }


def orphan_record(contact: Contact) -> dict[str, Any]:
    """``graph orphans --json``: a contact nobody referred and you have not met."""
    return {"name": contact.name, "path": contact.path, "status": contact.status}


def import_record(plan: ImportPlan, result: ImportResult | None) -> dict[str, Any]:
    """``import … --json``: who was (or, with ``--dry-run``, would be) created,
    who was already there and how they were recognised, who was skipped and why.
    With ``--update``, an existing entry lists the keys filled in."""
    updated = {r.path for r in result.updated if r.changes} if result is not None else set()
    return {
        "created": [
            {
                "name": entry.person.name,
                "path": entry.note.path,
                "maybe_same_as": [known.path for known in entry.maybe],
            }
            for entry in plan.created
        ],
        "existing": [
            {
                "name": entry.person.name,
                "path": entry.known.path,
                "matched_by": entry.matched_by,
                "filled": [key for key, _ in entry.fills]
                if result is None or entry.known.path in updated
                else [],
            }
            for entry in plan.existing
        ],
        "skipped": [
            {"name": entry.person.name, "reason": entry.reason, "where": entry.person.where}
            for entry in plan.skipped
        ],
        "organizations": [{"path": note.path} for note in plan.organizations],
        "warnings": plan.warnings,
        "refused": result.refused if result is not None else [],
    }


def mail_record(proposal: Proposal) -> dict[str, Any]:
    """``mail scan --json``: one proposed date, and the message it comes from."""
    message = proposal.message
    return {
        "contact": proposal.contact.name,
        "path": proposal.path,
        "key": proposal.key,
        "value": proposal.value.isoformat(),
        "message": {
            "date": message.date.isoformat() if message.date else None,
            "from": list(message.from_addresses),
            "to": list(message.to_addresses),
            "subject": message.subject,
        },
    }


def lamp_record(rank: int, target: Target) -> dict[str, Any]:
    """``lamp --json``: rank (1 is the first to work on), name, path, motivation,
    posting, advocacy (true, false or null when nothing says), advocacy_count,
    advocacy_derived (read from the contacts, not written), advocates, known
    (each with name, path, stage) and next_step (kind, text, contact,
    business_days)."""
    org, step = target.organization, target.next_step
    return {
        "rank": rank,
        "name": org.name,
        "path": org.path,
        "motivation": org.motivation,
        "posting": org.posting,
        "advocacy": target.advocacy,
        "advocacy_count": target.advocacy_count,
        "advocacy_written": org.advocacy,
        "advocacy_derived": target.advocacy_derived,
        "advocates": [c.name for c in target.advocates],
        "known": [
            {"name": c.name, "path": c.path, "stage": stage}
            for c, stage in zip(target.known, target.stages, strict=True)
        ],
        "next_step": {
            "kind": step.kind,
            "text": step.text,
            "contact": step.contact.name if step.contact is not None else None,
            "business_days": step.business_days,
        },
    }


def _share(value: float | None) -> float | None:
    """A rate as a fraction of 1, four places: enough for a percentage with
    two decimals, and the same text on every machine."""
    return round(value, 4) if value is not None else None


def funnel_record(funnel: Funnel) -> list[dict[str, Any]]:
    """Each step: its count, its share of the step before (``rate``) and of
    all contacts (``of_contacts``); null where there is nothing to divide by."""
    from vaultkit.domain.search_stats import STEPS, rate

    counts = funnel.counts()
    return [
        {
            "step": step,
            "count": count,
            "rate": _share(rate(count, counts[n - 1])) if n else None,
            "of_contacts": _share(rate(count, counts[0])),
        }
        for n, (step, count) in enumerate(zip(STEPS, counts, strict=True))
    ]


def _replies_record(replies: Replies) -> dict[str, Any]:
    return {
        "since": _iso(replies.since),
        "contacted": replies.contacted,
        "replied": replies.replied,
        "reply_rate": _share(replies.rate),
        "median_days_to_reply": replies.median_days,
        "replies_timed": replies.timed,
    }


def stats_record(stats: SearchStats) -> dict[str, Any]:
    """``stats --json``: the funnel overall and by warmth and source, replies
    (the whole search and the last four weeks), referrals and weekly activity."""
    from vaultkit.domain.search_stats import STEPS

    def groups(found: list[Any]) -> list[dict[str, Any]]:
        return [
            {
                "label": group.label,
                **dict(zip(STEPS, group.funnel.counts(), strict=True)),
                "reply_rate": _share(group.funnel.reply_rate),
            }
            for group in found
        ]

    referrals = stats.referrals
    return {
        "as_of": stats.now.isoformat(),
        "since": _iso(stats.since),
        "funnel": funnel_record(stats.funnel),
        "by_warmth": groups(stats.by_warmth),
        "by_source": groups(stats.by_source),
        "replies": {"whole": _replies_record(stats.whole), "recent": _replies_record(stats.recent)},
        "referrals": {
            "interviews_held": referrals.interviews_held,
            "referrals_gained": referrals.referrals_gained,
            "per_interview": _share(referrals.per_interview),
            "contacts_through_referral": referrals.through_referral,
            "share_through_referral": _share(referrals.share_through_referral),
            "longest_chain": [
                {"name": person.name, "path": person.path} for person in referrals.longest_chain
            ],
        },
        "weekly": [
            {
                "week": week.start.isoformat(),
                "requests": week.requests,
                "replies": week.replies,
                "interviews": week.interviews,
            }
            for week in stats.weeks
        ],
    }
