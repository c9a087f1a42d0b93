"""`.vaultkit.toml`: every setting has a default, so the file is optional.

A value of the wrong kind stops the command with one line naming the key
(``ConfigError``), because running with a setting silently ignored would give
wrong dates; an unknown key is only a warning (`check` shows it), because it is
most often a typo or a setting from a newer version.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from vaultkit.diagnostics import Diagnostic
from vaultkit.errors import ConfigError
from vaultkit.notes import typed_values
from vaultkit.notes.limits import MAX_NOTE_BYTES
from vaultkit.notes.typed_values import ValueProblem
from vaultkit.safepath import is_inside
from vaultkit.vault.timezone import system_zone

CONFIG_NAME = ".vaultkit.toml"


@dataclass(frozen=True)
class Folders:
    """Where each kind of note lives, and what vaultkit never reads as notes."""

    people: str = "People"
    organizations: str = "Organizations"
    interviews: str = "Interviews"
    templates: str = "Templates/vaultkit"
    output: str = "vaultkit"
    ignore: tuple[str, ...] = ()


@dataclass(frozen=True)
class Followups:
    """The follow-up rules, with the defaults the README documents."""

    thank_you_within: str = "24h"
    nudge_after: int = 3
    move_on_after: int = 7
    keep_in_touch: str = "90d"
    holidays: str = ""
    holidays_subdivision: str = ""
    include_done: bool = False
    tasks: str | tuple[str, ...] = "career"
    """Which notes' dated tasks are follow-ups: ``"career"``, ``"all"``, or a
    tuple of ``#tags`` and folders that count on top of the career notes."""


@dataclass(frozen=True)
class Calendar:
    path: str = "vaultkit/followups.ics"
    name: str = "Career follow-ups"
    alarm_before: str = "30min"  # the reminder before each interview
    refresh_every: str = "1h"  # how often subscribed clients should re-read the file


@dataclass(frozen=True)
class Dashboard:
    path: str = "vaultkit/Dashboard.md"
    referral_map: str = "vaultkit/Referral map.md"


@dataclass(frozen=True)
class CalDav:
    """Where `vaultkit calendar push` sends the follow-ups. No password here:
    vaults are synced and shared; it comes from $VAULTKIT_CALDAV_PASSWORD or the
    system keyring (`vaultkit calendar login`)."""

    url: str = ""
    username: str = ""
    calendar: str = ""  # a display name or a path; default: [calendar] name


@dataclass(frozen=True)
class Mail:
    """Where `vaultkit mail scan` reads replies from: an IMAP account (no
    password here: $VAULTKIT_MAIL_PASSWORD or the system keyring, through
    `vaultkit mail login`), and local mail folders (Maildir, mbox, .eml)
    the daemon scans besides. With ``scan_every`` the daemon scans on its
    own, and writes what it finds only when ``apply`` is true."""

    host: str = ""
    port: int = 993
    username: str = ""
    security: str = "tls"  # "tls" (port 993), "starttls" (port 143) or "none" (a local test server)
    folders: tuple[str, ...] = ("INBOX", "Sent")
    sent_folders: tuple[str, ...] = ()  # folders whose mail you sent, besides the usual names
    paths: tuple[str, ...] = ()  # local mail: Maildir folders, mbox files, folders of .eml
    scan_every: str = ""  # "15m": the daemon scans this often
    apply: bool = False

    def scan_interval(self) -> dt.timedelta | None:
        """``scan_every`` as a length of time; None when unset."""
        return scan_interval(self.scan_every) if self.scan_every else None


def scan_interval(text: str) -> dt.timedelta | None:
    """How often to scan: a span (``2h``, ``90min``), where ``15m`` means
    minutes (a scan is never months apart)."""
    text = text.strip()
    if re.fullmatch(r"\d+\s*m", text):
        text = text.rstrip("m").strip() + "min"
    return typed_values.span(text)


@dataclass(frozen=True)
class NewNotes:
    """How `vaultkit new` behaves."""

    open: bool = False  # open each new note in Obsidian (where a desktop is present)


@dataclass(frozen=True)
class Me:
    """Who the user is, for the email drafts."""

    name: str = ""
    school: str = ""
    field: str = ""
    email: tuple[str, ...] = ()  # your own addresses: mail from them is mail you sent


@dataclass(frozen=True)
class Config:
    timezone: str = ""
    max_note_size: int = MAX_NOTE_BYTES
    """Bytes; a larger note has only its front-matter read (``check`` warns)."""
    folders: Folders = field(default_factory=Folders)
    followups: Followups = field(default_factory=Followups)
    calendar: Calendar = field(default_factory=Calendar)
    dashboard: Dashboard = field(default_factory=Dashboard)
    me: Me = field(default_factory=Me)
    new: NewNotes = field(default_factory=NewNotes)
    caldav: CalDav = field(default_factory=CalDav)
    mail: Mail = field(default_factory=Mail)
    diagnostics: tuple[Diagnostic, ...] = ()
    zone: dt.tzinfo = field(default_factory=lambda: system_zone()[0], compare=False)
    """The vault's time zone: ``timezone`` when set, else the computer's."""


