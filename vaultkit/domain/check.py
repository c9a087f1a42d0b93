"""`vaultkit check`: everything wrong with a vault, as diagnostics.

Errors are what makes vaultkit compute something wrong or nothing at all
(unreadable front-matter, a date that is not a date, an interview without a
contact, a referral cycle). Warnings are what a user probably wants to fix
but vaultkit can live with (a link to nothing, a link that could mean two
notes, an unknown status).

Unresolved links in note bodies are not reported: Obsidian users write links
to notes they have not created yet on purpose. Only the schema's links are.
"""

from __future__ import annotations

import datetime as dt

from vaultkit.diagnostics import Diagnostic
from vaultkit.domain.career import CareerVault
from vaultkit.domain.referral_graph import referral_cycles
from vaultkit.domain.resolved_links import Ref
from vaultkit.domain.stage import status_lag
from vaultkit.notes.note import Note
from vaultkit.notes.wikilinks import is_linkable
from vaultkit.vault.index import Kind

SEVERITY_ORDER = {"error": 0, "warning": 1}


def check_vault(career: CareerVault, now: dt.datetime | None = None) -> list[Diagnostic]:
    """All diagnostics for the vault, sorted by file and line; with ``now``, also
    written statuses that lag the facts (which depend on the time)."""
    found = career.diagnostics()
    if now is not None:
        found.extend(_status_lag_problems(career, now))
    found.extend(_link_problems(career))
    found.extend(_interview_problems(career))
    found.extend(_cycle_problems(career))
    found.extend(_type_problems(career))
    found.extend(_stray_problems(career))
    found.extend(_task_problems(career))
    found.extend(_duplicate_id_problems(career))
    found.extend(_unsafe_name_problems(career))
    unique = list(dict.fromkeys(found))
    return sorted(unique, key=lambda d: (d.path, d.line or 0, SEVERITY_ORDER[d.severity], d.code))


def _link_problems(career: CareerVault) -> list[Diagnostic]:
    index = career.index
    found: list[Diagnostic] = []

    def check_ref(note: Note, key: str, ref: Ref, kind: Kind, plain_text_ok: bool) -> None:
        link, resolution = ref.link, ref.resolution
        raw_key = note.raw_keys.get(key, key)
        if resolution.note is None:
            if resolution.attachment or (plain_text_ok and not link.is_wikilink):
                return
            found.append(
                Diagnostic(
                    note.path,
                    link.line,
                    "warning",
                    "unresolved-link",
                    f"{raw_key}: no note named {link.target!r}",
                )
            )
            return
        if resolution.ambiguous:
            found.append(
                _ambiguous(
                    note.path,
                    link.line,
                    link.target,
                    resolution.note.path,
                    resolution.alternatives,
                    raw_key,
                )
            )
        actual = index.kind(resolution.note)
        if actual != kind:
            found.append(
                Diagnostic(
                    note.path,
                    link.line,
                    "warning",
                    "wrong-kind",
                    f"{raw_key}: {link.target!r} is {_article(actual)} note "
                    f"({resolution.note.path}), not {_article(kind)}",
                )
            )

    for contact in career.contacts:
        if contact.organization is not None:
            check_ref(contact.note, "organization", contact.organization, "organization", True)
        for ref in contact.referred_by:
            check_ref(contact.note, "referred_by", ref, "contact", False)
    for interview in career.interviews:
        if interview.contact is not None:
            check_ref(interview.note, "contact", interview.contact, "contact", False)
        own_org = interview.note.fields.get("organization") is not None
        if interview.organization is not None and own_org:
            check_ref(interview.note, "organization", interview.organization, "organization", True)
    resolver = index.resolver
    # Only a name several files share can be ambiguous; most vaults have none,
    # and then no body needs scanning at all.
    notes_to_scan = index.notes.values() if resolver.shared_stems else ()
    for note in notes_to_scan:
        reported: set[str] = set()  # one warning per note and name, not per mention
        for link in note.body_links:
            if link.target in reported or not resolver.may_be_ambiguous(link.target):
                continue
            reported.add(link.target)
            resolution = resolver.resolve(link.target)
            if resolution.note is not None and resolution.ambiguous:
                found.append(
                    _ambiguous(
                        note.path,
                        link.line,
                        link.target,
                        resolution.note.path,
                        resolution.alternatives,
                        None,
                    )
                )
    return found


