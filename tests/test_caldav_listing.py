"""`vaultkit calendar push` starts from the server's own listing: against a
real Radicale (started by the test) behind a small counting proxy, so each
scenario can say how many requests it cost and on which resources."""

from __future__ import annotations

import datetime as dt
import http.client
import re
import shutil
import threading
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests import test_caldav
from tests.conftest import REPO, invoke
from tests.test_caldav import Server

FIXTURE = REPO / "tests" / "fixtures" / "calendar-vault"
AS_OF = "2026-11-21"
_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}
DENTIST = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//other//EN\r\nBEGIN:VEVENT\r\n"
    "UID:dentist@example.com\r\nDTSTAMP:20261121T000000Z\r\nDTSTART;VALUE=DATE:20261130\r\n"
    "SUMMARY:Dentist\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


class CountingProxy:
    """Forwards every request to Radicale and records (method, path, depth),
    leaving out the 401s of the HTTP authentication handshake (the first
    request of each push, repeated with the credentials)."""

    def __init__(self, upstream: int) -> None:
        self.requests: list[tuple[str, str, str]] = []
        self.challenges = 0
        self.etag_on_put = True  # sabre/dav gives none when it changed what it stored
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def forward(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP}
                upstream_connection = http.client.HTTPConnection("127.0.0.1", upstream, timeout=20)
                try:
                    upstream_connection.request(self.command, self.path, body, headers)
                    answer = upstream_connection.getresponse()
                    data = answer.read()
                finally:
                    upstream_connection.close()
                if answer.status == 401:
                    proxy.challenges += 1
                else:
                    seen = (self.command, unquote(self.path), self.headers.get("Depth", ""))
                    proxy.requests.append(seen)
                self.send_response(answer.status, answer.reason)
                hidden = set(_HOP)
                if self.command == "PUT" and not proxy.etag_on_put:
                    hidden.add("etag")
                for key, value in answer.getheaders():
                    if key.lower() not in hidden:
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)

        for method in ("GET", "HEAD", "PUT", "DELETE", "PROPFIND", "REPORT", "OPTIONS"):
            setattr(Handler, f"do_{method}", Handler.forward)
        for method in ("MKCALENDAR", "PROPPATCH", "MKCOL", "POST"):
            setattr(Handler, f"do_{method}", Handler.forward)
        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.http.server_address[1]}/"
        self.thread = threading.Thread(target=self.http.serve_forever, daemon=True)
        self.thread.start()

    def take(self) -> list[tuple[str, str, str]]:
        taken, self.requests = self.requests, []
        return taken

    def close(self) -> None:
        self.http.shutdown()
        self.http.server_close()


server = test_caldav.server  # the same Radicale, started per test


@pytest.fixture
def proxy(server: Server) -> Iterator[CountingProxy]:
    counting = CountingProxy(server.port)
    try:
        yield counting
    finally:
        counting.close()