_SECTIONS = {
    "folders": Folders,
    "followups": Followups,
    "calendar": Calendar,
    "dashboard": Dashboard,
    "me": Me,
    "new": NewNotes,
    "caldav": CalDav,
    "mail": Mail,
}


MAX_CONFIG_BYTES = 1 << 20  # a settings file; anything larger is not one


def load_config(root: Path) -> Config:
    """Read ``root/.vaultkit.toml`` if present; raise `ConfigError` on a bad value."""
    path = root / CONFIG_NAME
    if path.is_symlink() and not is_inside(path, root):
        raise ConfigError(f"{CONFIG_NAME}: is a link to a file outside the vault; not read")
    try:
        if path.exists() and not path.is_file():  # a FIFO would block every command
            raise ConfigError(f"{CONFIG_NAME}: is not a regular file; not read")
        if path.exists() and path.stat().st_size > MAX_CONFIG_BYTES:
            raise ConfigError(f"{CONFIG_NAME}: over {MAX_CONFIG_BYTES // 1024} KB; not read")
        raw_text = path.read_bytes()
    except FileNotFoundError:
        return Config()
    except OSError as exc:
        raise ConfigError(f"{CONFIG_NAME}: cannot read it ({exc.strerror})") from None
    try:
        document = tomllib.loads(raw_text.decode("utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{CONFIG_NAME}: {exc}") from None
    except RecursionError:  # x = [[[[... thousands deep: tomllib recurses per level
        raise ConfigError(f"{CONFIG_NAME}: nests too deeply to read") from None
    return config_from_mapping(document)


def config_from_mapping(document: dict[str, Any]) -> Config:
    """Build a `Config` from parsed TOML, checking each value's kind."""
    unknown: list[Diagnostic] = []
    values: dict[str, Any] = {}
    if not document.get("timezone"):
        zone, named = system_zone()
        values["zone"] = zone
        if not named:
            unknown.append(
                Diagnostic(
                    CONFIG_NAME,
                    None,
                    "warning",
                    "no-timezone",
                    "timezone: not set, and this computer's time zone has no name, so "
                    "times across a daylight-saving change may be an hour off; "
                    'set timezone = "Area/City"',
                )
            )
    for key, value in document.items():
        if key == "timezone":
            values["timezone"] = _check_zone(value)
            if value:
                values["zone"] = ZoneInfo(value)
        elif key == "max_note_size":
            values["max_note_size"] = _byte_size(key, value)
        elif key in _SECTIONS:
            if not isinstance(value, dict):
                raise ConfigError(f"{CONFIG_NAME}: [{key}] must be a table of settings")
            values[key] = _section(key, _SECTIONS[key], value, unknown)
        else:
            unknown.append(_unknown(key))
    return Config(**values, diagnostics=tuple(unknown))


def _section(name: str, cls: type, table: dict[str, Any], unknown: list[Diagnostic]) -> Any:
    defaults = cls()
    known = {f.name: getattr(defaults, f.name) for f in fields(cls)}
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in known:
            unknown.append(_unknown(f"{name}.{key}"))
            continue
        default = known[key]
        if (name, key) == ("followups", "tasks"):
            values[key] = _task_scope(value)
            continue
        if (name, key) == ("me", "email") and isinstance(value, str):
            value = [value]  # one address, or a list of them
        if (name, key) == ("mail", "port"):
            if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 65536:
                raise ConfigError(f"{CONFIG_NAME}: mail.port must be a port number (993, 143)")
            values[key] = value
            continue
        if (name, key) == ("mail", "security") and value not in ("tls", "starttls", "none"):
            raise ConfigError(f'{CONFIG_NAME}: mail.security must be "tls", "starttls" or "none"')
        if isinstance(default, tuple):
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{CONFIG_NAME}: {name}.{key} must be a list of strings")
            value = tuple(value)
        elif isinstance(default, bool):
            if not isinstance(value, bool):
                raise ConfigError(f"{CONFIG_NAME}: {name}.{key} must be true or false")
        elif isinstance(default, int):
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 365:
                raise ConfigError(
                    f"{CONFIG_NAME}: {name}.{key} must be a whole number from 0 to 365"
                )
        elif not isinstance(value, str):
            raise ConfigError(f"{CONFIG_NAME}: {name}.{key} must be a string")
        reader = _READABLE.get((name, key))
        if reader is not None and value != "":
            try:
                reader(value)
            except ValueProblem as problem:
                raise ConfigError(f"{CONFIG_NAME}: {name}.{key}: {problem}") from None
        if (name, key) in _VAULT_PATHS:
            value = (
                tuple(_vault_path(f"{name}.{key}", v) for v in value)
                if isinstance(value, tuple)
                else _vault_path(f"{name}.{key}", value)
            )
        values[key] = value
    return cls(**values)


# Settings whose text must mean something; read here so a typo stops every
# command with one line instead of surfacing as wrong dates later.
_READABLE: dict[tuple[str, str], Any] = {
    ("followups", "thank_you_within"): typed_values.span,
    ("followups", "keep_in_touch"): typed_values.cadence,
    ("calendar", "alarm_before"): typed_values.span,
    ("calendar", "refresh_every"): typed_values.span,
    ("mail", "scan_every"): scan_interval,
}

_VAULT_PATHS = {
    ("folders", "people"),
    ("folders", "organizations"),
    ("folders", "interviews"),
    ("folders", "templates"),
    ("folders", "output"),
    ("folders", "ignore"),
    ("calendar", "path"),
    ("dashboard", "path"),
    ("dashboard", "referral_map"),
}


def _vault_path(key: str, value: str) -> str:
    """A folder or file inside the vault, as ``a/b`` (no ``./``, no slashes at the
    ends). Absolute paths and ``..`` are refused: vaultkit never reads or
    writes outside the vault, whatever the config says. A folder of notes or
    output must be named, and not hidden (``.obsidian``), or vaultkit would
    write where it never reads."""
    parts = [part for part in value.replace("\\", "/").split("/") if part not in ("", ".")]
    if value.startswith(("/", "\\")) or (len(value) > 1 and value[1] == ":") or ".." in parts:
        raise ConfigError(f"{CONFIG_NAME}: {key} must be a path inside the vault, not {value!r}")
    if key != "folders.ignore" and (not parts or any(p.startswith(".") for p in parts)):
        raise ConfigError(
            f"{CONFIG_NAME}: {key} must name a folder or file that is not hidden, not {value!r}"
        )
    return "/".join(parts)


def _task_scope(value: Any) -> str | tuple[str, ...]:
    """``[followups] tasks``: "career", "all", or a list of ``#tags`` and folders
    whose notes' tasks count besides the career ones (a list adds to "career";
    "all" in it means all). Tags are kept lower-case without ``#``'s case
    mattering; folders as vault paths."""
    if value in ("career", "all"):
        return str(value)
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(
            f'{CONFIG_NAME}: followups.tasks must be "career", "all" or a list of '
            '#tags and folders, such as ["#job", "Projects/Career"]'
        )
    if "all" in value:
        return "all"
    entries: list[str] = []
    for entry in value:
        entry = entry.strip()
        if entry == "career":
            continue
        if entry.startswith("#"):
            tag = entry.lstrip("#").strip("/").casefold()
            if not tag:
                raise ConfigError(f"{CONFIG_NAME}: followups.tasks: {entry!r} names no tag")
            entries.append("#" + tag)
        else:
            entries.append(_vault_path("followups.tasks", entry))
    return tuple(entries)


def _check_zone(value: Any) -> str:
    if not isinstance(value, str):
        raise ConfigError(f'{CONFIG_NAME}: timezone must be a string such as "Europe/Paris"')
    if value:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            raise ConfigError(
                f"{CONFIG_NAME}: timezone {value!r} is not a known time zone "
                '(use a name such as "America/New_York")'
            ) from None
    return value


_SIZE = re.compile(r"(?i)^\s*(\d+(?:\.\d+)?)\s*(b|bytes?|kb|kib|mb|mib|gb|gib)?\s*$")
_UNITS = {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30}


def _byte_size(key: str, value: Any) -> int:
    """``5000000``, ``"5 MB"``, ``"800kB"``: a size in bytes, at least 1 kB
    (below that no front-matter fits)."""
    size: float | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        size = value
    elif isinstance(value, str) and (match := _SIZE.match(value)):
        unit = (match.group(2) or "b")[0].lower()
        size = float(match.group(1)) * _UNITS.get(unit, 1)
    if size is None or size < 1024:
        raise ConfigError(
            f'{CONFIG_NAME}: {key} must be a size such as "5 MB" or a number of bytes '
            f"(at least 1024), not {value!r}"
        )
    return int(size)


def _unknown(key: str) -> Diagnostic:
    return Diagnostic(
        CONFIG_NAME,
        None,
        "warning",
        "unknown-setting",
        f"{key}: not a vaultkit setting; it is ignored",
    )
