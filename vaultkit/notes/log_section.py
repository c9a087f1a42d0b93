"""Reading a note's ``## Log`` section: the dated lines `vaultkit log` appends.

It uses the very patterns the edit that writes the section uses
(`frontmatter_edit`), so what `show` lists is what `log` wrote: the section
ends at the next heading, and a ``## Log`` inside fenced code is an example,
not the section.
"""

from __future__ import annotations

from vaultkit.notes.frontmatter_edit import _ANY_HEADING, _FENCE, _LOG_HEADING

_BULLETS = ("- ", "* ", "+ ")


def log_entries(body: str) -> list[str]:
    """The items of the first ``## Log`` section, in the order written, without
    their bullet (``2026-11-18: Coffee; she suggested Li``). Lines that are not
    list items (a paragraph someone typed there) are kept as they are; blank
    lines are dropped."""
    entries: list[str] = []
    fence: str | None = None
    inside = False
    for raw in body.splitlines():
        line = raw.rstrip()
        opened = _FENCE.match(line)
        if fence is not None:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None
            elif inside and line.strip():
                entries.append(line.strip())
            continue
        if opened:
            fence = opened.group(1)
            continue
        if inside:
            if _ANY_HEADING.match(line):
                break
            item = line.strip()
            if item:
                entries.append(item[2:].strip() if item.startswith(_BULLETS) else item)
        elif _LOG_HEADING.match(line):
            inside = True
    return entries
