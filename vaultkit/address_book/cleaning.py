"""Cleaning what an address book holds before it reaches a note.

Exports are written by other programs and edited in spreadsheets, so a cell
may hold a pasted line break, a spreadsheet formula (``=HYPERLINK(…)``,
``+cmd|' /C calc'!A0``), a ``javascript:`` link, or a name no file may carry.
Each function returns the cleaned value, or None with a sentence saying why
the value was left out; none of them raises.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote, urlsplit

# Characters that start a formula in Excel, LibreOffice and Google Sheets.
# ``=`` always does; ``+ - @`` only matter with something to call or evaluate
# after them, and alone they start phone numbers ("+1 555 0100") and handles.
_FORMULA_CALL = re.compile(r"[(!|]")
# The local part may hold an apostrophe (o'brien@example.com); the domain may not.
_EMAIL = re.compile(r"^[^@\s<>\",;:\[\]]+@[^@\s<>\"',;:\[\]]+\.[^@\s<>\"',;:\[\]]+$")
_PHONE = re.compile(r"^\+?[0-9 ()./\-]{3,}(?:\s*(?:x|ext\.?)\s*[0-9]+)?$", re.IGNORECASE)
_SAFE_SCHEMES = ("http", "https")


def clean_text(value: str | None) -> str | None:
    """Free text as one line: NFC, control characters and line breaks as
    spaces, blanks collapsed; empty is None. Says nothing about formulas
    (see `text_value`)."""
    if value is None:
        return None
    if value.isascii() and value.isprintable():  # nearly every cell
        return " ".join(value.split()) or None
    value = unicodedata.normalize("NFC", value)
    # Control characters and line breaks become spaces; invisible format
    # characters (a zero-width space, a right-to-left override that would
    # reverse a file name on screen) go.
    kept = []
    for c in value:
        category = unicodedata.category(c)
        if category in ("Cc", "Zl", "Zp"):
            kept.append(" ")
        elif category != "Cf" or c in "\u200c\u200d":  # joiners belong to some scripts' words
            kept.append(c)
    value = "".join(kept)
    value = " ".join(value.split())
    return value or None


# A leading sign followed by arithmetic is a formula too (``-2+3``). Only text
# (a name, a company, a role) is judged so: ``+1-555-0100`` is a phone number.
_ARITHMETIC = re.compile(r"^[+\-@].*[+\-*/^&=]")


def is_formula(value: str) -> bool:
    """Whether a spreadsheet would run the text ``value`` as a formula."""
    if value.startswith("="):
        return True
    if value[:1] not in ("+", "-", "@"):
        return False
    return _FORMULA_CALL.search(value) is not None or _ARITHMETIC.match(value) is not None


def text_value(value: str | None, what: str) -> tuple[str | None, str | None]:
    """Free text for a note (a name, a company, a role): cleaned, or left out
    with a reason when it is a spreadsheet formula."""
    cleaned = clean_text(value)
    if cleaned is not None and is_formula(cleaned):
        return None, f"{what} {_shown(cleaned)} looks like a spreadsheet formula; left out"
    return cleaned, None


def url_value(value: str | None, what: str) -> tuple[str | None, str | None]:
    """A web address: http or https only (``javascript:``, ``data:``,
    ``file:`` links are left out); ``www.example.com`` gains ``https://``."""
    cleaned = clean_text(value)
    if cleaned is None:
        return None, None
    cleaned = cleaned.replace(" ", "")
    if "://" not in cleaned and re.match(r"^[a-z][a-z0-9+.\-]*:", cleaned, re.IGNORECASE):
        scheme = cleaned.split(":", 1)[0].lower()
        if scheme not in _SAFE_SCHEMES:
            return None, f"{what} {_shown(cleaned)} is not a web address; left out"
    if "://" not in cleaned:
        cleaned = "https://" + cleaned.lstrip("/")
    parts = urlsplit(cleaned)
    if parts.scheme.lower() not in _SAFE_SCHEMES or not parts.hostname or "." not in parts.hostname:
        return None, f"{what} {_shown(cleaned)} is not a web address; left out"
    return cleaned, None


def linkedin_value(value: str | None, what: str) -> tuple[str | None, str | None]:
    """A LinkedIn profile address: a web address on linkedin.com."""
    url, problem = url_value(value, what)
    if url is None:
        return None, problem
    host = (urlsplit(url).hostname or "").lower()
    if host != "linkedin.com" and not host.endswith(".linkedin.com"):
        return None, f"{what} {_shown(url)} is not a LinkedIn address; left out"
    return url, None


def normalise_linkedin(url: str) -> str:
    """The form two LinkedIn addresses are compared in: no scheme, no
    ``www.``, lower case, no query, fragment or final slash
    (``https://www.LinkedIn.com/in/Jane-Doe/`` → ``linkedin.com/in/jane-doe``); a
    country's or the mobile site, percent-encoding and a profile's sub-pages
    (``/details/experience``) make no difference either."""
    parts = urlsplit(url if "://" in url else "https://" + url)
    host = (parts.hostname or "").lower()
    if host.endswith(".linkedin.com"):  # www., a country's (uk.), the mobile site (m.)
        host = "linkedin.com"
    path = unquote(parts.path).rstrip("/").lower()
    # A profile's own pages (/in/jane/details/experience) are the profile.
    profile = re.match(r"^(/in/[^/]+|/pub/[^/]+(?:/[^/]+){0,3})", path)
    return host + (profile.group(1) if profile and path.startswith("/in/") else path)


def email_value(value: str | None, what: str) -> tuple[str | None, str | None]:
    """One e-mail address (``mailto:`` dropped), or left out with a reason."""
    cleaned = clean_text(value)
    if cleaned is None:
        return None, None
    if cleaned.lower().startswith("mailto:"):
        cleaned = cleaned[len("mailto:") :]
    cleaned = cleaned.strip("<> ")
    if not _EMAIL.match(cleaned):
        return None, f"{what} {_shown(cleaned)} is not an e-mail address; left out"
    return cleaned, None


def normalise_email(address: str) -> str:
    """The form two addresses are compared in (case-insensitive, as people type them)."""
    return unicodedata.normalize("NFC", address).strip().casefold()


def phone_value(value: str | None, what: str) -> tuple[str | None, str | None]:
    """A phone number as written (``+1 (555) 010-0100``, ``tel:`` dropped)."""
    cleaned = clean_text(value)
    if cleaned is None:
        return None, None
    if cleaned.lower().startswith("tel:"):
        cleaned = cleaned[len("tel:") :].strip()
    if not _PHONE.match(cleaned):
        return None, f"{what} {_shown(cleaned)} is not a phone number; left out"
    return cleaned, None


def _shown(value: str, limit: int = 40) -> str:
    """A value quoted for a message, cut when long."""
    return repr(value if len(value) <= limit else value[: limit - 1] + "…")
