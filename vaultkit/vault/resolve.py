"""Resolving a wikilink target to a note, as Obsidian does, plus one extension.

Obsidian's rules: match the file name without ``.md``, case-insensitively; a
target with folders (``People/Jane Doe``) must match the tail of the path;
``#heading``, ``^block`` and ``|display`` play no part (the wikilink grammar has
already split them off). When several files share the name, the one with the
shortest path wins, and we remember there was a choice so `check` can warn.

Our extension: when no file matches, a note whose ``aliases`` or ``name``
matches is taken, so ``referred_by: "[[Prof. Chen]]"`` finds
``People/Wei Chen.md`` with ``aliases: [Prof. Chen]``.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from typing import Literal, NamedTuple

from vaultkit.notes.note import Note
from vaultkit.notes.typed_values import ValueProblem, text, text_list

# Links to these are attachments, not notes; they never count as broken notes.
ATTACHMENT_EXTENSIONS = frozenset(
    {
        *("png", "jpg", "jpeg", "gif", "bmp", "svg", "webp", "avif", "pdf"),
        *("mp3", "wav", "m4a", "ogg", "flac", "webm", "mp4", "mov", "mkv"),
        *("canvas", "excalidraw", "csv", "xlsx", "docx", "pptx", "zip"),
    }
)

Via = Literal["file", "alias", "name"]


class Resolution(NamedTuple):
    """The outcome of resolving one target.

    ``note`` is None when nothing matched; ``alternatives`` counts the other
    notes that matched equally well by name (non-zero means ambiguous);
    ``attachment`` marks a link to a non-note file such as an image. A named
    tuple: made in one step, for each of the thousands of targets a vault links.
    """

    note: Note | None
    via: Via | None = None
    alternatives: tuple[str, ...] = ()
    attachment: bool = False

    @property
    def ambiguous(self) -> bool:
        return bool(self.alternatives)


def fold(text: str) -> str:
    """The form names are compared in: NFC (macOS and some sync clients store
    file names decomposed, ``e`` + combining accent) and case-folded."""
    return unicodedata.normalize("NFC", text).casefold()


def normalise_target(target: str) -> str:
    """``./People/Jane Doe.md`` → ``people/jane doe``: the form lookups use."""
    joined = target.strip()
    if "/" in joined or "\\" in joined:
        cleaned = joined.replace("\\", "/").strip("/")
        joined = "/".join(part for part in cleaned.split("/") if part not in ("", ".", ".."))
    elif joined in (".", ".."):  # as the folder split above drops them (most targets have none)
        joined = ""
    if joined.lower().endswith(".md"):
        joined = joined[:-3]
    return fold(joined.strip())


def _path_key(note: Note) -> tuple[int, int, str]:
    """Shortest path first: fewest folders, then fewest characters, then by name."""
    return (note.path.count("/"), len(note.path), note.path)


class LinkResolver:
    """Lookup tables over every note, built once per index.

    The file-name table is built at once (it needs only paths). The alias and
    ``name`` tables need every note's front-matter parsed, so they are built
    the first time a link finds no file: most vaults' links all name files,
    and then most notes are never parsed at all.
    """

    def __init__(self, notes: Iterable[Note]) -> None:
        self._notes = {note.path: note for note in notes}
        by_stem: dict[str, list[Note]] = defaultdict(list)
        for note in self._notes.values():
            by_stem[fold(note.stem)].append(note)
        for candidates in by_stem.values():
            if len(candidates) > 1:
                candidates.sort(key=_path_key)
        self._by_stem = dict(by_stem)
        self._by_alias: dict[str, list[Note]] | None = None
        self._by_name: dict[str, list[Note]] | None = None
        self.shared_stems = {stem for stem, found in by_stem.items() if len(found) > 1}
        # Each target's resolution, once asked for: a vault links the same few
        # hundred people and organizations from thousands of notes. Emptied
        # whenever a table changes (the watcher's saves).
        self._resolved: dict[str, Resolution] = {}

    def replace(self, old: Note, new: Note) -> None:
        """Put ``new`` where ``old`` was, for a note whose contents changed but
        whose path, aliases and ``name`` did not (so every table keeps its shape)."""
        self._notes[new.path] = new
        self._resolved.clear()
        for candidates in self._groups(old):
            for position, note in enumerate(candidates):
                if note is old:
                    candidates[position] = new

    def remove(self, old: Note) -> None:
        """Forget a note that was deleted, renamed or renamed itself: a watcher's
        save changes one entry, not the tables of ten thousand notes."""
        self._notes.pop(old.path, None)
        self._resolved.clear()
        for table, key in self._keys(old):
            candidates = table.get(key, [])
            candidates[:] = [note for note in candidates if note is not old]
            if not candidates:
                table.pop(key, None)
        stem = fold(old.stem)
        if len(self._by_stem.get(stem, ())) < 2:
            self.shared_stems.discard(stem)

    def add(self, new: Note) -> None:
        self._notes[new.path] = new
        self._resolved.clear()
        for table, key in self._keys(new):
            candidates = table.setdefault(key, [])
            candidates.append(new)
            candidates.sort(key=_path_key)
        stem = fold(new.stem)
        if len(self._by_stem[stem]) > 1:
            self.shared_stems.add(stem)

    def _keys(self, note: Note) -> list[tuple[dict[str, list[Note]], str]]:
        """Each table and key ``note`` is filed under."""
        keys = [(self._by_stem, fold(note.stem))]
        if self._by_alias is not None and self._by_name is not None:
            keys += [(self._by_alias, alias) for alias in _aliases(note)]
            keys += [(self._by_name, name) for name in _name(note)]
        return keys

    def _groups(self, note: Note) -> list[list[Note]]:
        return [table.get(key, []) for table, key in self._keys(note)]

    def _fallback_tables(self) -> tuple[dict[str, list[Note]], dict[str, list[Note]]]:
        if self._by_alias is None or self._by_name is None:
            by_alias: dict[str, list[Note]] = defaultdict(list)
            by_name: dict[str, list[Note]] = defaultdict(list)
            for note in self._notes.values():
                for alias in _aliases(note):
                    by_alias[alias].append(note)
                for name in _name(note):
                    by_name[name].append(note)
            for table in (by_alias, by_name):
                for candidates in table.values():
                    candidates.sort(key=_path_key)
            self._by_alias, self._by_name = dict(by_alias), dict(by_name)
        return self._by_alias, self._by_name

    def may_be_ambiguous(self, target: str) -> bool:
        """Cheap pre-test: only a target whose file name several notes share can be
        ambiguous by file name (`check` uses it to skip most body links)."""
        return normalise_target(target).rsplit("/", 1)[-1] in self.shared_stems

    def resolve(self, target: str) -> Resolution:
        """The note ``target`` names (see the module's rules); answered once per
        distinct target while the tables stand still."""
        found = self._resolved.get(target)
        if found is None:
            found = self._resolved[target] = self._resolve(target)
        return found

    def _resolve(self, target: str) -> Resolution:
        key = normalise_target(target)
        if not key:
            return Resolution(None)
        tail = key.rsplit("/", 1)[-1]
        candidates = self._by_stem.get(tail, [])
        if "/" in key:
            candidates = [n for n in candidates if _path_matches(n.path, key)]
            exact = [n for n in candidates if _path_matches(n.path, key, exact=True)]
            if exact:  # the whole vault path was written: nothing to choose
                return Resolution(exact[0], "file")
        if len(candidates) == 1:
            return Resolution(candidates[0], "file")
        if candidates:
            return Resolution(candidates[0], "file", tuple(n.path for n in candidates[1:]))
        extension = tail.rsplit(".", 1)[-1] if "." in tail else ""
        if extension in ATTACHMENT_EXTENSIONS:
            return Resolution(None, attachment=True)
        if "/" not in key:
            by_alias, by_name = self._fallback_tables()
            for via, table in (("alias", by_alias), ("name", by_name)):
                matches = _unique(table.get(key, []))
                if matches:
                    alternatives = tuple(n.path for n in matches[1:])
                    return Resolution(matches[0], via, alternatives)  # type: ignore[arg-type]
        return Resolution(None)


def _path_matches(path: str, key: str, exact: bool = False) -> bool:
    folded = fold(path)
    if folded.endswith(".md"):
        folded = folded[:-3]
    return folded == key or (not exact and folded.endswith("/" + key))


def _unique(notes: list[Note]) -> list[Note]:
    """A note listing the same alias twice is still one candidate."""
    seen: set[str] = set()
    return [n for n in notes if not (n.path in seen or seen.add(n.path))]  # type: ignore[func-returns-value]


def answers_to(note: Note) -> frozenset[str]:
    """Every folded name a link can reach ``note`` by: its file name (without
    ``.md``), its ``aliases`` and its ``name``."""
    stem = note.path.rsplit("/", 1)[-1]
    stem = stem[:-3] if stem.lower().endswith(".md") else stem
    return frozenset([fold(stem), *_aliases(note), *_name(note)])


def _aliases(note: Note) -> list[str]:
    """The folded aliases a note answers to (without parsing one that has none)."""
    if not note.mentions_key("alias"):
        return []
    return list(dict.fromkeys(fold(alias) for alias in _safe_list(note.fields.get("aliases"))))


def _name(note: Note) -> list[str]:
    """The folded ``name:``, if the note gives one."""
    if not note.mentions_key("name"):
        return []
    name = _safe_text(note.fields.get("name"))
    return [fold(name)] if name else []


def _safe_list(value: object) -> list[str]:
    try:
        return text_list(value)
    except ValueProblem:
        return []


def _safe_text(value: object) -> str | None:
    try:
        return text(value)
    except ValueProblem:
        return None
