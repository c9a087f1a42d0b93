"""Front-matter YAML: read as typed, with lines, and with limits that hold."""

from __future__ import annotations

from pathlib import Path

import pytest

from vaultkit.notes.yaml_text import MAX_VALUES, YamlProblem, load_yaml_mapping


def load(text: str) -> dict[str, object]:
    return load_yaml_mapping(text, 2).data


def test_yaml_11_surprises_stay_the_text_typed() -> None:
    data = load("phone: 0612345670\ntime: 12:30\nkeep_in_touch: no\nflag: yes\nzip: 02134\n")
    assert data == {
        "phone": "0612345670",
        "time": "12:30",
        "keep_in_touch": "no",
        "flag": "yes",
        "zip": "02134",
    }


def test_dates_and_datetimes_stay_text_for_the_value_reader() -> None:
    data = load("a: 2026-11-25\nb: 2026-11-25 14:00\nc: 2026-11-25T14:00:00-08:00\n")
    assert data == {"a": "2026-11-25", "b": "2026-11-25 14:00", "c": "2026-11-25T14:00:00-08:00"}


def test_unquoted_wikilink_is_a_nested_list() -> None:
    assert load("organization: [[Acme Corp]]\n") == {"organization": [["Acme Corp"]]}


def test_empty_and_null_values_are_none_but_quoted_ones_are_text() -> None:
    assert load("role:\nb: ~\nc: null\nd: 'null'\ne: ''\n") == {
        "role": None,
        "b": None,
        "c": None,
        "d": "null",
        "e": "",
    }
    assert load("") == {}
    assert load("# only a comment\n") == {}


def test_key_lines_are_file_lines() -> None:
    loaded = load_yaml_mapping("name: A\n\n# comment\nrole: B\n", 2)
    assert loaded.key_lines == {"name": 2, "role": 5}


def test_duplicate_keys_are_reported_with_their_line() -> None:
    loaded = load_yaml_mapping("status: contacted\nrole: x\nstatus: closed\n", 2)
    assert loaded.data["status"] == "closed"
    assert loaded.duplicate_keys == [("status", 4)]


def test_bad_yaml_names_its_file_line() -> None:
    with pytest.raises(YamlProblem) as caught:
        load_yaml_mapping("name: A\nrole: [unclosed\nemail: a@b\n", 2)
    assert caught.value.line is not None and caught.value.line >= 3
    assert "not valid YAML" in caught.value.message


def test_tab_indentation_is_a_problem_not_a_crash() -> None:
    with pytest.raises(YamlProblem):
        load("a:\n\tb: 1\n")


@pytest.mark.parametrize(
    ("text", "kind"), [("- a\n- b\n", "a list"), ("just text\n", "a single value")]
)
def test_front_matter_must_be_a_mapping(text: str, kind: str) -> None:
    with pytest.raises(YamlProblem) as caught:
        load_yaml_mapping(text, 2)
    assert kind in caught.value.message
    assert caught.value.line == 2


def test_python_tags_are_only_text_and_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    data = load(f"x: !!python/object/apply:os.system ['touch {marker}']\ny: !!int 12\n")
    assert data == {"x": [f"touch {marker}"], "y": "12"}
    assert not marker.exists()


def test_alias_bomb_is_refused_quickly() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n"
    for level in range(1, 9):
        previous = chr(ord("a") + level - 1)
        name = chr(ord("a") + level)
        bomb += f"{name}: &{name} [{', '.join(['*' + previous] * 9)}]\n"
    with pytest.raises(YamlProblem) as caught:
        load(bomb)
    assert str(MAX_VALUES) in caught.value.message


@pytest.mark.parametrize(
    "text",
    ["a: " + "[" * 30_000, "a: " + "{b: " * 30_000, "a:\n" + "- " * 30_000 + "x\n"],
    ids=["brackets", "braces", "dashes"],
)
def test_deep_nesting_is_refused_before_the_parser(text: str) -> None:
    """libyaml's composer segfaults around 25,000 levels: this test dies if the guard fails."""
    with pytest.raises(YamlProblem) as caught:
        load(text)
    assert "nests deeper" in caught.value.message


def test_moderate_nesting_and_long_lists_load() -> None:
    many = "referred_by:\n" + "".join(f"  - '[[P{i}]]'\n" for i in range(500))
    assert len(load(many)["referred_by"]) == 500  # type: ignore[arg-type]
    nested = load("a: " + "[" * 20 + "x" + "]" * 20 + "\n")["a"]
    for _ in range(20):
        assert isinstance(nested, list) and len(nested) == 1
        nested = nested[0]
    assert nested == "x"


@pytest.mark.parametrize("text", ["referred_by: &a [*a]\n", "a: &a {b: *a}\n"])
def test_an_alias_inside_its_own_anchor_is_refused(text: str) -> None:
    with pytest.raises(YamlProblem) as caught:
        load(text)
    assert "contains itself" in caught.value.message


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("name: A\nrole: [oops\n", 3),
        ('name: A\nrole: "x\n', 3),
        ("name: A\nrole\nemail: x\n", 3),
        ('name: A\nrole: "\x1b[31m"\n', 3),
    ],
)
def test_errors_point_at_the_line_to_fix(text: str, line: int) -> None:
    with pytest.raises(YamlProblem) as caught:
        load_yaml_mapping(text, 2)
    assert caught.value.line == line
    assert "\n" not in caught.value.message


def test_unicode_line_separators_are_ordinary_characters() -> None:
    loaded = load_yaml_mapping('role: a\u2029b\nemail: "x\u2028y"\nname: N\n', 2)
    assert loaded.data == {"role": "a b", "email": "x y", "name": "N"}
    assert loaded.key_lines == {"role": 2, "email": 3, "name": 4}
