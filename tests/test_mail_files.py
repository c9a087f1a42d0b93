"""read_mail: Maildir (and Maildir++), mbox, .eml folders and files, read for
their headers in a fixed order, one bad file costing one message, and a big
mbox read in the memory of one header block."""

from __future__ import annotations

import datetime as dt
import email.message
import itertools
import mailbox
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vaultkit.mailbox import files
from vaultkit.mailbox.files import read_mail
from vaultkit.mailbox.headers import parse_headers
from vaultkit.mailbox.message import MailSourceError, MessageHeaders


def message(
    sender: str = "Jane Doe <jane@example.com>",
    to: str = "bob@example.org",
    subject: str = "Coffee?",
    date: str = "Mon, 3 Jul 2023 10:00:00 +0000",
    body: str = "See you.\n",
    message_id: str = "<m1@example.com>",
) -> email.message.EmailMessage:
    msg = email.message.EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = date
    msg["Message-ID"] = message_id
    msg.set_content(body)
    return msg


def raw_message(*headers: str, body: bytes = b"Hello.\n") -> bytes:
    return "".join(f"{h}\n" for h in headers).encode() + b"\n" + body


def subjects(records: list[MessageHeaders]) -> list[str]:
    return [r.subject for r in records]


# -- Maildir ------------------------------------------------------------------


@pytest.fixture
def maildir(tmp_path: Path) -> Path:
    """A Maildir++ tree as Dovecot or Courier keep it: INBOX at the top (one
    message read, in cur/, one new), .Sent and .Archive.2023 beside, a
    delivery in progress in tmp/ and a client's hidden file."""
    root = tmp_path / "Maildir"
    inbox = mailbox.Maildir(root, create=True)
    seen = mailbox.MaildirMessage(message(subject="Read already", message_id="<in1@example.com>"))
    seen.set_subdir("cur")
    seen.set_flags("S")
    inbox.add(seen)
    inbox.add(message(subject="Not read yet", message_id="<in2@example.com>"))
    sent = inbox.add_folder("Sent")
    sent.add(
        message(
            sender="bob@example.org",
            to="Jane Doe <jane@example.com>, carol@example.org",
            subject="Re: Coffee?",
            message_id="<s1@example.org>",
        )
    )
    archive = inbox.add_folder("Archive.2023")
    archive.add(message(subject="Old news", message_id="<a1@example.com>"))
    (root / "tmp" / "1700000000.M1P1.unfinished").write_bytes(b"Subject: half delivered\n")
    (root / "cur" / ".dovecot-notes").write_bytes(b"Subject: not mail\n")
    return root


def test_a_maildir_tree_is_read_folder_by_folder_inbox_first(maildir: Path) -> None:
    records = list(read_mail(maildir))
    assert [(r.folder, r.subject) for r in records] == [
        ("INBOX", "Read already"),
        ("INBOX", "Not read yet"),
        ("Archive.2023", "Old news"),
        ("Sent", "Re: Coffee?"),
    ]
    inbox_cur = sorted(os.listdir(maildir / "cur"))
    assert inbox_cur == [".dovecot-notes", records[0].where.removeprefix("INBOX/cur/")]
    assert records[1].where.startswith("INBOX/new/")
    assert records[3].where == "Sent/new/" + os.listdir(maildir / ".Sent" / "new")[0]
    assert records[3].to_addresses == ("jane@example.com", "carol@example.org")
    assert records[3].message_id == "s1@example.org"
    assert all(r.problems == () for r in records)


def test_reading_twice_gives_the_same_records_in_the_same_order(maildir: Path) -> None:
    assert list(read_mail(maildir)) == list(read_mail(maildir))


def test_a_maildir_sub_folder_is_a_source_of_its_own(maildir: Path) -> None:
    records = list(read_mail(maildir / ".Sent"))
    assert [(r.folder, r.where[:9], r.subject) for r in records] == [
        ("Sent", "Sent/new/", "Re: Coffee?")
    ]


