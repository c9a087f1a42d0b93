"""Splitting front-matter from body, with line numbers."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from vaultkit.notes.frontmatter import split_front_matter


def test_block_and_body_with_lines() -> None:
    split = split_front_matter("---\na: 1\nb: 2\n---\nbody\n")
    assert split.yaml_text == "a: 1\nb: 2\n"
    assert split.yaml_first_line == 2
    assert split.body == "body\n"
    assert split.body_first_line == 5


def test_no_front_matter_when_first_line_is_not_a_fence() -> None:
    split = split_front_matter("\n---\na: 1\n---\n")
    assert split.yaml_text is None
    assert split.body.startswith("\n---")


def test_unclosed_block_is_flagged_and_kept_as_body() -> None:
    split = split_front_matter("---\na: 1\nstill yaml?\n")
    assert split.unclosed
    assert split.yaml_text is None
    assert split.body == "---\na: 1\nstill yaml?\n"


def test_empty_block_and_file_ending_at_closing_fence() -> None:
    split = split_front_matter("---\n---")
    assert split.yaml_text == ""
    assert split.body == ""


def test_horizontal_rule_in_body_does_not_end_anything() -> None:
    split = split_front_matter("---\na: 1\n---\ntext\n---\nmore\n")
    assert split.yaml_text == "a: 1\n"
    assert split.body == "text\n---\nmore\n"


_lines = st.lists(
    st.text(alphabet=st.characters(blacklist_characters="\n\r"), max_size=30).filter(
        lambda line: line.rstrip() != "---"
    ),
    max_size=8,
)


@given(yaml_lines=_lines, body=st.text(max_size=200))
def test_any_block_round_trips(yaml_lines: list[str], body: str) -> None:
    yaml_text = "".join(line + "\n" for line in yaml_lines)
    split = split_front_matter("---\n" + yaml_text + "---\n" + body)
    assert split.yaml_text == yaml_text
    assert split.body == body
    assert split.body_first_line == len(yaml_lines) + 3


@given(st.text(max_size=300))
def test_never_raises_and_never_loses_text(text: str) -> None:
    split = split_front_matter(text)
    if split.yaml_text is None:
        assert split.body == text
    else:
        assert split.yaml_text in text and text.endswith(split.body)
