"""The wikilink grammar, in bodies and in front-matter values."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from vaultkit.notes.wikilinks import links_in_body, links_in_value


def targets(body: str) -> list[str]:
    return [link.target for link in links_in_body(body)]


def test_every_link_form() -> None:
    links = links_in_body(
        "[[Jane]] [[Jane Doe|Jane]] [[Acme#History]] [[People/Li Wei]] ![[photo.png]] "
        "[[Doc#^block1]] [[#Local heading]]"
    )
    assert [(link.target, link.display, link.anchor, link.embed) for link in links] == [
        ("Jane", None, None, False),
        ("Jane Doe", "Jane", None, False),
        ("Acme", None, "History", False),
        ("People/Li Wei", None, None, False),
        ("photo.png", None, None, True),
        ("Doc", None, "^block1", False),
    ]


def test_links_in_code_are_ignored_and_lines_still_count() -> None:
    body = (
        "intro\n```python\nx = '[[Not A Link]]'\n```\n`[[inline]]` and [[Real]]\n~~~\n[[No]]\n~~~\n"
    )
    links = links_in_body(body, first_line=10)
    assert [(link.target, link.line) for link in links] == [("Real", 14)]


def test_unclosed_fence_hides_the_rest_like_obsidian() -> None:
    assert targets("[[Before]]\n```\n[[Inside]]\n") == ["Before"]


def test_front_matter_values_in_every_accepted_form() -> None:
    assert [link.target for link in links_in_value("[[Jane Doe]]")] == ["Jane Doe"]
    plain = links_in_value("Jane Doe")
    assert [(link.target, link.is_wikilink) for link in plain] == [("Jane Doe", False)]
    assert [link.target for link in links_in_value(["[[A]]", "[[B|b]]"])] == ["A", "B"]
    assert [link.target for link in links_in_value("[[A]], [[B]]")] == ["A", "B"]
    assert [link.target for link in links_in_value([["Acme Corp"]])] == ["Acme Corp"]
    assert [link.target for link in links_in_value([["Acme", "Inc."]])] == ["Acme, Inc."]
    assert [link.target for link in links_in_value([[["A"]], [["B"]]])] == ["A", "B"]
    assert links_in_value("") == [] and links_in_value(None) == []


_name = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="[]|#^\n\r`~!"),
    min_size=1,
    max_size=40,
).filter(lambda s: s.strip())


@given(name=_name, display=st.one_of(st.none(), _name))
def test_any_legal_name_is_found(name: str, display: str | None) -> None:
    link = f"[[{name}|{display}]]" if display else f"[[{name}]]"
    found = links_in_body(f"see {link} here")
    assert [link.target for link in found] == [name.strip()]
    assert links_in_value(link)[0].target == name.strip()


@given(st.text(max_size=500))
def test_body_scan_never_raises(text: str) -> None:
    links_in_body(text)