def test_a_file_gone_from_a_maildir_costs_that_message_only(maildir: Path) -> None:
    (maildir / "cur" / "1600000000.M1P1.gone:2,S").symlink_to(maildir / "no-such-file")
    records = list(read_mail(maildir))
    gone = records[0]
    assert gone.where == "INBOX/cur/1600000000.M1P1.gone:2,S"
    assert gone.problems == ("cannot be read (No such file or directory)",)
    assert gone.date is None and gone.from_addresses == ()
    assert subjects(records[1:]) == ["Read already", "Not read yet", "Old news", "Re: Coffee?"]


def test_a_maildir_message_is_read_up_to_its_headers_only(tmp_path: Path) -> None:
    """A 200 MB attachment costs nothing: the file is sparse, and only the
    first chunks before the blank line are read."""
    root = tmp_path / "Maildir"
    for sub in ("cur", "new", "tmp"):
        (root / sub).mkdir(parents=True)
    big = root / "cur" / "1700000000.M1P1.big:2,S"
    with open(big, "wb") as out:
        out.write(raw_message("From: jane@example.com", "Subject: Huge attachment"))
        out.truncate(200 * 1024 * 1024)
    tracemalloc.start()
    try:
        records = list(read_mail(root))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert subjects(records) == ["Huge attachment"]
    assert peak < 1024 * 1024


def test_on_bytes_hears_the_sizes_of_the_files_read(maildir: Path) -> None:
    heard: list[int] = []
    list(read_mail(maildir, on_bytes=heard.append))
    total = sum(
        p.stat().st_size for p in maildir.rglob("*") if p.parent.name in ("cur", "new")
    ) - len(b"Subject: not mail\n")
    assert heard == [total]


# -- mbox ---------------------------------------------------------------------


def test_an_mbox_is_read_message_by_message_through_from_quoting(tmp_path: Path) -> None:
    path = tmp_path / "Archive.mbox"
    box = mailbox.mbox(path)
    box.add(message(subject="First", body="From the start, a body line.\n\nFrom here too.\n"))
    box.add(message(subject="Second", message_id="<m2@example.com>"))
    box.flush()
    box.close()
    assert b"\n>From here too." in path.read_bytes()  # the writer quoted it
    with open(path, "ab") as out:  # a careless writer: "From " in a body, not after a blank line
        out.write(
            b"From bob@example.org Tue Jul  4 09:00:00 2023\n"
            + raw_message(
                "From: bob@example.org",
                "Subject: Third",
                "Date: Tue, 4 Jul 2023 09:00:00 +0000",
                body=b"Forwarded:\nFrom someone else, a line\nFrom: not a header\n",
            )
        )
    records = list(read_mail(path))
    assert subjects(records) == ["First", "Second", "Third"]
    assert {r.folder for r in records} == {"Archive"}
    lines = path.read_bytes().split(b"\n")
    starts = [n for n, line in enumerate(lines, 1) if line.startswith(b"From ")]
    assert [r.where for r in records] == [
        f"Archive.mbox message 1 (line {starts[0]})",
        f"Archive.mbox message 2 (line {starts[1]})",
        f"Archive.mbox message 3 (line {starts[2]})",
    ]
    assert records[2].from_addresses == ("bob@example.org",)
    assert records[2].date == dt.datetime(2023, 7, 4, 9, tzinfo=dt.UTC)


def test_an_mbox_with_crlf_lines_and_no_extension(tmp_path: Path) -> None:
    path = tmp_path / "Sent"  # Thunderbird's local folders have no extension
    text = (
        b"From - Mon Jul  3 10:00:00 2023\r\n"
        b"From: jane@example.com\r\nTo: bob@example.org\r\nSubject: One\r\n\r\nBody\r\n\r\n"
        b"From - Mon Jul  3 11:00:00 2023\r\n"
        b"From: jane@example.com\r\nSubject: Two\r\n\r\nBody\r\n"
    )
    path.write_bytes(text)
    records = list(read_mail(path))
    assert subjects(records) == ["One", "Two"]
    assert records[1].where == "Sent message 2 (line 8)"
    assert records[0].folder == "Sent"


