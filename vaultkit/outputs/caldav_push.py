"""`vaultkit calendar push`: the follow-ups on a CalDAV server, one resource per
event, so every phone and desktop subscribed to that calendar has them.

What vaultkit sends is the feed `vaultkit calendar` writes, cut into one
calendar object per event: VERSION, PRODID, the VTIMEZONE(s) the event uses
and the VEVENT, without the feed's METHOD (RFC 4791 section 4.1 forbids it in
a stored resource; sabre/dav servers such as Nextcloud and Baikal answer 415).
Each resource is named after its UID (``<hash>-<kind>_vaultkit.ics``).

A push starts from the server's own listing (one PROPFIND, Depth 1, for the
ETags) and compares it with ``.vaultkit/caldav.json`` (per UID: name, ETag
and fingerprint of what vaultkit last stored):

* an event missing on the server (deleted on the phone) is put back;
* an event whose ETag moved was changed on the server by someone else: the
  notes are the truth, so vaultkit's version replaces it (``If-Match`` on the
  listed ETag, so nothing edited after the listing is overwritten blindly);
* vaultkit's own resources (by their name) that left the feed are deleted,
  also with ``If-Match``; anything else in the calendar is never touched;
* with the state file lost or stale, each event costs one request at most
  (a PUT), and strays of notes deleted meanwhile still go;
* when nothing changed, the listing is the only request: no PUT, no DELETE.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from vaultkit.atomic import write_atomic
from vaultkit.errors import UsageError, VaultkitError
from vaultkit.passwords import secret, store_secret
from vaultkit.safepath import state_file

STATE_FILE = "caldav.json"
PASSWORD_VARIABLE = "VAULTKIT_CALDAV_PASSWORD"
KEYRING_SERVICE = "vaultkit"
TIMEOUT_SECONDS = 20

_COMPONENT = re.compile(r"^BEGIN:(VEVENT|VTODO)\r\n(.*?)^END:\1\r\n", re.M | re.S)
_TIMEZONE = re.compile(r"^BEGIN:VTIMEZONE\r\n.*?^END:VTIMEZONE\r\n", re.M | re.S)


# The caldav and keyring packages are the `caldav` extra: the base install
# leaves them out (with their HTTP/3 stack, cryptography and lxml).
MISSING_EXTRA = (  # vaultkit is installed from its clone (another "vaultkit" is on PyPI)
    "CalDAV needs the caldav extra: in vaultkit's clone, .venv/bin/pip install '.[caldav]' "
    "(or pipx install --force '.[caldav]')"
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
    restored: int = 0  # of those sent: deleted on the server, put back
    overwritten: int = 0  # of those sent: changed on the server, replaced by the notes'

    def line(self) -> str:
        text = f"{self.sent} sent, {self.deleted} deleted, {self.unchanged} unchanged"
        if self.restored:
            text += f", {self.restored} restored"
        if self.overwritten:
            text += f", {self.overwritten} changed on the server replaced"
        return text


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


# A feed line as written (a content line and its folded continuations).
_LINE = re.compile(r"[^\r\n]*\r\n(?:[ \t][^\r\n]*\r\n)*")
# What a stored calendar object keeps of the feed's header: no METHOD, and
# none of the feed-wide names and refresh hints.
_OBJECT_HEADER = ("VERSION:", "PRODID:", "CALSCALE:")
_ZONE_ID = re.compile(r"^TZID:(.+?)\r$", re.M)
_USED_ZONE = re.compile(r';TZID=("?)([^";:]+)\1[;:]')
# The names vaultkit gives its resources (`Resource.name` of a UID from
# `ics_render.uid_for`): the only ones a push ever deletes without having put
# them in this run's feed.
_OWN_NAME = re.compile(r"^[0-9a-f]{20}-[A-Za-z0-9._~-]+_vaultkit\.ics$")


def _unfold(text: str) -> str:
    return text.replace("\r\n ", "").replace("\r\n\t", "")


def resources(feed: str) -> list[Resource]:
    """The feed cut into one calendar object per event: VERSION, PRODID, the
    time zones the event uses and the event, without METHOD."""
    header_end = feed.index("BEGIN:", len("BEGIN:VCALENDAR"))
    kept = [
        line for line in _LINE.findall(feed[:header_end]) if line.upper().startswith(_OBJECT_HEADER)
    ]
    header = "BEGIN:VCALENDAR\r\n" + "".join(kept)
    zones: dict[str, str] = {}
    for zone in _TIMEZONE.finditer(feed):
        zone_id = _ZONE_ID.search(_unfold(zone.group(0)))
        if zone_id is not None:
            zones.setdefault(zone_id.group(1), zone.group(0))
    found = []
    for match in _COMPONENT.finditer(feed):
        block = match.group(0)
        unfolded = _unfold(block)
        uid = re.search(r"^UID:(.+?)\r$", unfolded, re.M)
        if uid is None:
            continue
        used = {m.group(2) for m in _USED_ZONE.finditer(unfolded)}
        text = header + "".join(z for i, z in zones.items() if i in used)
        text += block + "END:VCALENDAR\r\n"
        found.append(Resource(uid.group(1), _fingerprint(text), text))
    return found


def _fingerprint(text: str) -> str:
    """What was stored, so any change to it (the event, its time zone, the
    METHOD that older versions sent) is sent again, but not a new PRODID alone:
    an upgrade of vaultkit does not re-upload every event."""
    body = "".join(line for line in _LINE.findall(text) if not line.startswith("PRODID:"))
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:20]


def is_own(name: str) -> bool:
    """Whether a resource name is one vaultkit gives (its UID ends ``@vaultkit``)."""
    return _OWN_NAME.match(name) is not None


def password(url: str, username: str) -> str:
    """From $VAULTKIT_CALDAV_PASSWORD, else the system keyring; never the vault."""
    value = secret(PASSWORD_VARIABLE, KEYRING_SERVICE, f"{username}@{url}")
    if not value:
        raise PushError(
            f"no password for {username} at {url}: run `vaultkit calendar login` "
            f"or set ${PASSWORD_VARIABLE}"
        )
    return value


def store_password(url: str, username: str, value: str) -> None:
    problem = store_secret(KEYRING_SERVICE, f"{username}@{url}", value)
    if problem is not None:
        raise PushError(
            f"the system keyring is not available ({problem}); set ${PASSWORD_VARIABLE} instead"
        )


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

    def _open_client(self) -> None:
        import caldav

        if self._client is None:
            self._client = caldav.DAVClient(
                url=self.url, username=self.username, password=self._secret, timeout=TIMEOUT_SECONDS
            )

    def connect(self) -> None:
        """Find the calendar (by display name or path), creating it when allowed."""
        try:
            self._open_client()
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

    def listing_at(self, calendar_url: str) -> dict[str, str | None] | None:
        """The listing of the calendar where the last push found it, without
        the four requests of discovery; None when no calendar is there now."""
        try:
            self._open_client()
        except Exception as error:
            raise self._fail(error) from None
        self.calendar_url = calendar_url
        found = self._list()
        if found is None:
            self.calendar_url = None
        return found

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

    def listing(self) -> dict[str, str | None]:
        """The calendar's resources, by name, with their ETags: one PROPFIND."""
        found = self._list()
        if found is None:
            raise PushError(f"{self.url}: the calendar {self.calendar_name!r} was not found")
        return found

    def _list(self) -> dict[str, str | None] | None:
        assert self._client is not None and self.calendar_url is not None
        try:
            response = self._client.request(
                self.calendar_url,
                "PROPFIND",
                _LISTING_QUERY,
                {"Depth": "1", "Content-Type": "application/xml; charset=utf-8"},
            )
        except Exception as error:
            raise self._fail(error) from None
        if response.status in (404, 410):
            return None
        if response.status != 207:
            raise PushError(f"{self.url}: the server answered {response.status} to listing")
        listed, is_calendar = _parse_listing(response)
        return listed if is_calendar else None

    def put(self, resource: Resource, etag: str | None, *, create: bool) -> str | None:
        """Create (``If-None-Match: *``) or replace (``If-Match`` on the ETag
        the listing gave) one event. Should the resource have changed since
        the listing (412), the notes are the truth: it is replaced once more,
        unconditionally."""
        headers = {"Content-Type": "text/calendar; charset=utf-8"}
        if create:
            headers["If-None-Match"] = "*"
        elif etag:
            headers["If-Match"] = etag
        status, new_etag = self._request("PUT", resource.name, resource.text, headers)
        if status == 412:
            headers.pop("If-None-Match", None)
            headers.pop("If-Match", None)
            status, new_etag = self._request("PUT", resource.name, resource.text, headers)
        if status not in (200, 201, 204):
            raise PushError(f"{self.url}: the server answered {status} to {resource.name}")
        return new_etag

    def delete(self, name: str, etag: str | None) -> bool:
        """Delete one of vaultkit's resources unless it changed since the
        listing (412: left for the next push to look at again)."""
        status, _ = self._request("DELETE", name, headers={"If-Match": etag} if etag else {})
        if status not in (200, 204, 404, 412):
            raise PushError(f"{self.url}: the server answered {status} to deleting {name}")
        return status != 412


