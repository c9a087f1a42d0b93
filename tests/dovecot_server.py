"""A real Dovecot IMAP server for tests: Debian's /usr/sbin/dovecot, run in the
foreground on 127.0.0.1 with its own configuration, state and Maildir in a
test's tmp_path, so neither a system Dovecot nor port 143 matters.

Messages are put into the Maildir as files before the server starts, the way
a delivery agent would; the server's log says, per session, how many header
and body bytes it sent (``hdr_bytes=`` / ``body_bytes=``), which is how the
tests see that a scan never fetched a body.

Running as root (CI) and as a normal user differ, because Dovecot refuses to
run its login process or a mail session as root: as root, imap-login runs as
``dovenull`` (or ``nobody``) in its usual chroot, and the mail session as
``nobody``, chrooted into the mail folder (so it need not traverse the
tmp_path's root-only parents) which is handed to that user just before the
start. As a normal user everything runs as that user, without chroots.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import grp
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

DOVECOT = Path("/usr/sbin/dovecot")
USER = "maya"
PASSWORD = "kestrel-lantern-7"
# A second account whose password is not ASCII (LOGIN cannot carry it). Its
# name is ASCII: Dovecot's auth_username_chars refuses others by default.
UTF8_USER = "zoe"
UTF8_PASSWORD = "grün-lantern"


# What each session's logout line says: bytes in and out, and how many header
# and body bytes the server read out of messages for FETCH.
LOGOUT_FORMAT = (
    "in=%i out=%o hdr_count=%{fetch_hdr_count} hdr_bytes=%{fetch_hdr_bytes} "
    "body_count=%{fetch_body_count} body_bytes=%{fetch_body_bytes}"
)


def require_dovecot() -> None:
    """Skip when Dovecot is not installed, except in CI, where .ci/run installs
    it and its absence is a failure."""
    if os.access(DOVECOT, os.X_OK):
        return
    message = f"{DOVECOT} not installed (Debian package dovecot-imapd; .ci/run installs it)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Dovecot:
    """One Dovecot instance in ``root``: deliver messages, start, stop."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.mail = root / "mail"
        self.log_path = root / "dovecot.log"
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None
        self._count = 0
        for user in (USER, UTF8_USER):
            for folder in ("", ".Sent"):
                for part in ("cur", "new", "tmp"):
                    (self.mail / user / folder / part).mkdir(parents=True, exist_ok=True)

    # -- mail -------------------------------------------------------------

    def deliver(
        self,
        folder: str,
        message: bytes,
        *,
        received: dt.datetime | None = None,
        seen: bool = False,
        user: str = USER,
    ) -> Path:
        """Put one message into ``folder`` (``INBOX`` or ``Sent``) as a
        Maildir file; ``received`` becomes its IMAP INTERNALDATE (the file's
        modification time), which is what SEARCH SINCE compares."""
        box = self.mail / user / ("" if folder == "INBOX" else f".{folder}")
        if not box.is_dir():
            for part in ("cur", "new", "tmp"):
                (box / part).mkdir(parents=True, exist_ok=True)
        self._count += 1
        stamp = received or dt.datetime(2024, 5, 1, 12, tzinfo=dt.UTC)
        name = f"{int(stamp.timestamp())}.M{self._count}P{os.getpid()}.vaultkit"
        path = box / "cur" / f"{name}:2,{'S' if seen else ''}"
        path.write_bytes(message)
        os.utime(path, (stamp.timestamp(), stamp.timestamp()))
        return path

    def flags_on_disk(self, folder: str, user: str = USER) -> list[str]:
        """The Maildir flags of every message file in ``folder``, as the
        server keeps them (``S`` is \\Seen)."""
        box = self.mail / user / ("" if folder == "INBOX" else f".{folder}")
        files = [path for part in ("cur", "new") for path in (box / part).iterdir()]
        return sorted(path.name.partition(":2,")[2] for path in files)

    # -- server -----------------------------------------------------------

    def start(self) -> None:
        """Start on a port the OS had free, retrying with another if Dovecot
        finds it taken meanwhile; return once it greets a client."""
        if os.getuid() == 0:
            uid, gid = _mail_user()
            for path in [self.mail, *self.mail.rglob("*")]:
                os.chown(path, uid, gid)
        last = ""
        for _attempt in range(5):
            self.port = free_port()
            self._write_config()
            self.process = subprocess.Popen(
                [str(DOVECOT), "-c", str(self.root / "dovecot.conf"), "-F"],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=(self.root / "dovecot.stderr").open("ab"),
                start_new_session=True,
            )
            if self._wait_for_greeting():
                return
            last = self.log()[-2000:] + (self.root / "dovecot.stderr").read_text(errors="replace")
            self.stop()
            if "bind(" not in last and "Address already in use" not in last:
                break
        raise RuntimeError(f"Dovecot did not start:\n{last}")

    def stop(self) -> None:
        """Kill the server and every process it started (they share the
        session it was started in): at once, where SIGTERM costs a second."""
        process, self.process = self.process, None
        if process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        # The children die a moment after the master; until the last one has,
        # the port may still take a connection (and drop it).
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
            except OSError:
                return
            time.sleep(0.02)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def sessions(self) -> list[dict[str, int]]:
        """One dict per finished IMAP session, from its logout line:
        ``{"in": ..., "out": ..., "hdr_bytes": ..., "body_bytes": ...}``."""
        found = []
        for line in self.log().splitlines():
            if "Logged out" in line:
                found.append({key: int(value) for key, value in re.findall(r"(\w+)=(\d+)", line)})
        return found

    def _wait_for_greeting(self) -> bool:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                return False
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as client:
                    if client.recv(100).startswith(b"* OK"):
                        return True
            except OSError:
                pass
            time.sleep(0.05)
        return False

    def _write_config(self) -> None:
        root = self.root
        (root / "passwd").write_text(
            f"{USER}:{{PLAIN}}{PASSWORD}::::::\n{UTF8_USER}:{{PLAIN}}{UTF8_PASSWORD}::::::\n",
            encoding="utf-8",
        )
        me = pwd.getpwuid(os.getuid()).pw_name
        my_group = grp.getgrgid(os.getgid()).gr_name
        if os.getuid() == 0:
            login_user = "dovenull" if _exists("dovenull") else "nobody"
            uid, gid = _mail_user()
            # The session chroots into the mail folder ("/chroot/./home").
            users = f"uid={uid} gid={gid} home={self.mail}/./%u"
            chroots = f"valid_chroot_dirs = {self.mail}\n"
            login_chroot = ""  # imap-login keeps its usual chroot, made by root
        else:
            login_user = me
            users = f"uid={os.getuid()} gid={os.getgid()} home={self.mail}/%u"
            # A normal user cannot chroot: not imap-login, nor anvil.
            chroots = ""
            login_chroot = "  chroot =\n"
        (root / "dovecot.conf").write_text(
            f"""# Written by tests/dovecot_server.py for one test.
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {self.log_path}
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
default_internal_user = {me}
default_internal_group = {my_group}
default_login_user = {login_user}
first_valid_uid = 1
mail_location = maildir:~/
{chroots}imap_logout_format = {LOGOUT_FORMAT}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = {users}
}}
namespace inbox {{
  inbox = yes
  mailbox Sent {{
    special_use = \\Sent
  }}
}}
# No growing delay after a wrong password (anvil's "auth penalty", 2 s, 4 s
# ... per client address): the tests try wrong passwords on purpose.
service anvil {{
{login_chroot}  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
service imap-login {{
{login_chroot}  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
""",
            encoding="utf-8",
        )
        shutil.rmtree(root / "run", ignore_errors=True)


def _exists(user: str) -> bool:
    try:
        pwd.getpwnam(user)
    except KeyError:
        return False
    return True


def _mail_user() -> tuple[int, int]:
    """The unprivileged user a mail session runs as when the tests run as root."""
    nobody = pwd.getpwnam("nobody")
    return nobody.pw_uid, nobody.pw_gid
