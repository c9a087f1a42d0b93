"""Reading Google Contacts and Outlook CSV exports into Person records: both
of Google's headers with their ` ::: ` cells and numbered columns, Outlook's
desktop export (Windows-1252, every cell quoted) and Google's Outlook-style
one, and files that are neither."""

from __future__ import annotations

import csv
import io
import tempfile
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vaultkit.address_book.cleaning import is_formula
from vaultkit.address_book.contacts_csv import read_contacts_csv
from vaultkit.address_book.person import ImportFileError, Person

FIXTURES = Path(__file__).parent / "fixtures" / "import"
GOOGLE_NEW = (
    "First Name,Middle Name,Last Name,Nickname,File As,Organization Name,Organization Title,"
    "Labels,E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value,"
    "Website 1 - Label,Website 1 - Value"
)


def people(path: Path) -> list[Person]:
    return list(read_contacts_csv(path))


def import_error(path: Path) -> str:
    with pytest.raises(ImportFileError) as caught:
        list(read_contacts_csv(path))
    message = str(caught.value)
    assert "\n" not in message
    return message


def write(tmp_path: Path, content: str | bytes, name: str = "contacts.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


# --- Google ---------------------------------------------------------------------------


def test_google_old_export_splits_joined_values_and_finds_linkedin() -> None:
    orla, piet, nameless = people(FIXTURES / "google-old.csv")

    assert orla == Person(
        name="Orla Penhallow",
        source="Google Contacts",
        where="google-old.csv line 2",
        emails=("orla@example.com", "orla.p@example.org"),  # one cell, " ::: " between
        phones=("+1 555 0100", "+1 555 0101"),
        # The home page is not LinkedIn and has no place in a Person; the profile is.
        linkedin="https://www.linkedin.com/in/orla-penhallow",
        organization="Harbor & Pine",
        role="Engineering Manager",
        location="Portland",
        aliases=("Ollie",),
    )
    # No "Name": the given, additional and family names make it.
    assert piet.name == "Piet J. Verhoeven"
    assert piet.emails == ("piet@example.nl",) and piet.organization == "Dijkstra Data"
    # A two-line note pushes the next contact's line down.
    assert nameless.where == "google-old.csv line 5"
    assert nameless.name == "" and nameless.emails == ("noreply@example.com",)


def test_google_new_export_with_bom_reads_and_drops_repeated_addresses() -> None:
    path = FIXTURES / "google-new.csv"
    assert path.read_bytes().startswith(b"\xef\xbb\xbfFirst Name,Middle Name,Last Name,")
    quentin, rosalind = people(path)

    assert quentin.name == "Quentin Aldous"
    assert quentin.source == "Google Contacts"
    assert quentin.emails == ("quentin@example.com", "q.aldous@example.org")
    assert quentin.phones == ("+44 20 7946 0000",)
    assert quentin.linkedin == "https://linkedin.com/in/quentin-aldous"
    assert (quentin.organization, quentin.role) == ("Saltmarsh Robotics", "VP Engineering")
    assert quentin.aliases == ("Q",) and quentin.location == "Leeds"
    assert quentin.problems == ()

    assert rosalind.name == "Rosalind M. Achterberg"
    assert rosalind.where == "google-new.csv line 4"
    assert rosalind.emails == () and rosalind.phones == ()
    assert rosalind.problems == (
        "E-mail 1 - Value 'not an address' is not an e-mail address; left out",
        "Phone 1 - Value '=2+5' is not a phone number; left out",
    )


def test_google_adds_as_many_numbered_columns_as_it_needs(tmp_path: Path) -> None:
    header = ["First Name", "Last Name", "Labels"]
    row = ["Wren", "Castellanos", "* myContacts"]
    for n in range(1, 8):
        header += [f"E-mail {n} - Label", f"E-mail {n} - Value"]
        row += ["Other", f"wren{n}@example.com"]
    header += ["Phone 12 - Label", "Phone 12 - Value", "Phone 3 - Label", "Phone 3 - Value"]
    row += ["Mobile", "+1 555 0112", "Home", "+1 555 0103"]
    out = io.StringIO()
    csv.writer(out).writerows([header, row])
    (wren,) = people(write(tmp_path, out.getvalue()))
    assert wren.emails == tuple(f"wren{n}@example.com" for n in range(1, 8))
    assert wren.phones == ("+1 555 0103", "+1 555 0112")  # in column number order


def test_a_google_nickname_equal_to_the_name_is_no_alias(tmp_path: Path) -> None:
    path = write(tmp_path, f"{GOOGLE_NEW}\nAda,,Quill,Ada Quill ::: Q,,,,,,,,,,\n")
    (ada,) = people(path)
    assert ada.aliases == ("Q",)


def test_a_hostile_google_website_is_left_out_and_said(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        f"{GOOGLE_NEW}\n"
        '"=HYPERLINK(""http://evil.example"")",,Quill,,,Acme/../x,,,,,,,,'
        "\"javascript:alert('linkedin') ::: https://blog.example.com\"\n",
    )
    (row,) = people(path)
    assert row.name == ""  # a formula in any part leaves the name out
    assert row.organization == "Acme/../x"  # path characters stay text
    assert row.linkedin is None
    assert row.problems[0].startswith("First Name '=HYPERLINK(")
    assert row.problems[1] == (
        "Website 1 - Value \"javascript:alert('linkedin')\" is not a web address; left out"
    )
    assert len(row.problems) == 2  # the blog is not LinkedIn and not a problem


# --- Outlook --------------------------------------------------------------------------


def test_outlook_desktop_export_in_windows_1252_with_referred_by() -> None:
    path = FIXTURES / "outlook.csv"
    raw = path.read_bytes()
    assert b'"Title","First Name"' in raw and "Søren".encode("cp1252") in raw

    soren, tamsin = people(path)

    assert soren == Person(
        name="Søren Mäkelä",  # "Dr." in Title is a form of address, not a job
        source="Outlook",
        where="outlook.csv line 2",
        emails=("soren@example.se", "s.makela@example.com"),
        phones=("+46 70 123 45 67", "+46 40 123 456"),  # mobile first
        linkedin="https://www.linkedin.com/in/soren-makela",
        organization="Fjord Analytics",
        role="Principal Scientist",
        location="Malmö",  # Business City before Home City
        referred_by="Orla Penhallow",
    )
    # The note's line break puts Tamsin on line 4; her city is her home's.
    assert tamsin.where == "outlook.csv line 4"
    assert (tamsin.name, tamsin.location, tamsin.role) == (
        "Tamsin Oyelaran-Fitch",
        "Bristol",
        "Designer",
    )
    assert tamsin.referred_by is None and tamsin.linkedin is None
    assert tamsin.problems == (
        "Web Page \"javascript:alert('linkedin')\" is not a web address; left out",
        "Referred By '=HYPERLINK(\"http://evil.example\")' looks like a spreadsheet formula; "
        "left out",
    )


def test_google_outlook_style_export_reads_as_outlook() -> None:
    (ulla,) = people(FIXTURES / "outlook-from-google.csv")
    assert ulla.source == "Outlook"
    assert ulla.name == "Ulla Brennan" and ulla.aliases == ("Ul",)
    assert ulla.emails == ("ulla@example.com", "ulla.b@example.org")
    assert ulla.phones == ("+353 1 555 0199", "+353 1 555 0100")
    assert ulla.linkedin == "https://ie.linkedin.com/in/ulla-brennan"
    assert (ulla.organization, ulla.role) == ("Greenway Hiring", "Talent Partner")


def test_outlook_addresses_separated_by_semicolons_are_all_kept(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "First Name,Last Name,E-mail Address,Job Title\n"
        'Yara,Lindqvist,"yara@example.com; y.lindqvist@example.org",Engineer\n',
    )
    (yara,) = people(path)
    assert yara.emails == ("yara@example.com", "y.lindqvist@example.org")


# --- neither --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("random.csv", (FIXTURES / "random.csv").read_bytes(), "no Google Contacts or Outlook"),
        ("card.vcf", (FIXTURES / "not-linkedin.vcf").read_bytes(), "`vaultkit import vcard`"),
        (
            "Connections.csv",
            (FIXTURES / "linkedin-preamble.csv").read_bytes(),
            "line 4: this is LinkedIn's Connections.csv",
        ),
        ("blob.csv", bytes(range(256)) * 4, "binary"),
        ("empty.csv", b"\xef\xbb\xbf", "the file is empty"),
        ("names.csv", b"Name,Email\nAda,ada@example.com\n", "no Google Contacts or Outlook"),
    ],
)
def test_a_file_that_is_neither_export_is_refused_in_one_line(
    tmp_path: Path, name: str, content: bytes, expected: str
) -> None:
    message = import_error(write(tmp_path, content, name))
    assert message.startswith(f"{name} line ")
    assert expected in message