def test_mbox_messages_without_a_body_or_a_blank_line_are_still_apart(tmp_path: Path) -> None:
    path = tmp_path / "odd.mbox"
    path.write_bytes(
        b"From a@example.com Mon Jul  3 10:00:00 2023\nSubject: Headers only\n"
        b"From b@example.com Mon Jul  3 10:00:00 2023\nSubject: Next at once\n\nbody\n\n"
        b"From c@example.com Mon Jul  3 10:00:00 2023\nSubject: Cut off at the end"
    )
    assert subjects(list(read_mail(path))) == ["Headers only", "Next at once", "Cut off at the end"]


def test_a_long_body_line_read_in_pieces_does_not_start_a_message(tmp_path: Path) -> None:
    path = tmp_path / "long.mbox"
    piece = 64 * 1024
    path.write_bytes(
        b"From a@example.com Mon Jul  3 10:00:00 2023\nSubject: Long line\n\n"
        + b"x" * piece  # read as one piece; the next piece starts with "From "
        + b"From the middle of a line, no message here\n\n"
        + b"y" * (3 * piece)
        + b"\n"
    )
    assert subjects(list(read_mail(path))) == ["Long line"]


def test_an_mbox_message_with_huge_headers_is_cut_and_the_next_read(tmp_path: Path) -> None:
    path = tmp_path / "spam.mbox"
    long = b"".join(b"Received: from relay%d.example.org\n" % n for n in range(40_000))
    path.write_bytes(
        b"From a@example.com Mon Jul  3 10:00:00 2023\n"
        + long
        + b"Subject: Lost past the limit\n\nbody\n\n"
        + b"From b@example.com Mon Jul  3 10:00:00 2023\nSubject: Fine\n\nbody\n"
    )
    first, second = read_mail(path)
    assert first.problems[-1] == "headers longer than 1024 KB; the rest was ignored"
    assert first.subject == ""
    assert second.subject == "Fine"


def test_on_bytes_is_called_every_thousand_messages_and_at_the_end(tmp_path: Path) -> None:
    path = tmp_path / "many.mbox"
    one = b"From a@example.com Mon Jul  3 10:00:00 2023\nSubject: x\n\nbody\n\n"
    path.write_bytes(one * 2500)
    heard: list[int] = []
    assert len(list(read_mail(path, on_bytes=heard.append))) == 2500
    assert len(heard) == 3
    assert heard[0] < heard[1] < heard[2] == len(one) * 2500


def test_an_empty_mbox_has_no_messages(tmp_path: Path) -> None:
    (tmp_path / "Drafts.mbox").write_bytes(b"")
    (tmp_path / "Trash").write_bytes(b"")
    assert list(read_mail(tmp_path / "Drafts.mbox")) == []
    assert list(read_mail(tmp_path / "Trash")) == []


# -- .eml ---------------------------------------------------------------------


def test_a_folder_of_eml_files_is_read_by_file_name(tmp_path: Path) -> None:
    folder = tmp_path / "Exported"
    (folder / "nested").mkdir(parents=True)
    (folder / "b.eml").write_bytes(message(subject="Second").as_bytes())
    (folder / "a.EML").write_bytes(message(subject="First").as_bytes())
    (folder / "c.eml").symlink_to(folder / "missing.eml")
    (folder / "notes.txt").write_text("Subject: not mail\n")
    (folder / "nested" / "d.eml").write_bytes(message(subject="Not looked at").as_bytes())
    records = list(read_mail(folder))
    assert [(r.where, r.subject) for r in records] == [
        ("a.EML", "First"),
        ("b.eml", "Second"),
        ("c.eml", ""),
    ]
    assert {r.folder for r in records} == {"Exported"}
    assert records[2].problems == ("cannot be read (No such file or directory)",)


def test_a_single_eml_file_with_an_envelope_line(tmp_path: Path) -> None:
    path = tmp_path / "Saved" / "coffee.eml"
    path.parent.mkdir()
    path.write_bytes(b"From jane@example.com Mon Jul  3 10:00:00 2023\n" + message().as_bytes())
    (record,) = read_mail(path)
    assert (record.folder, record.where, record.subject) == ("Saved", "coffee.eml", "Coffee?")
    assert record.problems == ()


