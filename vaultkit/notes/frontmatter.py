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
    if first_end == -1:
        return SplitNote(None, 0, text, 1, unclosed=True)
    # Jump from one "\n---" to the next instead of walking every line: the
    # closing fence is a line that is exactly --- (trailing blanks allowed).
    search_from = first_end
    while True:
        candidate = text.find("\n---", search_from)
        if candidate == -1:
            return SplitNote(None, 0, text, 1, unclosed=True)
        line_end = text.find("\n", candidate + 1)
        line = text[candidate + 1 :] if line_end == -1 else text[candidate + 1 : line_end]
        if line.rstrip() == FENCE:
            yaml_text = text[first_end + 1 : candidate + 1]
            body = "" if line_end == -1 else text[line_end + 1 :]
            return SplitNote(yaml_text, 2, body, yaml_text.count("\n") + 3)
        search_from = candidate + 1
