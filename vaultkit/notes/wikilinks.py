"""Obsidian wikilinks: ``[[target#heading|display]]`` and embeds ``![[target]]``.

Found with one regular expression rather than a Markdown renderer (rendering a
note to find its links is what makes some vault tools take seconds per
thousand notes). Code blocks and inline code are blanked out first, keeping
line numbers, because a link inside code is an example, not a link.
"""

from __future__ import annotations

import re
from typing import NamedTuple

# target: anything but brackets, pipe, hash or caret; then #heading / #^block;
# then |display. Obsidian forbids those characters in file names, so this is
# exact for real links.
_WIKILINK = re.compile(
    r"(?P<embed>!?)\[\[(?P<target>[^\[\]|#^\n]*)(?:#(?P<anchor>[^\[\]|\n]*))?(?:\|(?P<display>[^\[\]\n]*))?\]\]"
)
# CommonMark fences: an opening run of 3+ backticks (whose info string holds no
# backtick, else it is inline code) or tildes; closed by a run of the same
# character at least as long, alone on its line; unclosed, to the end.
_FENCED = re.compile(
    r"^[ \t]{0,3}(?:(?P<ticks>`{3,})[^`\n]*|(?P<tildes>~{3,})[^\n]*)$"
    r".*?"
    r"(?:^[ \t]{0,3}(?:(?P=ticks)`*|(?P=tildes)~*)[ \t]*$|\Z)",
    re.M | re.S,
)
_INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1")
# What a wikilink target cannot hold: it would end the link, split off a
# label, heading or block, or break the line. Obsidian forbids these in file
# names, but a file made outside Obsidian can carry any of them.
_UNSAFE_IN_TARGET = re.compile(r"[\[\]|#^\x00-\x1f\x7f\u2028\u2029\x85]")


def is_linkable(path: str) -> bool:
    """Whether a note at ``path`` can be the target of a wikilink as written."""
    return _UNSAFE_IN_TARGET.search(path) is None


class Link(NamedTuple):
    """A reference to another note.

    ``target`` is what resolution uses (``People/Jane Doe`` or ``Jane Doe``);
    ``is_wikilink`` is False for a plain name typed without brackets, which the
    schema accepts in link keys (``organization: Acme``). A named tuple, like
    `Task`: made in one step, and never walked by the garbage collector.
    """

    target: str
    display: str | None = None
    anchor: str | None = None
    embed: bool = False
    is_wikilink: bool = True
    line: int | None = None

    @property
    def text(self) -> str:
        """What the user sees: the display text, else the target."""
        return self.display or self.target


def _link_from_match(match: re.Match[str], line: int | None) -> Link | None:
    target = match["target"].strip()
    anchor = match["anchor"]
    if not target and not anchor:
        return None
    return Link(
        target=target,
        display=(match["display"] or "").strip() or None,
        anchor=anchor.strip() if anchor else None,
        embed=bool(match["embed"]),
        line=line,
    )


def _blank(match: re.Match[str]) -> str:
    """Replace code with spaces, keeping newlines so later line numbers still hold."""
    return re.sub(r"[^\n]", " ", match.group(0))


def strip_code(text: str) -> str:
    """Blank fenced code blocks and inline code spans (same length, same lines)."""
    if "`" not in text and "~~~" not in text:
        return text
    if "```" in text or "~~~" in text:  # a fence needs three: most code is inline
        text = _FENCED.sub(_blank, text)
    if "`" in text:
        text = _INLINE_CODE.sub(_blank, text)
    return text


def links_in_body(body: str, first_line: int = 1) -> list[Link]:
    """Every wikilink in a Markdown body outside code, with its 1-based file line."""
    if "[[" not in body:
        return []
    text = strip_code(body)
    links: list[Link] = []
    line = first_line
    position = 0
    for match in _WIKILINK.finditer(text):
        line += text.count("\n", position, match.start())
        position = match.start()
        link = _link_from_match(match, line)
        if link is not None and link.target:
            links.append(link)
    return links


def link_targets(text: str) -> list[str]:
    """The targets of the wikilinks in ``text`` outside code, exactly those
    `links_in_body` would find, without making a `Link` of each: deciding
    whether a task's line leads to a career note needs only where it points."""
    if "[[" not in text:
        return []
    return [
        target
        for match in _WIKILINK.finditer(strip_code(text))
        if (target := match["target"].strip())
    ]


def links_in_value(value: object, line: int | None = None) -> list[Link]:
    """Read a front-matter value as links, accepting every way people write them.

    ``"[[Jane]]"``, ``Jane`` (plain name), a list of either, a string holding
    several links, and the unquoted ``[[Jane]]`` that YAML reads as a list
    inside a list (``[["Jane"]]``); an unquoted ``[[Acme, Inc.]]`` becomes
    ``[["Acme", "Inc."]]`` and is joined back.
    """
    links: list[Link] = []
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return links
        found = [_link_from_match(m, line) for m in _WIKILINK.finditer(text)]
        found_links = [link for link in found if link is not None and link.target]
        if found_links:
            links.extend(found_links)
        else:
            links.append(Link(target=text, is_wikilink=False, line=line))
    elif isinstance(value, list):
        if _is_unquoted_wikilink(value):
            inner = ", ".join(str(part) for part in value[0])
            links.extend(links_in_value(f"[[{inner}]]", line))
        else:
            for item in value:
                links.extend(links_in_value(item, line))
    elif value is not None and not isinstance(value, dict):
        links.append(Link(target=str(value), is_wikilink=False, line=line))
    return links


def _is_unquoted_wikilink(value: list[object]) -> bool:
    return (
        len(value) == 1
        and isinstance(value[0], list)
        and bool(value[0])
        and all(isinstance(part, str) for part in value[0])
    )


def unlink(text: str) -> str:
    """Text with each wikilink replaced by what Obsidian shows for it
    (``[[People/Jane Doe|Jane]]`` → ``Jane``, ``[[Acme#News]]`` → ``Acme``), for
    places that show plain text: calendar titles, terminal tables."""
    if "[[" not in text:
        return text
    return _WIKILINK.sub(_shown, text)


def _shown(match: re.Match[str]) -> str:
    """What Obsidian shows for one wikilink (see `unlink`)."""
    if match["display"]:
        return match["display"].strip()
    return match["target"].strip().rsplit("/", 1)[-1] or (match["anchor"] or "").strip()
