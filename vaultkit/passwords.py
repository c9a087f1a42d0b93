"""Passwords for servers (CalDAV, IMAP): from an environment variable or the
system keyring, never from the vault, which is synced and shared.

The keyring package is optional (the `caldav` and `mail` extras); without it,
or without a keyring backend on the machine, only the variable is read.
"""

from __future__ import annotations

import os


def secret(variable: str, service: str, entry: str) -> str | None:
    """``$variable`` when set, else the keyring's ``service``/``entry``; None if neither."""
    value = os.environ.get(variable)
    if value:
        return value
    try:
        import keyring

        return keyring.get_password(service, entry) or None
    except Exception:  # keyring not installed, or no backend on this machine
        return None


def store_secret(service: str, entry: str, value: str) -> str | None:
    """Keep ``value`` in the system keyring; the reason when it cannot."""
    try:
        import keyring

        keyring.set_password(service, entry, value)
    except Exception as error:
        return str(error)
    return None
