"""`vaultkit daemon`: the watcher in the background, one per vault.

State lives in the vault's ``.vaultkit/`` folder (a dot-folder, so neither
Obsidian nor vaultkit reads it as notes): ``daemon.lock`` (held while the
daemon runs, so a second one cannot start), ``daemon.json`` (its pid, when it
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

STATE_FOLDER = ".vaultkit"
LOG_BYTES = 1_000_000
LOG_BACKUPS = 3


def state_folder(root: Path) -> Path:
    folder = root / STATE_FOLDER
    folder.mkdir(exist_ok=True)
    return folder


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


class DaemonLock:
    """An exclusive lock on ``.vaultkit/daemon.lock``, held for the daemon's life.

    The operating system releases it when the process ends however it ends,
    so a stale pid file can never block a new daemon.
    """

    def __init__(self, root: Path) -> None:
        self.path = state_folder(root) / "daemon.lock"
        self._handle: Any = None

    def acquire(self) -> bool:
        import fcntl

        handle = open(self.path, "a+")  # noqa: SIM115 - held open for the daemon's life
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        self._handle = handle
        return True

    def release(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def held_by_someone(self) -> bool:
        if self.acquire():
            self.release()
            return False
        return True


@dataclass
class Status:
    running: bool
    pid: int | None
    started: str | None
    last_sync: str | None
    last_changes: list[str]
    last_error: str | None


class StateFile:
    """``.vaultkit/daemon.json``, rewritten atomically after each pass."""

    def __init__(self, root: Path) -> None:
        self.path = state_folder(root) / "daemon.json"
        self.data: dict[str, Any] = {}

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
        self._save()

    def record_error(self, message: str) -> None:
        self.data["last_error"] = f"{_now()} {message}"
        self._save()

    def _save(self) -> None:
        write_atomic(self.path, json.dumps(self.data, indent=2) + "\n")

    def read(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def status(root: Path) -> Status:
    running = DaemonLock(root).held_by_someone()
    data = StateFile(root).read()
    return Status(
        running,
        data.get("pid") if running else None,
        data.get("started"),
        data.get("last_sync"),
        list(data.get("last_changes") or []),
        data.get("last_error"),
    )


def _require_posix() -> None:
    if os.name != "posix":
        raise UsageError(
            "the background daemon needs macOS or Linux; run `vaultkit watch` in a terminal instead"
        )


def start(root: Path, *, polling: bool, verbose: bool, wait: float = 10.0) -> Status:
    """Start the watcher detached from this terminal; wait until it has synced once."""
    _require_posix()
    current = status(root)
    if current.running:
        raise UsageError(f"a daemon already watches this vault (pid {current.pid})")
    folder = state_folder(root)
    command = [
        sys.executable,
        "-m",
        "vaultkit",
        "--vault",
        str(root),
        "watch",
        "--log-file",
        str(folder / "daemon.log"),
        "--daemon-state",
    ]
    if polling:
        command.append("--polling")
    if verbose:
        command.append("-v")
    with open(os.devnull, "rb") as devnull_in, open(os.devnull, "wb") as devnull_out:
        subprocess.Popen(
            command,
            stdin=devnull_in,
            stdout=devnull_out,
            stderr=devnull_out,
            start_new_session=True,
            cwd=root,
        )
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        current = status(root)
        if current.running and current.last_sync:
            return current
        time.sleep(0.1)
    raise VaultkitError(f"the daemon did not start; see {folder / 'daemon.log'}")


def stop(root: Path, wait: float = 5.0) -> bool:
    """Ask the daemon to stop (SIGTERM) and wait for it; False if none ran."""
    _require_posix()
    current = status(root)
    if not current.running or current.pid is None:
        return False
    with contextlib.suppress(ProcessLookupError):
        os.kill(current.pid, signal.SIGTERM)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if not DaemonLock(root).held_by_someone():
            return True
        time.sleep(0.05)
    raise VaultkitError(f"the daemon (pid {current.pid}) did not stop within {wait:.0f} s")


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
    command = [sys.executable, "-m", "vaultkit", "--vault", str(root), "watch"]
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
    <key>RunAtLoad</key>
    <true/>
    <key>KeepAlive</key>
    <true/>
    <key>StandardErrorPath</key>
    <string>{escape(str(root / STATE_FOLDER / "daemon.log"))}</string>
</dict>
</plist>
"""
        return Path.home() / "Library" / "LaunchAgents" / f"{label}.plist", text
    quoted = " ".join(_systemd_quote(part) for part in command)
    text = f"""[Unit]
Description=vaultkit: keep the calendar and dashboards of {root.name} current

[Service]
ExecStart={quoted}
Restart=on-failure
RestartSec=5

[Install]
WantedBy=default.target
"""
    config_home = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return config_home / "systemd" / "user" / f"vaultkit-{name}.service", text


def _systemd_quote(part: str) -> str:
    if part and all(c.isalnum() or c in "/._-+=:@" for c in part):
        return part
    return '"' + part.replace("\\", "\\\\").replace('"', '\\"').replace("%", "%%") + '"'
