"""`read_imap` and `check_login` against a real Dovecot on 127.0.0.1 (see
tests/dovecot_server.py): headers only, nothing marked read, SINCE on the
server, big folders in batches, and one line for each way a server fails."""

from __future__ import annotations

import datetime as dt
import email
import email.utils
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from imap_tools import MailBoxUnencrypted

from tests.dovecot_server import PASSWORD, USER, UTF8_PASSWORD, UTF8_USER, Dovecot, require_dovecot
from vaultkit.mailbox import imap
from vaultkit.mailbox.imap import check_login, read_imap
from vaultkit.mailbox.message import MailServerError, MessageHeaders


class StandIn:
    """A tiny header parser for these tests (the real one is
    `vaultkit.mailbox.headers`): Message-ID, Subject and From with the
    standard library, and every raw header block it was given, kept."""

    def __init__(self) -> None:
        self.raw: list[bytes] = []

    def __call__(self, raw: bytes, *, folder: str = "", where: str = "") -> MessageHeaders:
        self.raw.append(raw)
        message = email.message_from_bytes(raw)
        senders = email.utils.getaddresses(message.get_all("From", []))
        return MessageHeaders(
            message_id=str(message.get("Message-ID", "")).strip().strip("<>"),
            date=None,
            from_addresses=tuple(address.lower() for _name, address in senders),
            to_addresses=(),
            subject=str(message.get("Subject", "")),
            folder=folder,
            where=where,
        )


def mail(n: int, *, sender: str = "jane@example.com", body: bytes = b"Hello.\r\n") -> bytes:
    return (
        f"From: Jane Doe <{sender}>\r\n"
        f"To: Maya Lin <maya@example.org>\r\n"
        f"Subject: Message {n}\r\n"
        f"Date: Wed, 01 May 2024 12:00:00 +0000\r\n"
        f"Message-ID: <m{n}@example.com>\r\n"
        f"X-Private-Note: not for vaultkit\r\n"
        f"\r\n"
    ).encode() + body


def scan(server: Dovecot, folders: tuple[str, ...], **options) -> list[MessageHeaders]:
    options.setdefault("parse", StandIn())
    return list(read_imap("127.0.0.1", server.port, USER, PASSWORD, folders, ssl="none", **options))


def sessions(server: Dovecot, count: int) -> list[dict[str, int]]:
    """The server's logout lines, once ``count`` sessions have ended (its log
    process writes them a moment after the client has gone)."""
    deadline = time.monotonic() + 10
    while len(found := server.sessions()) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return found


@pytest.fixture
def dovecot(tmp_path: Path) -> Iterator[Dovecot]:
    """A Dovecot not started yet: the test delivers its messages, then starts it."""
    require_dovecot()
    server = Dovecot(tmp_path / "dovecot")
    yield server
    server.stop()


@pytest.mark.slow
@pytest.mark.realclock
def test_inbox_and_sent_are_read_and_only_the_listed_headers_reach_the_parser(
    dovecot: Dovecot,
) -> None:
    for n in (1, 2, 3):
        dovecot.deliver("INBOX", mail(n, body=b"BODY-MARKER should never be fetched\r\n"))
    dovecot.deliver("Sent", mail(4, sender="maya@example.org"), seen=True)
    dovecot.start()
    parser = StandIn()

    found = scan(dovecot, ("INBOX", "Sent"), parse=parser)

    assert [(m.folder, m.message_id, m.subject, m.where) for m in found] == [
        ("INBOX", "m1@example.com", "Message 1", "imap INBOX uid 1"),
        ("INBOX", "m2@example.com", "Message 2", "imap INBOX uid 2"),
        ("INBOX", "m3@example.com", "Message 3", "imap INBOX uid 3"),
        ("Sent", "m4@example.com", "Message 4", "imap Sent uid 1"),
    ]
    assert found[0].from_addresses == ("jane@example.com",)
    assert found[3].from_addresses == ("maya@example.org",)
    for raw in parser.raw:
        assert b"Subject:" in raw and b"Date:" in raw
        assert b"X-Private-Note" not in raw  # not one of the headers vaultkit reads
        assert b"BODY-MARKER" not in raw and b"Hello." not in raw


