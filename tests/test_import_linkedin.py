"""Reading LinkedIn's Connections.csv (alone, in the export's ZIP, in its
folder) into Person records: the preamble a plain CSV reader chokes on,
old and new headers, dates in the account's language, hostile cells, files
that are not LinkedIn's, and a 100,000-row file in bounded memory."""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
import tracemalloc
import unicodedata
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vaultkit.address_book.cleaning import is_formula
from vaultkit.address_book.dates import read_date
from vaultkit.address_book.linkedin import read_linkedin
from vaultkit.address_book.person import ImportFileError, Person

FIXTURES = Path(__file__).parent / "fixtures" / "import"
HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On"
PREAMBLE = (
    'Notes:\r\n"When exporting your connection data, you may notice that some of the email '
    'addresses are missing."\r\n\r\n'
)


def write(tmp_path: Path, text: str | bytes, name: str = "Connections.csv") -> Path:
    path = tmp_path / name
    if isinstance(text, str):
        text = text.encode("utf-8")
    path.write_bytes(text)
    return path


def people(path: Path) -> list[Person]:
    return list(read_linkedin(path))


def import_error(path: Path) -> str:
    with pytest.raises(ImportFileError) as caught:
        list(read_linkedin(path))
    message = str(caught.value)
    assert "\n" not in message
    return message


# --- the formats LinkedIn has written -------------------------------------------------


def test_a_current_export_with_bom_crlf_and_preamble_gives_every_connection() -> None:
    path = FIXTURES / "linkedin-preamble.csv"
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfNotes:\r\n") and b"\r\n\r\nFirst Name," in raw

    ada, bram, celeste, dmitri = people(path)

    assert ada == Person(
        name="Ada Quill",
        source="LinkedIn",
        where="linkedin-preamble.csv line 5",
        linkedin="https://www.linkedin.com/in/ada-quill-4f2a1b",
        organization="Quillfeather, Inc.",  # a quoted comma stays in the company
        role="Staff Engineer",
        connected_on=dt.date(2024, 3, 15),
    )
    assert bram.emails == ("bram.oduya@example.com",)
    assert bram.organization == 'The "Blue" Lantern Co.'  # doubled quotes read back as one
    assert bram.where == "linkedin-preamble.csv line 6"
    assert celeste.name == "Céleste Varga-Ødegaard"
    assert celeste.connected_on == dt.date(2022, 2, 28)
    # Several addresses in one cell; a connection without a URL has no linkedin.
    assert dmitri.emails == ("d.halvorsen@example.org", "dmitri@example.net")
    assert dmitri.linkedin is None and dmitri.organization is None and dmitri.role is None
    assert all(p.problems == () for p in (ada, bram, celeste, dmitri))


def test_an_export_without_preamble_starts_at_line_two() -> None:
    esi, farid = people(FIXTURES / "linkedin-no-preamble.csv")
    assert (esi.name, esi.where, esi.role) == (
        "Esi Montague",
        "linkedin-no-preamble.csv line 2",
        "Recruiter",
    )
    assert farid.linkedin == "https://linkedin.com/in/farid-nb/"
    assert farid.connected_on == dt.date(2020, 6, 30)


def test_an_old_export_without_url_column_still_reads() -> None:
    gwen, hollis = people(FIXTURES / "linkedin-old-no-url.csv")
    assert gwen.name == "Gwen Abernathy"
    assert gwen.emails == ("gwen@example.com",)
    assert gwen.organization == "Orchard Systems"
    assert gwen.linkedin is None and gwen.problems == ()
    assert hollis.connected_on == dt.date(2017, 5, 3)


def test_columns_are_found_by_name_in_any_order_among_unknown_ones(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "connected on,Position,Some New Column,last name,FIRST NAME,Company,url\n"
        "4 Apr 2024,Analyst,whatever,Ibsen,Vera,Nordlys,https://www.linkedin.com/in/vera-ibsen\n",
    )
    (vera,) = people(path)
    assert vera.name == "Vera Ibsen"
    assert vera.role == "Analyst" and vera.organization == "Nordlys"
    assert vera.linkedin == "https://www.linkedin.com/in/vera-ibsen"
    assert vera.connected_on == dt.date(2024, 4, 4)


