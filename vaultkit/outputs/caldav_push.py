"""`vaultkit calendar push`: the follow-ups on a CalDAV server, one resource per
event, so every phone and desktop subscribed to that calendar has them.

What vaultkit sends is exactly the feed `vaultkit calendar` writes, cut into
one VCALENDAR per event (each with its VTIMEZONE), named after the event's
UID. ``.vaultkit/caldav.json`` remembers, per UID, its address, the server's
ETag and the event's fingerprint, so a push sends only what changed and
deletes only what vaultkit itself created and that left the feed: an event
someone else added to the calendar is never touched. Writes are conditional
(``If-None-Match: *`` to create, ``If-Match`` to replace or delete).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from vaultkit.atomic import write_atomic
from vaultkit.errors import UsageError, VaultkitError
from vaultkit.safepath import state_folder

STATE_FILE = "caldav.json"
PASSWORD_VARIABLE = "VAULTKIT_CALDAV_PASSWORD"
KEYRING_SERVICE = "vaultkit"
TIMEOUT_SECONDS = 20

_COMPONENT = re.compile(r"^BEGIN:(VEVENT|VTODO)\r\n(.*?)^END:\1\r\n", re.M | re.S)
_TIMEZONE = re.compile(r"^BEGIN:VTIMEZONE\r\n.*?^END:VTIMEZONE\r\n", re.M | re.S)


# The caldav and keyring packages are the `caldav` extra: the base install
# leaves them out (with their HTTP/3 stack, cryptography and lxml).
MISSING_EXTRA = (
    "CalDAV needs the caldav extra: pipx install 'vaultkit[caldav]', "
    "or pip install '.[caldav]' in vaultkit's clone and venv"
)


class PushError(VaultkitError):
    """The push could not be done; the message says why, in one line."""


class MissingExtraError(UsageError):
    """CalDAV was asked for, but vaultkit was installed without its extra."""


def require_caldav() -> None:
    """Fail with the one-line install hint, before any work, when the caldav
    extra is missing (an ImportError deep in a push would be a traceback)."""
    try:
        import caldav  # noqa: F401
        import keyring  # noqa: F401
    except ImportError:
        raise MissingExtraError(MISSING_EXTRA) from None


@dataclass(frozen=True)
class Resource:
    uid: str
    fingerprint: str
    text: str

    @property
    def name(self) -> str:
        """The resource's file name on the server: its UID, made URL-safe."""
        return quote(self.uid.replace("@", "_"), safe="") + ".ics"


@dataclass
class PushResult:
    url: str
    sent: int = 0
    deleted: int = 0
    unchanged: int = 0

    def line(self) -> str:
        return f"{self.sent} sent, {self.deleted} deleted, {self.unchanged} unchanged"


def server_address(url: str) -> str:
    """``host:port`` of a server URL, as a person checks it (no scheme, path or password)."""
    parts = urlsplit(url)
    if not parts.hostname:
        return url
    try:
        port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    except ValueError:
        port = None
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"{host}:{port}" if port else host


# What the HTTP stacks' messages say, as a few words a person understands: the
# libraries wrap the socket error in several layers of repr().
_NETWORK_REASONS = (
    (("connection refused", "errno 111", "errno 61", "winerror 10061"), "connection refused"),
    (
        (
            "name or service not known",
            "nodename nor servname",
            "getaddrinfo failed",
            "name resolution",
            "no address associated",
            "temporary failure in name",
        ),
        "unknown host name",
    ),
    (("timed out", "timeout"), "no answer (timed out)"),
    (("certificate", "ssl", "tls"), "its TLS certificate could not be verified"),
    (("network is unreachable", "no route to host"), "the network is unreachable"),
    (("connection reset", "remote end closed", "connection aborted"), "the connection was dropped"),
)


def network_reason(error: BaseException) -> str:
    """Why a server could not be reached, in a few words ("connection refused")
    instead of the HTTP library's nested exception text."""
    seen: list[str] = []
    current: BaseException | None = error
    while current is not None and len(seen) < 10:  # the error, what caused it, ...
        seen.append(str(current).lower())
        current = current.__cause__ or current.__context__
    text = " ".join(seen)
    for needles, reason in _NETWORK_REASONS:
        if any(needle in text for needle in needles):
            return reason
    return " ".join(str(error).split())[:160] or type(error).__name__


def resources(feed: str) -> list[Resource]:
    """The feed cut into one calendar per event, each with the time zone it uses."""
    header_end = feed.index("BEGIN:", len("BEGIN:VCALENDAR"))
    header = feed[:header_end]
    zone = _TIMEZONE.search(feed)
    found = []
    for match in _COMPONENT.finditer(feed):
        block = match.group(0)
        unfolded = block.replace("\r\n ", "")
        uid = re.search(r"^UID:(.+?)\r$", unfolded, re.M)
        fingerprint = re.search(r"^X-VAULTKIT-HASH:(.+?)\r$", unfolded, re.M)
        if uid is None or fingerprint is None:
            continue
        uses_zone = zone is not None and ";TZID=" in block
        text = header + (zone.group(0) if uses_zone else "") + block + "END:VCALENDAR\r\n"
        found.append(Resource(uid.group(1), fingerprint.group(1), text))
    return found


