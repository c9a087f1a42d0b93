"""`vaultkit new`: contact, organization and interview notes from templates.

A new note is planned first (its path, its rendered text, hints for the user)
and written second, exclusively: an existing file is never replaced, a name
that another note already answers to (file name, alias or ``name``, of any
kind) is refused because its links would change meaning, and nothing is
written outside the vault whatever the name or the folder settings say.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vaultkit.atomic import write_atomic
from vaultkit.domain.career import CareerVault
from vaultkit.errors import UsageError
from vaultkit.notes import typed_values
from vaultkit.notes.note import parse_note
from vaultkit.notes.typed_values import ValueProblem
from vaultkit.outputs.filenames import safe_stem
from vaultkit.outputs.note_context import (
    contact_context,
    interview_context,
    link,
    me_context,
    person_context,
    primary_referrer,
    ref_context,
)
from vaultkit.outputs.question_bank import load_bank, pick_questions, seed_for
from vaultkit.outputs.templates import TemplateProblem, TemplateSource, find_template, render
from vaultkit.safepath import make_folder_inside
from vaultkit.vault.index import Kind
from vaultkit.vault.resolve import fold

ID_PREFIXES = {"contact": "c", "organization": "org", "interview": "i"}


class NoteExistsError(UsageError):
    """The note to create is already there; nothing was written (exit 2: the
    request named a note that exists)."""


@dataclass
class NewNote:
    """A note ready to write: its vault-relative path, text, and what to tell the user."""

    path: str
    text: str
    hints: list[str] = field(default_factory=list)


def clean_name(name: str) -> str:
    """A name as typed on a command line, made fit for a note: NFC, single
    spaces; control characters (a pasted newline) are refused."""
    if any(unicodedata.category(char) == "Cc" for char in name):
        raise UsageError(f"{name!r} holds control characters (a line break?); retype it")
    cleaned = " ".join(unicodedata.normalize("NFC", name).split())
    if not cleaned:
        raise UsageError("a name cannot be empty")
    return cleaned


class IdPool:
    """Short random ids (``c-1a2b3c4d``) used by no note in the vault, nor by
    any id this pool gave out before: an import of thousands of notes reads
    the vault's ids once, not once a note."""

    def __init__(self, career: CareerVault) -> None:
        notes = career.index.notes.values()
        self._taken = {i for n in notes if isinstance(i := n.fields.get("id"), str)}

    def new(self, kind: str) -> str:
        while True:
            candidate = f"{ID_PREFIXES[kind]}-{secrets.token_hex(4)}"
            if candidate not in self._taken:
                self._taken.add(candidate)
                return candidate


def _new_id(kind: str, career: CareerVault) -> str:
    return IdPool(career).new(kind)


def _refuse_taken(career: CareerVault, path: str, *names: str) -> None:
    """Refuse when the file exists, or when a note of any kind already answers
    to one of ``names`` (its links would start pointing somewhere else)."""
    for name in names:
        existing = career.index.resolve(name).note
        if existing is None:
            continue
        if fold(existing.path) == fold(path):
            raise NoteExistsError(f"{existing.path} already exists; nothing was changed")
        kind = career.index.kind(existing)
        what = "a note" if kind == "other" else f"a note of kind {kind}"
        raise NoteExistsError(
            f"{name!r} already names {existing.path} ({what}); links to [[{name}]] "
            "would become ambiguous, so nothing was written"
        )


def note_path(folder: str, stem: str) -> str:
    return f"{folder}/{stem}.md"