def test_a_windows_1252_file_saved_by_excel_keeps_its_accents(tmp_path: Path) -> None:
    text = f"{HEADER}\r\nZoë,Ünal,,,Café Noir,Barista,15 Mar 2024\r\n"
    (zoe,) = people(write(tmp_path, text.encode("cp1252")))
    assert (zoe.name, zoe.organization) == ("Zoë Ünal", "Café Noir")


def test_a_semicolon_separated_file_from_a_european_excel_reads(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER.replace(",", ";") + "\nVera;Ibsen;;;Nordlys, AS;Analyst;\n")
    (vera,) = people(path)
    assert (vera.name, vera.organization, vera.connected_on) == ("Vera Ibsen", "Nordlys, AS", None)


def test_a_both_empty_name_is_an_empty_name_not_a_skipped_row(tmp_path: Path) -> None:
    path = write(tmp_path, f"{HEADER}\n,,https://www.linkedin.com/in/ghost,,,,\n,,,,,,\n\n")
    (ghost,) = people(path)  # the blank rows are not connections at all
    assert ghost.name == "" and ghost.linkedin == "https://www.linkedin.com/in/ghost"


# --- dates in the account's language --------------------------------------------------


def test_a_french_export_has_its_dates_read() -> None:
    ines, jules, katell = people(FIXTURES / "linkedin-french.csv")
    assert ines.connected_on == dt.date(2024, 3, 15)  # 15 mars 2024
    assert jules.connected_on == dt.date(2023, 2, 1)  # 1 févr. 2023
    assert katell.connected_on == dt.date(2021, 12, 22)  # 22 déc. 2021
    assert ines.where == "linkedin-french.csv line 5"


@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("15 Mar 2024", dt.date(2024, 3, 15)),
        ("15 March 2024", dt.date(2024, 3, 15)),
        ("Mar 15, 2024", dt.date(2024, 3, 15)),
        ("2024-03-15", dt.date(2024, 3, 15)),
        ("15 mars 2024", dt.date(2024, 3, 15)),
        ("1 août 2023", dt.date(2023, 8, 1)),
        ("15. März 2024", dt.date(2024, 3, 15)),
        ("3. Okt. 2022", dt.date(2022, 10, 3)),
        ("15 mar. 2024", dt.date(2024, 3, 15)),
        ("15 de marzo de 2024", dt.date(2024, 3, 15)),
        ("9 dic 2020", dt.date(2020, 12, 9)),
        ("15 de mar. de 2024", dt.date(2024, 3, 15)),
        ("2 out. 2019", dt.date(2019, 10, 2)),
        ("15 giugno 2024", dt.date(2024, 6, 15)),
        ("7 mag 2021", dt.date(2021, 5, 7)),
        ("15 mrt 2024", dt.date(2024, 3, 15)),
        ("31 mei 2024", dt.date(2024, 5, 31)),
        ("15/03/2024", dt.date(2024, 3, 15)),  # 15 is no month: day first
        ("03/15/2024", dt.date(2024, 3, 15)),  # US order, as unambiguous
        ("15.03.2024", dt.date(2024, 3, 15)),
    ],
)
def test_connected_on_in_many_languages(tmp_path: Path, written: str, day: dt.date) -> None:
    (vera,) = people(write(tmp_path, f'{HEADER}\nVera,Ibsen,,,,,"{written}"\n'))
    assert vera.connected_on == day and vera.problems == ()


@pytest.mark.parametrize("written", ["03/04/2024", "31 Feb 2024", "yesterday", "15 Mar", "Q1 2024"])
def test_a_date_that_could_be_two_days_or_none_is_left_out_and_said(
    tmp_path: Path, written: str
) -> None:
    (vera,) = people(write(tmp_path, f"{HEADER}\nVera,Ibsen,,,,,{written}\n"))
    assert vera.name == "Vera Ibsen"  # the person is still imported
    assert vera.connected_on is None
    assert vera.problems == (f"Connected On {written!r} is not a date vaultkit can read; left out",)


# --- ZIP and folder exports -----------------------------------------------------------


