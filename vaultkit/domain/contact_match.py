"""Is this imported person someone the vault already knows?

An import must never create a second note for a person, and must never merge
two different people. A person matches an existing contact by, in order: the
LinkedIn address (normalised), any e-mail address (case-insensitive), then the
exact name or an alias after Unicode and case normalisation. Anything looser
(``Jon Smith`` for ``John Smith``, a dropped accent) is only offered as "maybe
the same as": a merge a person did not ask for cannot be taken back.

The directory also learns the people an import is about to create, so a file
that lists someone twice creates one note.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from vaultkit.address_book.cleaning import normalise_email, normalise_linkedin
from vaultkit.address_book.person import Person
from vaultkit.domain.contacts import Contact
from vaultkit.notes import typed_values
from vaultkit.notes.typed_values import ValueProblem

# How alike two names must be (rapidfuzz's ratio, 0-100) to be offered as "maybe".
NEAR_NAME_SCORE = 85.0


@dataclass(frozen=True)
class Known:
    """A person the directory knows: a contact note, or one being imported."""

    name: str
    path: str
    linkedin: str | None = None  # normalised


@dataclass(frozen=True)
class Match:
    known: Known
    matched_by: str  # "linkedin", "email", "name", "alias"
    # Why this is two people, not one, though a rule matched (a namesake
    # with another LinkedIn profile, a shared address under another name, a
    # name two notes answer to); "" when it is the same person.
    conflict: str = ""


def name_key(name: str) -> str:
    """The form names are compared in: NFKC, case-folded, blanks collapsed."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def loose_key(name: str) -> str:
    """A looser form, for "maybe" only: accents and punctuation gone, and
    "Last, First" (as address books file people) turned round."""
    if name.count(",") == 1:
        last, first = (part.strip() for part in name.split(","))
        if last and first:
            name = f"{first} {last}"
    decomposed = unicodedata.normalize("NFKD", name_key(name))
    kept = (c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return " ".join("".join(kept).split())


def note_emails(raw: object) -> list[str]:
    """The addresses an ``email:`` value holds: one, a list, or several in one
    text separated by commas or semicolons."""
    try:
        values = typed_values.text_list(raw)
    except ValueProblem:
        return []
    found = []
    for value in values:
        for part in value.replace(";", ",").split(","):
            part = part.strip().removeprefix("mailto:").strip("<> ")
            if "@" in part:
                found.append(part)
    return found


@dataclass
class ContactDirectory:
    """Every known person by LinkedIn address, e-mail address, name and alias."""

    by_linkedin: dict[str, Known] = field(default_factory=dict)
    by_email: dict[str, Known] = field(default_factory=dict)
    by_name: dict[str, Known] = field(default_factory=dict)
    by_alias: dict[str, Known] = field(default_factory=dict)
    # Names and aliases that several notes answer to: which one is meant?
    ambiguous: dict[str, list[str]] = field(default_factory=dict)
    # For "maybe": loose names grouped by their `_blocks`.
    _by_block: dict[str, list[tuple[str, Known]]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def of(cls, contacts: Iterable[Contact]) -> ContactDirectory:
        directory = cls()
        for contact in contacts:
            linkedin = normalise_linkedin(contact.linkedin) if contact.linkedin else None
            known = Known(contact.name, contact.path, linkedin)
            emails = note_emails(contact.note.fields.get("email"))
            names = (contact.name, contact.note.stem)
            directory._learn(known, emails, names, contact.aliases)
            for name in names:
                loose = loose_key(name)
                for block in _blocks(loose):
                    directory._by_block[block].append((loose, known))
        return directory

    def learn(self, person: Person, path: str) -> None:
        """Know ``person``, about to be written at ``path``."""
        linkedin = normalise_linkedin(person.linkedin) if person.linkedin else None
        known = Known(person.name, path, linkedin)
        self._learn(known, person.emails, (person.name,), person.aliases)

    def _learn(
        self,
        known: Known,
        emails: Iterable[str],
        names: Iterable[str],
        aliases: Iterable[str],
    ) -> None:
        # The first note to claim a key keeps it: matching is by the notes as
        # they were, and a later claim is the same person's second note.
        if known.linkedin:
            self.by_linkedin.setdefault(known.linkedin, known)
        for email in emails:
            self.by_email.setdefault(normalise_email(email), known)
        for table, keys in ((self.by_name, names), (self.by_alias, aliases)):
            for key in {name_key(name) for name in keys}:
                first = table.setdefault(key, known)
                if first.path != known.path:
                    paths = self.ambiguous.setdefault(key, [first.path])
                    if known.path not in paths:
                        paths.append(known.path)

    def match(self, person: Person) -> Match | None:
        """The known person this one is, by the first rule that applies."""
        if person.linkedin:
            known = self.by_linkedin.get(normalise_linkedin(person.linkedin))
            if known is not None:
                return Match(known, "linkedin")
        for email in person.emails:
            known = self.by_email.get(normalise_email(email))
            if known is None:
                continue
            if _other_profile(known, person):
                why = f"shares {email} with {known.path}, but has another LinkedIn profile"
                return Match(known, "email", why)
            if not _alike(known.name, person.name):
                why = f"shares {email} with {known.path} ({known.name}), under another name"
                return Match(known, "email", why)
            return Match(known, "email")
        key = name_key(person.name)
        by_name = (
            (key, self.by_name, "name"),
            (key, self.by_alias, "alias"),
            *((name_key(alias), self.by_name, "alias") for alias in person.aliases),
        )
        for lookup, table, rule in by_name:
            known = table.get(lookup)
            if known is None:
                continue
            if lookup in self.ambiguous:
                paths = " and ".join(self.ambiguous[lookup])
                return Match(known, rule, f"{person.name!r} could be {paths}")
            if _other_profile(known, person):
                return Match(
                    known, rule, f"same name as {known.path}, but another LinkedIn profile"
                )
            return Match(known, rule)
        return None

    def near(self, person: Person, limit: int = 3) -> list[Known]:
        """Notes whose names are close to this one's (in one of its `_blocks`,
        and alike by `NEAR_NAME_SCORE`), closest first."""
        from rapidfuzz import fuzz, process

        loose = loose_key(person.name)
        if not loose:
            return []
        scored: dict[str, tuple[float, Known]] = {}
        for block in _blocks(loose):
            candidates = self._by_block.get(block, ())
            if not candidates:
                continue
            found = process.extract(
                loose,
                [other for other, _ in candidates],
                scorer=fuzz.ratio,
                score_cutoff=NEAR_NAME_SCORE,
                limit=None,
            )
            for _, score, position in found:
                known = candidates[position][1]
                if score > scored.get(known.path, (-1.0, known))[0]:
                    scored[known.path] = (score, known)
        ranked = sorted(scored.values(), key=lambda pair: (-pair[0], pair[1].path))
        return [known for _, known in ranked[:limit]]


def _other_profile(known: Known, person: Person) -> bool:
    """Whether both have LinkedIn profiles and they differ (two John Smiths)."""
    return bool(
        known.linkedin and person.linkedin and known.linkedin != normalise_linkedin(person.linkedin)
    )


def _alike(one: str, other: str) -> bool:
    """Whether two names can be one person's: a word in common ("Ben Adler",
    "Dr. Benjamin Adler"), or close by `NEAR_NAME_SCORE`."""
    from rapidfuzz import fuzz

    first, second = loose_key(one), loose_key(other)
    if set(first.split()) & set(second.split()):
        return True
    return fuzz.ratio(first, second) >= NEAR_NAME_SCORE


def _blocks(loose: str) -> tuple[str, ...]:
    """Where a near namesake is looked for: people of the same last word
    (``Jon Smith``, ``John Smith``), or of the same first word and the same
    initial of the last (``Jane Doe``, ``Jane Does``). Comparing every name with
    every other would cost an import of 10,000 rows minutes."""
    words = loose.split()
    if not words:
        return ()
    if len(words) == 1:
        return (f"L:{words[0]}",)
    return (f"L:{words[-1]}", f"F:{words[0]}|{words[-1][0]}")
