"""parse_headers and header_block: what a mail scan learns from one header
block, however the mailer wrote it, and that no header block stops a scan."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vaultkit.mailbox.headers import MAX_HEADER_BYTES, header_block, parse_headers
from vaultkit.mailbox.message import MessageHeaders

UTC = dt.UTC


def headers(*lines: str, crlf: bool = False) -> bytes:
    end = "\r\n" if crlf else "\n"
    return (end.join(lines) + end).encode("utf-8")


def one(*lines: str) -> MessageHeaders:
    return parse_headers(headers(*lines))


# -- addresses ----------------------------------------------------------------


def test_addresses_are_bare_and_lower_case_from_several_to_and_cc_headers() -> None:
    record = one(
        'From: "Doe, Jane" <Jane.Doe@Example.COM>',
        "To: Bob Marsh <bob@example.org>, carol@example.org (Carol at work),",
        "  =?utf-8?q?Dani=C3=A9l?= <DANIEL@example.net>",
        "To: erin@example.com",
        "Cc: Team: frank@example.org, <grace@example.org>;, heidi@example.com",
        "Date: Mon, 3 Jul 2023 10:00:00 +0000",
    )
    assert record.from_addresses == ("jane.doe@example.com",)
    assert record.to_addresses == (
        "bob@example.org",
        "carol@example.org",
        "daniel@example.net",
        "erin@example.com",
        "frank@example.org",
        "grace@example.org",
        "heidi@example.com",
    )
    assert record.problems == ()


def test_a_contact_in_to_and_cc_is_listed_once() -> None:
    record = one("To: bob@example.org", "Cc: Bob <BOB@example.org>, carol@example.org")
    assert record.to_addresses == ("bob@example.org", "carol@example.org")


@pytest.mark.parametrize(
    "value",
    ["undisclosed-recipients:;", "<>", "", "Undisclosed recipients: ;"],
)
def test_no_recipients_is_no_address_and_no_problem(value: str) -> None:
    record = one(f"To: {value}", "Date: Mon, 3 Jul 2023 10:00:00 +0000")
    assert record.to_addresses == ()
    assert record.problems == ()


def test_a_quoted_name_that_looks_like_an_address_is_not_taken_for_it() -> None:
    record = one('From: "jane@example.com" <jane.doe@example.org>')
    assert record.from_addresses == ("jane.doe@example.org",)


def test_source_routes_and_comments_around_addresses_are_dropped() -> None:
    record = one(
        "From: <@relay.example.org:jane@example.com>",
        "To: bob@example.org (Bob, the one in sales), (no one) carol@example.org",
    )
    assert record.from_addresses == ("jane@example.com",)
    assert record.to_addresses == ("bob@example.org", "carol@example.org")


def test_an_unquoted_comma_in_a_name_keeps_the_address_and_names_the_rest() -> None:
    record = one("From: Doe, Jane <jane@example.com>", "Date: Mon, 3 Jul 2023 10:00:00 +0000")
    assert record.from_addresses == ("jane@example.com",)
    assert record.problems == ('From: not an address: "Doe"',)


def test_display_names_in_raw_utf8_and_encoded_words_do_not_hide_the_address() -> None:
    raw = (
        b"From: J\xc3\xbcrgen M\xc3\xbcller <juergen@example.de>\n"
        b"To: =?ISO-8859-1?Q?Ren=E9e_Dupr=E9?= <renee@example.fr>,"
        b" =?UTF-8?B?5bGx55Sw?= <yamada@example.jp>\n"
    )
    record = parse_headers(raw)
    assert record.from_addresses == ("juergen@example.de",)
    assert record.to_addresses == ("renee@example.fr", "yamada@example.jp")


# -- subject ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "subject"),
    [
        ("=?UTF-8?B?SGFsbMO4LCBow6VyIGVyIGRldA==?=", "Hallø, hår er det"),
        ("=?utf-8?q?Caf=C3=A9_tomorrow=3F?=", "Café tomorrow?"),
        ("=?ISO-8859-1?Q?Gr=FC=DFe_aus_K=F6ln?=", "Grüße aus Köln"),
        ("Re: =?utf-8?b?SMOp?= =?utf-8?b?bGxv?= again", "Re: Héllo again"),
        ("=?utf-8?q?unfinished", "=?utf-8?q?unfinished"),
        ("=?x-no-such-charset?q?plain?=", "plain"),
        ("plain words", "plain words"),
    ],
)
def test_encoded_word_subjects_are_decoded(value: str, subject: str) -> None:
    assert one(f"Subject: {value}").subject == subject


def test_raw_8bit_headers_are_read_as_utf8_else_latin1() -> None:
    raw = b"Subject: Caf\xc3\xa9 with Jos\xc3\xa9\nX-Other: \xff\n"
    assert parse_headers(raw).subject == "Café with José"
    assert parse_headers(b"Subject: Gr\xfc\xdfe aus K\xf6ln\n").subject == "Grüße aus Köln"


def test_a_folded_subject_is_one_line_with_single_spaces() -> None:
    record = parse_headers(b"Subject: Coffee\r\n  next\r\n\tTuesday?\r\n\r\n")
    assert record.subject == "Coffee next Tuesday?"


def test_crlf_and_lf_give_the_same_record() -> None:
    lines = (
        "From: Jane <jane@example.com>",
        "To: bob@example.org,",
        " carol@example.org",
        "Subject: Hello",
        "Date: Mon, 3 Jul 2023 10:00:00 +0200",
        "Message-ID: <m1@example.com>",
    )
    assert parse_headers(headers(*lines)) == parse_headers(headers(*lines, crlf=True))


def test_only_the_header_block_is_read() -> None:
    raw = b"Subject: the real one\n\nSubject: in the body\nFrom: body@example.com\n"
    record = parse_headers(raw)
    assert record.subject == "the real one"
    assert record.from_addresses == ()


def test_an_mbox_envelope_line_at_the_top_is_not_a_problem() -> None:
    record = parse_headers(
        b"From jane@example.com Mon Jul  3 10:00:00 2023\n"
        b"From: jane@example.com\nDate: Mon, 3 Jul 2023 10:00:00 +0000\n"
    )
    assert record.from_addresses == ("jane@example.com",)
    assert record.problems == ()


# -- message ids --------------------------------------------------------------


def test_message_ids_lose_their_brackets_and_references_keep_their_order() -> None:
    record = one(
        "Message-ID: <m3@example.com>",
        "In-Reply-To: <m2@example.com> (Bob Marsh's message of Mon, 3 Jul 2023)",
        "References: <m0@example.com>",
        " <m1@example.com><m2@example.com>",
    )
    assert record.message_id == "m3@example.com"
    assert record.in_reply_to == ("m2@example.com",)
    assert record.references == ("m0@example.com", "m1@example.com", "m2@example.com")


def test_message_ids_without_brackets_are_split_on_whitespace() -> None:
    record = one("Message-ID: m1@example.com", "References: r1@example.com  r2@example.com")
    assert record.message_id == "m1@example.com"
    assert record.references == ("r1@example.com", "r2@example.com")


def test_a_missing_message_id_is_empty_and_no_problem() -> None:
    record = one("From: jane@example.com", "Date: Mon, 3 Jul 2023 10:00:00 +0000")
    assert record.message_id == ""
    assert record.in_reply_to == record.references == ()
    assert record.problems == ()


# -- dates --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "date"),
    [
        ("Mon, 3 Jul 2023 10:00:00 +0200", dt.datetime(2023, 7, 3, 8, tzinfo=UTC)),
        ("Mon, 03 Jul 2023 10:00:00 -0500 (EST)", dt.datetime(2023, 7, 3, 15, tzinfo=UTC)),
        ("3 Jul 2023 10:00 GMT", dt.datetime(2023, 7, 3, 10, tzinfo=UTC)),
        ("Mon, 3 Jul 23 10:00:00 EDT", dt.datetime(2023, 7, 3, 14, tzinfo=UTC)),
        ("Monday, 03-Jul-23 10:00:00 GMT", dt.datetime(2023, 7, 3, 10, tzinfo=UTC)),
        ("Mon, 3 Jul 2023 10:00:00 CEST", dt.datetime(2023, 7, 3, 8, tzinfo=UTC)),
        ("Mon, 3 Jul 2023 10:00:00 -0000", dt.datetime(2023, 7, 3, 10, tzinfo=UTC)),
        ("Sat, 31 Dec 2016 23:59:60 +0000", dt.datetime(2016, 12, 31, 23, 59, 59, tzinfo=UTC)),
        ("2023-07-03T10:00:00+02:00", dt.datetime(2023, 7, 3, 8, tzinfo=UTC)),
    ],
)
def test_dates_with_a_zone_are_aware_and_no_problem(value: str, date: dt.datetime) -> None:
    record = one(f"Date: {value}")
    assert record.date == date
    assert record.date is not None and record.date.tzinfo is not None
    assert record.problems == ()


@pytest.mark.parametrize(
    "value", ["Mon, 3 Jul 2023 10:00:00", "3 Jul 2023 10:00", "2023-07-03 10:00"]
)
def test_a_date_without_a_zone_is_read_as_utc_and_said_so(value: str) -> None:
    record = one(f"Date: {value}")
    assert record.date == dt.datetime(2023, 7, 3, 10, tzinfo=UTC)
    assert record.problems == (f'Date "{value}" has no time zone; read as UTC',)


@pytest.mark.parametrize(
    "value",
    ["next Tuesday", "Mon, 32 Jul 2023 10:00:00 +0000", "Mon, 3 Jul 1850 10:00 +0000", "0"],
)
def test_an_unreadable_date_is_none_and_said_so(value: str) -> None:
    record = one(f"Date: {value}", "From: jane@example.com")
    assert record.date is None
    assert record.from_addresses == ("jane@example.com",)
    assert record.problems == (f'Date "{value}" cannot be read',)


def test_a_missing_or_empty_date_is_none_and_said_so() -> None:
    assert one("From: jane@example.com").problems == ("no Date header",)
    assert one("Date:   ").problems == ("the Date header is empty",)


def test_the_first_of_two_dates_counts() -> None:
    record = one("Date: Mon, 3 Jul 2023 10:00:00 +0000", "Date: Tue, 4 Jul 2023 10:00:00 +0000")
    assert record.date == dt.datetime(2023, 7, 3, 10, tzinfo=UTC)


# -- broken headers -----------------------------------------------------------


def test_lines_that_are_not_headers_are_skipped_and_the_rest_is_read() -> None:
    record = one(
        "From: jane@example.com",
        "this line has no colon",
        "Subject: Still read",
        "bad name: spaces are not allowed in a header name",
        "Date: Mon, 3 Jul 2023 10:00:00 +0000",
    )
    assert record.from_addresses == ("jane@example.com",)
    assert record.subject == "Still read"
    assert record.date is not None
    assert record.problems == (
        '2 header lines that are not headers were ignored (the first: "this line has no colon")',
    )


def test_a_continuation_line_with_nothing_to_continue_is_a_problem() -> None:
    record = parse_headers(b"  orphan continuation\nSubject: Hi\n")
    assert record.subject == "Hi"
    assert record.problems[0] == (
        'a header line that is not a header was ignored: "orphan continuation"'
    )


def test_a_truncated_header_block_gives_what_it_has() -> None:
    record = parse_headers(b"From: jane@example.com\nSubject: =?utf-8?B?SGVs")
    assert record.from_addresses == ("jane@example.com",)
    assert record.subject == "=?utf-8?B?SGVs"
    assert record.problems == ("no Date header",)


def test_an_obsolete_space_before_the_colon_is_read() -> None:
    assert one("Subject : Old mailer").subject == "Old mailer"


# -- classification -----------------------------------------------------------

PERSONAL = (
    "From: Jane Doe <jane@example.com>",
    "To: bob@example.org",
    "Subject: Coffee next week?",
    "Date: Mon, 3 Jul 2023 10:00:00 +0000",
    "Content-Type: multipart/alternative; boundary=x",
    "Auto-Submitted: no",
    "Precedence: first-class",
)


def test_a_personal_message_is_not_a_list_an_auto_reply_or_a_bounce() -> None:
    record = one(*PERSONAL)
    assert (record.mailing_list, record.automatic, record.bounce) == (False, False, False)


@pytest.mark.parametrize(
    "header",
    [
        "List-Id: Hiking club <hiking.example.org>",
        "List-Unsubscribe: <mailto:leave@example.org>",
        "Precedence: bulk",
        "Precedence: LIST",
        "Precedence: junk",
    ],
)
def test_mailing_list_messages_are_recognised(header: str) -> None:
    record = one(*PERSONAL[:4], header)
    assert record.mailing_list
    assert not record.automatic and not record.bounce


@pytest.mark.parametrize(
    "line",
    [
        "Auto-Submitted: auto-replied",
        "Auto-Submitted: auto-generated",
        "X-Autoreply: yes",
        "X-Autorespond: vacation",
        "Subject: Out of Office: Coffee next week?",
        "Subject: Automatic reply: Coffee next week?",
        "Subject: Abwesenheitsnotiz: Kaffee",
        "Subject: =?utf-8?q?R=C3=A9ponse_automatique_=3A_Caf=C3=A9?=",
        "Subject: Autosvar: Kaffe",
        "Subject: [Auto-Reply] Coffee",
    ],
)
def test_automatic_replies_are_recognised(line: str) -> None:
    record = one("From: jane@example.com", "Date: Mon, 3 Jul 2023 10:00:00 +0000", line)
    assert record.automatic
    assert not record.mailing_list and not record.bounce


@pytest.mark.parametrize(
    "lines",
    [
        ("From: jane@example.com", "Content-Type: multipart/report; report-type=delivery-status"),
        ("From: Mail Delivery System <MAILER-DAEMON@mx.example.org>",),
        ("From: MAILER-DAEMON", "Return-Path: <>"),
        ("From: jane@example.com", "Return-Path: <postmaster@example.org>"),
    ],
)
def test_bounces_are_recognised(lines: tuple[str, ...]) -> None:
    record = one(*lines, "Subject: Undelivered Mail Returned to Sender")
    assert record.bounce
    assert not any(p.startswith("From:") for p in record.problems)


def test_folder_and_where_are_kept() -> None:
    record = parse_headers(b"Subject: x\n", folder="Sent", where="Sent/cur/1.eml")
    assert (record.folder, record.where) == ("Sent", "Sent/cur/1.eml")


# -- header_block -------------------------------------------------------------


def test_header_block_stops_at_the_blank_line_without_reading_the_body() -> None:
    body = b"x" * 10_000_000
    stream = io.BytesIO(b"From: jane@example.com\r\nSubject: Hi\r\n\r\n" + body)
    assert header_block(stream) == b"From: jane@example.com\r\nSubject: Hi\r\n"
    assert stream.tell() < 64 * 1024


def test_header_block_finds_a_blank_line_across_reads() -> None:
    head = b"X-Pad: " + b"p" * 8184 + b"\r\n"  # the blank line's CRLF straddles the first read
    block = header_block(io.BytesIO(head + b"\r\nbody\n"))
    assert block == head


@pytest.mark.parametrize(
    ("data", "block"),
    [
        (b"\nbody\n", b""),
        (b"\r\nbody\n", b""),
        (b"Subject: no body, no blank line", b"Subject: no body, no blank line"),
        (b"", b""),
    ],
)
def test_header_block_edges(data: bytes, block: bytes) -> None:
    assert header_block(io.BytesIO(data)) == block


def test_header_block_is_cut_at_its_limit() -> None:
    data = b"X-Long: " + b"y" * (3 * MAX_HEADER_BYTES) + b"\n\nbody"
    assert len(header_block(io.BytesIO(data))) == MAX_HEADER_BYTES


# -- nothing stops a scan -----------------------------------------------------

TOKENS = [
    b"From: ",
    b"To: ",
    b"Cc: ",
    b"Date: ",
    b"Subject: ",
    b"References: ",
    b"Content-Type: ",
    b"Return-Path: ",
    b"=?utf-8?b?",
    b"=?x?q?",
    b"?=",
    b"=C3",
    b"<",
    b">",
    b'"',
    b"(",
    b")",
    b"\\",
    b",",
    b":",
    b";",
    b"@",
    b"\r\n",
    b"\n",
    b" ",
    b"\t",
    b"\xff",
    b"\xc3\xa9",
    b"\x00",
    b"jane",
    b"example.com",
    b"Mon, 3 Jul 2023 10:00:00",
    b" +9999",
    b"-0000",
    b"multipart/report",
    b"mailer-daemon",
]


def check(record: MessageHeaders) -> None:
    """What the scan relies on, whatever the input."""
    assert isinstance(record, MessageHeaders)
    for address in record.from_addresses + record.to_addresses:
        assert "@" in address and address == address.lower()
        assert not any(c.isspace() or c in '<>"(),' for c in address)
    assert "\n" not in record.subject and "\r" not in record.subject
    assert record.date is None or record.date.tzinfo is not None
    assert all(isinstance(p, str) and "\n" not in p for p in record.problems)
    assert all(i and not any(c.isspace() for c in i) for i in record.references)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise(raw: bytes) -> None:
    check(parse_headers(raw))


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=60).map(b"".join))
def test_header_like_garbage_never_raises(raw: bytes) -> None:
    check(parse_headers(raw))