def _export_zip(tmp_path: Path, member: str, data: bytes) -> Path:
    path = tmp_path / "Complete_LinkedInDataExport_12-01-2026.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Profile.csv", "First Name,Last Name,Headline\nMe,Myself,Job seeker\n")
        archive.writestr("__MACOSX/._Connections.csv", b"\x00\x05\x16\x07junk")
        archive.writestr(member, data)
        archive.writestr("Messages/messages.csv", "CONVERSATION ID,FROM\n1,Someone\n")
    return path


def test_the_whole_data_export_zip_is_read_from_its_connections_csv(tmp_path: Path) -> None:
    data = (FIXTURES / "linkedin-preamble.csv").read_bytes()
    path = _export_zip(tmp_path, "Basic_Export/connections.CSV", data)
    seen: list[int] = []

    found = list(read_linkedin(path, on_bytes=seen.append))

    assert [p.name for p in found] == [
        "Ada Quill",
        "Bram Oduya",
        "Céleste Varga-Ødegaard",
        "Dmitri Halvorsen",
    ]
    assert found[0].where == (
        "Complete_LinkedInDataExport_12-01-2026.zip: Basic_Export/connections.CSV line 5"
    )
    assert seen == [len(data)]  # the member's bytes, once at the end for a small file


def test_a_zip_without_connections_csv_says_so_and_what_it_holds(tmp_path: Path) -> None:
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("Profile.csv", "a,b\n")
        archive.writestr("Invitations.csv", "a,b\n")
    message = import_error(path)
    assert message.startswith("export.zip: no Connections.csv in this ZIP")
    assert "'Profile.csv'" in message and "'Invitations.csv'" in message


def test_an_unpacked_export_folder_is_read_too(tmp_path: Path) -> None:
    folder = tmp_path / "Basic_LinkedInDataExport"
    (folder / "nested").mkdir(parents=True)
    (folder / "nested" / "Connections.csv").write_bytes(
        (FIXTURES / "linkedin-no-preamble.csv").read_bytes()
    )
    esi, _ = people(folder)
    assert esi.where == "Basic_LinkedInDataExport: nested/Connections.csv line 2"
    (tmp_path / "empty").mkdir()
    assert "no Connections.csv in this folder" in import_error(tmp_path / "empty")