def password(url: str, username: str) -> str:
    """From $VAULTKIT_CALDAV_PASSWORD, else the system keyring; never the vault."""
    value = os.environ.get(PASSWORD_VARIABLE)
    if value:
        return value
    try:
        import keyring

        value = keyring.get_password(KEYRING_SERVICE, f"{username}@{url}")
    except Exception:  # no keyring backend on this machine
        value = None
    if not value:
        raise PushError(
            f"no password for {username} at {url}: run `vaultkit calendar login` "
            f"or set ${PASSWORD_VARIABLE}"
        )
    return value


def store_password(url: str, username: str, secret: str) -> None:
    try:
        import keyring

        keyring.set_password(KEYRING_SERVICE, f"{username}@{url}", secret)
    except Exception as error:
        raise PushError(
            f"the system keyring is not available ({error}); set ${PASSWORD_VARIABLE} instead"
        ) from None


class CalDavTarget:
    """One CalDAV calendar, reached with the vault's [caldav] settings."""

    def __init__(self, url: str, username: str, secret: str, calendar: str) -> None:
        self.url, self.username, self.calendar_name = url, username, calendar
        self._secret = secret
        self._client: Any = None
        self.calendar_url: str | None = None

    def _fail(self, error: BaseException) -> PushError:
        from caldav.lib import error as dav_error

        if isinstance(error, dav_error.AuthorizationError):
            return PushError(
                f"{self.url} refused user {self.username!r}: wrong user name or "
                "password (iCloud needs an app-specific password)"
            )
        if isinstance(error, dav_error.NotFoundError):
            return PushError(f"{self.url}: the calendar {self.calendar_name!r} was not found")
        return PushError(f"cannot reach {server_address(self.url)}: {network_reason(error)}")

    def connect(self) -> None:
        """Find the calendar (by display name or path), creating it when allowed."""
        import caldav

        try:
            self._client = caldav.DAVClient(
                url=self.url, username=self.username, password=self._secret, timeout=TIMEOUT_SECONDS
            )
            principal = self._client.principal()
            for calendar in principal.calendars():
                name = calendar.get_display_name()
                if self.calendar_name in (name, str(calendar.url).rstrip("/").rsplit("/", 1)[-1]):
                    self.calendar_url = str(calendar.url)
                    return
            created = principal.make_calendar(name=self.calendar_name)
            self.calendar_url = str(created.url)
        except PushError:
            raise
        except Exception as error:
            raise self._fail(error) from None

    def _request(
        self, method: str, name: str, body: str | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, str | None]:
        assert self._client is not None and self.calendar_url is not None
        url = self.calendar_url.rstrip("/") + "/" + name
        try:
            if method == "PUT":
                response = self._client.put(url, body, headers or {})
            elif method == "DELETE":
                response = self._client.request(url, "DELETE", "", headers or {})
            else:
                response = self._client.request(url, method, "", headers or {})
        except Exception as error:
            raise self._fail(error) from None
        return response.status, response.headers.get("etag")

    def put(self, resource: Resource, etag: str | None) -> str | None:
        """Create or replace one event; on a stale ETag (someone or something
        changed vaultkit's copy on the server) take the server's and retry once."""
        headers = {"Content-Type": "text/calendar; charset=utf-8"}
        headers.update({"If-Match": etag} if etag else {"If-None-Match": "*"})
        status, new_etag = self._request("PUT", resource.name, resource.text, headers)
        if status == 412:
            _, current = self._request("HEAD", resource.name)
            headers.pop("If-None-Match", None)
            if current:
                headers["If-Match"] = current
            status, new_etag = self._request("PUT", resource.name, resource.text, headers)
        if status not in (200, 201, 204):
            raise PushError(f"{self.url}: the server answered {status} to {resource.name}")
        return new_etag

    def delete(self, name: str, etag: str | None) -> None:
        status, _ = self._request("DELETE", name, headers={"If-Match": etag} if etag else {})
        if status not in (200, 204, 404, 412):
            raise PushError(f"{self.url}: the server answered {status} to deleting {name}")


def push(
    root: Path, feed: str, url: str, username: str, calendar: str, secret: str | None = None
) -> PushResult:
    """Make the server calendar hold exactly the feed's events (vaultkit's own)."""
    require_caldav()
    target = CalDavTarget(url, username, secret or password(url, username), calendar)
    target.connect()
    state_path = state_folder(root, create=False) / STATE_FILE  # never a link out
    state = _read_state(state_path, target.calendar_url or url)
    result = PushResult(target.calendar_url or url)
    current = resources(feed)
    try:
        for resource in current:
            known = state.get(resource.uid)
            if known is not None and known.get("hash") == resource.fingerprint:
                result.unchanged += 1
                continue
            etag = target.put(resource, known.get("etag") if known else None)
            state[resource.uid] = {
                "name": resource.name,
                "etag": etag,
                "hash": resource.fingerprint,
            }
            result.sent += 1
        wanted = {r.uid for r in current}
        for uid in [uid for uid in state if uid not in wanted]:
            if uid.endswith("@vaultkit"):  # only what vaultkit created; never another's
                target.delete(state[uid]["name"], state[uid].get("etag"))
                result.deleted += 1
            del state[uid]
    finally:
        _write_state(state_path, target.calendar_url or url, state)
    return result


def _read_state(path: Path, calendar_url: str) -> dict[str, dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("calendar") != calendar_url:
        return {}  # another calendar: start from nothing rather than delete there
    events = data.get("events")
    return events if isinstance(events, dict) else {}


def _write_state(path: Path, calendar_url: str, state: dict[str, dict[str, Any]]) -> None:
    path.parent.mkdir(exist_ok=True)
    write_atomic(path, json.dumps({"calendar": calendar_url, "events": state}, indent=1))