_LISTING_QUERY = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<d:propfind xmlns:d="DAV:"><d:prop><d:getetag/><d:resourcetype/></d:prop></d:propfind>'
)
_DAV = "{DAV:}"
_CALDAV = "{urn:ietf:params:xml:ns:caldav}"


def _parse_listing(response: Any) -> tuple[dict[str, str | None], bool]:
    """Resource name -> ETag (None when the server gives none) from a
    multistatus, leaving out collections; and whether the collection listed
    is a calendar."""
    tree = getattr(response, "tree", None)
    if tree is None:
        from xml.etree import ElementTree

        raw = response.raw
        tree = ElementTree.fromstring(raw.encode("utf-8") if isinstance(raw, str) else raw)
    listed: dict[str, str | None] = {}
    is_calendar = False
    for item in tree.iter(f"{_DAV}response"):
        href = (item.findtext(f"{_DAV}href") or "").strip()
        if item.find(f".//{_DAV}resourcetype/{_CALDAV}calendar") is not None:
            is_calendar = True
            continue
        if not href or href.endswith("/"):
            continue
        if item.find(f".//{_DAV}resourcetype/{_DAV}collection") is not None:
            continue
        etag: str | None = None
        for found in item.iter(f"{_DAV}getetag"):
            etag = (found.text or "").strip() or None
        name = quote(unquote(urlsplit(href).path.rsplit("/", 1)[-1]), safe="")
        listed[name] = etag
    return listed, is_calendar