@pytest.mark.slow
@pytest.mark.realclock
def test_the_sent_folder_can_be_named_by_its_special_use_flag(dovecot: Dovecot) -> None:
    dovecot.deliver("INBOX", mail(1))
    dovecot.deliver("Sent", mail(2, sender="maya@example.org"), seen=True)
    dovecot.start()

    by_flag = scan(dovecot, ("\\Sent",))
    # The same folder asked for three ways is read once; "inbox" is INBOX.
    each_once = scan(dovecot, ("Sent", "\\Sent", "inbox"))

    assert [(m.folder, m.subject) for m in by_flag] == [("Sent", "Message 2")]
    assert [(m.folder, m.subject) for m in each_once] == [
        ("Sent", "Message 2"),
        ("INBOX", "Message 1"),
    ]


@pytest.mark.slow
@pytest.mark.realclock
def test_a_five_megabyte_message_costs_its_header_only(dovecot: Dovecot) -> None:
    attachment = b"QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=\r\n" * (5 * 1024 * 1024 // 38)
    dovecot.deliver("INBOX", mail(1, body=attachment))
    dovecot.deliver("INBOX", mail(2))
    dovecot.start()

    started = time.monotonic()
    found = scan(dovecot, ("INBOX",))
    elapsed = time.monotonic() - started

    assert [m.subject for m in found] == ["Message 1", "Message 2"]
    [session] = sessions(dovecot, 1)
    assert session["body_bytes"] == 0 and session["body_count"] == 0
    assert session["hdr_count"] == 2
    assert session["out"] < 20_000, session  # the server sent kilobytes, not 5 MB
    assert elapsed < 5


@pytest.mark.slow
@pytest.mark.realclock
def test_since_is_searched_on_the_server_by_the_date_received(dovecot: Dovecot) -> None:
    for n, day in ((1, dt.date(2023, 6, 1)), (2, dt.date(2024, 1, 1)), (3, dt.date(2024, 3, 9))):
        received = dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)
        dovecot.deliver("INBOX", mail(n), received=received)
    dovecot.start()

    found = scan(dovecot, ("INBOX",), since=dt.date(2024, 1, 1))

    assert [m.subject for m in found] == ["Message 2", "Message 3"]
    [session] = sessions(dovecot, 1)
    assert session["hdr_count"] == 2  # the old message was not fetched at all


@pytest.mark.slow
@pytest.mark.realclock
def test_a_scan_leaves_unread_mail_unread(dovecot: Dovecot) -> None:
    for n in (1, 2, 3):
        dovecot.deliver("INBOX", mail(n))
    dovecot.deliver("INBOX", mail(4), seen=True)
    dovecot.start()

    assert len(scan(dovecot, ("INBOX",))) == 4

    assert dovecot.flags_on_disk("INBOX") == ["", "", "", "S"]
    with MailBoxUnencrypted("127.0.0.1", dovecot.port) as mailbox:
        mailbox.login(USER, PASSWORD, initial_folder="INBOX")
        flags = {m.subject: m.flags for m in mailbox.fetch(mark_seen=False, headers_only=True)}
    # Not even \\Recent was taken: the user's own mail program, the first to
    # open the folder for real, still sees the three as new and unread.
    assert flags == {
        "Message 1": ("\\Recent",),
        "Message 2": ("\\Recent",),
        "Message 3": ("\\Recent",),
        "Message 4": ("\\Seen", "\\Recent"),
    }


