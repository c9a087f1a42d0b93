"""Obsidian Bases: `sync` and the daemon write Contacts, Interviews and
Organizations `.base` files that follow the documented Bases syntax
(help.obsidian.md, "Bases syntax", "Functions", "Views"), and never replace
one the user edited."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any, ClassVar

import pytest
import yaml

from tests.conftest import WriteNote, invoke
from vaultkit.daemon.sync import Syncer

AS_OF = ("--as-of", "2026-11-20")
NAMES = ("Contacts", "Interviews", "Organizations")

# ---- a schema written from the documentation ---------------------------------

TOP_KEYS = {"filters", "formulas", "properties", "summaries", "views"}
VIEW_KEYS = {"type", "name", "limit", "filters", "order", "sort", "groupBy", "summaries"}
VIEW_TYPES = {"table", "cards", "list", "map"}
FILE_PROPERTIES = {
    "backlinks", "ctime", "embeds", "ext", "file", "folder", "links", "mtime",
    "name", "path", "properties", "size", "tags",
}  # fmt: skip
GLOBAL_FUNCTIONS = {
    "escapeHTML", "date", "duration", "file", "html", "if", "image", "icon",
    "link", "list", "max", "min", "now", "number", "today",
}  # fmt: skip
METHODS = {  # Any, Date, String, Number, List, Link and File functions
    "isTruthy", "toString", "date", "format", "time", "relative", "isEmpty",
    "contains", "containsAll", "containsAny", "endsWith", "lower", "replace",
    "repeat", "reverse", "slice", "split", "startsWith", "title", "trim", "abs",
    "ceil", "floor", "round", "toFixed", "filter", "flat", "join", "map",
    "reduce", "sort", "unique", "asFile", "linksTo", "asLink", "hasLink",
    "hasProperty", "hasTag", "inFolder",
}  # fmt: skip
_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<str>\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*')"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<op>==|!=|>=|<=|&&|\|\||[-+*/%<>!().,\[\]]))"
)


def tokens(text: str) -> list[tuple[str, str]]:
    found, at = [], 0
    while at < len(text):
        if text[at:].strip() == "":
            break
        match = _TOKEN.match(text, at)
        assert match is not None, f"cannot read {text[at:]!r} in {text!r}"
        kind = match.lastgroup
        assert kind is not None
        found.append((kind, match.group(kind)))
        at = match.end()
    return found


class Expression:
    """A recursive-descent reader of the documented expression language:
    literals, properties, global functions, methods, the arithmetic,
    comparison and boolean operators. Records the properties it reads."""

    BINARY: ClassVar = [
        ("||",),
        ("&&",),
        ("==", "!="),
        (">", "<", ">=", "<="),
        ("+", "-"),
        ("*", "/", "%"),
    ]

    def __init__(self, text: str) -> None:
        self.text, self.items, self.at = text, tokens(text), 0
        self.properties: list[str] = []
        self.binary(0)
        assert self.at == len(self.items), f"left over in {text!r}: {self.items[self.at :]}"

    def peek(self) -> tuple[str, str] | None:
        return self.items[self.at] if self.at < len(self.items) else None

    def take(self, value: str | None = None) -> tuple[str, str]:
        item = self.peek()
        assert item is not None, f"{self.text!r} ends too soon"
        assert value is None or item[1] == value, f"expected {value!r} in {self.text!r}"
        self.at += 1
        return item

    def binary(self, level: int) -> None:
        if level == len(self.BINARY):
            return self.unary()
        self.binary(level + 1)
        while (item := self.peek()) is not None and item[1] in self.BINARY[level]:
            self.take()
            self.binary(level + 1)
        return None

    def unary(self) -> None:
        item = self.peek()
        if item is not None and item[1] in ("!", "-"):
            self.take()
            return self.unary()
        self.primary()
        while (item := self.peek()) is not None and item[1] in (".", "["):
            if self.take()[1] == "[":
                self.binary(0)
                self.take("]")
                continue
            kind, name = self.take()
            assert kind == "name"
            if (after := self.peek()) is not None and after[1] == "(":
                assert name in METHODS, f"{name}() is no documented function ({self.text!r})"
                self.arguments()
        return None

    def primary(self) -> None:
        kind, value = self.take()
        if kind in ("num", "str") or value in ("true", "false", "null"):
            return None
        if value == "(":
            self.binary(0)
            self.take(")")
            return None
        assert kind == "name", f"unexpected {value!r} in {self.text!r}"
        after = self.peek()
        if after is not None and after[1] == "(":
            assert value in GLOBAL_FUNCTIONS, f"{value}() is no global function"
            self.arguments()
            return None
        if value in ("file", "note", "formula") and after is not None and after[1] == ".":
            self.take(".")
            _, prop = self.take()
            nxt = self.peek()
            if value == "file" and nxt is not None and nxt[1] == "(":  # file.inFolder(...)
                assert prop in METHODS, f"file.{prop}() is no documented function"
                self.arguments()
                return None
            if value == "file":
                assert prop in FILE_PROPERTIES, f"file.{prop} is no file property"
            self.properties.append(f"{value}.{prop}")
            return None
        self.properties.append(value)
        return None

    def arguments(self) -> None:
        self.take("(")
        if (item := self.peek()) is not None and item[1] == ")":
            self.take(")")
            return
        self.binary(0)
        while self.take()[1] == ",":
            self.binary(0)


def check_filter(value: Any) -> None:
    """A statement string, or an object with exactly one of and/or/not whose
    value is a list of filters."""
    if isinstance(value, str):
        Expression(value)
        return
    assert isinstance(value, dict) and len(value) == 1, value
    ((key, items),) = value.items()
    assert key in ("and", "or", "not") and isinstance(items, list) and items, value
    for item in items:
        check_filter(item)


def check_property(name: str, formulas: dict[str, str]) -> None:
    if name.startswith("formula."):
        assert name.removeprefix("formula.") in formulas, f"{name} is not defined"
    elif name.startswith("file."):
        assert name.removeprefix("file.") in FILE_PROPERTIES, name
    else:
        assert re.fullmatch(r"(note\.)?[A-Za-z_][\w-]*", name), name


def check_base(text: str) -> dict[str, Any]:
    """Parse with PyYAML and check against the documented schema."""
    content = yaml.safe_load(text)
    assert isinstance(content, dict) and set(content) <= TOP_KEYS, content.keys()
    if "filters" in content:
        check_filter(content["filters"])
    formulas = content.get("formulas", {})
    assert isinstance(formulas, dict)
    for expression in formulas.values():
        assert isinstance(expression, str)
        for prop in Expression(expression).properties:
            check_property(prop, formulas)
    for name, settings in content.get("properties", {}).items():
        check_property(name, formulas)
        assert set(settings) == {"displayName"} and isinstance(settings["displayName"], str)
    views = content["views"]
    assert isinstance(views, list) and views
    for view in views:
        assert set(view) <= VIEW_KEYS and view["type"] in VIEW_TYPES, view
        assert isinstance(view["name"], str) and view["name"]
        if "limit" in view:
            assert isinstance(view["limit"], int) and view["limit"] > 0
        if "filters" in view:
            check_filter(view["filters"])
        for prop in view.get("order", []):
            check_property(prop, formulas)
        for key in ("sort", "groupBy"):
            for rule in view.get(key, []) if key == "sort" else [view.get(key)] * (key in view):
                assert set(rule) == {"property", "direction"}, rule
                assert rule["direction"] in ("ASC", "DESC")
                check_property(rule["property"], formulas)
    return content


def test_the_checker_refuses_what_the_documentation_does_not_allow() -> None:
    check_base("views:\n  - type: table\n    name: T\n    order: [file.name, note.age]\n")
    bad = [
        "views: []\n",
        "source: People\nviews:\n  - {type: table, name: T}\n",
        "filters: {and: [x], or: [y]}\nviews:\n  - {type: table, name: T}\n",
        'filters: file.inFolders("x")\nviews:\n  - {type: table, name: T}\n',
        "views:\n  - {type: table, name: T, order: [formula.nope]}\n",
        "views:\n  - {type: table, name: T, sort: [{property: a, direction: UP}]}\n",
        "views:\n  - {type: table, name: T, group_by: status}\n",
        'filters: "status == "\nviews:\n  - {type: table, name: T}\n',
        "views:\n  - {type: table, name: T, order: [file.nam]}\n",
    ]
    for text in bad:
        with pytest.raises(AssertionError):
            check_base(text)


# ---- behaviour ----------------------------------------------------------------


def bases(root: Path, folder: str = "vaultkit") -> dict[str, Path]:
    return {name: root / folder / f"{name}.base" for name in NAMES}


def test_sync_writes_three_documented_bases(sample: Path) -> None:
    result = invoke(sample, "sync", *AS_OF)
    assert result.exit_code == 0, result.output
    for name, path in bases(sample).items():
        assert f"wrote    vaultkit/{name}.base" in result.output
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# Written by vaultkit sync")
        content = check_base(text)
        assert content["views"][0]["type"] == "table"
    contacts = yaml.safe_load(bases(sample)["Contacts"].read_text(encoding="utf-8"))
    assert 'file.inFolder("People")' in str(contacts["filters"])
    assert 'type == "contact"' in str(contacts["filters"])
    assert contacts["views"][0]["groupBy"] == {"property": "status", "direction": "ASC"}
    orgs = yaml.safe_load(bases(sample)["Organizations"].read_text(encoding="utf-8"))
    lamp = next(v for v in orgs["views"] if v["name"] == "LAMP")
    assert lamp["sort"][0] == {"property": "motivation", "direction": "DESC"}
    assert orgs["properties"]["motivation"]["displayName"].startswith("Motivation")
    again = invoke(sample, "sync", *AS_OF)
    assert ".base" not in again.output  # unchanged: not written again


def test_a_base_the_user_edited_is_never_replaced(sample: Path) -> None:
    invoke(sample, "sync", *AS_OF)
    paths = bases(sample)
    edited = paths["Contacts"].read_text(encoding="utf-8").replace("By status", "Mine")
    paths["Contacts"].write_text(edited, encoding="utf-8")
    (sample / "vaultkit" / "Interviews.base").write_text("views: []\n", encoding="utf-8")
    (sample / ".vaultkit.toml").write_text(
        (sample / ".vaultkit.toml").read_text(encoding="utf-8") + "\n", encoding="utf-8"
    )
    result = invoke(sample, "sync", *AS_OF)
    assert result.exit_code == 0
    assert "skipped  vaultkit/Contacts.base (edited by you; left as it is)" in result.output
    assert "skipped  vaultkit/Interviews.base" in result.output
    assert paths["Contacts"].read_text(encoding="utf-8") == edited
    assert paths["Interviews"].read_text(encoding="utf-8") == "views: []\n"


def test_rewritten_when_still_vaultkits_and_the_folders_change(vault: Path) -> None:
    assert invoke(vault, "sync", *AS_OF).exit_code == 0
    before = bases(vault)["Contacts"].read_text(encoding="utf-8")
    assert 'file.inFolder("People")' in before
    (vault / ".vaultkit.toml").write_text(
        'timezone = "America/New_York"\n[folders]\npeople = "Network"\n'
        '[dashboard]\npath = "Career/Dashboard.md"\n',
        encoding="utf-8",
    )
    result = invoke(vault, "sync", *AS_OF)
    assert "wrote    Career/Contacts.base" in result.output
    moved = check_base((vault / "Career/Contacts.base").read_text(encoding="utf-8"))
    assert 'file.inFolder("Network")' in str(moved["filters"])
    # the old folder's file is vaultkit's too: kept as it was (sync never deletes)
    (vault / ".vaultkit.toml").write_text(
        'timezone = "America/New_York"\n[folders]\npeople = "Network"\n', encoding="utf-8"
    )
    result = invoke(vault, "sync", *AS_OF)
    assert "wrote    vaultkit/Contacts.base" in result.output
    assert 'file.inFolder("Network")' in bases(vault)["Contacts"].read_text(encoding="utf-8")


def test_the_daemon_pass_writes_them_too(vault: Path, write: WriteNote) -> None:
    write("Organizations/Acme.md", "---\nmotivation: 4\n---\n# Acme\n")
    syncer = Syncer(vault)
    now = dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC)
    changes = syncer.run(now)
    written = {c.path for c in changes if c.action == "wrote"}
    assert {f"vaultkit/{name}.base" for name in NAMES} <= written
    path = bases(vault)["Organizations"]
    path.write_text(path.read_text(encoding="utf-8") + "# mine\n", encoding="utf-8")
    first = [c for c in syncer.run(now) if c.path == "vaultkit/Organizations.base"]
    assert [c.action for c in first] == ["skipped"]
    assert not [c for c in syncer.run(now) if c.path == "vaultkit/Organizations.base"]
    assert path.read_text(encoding="utf-8").endswith("# mine\n")


# ---- the filters, evaluated as Obsidian evaluates them ------------------------


class Evaluator:
    """Evaluates the subset of the expression language the bases' filters use
    (string literals, note properties, ``file.ext``, ``file.inFolder()``,
    ``isEmpty()``, ``!``, ``==``, ``!=``, ``&&``, ``||``), with the documented
    meaning: a missing property is null, null equals only null, and
    ``file.inFolder(f)`` holds for notes in ``f`` or any folder inside it."""

    def __init__(self, text: str) -> None:
        self.items, self.at = tokens(text), 0
        self.evaluate = self.either()
        assert self.at == len(self.items), text

    def peek(self) -> str | None:
        return self.items[self.at][1] if self.at < len(self.items) else None

    def take(self) -> tuple[str, str]:
        self.at += 1
        return self.items[self.at - 1]

    def either(self) -> Any:
        return self.joined("||", self.both, any)

    def both(self) -> Any:
        return self.joined("&&", self.comparison, all)

    def joined(self, operator: str, operand: Any, combine: Any) -> Any:
        """``operand (operator operand)*``, true when ``combine`` says so."""
        parts = [operand()]
        while self.peek() == operator:
            self.take()
            parts.append(operand())
        return lambda note: combine(p(note) for p in parts)

    def comparison(self) -> Any:
        left = self.unary()
        if self.peek() in ("==", "!="):
            equal = self.take()[1] == "=="
            right = self.unary()
            return lambda note: (left(note) == right(note)) is equal
        return left

    def unary(self) -> Any:
        if self.peek() == "!":
            self.take()
            inner = self.unary()
            return lambda note: not inner(note)
        kind, value = self.take()
        if kind == "str":
            literal = yaml.safe_load(value)
            return lambda note: literal
        if value == "file":
            assert self.take()[1] == "."
            _, prop = self.take()
            if prop == "ext":
                return lambda note: note["path"].rsplit(".", 1)[-1]
            assert prop == "inFolder" and self.take()[1] == "("
            folder = yaml.safe_load(self.take()[1])
            assert self.take()[1] == ")"
            return lambda note: note["path"].startswith(folder.rstrip("/") + "/")
        assert kind == "name", value
        if self.peek() == ".":  # property.isEmpty()
            self.take()
            assert [self.take()[1] for _ in range(3)] == ["isEmpty", "(", ")"]
            return lambda note: note["props"].get(value) in (None, "", [], {})
        return lambda note: note["props"].get(value)


def selects(filters: Any, note: dict[str, Any]) -> bool:
    if isinstance(filters, str):
        return bool(Evaluator(filters).evaluate(note))
    ((key, items),) = filters.items()
    results = [selects(item, note) for item in items]
    return all(results) if key == "and" else any(results) if key == "or" else not any(results)


def vault_notes(root: Path) -> list[dict[str, Any]]:
    """Every file as Obsidian's Bases see it: its path and its properties."""
    found = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if not path.is_file() or rel.startswith("."):
            continue
        props: dict[str, Any] = {}
        if path.suffix == ".md":
            text = path.read_text(encoding="utf-8")
            if text.startswith("---\n"):
                loaded = yaml.safe_load(text[4 : text.index("\n---", 3)])
                props = loaded if isinstance(loaded, dict) else {}
        found.append({"path": rel, "props": props})
    return found


