"""The IMAP password: from $VAULTKIT_MAIL_PASSWORD or the system keyring,
never from the vault (vaults are synced and shared). `vaultkit mail login`
stores it in the keyring."""

from __future__ import annotations

from vaultkit.mailbox.message import MailServerError
from vaultkit.passwords import secret, store_secret

PASSWORD_VARIABLE = "VAULTKIT_MAIL_PASSWORD"
KEYRING_SERVICE = "vaultkit-mail"


def _entry(host: str, port: int, username: str) -> str:
    return f"{username}@{host}:{port}"


def mail_password(host: str, port: int, username: str) -> str:
    value = secret(PASSWORD_VARIABLE, KEYRING_SERVICE, _entry(host, port, username))
    if not value:
        raise MailServerError(
            f"no password for {username} at {host}:{port}: run `vaultkit mail login` "
            f"or set ${PASSWORD_VARIABLE}"
        )
    return value


def store_mail_password(host: str, port: int, username: str, value: str) -> None:
    problem = store_secret(KEYRING_SERVICE, _entry(host, port, username), value)
    if problem is not None:
        raise MailServerError(
            f"the system keyring is not available ({problem}); set ${PASSWORD_VARIABLE} instead, "
            "or install vaultkit's mail extra (pip install '.[mail]')"
        )
