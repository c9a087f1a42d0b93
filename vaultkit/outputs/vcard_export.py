"""`vaultkit export vcard`: the vault's contacts as vCard 3.0, the version iOS
and macOS import, so the phone's address book knows who is calling.

Each card's ``UID`` comes from the note's ``id`` (a UUID derived from it), so
importing a newer export replaces the old card instead of adding a second
one. The output is deterministic: the same notes give the same bytes, and
an unchanged file is not rewritten (a sync client sees no change).
"""

from __future__ import annotations

import hashlib
import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from vaultkit.address_book.cleaning import email_value, linkedin_value, phone_value, text_value
from vaultkit.address_book.vcard import CardFields, format_vcard, split_name
from vaultkit.atomic import write_atomic
from vaultkit.domain.career import CareerVault
from vaultkit.domain.contact_match import note_emails
from vaultkit.domain.contacts import Contact
from vaultkit.errors import UsageError
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
    """The card of one contact. Each value passes the checks an import makes
    (no formula, no ``javascript:`` link, no phone number that is none), so a
    card never carries what vaultkit would refuse to read back."""
    family, given = split_name(contact.name)
    referrers = [ref.name for ref in contact.referred_by if ref.name]
    emails = (email_value(e, "e-mail")[0] for e in note_emails(contact.note.fields.get("email")))
    phones = (phone_value(p, "phone")[0] for p in _texts(contact.note.fields.get("phone")))
    aliases = (text_value(alias, "alias")[0] for alias in contact.aliases)
    return CardFields(
        uid=card_uid(contact),
        full_name=contact.name,
        family=family,
        given=given,
        emails=tuple(e for e in emails if e),
        phones=tuple(p for p in phones if p),
        organization=text_value(contact.organization_name, "organization")[0],
        role=text_value(contact.role, "role")[0],
        linkedin=linkedin_value(contact.linkedin, "LinkedIn")[0],
        note=f"Referred by {', '.join(referrers)}." if referrers else None,
        aliases=tuple(a for a in aliases if a),
    )


def vcards(career: CareerVault) -> list[tuple[str, str]]:
    """Every contact's card, as (UID, text), in the order of their notes' paths."""
    contacts = sorted(career.contacts, key=lambda contact: contact.path)
    return [(card_uid(c), _sealed(format_vcard(card_fields(c, career)))) for c in contacts]


# Each card carries a digest of itself: a card in a vdir that no longer
# matches its digest was changed by someone else (a phone's sync), and
# vaultkit leaves it alone rather than undo that change.
_DIGEST = "X-VAULTKIT-DIGEST:"


def _sealed(card: str) -> str:
    body, end = card.rsplit("END:VCARD", 1)
    return f"{body}{_DIGEST}{_digest(card)}\r\nEND:VCARD{end}"


def _digest(card: str) -> str:
    return hashlib.sha256(card.encode("utf-8")).hexdigest()[:16]


def changed_elsewhere(text: str) -> bool:
    """Whether a card vaultkit wrote was edited since (its digest, of the card
    without the digest's own line, no longer fits)."""
    start = text.find(_DIGEST)
    if start == -1:
        return True
    line_end = text.find("\r\n", start)
    if line_end == -1:
        return True
    digest = text[start + len(_DIGEST) : line_end].strip()
    return _digest(text[:start] + text[line_end + 2 :]) != digest


@dataclass
class VdirResult:
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # changed by someone else: left alone
    unchanged: int = 0


def write_vcf(target: Path, cards: list[tuple[str, str]]) -> bool:
    """All cards in one file, written atomically; False when it already held
    them. A file that is there and is not a vCard file vaultkit wrote (a note,
    anything else) is never replaced."""
    text = "".join(card for _, card in cards)
    if target.is_dir():
        raise UsageError(f"{target} is a folder; give a file name (or --vdir for a folder)")
    if target.exists():
        if target.read_bytes() == text.encode("utf-8"):
            return False
        if not _written_by_vaultkit(target):
            raise UsageError(
                f"{target} exists and is not a vCard file vaultkit wrote; "
                "nothing was written (choose another --out, or remove it)"
            )
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
            current = target.read_bytes().decode("utf-8", errors="replace")
        except OSError:
            current = None
        if current == text:
            result.unchanged += 1
            continue
        if current is not None and (not _written_by_vaultkit(target) or changed_elsewhere(current)):
            result.kept.append(name)
            continue
        write_atomic(target, text)
        result.written.append(name)
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if entry.name in wanted or not entry.name.endswith(".vcf") or not entry.is_file():
            continue
        path = Path(entry.path)
        if _written_by_vaultkit(path) and not changed_elsewhere(
            path.read_bytes().decode("utf-8", "replace")
        ):
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