# -- not a mail source --------------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        lambda p: p.write_text("Dear diary\n"),
        lambda p: p.mkdir(),
        lambda p: (p.mkdir(), (p / "notes.txt").write_text("x")),
        lambda p: (p.mkdir(), (p / "cur").mkdir()),
        lambda p: p.write_bytes(b""),
    ],
    ids=["text file", "empty folder", "folder of text", "half a Maildir", "empty .txt"],
)
def test_what_is_not_mail_is_refused_in_one_line_before_reading(tmp_path: Path, make) -> None:
    path = tmp_path / "thing.txt"
    make(path)
    with pytest.raises(MailSourceError) as raised:
        read_mail(path)  # no iteration needed: the CLI can refuse before it starts
    assert str(raised.value) == (f"{path}: not a Maildir, an mbox file or a folder of .eml files")


def test_a_missing_path_is_named(tmp_path: Path) -> None:
    with pytest.raises(MailSourceError, match=r"nowhere\.mbox: no such file or folder$"):
        read_mail(tmp_path / "nowhere.mbox")


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.one_of(
        st.binary(max_size=3000),
        st.lists(
            st.sampled_from(
                [
                    b"From ",
                    b"From: a@example.com",
                    b"Subject: x",
                    b"\n",
                    b"\r\n",
                    b">From ",
                    b"\xff",
                ]
            ),
            max_size=80,
        ).map(lambda parts: b"From " + b"".join(parts)),
    )
)
def test_arbitrary_bytes_as_an_mbox_never_raise_but_the_source_error(
    tmp_path: Path, data: bytes
) -> None:
    path = tmp_path / "fuzz.mbox"
    path.write_bytes(data)
    try:
        records = list(read_mail(path))
    except MailSourceError as error:
        assert not data.startswith(b"From ")
        assert "\n" not in str(error)
        return
    assert data.startswith(b"From ") or data == b""
    assert all(r.where.startswith("fuzz.mbox message ") for r in records)


def line_by_line(data: bytes) -> list[tuple[int, bytes]]:
    """The mbox rule read the slow, obvious way: (line number, header block)
    of each message."""
    messages: list[tuple[int, bytes]] = []
    in_header, after_blank, block, start = False, True, b"", 0
    pieces = data.split(b"\n")  # not splitlines(), which splits at a lone CR too
    lines = [p + b"\n" for p in pieces[:-1]] + ([pieces[-1]] if pieces[-1] else [])
    for number, line in enumerate(lines, 1):
        if line.startswith(b"From ") and (after_blank or in_header):
            if in_header:
                messages.append((start, block))
            start, in_header, after_blank, block = number, True, False, b""
            continue
        blank = line in (b"\n", b"\r\n")
        if in_header:
            if blank:
                messages.append((start, block))
                in_header = False
            else:
                block += line
        after_blank = blank
    if in_header:
        messages.append((start, block))
    return messages


MBOX_PIECES = [
    b"From x\n",
    b"From ",
    b"\n",
    b"\r\n",
    b"\r",
    b"Subject: s\n",
    b"body\n",
    b">From y\n",
]


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.lists(st.sampled_from(MBOX_PIECES), max_size=60).map(
        lambda p: b"From 0\n" + b"".join(p)
    ),
    chunk=st.sampled_from([1, 2, 3, 5, 8, 13, 256 * 1024]),
)
def test_skipping_bodies_finds_the_messages_a_line_by_line_reading_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: bytes, chunk: int
) -> None:
    """Bodies are skipped by searching chunks, not line by line: the same
    messages, at the same lines, with the same headers, wherever the chunks
    happen to end."""
    monkeypatch.setattr(files, "_BODY_CHUNK", chunk)
    path = tmp_path / "same.mbox"
    path.write_bytes(data)
    expected = line_by_line(data)
    records = list(read_mail(path))
    assert [r.where for r in records] == [
        f"same.mbox message {n} (line {line})" for n, (line, _) in enumerate(expected, 1)
    ]
    assert records == [
        parse_headers(block, folder="same", where=r.where)
        for r, (_, block) in zip(records, expected, strict=True)
    ]


