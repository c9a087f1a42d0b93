"""The search's figures as Mermaid charts, which Obsidian draws from a
```` ```mermaid ```` code block with no plugin (it ships Mermaid), so the
dashboard stays a plain Markdown note that any editor can still read.

``xychart-beta`` draws both: the funnel as bars (its steps are nested, each
a part of the one before, so a pie's "parts of a whole" would mislead) and
the weekly activity as bars and lines over the same weeks. A chart with
nothing to show is replaced by a sentence: an empty axis reads as broken.

Labels from the vault (a contact's ``source``) go inside Mermaid's
double-quoted strings, which have no escape: every character that could end
the string, start a comment (``%%``), open a Markdown string (a backtick) or
be read as an entity code (``#quot;``) is replaced (see `label`).
"""

from __future__ import annotations

import re

from vaultkit.domain.search_stats import Funnel, GroupFunnel, Week, rate

MAX_LABEL = 24  # characters of an axis label: longer ones crowd the axis
MAX_SOURCES = 8  # bars of the by-source chart; the rest are "other sources"
_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
# Bars blue; the two lines orange and green, named in the sentence below the chart.
PALETTE = "#4e79a7, #f28e2b, #59a14f"
_INIT = '%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "' + PALETTE + '"}}}}%%'
_ENTITY = re.compile(r"#(\w+);")


def label(text: str, limit: int | None = MAX_LABEL) -> str:
    """``text`` as a quoted Mermaid label: one line, at most ``limit``
    characters, with nothing that could end the string or the code block."""
    cleaned = " ".join(text.split())
    cleaned = cleaned.replace('"', "'").replace("`", "'").replace("%", "％")
    cleaned = _ENTITY.sub(r"#\1,", cleaned)
    if limit is not None and len(cleaned) > limit:
        cleaned = cleaned[: limit - 1].rstrip() + "…"
    return f'"{cleaned or "?"}"'


def _axis_top(values: list[int | float]) -> int:
    """The y axis's top: the largest value, at least 10, so that a tiny
    vault's ticks stay whole numbers (Mermaid ticks 0 to 6 in halves)."""
    return max(10, int(max(values, default=0) + 0.999))


def _chart(title: str, labels: list[str], y_title: str, top: int, series: list[str]) -> str:
    lines = [
        _INIT,
        "xychart-beta",
        f"    title {label(title, None)}",
        f"    x-axis [{', '.join(label(text) for text in labels)}]",
        f"    y-axis {label(y_title)} 0 --> {top}",
        *(f"    {line}" for line in series),
    ]
    return "\n".join(lines) + "\n"


def _numbers(values: list[int] | list[float]) -> str:
    return "[" + ", ".join(f"{v:g}" for v in values) + "]"


def funnel_chart(funnel: Funnel) -> str | None:
    """Contacts → contacted → replied → met → thanked, as bars; None when the
    vault has no contacts."""
    counts = funnel.counts()
    if not funnel.contacts:
        return None
    steps = ["Contacts", "Contacted", "Replied", "Met", "Thanked"]
    return _chart(
        "From contact to thank-you", steps, "People", _axis_top(counts), [f"bar {_numbers(counts)}"]
    )


def week_label(week: Week) -> str:
    """``Nov 16``: the week's Monday, in English whatever the computer's locale
    (strftime's ``%b`` follows it, and the dashboard must not change with it)."""
    return f"{_MONTHS[week.start.month - 1]} {week.start.day}"


def weekly_chart(weeks: list[Week]) -> str | None:
    """Requests sent (bars), replies and interviews held (lines), week by
    week; None when none of the weeks had any."""
    if not any(w.requests or w.replies or w.interviews for w in weeks):
        return None
    requests = [w.requests for w in weeks]
    replies = [w.replies for w in weeks]
    interviews = [w.interviews for w in weeks]
    top = _axis_top(requests + replies + interviews)
    return _chart(
        "Week by week",
        [week_label(w) for w in weeks],
        "Count",
        top,
        [f"bar {_numbers(requests)}", f"line {_numbers(replies)}", f"line {_numbers(interviews)}"],
    )


WEEKLY_LEGEND = "Bars: requests sent. Lines: replies (orange) and interviews held (green)."


def source_chart(groups: list[GroupFunnel]) -> str | None:
    """The reply rate (percent) of each source with requests sent, largest
    groups first; the sources past `MAX_SOURCES` as one bar. None when no
    request was sent."""
    sent = [g for g in groups if g.funnel.contacted]
    if not sent:
        return None
    sent.sort(key=lambda g: (-g.funnel.contacted, g.label.casefold()))
    shown = [(g.label, g.funnel.contacted, g.funnel.replied) for g in sent[:MAX_SOURCES]]
    rest = sent[MAX_SOURCES:]
    if rest:
        contacted = sum(g.funnel.contacted for g in rest)
        replied = sum(g.funnel.replied for g in rest)
        others = "1 other source" if len(rest) == 1 else f"{len(rest)} other sources"
        shown.append((others, contacted, replied))
    percents = [round(100 * (rate(replied, contacted) or 0)) for _, contacted, replied in shown]
    return _chart(
        "Reply rate by source",
        [name for name, _, _ in shown],
        "Percent replied",
        100,
        [f"bar {_numbers(percents)}"],
    )


def mermaid_block(chart: str) -> list[str]:
    """A chart as the lines of a Markdown code block Obsidian draws."""
    return ["```mermaid", *chart.rstrip("\n").split("\n"), "```"]