def test_a_damaged_zip_stops_with_an_import_error_not_a_traceback(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("Connections.csv", f"{HEADER}\nVera,Ibsen,,,,,\n")
    damaged = buffer.getvalue().replace(b"Vera,Ibsen", b"Vera,Ibsem")
    path = write(tmp_path, damaged, "export.zip")
    message = import_error(path)
    assert message.startswith("export.zip: Connections.csv: cannot be read (Bad CRC-32")


def test_excel_unicode_text_utf16_with_tabs_reads(tmp_path: Path) -> None:
    text = HEADER.replace(",", "\t") + "\r\nZoë\tÜnal\t\t\tCafé Noir\tBarista\t15 Mar 2024\r\n"
    (zoe,) = people(write(tmp_path, text.encode("utf-16")))
    assert (zoe.name, zoe.organization, zoe.connected_on) == (
        "Zoë Ünal",
        "Café Noir",
        dt.date(2024, 3, 15),
    )


# --- hostile cells --------------------------------------------------------------------


def test_hostile_cells_are_left_out_with_a_reason_and_never_run() -> None:
    formula_name, lior, mara, nadia = people(FIXTURES / "linkedin-hostile.csv")

    # A formula in a name leaves the whole name out (half a name would match the wrong note).
    assert formula_name.name == ""
    assert formula_name.problems[0].startswith("First Name '=HYPERLINK(")
    assert formula_name.problems[0].endswith("looks like a spreadsheet formula; left out")

    assert lior.name == "Lior Brandvold"
    assert lior.linkedin is None and lior.emails == ()
    assert lior.organization is None and lior.role is None and lior.connected_on is None
    assert lior.problems == (
        "URL 'javascript:alert(document.cookie)' is not a web address; left out",
        "Email Address '=1+1' is not an e-mail address; left out",
        "Company \"+cmd|' /C calc'!A0\" looks like a spreadsheet formula; left out",
        "Position \"@SUM(1+1)*cmd|' /C calc'!A0\" looks like a spreadsheet formula; left out",
        "Connected On '03/04/2024' is not a date vaultkit can read; left out",
    )

    # Path-like and wikilink-breaking characters stay text: file names are the caller's job.
    assert mara.name == "Mara/../.. Quist ]] | x"
    assert mara.organization == "Folder/Sub" and mara.problems == ()
    assert mara.connected_on == dt.date(2024, 4, 13)

    # Line breaks inside quotes and control characters become spaces; a URL off LinkedIn goes.
    assert nadia.name == "Nadia Second Line Okafor Third"
    assert nadia.organization == "Okafor & Sons"
    assert nadia.where == "linkedin-hostile.csv line 8"
    assert nadia.linkedin is None
    assert "'https://evil.example/in/nadia' is not a LinkedIn address" in nadia.problems[0]


def test_an_overlong_line_is_one_bad_row_and_the_next_rows_still_read(tmp_path: Path) -> None:
    path = write(tmp_path, f"{HEADER}\nVera,Ibsen,,,,,\n" + "x" * 1_200_000 + "\nWim,Kok,,,,,\n")
    vera, bad, wim = people(path)
    assert (vera.name, wim.name) == ("Vera Ibsen", "Wim Kok")
    assert bad.name == "" and bad.where == "Connections.csv line 3"
    assert "longer than 1,000,000 characters" in bad.problems[0]
    assert wim.where == "Connections.csv line 4"


def test_an_unclosed_quote_is_a_bad_row_not_a_crash(tmp_path: Path) -> None:
    path = write(tmp_path, f'{HEADER}\nVera,"Ibsen\n' + "filler line\n" * 20_000)
    found = people(path)
    assert found[0].name == "" and found[0].where == "Connections.csv line 2"
    assert "not readable as CSV" in found[0].problems[0]


# --- files that are not LinkedIn's ----------------------------------------------------


def _truncated_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Connections.csv", (HEADER + "\n") * 50)
    return buffer.getvalue()[:-40]


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("contacts.vcf", (FIXTURES / "not-linkedin.vcf").read_bytes(), "line 1: this is a vCard"),
        ("random.csv", (FIXTURES / "random.csv").read_bytes(), "line 1: no LinkedIn header"),
        ("google.csv", (FIXTURES / "google-new.csv").read_bytes(), "`vaultkit import csv`"),
        ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 8, "binary"),
        ("empty.csv", b"", "line 1: the file is empty"),
        ("broken.zip", _truncated_zip(), "line 1: "),
        ("notes.csv", b"Notes:\nhello\n" * 30, "no LinkedIn header (First Name,Last Name,...)"),
    ],
)
def test_a_file_that_is_not_a_linkedin_export_is_refused_in_one_line(
    tmp_path: Path, name: str, content: bytes, expected: str
) -> None:
    message = import_error(write(tmp_path, content, name))
    assert message.startswith(f"{name} line ")
    assert expected in message


def test_a_header_twenty_lines_down_is_still_found_but_not_further(tmp_path: Path) -> None:
    found = people(write(tmp_path, "\n" * 19 + f"{HEADER}\nVera,Ibsen,,,,,\n"))
    assert found[0].where == "Connections.csv line 21"
    message = import_error(write(tmp_path, "\n" * 20 + f"{HEADER}\nVera,Ibsen,,,,,\n"))
    assert "in the first 20 lines" in message


def test_a_missing_file_is_an_import_error(tmp_path: Path) -> None:
    assert import_error(tmp_path / "nope.csv").startswith("nope.csv: cannot be read")


# --- progress and size ----------------------------------------------------------------


def _generated(path: Path, rows: int) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("\ufeff" + PREAMBLE + HEADER + "\r\n")
        writer = csv.writer(out, lineterminator="\r\n")
        for n in range(rows):
            writer.writerow(
                [
                    f"Person{n}",
                    f"Surname{n}",
                    f"https://www.linkedin.com/in/person-{n}",
                    "",
                    f"Company {n % 97}, Ltd.",
                    "Engineer",
                    "15 Mar 2024",
                ]
            )
    return path


def test_progress_is_reported_every_thousand_rows_and_at_the_end(tmp_path: Path) -> None:
    path = _generated(tmp_path / "Connections.csv", 2_500)
    seen: list[int] = []
    assert sum(1 for _ in read_linkedin(path, on_bytes=seen.append)) == 2_500
    assert len(seen) == 3
    assert seen == sorted(seen) and seen[-1] == path.stat().st_size