def push(
    root: Path, feed: str, url: str, username: str, calendar: str, secret: str | None = None
) -> PushResult:
    """Make the server calendar hold exactly the feed's events (vaultkit's own),
    starting from what the server holds."""
    require_caldav()
    target = CalDavTarget(url, username, secret or password(url, username), calendar)
    state_path = state_file(root, STATE_FILE, create=False)  # never a link, nor out
    saved = _read_saved(state_path)
    where = {"server": f"{username}@{url}", "name": calendar}
    remembered = saved.get("calendar")
    listed = None
    if isinstance(remembered, str) and all(saved.get(k) == v for k, v in where.items()):
        listed = target.listing_at(remembered)  # where the last push found it
    if listed is None:
        target.connect()
        listed = target.listing()
    calendar_url = target.calendar_url or url
    state = _events(saved, calendar_url)
    result = PushResult(calendar_url)
    current = resources(feed)
    unknown_etag = False
    try:
        for resource in current:
            known = state.get(resource.uid)
            on_server = resource.name in listed
            server_etag = listed.get(resource.name)
            ours = (
                known is not None
                and known.get("name") == resource.name
                and known.get("etag") is not None
                and known.get("etag") == server_etag
            )
            if ours and known is not None and known.get("hash") == resource.fingerprint:
                result.unchanged += 1
                continue
            if not on_server and known is not None:
                result.restored += 1  # vaultkit had stored it; someone deleted it
            elif on_server and known is not None and not ours:
                result.overwritten += 1  # changed on the server since vaultkit stored it
            etag = target.put(resource, server_etag, create=not on_server)
            unknown_etag = unknown_etag or etag is None
            state[resource.uid] = {
                "name": resource.name,
                "etag": etag,
                "hash": resource.fingerprint,
            }
            result.sent += 1
        wanted = {r.uid for r in current}
        names = {r.name for r in current}
        for name, etag in listed.items():
            if name not in names and is_own(name) and target.delete(name, etag):
                result.deleted += 1
        for uid in [uid for uid in state if uid not in wanted]:
            del state[uid]
        if unknown_etag:  # a server that changed what it stored says no ETag: ask once
            after = target.listing()
            for entry in state.values():
                if entry.get("etag") is None:
                    entry["etag"] = after.get(entry["name"])
    finally:
        _write_state(state_path, {**where, "calendar": calendar_url}, state)
    return result


def _read_saved(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _events(saved: dict[str, Any], calendar_url: str) -> dict[str, dict[str, Any]]:
    """What the last push stored, per UID; nothing when it was another
    calendar (the listing says what is there)."""
    events = saved.get("events")
    if saved.get("calendar") != calendar_url or not isinstance(events, dict):
        return {}
    return {uid: entry for uid, entry in events.items() if isinstance(entry, dict)}


def _write_state(path: Path, where: dict[str, str], state: dict[str, dict[str, Any]]) -> None:
    path.parent.mkdir(exist_ok=True)
    write_atomic(path, json.dumps({**where, "events": state}, indent=1))