def _ambiguous(
    path: str,
    line: int | None,
    target: str,
    chosen: str,
    others: tuple[str, ...],
    raw_key: str | None,
) -> Diagnostic:
    prefix = f"{raw_key}: " if raw_key else ""
    return Diagnostic(
        path,
        line,
        "warning",
        "ambiguous-link",
        f"{prefix}[[{target}]] could mean {len(others) + 1} notes; using {chosen} "
        f"(also {', '.join(others)}); write the folder to choose",
    )


def _article(kind: str) -> str:
    return {
        "organization": "an organization",
        "interview": "an interview",
        "contact": "a contact",
    }.get(kind, "an ordinary")


def _interview_problems(career: CareerVault) -> list[Diagnostic]:
    found = []
    for interview in career.interviews:
        note = interview.note
        if "date" not in note.fields:
            found.append(
                Diagnostic(
                    note.path,
                    None,
                    "warning",
                    "missing-key",
                    "an interview needs date: (e.g. 2026-11-25 14:00)",
                )
            )
        elif interview.start is not None and interview.start.at is None:
            found.append(
                note.problem(
                    "warning",
                    "no-time",
                    "has a day but no time; add one, e.g. 2026-11-25 14:00",
                    "date",
                )
            )
    return found


def _cycle_problems(career: CareerVault) -> list[Diagnostic]:
    found = []
    for group in referral_cycles(career):
        names = [
            career.contact_at(path).name if career.contact_at(path) else path for path in group
        ]
        first = career.contact_at(group[0])
        line = first.note.line_of("referred_by") if first else None
        if len(names) == 1:
            message = f"referred_by: {names[0]} is listed as their own referrer"
        else:
            message = "referred_by: these contacts refer to each other in a circle: " + ", ".join(
                names
            )
        found.append(Diagnostic(group[0], line, "error", "referral-cycle", message))
    return found


def _type_problems(career: CareerVault) -> list[Diagnostic]:
    """A ``type:`` vaultkit does not know, on a note in a kind's folder: the note
    silently stops being a contact (say), which the user should hear about."""
    index = career.index
    found = []
    for note in index.notes.values():
        declared = index.declared_type(note)
        folder_kind = index.folder_kind(note)
        if declared and not index.is_kind_word(declared) and folder_kind != "other":
            found.append(
                note.problem(
                    "warning",
                    "unknown-type",
                    f"{declared!r} is not contact, organization or interview, so this note "
                    f"is not read as {_article(folder_kind)} despite its folder",
                    "type",
                )
            )
    return found


# Keys that only a contact note has (``organization`` alone is not one: project
# and reading notes name organizations too; with a ``role`` it is).
_CONTACT_KEYS = ("email", "referred_by", "warmth", "contacted_on", "replied_on")
_ORGANIZATION_KEYS = ("website", "size", "motivation", "posting", "advocacy", "alumni")
# What those keys may be spelled with in the raw text: a note whose text holds
# none of these is never parsed for this test (most of a large vault).
_HINT_WORDS = ("email", "referr", "introduced", "met", "warmth", "contacted", "replied", "role")
_HINT_WORDS += ("contact", "person", "people", "industry")


def _unsafe_name_problems(career: CareerVault) -> list[Diagnostic]:
    """A file name no wikilink can point at (a newline, ``[``, ``]``, ``|``,
    ``#`` or ``^``, made outside Obsidian): links to it break, and the
    dashboard links it in another form. Renaming it is the cure."""
    return [
        Diagnostic(
            note.path,
            None,
            "warning",
            "unsafe-name",
            "the file name holds a character a wikilink cannot "
            "(a line break, [ ] | # or ^); links to it break, rename it",
        )
        for note in career.index.notes.values()
        if not is_linkable(note.path)
    ]


