"""`vaultkit mail scan --apply`: the proposed dates written into contact notes.

Each note gets one surgical edit (`done_and_log._edit`): the keys proposed,
and a dated line in its ``## Log`` per message ("2026-11-24: replied by
e-mail: Re: coffee chat"), byte for byte elsewhere, refused when the note
changed since it was read. The messages behind what was written are
remembered in ``.vaultkit/mail-seen.json``, so no later scan counts them
again (a scan without ``--apply`` remembers nothing: it only proposes).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from vaultkit.atomic import write_atomic
from vaultkit.domain.mail_rules import Proposal, message_key
from vaultkit.domain.vocabulary import CONTACT_STATUSES
from vaultkit.notes.frontmatter_edit import EditableNote
from vaultkit.outputs.done_and_log import EditRefused, Recorded, _edit

SEEN_FILE = ".vaultkit/mail-seen.json"
_RANK = {status: i for i, status in enumerate(CONTACT_STATUSES)}


@dataclass
class MailApplied:
    updated: list[Recorded] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def load_seen(root: Path) -> frozenset[str]:
    """The messages earlier ``--apply`` runs counted (none when the file is
    missing or unreadable: the dates already written keep a message from
    counting twice anyway)."""
    try:
        data = json.loads((root / SEEN_FILE).read_text(encoding="utf-8"))
        return frozenset(str(key) for key in data.get("seen", []))
    except (OSError, ValueError, AttributeError):
        return frozenset()


def log_line(proposals: list[Proposal]) -> str:
    """The ``## Log`` entry for one message's proposals to one note."""
    first = proposals[0]
    subject = " ".join(first.message.subject.split()) or "(no subject)"
    keys = {p.key for p in proposals}
    day = first.value.isoformat()
    if "replied_on" in keys:
        what = "replied by e-mail"
    elif "contacted_on" in keys:
        what = "wrote to them by e-mail"
    elif first.incoming:
        what = "e-mail from them"
    else:
        what = "e-mail to them"
    return f"{day}: {what}: {subject}"


def apply_proposals(
    root: Path, proposals: list[Proposal], status: str | None = None
) -> MailApplied:
    """Write ``proposals``, note by note. With ``status``, a contact whose
    reply is recorded moves on to it, when their written status is earlier."""
    result = MailApplied()
    by_note: dict[str, list[Proposal]] = defaultdict(list)
    for proposal in proposals:
        by_note[proposal.path].append(proposal)
    applied: set[str] = set()
    for _path, group in sorted(by_note.items()):
        contact = group[0].contact
        by_message: dict[str, list[Proposal]] = defaultdict(list)
        for proposal in group:
            by_message[message_key(proposal.message)].append(proposal)
        lines = [log_line(ps) for ps in sorted(by_message.values(), key=lambda ps: ps[0].value)]
        replied = any(p.key == "replied_on" for p in group)
        behind = contact.status is None or _RANK.get(contact.status, 0) < _RANK.get(status or "", 0)
        new_status = status if status and replied and behind else None
        changes = [f"{p.key}: {p.value.isoformat()}" for p in group]
        if new_status:
            changes.append(f"status: {contact.status or '(none)'} → {new_status}")

        def change(
            note: EditableNote,
            group: list[Proposal] = group,
            lines: list[str] = lines,
            new_status: str | None = new_status,
        ) -> None:
            for proposal in group:
                note.set_key(proposal.key, proposal.value.isoformat())
            if new_status:
                note.set_key("status", new_status)
            for line in lines:
                note.append_log(line)

        try:
            result.updated.append(_edit(root, contact.note, change, changes))
        except EditRefused as refused:
            result.refused.append(str(refused))
            continue
        applied.update(by_message)
    if applied:
        _remember(root, applied)
    return result


def _remember(root: Path, keys: set[str]) -> None:
    seen = sorted(load_seen(root) | keys)
    target = root / SEEN_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, json.dumps({"version": 1, "seen": seen}, indent=0) + "\n")