def test_progress_counts_bytes_and_ends_at_the_file_size(tmp_path: Path) -> None:
    lines = [GOOGLE_NEW] + [f"P{n},,Q{n},,,,,,,p{n}@example.com,,,," for n in range(1_500)]
    path = write(tmp_path, "\r\n".join(lines) + "\r\n")
    seen: list[int] = []
    assert sum(1 for _ in read_contacts_csv(path, on_bytes=seen.append)) == 1_500
    assert len(seen) == 2 and seen[-1] == path.stat().st_size


# --- properties -----------------------------------------------------------------------


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.binary(max_size=2_000),
        st.text(max_size=2_000).map(str.encode),
        st.text(max_size=2_000).map(lambda t: (GOOGLE_NEW + "\n" + t).encode()),
        st.text(max_size=2_000).map(
            lambda t: ("First Name,Last Name,E-mail Address,Referred By\r\n" + t).encode(
                "cp1252", "replace"
            )
        ),
    )
)
def test_any_bytes_give_people_or_an_import_error_never_anything_else(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "contacts.csv"
        path.write_bytes(content)
        try:
            found = list(read_contacts_csv(path))
        except ImportFileError as error:
            assert "\n" not in str(error) and str(error).startswith("contacts.csv")
            return
        for person in found:
            assert person.source in ("Google Contacts", "Outlook")
            assert person.where.startswith("contacts.csv line ")
            assert "\n" not in person.name


_text = st.text(
    st.characters(categories=("L", "N", "P", "S", "Zs"), exclude_characters=":"), max_size=25
)
_email = st.from_regex(r"[a-z0-9][a-z0-9._-]{0,8}@[a-z0-9]{1,8}\.(com|org|example)", fullmatch=True)


def _clean(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(_text, _text, st.lists(_email, min_size=1, max_size=4), _text), max_size=8)
)
def test_google_contacts_written_by_csv_writer_read_back_equal(rows: list[tuple]) -> None:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(GOOGLE_NEW.split(","))
    expected = []
    for line, (first, last, emails, company) in enumerate(rows, start=2):
        if is_formula(_clean(first)) or is_formula(_clean(last)) or is_formula(_clean(company)):
            first, last, company = "Plain", "Name", "Plain Co"
        writer.writerow([first, "", last, "", "", company, "", "* myContacts", "* Work",
                         " ::: ".join(emails), "", "", "", ""])  # fmt: skip
        expected.append(
            Person(
                name=" ".join(p for p in (_clean(first), _clean(last)) if p),
                source="Google Contacts",
                where=f"contacts.csv line {line}",
                emails=tuple(dict.fromkeys(emails)),
                organization=_clean(company) or None,
            )
        )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "contacts.csv"
        path.write_text(out.getvalue(), encoding="utf-8", newline="")
        assert list(read_contacts_csv(path)) == expected