def render_note(
    template_name: str,
    kind: Kind,
    career: CareerVault,
    context: dict[str, Any],
    path: str,
    note_id: str,
    now: dt.datetime,
    extra: tuple[tuple[str, str], ...] = (),
    source: TemplateSource | None = None,
) -> str:
    """Render and check the note: its front-matter must parse and carry its
    ``type:`` (``kind``) and ``id``, and the ``extra`` keys (YAML text already)
    that the template does not write itself (an import's ``connected_on``)."""
    config = career.index.config
    if source is None:  # an import of thousands of notes finds the template once
        source = find_template(template_name, career.index.root, config.folders.templates)
    context = {"title": Path(path).stem, "id": note_id, "me": me_context(config), **context}
    # A template may start with a comment or a blank line; the front-matter must
    # still be the first line of the note, as Obsidian requires.
    text = _tidy_front_matter(render(source, context, now).lstrip("\r\n"))
    note = parse_note(path, text.encode("utf-8"))
    errors = [d for d in note.diagnostics if d.severity == "error"]
    if errors:
        first = errors[0]
        raise TemplateProblem(
            f"{source.origin} produced a note that does not read back "
            f"(line {first.line}: {first.message}); nothing was written"
        )
    # A user's template may leave out ``type:`` or ``id:``; the note gets them
    # anyway: ``type:`` keeps its kind when it is moved out of its folder, and
    # ``id:`` keeps its calendar events across renames.
    missing = [(key, value) for key, value in (("type", kind), ("id", note_id))]
    if not note.has_front_matter:
        lines = "".join(f"{key}: {value}\n" for key, value in (*missing, *extra))
        return f"---\n{lines}---\n{text}"
    missing = [(key, value) for key, value in missing if key not in note.fields]
    added = [(key, value) for key, value in extra if key not in note.fields]
    first_end = text.find("\n") + 1  # the opening ``---`` line, with its line end
    ending = "\r\n" if text[:first_end].endswith("\r\n") else "\n"
    if added:  # after the template's own keys, before the closing ``---``
        closing = text.find(f"{ending}---", first_end - len(ending)) + len(ending)
        lines = "".join(f"{key}: {value}{ending}" for key, value in added)
        text = text[:closing] + lines + text[closing:]
    if missing:
        lines = "".join(f"{key}: {value}{ending}" for key, value in missing)
        text = text[:first_end] + lines + text[first_end:]
    return text


def _tidy_front_matter(text: str) -> str:
    """Drop the blanks an empty value leaves (``role: ``) in the front-matter only;
    in the body, trailing spaces can be a Markdown line break."""
    if not text.startswith("---\n"):
        return text
    end = text.find("\n---", 3)
    if end == -1:
        return text
    head = "\n".join(line.rstrip() for line in text[:end].split("\n"))
    return head + text[end:]


def _link_to(
    career: CareerVault, name: str | None, kind: Kind, command: str, hints: list[str]
) -> dict[str, Any]:
    """Context for a link given on the command line: to the existing note when
    there is one (by its file name), else to the name as typed, with a hint.
    A name that is a note of another kind is refused."""
    if not name:
        return {"name": None, "link": None}
    name = clean_name(name)
    note = career.index.resolve(name).note
    if note is not None and career.index.kind(note) != kind:
        actual = career.index.kind(note)
        raise UsageError(f"{name!r} is {note.path}, a note of kind {actual}, not {kind}")
    if note is None:
        hints.append(f"no {kind} note named {name!r} yet: vaultkit new {command} {name!r}")
        return {"name": name, "link": link(name)}
    return {"name": note.name, "link": link(note.stem)}


def plan_contact(
    career: CareerVault,
    name: str,
    *,
    organization: str | None = None,
    referred_by: tuple[str, ...] = (),
    role: str | None = None,
    email: str | None = None,
    linkedin: str | None = None,
    warmth: str | None = None,
    source: str | None = None,
    phone: str | None = None,
    location: str | None = None,
    status: str = "to-contact",
    now: dt.datetime,
) -> NewNote:
    """A new contact note in the people folder, linked to its organization and referrers."""
    name = clean_name(name)
    stem = safe_stem(name)
    path = note_path(career.index.config.folders.people, stem)
    _refuse_taken(career, path, stem, name)
    hints: list[str] = []
    org_ref = _link_to(career, organization, "organization", "org", hints)
    referrers = [_link_to(career, r, "contact", "contact", hints) for r in referred_by]
    fields = {
        "role": role,
        "email": email,
        "linkedin": linkedin,
        "warmth": warmth,
        "source": source,
        "phone": phone,
        "location": location,
        "organization": org_ref["name"],
        "status": status,
        # A contact already past to-contact was reached: today starts the
        # no-reply reminders' clock unless the note says otherwise later.
        "contacted_on": None if status in ("to-contact", "closed") else now.date().isoformat(),
    }
    context = {
        "contact": person_context(name, stem, fields, referrers),
        "organization": org_ref,
        "referrers": referrers,
        "referrer": referrers[0] if referrers else None,
    }
    text = render_note(
        "contact.md", "contact", career, context, path, _new_id("contact", career), now
    )
    return NewNote(path, text, hints)


