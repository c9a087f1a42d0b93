"""The dashboard note the daemon keeps (the referral map is `referral_map`).

It is written by vaultkit into its output folder (never read back as a
note) and Obsidian renders it, with wikilinks back to every note. Names come
from the vault, so each is escaped so that no name can break a link, a table
or a list.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from vaultkit.domain.career import CareerVault
from vaultkit.domain.followup_groups import by_when
from vaultkit.domain.followups import FollowUp
from vaultkit.domain.mail_rules import Proposal
from vaultkit.domain.vocabulary import CONTACT_STATUSES
from vaultkit.notes.wikilinks import is_linkable

MAX_ITEMS = 20  # per section: a dashboard is read, not searched
TOP_TARGETS = 5  # the book works on its top five organizations at a time
RECENT_INTERVIEWS = 10
GENERATED = "<!-- Written by vaultkit; edits here are replaced on the next sync. -->"

_UNSAFE_IN_LINK = re.compile(r"[\[\]|#^\r\n]")
# What could start markup, a link, math ($) or a comment (%%) in Obsidian.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~$%])")


def plain(text: str) -> str:
    """Text shown in Markdown as written: one line, special characters escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def note_link(path: str, label: str) -> str:
    """``[[People/Jane Doe|Jane Doe]]``: by path, so it resolves even when two
    notes share a name; the label cannot close or split the link. A file name
    no wikilink can hold (a newline, ``]]``, ``|``: made outside Obsidian) is
    linked as a Markdown link to the percent-encoded path instead, which
    Obsidian opens too and which no character of the name can break out of."""
    cleaned = " ".join(_UNSAFE_IN_LINK.sub(" ", label).split())
    if not is_linkable(path):
        from urllib.parse import quote

        return f"[{plain(cleaned) or 'note'}]({quote(path, safe='/')})"
    target = path[:-3] if path.lower().endswith(".md") else path
    return f"[[{target}|{cleaned or target}]]"


def _when(followup: FollowUp, zone: dt.tzinfo) -> str:
    if isinstance(followup.due, dt.datetime):
        return followup.due.astimezone(zone).strftime("%a %Y-%m-%d %H:%M")
    return followup.due.strftime("%a %Y-%m-%d")


def _item(followup: FollowUp, zone: dt.tzinfo) -> str:
    return (
        f"- {_when(followup, zone)} · {followup.kind} · {plain(followup.title)} "
        f"({note_link(followup.path, followup.path.rsplit('/', 1)[-1][:-3])})"
    )


def dashboard(
    career: CareerVault,
    followups: list[FollowUp],
    now: dt.datetime,
    mail: list[Proposal] | None = None,
) -> str:
    """The dashboard note: what is overdue, due this week and later; the pipeline
    by stage; past interviews still planned; what the mailbox proposes (``mail``:
    a daemon's scan that does not apply); the latest interviews."""
    zone = career.index.config.zone
    split = by_when(followups, now, zone)  # done ones are not shown
    lines = [
        "---",
        "vaultkit: dashboard",
        "---",
        GENERATED,
        "# Career dashboard",
        "",
    ]
    sections = (
        ("Overdue", split.overdue, "vaultkit followups --overdue --limit 0"),
        ("This week", split.week, "vaultkit followups --within 7d --limit 0"),
        ("Later", split.later, "vaultkit followups --limit 0"),
    )
    for title, items, command in sections:
        lines.append(f"## {title} ({len(items)})")
        lines.append("")
        lines.extend(_item(f, zone) for f in items[:MAX_ITEMS])
        if len(items) > MAX_ITEMS:
            lines.append(f"- … and {len(items) - MAX_ITEMS} more (`{command}`)")
        if not items:
            lines.append("- nothing")
        lines.append("")
    lines += _pipeline(career, now)
    lines += _top_targets(career, now)
    lines += how_it_is_going(career, now)
    lines += _did_these_happen(career, now)
    lines += _mail_says(mail or [])
    lines += ["", "## Recent interviews", ""]
    held = [i for i in career.interviews if i.start is not None and i.held(now)]
    for interview in reversed(held[-RECENT_INTERVIEWS:]):
        who = interview.contact.name if interview.contact else "someone"
        where = f" ({plain(interview.organization_name)})" if interview.organization_name else ""
        thanked = " · thanked" if interview.thank_you_sent else ""
        assert interview.start is not None
        lines.append(
            f"- {interview.start.day.isoformat()} · "
            f"{note_link(interview.path, who)}{where}{thanked}"
        )
    if not held:
        lines.append("- none yet")
    return "\n".join(lines) + "\n"


def _pipeline(career: CareerVault, now: dt.datetime) -> list[str]:
    """Contacts by stage (from the facts, see `domain.stage`), in pipeline order."""
    lines = ["## Pipeline", "", "| Stage | Contacts |", "| --- | --- |"]
    counts = Counter(career.stage(c, now) for c in career.contacts)
    lines.extend(f"| {stage} | {counts[stage]} |" for stage in CONTACT_STATUSES if counts[stage])
    return lines


