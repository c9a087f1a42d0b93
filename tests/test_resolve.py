"""Link resolution, rule by rule (as Obsidian resolves links; README, "Your notes")."""

from __future__ import annotations

from vaultkit.notes.note import parse_note
from vaultkit.vault.resolve import LinkResolver


def resolver(*notes: tuple[str, str]) -> LinkResolver:
    return LinkResolver(parse_note(path, text.encode()) for path, text in notes)


def path_of(r: LinkResolver, target: str) -> str | None:
    note = r.resolve(target).note
    return note.path if note else None


def test_by_file_name_case_insensitively() -> None:
    r = resolver(("People/Jane Doe.md", ""))
    assert path_of(r, "Jane Doe") == "People/Jane Doe.md"
    assert path_of(r, "jane doe") == "People/Jane Doe.md"
    assert path_of(r, "JANE DOE.md") == "People/Jane Doe.md"


def test_path_must_match_the_tail() -> None:
    r = resolver(("People/Jane Doe.md", ""), ("Archive/Jane Doe.md", ""))
    assert path_of(r, "People/Jane Doe") == "People/Jane Doe.md"
    assert path_of(r, "archive/jane doe") == "Archive/Jane Doe.md"
    assert path_of(r, "Other/Jane Doe") is None
    assert path_of(r, "ople/Jane Doe") is None  # a tail is whole folders


def test_shortest_path_wins_and_ambiguity_is_remembered() -> None:
    r = resolver(("People/Alumni/Jane.md", ""), ("People/Jane.md", ""), ("Old/A/Jane.md", ""))
    resolution = r.resolve("Jane")
    assert resolution.note is not None and resolution.note.path == "People/Jane.md"
    assert resolution.ambiguous
    assert resolution.alternatives == ("Old/A/Jane.md", "People/Alumni/Jane.md")


def test_unique_name_is_not_ambiguous() -> None:
    assert not resolver(("Jane.md", "")).resolve("Jane").ambiguous


def test_aliases_then_name_as_fallback() -> None:
    r = resolver(
        ("People/Wei Chen.md", "---\naliases: [Prof. Chen, WC]\n---\n"),
        ("People/sr.md", "---\nname: Samuel Reyes\n---\n"),
        ("WC.md", ""),
    )
    assert path_of(r, "prof. chen") == "People/Wei Chen.md"
    assert path_of(r, "Samuel Reyes") == "People/sr.md"
    assert path_of(r, "WC") == "WC.md"  # a file name beats an alias


def test_display_and_heading_do_not_matter_because_the_grammar_drops_them() -> None:
    from vaultkit.notes.wikilinks import links_in_value

    r = resolver(("People/Jane Doe.md", ""))
    (link,) = links_in_value("[[People/Jane Doe#Log|Jane]]")
    assert path_of(r, link.target) == "People/Jane Doe.md"


def test_attachments_and_nothing() -> None:
    r = resolver(("Jane.md", ""))
    assert r.resolve("photo.png").attachment
    assert r.resolve("Nobody").note is None and not r.resolve("Nobody").attachment
    assert r.resolve("").note is None


def test_dotted_names_are_not_mistaken_for_attachments() -> None:
    r = resolver(("People/Dr. J. Smith.md", ""))
    assert path_of(r, "Dr. J. Smith") == "People/Dr. J. Smith.md"


def test_a_full_vault_path_is_not_ambiguous() -> None:
    r = resolver(("People/Jane.md", ""), ("Old/People/Jane.md", ""))
    exact = r.resolve("People/Jane")
    assert exact.note is not None and exact.note.path == "People/Jane.md"
    assert not exact.ambiguous
    assert r.resolve("Jane").ambiguous


def test_decomposed_unicode_file_names_match_composed_links() -> None:
    decomposed = "People/Jose\u0301 Marti\u0301nez.md"  # as macOS stores it
    r = resolver((decomposed, ""), ("People/Zoe\u0308.md", "---\naliases: [Zoe\u0308 C]\n---\n"))
    assert path_of(r, "José Martínez") == decomposed
    assert path_of(r, "JOSÉ MARTÍNEZ") == decomposed
    assert path_of(r, "Zoë C") == "People/Zoe\u0308.md"
    assert parse_note(decomposed, b"").name == "José Martínez"
