"""Obsidian Bases (`.base` files, Obsidian 1.9): the contacts, interviews and
organizations as live tables inside Obsidian, for those who prefer clicking.

Three files beside the dashboard: ``Contacts.base``, ``Interviews.base`` and
``Organizations.base``. Each selects its notes as vaultkit does (the ``type:``
word when it names the kind, else the configured folder), shows the useful
properties as columns, and has views grouped by status; the organizations
have a LAMP view sorted by motivation, posting and advocacy. The syntax is
the documented one (help.obsidian.md, "Bases syntax").

A user may edit a base in Obsidian; vaultkit must then leave it alone. So each
file vaultkit writes starts with a comment line holding a digest of the rest:
a file is rewritten only when it is missing or still carries a mark whose
digest matches its content. Anything else (a file without the mark, one
edited since) is the user's.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from vaultkit.vault.config import Config
from vaultkit.vault.index import TYPE_WORDS

MARK = "# Written by vaultkit sync; edit it and vaultkit leaves it alone. digest: "
_MARK_LINE = re.compile(r"^# Written by vaultkit sync;.* digest: ([0-9a-f]{16})\r?\n")

# Columns: (property, column title).
_CONTACT_COLUMNS = (
    ("file.name", "Name"),
    ("organization", "Organization"),
    ("role", "Role"),
    ("status", "Status"),
    ("warmth", "Warmth"),
    ("source", "Source"),
    ("referred_by", "Referred by"),
    ("contacted_on", "Contacted"),
    ("replied_on", "Replied"),
    ("last_contact", "Last contact"),
    ("next_contact", "Next contact"),
    ("formula.waiting", "Waiting"),
    ("email", "Email"),
)
_INTERVIEW_COLUMNS = (
    ("file.name", "Interview"),
    ("contact", "Contact"),
    ("organization", "Organization"),
    ("date", "Date"),
    ("status", "Status"),
    ("format", "Format"),
    ("thank_you_sent", "Thank-you sent"),
)
_ORGANIZATION_COLUMNS = (
    ("file.name", "Organization"),
    ("motivation", "Motivation (1-5)"),
    ("posting", "Posting (1-3)"),
    ("advocacy", "Advocacy"),
    ("alumni", "Alumni"),
    ("industry", "Industry"),
    ("location", "Location"),
    ("size", "Size"),
    ("website", "Website"),
)


@dataclass(frozen=True)
class BaseFile:
    path: str  # vault-relative
    text: str


def base_files(config: Config, skip: list[str]) -> list[BaseFile]:
    """The three bases for this config, in the dashboard's folder. ``skip``:
    the folders the vault walk skips (`walk.skipped_folders`), left out of
    every base too (a template with ``type: contact`` is no contact)."""
    folder = PurePosixPath(config.dashboard.path).parent
    folders = config.folders
    made = [
        ("Contacts", _contacts(folders.people, skip)),
        ("Interviews", _interviews(folders.interviews, skip)),
        ("Organizations", _organizations(folders.organizations, skip)),
    ]
    return [
        BaseFile(str(folder / f"{name}.base") if str(folder) != "." else f"{name}.base", marked(b))
        for name, b in made
    ]


def marked(content: dict[str, Any]) -> str:
    """The file's text: the mark with the digest of what follows, then the YAML."""
    body = _yaml(content)
    return f"{MARK}{digest(body)}\n{body}"


def digest(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]


def is_vaultkits(text: str) -> bool:
    """Whether ``text`` is a base vaultkit wrote and nobody has changed since."""
    found = _MARK_LINE.match(text)
    return found is not None and digest(text[found.end() :]) == found.group(1)


def _q(text: str) -> str:
    """A string literal of the Bases expression language (double quotes; JSON
    escapes are the same for quotes and backslashes)."""
    return json.dumps(text, ensure_ascii=False)