def _stray_problems(career: CareerVault) -> list[Diagnostic]:
    """A note that looks like a contact, an interview or an organization but
    is read as an ordinary one: no ``type:`` and outside the kinds' folders
    (moved to ``Archive/``, say). It silently leaves every list and follow-up,
    so say how to keep it."""
    index = career.index
    folders = index.config.folders
    found = []
    for note in index.notes.values():
        if not note.mentions_key(*_HINT_WORDS) or index.kind(note) != "other":
            continue
        if index.declared_type(note):
            continue  # a type of the user's own (``daily``): not ours to question
        fields = note.fields
        keys = [key for key in _CONTACT_KEYS if fields.get(key) is not None]
        if not keys and fields.get("organization") is not None and fields.get("role") is not None:
            keys = ["organization", "role"]
        if keys:
            kind, folder = "contact", folders.people
        elif fields.get("date") is not None and _links_to_contact(career, note):
            kind, folder, keys = "interview", folders.interviews, ["contact", "date"]
        elif fields.get("industry") is not None and (
            keys := [key for key in _ORGANIZATION_KEYS if fields.get(key) is not None]
        ):
            kind, folder, keys = "organization", folders.organizations, ["industry", *keys]
        else:
            continue
        shown = ", ".join(note.raw_keys.get(key, key) for key in keys)
        found.append(
            Diagnostic(
                note.path,
                note.line_of(keys[0]),
                "warning",
                f"looks-like-{kind}",
                f"looks like {_article(kind)} note ({shown}) but has no type: and is "
                f"outside {folder}/, so it is read as an ordinary note; add `type: {kind}` "
                f"to keep it where it is, or move it under {folder}/ ([folders] setting)",
            )
        )
    return found


def _links_to_contact(career: CareerVault, note: Note) -> bool:
    """Whether the note's ``contact:`` links to a contact note (meeting notes
    with ``people:`` and a ``date:`` are common; only one with a contact of the
    search looks like an interview)."""
    for link in note.links("contact"):
        target = career.index.resolve(link.target).note
        if target is not None and career.index.kind(target) == "contact":
            return True
    return False


def _task_problems(career: CareerVault) -> list[Diagnostic]:
    """A task whose 📅 or ✅ date is not a real date silently drops out of the
    follow-ups; say so."""
    found = []
    for note in career.index.notes.values():
        if not note.may_hold_links_or_tasks:
            continue
        for task in note.tasks:
            if task.bad_date:
                found.append(
                    Diagnostic(
                        note.path,
                        task.line,
                        "error",
                        "bad-date",
                        f"task {task.text!r}: {task.bad_date} is not a real date",
                    )
                )
    return found


_WHAT_SAYS = {
    "interviewed": "an interview was held",
    "thanked": "the thank-you was sent",
    "keep-in-touch": "you have been in touch since the thank-you",
}


def _status_lag_problems(career: CareerVault, now: dt.datetime) -> list[Diagnostic]:
    """A written ``status`` behind what the notes record (``status-lags``): vaultkit
    goes by the facts, but the note (and other tools reading it) says less."""
    found = []
    for contact in career.contacts:
        lag = status_lag(contact, career.interviews_with(contact), now)
        if lag is None:
            continue
        stage, interview = lag
        assert interview is not None  # a held one
        # marked done, it may have no date at all
        when = f", {interview.start.day.isoformat()}" if interview.start is not None else ""
        facts = f"{_WHAT_SAYS[stage]} ({interview.path}{when})"
        if interview.status == "planned":
            # Held only by the clock: the user knows whether it happened.
            fix = (
                f'`vaultkit done interview "{interview.note.name}"` if it took place, '
                f'`vaultkit cancel "{interview.note.name}"` if not'
            )
            facts = f"an interview's time has passed ({interview.path}, still planned)"
        else:
            fix = f'`vaultkit set "{contact.name}" status {stage}` to write it'
        found.append(
            contact.note.problem(
                "warning",
                "status-lags",
                f"says {contact.status}, but {facts}: the stage is {stage} ({fix})",
                "status",
            )
        )
    return found


def _duplicate_id_problems(career: CareerVault) -> list[Diagnostic]:
    """Two notes with one ``id`` (a copied note) would share calendar events."""
    found: list[Diagnostic] = []
    if not career.duplicate_ids:
        return found
    for note in career.index.notes.values():
        note_id = note.fields.get("id")
        if isinstance(note_id, str) and note_id in career.duplicate_ids:
            found.append(
                note.problem(
                    "warning",
                    "duplicate-id",
                    f"{note_id!r} is also the id of another note; give each note its own",
                    "id",
                )
            )
    return found
