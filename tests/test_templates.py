"""The template engine: Obsidian placeholders, vault overrides, and the sandbox."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from vaultkit.notes.yaml_text import load_yaml_mapping
from vaultkit.outputs import templates
from vaultkit.outputs.templates import (
    TemplateProblem,
    TemplateSource,
    find_template,
    obsidian_format,
    render,
    yaml_value,
)

NOW = dt.datetime(2026, 11, 21, 9, 5, 7)


def run(text: str, **context: object) -> str:
    return render(TemplateSource("t.md", text, "Templates/vaultkit/t.md"), context, NOW)


def test_obsidian_placeholders() -> None:
    out = run(
        "{{title}} {{date}} {{time}} {{date:dddd, MMMM Do YYYY}} {{time:h:mm A}}", title="Jane Doe"
    )
    assert out == "Jane Doe 2026-11-21 09:05 Saturday, November 21st 2026 9:05 AM"


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("YYYY-MM-DD", "2026-11-21"),
        ("YY/M/D", "26/11/21"),
        ("ddd MMM", "Sat Nov"),
        ("HH:mm:ss", "09:05:07"),
        ("[Week of] MMMM", "Week of November"),
        ("hh a", "09 am"),
    ],
)
def test_moment_formats(pattern: str, expected: str) -> None:
    assert obsidian_format(NOW, pattern) == expected


def test_missing_values_render_empty_like_obsidian() -> None:
    assert (
        run(
            "[{{ contact.role }}][{{ referrer.name }}][{{ nothing }}]",
            contact={"role": None},
            referrer=None,
        )
        == "[][][]"
    )


@pytest.mark.parametrize(
    "attack",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ cycler.__init__.__globals__.os }}",
        "{{ lipsum.__globals__['os'].popen('id').read() }}",
        "{{ self._TemplateReference__context }}",
        "{{ contact.__class__ }}",
        "{% set x = namespace() %}{{ x.__class__.__init__.__globals__ }}",
    ],
)
def test_reaching_python_internals_is_a_clear_error(attack: str) -> None:
    with pytest.raises(TemplateProblem) as caught:
        run(attack, contact={"name": "x"})
    message = str(caught.value)
    assert message.startswith("Templates/vaultkit/t.md:1: ")
    assert "off limits" in message


@pytest.mark.parametrize(
    "attack", ['{% include "/etc/passwd" %}', '{% import "x.md" as x %}', '{% extends "a" %}']
)
def test_templates_cannot_read_files(attack: str) -> None:
    with pytest.raises(TemplateProblem, match="cannot read other files"):
        run(attack)


def test_syntax_errors_name_the_line() -> None:
    with pytest.raises(TemplateProblem, match=r"^Templates/vaultkit/t.md:2: "):
        run("fine\n{% if %}")


def test_runaway_templates_are_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(templates, "MAX_RENDER_SECONDS", 0.2)
    with pytest.raises(TemplateProblem, match="longer than"):
        run("{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}")
    with pytest.raises(TemplateProblem, match="output over"):
        run("{% for a in range(100000) %}{{ 'x' * 100 }}{% endfor %}")


def test_vault_template_replaces_the_built_in(tmp_path: Path) -> None:
    assert (
        find_template("contact.md", tmp_path, "Templates/vaultkit").origin == "built-in contact.md"
    )
    own = tmp_path / "Templates" / "vaultkit" / "contact.md"
    own.parent.mkdir(parents=True)
    own.write_text("---\r\nid: {{ id }}\r\n---\r\nmine\r\n", encoding="utf-8")
    source = find_template("contact.md", tmp_path, "Templates/vaultkit")
    assert source.origin == "Templates/vaultkit/contact.md"
    assert source.text == "---\nid: {{ id }}\n---\nmine\n"


def test_a_vault_template_linking_outside_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text("secret")
    vault = tmp_path / "vault"
    (vault / "Templates" / "vaultkit").mkdir(parents=True)
    (vault / "Templates" / "vaultkit" / "contact.md").symlink_to(outside)
    with pytest.raises(TemplateProblem, match="outside the vault"):
        find_template("contact.md", vault, "Templates/vaultkit")


@pytest.mark.parametrize(
    "value",
    ["R&D: ops", "no", "0612345670", 'He said "hi"', "line\nbreak", "a\u2028b", "[[Acme]]", "#1"],
)
def test_yaml_filter_keeps_any_text_as_text(value: str) -> None:
    assert load_yaml_mapping(f"key: {yaml_value(value)}\n").data == {"key": value}


def test_yaml_filter_lists_and_empties() -> None:
    assert yaml_value(["[[A]]", "[[B]]"]) == '["[[A]]", "[[B]]"]'
    assert yaml_value([]) == "[]"
    assert yaml_value(None) == "" and yaml_value(30) == "30"


@pytest.mark.parametrize(
    ("attack", "message"),
    [
        ("{{ (10**100000)**100000 }}", "power is too large"),
        ("{{ 'x' * 10**9 }}", "repetition is too large"),
        ("{{ [0] * 10**9 }}", "repetition is too large"),
        ("{{ '%1000000000d' % 1 }}", "format width is too large"),
        ("{{ 'x'.ljust(10**9) }}", "too much memory"),
        ("{{ 'x' | indent(10**9) }}", "too much memory"),
        (
            "{% set ns = namespace(s='x') %}{% for i in range(40) %}"
            "{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
            "too much memory",
        ),
        ("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}", "recurses without end"),
        ("{{ 'x'.encode('rot13') }}", "not a text encoding"),
        ("{{ '%(a)s' % {} }}", "'a'"),
        ("{{ 'x' | truncate(-5) }}", "expected length"),
        ("{{ obsidian_format(1, 'YYYY') }}", "has no attribute"),
    ],
)
def test_bombs_and_broken_templates_are_one_clear_error(attack: str, message: str) -> None:
    import sys

    if "memory" in message and not sys.platform.startswith("linux"):
        pytest.skip("the render memory cap uses Linux's RLIMIT_AS")
    with pytest.raises(TemplateProblem, match=message) as caught:
        run(attack)
    assert str(caught.value).startswith("Templates/vaultkit/t.md")
    assert "\n" not in str(caught.value)


def test_now_is_plain_data() -> None:
    assert run("[{{ now.tzinfo }}]") == "[]"
    with pytest.raises(TemplateProblem, match="off limits"):
        run("{{ now.__class__ }}")


def test_join_names() -> None:
    from vaultkit.outputs.templates import join_names

    assert join_names(["A"]) == "A"
    assert join_names(["A", "B", "C"]) == "A, B and C"
    assert join_names("Ann") == "Ann"