@pytest.fixture
def vault(tmp_path: Path, proxy: CountingProxy, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "calendar-vault"
    shutil.copytree(FIXTURE, root)
    with (root / ".vaultkit.toml").open("a", encoding="utf-8") as config:
        config.write(
            f'\n[caldav]\nurl = "{proxy.url}"\nusername = "maya"\ncalendar = "Career follow-ups"\n'
        )
    monkeypatch.setenv("VAULTKIT_CALDAV_PASSWORD", "secret")
    return root


def push(root: Path, as_of: str = AS_OF) -> str:
    result = invoke(root, "calendar", "push", "--as-of", as_of)
    assert result.exit_code == 0, result.output
    return result.stdout


def feed_events(root: Path) -> dict[str, object]:
    import icalendar

    text = (root / "vaultkit" / "followups.ics").read_bytes()
    return {str(e["UID"]): e for e in icalendar.Calendar.from_ical(text).walk("VEVENT")}


def stored(server: Server) -> dict[str, tuple[str, str, str]]:
    """UID -> (resource name, ETag, data as stored), read back one by one."""
    found = {}
    for event in server.calendar().events():
        event.load()
        uid = str(event.icalendar_component["UID"])
        name = unquote(str(event.url).rstrip("/").rsplit("/", 1)[-1])
        found[uid] = (name, event.props.get("{DAV:}getetag", ""), event.data)
    return found


def in_utc(value: dt.date) -> dt.date:
    if isinstance(value, dt.datetime):
        assert value.tzinfo is not None, "a timed event without a zone"
        return value.astimezone(dt.UTC)
    return value


def per_resource(requests: list[tuple[str, str, str]]) -> Counter[str]:
    return Counter(path.rsplit("/", 1)[-1] for _, path, _ in requests if path.endswith(".ics"))


def methods(requests: list[tuple[str, str, str]]) -> Counter[str]:
    return Counter(method for method, _, _ in requests)


@pytest.mark.slow
def test_each_stored_resource_is_one_event_without_method(vault: Path, server: Server) -> None:
    assert "(9 sent, 0 deleted, 0 unchanged)" in push(vault)
    back = stored(server)
    assert back.keys() == feed_events(vault).keys()
    for name, _, data in back.values():
        lines = data.replace("\r\n", "\n").split("\n")
        assert not [line for line in lines if line.upper().startswith("METHOD")], name
        assert "VERSION:2.0" in lines and any(line.startswith("PRODID:") for line in lines)
        assert data.count("BEGIN:VEVENT") == 1 and data.count("BEGIN:VCALENDAR") == 1
        assert ("TZID=" in data) == ("BEGIN:VTIMEZONE" in data), name


@pytest.mark.slow
def test_times_are_right_after_radicale_rewrote_the_zone(vault: Path, server: Server) -> None:
    import icalendar
    import vobject

    push(vault)
    feed_text = (vault / "vaultkit" / "followups.ics").read_text(encoding="utf-8")
    # vobject (so Radicale) reads only the first date of an RDATE line that
    # lists several: the feed's zone has one change per rule or line.
    assert not re.search(r"^RDATE[^\r\n]*,", feed_text, re.M)
    feed = feed_events(vault)
    for uid, (name, _, data) in stored(server).items():
        expected = feed[uid]
        event = vobject.readOne(data).vevent
        for key, attribute in (("DTSTART", "dtstart"), ("DTEND", "dtend")):
            truth = in_utc(expected[key].dt)  # type: ignore[index]
            assert in_utc(getattr(event, attribute).value) == truth, (name, key, "vobject")
            component = icalendar.Calendar.from_ical(data).walk("VEVENT")[0]
            assert in_utc(component[key].dt) == truth, (name, key, "icalendar")


@pytest.mark.slow
def test_an_event_deleted_or_changed_on_the_server_is_put_back(
    vault: Path, server: Server, proxy: CountingProxy
) -> None:
    push(vault)
    back = stored(server)
    gone_uid, edited_uid = sorted(back)[:2]
    calendar = server.calendar()
    for event in calendar.events():
        uid = str(event.icalendar_component["UID"])
        if uid == gone_uid:
            event.delete()  # as a phone would
        elif uid == edited_uid:
            event.icalendar_component["SUMMARY"] = "moved on my phone"
            event.save()
    proxy.take()
    line = push(vault)
    assert "(2 sent, 0 deleted, 7 unchanged, 1 restored, 1 changed on the server replaced)" in line
    requests = proxy.take()
    assert methods(requests)["PUT"] == 2 and methods(requests)["DELETE"] == 0
    assert per_resource(requests) == {back[gone_uid][0]: 1, back[edited_uid][0]: 1}
    now = stored(server)
    assert now.keys() == feed_events(vault).keys()
    assert "moved on my phone" not in now[edited_uid][2]
    assert "(0 sent, 0 deleted, 9 unchanged)" in push(vault)


@pytest.mark.slow
def test_a_lost_state_file_costs_one_request_per_event_and_clears_the_strays(
    vault: Path, server: Server, proxy: CountingProxy
) -> None:
    push(vault)
    server.calendar().save_event(DENTIST)  # someone else's event, straight to the server
    dentist = stored(server)["dentist@example.com"]
    before = set(feed_events(vault))
    (vault / ".vaultkit" / "caldav.json").unlink()  # a new laptop
    (vault / "Interviews" / "2026-12-02 Lou Chen.md").unlink()  # and a note gone meanwhile
    proxy.take()
    line = push(vault)
    requests = proxy.take()
    after = feed_events(vault)
    strays = before - set(after)
    assert strays, "deleting the note should take events out of the feed"
    assert f"({len(after)} sent, {len(strays)} deleted, 0 unchanged)" in line
    counts = per_resource(requests)
    assert max(counts.values()) == 1  # one request per event at most
    assert methods(requests)["PUT"] == len(after)
    assert methods(requests)["DELETE"] == len(strays)
    collection = unquote(urlsplit(str(server.calendar().url)).path)
    assert requests.count(("PROPFIND", collection, "1")) == 1  # the listing, once
    assert dentist[0] not in counts  # never a request on someone else's event
    now = stored(server)
    assert now.keys() == set(after) | {"dentist@example.com"}
    assert now["dentist@example.com"][1] == dentist[1]

    proxy.take()
    assert f"(0 sent, 0 deleted, {len(after)} unchanged)" in push(vault)
    unchanged = proxy.take()
    assert methods(unchanged)["PUT"] == 0 and methods(unchanged)["DELETE"] == 0
    assert unchanged == [("PROPFIND", collection, "1")]  # the listing alone


@pytest.mark.slow
def test_a_server_that_gives_no_etag_on_put_is_listed_once_more(
    vault: Path, server: Server, proxy: CountingProxy
) -> None:
    proxy.etag_on_put = False
    push(vault)
    proxy.take()
    assert "(0 sent, 0 deleted, 9 unchanged)" in push(vault)
    assert methods(proxy.take()) == {"PROPFIND": 1}