@pytest.mark.slow
@pytest.mark.realclock
def test_a_wrong_password_is_one_line_naming_server_and_user(dovecot: Dovecot) -> None:
    dovecot.start()
    expected = f"127.0.0.1:{dovecot.port} refused the password for {USER}"

    with pytest.raises(MailServerError) as scanning:
        next(
            read_imap(
                "127.0.0.1", dovecot.port, USER, "wrong", ("INBOX",), ssl="none", parse=StandIn()
            )
        )
    with pytest.raises(MailServerError) as checking:
        check_login("127.0.0.1", dovecot.port, USER, "wrong", "none", 5.0)

    assert str(scanning.value) == expected
    assert str(checking.value) == expected
    assert check_login("127.0.0.1", dovecot.port, USER, PASSWORD, "none", 5.0) is None


@pytest.mark.slow
@pytest.mark.realclock
def test_a_password_that_is_not_ascii_logs_in(dovecot: Dovecot) -> None:
    dovecot.deliver("INBOX", mail(1), user=UTF8_USER)
    dovecot.start()

    check_login("127.0.0.1", dovecot.port, UTF8_USER, UTF8_PASSWORD, "none", 5.0)
    found = list(
        read_imap(
            "127.0.0.1",
            dovecot.port,
            UTF8_USER,
            UTF8_PASSWORD,
            ("INBOX",),
            ssl="none",
            parse=StandIn(),
        )
    )
    assert [m.subject for m in found] == ["Message 1"]
    with pytest.raises(MailServerError, match=r"refused the password for zoe$"):
        check_login("127.0.0.1", dovecot.port, UTF8_USER, "grün-wrong", "none", 5.0)


@pytest.mark.slow
@pytest.mark.realclock
def test_a_stopped_server_is_one_line(dovecot: Dovecot) -> None:
    dovecot.start()
    dovecot.stop()

    with pytest.raises(MailServerError) as caught:
        scan(dovecot, ("INBOX",))

    assert str(caught.value) == f"cannot reach 127.0.0.1:{dovecot.port}: connection refused"


@pytest.mark.slow
@pytest.mark.realclock
def test_a_server_that_goes_away_midway_is_one_line(
    dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imap, "BATCH", 10)
    for n in range(25):
        dovecot.deliver("INBOX", mail(n))
    dovecot.start()
    messages = read_imap(
        "127.0.0.1", dovecot.port, USER, PASSWORD, ("INBOX",), ssl="none", parse=StandIn()
    )
    first = next(messages)
    dovecot.stop()

    with pytest.raises(MailServerError) as caught:
        list(messages)

    assert first.subject == "Message 0"
    assert str(caught.value).startswith(f"127.0.0.1:{dovecot.port} closed the connection")
    assert "while reading INBOX" in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.slow
@pytest.mark.realclock
def test_an_unknown_folder_fails_before_any_message_listing_the_folders(dovecot: Dovecot) -> None:
    dovecot.deliver("INBOX", mail(1))
    dovecot.start()
    parser = StandIn()

    with pytest.raises(MailServerError) as caught:
        scan(dovecot, ("INBOX", "Snt"), parse=parser)

    assert str(caught.value) == (
        f"no folder 'Snt' on 127.0.0.1:{dovecot.port}; it has: INBOX, Sent (\\Sent)"
    )
    assert parser.raw == []  # INBOX, named first and right, was not read either
    [session] = sessions(dovecot, 1)
    assert session["hdr_count"] == 0


@pytest.mark.slow
@pytest.mark.realclock
def test_two_thousand_messages_come_in_batches_with_progress(dovecot: Dovecot) -> None:
    for n in range(2000):
        dovecot.deliver("INBOX", mail(n))
    for n in range(2000, 2100):
        dovecot.deliver("Sent", mail(n, sender="maya@example.org"), seen=True)
    dovecot.start()
    counts: list[int] = []

    started = time.monotonic()
    found = scan(dovecot, ("INBOX", "Sent"), on_count=counts.append)
    elapsed = time.monotonic() - started

    assert len(found) == 2100
    assert len({m.where for m in found}) == 2100
    assert {m.message_id for m in found} == {f"m{n}@example.com" for n in range(2100)}
    assert counts == [500, 1000, 1500, 2000, 2100]  # after each batch, across folders
    [session] = sessions(dovecot, 1)
    assert session["hdr_count"] == 2100 and session["body_bytes"] == 0
    assert elapsed < 20


