"""`.vaultkit.toml`: every setting has a default, so the file is optional.

A value of the wrong kind stops the command with one line naming the key
(``ConfigError``), because running with a setting silently ignored would give
wrong dates; an unknown key is only a warning (`check` shows it), because it is
most often a typo or a setting from a newer version.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from vaultkit.diagnostics import Diagnostic
from vaultkit.errors import ConfigError
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
    """The follow-up rules; PRODUCT.md's defaults."""

    thank_you_within: str = "24h"
    nudge_after: int = 3
    move_on_after: int = 7
    keep_in_touch: str = "90d"
    holidays: str = ""
    holidays_subdivision: str = ""
    include_done: bool = False


@dataclass(frozen=True)
class Calendar:
    path: str = "vaultkit/followups.ics"
    name: str = "Career follow-ups"


@dataclass(frozen=True)
class Dashboard:
    path: str = "vaultkit/Dashboard.md"
    referral_map: str = "vaultkit/Referral map.md"


@dataclass(frozen=True)
class Me:
    """Who the user is, for the email drafts."""

    name: str = ""
    school: str = ""
    field: str = ""


@dataclass(frozen=True)
class Config:
    timezone: str = ""
    folders: Folders = field(default_factory=Folders)
    followups: Followups = field(default_factory=Followups)
    calendar: Calendar = field(default_factory=Calendar)
    dashboard: Dashboard = field(default_factory=Dashboard)
    me: Me = field(default_factory=Me)
    diagnostics: tuple[Diagnostic, ...] = ()

    @property
    def zone(self) -> dt.tzinfo:
        """The vault's time zone: the configured one, else the computer's."""
        if not self.timezone:
            return system_zone()
        return ZoneInfo(self.timezone)


_SECTIONS = {
    "folders": Folders,
    "followups": Followups,
    "calendar": Calendar,
    "dashboard": Dashboard,
    "me": Me,
}


def load_config(root: Path) -> Config:
    """Read ``root/.vaultkit.toml`` if present; raise `ConfigError` on a bad value."""
    path = root / CONFIG_NAME
    try:
        raw_text = path.read_bytes()
    except FileNotFoundError:
        return Config()
    except OSError as exc:
        raise ConfigError(f"{CONFIG_NAME}: cannot read it ({exc.strerror})") from None
    try:
        document = tomllib.loads(raw_text.decode("utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{CONFIG_NAME}: {exc}") from None
    return config_from_mapping(document)


def config_from_mapping(document: dict[str, Any]) -> Config:
    """Build a `Config` from parsed TOML, checking each value's kind."""
    unknown: list[Diagnostic] = []
    values: dict[str, Any] = {}
    for key, value in document.items():
        if key == "timezone":
            values["timezone"] = _check_zone(value)
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
        if isinstance(default, tuple):
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{CONFIG_NAME}: {name}.{key} must be a list of strings")
            value = tuple(value)
        elif isinstance(default, bool):
            if not isinstance(value, bool):
                raise ConfigError(f"{CONFIG_NAME}: {name}.{key} must be true or false")
        elif isinstance(default, int):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ConfigError(f"{CONFIG_NAME}: {name}.{key} must be a whole number")
        elif not isinstance(value, str):
            raise ConfigError(f"{CONFIG_NAME}: {name}.{key} must be a string")
        values[key] = value
    return cls(**values)


def _check_zone(value: Any) -> str:
    if not isinstance(value, str):
        raise ConfigError(f'{CONFIG_NAME}: timezone must be a string such as "Europe/Paris"')
    if value:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(
                f"{CONFIG_NAME}: timezone {value!r} is not a known time zone "
                '(use a name such as "America/New_York")'
            ) from None
    return value


def _unknown(key: str) -> Diagnostic:
    return Diagnostic(
        CONFIG_NAME,
        None,
        "warning",
        "unknown-setting",
        f"{key}: not a vaultkit setting; it is ignored",
    )