def _top_targets(career: CareerVault, now: dt.datetime) -> list[str]:
    """The head of the LAMP list (`domain.lamp`): where to spend the week."""
    from vaultkit.domain.lamp import lamp_list

    targets = lamp_list(career, now)
    if not targets:
        return []
    lines = ["", "## Top targets", ""]
    for rank, target in enumerate(targets[:TOP_TARGETS], 1):
        org = target.organization
        scores = " · ".join(
            part
            for part in (
                f"motivation {org.motivation}/5" if org.motivation else "",
                f"posting {org.posting}/3" if org.posting else "",
                "advocacy" if target.advocacy else "",
            )
            if part
        )
        known = ", ".join(
            note_link(c.path, c.name)
            for c, s in zip(target.known, target.stages, strict=True)
            if s != "closed"
        )
        lines.append(
            f"{rank}. {note_link(org.path, org.name)}"
            + (f" · {scores}" if scores else "")
            + f" · you know: {known or 'nobody yet'}"
            + f" · next: {plain(target.next_step.text)}"
        )
    if len(targets) > TOP_TARGETS:
        lines.append(f"- … and {len(targets) - TOP_TARGETS} more (`vaultkit lamp`)")
    if not any(t.motivation for t in targets):
        lines.append("- score them: `vaultkit lamp --edit ORG --motivation 4 --posting 2`")
    return lines


def _percent(value: float | None) -> str:
    return f"{round(100 * value)}%" if value is not None else "no requests yet"


def how_it_is_going(career: CareerVault, now: dt.datetime) -> list[str]:
    """The funnel, the reply rate by source and the last weeks as charts
    Obsidian draws (see `outputs.charts`), the funnel and weeks said in words
    too; a sentence alone where a chart would be empty."""
    from vaultkit.domain.search_stats import WEEKS, search_stats
    from vaultkit.outputs.charts import (
        WEEKLY_LEGEND,
        funnel_chart,
        mermaid_block,
        source_chart,
        weekly_chart,
    )

    stats = search_stats(career, now)
    funnel = stats.funnel
    lines = ["", "## How it is going", ""]
    chart = funnel_chart(funnel)
    if chart is None:
        lines.append("No contacts yet: the funnel appears with the first note in People/.")
    else:
        lines += mermaid_block(chart)
        days = stats.whole.median_days
        typical = (
            f"; a reply takes {days:g} day{'' if days == 1 else 's'} (median)"
            if days is not None
            else ""
        )
        lines += [
            "",
            f"Of {funnel.contacts} contacts, {funnel.contacted} contacted, {funnel.replied} "
            f"replied ({_percent(funnel.reply_rate)} of those contacted), {funnel.met} met, "
            f"{funnel.thanked} thanked{typical}.",
        ]
    chart = source_chart(stats.by_source)
    if chart is not None:
        lines += ["", *mermaid_block(chart)]
    lines.append("")
    chart = weekly_chart(stats.weeks)
    if chart is None:
        lines.append(f"No requests, replies or interviews in the last {WEEKS} weeks.")
    else:
        lines += mermaid_block(chart)
        lines += ["", WEEKLY_LEGEND]
    lines += ["", "More figures: `vaultkit stats`."]
    return lines


def _mail_says(proposals: list[Proposal]) -> list[str]:
    """Dates the mailbox gives that are not in the notes yet."""
    if not proposals:
        return []
    lines = [
        "",
        f"## Your mail says ({len(proposals)})",
        "",
        "Not in the notes yet: `vaultkit mail scan --apply` writes them.",
        "",
    ]
    for proposal in proposals[:MAX_ITEMS]:
        subject = plain(proposal.message.subject or "(no subject)")
        lines.append(
            f"- {note_link(proposal.path, proposal.contact.name)}: "
            f"{proposal.key} {proposal.value.isoformat()} ({subject})"
        )
    if len(proposals) > MAX_ITEMS:
        lines.append(f"- … and {len(proposals) - MAX_ITEMS} more (`vaultkit mail scan`)")
    return lines


def _did_these_happen(career: CareerVault, now: dt.datetime) -> list[str]:
    """Interviews whose time has passed but whose note still says ``planned``:
    the clock counts them as held, but only the user knows whether they were."""
    stale = [
        i
        for i in career.interviews
        if i.status == "planned" and i.start is not None and i.held(now)
    ]
    if not stale:
        return []
    lines = [
        "",
        f"## Did these happen? ({len(stale)})",
        "",
        "Still `planned` in their notes: `vaultkit done interview NAME` or "
        "`vaultkit cancel NAME` (NAME: the person, or the interview note's name below).",
        "",
    ]
    for interview in reversed(stale[-MAX_ITEMS:]):
        who = interview.contact.name if interview.contact else "someone"
        assert interview.start is not None
        lines.append(
            f"- {interview.start.day.isoformat()} · {note_link(interview.path, who)} · "
            f"`{interview.note.name}`"
        )
    if len(stale) > MAX_ITEMS:
        lines.append(f"- … and {len(stale) - MAX_ITEMS} more (`vaultkit list interviews`)")
    return lines
