"""Splitting a note into its YAML front-matter block and its Markdown body.

Obsidian's rule: the block exists only when the very first line is ``---``, and
it ends at the next line that is exactly ``---``. We follow it, and keep the
line numbers of both parts so later diagnostics can name the line in the file.
"""

from __future__ import annotations

from dataclasses import dataclass

FENCE = "---"


@dataclass(frozen=True, slots=True)
class SplitNote:
    """A note's parts. ``yaml_text`` is None when the note has no front-matter.

    ``yaml_first_line`` and ``body_first_line`` are the 1-based file line numbers
    where each part starts; ``unclosed`` is set when a block was opened but never
    closed (the whole file is then treated as body, as Obsidian does).
    """

    yaml_text: str | None
    yaml_first_line: int
    body: str
    body_first_line: int
    unclosed: bool = False


def split_front_matter(text: str) -> SplitNote:
    """Split ``text`` (LF line ends, no BOM) into front-matter and body."""
    first_end = text.find("\n")
    first_line = text if first_end == -1 else text[:first_end]
    if first_line.rstrip() != FENCE:
        return SplitNote(None, 0, text, 1)
    position = first_end + 1
    line_number = 2
    while first_end != -1 and position <= len(text):
        end = text.find("\n", position)
        line = text[position:] if end == -1 else text[position:end]
        if line.rstrip() == FENCE:
            yaml_text = text[first_end + 1 : position]
            body = "" if end == -1 else text[end + 1 :]
            return SplitNote(yaml_text, 2, body, line_number + 1)
        if end == -1:
            break
        position = end + 1
        line_number += 1
    return SplitNote(None, 0, text, 1, unclosed=True)
