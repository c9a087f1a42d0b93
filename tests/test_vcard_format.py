"""vCard files in and out (`vaultkit.address_book.vcard`): what Apple, Android
and old phones export reads into the right people; a broken card costs that
card and nothing else; what `format_vcard` writes reads back the same, here
and in vobject (an independent parser, standing in for Contacts)."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
import vobject
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from vaultkit.address_book.cleaning import (
    clean_text,
    email_value,
    normalise_email,
    phone_value,
    text_value,
)
from vaultkit.address_book.person import ImportFileError, Person
from vaultkit.address_book.vcard import CardFields, format_vcard, read_vcards, split_name

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"


def _read(path: Path) -> list[Person]:
    return list(read_vcards(path))


def _write(tmp_path: Path, content: str | bytes, name: str = "cards.vcf") -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def _card(*lines: str) -> str:
    return "\r\n".join(["BEGIN:VCARD", "VERSION:3.0", *lines, "END:VCARD"]) + "\r\n"


def _by_name(people: list[Person]) -> dict[str, Person]:
    return {p.name: p for p in people}


# ------------------------------------------------------------------ real exports


def test_apple_export_reads_groups_labels_escapes_and_folds() -> None:
    people = _read(FIXTURES / "vcard-apple.vcf")
    assert [p.where for p in people] == [
        "vcard-apple.vcf line 1",
        "vcard-apple.vcf line 27",
        "vcard-apple.vcf line 41",
        "vcard-apple.vcf line 48",
        "vcard-apple.vcf line 56",
    ]
    ada = people[0]
    assert ada.name == "Adaeze Okonkwo"
    assert ada.source == "vCard"
    # type=pref puts the work address first although the file lists it second
    assert ada.emails == ("adaeze@brightwater.example.com", "ada.okonkwo@example.org")
    assert ada.phones == ("+1 (555) 010-0142", "+1 555 010 0199")
    # item4.URL is LinkedIn because item4.X-ABLabel says so; item5's homepage is not imported
    assert ada.linkedin == "https://www.linkedin.com/in/adaeze-okonkwo-example"
    assert ada.organization == "Brightwater Analytics"  # not "…;Data Platform"
    assert ada.role == "Staff Engineer"
    assert ada.location == "Boston"
    assert ada.aliases == ("Ada",)
    assert ada.problems == ()

    tomas = people[1]
    assert tomas.name == "Tomás Ñúñez-Lindqvist"
    assert tomas.organization == "Lindqvist, Berg & Partners"  # \, unescaped
    # a title folded across two lines comes back whole, with its escaped commas
    assert (
        tomas.role == "Director of Engineering, Platform & Infrastructure (EMEA and the Americas)"
    )
    # X-SOCIALPROFILE written as x-apple:user gives the profile from x-user
    assert tomas.linkedin == "https://www.linkedin.com/in/tomas-nunez-example"


def test_apple_card_without_fn_is_named_from_n_and_a_bare_linkedin_url_counts() -> None:
    leila = _read(FIXTURES / "vcard-apple.vcf")[2]
    assert leila.name == "Leila Haddad"
    assert leila.linkedin == "https://linkedin.com/in/leila-haddad-example"
    assert leila.emails == ("leila@cedarpine.example.com",)


def test_apple_company_card_is_reported_not_imported_as_a_person() -> None:
    company = _read(FIXTURES / "vcard-apple.vcf")[3]
    assert company.name == ""
    assert company.problems == (
        "the card is a company ('Brightwater Analytics'), not a person; not read",
    )


def test_apple_card_with_bad_values_keeps_the_person_and_says_what_was_left_out() -> None:
    bence = _read(FIXTURES / "vcard-apple.vcf")[4]
    assert bence.name == "Bence Varga"
    assert bence.emails == ()
    assert bence.linkedin is None  # a javascript: link labelled LinkedIn is not taken
    assert bence.problems == (
        "EMAIL 'not an address' is not an e-mail address; left out",
        "URL 'javascript:alert(1)' is not a web address; left out",
    )


def test_android_4_0_export_reads_pref_order_tel_uris_and_social_profile() -> None:
    priya, hanako = _read(FIXTURES / "vcard-android-4.0.vcf")
    assert priya.name == "Priya Raman"
    assert priya.emails == (
        "priya.raman@northwind.example.com",
        "priya@example.net",
    )  # PREF=1 first
    assert priya.phones == ("+1-555-010-0123", "+1-555-010-0177 ext 42")  # tel: URIs, ;ext=
    assert priya.role == "Hiring manager"  # ROLE, as there is no TITLE
    assert priya.organization == "Northwind Robotics"
    assert priya.location == "Portland"
    assert priya.linkedin == "https://linkedin.com/in/priya-raman-example"
    assert priya.aliases == ("Pri", "PR")
    assert priya.problems == ()
    # the name in another script (FN;ALTID=1;LANGUAGE=ja) is an alias
    assert hanako.name == "Hanako Yamada"
    assert hanako.aliases == ("山田花子",)
    assert hanako.location == "Kanagawa"  # no locality: the region
    assert hanako.where == "vcard-android-4.0.vcf line 20"


def test_vcard_2_1_quoted_printable_charsets_and_bare_parameters() -> None:
    juergen, amelie = _read(FIXTURES / "vcard-2.1.vcf")
    # a soft line break inside a UTF-8 character ("=C3=BC=" / "ller")
    assert juergen.name == "Jürgen Müller"
    assert juergen.organization == "Schön & Söhne GmbH"  # CHARSET=ISO-8859-1
    assert juergen.role == "Leiter Einkauf und Logistik"
    assert juergen.location == "München"
    assert juergen.phones == ("+49 555 0100 200", "+49 555 0100 201")  # TEL;CELL;PREF
    assert juergen.emails == ("juergen.mueller@example.de",)
    # raw 8-bit Latin-1 with and without a CHARSET, and a base64 photo ended by a blank line
    assert amelie.name == "Amélie Lefèvre"
    assert amelie.emails == ("amelie.lefevre@example.fr",)
    assert amelie.where == "vcard-2.1.vcf line 15"
    assert amelie.problems == ()


def test_vdir_reads_one_card_per_file_in_name_order_and_skips_other_files() -> None:
    folder = FIXTURES / "vcard-vdir"
    seen: list[int] = []
    people = list(read_vcards(folder, on_bytes=seen.append))
    assert [(p.name, p.where) for p in people] == [
        ("Kwame Asante", "2b9d7c6e-1a0f-4e3d-8b2c-9f8e7d6c5b4a.vcf"),
        ("Marisol Etxeberria", "8c1f0e2a-4b7d-4c1e-9a3f-1d2e3f4a5b6c.vcf"),
        ("Ingrid Solberg", "f4e3d2c1-0b9a-4876-a5b4-c3d2e1f0a9b8.vcf"),
    ]
    assert people[0].linkedin == "https://www.linkedin.com/in/kwame-asante-example"
    assert people[1].role == "Recruiter"
    cards = [p for p in folder.iterdir() if p.suffix == ".vcf" and not p.name.startswith(".")]
    assert seen[-1] == sum(p.stat().st_size for p in cards)


def test_vdir_file_that_is_not_a_card_costs_that_file_only(tmp_path: Path) -> None:
    folder = tmp_path / "contacts"
    folder.mkdir()
    _write(folder, _card("FN:Odile Marchand"), "a.vcf")
    _write(folder, "this is not a card\n", "b.vcf")
    _write(folder, _card("FN:Rafael Quiroga") + _card("FN:Second In File"), "c.vcf")
    people = _read(folder)
    assert [(p.name, p.where, p.problems) for p in people] == [
        ("Odile Marchand", "a.vcf", ()),
        ("", "b.vcf", ("not a vCard file (no BEGIN:VCARD)",)),
        ("Rafael Quiroga", "c.vcf", ()),
        ("Second In File", "c.vcf line 5", ()),
    ]


def test_folder_without_cards_says_so_and_points_at_a_subfolder_that_has_them(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "khard"
    (folder / "personal").mkdir(parents=True)
    _write(folder / "personal", _card("FN:Someone"), "x.vcf")
    with pytest.raises(ImportFileError) as error:
        _read(folder)
    assert str(error.value) == (
        "khard: no .vcf files in the folder; its subfolder 'personal' holds some: "
        "give that folder instead"
    )


# ------------------------------------------------------------------ syntax details


def test_unfolding_takes_crlf_or_lf_with_space_or_tab_even_inside_a_utf8_character(
    tmp_path: Path,
) -> None:
    name = "Zoë Castellanos-Ébrard".encode()
    cut = name.index("ë".encode()) + 1  # between the two bytes of ë
    content = (
        b"BEGIN:VCARD\nVERSION:3.0\nFN:" + name[:cut] + b"\n " + name[cut:] + b"\n"
        b"ORG:Lighthouse\r\n\tKeepers\r\nEND:VCARD\n"
    )
    (person,) = _read(_write(tmp_path, content))
    assert person.name == "Zoë Castellanos-Ébrard"
    assert person.organization == "LighthouseKeepers"


def test_escapes_quoted_parameters_and_repeated_types(tmp_path: Path) -> None:
    content = _card(
        r"FN:Aroha Ngata\, MBA \\ \;x",
        'ADR;TYPE=home;LABEL="Flat 2: Rose Court; Wellington":;;2 Rose Ct;Wellington;;;NZ',
        "EMAIL;type=INTERNET;type=WORK:aroha@example.nz",
        "EMAIL;TYPE=home,pref:aroha.home@example.nz",
        r"TITLE:Head of Research\nand Policy",
        "ORG:Kauri, Fern & Co.;Research",
    )
    (person,) = _read(_write(tmp_path, content))
    assert person.name == "Aroha Ngata, MBA \\ ;x"
    assert person.location == "Wellington"  # the : and ; inside the quoted LABEL did not split
    assert person.emails == ("aroha.home@example.nz", "aroha@example.nz")
    assert person.role == "Head of Research and Policy"  # a note-style \n becomes a space
    assert person.organization == "Kauri, Fern & Co."  # an unescaped comma in ORG is text


def test_card_with_neither_fn_nor_n_has_no_name_and_is_kept_for_the_caller_to_skip(
    tmp_path: Path,
) -> None:
    (person,) = _read(_write(tmp_path, _card("EMAIL:nameless@example.com")))
    assert person.name == ""
    assert person.emails == ("nameless@example.com",)


def test_bom_crlf_and_windows_1252_bytes(tmp_path: Path) -> None:
    content = b"\xef\xbb\xbf" + _card("FN:Fran\xe7ois B\xe9rub\xe9").encode("latin-1")
    (person,) = _read(_write(tmp_path, content))
    assert person.name == "François Bérubé"


def test_utf16_file_from_windows(tmp_path: Path) -> None:
    content = _card("FN:Łucja Wiśniewska", "EMAIL:lucja@example.pl").encode("utf-16")
    (person,) = _read(_write(tmp_path, content))
    assert (person.name, person.emails, person.where) == (
        "Łucja Wiśniewska",
        ("lucja@example.pl",),
        "cards.vcf line 1",
    )


def test_a_formula_for_a_name_is_left_out_with_a_reason(tmp_path: Path) -> None:
    (person,) = _read(_write(tmp_path, _card('FN:=HYPERLINK("http://x.example")')))
    assert person.name == ""
    assert person.problems == (
        """FN '=HYPERLINK("http://x.example")' looks like a spreadsheet formula; left out""",
    )


def test_on_bytes_reports_progress_now_and_then_and_the_whole_file_at_the_end(
    tmp_path: Path,
) -> None:
    path = _write(tmp_path, "".join(_card(f"FN:Person {i}") for i in range(3000)))
    seen: list[int] = []
    people = list(read_vcards(path, on_bytes=seen.append))
    assert len(people) == 3000
    assert seen == sorted(seen)
    assert seen[-1] == path.stat().st_size
    assert 5 <= len(seen) <= 3000 * 5 // 1000 + 1  # about once per 1,000 lines, not per card


# ------------------------------------------------------------------ hostile files


@pytest.mark.parametrize(
    "content",
    [
        b"First Name,Last Name,Email\nJane,Doe,jane@example.com\n",
        b"",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
        b"x" * 3_000_000,  # one enormous line
        b"\n".join([b"# comment"] * 25) + b"\nBEGIN:VCARD\nFN:Too Late\nEND:VCARD\n",
    ],
    ids=["csv", "empty", "binary", "enormous-line", "begin-too-late"],
)
def test_a_file_that_is_not_a_vcard_says_so_in_one_line(tmp_path: Path, content: bytes) -> None:
    with pytest.raises(ImportFileError) as error:
        _read(_write(tmp_path, content))
    assert str(error.value) == "cards.vcf line 1: not a vCard file (no BEGIN:VCARD)"


def test_a_truncated_card_followed_by_a_good_one_yields_the_good_one(tmp_path: Path) -> None:
    content = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Cut Short\r\nEMAIL:cut@example.com\r\n" + _card(
        "FN:Whole Card", "EMAIL:whole@example.com"
    )
    cut, whole = _read(_write(tmp_path, content))
    assert cut.name == ""
    assert cut.where == "cards.vcf line 1"
    assert cut.problems == (
        "no END:VCARD before line 5 starts another card; the card of 'Cut Short' was not read",
    )
    assert (whole.name, whole.emails, whole.where) == (
        "Whole Card",
        ("whole@example.com",),
        "cards.vcf line 5",
    )


def test_a_card_cut_off_by_the_end_of_the_file_is_reported(tmp_path: Path) -> None:
    content = _card("FN:First") + "BEGIN:VCARD\r\nFN:Last\r\nTEL:+1 555 010 0100\r\n"
    first, last = _read(_write(tmp_path, content))
    assert first.name == "First"
    assert (last.name, last.where) == ("", "cards.vcf line 5")
    assert last.problems == (
        "no END:VCARD before the end of the file (line 7); the card of 'Last' was not read",
    )


def test_a_broken_line_costs_its_card_and_names_the_line(tmp_path: Path) -> None:
    content = _card(
        "FN:Imogen Blackwood", "NOTE:Call about the", "role at 10 or so", "EMAIL:im@example.com"
    ) + _card("FN:Next Person")
    broken, following = _read(_write(tmp_path, content))
    assert broken.name == ""
    assert broken.problems == (
        "line 5 is not a vCard property ('role at 10 or so'); "
        "the card of 'Imogen Blackwood' was not read",
    )
    assert following.name == "Next Person"


def test_a_nested_begin_vcard_reports_the_outer_card_and_reads_on(tmp_path: Path) -> None:
    content = (
        "BEGIN:VCARD\r\nFN:Outer\r\nBEGIN:VCARD\r\nFN:Inner\r\nEND:VCARD\r\n"
        "EMAIL:stray@example.com\r\nEND:VCARD\r\n" + _card("FN:After")
    )
    people = _read(_write(tmp_path, content))
    assert [(p.name, p.where) for p in people] == [
        ("", "cards.vcf line 1"),
        ("Inner", "cards.vcf line 3"),
        ("After", "cards.vcf line 8"),
    ]


def test_a_2_1_agent_card_inside_a_card_is_skipped_and_the_owner_read(tmp_path: Path) -> None:
    content = (
        "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Executive Person\r\nAGENT:\r\n"
        "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Their Assistant\r\nEND:VCARD\r\n"
        "EMAIL;INTERNET:exec@example.com\r\nEND:VCARD\r\n"
    )
    (person,) = _read(_write(tmp_path, content))
    assert (person.name, person.emails) == ("Executive Person", ("exec@example.com",))


def test_a_dangling_quoted_printable_soft_break_does_not_swallow_end_vcard(
    tmp_path: Path,
) -> None:
    content = _card("FN:Soft Break", "NOTE;ENCODING=QUOTED-PRINTABLE:ends badly=") + _card(
        "FN:Next"
    )
    assert [p.name for p in _read(_write(tmp_path, content))] == ["Soft Break", "Next"]


def test_enormous_lines_cost_their_value_only(tmp_path: Path) -> None:
    photo = "PHOTO;ENCODING=b;TYPE=JPEG:" + "A" * 2_000_000  # unfolded, as some tools write it
    huge_email = "EMAIL:" + "b" * 400_000 + "@example.com"
    content = _card("FN:Big Picture", photo, huge_email, "EMAIL:ok@example.com") + _card("FN:Next")
    big, after = _read(_write(tmp_path, content))
    assert big.name == "Big Picture"
    assert big.emails == ("ok@example.com",)
    assert big.problems == ("EMAIL on line 5 is longer than 256 KB; left out",)
    assert after.name == "Next"


def test_value_with_a_line_break_cannot_end_a_card_early(tmp_path: Path) -> None:
    card = CardFields(
        uid="1",
        full_name="Mallory\r\nEND:VCARD\r\nBEGIN:VCARD\r\nFN:Injected",
        family="",
        given="",
    )
    (person,) = _read(_write(tmp_path, format_vcard(card)))
    assert person.name == "Mallory END:VCARD BEGIN:VCARD FN:Injected"


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(content=st.binary(max_size=2000))
def test_random_bytes_raise_nothing_but_import_file_error(tmp_path: Path, content: bytes) -> None:
    path = _write(tmp_path, content)
    try:
        people = _read(path)
    except ImportFileError as error:
        assert str(error) == "cards.vcf line 1: not a vCard file (no BEGIN:VCARD)"
    else:
        assert all(isinstance(p, Person) for p in people)


_FRAGMENTS = [
    "BEGIN:VCARD",
    "END:VCARD",
    "begin:vcard",
    "FN:",
    "N:",
    "item1.",
    "X-ABLabel:LinkedIn",
    "URL:",
    "EMAIL;TYPE=",
    "TEL;VALUE=uri:tel:",
    "ORG:",
    "ADR:",
    "NICKNAME:",
    "AGENT:",
    "KIND:org",
    ";ENCODING=QUOTED-PRINTABLE",
    ";CHARSET=",
    "CHARSET=rot13",
    "CHARSET=utf-7",
    ";PREF=",
    "x-user=",
    "X-SOCIALPROFILE;type=linkedin",
    "=",
    "=C3",
    '"',
    ";",
    ":",
    ",",
    "\\",
    "\\n",
    "^",
    " ",
    "\t",
    "\r\n",
    "\n",
    "\r",
    "\x00",
    "\xe9",
    "😀",
    "linkedin.com/in/x",
    "a@b.example",
]


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(pieces=st.lists(st.sampled_from(_FRAGMENTS), max_size=80), latin=st.booleans())
def test_vcard_shaped_garbage_raises_nothing_but_import_file_error(
    tmp_path: Path, pieces: list[str], latin: bool
) -> None:
    text = "BEGIN:VCARD\r\nVERSION:3.0\r\n" + "".join(pieces)
    content = text.encode("latin-1", errors="replace") if latin else text.encode("utf-8")
    people = _read(_write(tmp_path, content))  # it starts with BEGIN:VCARD: never "not a vCard"
    assert people
    assert all(isinstance(p, Person) and isinstance(p.name, str) for p in people)


@pytest.mark.slow
def test_a_big_file_streams_card_by_card_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.vcf"
    with path.open("wb") as handle:
        for i in range(15_000):
            handle.write(
                _card(
                    f"FN:Person Number {i}",
                    f"N:Number {i};Person;;;",
                    f"EMAIL;TYPE=INTERNET:person{i}@example.com",
                    "TEL;TYPE=CELL:+1 555 010 0100",
                    "ORG:Some Company;Some Department",
                    "NOTE:" + "n" * 80,
                ).encode()
            )
        # and one card that never ends, with 100,000 addresses in it
        handle.write(b"BEGIN:VCARD\r\nFN:Endless\r\n")
        handle.write(b"EMAIL:someone@example.com\r\n" * 100_000)
    assert path.stat().st_size > 5_000_000
    tracemalloc.start()
    try:
        count = 0
        last = None
        for person in read_vcards(path):
            count += 1
            last = person
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 15_001
    assert last is not None and last.name == "" and "no END:VCARD" in last.problems[0]
    assert peak < 4_000_000  # the file is over 5 MB


# ------------------------------------------------------------------ writing


def _sample() -> CardFields:
    return CardFields(
        uid="vaultkit-jane-doe",
        full_name="Dr. Jane Doe",
        family="Doe",
        given="Jane",
        emails=("jane@example.com", "jane.doe@work.example.com"),
        phones=("+1 555 010 0100",),
        organization="Acme, Inc.",
        role="VP; Engineering",
        linkedin="https://www.linkedin.com/in/jane-doe-example",
        note="Met at the conference.\nFollow up in May.",
        aliases=("JD", "Janie"),
    )


def test_format_vcard_writes_the_layout_contacts_apps_import() -> None:
    assert format_vcard(_sample()) == (
        "BEGIN:VCARD\r\n"
        "VERSION:3.0\r\n"
        "PRODID:-//vaultkit//EN\r\n"
        "N:Doe;Jane;;;\r\n"
        "FN:Dr. Jane Doe\r\n"
        "UID:vaultkit-jane-doe\r\n"
        "ORG:Acme\\, Inc.\r\n"
        "TITLE:VP\\; Engineering\r\n"
        "EMAIL;TYPE=INTERNET:jane@example.com\r\n"
        "EMAIL;TYPE=INTERNET:jane.doe@work.example.com\r\n"
        "TEL:+1 555 010 0100\r\n"
        "URL:https://www.linkedin.com/in/jane-doe-example\r\n"
        "X-SOCIALPROFILE;TYPE=linkedin:https://www.linkedin.com/in/jane-doe-example\r\n"
        "NICKNAME:JD,Janie\r\n"
        "NOTE:Met at the conference.\\nFollow up in May.\r\n"
        "END:VCARD\r\n"
    )


def test_format_vcard_is_byte_identical_for_the_same_contact_and_has_no_timestamp() -> None:
    first = format_vcard(_sample())
    again = format_vcard(CardFields(**_sample().__dict__))
    assert first == again
    assert "REV" not in first and "\n" not in first.replace("\r\n", "")


def test_format_vcard_minimal_card_still_has_n_and_fn() -> None:
    text = format_vcard(
        CardFields(uid="u1", full_name="Prof. Maria de la Cruz", family="", given="")
    )
    assert "N:de la Cruz;Maria;;;\r\n" in text
    assert "FN:Prof. Maria de la Cruz\r\n" in text
    assert "ORG" not in text and "EMAIL" not in text and "NICKNAME" not in text
    nameless = format_vcard(CardFields(uid="u2", full_name="", family="Ito", given="Ken"))
    assert "FN:Ken Ito\r\n" in nameless


def test_folding_keeps_lines_at_75_octets_without_splitting_a_character() -> None:
    note = "Résumé notes — 日本語のメモ 😀👩‍💻, with commas; and\nbreaks. " * 12
    text = format_vcard(CardFields(uid="u", full_name="Fold Me", family="", given="", note=note))
    raw = text.encode("utf-8")
    for line in raw.split(b"\r\n")[:-1]:
        assert len(line) <= 75
        line.decode("utf-8")  # every physical line is whole UTF-8
    card = next(vobject.readComponents(text))
    assert card.note.value == note


@pytest.mark.parametrize(
    "value",
    ["a,b", "a;b", "back\\slash", "two\nlines", "trailing\\", "\\n literally", "x\r\ny"],
)
def test_escaping_round_trips_through_both_readers(tmp_path: Path, value: str) -> None:
    card = CardFields(uid="u", full_name=f"Jo {value}", family="", given="", organization=value)
    text = format_vcard(card)
    (person,) = _read(_write(tmp_path, text))
    assert person.name == clean_text(f"Jo {value}")
    assert person.organization == clean_text(value)
    parsed = next(vobject.readComponents(text))
    assert parsed.org.value == [value.replace("\r\n", "\n")]


# Text a person might type or paste: any script, emoji, and the characters
# vCard must escape. Control characters other than the line break are left to
# `test_round_trip_matches_cleaning` (the writer turns them into spaces).
_TYPED = st.lists(
    st.one_of(
        st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")),
        st.sampled_from([",", ";", "\\", "\n", ":", '"', "😀", "👩‍💻", "é", "ß", "日"]),
    ),
    max_size=30,
).map("".join)
_LABEL = st.text(
    st.sampled_from("abcdefghijklmnopqrstuvwxyzäöüéñ0123456789-"), min_size=1, max_size=12
)
_EMAIL = st.builds(
    lambda local, domain, tld: f"{local}@{domain}.{tld}",
    st.text(st.sampled_from("abcxyzABCäö0189._+-"), min_size=1, max_size=12),
    _LABEL,
    st.sampled_from(["com", "org", "example", "co.uk", "de"]),
).filter(lambda e: email_value(e, "EMAIL")[0] == e)
_PHONE = st.from_regex(r"\+?[0-9][0-9 ()./\-]{2,16}[0-9]", fullmatch=True).filter(
    lambda p: phone_value(p, "TEL")[0] is not None
)
_LINKEDIN = st.from_regex(r"https://www\.linkedin\.com/in/[a-z0-9\-]{3,20}", fullmatch=True)


@st.composite
def _cards(draw: st.DrawFn, text: st.SearchStrategy[str] = _TYPED) -> CardFields:
    full_name = draw(text)
    assume(text_value(full_name, "FN")[0] is not None)
    return CardFields(
        uid=draw(st.uuids()).hex,
        full_name=full_name,
        family=draw(text),
        given=draw(text),
        emails=tuple(draw(st.lists(_EMAIL, max_size=3))),
        phones=tuple(draw(st.lists(_PHONE, max_size=3))),
        organization=draw(st.none() | text),
        role=draw(st.none() | text),
        linkedin=draw(st.none() | _LINKEDIN),
        note=draw(st.none() | text),
        aliases=tuple(draw(st.lists(text, max_size=3))),
    )


def _unique(values: list[str], key: Callable[[str], str] = str) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for value in values:
        seen.setdefault(key(value), value)
    return tuple(seen.values())


def _expected(card: CardFields) -> dict[str, object]:
    """What reading `format_vcard(card)` back must give: each value as the
    shared cleaning makes it."""
    name = text_value(card.full_name, "FN")[0]
    aliases: list[str] = []
    for alias in card.aliases:
        value = text_value(alias, "NICKNAME")[0]
        if value and value.casefold() not in [a.casefold() for a in [name, *aliases]]:
            aliases.append(value)
    return {
        "name": name,
        "emails": _unique([email_value(e, "")[0] for e in card.emails], normalise_email),
        "phones": _unique([phone_value(p, "")[0] for p in card.phones]),
        "organization": text_value(card.organization, "ORG")[0],
        "role": text_value(card.role, "TITLE")[0],
        "linkedin": card.linkedin,
        "aliases": tuple(aliases),
    }


_ANY_TEXT = st.text(
    st.characters(blacklist_categories=("Cs",)) | st.sampled_from(",;\\\n"), max_size=25
)
_CARD_LISTS = st.lists(_cards(_ANY_TEXT), min_size=1, max_size=4)
_FIXTURE_OK = [HealthCheck.function_scoped_fixture]


def _check_round_trip(path: Path, cards: list[CardFields]) -> None:
    """format_vcard → read_vcards gives every value back as the cleaning
    functions would have it, for any text at all (control characters too)."""
    path.write_text("".join(format_vcard(c) for c in cards), encoding="utf-8", newline="")
    people = _read(path)
    assert len(people) == len(cards)
    for card, person in zip(cards, people, strict=True):
        got = {key: getattr(person, key) for key in _expected(card)}
        assert got == _expected(card)
        # the only values left out are text a spreadsheet would run
        assert all("looks like a spreadsheet formula" in p for p in person.problems)


@settings(max_examples=25, deadline=None, suppress_health_check=_FIXTURE_OK)
@given(cards=_CARD_LISTS)
def test_round_trip_matches_cleaning(tmp_path: Path, cards: list[CardFields]) -> None:
    _check_round_trip(tmp_path / "cards.vcf", cards)


@pytest.mark.slow
@settings(max_examples=250, deadline=None, suppress_health_check=_FIXTURE_OK)
@given(cards=_CARD_LISTS)
def test_round_trip_matches_cleaning_thoroughly(tmp_path: Path, cards: list[CardFields]) -> None:
    _check_round_trip(tmp_path / "cards.vcf", cards)


def _check_vobject(card: CardFields) -> None:
    """An independent parser sees the same name, N, addresses, numbers,
    organisation and UID: what Contacts would import."""
    text = format_vcard(card)
    parsed = list(vobject.readComponents(text))
    assert len(parsed) == 1
    vcard = parsed[0]
    assert vcard.fn.value == card.full_name.strip()
    family, given_name = (card.family, card.given)
    if not family.strip() and not given_name.strip():
        family, given_name = split_name(card.full_name)
    assert (vcard.n.value.family, vcard.n.value.given) == (family, given_name)
    assert [e.value for e in vcard.contents.get("email", [])] == list(card.emails)
    assert [t.value for t in vcard.contents.get("tel", [])] == list(card.phones)
    if card.organization:
        assert vcard.org.value == [card.organization]
    else:
        assert "org" not in vcard.contents
    assert vcard.uid.value == card.uid


@settings(max_examples=40, deadline=None)
@given(card=_cards())
def test_vobject_reads_what_format_vcard_writes(card: CardFields) -> None:
    _check_vobject(card)


@pytest.mark.slow
@settings(max_examples=500, deadline=None)
@given(card=_cards())
def test_vobject_reads_what_format_vcard_writes_thoroughly(card: CardFields) -> None:
    _check_vobject(card)


def test_several_formatted_cards_parse_as_several_in_vobject() -> None:
    cards = [
        CardFields(
            uid=str(i), full_name=f"Person {i}", family="", given="", emails=(f"p{i}@x.example",)
        )
        for i in range(5)
    ]
    parsed = list(vobject.readComponents("".join(format_vcard(c) for c in cards)))
    assert [p.fn.value for p in parsed] == [f"Person {i}" for i in range(5)]
    assert [p.email.value for p in parsed] == [f"p{i}@x.example" for i in range(5)]


# ------------------------------------------------------------------ split_name


@pytest.mark.parametrize(
    ("full_name", "expected"),
    [
        ("Jane Doe", ("Doe", "Jane")),
        ("Jane Q. Public", ("Public", "Jane Q.")),
        ("Doe, Jane", ("Doe", "Jane")),
        ("Doe, Dr. Jane", ("Doe", "Jane")),
        ("Dr. Jane Doe", ("Doe", "Jane")),
        ("Prof Ana María López", ("López", "Ana María")),
        ("Martin Luther King Jr.", ("King", "Martin Luther")),
        ("Jane Doe, PhD", ("Doe", "Jane")),
        ("Jane Doe, Jr., MBA", ("Doe", "Jane")),
        ("Vincent van Gogh", ("van Gogh", "Vincent")),
        ("Maria de la Cruz", ("de la Cruz", "Maria")),
        ("Van Morrison", ("Morrison", "Van")),
        ("Cher", ("Cher", "")),
        ("Dr.", ("Dr.", "")),
        ("  Jane   Doe  ", ("Doe", "Jane")),
        ("", ("", "")),
        ("山田花子", ("山田花子", "")),
    ],
)
def test_split_name(full_name: str, expected: tuple[str, str]) -> None:
    assert split_name(full_name) == expected
