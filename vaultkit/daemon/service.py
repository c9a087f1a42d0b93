"""`vaultkit daemon`: the watcher in the background, one per vault.

State lives in the vault's ``.vaultkit/`` folder (a dot-folder, so neither
Obsidian nor vaultkit reads it as notes): ``daemon.lock`` (held by whichever
watcher runs, foreground or background, with its pid inside, so a second one
cannot start and a stale pid is never signalled), ``daemon.json`` (when it
started, its last sync and last error) and ``daemon.log`` (rotated).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import logging.handlers
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vaultkit.atomic import write_atomic
from vaultkit.errors import UsageError, VaultkitError
from vaultkit.safepath import StateFolderOutsideError
from vaultkit.safepath import state_file as safe_state_file
from vaultkit.safepath import state_folder as safe_state_folder

STATE_FOLDER = ".vaultkit"
LOG_BYTES = 1_000_000
LOG_BACKUPS = 3
# The line a daemon logs when it cannot record its state, so `start` can tell
# a daemon that runs without a status file from one that did not start.
STATE_UNWRITABLE = "cannot record the daemon's state in .vaultkit/daemon.json:"


def state_folder(root: Path) -> Path:
    """``.vaultkit/``, made when missing; a link out of the vault is refused."""
    try:
        return safe_state_folder(root)
    except StateFolderOutsideError as error:
        raise UsageError(str(error)) from None


def state_file(root: Path, name: str) -> Path:
    """A daemon file in ``.vaultkit/``, never a link (see `safepath.state_file`)."""
    try:
        return safe_state_file(root, name)
    except StateFolderOutsideError as error:
        raise UsageError(str(error)) from None


def setup_logging(verbose: bool, log_file: Path | None = None) -> None:
    """One line per action: to stderr in the foreground, to a rotating file in
    the background."""
    handler: logging.Handler
    if log_file is not None:
        handler = logging.handlers.RotatingFileHandler(
            log_file, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
        )
    else:
        handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%Y-%m-%d %H:%M:%S"))
    logger = logging.getLogger("vaultkit")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.DEBUG if verbose else logging.INFO)
    logger.propagate = False


def reopen_log() -> None:
    """Open the log file again when the one written to is no longer at its
    path (the vault folder was replaced), so `daemon logs` shows what follows."""
    for handler in logging.getLogger("vaultkit").handlers:
        if not isinstance(handler, logging.FileHandler) or handler.stream is None:
            continue
        try:
            on_disk = os.stat(handler.baseFilename)
            held = os.fstat(handler.stream.fileno())
        except OSError:
            on_disk = held = None
        if on_disk is None or held is None or on_disk.st_ino != held.st_ino:
            handler.close()  # reopened (created) at the path by the next line logged


def _try_lock(handle: Any) -> bool:
    """A non-blocking exclusive lock: flock on POSIX, msvcrt on Windows."""
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        except OSError:
            return False
        return True
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


class DaemonLock:
    """An exclusive lock on ``.vaultkit/daemon.lock``, held for a watcher's life,
    with the holder's pid written inside.

    The operating system releases it when the process ends however it ends.
    """

    def __init__(self, root: Path) -> None:
        self.path = root / STATE_FOLDER / "daemon.lock"
        self._handle: Any = None

    def acquire(self) -> bool:
        state_file(self.path.parent.parent, self.path.name)  # made, and never a link
        handle = open(self.path, "a+")  # noqa: SIM115 - held open for the watcher's life
        if not _try_lock(handle):
            handle.close()
            return False
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._handle = handle
        return True

    def follow(self) -> bool:
        """Keep holding the lock that ``status`` and ``stop`` look at. When the
        lock file is no longer the one held (the vault folder was deleted and
        made again, or ``.vaultkit/`` was removed), take the lock at the path
        anew; False when another watcher already holds it there, and this one
        must stop so that one vault never has two."""
        if self._handle is None:
            return False
        try:
            on_disk = os.stat(self.path)
            held = os.fstat(self._handle.fileno())
        except OSError:
            on_disk = held = None
        if (
            on_disk is not None
            and held is not None
            and (on_disk.st_dev, on_disk.st_ino) == (held.st_dev, held.st_ino)
        ):
            return True
        fresh = DaemonLock(self.path.parent.parent)
        try:
            taken = fresh.acquire()
        except OSError:
            return True  # cannot even look (a read-only folder): keep what is held
        if not taken:
            return False
        self.release()
        self._handle = fresh._handle
        return True

    def release(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def holder(self) -> int | None:
        """The pid of the watcher holding the lock, or None when none runs.
        Creates nothing, so it works on a read-only vault."""
        if not self.path.exists():
            return None
        try:
            handle = open(self.path)  # noqa: SIM115 - closed below
        except OSError:
            return None
        try:
            if _try_lock(handle):
                return None  # free: nobody holds it (closing releases our probe)
            text = self.path.read_text(encoding="ascii").strip()
            return int(text) if text.isdigit() else None
        finally:
            handle.close()


@dataclass
class Status:
    running: bool
    pid: int | None
    started: str | None
    last_sync: str | None
    last_changes: list[str]
    last_error: str | None
    last_push: str | None = None
    last_push_error: str | None = None


class StateFile:
    """``.vaultkit/daemon.json``, rewritten atomically after each pass."""

    def __init__(self, root: Path) -> None:
        self.path = state_file(root, "daemon.json")
        self.data: dict[str, Any] = {}
        self._failed = False

    def start(self) -> None:
        self.data = {
            "pid": os.getpid(),
            "started": _now(),
            "last_sync": None,
            "last_changes": [],
            "last_error": None,
        }
        self._save()

    def record_pass(self, lines: list[str]) -> None:
        self.data["last_sync"] = _now()
        if lines:
            self.data["last_changes"] = lines[-20:]
        # The last failed write stays shown until a pass writes without one.
        failed = [ln for ln in lines if ln.startswith("failed") and "caldav push" not in ln]
        if failed:
            self.data["last_error"] = f"{_now()} {' '.join(failed[-1].split())}"
        else:
            self.data["last_error"] = None
        for line in lines:
            if line.startswith("pushed"):
                self.data["last_push"] = f"{_now()} {line}"
                self.data["last_push_error"] = None
            elif line.startswith("failed") and "caldav push" in line:
                self.data["last_push_error"] = f"{_now()} {line}"
        self._save()

    def record_error(self, message: str) -> None:
        self.data["last_error"] = f"{_now()} {message}"
        self._save()

    def _save(self) -> None:
        try:
            write_atomic(self.path, json.dumps(self.data, indent=2) + "\n")
        except OSError as error:  # a full disk must not stop the watcher; said once
            if not self._failed:
                self._failed = True
                logging.getLogger("vaultkit").error(
                    "%s %s", STATE_UNWRITABLE, error.strerror or error
                )
        else:
            self._failed = False

    @staticmethod
    def read(root: Path) -> dict[str, Any]:
        """The state as last written, creating nothing."""
        try:
            data = json.loads((root / STATE_FOLDER / "daemon.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def status(root: Path) -> Status:
    pid = DaemonLock(root).holder()
    data = StateFile.read(root)
    last_error = data.get("last_error")
    if pid is not None:
        last_error = _unrecorded_error(root, data.get("last_sync")) or last_error
    return Status(
        pid is not None,
        pid,
        data.get("started"),
        data.get("last_sync"),
        list(data.get("last_changes") or []),
        last_error,
        data.get("last_push"),
        data.get("last_push_error"),
    )


def _unrecorded_error(root: Path, last_sync: object) -> str | None:
    """A running daemon that could not write ``daemon.json`` (a full disk) has
    said so in its log: the newest such line, when it is newer than the last
    pass the state file records, is the error `status` must show."""
    unwritable = [line for line in log_lines(root, 50) if STATE_UNWRITABLE in line]
    if not unwritable:
        return None
    line = unwritable[-1]
    try:
        logged = dt.datetime.strptime(line[:19], "%Y-%m-%d %H:%M:%S")
        synced = dt.datetime.fromisoformat(str(last_sync)).replace(tzinfo=None)
    except ValueError:
        logged, synced = None, None
    if logged is not None and synced is not None and logged < synced:
        return None  # written since: the state file speaks for itself
    return line[20:].strip()


def _require_posix() -> None:
    if os.name != "posix":
        raise UsageError(
            "the background daemon needs macOS or Linux; run `vaultkit watch` in a terminal instead"
        )


def start(root: Path, *, polling: bool, verbose: bool, wait: float = 15.0) -> Status:
    """Start the watcher detached from this terminal; wait until it has synced once."""
    _require_posix()
    current = status(root)
    if current.running:
        raise UsageError(f"a watcher already runs for this vault (pid {current.pid})")
    log_path = state_file(root, "daemon.log")
    # -P and cwd "/": the vault's own "vaultkit/" output folder must never be
    # mistaken for the vaultkit package.
    command = [
        sys.executable,
        "-P",
        "-m",
        "vaultkit",
        "--vault",
        str(root),
        "watch",
        "--log-file",
        str(log_path),
        "--daemon-state",
    ]
    if polling:
        command.append("--polling")
    if verbose:
        command.append("-v")
    with open(os.devnull, "rb") as devnull, open(log_path, "ab") as log:
        child = subprocess.Popen(
            command, stdin=devnull, stdout=log, stderr=log, start_new_session=True, cwd="/"
        )
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        current = status(root)
        if current.pid == child.pid:
            if StateFile.read(root).get("pid") == child.pid and current.last_sync:
                return current
            unwritable = [line for line in log_lines(root, 20) if STATE_UNWRITABLE in line]
            if unwritable:  # it runs (it holds the lock) but cannot say how it does
                current.last_error = unwritable[-1]
                return current
        if child.poll() is not None:
            break
        time.sleep(0.1)
    if status(root).pid == child.pid:  # running, though slow to finish its first pass
        return status(root)
    error = StateFile.read(root).get("last_error") if child.poll() is not None else None
    tail = log_lines(root, 1)
    reason = error or (tail[0] if tail else None)
    if reason:
        raise VaultkitError(f"the daemon did not start: {reason}")
    raise VaultkitError(f"the daemon did not start, and {_why_no_log(log_path)}")


def _why_no_log(log_path: Path) -> str:
    """What to say when the daemon's log holds nothing: never "see" an empty file."""
    try:
        full = os.statvfs(log_path.parent).f_bavail == 0
    except (OSError, AttributeError):
        full = False
    if full:
        return f"it could not write its log {log_path}: the disk is full"
    return f"its log {log_path} is empty; run `vaultkit watch` to see why"


