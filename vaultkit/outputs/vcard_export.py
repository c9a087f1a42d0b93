"""`vaultkit export vcard`: the vault's contacts as vCard 3.0, the version iOS
and macOS import, so the phone's address book knows who is calling.

Each card's ``UID`` comes from the note's ``id`` (a UUID derived from it), so
importing a newer export replaces the old card instead of adding a second
one. The output is deterministic: the same notes give the same bytes, and
an unchanged file is not rewritten (a sync client sees no change).
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from vaultkit.address_book.vcard import CardFields, format_vcard, split_name
from vaultkit.atomic import write_atomic
from vaultkit.domain.career import CareerVault
from vaultkit.domain.contact_match import note_emails
from vaultkit.domain.contacts import Contact
from vaultkit.notes import typed_values
from vaultkit.notes.typed_values import ValueProblem

# Cards vaultkit wrote say so (vCard's PRODID): a vdir folder is shared with
# other programs, and only these cards are ever removed from it.
OWN_PRODUCT = "PRODID:-//vaultkit//"
_UID_NAMESPACE = uuid.UUID("5b0f6c2e-3d7a-4c51-9a3e-0d6f1c7e2a90")


def card_uid(contact: Contact) -> str:
    """A UUID from the note's ``id`` (stable across renames), else its path."""
    basis = f"id:{contact.id}" if contact.id else f"path:{contact.path}"
    return str(uuid.uuid5(_UID_NAMESPACE, basis))


def card_fields(contact: Contact, career: CareerVault) -> CardFields:
    family, given = split_name(contact.name)
    referrers = [ref.name for ref in contact.referred_by if ref.name]
    return CardFields(
        uid=card_uid(contact),
        full_name=contact.name,
        family=family,
        given=given,
        emails=tuple(note_emails(contact.note.fields.get("email"))),
        phones=tuple(_texts(contact.note.fields.get("phone"))),
        organization=contact.organization_name,
        role=contact.role,
        linkedin=contact.linkedin,
        note=f"Referred by {', '.join(referrers)}." if referrers else None,
        aliases=tuple(contact.aliases),
    )


def vcards(career: CareerVault) -> list[tuple[str, str]]:
    """Every contact's card, as (UID, text), in the order of their notes' paths."""
    contacts = sorted(career.contacts, key=lambda contact: contact.path)
    return [(card_uid(c), format_vcard(card_fields(c, career))) for c in contacts]


@dataclass
class VdirResult:
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0


def write_vcf(target: Path, cards: list[tuple[str, str]]) -> bool:
    """All cards in one file, written atomically; False when it already held them."""
    text = "".join(card for _, card in cards)
    try:
        if target.read_bytes() == text.encode("utf-8"):
            return False
    except OSError:
        pass
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, text)
    return True


def write_vdir(folder: Path, cards: list[tuple[str, str]]) -> VdirResult:
    """One card a file (``UID.vcf``), as vdirsyncer and khard keep them: only
    changed cards are written, and cards vaultkit wrote for contacts that are
    gone are removed; any other file in the folder is left alone."""
    folder.mkdir(parents=True, exist_ok=True)
    result = VdirResult()
    wanted = {f"{uid}.vcf": text for uid, text in cards}
    for name, text in wanted.items():
        target = folder / name
        try:
            if target.read_bytes() == text.encode("utf-8"):
                result.unchanged += 1
                continue
        except OSError:
            pass
        write_atomic(target, text)
        result.written.append(name)
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if entry.name in wanted or not entry.name.endswith(".vcf") or not entry.is_file():
            continue
        if _written_by_vaultkit(Path(entry.path)):
            os.unlink(entry.path)
            result.removed.append(entry.name)
    return result


def _written_by_vaultkit(path: Path) -> bool:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    return OWN_PRODUCT in head


def _texts(value: object) -> list[str]:
    try:
        return typed_values.text_list(value)
    except ValueProblem:
        return []
