"""Read an IMAP account's headers, and only its headers, with `imap_tools`.

Why this shape:

- Only the header fields a mail scan looks at are asked for
  (``BODY.PEEK[HEADER.FIELDS (...)]``): a 5 MB attachment costs the server a
  look at its header, never a transfer, and nothing of a body reaches memory.
- ``PEEK`` and a read-only ``EXAMINE`` of each folder: a scan must never mark
  the user's unread mail as read, whatever the server does with ``FETCH``.
- Many messages per ``UID FETCH`` (batches of `BATCH` UIDs, sent as ranges),
  not one round trip per message: a 20,000-message folder is 40 commands.
- ``SINCE`` is searched on the server, so an old mailbox is not fetched only
  to be thrown away. IMAP's SINCE compares the date the server received the
  message (its INTERNALDATE, for sent mail the date it was saved), which the
  server has indexed; the Date header is what the rules read afterwards.
- Every failure the user can meet (server down, slow, TLS, password, folder
  name) is one `MailServerError` line naming the server; nothing else leaves
  this module, so the CLI never shows a traceback for a mail server.

The header parser is passed in (`parse`), so this reader knows IMAP and
nothing of header quirks; by default it is `vaultkit.mailbox.headers`'.
"""

from __future__ import annotations

import datetime as dt
import imaplib
import re
import socket
import ssl as _ssl
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Protocol

from vaultkit.mailbox.message import MailServerError, MessageHeaders

# The header fields read, and no others (see the brief's list: who, when, in
# answer to what, and what marks a list, an autoreply or a bounce).
HEADER_FIELDS = (
    "FROM TO CC DATE MESSAGE-ID IN-REPLY-TO REFERENCES SUBJECT LIST-ID LIST-UNSUBSCRIBE "
    "PRECEDENCE AUTO-SUBMITTED X-AUTOREPLY X-AUTORESPOND CONTENT-TYPE RETURN-PATH"
)
FETCH_ITEMS = f"(UID BODY.PEEK[HEADER.FIELDS ({HEADER_FIELDS})])"

# UIDs per UID FETCH: a few hundred KB of headers per answer, a few dozen
# round trips for a large folder.
BATCH = 500

SSL_MODES = ("tls", "starttls", "none")

_UID = re.compile(rb"\bUID (\d+)")
_SPACES = re.compile(r"\s+")


class HeaderParser(Protocol):
    def __call__(self, raw: bytes, *, folder: str = "", where: str = "") -> MessageHeaders: ...


def read_imap(
    host: str,
    port: int,
    username: str,
    password: str,
    folders: tuple[str, ...],
    *,
    since: dt.date | None = None,
    ssl: str = "tls",
    timeout: float = 20.0,
    on_count: Callable[[int], None] | None = None,
    parse: HeaderParser | None = None,
) -> Iterator[MessageHeaders]:
    """Yield the headers of every message in ``folders`` (received on or after
    ``since`` when given), folder by folder, in UID order.

    A folder is named as the server lists it (``INBOX``, ``Sent``,
    ``Archive/2023``) or by its special-use flag (``\\Sent``, ``\\Archive``),
    which finds the sent folder whatever the server calls it; a message's
    ``folder`` is then the server's name. ``INBOX`` matches in any case.
    Folders named twice are read once. All names are checked before the first
    message is read, so a typo fails before anything is reported.

    ``ssl``: ``"tls"`` (port 993, the default), ``"starttls"`` (port 143
    upgraded) or ``"none"`` (plain text, for a server on this machine).
    ``timeout`` bounds the connection and every answer, in seconds.
    ``on_count`` is called after each batch with the messages read so far.

    Raises `MailServerError` (one line) for anything the server or the network
    does wrong, including midway through, when some headers have been yielded.
    """
    if parse is None:
        from vaultkit.mailbox.headers import parse_headers as parse
    server = _name(host, port)
    mailbox = _connect(host, port, ssl, timeout)
    try:
        _login(mailbox, server, username, password, timeout)
        with _talking_to(server, "reading the folder list", timeout):
            names = _resolve(mailbox, server, folders)
        fetched = 0
        for name in names:
            with _talking_to(server, f"opening {name}", timeout):
                mailbox.folder.set(name, readonly=True)
                criteria = _since(since)
                uids = mailbox.uids(criteria, charset=None)
            for batch in _batches(uids, BATCH):
                with _talking_to(server, f"reading {name}", timeout):
                    headers = _fetch_headers(mailbox, batch)
                for uid, raw in headers:
                    yield parse(raw, folder=name, where=f"imap {name} uid {uid}")
                fetched += len(headers)
                if on_count is not None:
                    on_count(fetched)
    finally:
        _logout(mailbox)


def check_login(
    host: str, port: int, username: str, password: str, ssl: str = "tls", timeout: float = 20.0
) -> None:
    """Connect and log in, then log out: what `vaultkit mail login` checks
    before it stores a password. Raises `MailServerError` (one line) when the
    server cannot be reached or refuses the password."""
    mailbox = _connect(host, port, ssl, timeout)
    try:
        _login(mailbox, _name(host, port), username, password, timeout)
    finally:
        _logout(mailbox)