def stop(root: Path, wait: float = 10.0) -> bool:
    """Ask the watcher to stop (SIGTERM) and wait for it; False if none ran."""
    _require_posix()
    pid = DaemonLock(root).holder()
    if pid is None:
        return False
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if DaemonLock(root).holder() is None:
            return True
        time.sleep(0.05)
    raise VaultkitError(f"the watcher (pid {pid}) did not stop within {wait:.0f} s")


def log_lines(root: Path, count: int) -> list[str]:
    path = root / STATE_FOLDER / "daemon.log"
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read().splitlines()[-count:]
    except FileNotFoundError:
        return []


def unit_file(root: Path, platform: str = sys.platform) -> tuple[Path, str]:
    """Where a login service for this vault goes, and its text: a systemd user
    unit on Linux, a launchd agent on macOS."""
    name = "".join(c if c.isalnum() or c in "-_" else "-" for c in root.name) or "vault"
    command = [sys.executable, "-P", "-m", "vaultkit", "--vault", str(root), "watch"]
    if platform == "darwin":
        from xml.sax.saxutils import escape

        label = f"org.vaultkit.{name}"
        arguments = "".join(f"\n        <string>{escape(part)}</string>" for part in command)
        text = f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
    <key>Label</key>
    <string>{label}</string>
    <key>ProgramArguments</key>
    <array>{arguments}
    </array>
    <key>WorkingDirectory</key>
    <string>/</string>
    <key>RunAtLoad</key>
    <true/>
    <key>KeepAlive</key>
    <dict>
        <key>SuccessfulExit</key>
        <false/>
    </dict>
    <key>StandardErrorPath</key>
    <string>{escape(str(root / STATE_FOLDER / "daemon.log"))}</string>
</dict>
</plist>
"""
        return Path.home() / "Library" / "LaunchAgents" / f"{label}.plist", text
    quoted = " ".join(_systemd_quote(part) for part in command)
    description = root.name.replace("%", "%%")
    text = f"""[Unit]
Description=vaultkit: keep the calendar and dashboards of {description} current

[Service]
ExecStart={quoted}
WorkingDirectory=/
Restart=on-failure
RestartSec=5

[Install]
WantedBy=default.target
"""
    config_home = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return config_home / "systemd" / "user" / f"vaultkit-{name}.service", text


def _systemd_quote(part: str) -> str:
    """One ExecStart word: quoted, with systemd's own specifiers (% and $) escaped."""
    if part and all(c.isalnum() or c in "/._-+=:@" for c in part):
        return part
    escaped = part.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("%", "%%").replace("$", "$$") + '"'
