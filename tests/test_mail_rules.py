"""What the mailbox's headers say about contacts, and how it is written into
their notes (the mail readers are tested on their own)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import WriteNote
from vaultkit.domain.career import CareerVault
from vaultkit.domain.mail_rules import MailFindings, propose
from vaultkit.mailbox.message import MessageHeaders
from vaultkit.outputs.mail_apply import apply_proposals, load_seen
from vaultkit.vault.index import VaultIndex

ZONE = ZoneInfo("America/New_York")
ME = "maya@student.example"

JANE = """---
type: contact
name: Jane Doe
email: [Jane@Acme.example, jane.doe@gmail.example]
status: contacted  # asked on the 16th
contacted_on: 2026-11-16
replied_on:
last_contact:
---
# Jane Doe

## Log

- 2026-11-16: asked for a coffee chat
"""

SAM = """---
type: contact
name: Sam Lee
email: sam@beta.example
status: to-contact
---
# Sam Lee
"""


def at(day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, tzinfo=ZONE)


def message(
    number: int,
    when: dt.datetime,
    sender: str,
    to: str,
    subject: str = "Coffee chat?",
    **extra: object,
) -> MessageHeaders:
    return MessageHeaders(  # type: ignore[arg-type]
        message_id=f"m{number}@mail.example",
        date=when,
        from_addresses=(sender,),
        to_addresses=(to,),
        subject=subject,
        where=f"test message {number}",
        **extra,
    )


def career(root: Path) -> CareerVault:
    return CareerVault(VaultIndex.load(root))


def found(root: Path, messages: list[MessageHeaders], **options: object) -> MailFindings:
    options.setdefault("my_addresses", (ME,))
    return propose(career(root), messages, seen=load_seen(root), **options)  # type: ignore[arg-type]


def keys(findings: MailFindings) -> list[tuple[str, str, str]]:
    return [(p.contact.name, p.key, p.value.isoformat()) for p in findings.proposals]


@pytest.fixture
def people(vault: Path, write: WriteNote) -> Path:
    write("People/Jane Doe.md", JANE)
    write("People/Sam Lee.md", SAM)
    return vault


def test_a_reply_after_the_request_stops_the_clock(people: Path) -> None:
    mail = [
        message(1, at(14), "jane@acme.example", ME, "earlier, before I asked"),
        message(2, at(18), "JANE.DOE@gmail.example", ME, "Re: Coffee chat?"),
        message(3, at(20), "jane@acme.example", ME, "Re: Re: Coffee chat?"),
    ]
    assert keys(found(people, mail)) == [
        ("Jane Doe", "replied_on", "2026-11-18"),  # the first answer after contacted_on
        ("Jane Doe", "last_contact", "2026-11-20"),  # the latest exchange
    ]


def test_your_request_starts_the_clock_and_their_answer_stops_it(people: Path) -> None:
    mail = [
        message(1, at(17), ME, "sam@beta.example", "Coffee chat?"),
        message(2, at(19), ME, "sam@beta.example", "Following up"),
        message(
            3, at(23), "sam@beta.example", ME, "Re: Following up", in_reply_to=("m2@mail.example",)
        ),
    ]
    assert keys(found(people, mail)) == [
        ("Sam Lee", "contacted_on", "2026-11-17"),
        ("Sam Lee", "replied_on", "2026-11-23"),
        ("Sam Lee", "last_contact", "2026-11-23"),
    ]


def test_the_sent_folder_says_who_wrote_without_your_address(people: Path) -> None:
    mail = [message(1, at(17), "old-address@else.example", "sam@beta.example", folder="Sent")]
    assert keys(found(people, mail, my_addresses=())) == [
        ("Sam Lee", "contacted_on", "2026-11-17"),
        ("Sam Lee", "last_contact", "2026-11-17"),
    ]


def test_a_thread_ties_an_answer_from_another_address(people: Path) -> None:
    mail = [
        message(1, at(17), ME, "sam@beta.example"),
        message(
            2,
            at(18),
            "assistant@beta.example",
            ME,
            "Re: Coffee chat?",
            references=("unknown@x", "m1@mail.example"),
        ),
    ]
    assert ("Sam Lee", "replied_on", "2026-11-18") in keys(found(people, mail))


def test_an_answer_to_the_thank_you_is_a_contact_not_a_reply(
    people: Path, write: WriteNote
) -> None:
    write(
        "Interviews/2026-11-19 Jane Doe.md",
        '---\ntype: interview\ncontact: "[[Jane Doe]]"\ndate: 2026-11-19 14:00\n---\n',
    )
    mail = [
        message(1, at(19, 18), ME, "jane@acme.example", "Thank you!"),
        message(
            2, at(20), "jane@acme.example", ME, "Re: Thank you!", in_reply_to=("m1@mail.example",)
        ),
    ]
    assert keys(found(people, mail)) == [("Jane Doe", "last_contact", "2026-11-20")]


def test_lists_auto_replies_and_bounces_count_for_nothing(people: Path) -> None:
    mail = [
        message(1, at(18), "jane@acme.example", ME, "Newsletter", mailing_list=True),
        message(2, at(18), "jane@acme.example", ME, "Out of office", automatic=True),
        message(3, at(18), "jane@acme.example", ME, "Undeliverable", bounce=True),
        message(4, at(18), "stranger@else.example", ME, "Hello"),
    ]
    findings = found(people, mail)
    assert findings.proposals == [] and findings.messages == 4


def test_since_and_an_address_two_contacts_share(people: Path, write: WriteNote) -> None:
    write("People/Pat Roe.md", "---\ntype: contact\nemail: sam@beta.example\n---\n")
    mail = [
        message(1, at(17), "jane@acme.example", ME),
        message(2, at(21), "jane@acme.example", ME),
        message(3, at(21), "sam@beta.example", ME),
    ]
    findings = found(people, mail, since=dt.date(2026, 11, 20))
    assert keys(findings) == [
        ("Jane Doe", "replied_on", "2026-11-21"),
        ("Jane Doe", "last_contact", "2026-11-21"),
    ]
    assert any("several contacts" in problem for problem in findings.problems)


def test_apply_writes_only_those_keys_and_a_log_line(people: Path) -> None:
    before = (people / "People/Jane Doe.md").read_text(encoding="utf-8")
    mail = [message(2, at(18), "jane@acme.example", ME, "Re: Coffee chat?")]
    findings = found(people, mail)
    result = apply_proposals(people, findings.proposals)
    assert result.refused == []
    after = (people / "People/Jane Doe.md").read_text(encoding="utf-8")
    assert (
        after
        == before.replace("replied_on:\n", "replied_on: 2026-11-18\n").replace(
            "last_contact:\n", "last_contact: 2026-11-18\n"
        )
        + "- 2026-11-18: replied by e-mail: Re: Coffee chat?\n"
    )
    # applied once: the same mailbox, scanned again, proposes nothing and writes nothing
    again = found(people, mail)
    assert again.proposals == []
    assert (people / "People/Jane Doe.md").read_text(encoding="utf-8") == after


def test_a_message_already_applied_is_not_counted_again(people: Path) -> None:
    first = [message(2, at(18), "jane@acme.example", ME, "Re: Coffee chat?")]
    apply_proposals(people, found(people, first).proposals)
    # the user clears last_contact by hand; the same message must not put it back
    note = people / "People/Jane Doe.md"
    note.write_text(
        note.read_text(encoding="utf-8").replace("last_contact: 2026-11-18", "last_contact:"),
        encoding="utf-8",
    )
    assert found(people, first).proposals == []
    newer = [*first, message(5, at(24), "jane@acme.example", ME, "One more thing")]
    assert keys(found(people, newer)) == [("Jane Doe", "last_contact", "2026-11-24")]


def test_status_moves_only_when_asked_and_a_changed_note_is_left_alone(people: Path) -> None:
    mail = [message(2, at(18), "jane@acme.example", ME, "Re: Coffee chat?")]
    findings = found(people, mail)
    note = people / "People/Jane Doe.md"
    note.write_text(note.read_text(encoding="utf-8") + "typed meanwhile\n", encoding="utf-8")
    refused = apply_proposals(people, findings.proposals, status="scheduled")
    assert len(refused.refused) == 1 and note.read_text(encoding="utf-8").endswith("meanwhile\n")
    result = apply_proposals(people, found(people, mail).proposals, status="scheduled")
    assert result.refused == []
    text = note.read_text(encoding="utf-8")
    assert "status: scheduled  # asked on the 16th\n" in text