def _name(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _one_line(text: object) -> str:
    """Server and library messages as one short line (they may hold CRLFs or
    the bytes repr of an answer)."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    line = _SPACES.sub(" ", str(text)).strip()
    return line if len(line) <= 200 else line[:199] + "…"


def _server_text(result: object) -> str:
    """The human part of an IMAP answer such as ``('NO', [b'[AUTH...] ...'])``."""
    data = getattr(result, "command_result", result)
    if isinstance(data, tuple) and len(data) == 2 and isinstance(data[1], list):
        parts = [item for item in data[1] if isinstance(item, bytes)]
        return _one_line(b" ".join(parts))
    return _one_line(data)


def _connect(host: str, port: int, ssl: str, timeout: float):  # -> imap_tools.BaseMailBox
    """An open connection, or `MailServerError` saying why there is none."""
    from imap_tools import MailBox, MailBoxStartTls, MailBoxUnencrypted
    from imap_tools.errors import ImapToolsError, MailboxStarttlsError

    server = _name(host, port)
    if ssl not in SSL_MODES:
        raise MailServerError(f'{server}: ssl must be "tls", "starttls" or "none", not {ssl!r}')
    try:
        if ssl == "tls":
            return MailBox(host, port, timeout=timeout, ssl_context=_ssl.create_default_context())
        if ssl == "starttls":
            return MailBoxStartTls(
                host, port, timeout=timeout, ssl_context=_ssl.create_default_context()
            )
        return MailBoxUnencrypted(host, port, timeout=timeout)
    except _ssl.SSLCertVerificationError as error:
        reason = error.verify_message or error.reason or "certificate not trusted"
        raise MailServerError(f"TLS with {server} failed: {_one_line(reason)}") from None
    except _ssl.SSLError as error:
        raise MailServerError(
            f"TLS with {server} failed ({_one_line(error.reason or error)}); "
            f'is it a TLS port? (ssl = "tls" is usually port 993, "starttls" port 143)'
        ) from None
    except (imaplib.IMAP4.error, ImapToolsError) as error:
        # imaplib says "TLS not supported by server" when STARTTLS is not
        # among the capabilities, "Couldn't establish TLS session" on a NO.
        text = _server_text(error)
        if ssl == "starttls" and ("TLS" in text.upper() or isinstance(error, MailboxStarttlsError)):
            raise MailServerError(f"{server} does not offer STARTTLS ({text})") from None
        if isinstance(error, imaplib.IMAP4.abort):
            raise _network_error(server, error, "connecting", timeout) from None
        raise MailServerError(f"{server} does not answer like an IMAP server: {text}") from None
    except Exception as error:
        raise _network_error(server, error, "connecting", timeout) from None


def _network_error(
    server: str, error: BaseException, doing: str, timeout: float
) -> MailServerError:
    """The one line for a socket-level failure; anything unforeseen still
    becomes one line rather than a traceback."""
    if isinstance(error, TimeoutError):
        return MailServerError(f"{server} did not answer within {timeout:g} s while {doing}")
    if isinstance(error, ConnectionRefusedError):
        return MailServerError(f"cannot reach {server}: connection refused")
    if isinstance(error, socket.gaierror):
        return MailServerError(f"cannot reach {server}: no such host")
    if isinstance(error, _ssl.SSLError):
        return MailServerError(f"TLS with {server} failed while {doing}: {_one_line(error)}")
    if isinstance(error, imaplib.IMAP4.abort):
        return MailServerError(f"{server} closed the connection while {doing}: {_one_line(error)}")
    if isinstance(error, (ConnectionError, EOFError)):
        return MailServerError(f"{server} closed the connection while {doing}")
    if isinstance(error, OSError):
        reason = error.strerror or type(error).__name__
        return MailServerError(f"cannot reach {server}: {_one_line(reason).lower()}")
    return MailServerError(f"{server} failed while {doing}: {_one_line(error) or type(error)}")


@contextmanager
def _talking_to(server: str, doing: str, timeout: float) -> Iterator[None]:
    """Turn whatever a command raises into `MailServerError` naming the server
    and what was being done; a `MailServerError` passes through, and so do
    KeyboardInterrupt and GeneratorExit (not the server's doing)."""
    from imap_tools.errors import UnexpectedCommandStatusError

    try:
        yield
    except MailServerError:
        raise
    except UnexpectedCommandStatusError as error:
        raise MailServerError(f"{server} refused while {doing}: {_server_text(error)}") from None
    except imaplib.IMAP4.abort as error:
        raise _network_error(server, error, doing, timeout) from None
    except imaplib.IMAP4.error as error:
        raise MailServerError(f"{server} refused while {doing}: {_one_line(error)}") from None
    except Exception as error:
        raise _network_error(server, error, doing, timeout) from None


def _login(mailbox, server: str, username: str, password: str, timeout: float) -> None:
    """LOGIN, or AUTHENTICATE PLAIN when the name or password is not ASCII
    (LOGIN's strings are ASCII only in imaplib)."""
    from imap_tools.errors import MailboxLoginError

    capabilities = {str(c).upper() for c in getattr(mailbox.client, "capabilities", ())}
    with _talking_to(server, "logging in", timeout):
        try:
            if username.isascii() and password.isascii():
                mailbox.login(username, password, initial_folder=None)
            else:
                mailbox.login_utf8(username, password, initial_folder=None)
        except (MailboxLoginError, imaplib.IMAP4.error) as error:
            if isinstance(error, imaplib.IMAP4.abort):
                raise
            text = _server_text(error).upper()
            if "PRIVACYREQUIRED" in text or "LOGINDISABLED" in capabilities:
                raise MailServerError(
                    f"{server} accepts no password over an unencrypted connection; "
                    'use ssl = "tls" or "starttls"'
                ) from None
            if "UNAVAILABLE" in text:
                raise MailServerError(
                    f"{server} cannot log you in now: {_server_text(error)}"
                ) from None
            raise MailServerError(f"{server} refused the password for {username}") from None


def _logout(mailbox) -> None:
    """Say goodbye if the connection still stands; a failure here changes
    nothing for the user, so it is not reported."""
    try:
        # After a server stopped answering, do not wait the whole timeout again.
        mailbox.client.sock.settimeout(2.0)
        mailbox.client.logout()
    except Exception:
        with suppress(Exception):
            mailbox.client.shutdown()


def _resolve(mailbox, server: str, folders: Iterable[str]) -> list[str]:
    """The server's names for ``folders``, each once, in the order asked; one
    unknown name fails them all, listing the folders the server has."""
    listed = [
        info
        for info in mailbox.folder.list()
        if not {"\\NOSELECT", "\\NONEXISTENT"} & {flag.upper() for flag in info.flags}
    ]
    names: list[str] = []
    for wanted in folders:
        found = _match(listed, wanted)
        if found is None:
            have = ", ".join(_listing(listed)) or "no folders"
            raise MailServerError(f"no folder {wanted!r} on {server}; it has: {have}")
        if found not in names:
            names.append(found)
    return names


def _match(listed, wanted: str) -> str | None:
    for info in listed:
        if info.name == wanted:
            return info.name
    if wanted.upper() == "INBOX":
        for info in listed:
            if info.name.upper() == "INBOX":
                return info.name
    if wanted.startswith("\\"):
        for info in listed:
            if wanted.upper() in {flag.upper() for flag in info.flags}:
                return info.name
    return None


def _listing(listed) -> list[str]:
    """Folder names for an error message, INBOX first, each special-use one
    with its flag (``Sent Items (\\Sent)``), so the user sees what to type."""
    special = {"\\SENT", "\\ARCHIVE", "\\DRAFTS", "\\JUNK", "\\TRASH", "\\ALL", "\\FLAGGED"}
    out = []
    for info in sorted(listed, key=lambda info: (info.name.upper() != "INBOX", info.name)):
        flags = [flag for flag in info.flags if flag.upper() in special]
        out.append(f"{info.name} ({' '.join(flags)})" if flags else info.name)
    return out


def _since(since: dt.date | None):
    if since is None:
        return "ALL"
    from imap_tools import AND

    return AND(date_gte=since)


def _batches(uids: Sequence[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(uids), size):
        yield list(uids[start : start + size])


def _uid_set(uids: Sequence[str]) -> str:
    """``1,2,3,7,9,10`` as ``1:3,7,9:10``: a short command line for a batch."""
    numbers = sorted({int(uid) for uid in uids})
    runs: list[str] = []
    start = previous = numbers[0]
    for number in [*numbers[1:], None]:
        if number is not None and number == previous + 1:
            previous = number
            continue
        runs.append(str(start) if start == previous else f"{start}:{previous}")
        if number is not None:
            start = previous = number
    return ",".join(runs)


def _fetch_headers(mailbox, uids: Sequence[str]) -> list[tuple[str, bytes]]:
    """(uid, raw header block) for one batch, in UID order.

    imaplib hands each FETCH answer as ``(b'7 (UID 42 BODY[...] {312}',
    header bytes)`` followed by ``b')'`` (or ``b' UID 42)'`` when the server
    puts the UID last). Answers without our header part (a flag change
    another client made meanwhile) are not messages and are left out.
    """
    from imap_tools.errors import MailboxFetchError
    from imap_tools.utils import check_command_status

    if not uids:
        return []
    result = mailbox.client.uid("FETCH", _uid_set(uids), FETCH_ITEMS)
    check_command_status(result, MailboxFetchError)
    found: dict[int, bytes] = {}
    data = [item for item in result[1] if item is not None]
    for index, item in enumerate(data):
        if not isinstance(item, tuple) or len(item) < 2:
            continue
        prefix, raw = item[0], item[1]
        if b"HEADER.FIELDS" not in prefix.upper():
            continue
        uid = _UID.search(prefix)
        if uid is None and index + 1 < len(data) and isinstance(data[index + 1], bytes):
            uid = _UID.search(data[index + 1])
        if uid is None:
            continue
        found[int(uid.group(1))] = raw if isinstance(raw, bytes) else b""
    return [(str(uid), found[uid]) for uid in sorted(found)]