def _selection(kind: str, folder: str, skip: Iterable[str]) -> dict[str, Any]:
    """The notes vaultkit reads as ``kind``: ``type:`` naming the kind, or in
    ``folder`` without a ``type:`` naming another kind; never a template or
    vaultkit's own output."""
    own = [word for word, k in TYPE_WORDS.items() if k == kind]
    other = [word for word, k in TYPE_WORDS.items() if k != kind]
    in_folder: list[Any] = [f"file.inFolder({_q(folder)})"]
    in_folder.append({"not": [f"type == {_q(word)}" for word in other]})
    return {
        "and": [
            'file.ext == "md"',
            {"or": [*(f"type == {_q(word)}" for word in own), {"and": in_folder}]},
            {"not": [f"file.inFolder({_q(path)})" for path in skip if path]},
        ]
    }


def _properties(columns: Iterable[tuple[str, str]]) -> dict[str, Any]:
    return {prop: {"displayName": title} for prop, title in columns}


def _order(columns: Iterable[tuple[str, str]]) -> list[str]:
    return [prop for prop, _ in columns]


def _sort(*pairs: tuple[str, str]) -> list[dict[str, str]]:
    return [{"property": prop, "direction": direction} for prop, direction in pairs]


def _contacts(folder: str, skip: list[str]) -> dict[str, Any]:
    order = _order(_CONTACT_COLUMNS)
    return {
        "filters": _selection("contact", folder, skip),
        "formulas": {
            "waiting": 'if(!contacted_on.isEmpty() && replied_on.isEmpty(), "no reply yet", "")'
        },
        "properties": _properties(_CONTACT_COLUMNS),
        "views": [
            {
                "type": "table",
                "name": "By status",
                "groupBy": {"property": "status", "direction": "ASC"},
                "order": order,
                "sort": _sort(("file.name", "ASC")),
            },
            {
                "type": "table",
                "name": "Waiting for a reply",
                "filters": {"and": ["!contacted_on.isEmpty()", "replied_on.isEmpty()"]},
                "order": order,
                "sort": _sort(("contacted_on", "ASC")),
            },
            {
                "type": "table",
                "name": "All contacts",
                "order": order,
                "sort": _sort(("file.name", "ASC")),
            },
        ],
    }


def _interviews(folder: str, skip: list[str]) -> dict[str, Any]:
    order = _order(_INTERVIEW_COLUMNS)
    return {
        "filters": _selection("interview", folder, skip),
        "properties": _properties(_INTERVIEW_COLUMNS),
        "views": [
            {
                "type": "table",
                "name": "By status",
                "groupBy": {"property": "status", "direction": "ASC"},
                "order": order,
                "sort": _sort(("date", "DESC")),
            },
            {
                "type": "table",
                "name": "Thank-you not sent",
                "filters": {"and": ['status == "done"', "thank_you_sent.isEmpty()"]},
                "order": order,
                "sort": _sort(("date", "DESC")),
            },
            {
                "type": "table",
                "name": "Recent",
                "order": order,
                "sort": _sort(("date", "DESC")),
                "limit": 20,
            },
        ],
    }


def _organizations(folder: str, skip: list[str]) -> dict[str, Any]:
    order = _order(_ORGANIZATION_COLUMNS)
    return {
        "filters": _selection("organization", folder, skip),
        "properties": _properties(_ORGANIZATION_COLUMNS),
        "views": [
            {
                "type": "table",
                "name": "LAMP",
                "order": order,
                "sort": _sort(
                    ("motivation", "DESC"),
                    ("posting", "DESC"),
                    ("advocacy", "DESC"),
                    ("alumni", "DESC"),
                ),
            },
            {
                "type": "table",
                "name": "By industry",
                "groupBy": {"property": "industry", "direction": "ASC"},
                "order": order,
                "sort": _sort(("file.name", "ASC")),
            },
        ],
    }


def _yaml(content: dict[str, Any]) -> str:
    import yaml

    class _Plain(yaml.SafeDumper):
        """No ``&id001`` anchors for the lists views share: each view spelled out,
        as Obsidian writes them."""

        def ignore_aliases(self, data: Any) -> bool:
            return True

    # Block style, keys in the order written (the order Obsidian shows them).
    return yaml.dump(content, Dumper=_Plain, sort_keys=False, allow_unicode=True, width=1000)
