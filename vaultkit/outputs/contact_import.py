"""`vaultkit import`: people from an address book become contact notes.

An import is planned first and written second, so ``--dry-run`` shows exactly
what a real run does. Each person read from the file is, in the plan:

- **created**: a new contact note from the contact template (``source:``, the
  organization linked when its note exists, e-mail, phone, LinkedIn, role,
  ``connected_on``, an ``id``), and with ``--orgs`` a new organization note
  for an employer that has none;
- **existing**: the vault already has them (`domain.contact_match`); the note
  is never rewritten, and ``--update`` only fills keys that are empty or
  absent in it, through the surgical edit `done` and `log` use;
- **skipped**, with the reason: no name, a name that another kind of note
  answers to, a namesake with a different LinkedIn profile, a file name
  another person of the same import takes.

Importing the same file again finds everyone existing and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vaultkit.address_book.person import Person
from vaultkit.atomic import write_new_files
from vaultkit.domain.career import CareerVault
from vaultkit.domain.contact_match import ContactDirectory, Known, name_key
from vaultkit.errors import UsageError
from vaultkit.notes.frontmatter_edit import EditableNote, EditProblem, yaml_scalar
from vaultkit.notes.note import Note
from vaultkit.notes.wikilinks import link_targets
from vaultkit.outputs.done_and_log import EditRefused, Recorded, _edit
from vaultkit.outputs.filenames import safe_stem
from vaultkit.outputs.new_notes import IdPool, NewNote, note_path, render_note
from vaultkit.outputs.note_context import link, person_context
from vaultkit.outputs.templates import TemplateSource, find_template
from vaultkit.progress import task
from vaultkit.safepath import make_folder_inside
from vaultkit.vault.resolve import fold

# The keys ``--update`` may fill, in the order a note lists them.
FILLABLE = ("organization", "role", "location", "email", "phone", "linkedin", "connected_on")


@dataclass
class Created:
    person: Person
    note: NewNote
    maybe: list[Known] = field(default_factory=list)


@dataclass
class Existing:
    person: Person
    known: Known
    matched_by: str
    # With --update: (key, YAML text) for each key the note lacks, and the
    # note as it was read when that was decided (the edit refuses a newer one).
    fills: list[tuple[str, str]] = field(default_factory=list)
    note: Note | None = None
    problem: str = ""  # why its keys cannot be filled (a value over several lines)


@dataclass
class Skipped:
    person: Person
    reason: str


@dataclass
class ImportPlan:
    """What an import will do; `apply_import` does it."""

    created: list[Created] = field(default_factory=list)
    existing: list[Existing] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    organizations: list[NewNote] = field(default_factory=list)
    # Values read but left out, each "where: what" (a formula, a date not read).
    warnings: list[str] = field(default_factory=list)
    could_fill: int = 0  # notes that --update would fill keys in

    @property
    def updates(self) -> list[Existing]:
        return [entry for entry in self.existing if entry.fills]


@dataclass
class ImportResult:
    written: list[str] = field(default_factory=list)
    updated: list[Recorded] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # one line each: the note was left as it was
    refused_paths: set[str] = field(default_factory=set)


class _Planner:
    """The state one import builds up as it goes through the file."""

    def __init__(self, career: CareerVault, now: dt.datetime, orgs: bool, update: bool) -> None:
        self.career = career
        self.index = career.index
        self.now = now
        self.make_orgs = orgs
        self.update = update
        self.directory = ContactDirectory.of(career.contacts)
        self.ids = IdPool(career)
        self.people_folder = career.index.config.folders.people
        self.org_folder = career.index.config.folders.organizations
        self.planned_paths: dict[str, str] = {}  # folded path -> who takes it
        self.planned_orgs: dict[str, str] = {}  # name_key -> the new note's file name
        self.filled: set[str] = set()  # notes this import fills keys in
        self.plan = ImportPlan()
        templates = career.index.config.folders.templates
        self.contact_template = find_template("contact.md", career.index.root, templates)
        self._org_template: TemplateSource | None = None

    def add(self, person: Person) -> None:
        for problem in person.problems:
            self.plan.warnings.append(f"{person.where}: {problem}")
        if not person.name:
            reason = "no name" + (f" ({'; '.join(person.problems)})" if person.problems else "")
            self.plan.skipped.append(Skipped(person, reason))
            return
        match = self.directory.match(person)
        if match is not None and match.conflict:
            reason = f"{match.conflict}: not merged; add them by hand if they are someone else"
            self.plan.skipped.append(Skipped(person, reason))
            return
        if match is not None:
            self._existing(person, match.known, match.matched_by)
            return
        try:
            self._create(person)
        except UsageError as problem:
            self.plan.skipped.append(Skipped(person, str(problem)))

    def _existing(self, person: Person, known: Known, matched_by: str) -> None:
        entry = Existing(person, known, matched_by)
        # Filled from the first row that matches it only: a second row (the
        # same person twice, or a namesake) must not overwrite what the first
        # one filled, nor look like an edit that raced vaultkit.
        if known.path in self.index.notes and known.path not in self.filled:
            fills = self._fills(person, known.path)
            if fills and not self.update:
                self.plan.could_fill += 1
            elif fills:
                note = self.index.notes[known.path]
                problem = _edit_problem(self.index.root, note, fills)
                if problem:
                    entry.problem = problem
                else:
                    entry.note = note
                    entry.fills = fills
                    self.filled.add(known.path)
        self.plan.existing.append(entry)

    def _create(self, person: Person) -> None:
        stem = safe_stem(person.name)
        path = note_path(self.people_folder, stem)
        self._refuse_taken(person, path, stem)
        org = self._organization(person.organization)
        referrers = [self._referrer(person.referred_by)] if person.referred_by else []
        fields = {
            "role": person.role,
            "email": _one_or_list(person.emails),
            "phone": person.phones[0] if person.phones else None,
            "linkedin": person.linkedin,
            "source": person.source,
            "location": person.location,
            "organization": org["name"],
            "status": "to-contact",
            "contacted_on": None,
        }
        context = {
            "contact": person_context(person.name, stem, fields, referrers),
            "organization": org,
            "referrers": referrers,
            "referrer": referrers[0] if referrers else None,
        }
        # What the template does not write itself (a template of your own may
        # leave keys out) is added, so nothing read from the file is lost.
        imported = {
            "source": _yaml_text(person.source),
            "organization": _yaml_text(org["link"]),
            "role": _yaml_text(person.role),
            "location": _yaml_text(person.location),
            "email": _yaml_emails(person.emails),
            "phone": _yaml_text(person.phones[0] if person.phones else None),
            "linkedin": _yaml_text(person.linkedin),
            "referred_by": _yaml_text(referrers[0]["link"]) if referrers else None,
            "connected_on": person.connected_on.isoformat() if person.connected_on else None,
        }
        extra = tuple((key, value) for key, value in imported.items() if value is not None)
        text = render_note(
            "contact.md",
            "contact",
            self.career,
            context,
            path,
            self.ids.new("contact"),
            self.now,
            extra,
            self.contact_template,
        )
        self.planned_paths[fold(path)] = person.name
        self.directory.learn(person, path)
        maybe = [k for k in self.directory.near(person) if k.path != path]
        self.plan.created.append(Created(person, NewNote(path, text), maybe))

    def _refuse_taken(self, person: Person, path: str, stem: str) -> None:
        """A new note may not take a file name or a name that a note already
        answers to (its links would change meaning)."""
        taker = self.planned_paths.get(fold(path))
        if taker is not None:
            raise UsageError(f"{path} is taken by {taker}, earlier in this import")
        for name in (stem, person.name):
            existing = self.index.resolve(name).note
            if existing is not None:
                kind = self.index.kind(existing)
                what = {"other": "a note", "organization": "an organization note"}.get(
                    kind, f"a {kind} note"
                )
                raise UsageError(f"{name!r} already names {existing.path} ({what})")

    def _organization(self, name: str | None, create: bool = True) -> dict[str, Any]:
        """The employer: a link to its note when there is one (or, with
        ``--orgs``, a new note), else the name as plain text."""
        if not name:
            return {"name": None, "link": None}
        existing = self.index.resolve(name).note
        if existing is not None and self.index.kind(existing) == "organization":
            return {"name": existing.name, "link": link(existing.stem)}
        key = name_key(name)
        planned = self.planned_orgs.get(key)
        if planned is not None:
            return {"name": name, "link": link(planned)}
        if self.make_orgs and create and existing is None:
            note = self._new_organization(name)
            if note is not None:
                return {"name": name, "link": link(Path(note.path).stem)}
        return {"name": name, "link": name}

    def _new_organization(self, name: str) -> NewNote | None:
        try:
            stem = safe_stem(name)
        except UsageError:
            return None
        path = note_path(self.org_folder, stem)
        if fold(path) in self.planned_paths or self.index.resolve(stem).note is not None:
            return None
        context = {
            "organization": {"name": name, "link": link(stem)},
        }
        if self._org_template is None:
            root, templates = self.index.root, self.index.config.folders.templates
            self._org_template = find_template("organization.md", root, templates)
        text = render_note(
            "organization.md",
            "organization",
            self.career,
            context,
            path,
            self.ids.new("organization"),
            self.now,
            source=self._org_template,
        )
        note = NewNote(path, text)
        self.planned_paths[fold(path)] = name
        self.planned_orgs[name_key(name)] = stem
        self.plan.organizations.append(note)
        return note

    def _referrer(self, name: str) -> dict[str, Any]:
        """Who referred them (Outlook's Referred By), linked: to their note
        when there is one. A name typed as a link (``[[Jane Doe|Jane]]``) is
        read as the name it links to."""
        target = (link_targets(name) or [name])[0]  # as a wikilink resolves
        plain = target.split("|", 1)[0].split("#", 1)[0].replace("[", " ").replace("]", " ")
        name = " ".join(plain.split())
        existing = self.index.resolve(name).note
        if existing is not None and self.index.kind(existing) == "contact":
            return {"name": existing.name, "link": link(existing.stem)}
        return {"name": name, "link": link(name)}

    def _fills(self, person: Person, path: str) -> list[tuple[str, str]]:
        """The keys the note lacks (absent, or empty) that ``person`` has, as YAML."""
        note = self.index.notes[path]
        employer = person.organization if _is_empty(note.fields.get("organization")) else None
        values: dict[str, str | None] = {
            "organization": _yaml_text(self._organization(employer, self.update)["link"]),
            "role": _yaml_text(person.role),
            "location": _yaml_text(person.location),
            "email": _yaml_emails(person.emails),
            "phone": _yaml_text(person.phones[0] if person.phones else None),
            "linkedin": _yaml_text(person.linkedin),
            "connected_on": person.connected_on.isoformat() if person.connected_on else None,
        }
        fills = []
        for key in FILLABLE:
            value = values[key]
            if value is not None and _is_empty(note.fields.get(key)):
                fills.append((key, value))
        return fills


def plan_import(
    career: CareerVault,
    people: Iterable[Person],
    *,
    now: dt.datetime,
    orgs: bool = False,
    update: bool = False,
) -> ImportPlan:
    """What importing ``people`` would do; nothing is written."""
    planner = _Planner(career, now, orgs, update)
    for person in people:
        planner.add(person)
    return planner.plan


def apply_import(root: Path, plan: ImportPlan) -> ImportResult:
    """Write the plan: new notes exclusively (a file that appeared meanwhile is
    left alone and reported), then the ``--update`` fills, each through the
    surgical edit that refuses a note changed since it was read."""
    result = ImportResult()
    new_notes = [*plan.organizations, *(entry.note for entry in plan.created)]
    for folder in {(root / note.path).parent for note in new_notes}:
        if not make_folder_inside(root, folder):
            raise UsageError(f"{os.path.relpath(folder, root)} leads outside the vault")
    with task("writing notes", total=len(new_notes)) as step:
        placed = write_new_files(
            [(root / note.path, note.text) for note in new_notes], on_progress=step
        )
    for note, done in zip(new_notes, placed, strict=True):
        if done:
            result.written.append(note.path)
        else:
            result.refused.append(f"{note.path} appeared meanwhile; it was left as it is")
    for entry in plan.updates:
        note = entry.note
        assert note is not None  # an entry with fills was read for them

        def fill(editable: EditableNote, fills: list[tuple[str, str]] = entry.fills) -> None:
            for key, value in fills:
                editable.set_key(key, value)

        changes = [f"{key}: {value}" for key, value in entry.fills]
        try:
            result.updated.append(_edit(root, note, fill, changes))
        except EditRefused as refused:
            result.refused.append(str(refused))
            result.refused_paths.add(entry.known.path)
    return result


def _edit_problem(root: Path, note: Note, fills: list[tuple[str, str]]) -> str:
    """Why the fills cannot be written into the note as it is on disk (a
    value over several lines, broken front-matter), or "" when they can: a
    dry run says so, instead of promising an edit the real run refuses."""
    try:
        editable = EditableNote.from_bytes((root / note.path).read_bytes())
        for key, value in fills:
            editable.set_key(key, value)
    except EditProblem as problem:
        return str(problem)
    except OSError as error:
        return error.strerror or str(error)
    return ""


def _is_empty(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list):
        return all(_is_empty(item) for item in value)
    return False


def _one_or_list(values: tuple[str, ...]) -> str | list[str] | None:
    if not values:
        return None
    return values[0] if len(values) == 1 else list(values)


def _yaml_text(value: str | None) -> str | None:
    return yaml_scalar(value) if value else None


def _yaml_emails(emails: tuple[str, ...]) -> str | None:
    if not emails:
        return None
    if len(emails) == 1:
        return yaml_scalar(emails[0])
    return "[" + ", ".join(yaml_scalar(email) for email in emails) + "]"