@pytest.mark.slow
def test_a_hundred_thousand_connections_stream_in_bounded_memory(tmp_path: Path) -> None:
    path = _generated(tmp_path / "Connections.csv", 100_000)
    size = path.stat().st_size
    tracemalloc.start()
    try:
        count = 0
        last = None
        for person in read_linkedin(path):
            count += 1
            last = person
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 100_000
    assert last is not None and last.name == "Person99999 Surname99999"
    assert last.where == "Connections.csv line 100004"
    assert size > 8_000_000
    assert peak < size / 20, f"peak {peak:,} bytes for a {size:,}-byte file"


# --- properties -----------------------------------------------------------------------


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.binary(max_size=2_000),
        st.text(max_size=2_000).map(str.encode),
        st.text(max_size=2_000).map(lambda t: (PREAMBLE + HEADER + "\r\n" + t).encode()),
        st.text(max_size=2_000).map(
            lambda t: ("\ufeff" + HEADER + "\n" + t).encode("cp1252", "replace")
        ),
    )
)
def test_any_bytes_give_people_or_an_import_error_never_anything_else(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "Connections.csv"
        path.write_bytes(content)
        try:
            found = list(read_linkedin(path))
        except ImportFileError as error:
            assert "\n" not in str(error) and str(error).startswith("Connections.csv")
            return
        for person in found:
            assert person.source == "LinkedIn"
            assert person.where.startswith("Connections.csv line ")
            assert "\n" not in person.name and "\r" not in person.name


_MONTHS = {
    "en": "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(),
    "fr": "janv. févr. mars avr. mai juin juil. août sept. oct. nov. déc.".split(),
    "de": "Jan. Feb. März Apr. Mai Juni Juli Aug. Sept. Okt. Nov. Dez.".split(),
    "es": "ene. feb. mar. abr. may. jun. jul. ago. sept. oct. nov. dic.".split(),
}
_text = st.text(
    st.characters(categories=("L", "N", "P", "S", "Zs"), exclude_characters="\x85"), max_size=30
)
_email = st.from_regex(r"[a-z0-9][a-z0-9._-]{0,8}@[a-z0-9]{1,8}\.(com|org|example)", fullmatch=True)


@st.composite
def _connections(draw: st.DrawFn) -> dict[str, object]:
    return {
        "first": draw(_text),
        "last": draw(_text),
        "slug": draw(st.from_regex(r"[a-z0-9][a-z0-9-]{0,30}", fullmatch=True)),
        "emails": draw(st.lists(_email, max_size=3)),
        "company": draw(_text),
        "position": draw(_text),
        "date": draw(st.dates(dt.date(2003, 1, 1), dt.date(2100, 12, 31))),
        "lang": draw(st.sampled_from(sorted(_MONTHS))),
    }


def _clean(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_connections(), min_size=1, max_size=12))
def test_connections_written_by_csv_writer_read_back_equal(rows: list[dict]) -> None:
    for row in rows:
        for key in ("first", "last", "company", "position"):
            if is_formula(_clean(row[key])):  # those are left out, tested above
                row[key] = "plain"
    out = io.StringIO(newline="")
    out.write("\ufeff" + PREAMBLE + HEADER + "\r\n")
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        day: dt.date = row["date"]
        written = f"{day.day} {_MONTHS[row['lang']][day.month - 1]} {day.year}"
        assert read_date(written) == day
        writer.writerow(
            [
                row["first"],
                row["last"],
                f"https://www.linkedin.com/in/{row['slug']}",
                "; ".join(row["emails"]),
                row["company"],
                row["position"],
                written,
            ]
        )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "Connections.csv"
        path.write_text(out.getvalue(), encoding="utf-8", newline="")
        found = list(read_linkedin(path))

    expected = [
        Person(
            name=" ".join(p for p in (_clean(row["first"]), _clean(row["last"])) if p),
            source="LinkedIn",
            where=f"Connections.csv line {5 + i}",
            emails=tuple(dict.fromkeys(row["emails"])),
            linkedin=f"https://www.linkedin.com/in/{row['slug']}",
            organization=_clean(row["company"]) or None,
            role=_clean(row["position"]) or None,
            connected_on=row["date"],
        )
        for i, row in enumerate(rows)
    ]
    assert found == expected