@pytest.mark.slow
@pytest.mark.realclock
def test_tls_against_a_plain_text_server_is_one_line(dovecot: Dovecot) -> None:
    dovecot.start()
    server = f"127.0.0.1:{dovecot.port}"

    with pytest.raises(MailServerError) as tls:
        next(
            read_imap(
                "127.0.0.1", dovecot.port, USER, PASSWORD, ("INBOX",), ssl="tls", parse=StandIn()
            )
        )
    with pytest.raises(MailServerError) as starttls:
        check_login("127.0.0.1", dovecot.port, USER, PASSWORD, "starttls", 5.0)

    assert str(tls.value).startswith(f"TLS with {server} failed")
    assert "is it a TLS port?" in str(tls.value)
    assert str(starttls.value).startswith(f"{server} does not offer STARTTLS")
    assert "\n" not in str(tls.value) + str(starttls.value)


@pytest.mark.realclock
def test_a_server_that_never_answers_times_out_in_one_line() -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()  # connections complete, but no greeting ever comes
        port = silent.getsockname()[1]
        started = time.monotonic()
        with pytest.raises(MailServerError) as caught:
            check_login("127.0.0.1", port, USER, PASSWORD, "none", 0.3)
        elapsed = time.monotonic() - started

    assert str(caught.value) == f"127.0.0.1:{port} did not answer within 0.3 s while connecting"
    assert elapsed < 3


def test_an_unknown_ssl_mode_is_one_line() -> None:
    with pytest.raises(MailServerError) as caught:
        check_login("127.0.0.1", 1, USER, PASSWORD, "yes")

    assert str(caught.value) == (
        '127.0.0.1:1: ssl must be "tls", "starttls" or "none", not \'yes\''
    )


@pytest.mark.slow
@pytest.mark.realclock
def test_mail_scan_reads_the_configured_account_and_says_when_it_cannot(
    dovecot: Dovecot, tmp_path: Path
) -> None:
    from tests.conftest import invoke

    root = tmp_path / "vault"
    (root / "People").mkdir(parents=True)
    jane = root / "People/Jane Doe.md"
    jane.write_text(
        "---\ntype: contact\nemail: jane@example.com\nstatus: contacted\n"
        "contacted_on: 2024-04-29\nreplied_on:\n---\n# Jane Doe\n",
        encoding="utf-8",
    )
    dovecot.deliver("INBOX", mail(1))
    dovecot.start()
    (root / ".vaultkit.toml").write_text(
        'timezone = "America/New_York"\n[mail]\nhost = "127.0.0.1"\n'
        f'port = {dovecot.port}\nusername = "{USER}"\nsecurity = "none"\n'
        'folders = ["INBOX", "Sent"]\n',
        encoding="utf-8",
    )
    env = {"VAULTKIT_MAIL_PASSWORD": PASSWORD}
    result = invoke(root, "mail", "scan", "--apply", env=env)
    assert result.exit_code == 0, result.output
    assert "replied_on: 2024-05-01" in jane.read_text(encoding="utf-8")

    wrong = invoke(root, "mail", "scan", env={"VAULTKIT_MAIL_PASSWORD": "nope"})
    assert wrong.exit_code == 1 and "refused the password" in wrong.stderr
    assert wrong.stderr.count("\n") == 1 and "Traceback" not in wrong.output
    dovecot.stop()
    before = jane.read_bytes()
    down = invoke(root, "mail", "scan", "--apply", env=env)
    assert down.exit_code == 1 and "cannot reach 127.0.0.1" in down.stderr
    assert jane.read_bytes() == before
