"""Front-matter key names as people write them, mapped to the names vaultkit uses.

Vaults come from many conventions: ``Referred By`` (Obsidian's property
editor), ``referred-by`` (Jekyll habits), ``company`` (CRM templates). All of
them mean one key; this module is the single place that says which.
"""

from __future__ import annotations

import re

SYNONYMS: dict[str, str] = {
    "org": "organization",
    "organisation": "organization",
    "company": "organization",
    "employer": "organization",
    "referrer": "referred_by",
    "introduced_by": "referred_by",
    "met_through": "referred_by",
    "people": "contact",
    "person": "contact",
    "alias": "aliases",
    "tag": "tags",
}

_SEPARATORS = re.compile(r"[\s\-_]+")


_seen: dict[str, str] = {}


def normalise_key(raw: str) -> str:
    """``Referred By`` → ``referred_by``; then synonyms → their canonical name.

    Memoised: a vault uses a few dozen distinct spellings across thousands of notes.
    """
    key = _seen.get(raw)
    if key is None:
        key = _SEPARATORS.sub("_", raw.strip().lower()).strip("_")
        key = SYNONYMS.get(key, key)
        if len(_seen) < 10_000:
            _seen[raw] = key
    return key