def test_a_body_larger_than_one_read_is_skipped_to_the_right_line(tmp_path: Path) -> None:
    path = tmp_path / "chunks.mbox"
    body = b"".join(b"line %d of a long body\n" % n for n in range(100_000))  # about 2.4 MB
    one = b"From a@example.com Mon Jul  3 10:00:00 2023\nSubject: Big\n\n" + body + b"\n"
    two = b"From b@example.com Mon Jul  3 10:00:00 2023\nSubject: After\n\nbye\n"
    path.write_bytes(one + two)
    first, second = read_mail(path)
    assert (first.subject, second.subject) == ("Big", "After")
    lines_before = one.count(b"\n")
    assert second.where == f"chunks.mbox message 2 (line {lines_before + 1})"


# -- a big mbox ---------------------------------------------------------------


@pytest.mark.slow
def test_a_big_mbox_is_read_in_bounded_memory(tmp_path: Path) -> None:
    """100,000 messages with 2 KB bodies (about 250 MB): read at a useful
    speed, and in the memory of one header block (the figures are printed;
    run with -s to see them)."""
    count = 100_000
    path = tmp_path / "big.mbox"
    begun = time.perf_counter()
    line = b"Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiu.\n"
    body = (
        line * 14
        + b"From the desk of Jane, a line a careless writer did not quote.\n"
        + line * 15
        + b"\n"
    )
    with open(path, "wb", buffering=1024 * 1024) as out:
        for n in range(count):
            day = 1 + n % 28
            out.write(
                b"From jane@example.com Mon Jul  3 10:00:00 2023\n"
                b"Return-Path: <jane@example.com>\n"
                b"Received: from mx.example.com by mx.example.org; Mon, 3 Jul 2023 10:00:01 +0000\n"
                b"From: Jane Doe <jane@example.com>\n"
                b"To: Bob Marsh <bob@example.org>, carol@example.org\n"
                b"Subject: =?utf-8?q?Caf=C3=A9_number?= %d\n"
                b"Date: Mon, %d Jul 2023 10:00:00 +0200\n"
                b"Message-ID: <m%d@example.com>\n"
                b"References: <r%d@example.com> <q%d@example.com>\n"
                b"MIME-Version: 1.0\n"
                b"Content-Type: text/plain; charset=utf-8\n\n" % (n, day, n, n, n)
            )
            out.write(body)
    size = path.stat().st_size
    written = time.perf_counter() - begun

    # The whole file, untraced: the speed, and the process's high-water mark
    # of resident memory, which holding bodies (250 MB) would raise.
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KB on Linux
    started = time.perf_counter()
    last = None
    read = 0
    for record in read_mail(path):
        read += 1
        last = record
    seconds = time.perf_counter() - started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    # Python's own allocations, traced over a quarter of the file (tracing
    # slows reading six times over; the peak is reached in the first messages).
    tracemalloc.start()
    try:
        traced = sum(1 for _ in itertools.islice(read_mail(path), count // 4))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    print(
        f"\nbig mbox: {count} messages, {size / 1e6:.0f} MB (written in {written:.1f} s), "
        f"read in {seconds:.1f} s ({count / seconds:,.0f} messages/s, "
        f"{size / 1e6 / seconds:.0f} MB/s); ru_maxrss {rss / 1024:.0f} MB "
        f"(+{(rss - rss_before) / 1024:.1f} MB while reading); "
        f"tracemalloc peak over {traced} messages {peak / 1e6:.2f} MB",
        file=sys.stderr,
    )
    assert read == count
    assert last is not None
    assert last.where.startswith(f"big.mbox message {count} (line ")
    assert last.subject == f"Café number {count - 1}"
    assert last.to_addresses == ("bob@example.org", "carol@example.org")
    assert rss - rss_before < 20 * 1024
    assert peak < 20 * 1024 * 1024