def plan_organization(
    career: CareerVault,
    name: str,
    *,
    industry: str | None = None,
    website: str | None = None,
    location: str | None = None,
    size: str | None = None,
    now: dt.datetime,
) -> NewNote:
    name = clean_name(name)
    stem = safe_stem(name)
    path = note_path(career.index.config.folders.organizations, stem)
    _refuse_taken(career, path, stem, name)
    organization = {
        "name": name,
        "link": link(stem),
        "industry": industry,
        "website": website,
        "location": location,
        "size": size,
    }
    text = render_note(
        "organization.md",
        "organization",
        career,
        {"organization": organization},
        path,
        _new_id("organization", career),
        now,
    )
    return NewNote(path, text)


def plan_interview(
    career: CareerVault,
    contact_name: str,
    at: str,
    *,
    format_: str | None = None,
    duration: int = 30,
    location: str | None = None,
    questions: int = 10,
    style: str = "standard",
    seed: int | None = None,
    now: dt.datetime,
) -> NewNote:
    """A prep note for an interview with an existing contact: research prompts,
    questions picked across categories, closing and evaluation questions,
    next steps as Tasks lines."""
    config = career.index.config
    contact = career.contact_at(career.find_note(contact_name, ("contact",)).path)
    assert contact is not None  # find_note returned a contact note
    try:
        start = typed_values.when(at, config.zone)
    except ValueProblem as problem:
        raise UsageError(f"--at: {problem}") from None
    if start is None or start.at is None:
        raise UsageError(f'--at: {at!r} has no time; write e.g. "{at} 14:00"')
    hints: list[str] = []
    has_offset = start.at.tzinfo is not config.zone  # `when` uses the zone itself otherwise
    if start.ambiguous:  # the clocks go back: write which of the two it is
        has_offset = True
        hints.append(
            f"{at} happens twice that night; written with its offset, "
            f"{start.at.isoformat(timespec='minutes')}"
        )
    local = start.at.astimezone(config.zone)
    date_text = (
        start.at.isoformat(timespec="minutes") if has_offset else local.strftime("%Y-%m-%d %H:%M")
    )
    stem = safe_stem(f"{local.date().isoformat()} {contact.note.stem}")
    path = note_path(config.folders.interviews, stem)
    _refuse_taken(career, path, stem)
    bank = load_bank(career.index.root, config.folders.templates)
    groups = pick_questions(
        bank, style, questions, seed if seed is not None else seed_for(contact.name, date_text)
    )
    referrer = primary_referrer(contact)
    context = {
        "contact": contact_context(contact),
        "organization": ref_context(contact.organization, career),
        "referrer": ref_context(referrer, career) if referrer else None,
        "interview": interview_context(start.at, duration, format_, location, config, date_text),
        "question_groups": [{"title": g.title, "questions": list(g.questions)} for g in groups],
        "closing_questions": list(bank.closing),
        "evaluation_questions": list(bank.evaluation),
        "style": style,
    }
    text = render_note(
        "interview.md", "interview", career, context, path, _new_id("interview", career), now
    )
    return NewNote(path, text, hints)


def write_new_note(root: Path, new_note: NewNote) -> Path:
    """Write exclusively (never replacing a file that exists or appears meanwhile),
    only inside the vault; return the absolute path."""
    target = root / new_note.path
    if not make_folder_inside(root, target.parent):
        folder = os.path.relpath(target.parent, root)
        raise UsageError(f"{folder} leads outside the vault; nothing was written")
    try:
        write_atomic(target, new_note.text, exclusive=True)
    except FileExistsError:
        raise NoteExistsError(f"{new_note.path} already exists; nothing was changed") from None
    return target