def test_each_base_selects_the_notes_vaultkit_reads_as_that_kind(sample: Path) -> None:
    """Obsidian shows in each base the same notes vaultkit lists: chosen by
    `type:` or by folder, never a template or a note of another kind filed in
    the folder, and the wait-for-reply view picks the contacts still waiting."""
    extra = {
        "People/Acme Labs.md": "---\ntype: organization\n---\n# Acme Labs\n",
        "Daily/Rosa Ng.md": "---\ntype: contact\norganization: Acme Labs\n---\n# Rosa Ng\n",
        "People/Team/Ola Berg.md": "---\ncontacted_on: 2026-11-02\n---\n# Ola Berg\n",
        "Templates/Person.md": "---\ntype: contact\n---\n# {{name}}\n",
    }
    for rel, text in extra.items():
        (sample / rel).parent.mkdir(parents=True, exist_ok=True)
        (sample / rel).write_text(text, encoding="utf-8")
    assert invoke(sample, "sync", *AS_OF).exit_code == 0
    notes = vault_notes(sample)
    for name, kind in (
        ("Contacts", "contacts"),
        ("Interviews", "interviews"),
        ("Organizations", "orgs"),
    ):
        content = check_base(bases(sample)[name].read_text(encoding="utf-8"))
        shown = {n["path"] for n in notes if selects(content["filters"], n)}
        listed = invoke(sample, "list", kind, "--json")
        assert listed.exit_code == 0, listed.output
        assert shown == {record["path"] for record in json.loads(listed.output)}, name
    contacts = check_base(bases(sample)["Contacts"].read_text(encoding="utf-8"))
    assert "Daily/Rosa Ng.md" in {n["path"] for n in notes if selects(contacts["filters"], n)}
    waiting_view = next(v for v in contacts["views"] if v["name"] == "Waiting for a reply")
    waiting = {
        n["path"]
        for n in notes
        if selects(contacts["filters"], n) and selects(waiting_view["filters"], n)
    }
    assert "People/Team/Ola Berg.md" in waiting
    assert all(
        n["props"].get("contacted_on") and not n["props"].get("replied_on")
        for n in notes
        if n["path"] in waiting
    )
