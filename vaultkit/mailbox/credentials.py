"""The IMAP password: from $VAULTKIT_MAIL_PASSWORD or the system keyring,
never from the vault (vaults are synced and shared). `vaultkit mail login`
stores it in the keyring."""

from __future__ import annotations

import os

from vaultkit.mailbox.message import MailServerError

PASSWORD_VARIABLE = "VAULTKIT_MAIL_PASSWORD"
KEYRING_SERVICE = "vaultkit-mail"


def _entry(host: str, port: int, username: str) -> str:
    return f"{username}@{host}:{port}"


def mail_password(host: str, port: int, username: str) -> str:
    value = os.environ.get(PASSWORD_VARIABLE)
    if value:
        return value
    try:
        import keyring

        value = keyring.get_password(KEYRING_SERVICE, _entry(host, port, username))
    except Exception:  # keyring not installed, or no backend on this machine
        value = None
    if not value:
        raise MailServerError(
            f"no password for {username} at {host}:{port}: run `vaultkit mail login` "
            f"or set ${PASSWORD_VARIABLE}"
        )
    return value


def store_mail_password(host: str, port: int, username: str, secret: str) -> None:
    try:
        import keyring

        keyring.set_password(KEYRING_SERVICE, _entry(host, port, username), secret)
    except Exception as error:
        raise MailServerError(
            f"the system keyring is not available ({error}); set ${PASSWORD_VARIABLE} instead, "
            "or install vaultkit's mail extra (pip install '.[mail]')"
        ) from None
