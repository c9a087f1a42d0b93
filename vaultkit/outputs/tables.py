"""Terminal tables and cards (rich) for people reading, not scripts.

Scripts use ``--json``; these layouts may change between versions.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from vaultkit.domain.career import CareerVault
from vaultkit.domain.contacts import Contact
from vaultkit.domain.followup_groups import Group as FollowUpGroup
from vaultkit.domain.followups import FollowUp
from vaultkit.domain.interviews import Interview
from vaultkit.domain.organizations import Organization

if TYPE_CHECKING:
    from vaultkit.domain.lamp import Target
    from vaultkit.domain.mail_rules import MailFindings
    from vaultkit.outputs.cards import CardExtras
    from vaultkit.outputs.contact_import import ImportPlan, ImportResult


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _day(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def interview_when(interview: Interview, zone: dt.tzinfo) -> str:
    """``2026-11-25 14:00`` in the vault's zone (the note's own offset is kept in JSON)."""
    if interview.start is None:
        return ""
    if interview.start.at is None:
        return interview.start.day.isoformat()
    return interview.start.at.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def contacts_table(contacts: list[Contact], stages: list[str] | None = None) -> Table:
    """One row a contact; ``stages`` (derived, in the same order) beside the
    status, and a Path column too when two rows share a name, so the user can
    tell ``People/Sam Lee.md`` from ``People/Archive/Sam Lee.md``."""
    table = Table(title=_count(len(contacts), "contact"), title_justify="left", expand=False)
    names = [contact.name.casefold() for contact in contacts]
    with_path = len(set(names)) < len(names)
    columns = [
        "Name",
        "Organization",
        "Role",
        "Stage",
        "Status",
        "Warmth",
        "Referred by",
        "Last contact",
    ]
    for column in columns:
        table.add_column(column, overflow="fold")
    if with_path:  # kept whole: it is what tells the two rows apart
        table.add_column("Path", no_wrap=True)
    for number, contact in enumerate(contacts):
        row = [
            contact.name,
            contact.organization_name or "",
            contact.role or "",
            stages[number] if stages is not None else "",
            contact.status or "",
            contact.warmth or "",
            ", ".join(ref.name for ref in contact.referred_by),
            _day(contact.last_contact),
        ]
        table.add_row(*row, *([contact.path] if with_path else []))
    return table


def organizations_table(organizations: list[Organization], career: CareerVault) -> Table:
    table = Table(title=_count(len(organizations), "organization"), title_justify="left")
    for column in ("Name", "Industry", "Location", "Contacts"):
        table.add_column(column, overflow="fold")
    for organization in organizations:
        table.add_row(
            organization.name,
            organization.industry or "",
            organization.location or "",
            str(len(career.people_at(organization))),
        )
    return table


def interviews_table(interviews: list[Interview], zone: dt.tzinfo) -> Table:
    table = Table(title=_count(len(interviews), "interview"), title_justify="left")
    for column in ("When", "Contact", "Organization", "Format", "Status", "Thank-you"):
        table.add_column(column, overflow="fold")
    for interview in interviews:
        table.add_row(
            interview_when(interview, zone),
            interview.contact.name if interview.contact else "",
            interview.organization_name or "",
            interview.format or "",
            interview.status or "",
            _day(interview.thank_you_sent),
        )
    return table


def _details(rows: list[tuple[str, str | None]]) -> Table:
    """Label / value lines, the empty ones left out."""
    details = Table.grid(padding=(0, 2))
    details.add_column(style="bold")
    details.add_column(overflow="fold")
    for label, value in rows:
        if value:
            details.add_row(label, value)
    return details


def _card_head(name: str, extras: CardExtras) -> list[object]:
    """The title, the other notes of the same name, and what reading the note
    found wrong; when the front-matter cannot be read at all, one line says
    so (the fields are not shown: they would all look empty)."""
    parts: list[object] = [Text(name, style="bold underline")]
    for other in extras.also:
        parts.append(Text(f"also {other}", style="yellow"))
    if extras.unreadable is not None:
        problem = extras.unreadable
        where = f"{problem.path}:{problem.line}" if problem.line is not None else problem.path
        parts.append(
            Text(f"{where}: front-matter cannot be read: {problem.message}", style="bold red")
        )
        return parts
    for problem in extras.problems:
        parts.append(
            Text(problem.format(), style="red" if problem.severity == "error" else "yellow")
        )
    return parts


def _card_tail(extras: CardExtras, zone: dt.tzinfo, title: str) -> list[object]:
    """What is open (next first, overdue marked), then the log."""
    parts: list[object] = []
    if extras.followups:
        table = Table(title=f"{title} ({len(extras.followups)})", title_justify="left")
        for column in ("Due", "", "Kind", "What"):
            table.add_column(column, overflow="fold")
        for followup in extras.followups:
            overdue = followup.is_overdue(extras.now)
            table.add_row(
                _due_text(followup, zone),
                Text("overdue", style="bold red") if overdue else "",
                followup.kind,
                followup.title,
            )
        parts.append(table)
    if extras.log:
        parts.append(Text("Log", style="bold"))
        parts.extend(Text(f"  {entry}") for entry in extras.log)
    return parts


def contact_card(contact: Contact, career: CareerVault, extras: CardExtras) -> Group:
    """Everything about one person on one screen: details, who referred them,
    whom they referred, the interviews held or planned, what you owe them
    next, and their log."""
    zone = career.index.config.zone
    parts = _card_head(contact.name, extras)
    if extras.unreadable is None:
        rows = [
            ("Aliases", ", ".join(contact.aliases)),
            ("Organization", contact.organization_name),
            ("Role", contact.role),
            ("Industry", contact.industry),
            ("Location", contact.location),
            ("Stage", career.stage(contact, extras.now)),
            ("Status", contact.status),
            ("Warmth", contact.warmth),
            ("Source", contact.source),
            ("Referred by", ", ".join(ref.name for ref in contact.referred_by)),
            ("Referred you to", ", ".join(c.name for c in career.referred_by(contact))),
            ("Email", contact.email),
            ("Phone", contact.phone),
            ("LinkedIn", contact.linkedin),
            ("Contacted on", _day(contact.contacted_on)),
            ("Replied on", _day(contact.replied_on)),
            ("Last contact", _day(contact.last_contact)),
            ("Keep in touch", str(contact.keep_in_touch) if contact.keep_in_touch else None),
            ("Next contact", _day(contact.next_contact)),
        ]
        parts.append(_details([*rows, ("Note", contact.path)]))
    else:
        parts.append(_details([("Note", contact.path)]))
    interviews = career.interviews_with(contact)
    if interviews:
        parts.append(interviews_table(interviews, zone))
    else:
        parts.append(Text("No interviews yet.", style="dim"))
    parts.extend(_card_tail(extras, zone, "What you owe them next"))
    return Group(*parts)  # type: ignore[arg-type]


def organization_card(organization: Organization, career: CareerVault, extras: CardExtras) -> Group:
    """One organization on one screen: its details and LAMP scores, the people
    you know there (with their status), the interviews there, its open tasks."""
    zone = career.index.config.zone
    parts = _card_head(organization.name, extras)
    rows: list[tuple[str, str | None]] = [("Note", organization.path)]
    if extras.unreadable is None:
        rows = [
            ("Aliases", ", ".join(organization.aliases)),
            ("Industry", organization.industry),
            ("Website", organization.website),
            ("Location", organization.location),
            ("Size", organization.size),
            ("Motivation", _score(organization.motivation, 5)),
            ("Posting", _score(organization.posting, 3)),
            ("Advocacy", organization.advocacy),
            *rows,
        ]
    parts.append(_details(rows))
    people = career.people_known_at(organization)
    if people:
        table = Table(title=f"Who you know there ({len(people)})", title_justify="left")
        for column in ("Name", "Role", "Stage", "Last contact"):
            table.add_column(column, overflow="fold")
        for person in people:
            stage = career.stage(person, extras.now)
            table.add_row(person.name, person.role or "", stage, _day(person.last_contact))
        parts.append(table)
    else:
        parts.append(Text("You know no one there yet.", style="dim"))
    interviews = career.interviews_at(organization)
    if interviews:
        parts.append(interviews_table(interviews, zone))
    parts.extend(_card_tail(extras, zone, "Open tasks"))
    return Group(*parts)  # type: ignore[arg-type]


def _score(value: int | None, top: int) -> str | None:
    return f"{value}/{top}" if value is not None else None


def followups_tables(groups: list[FollowUpGroup], zone: dt.tzinfo) -> Group:
    """Follow-ups grouped as a person plans (see `screen_groups`): overdue,
    this week, later (and done, when asked for), each cut section with a
    footer saying how to see the rest."""
    parts: list[object] = []
    for group in groups:
        table = Table(title=f"{group.title} ({group.total})", title_justify="left")
        for column in ("Due", "Kind", "What", "Note"):
            table.add_column(column, overflow="fold")
        for followup in group.shown:
            table.add_row(_due_text(followup, zone), followup.kind, followup.title, followup.path)
        if group.shown:
            parts.append(table)
        else:
            parts.append(Text(f"{group.title} ({group.total})", style="italic"))
        if group.footer:
            parts.append(Text(group.footer, style="dim"))
    if not parts:
        parts.append(Text("Nothing due."))
    return Group(*parts)  # type: ignore[arg-type]


def _due_text(followup: FollowUp, zone: dt.tzinfo) -> str:
    if isinstance(followup.due, dt.datetime):
        return followup.due.astimezone(zone).strftime("%a %Y-%m-%d %H:%M")
    return followup.due.strftime("%a %Y-%m-%d")


def import_table(plan: ImportPlan, result: ImportResult | None) -> Table:
    """What an import did (``result``) or, in a dry run (None), would do: a row
    for each person created, filled in or skipped; people already there and
    left as they are, one row each only when there are few."""
    dry_run = result is None
    verb = ("new", "already there", "update", "skipped")
    if not dry_run:
        verb = ("created", "already there", "updated", "skipped")
    refused = result.refused_paths if result is not None else set()
    table = Table(title=_import_summary(plan, dry_run), title_justify="left", expand=False)
    for column in ("", "Name", "Note", "Why"):
        table.add_column(column)
    for org in plan.organizations:
        table.add_row(verb[0], "", org.path, "organization for a new employer")
    for created in plan.created:
        maybe = ", ".join(known.path for known in created.maybe)
        why = f"maybe the same as {maybe}" if maybe else ""
        table.add_row(verb[0], created.person.name, created.note.path, why)
    quiet = [e for e in plan.existing if not e.fills and not e.problem]
    for entry in plan.existing:
        why = _MATCHED_BY.get(entry.matched_by, entry.matched_by)
        if entry.problem:
            table.add_row("not filled", entry.person.name, entry.known.path, entry.problem)
        elif entry.fills:
            fills = ", ".join(key for key, _ in entry.fills)
            if entry.known.path in refused:
                table.add_row(
                    "not filled", entry.person.name, entry.known.path, "changed meanwhile"
                )
            else:
                table.add_row(verb[2], entry.person.name, entry.known.path, f"{why}; fills {fills}")
        elif len(quiet) <= MAX_QUIET_ROWS:
            table.add_row(verb[1], entry.person.name, entry.known.path, why)
    if len(quiet) > MAX_QUIET_ROWS:
        table.add_row(verb[1], f"{len(quiet)} people", "", "left as they are (--json lists them)")
    for skipped in plan.skipped:
        table.add_row(verb[3], skipped.person.name or skipped.person.where, "", skipped.reason)
    return table


# Beyond this many, people already in the vault and left alone are one row.
MAX_QUIET_ROWS = 20


_MATCHED_BY = {
    "linkedin": "same LinkedIn address",
    "email": "same e-mail address",
    "name": "same name",
    "alias": "one of its aliases",
}


def _import_summary(plan: ImportPlan, dry_run: bool) -> str:
    parts = [
        f"{len(plan.created)} new",
        f"{len(plan.existing)} already there",
        f"{len(plan.skipped)} skipped",
    ]
    if plan.organizations:
        parts.insert(1, _count(len(plan.organizations), "new organization"))
    if plan.updates:
        parts.insert(-1, f"{len(plan.updates)} to fill in")
    summary = ", ".join(parts) + (" (dry run: nothing written)" if dry_run else "")
    if plan.could_fill:
        summary += f"; --update would fill empty keys in {_count(plan.could_fill, 'note')}"
    return summary


def mail_table(findings: MailFindings, applied: bool) -> Table:
    """What the mailbox proposes (or, after ``--apply``, what was written)."""
    title = (
        f"{_count(len(findings.proposals), 'date')} from {_count(findings.messages, 'message')}"
        + (" written" if applied else " proposed (--apply writes them)")
    )
    table = Table(title=title, title_justify="left", expand=False)
    for column in ("Contact", "Key", "Value", "Message"):
        table.add_column(column)
    for proposal in findings.proposals:
        message = proposal.message
        direction = "from" if proposal.incoming else "to"
        when = message.date.strftime("%Y-%m-%d %H:%M") if message.date else ""
        table.add_row(
            proposal.contact.name,
            proposal.key,
            proposal.value.isoformat(),
            f"{when} {direction} them: {message.subject or '(no subject)'}",
        )
    return table


def advocacy_text(target: Target) -> str:
    """``yes (2)``, ``no``, or blank; ``(from contacts)`` when derived."""
    if target.advocacy is None:
        return ""
    said = "yes" if target.advocacy else "no"
    if target.advocacy_count:
        said += f" ({target.advocacy_count})"
    return said + (" from contacts" if target.advocacy_derived else "")


def lamp_table(targets: list[Target], total: int) -> Table:
    """The LAMP list: the first ``len(targets)`` of ``total`` organizations."""
    title = f"LAMP list: top {len(targets)} of {_count(total, 'organization')}"
    table = Table(title=title, title_justify="left")
    for column in ("#", "Organization", "M", "P", "A", "You know", "Next step"):
        table.add_column(column, overflow="fold")
    for rank, target in enumerate(targets, 1):
        known = ", ".join(
            f"{c.name} ({stage})" for c, stage in zip(target.known, target.stages, strict=True)
        )
        table.add_row(
            str(rank),
            target.organization.name,
            _score(target.motivation, 5) or "",
            _score(target.posting, 3) or "",
            advocacy_text(target),
            known or "nobody yet",
            target.next_step.text,
        )
    return table


def _rate_text(value: float | None) -> str:
    return f"{100 * value:.0f}%" if value is not None else "–"


def _days_text(value: float | None) -> str:
    return f"{value:g} d" if value is not None else "–"


def stats_tables(record: dict[str, Any]) -> Group:
    """`vaultkit stats` on screen, drawn from the very record ``--json`` prints
    (so the two never disagree, and a stored answer serves both): the funnel,
    the funnel by warmth and by source, replies, referrals, the last weeks."""
    parts: list[object] = []
    funnel = Table(title="Funnel", title_justify="left")
    for column in ("Step", "People", "Of the step before", "Of all contacts"):
        funnel.add_column(column, justify="left" if column == "Step" else "right")
    for step in record["funnel"]:
        funnel.add_row(
            step["step"],
            str(step["count"]),
            _rate_text(step["rate"]),
            _rate_text(step["of_contacts"]),
        )
    parts.append(funnel)
    for key, title in (("by_warmth", "By warmth"), ("by_source", "By source")):
        table = Table(title=title, title_justify="left")
        for column in ("", "Contacts", "Contacted", "Replied", "Met", "Thanked", "Reply rate"):
            table.add_column(column, justify="left" if not column else "right", overflow="fold")
        for group in record[key]:
            table.add_row(
                group["label"],
                *(str(group[step]) for step in ("contacts", "contacted", "replied", "met")),
                str(group["thanked"]),
                _rate_text(group["reply_rate"]),
            )
        if record[key]:
            parts.append(table)
    replies = Table(title="Replies", title_justify="left")
    for column in ("", "Requests", "Replies", "Reply rate", "Median wait"):
        replies.add_column(column, justify="left" if not column else "right")
    whole, recent = record["replies"]["whole"], record["replies"]["recent"]
    since = f"since {whole['since']}" if whole["since"] else "whole search"
    rows = [(since, whole)]
    if recent["since"] != whole["since"]:  # a --since within the last four weeks: one row
        rows.append((f"since {recent['since']} (4 weeks)", recent))
    for name, row in rows:
        replies.add_row(
            name,
            str(row["contacted"]),
            str(row["replied"]),
            _rate_text(row["reply_rate"]),
            _days_text(row["median_days_to_reply"]),
        )
    parts.append(replies)
    referrals = record["referrals"]
    per = referrals["per_interview"]
    chain = [person["name"] for person in referrals["longest_chain"]]
    parts.append(
        _details(
            [
                ("Interviews held", str(referrals["interviews_held"])),
                ("Referrals gained", str(referrals["referrals_gained"])),
                ("Per interview", f"{per:.2f}" if per is not None else "–"),
                (
                    "Through a referral",
                    f"{referrals['contacts_through_referral']} contacts "
                    f"({_rate_text(referrals['share_through_referral'])})",
                ),
                (
                    "Longest chain",
                    f"{' → '.join(chain)} ({_count(len(chain) - 1, 'introduction')})"
                    if chain
                    else None,
                ),
            ]
        )
    )
    weeks = Table(title="Last 12 weeks", title_justify="left")
    for column in ("Week of", "Requests", "Replies", "Interviews"):
        weeks.add_column(column, justify="left" if column == "Week of" else "right")
    for week in record["weekly"]:
        weeks.add_row(
            week["week"], str(week["requests"]), str(week["replies"]), str(week["interviews"])
        )
    parts.append(weeks)
    return Group(*parts)  # type: ignore[arg-type]
