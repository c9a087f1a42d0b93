"""Loading front-matter YAML safely, fast, and as the person typed it.

Three decisions live here:

* **Everything is text.** YAML 1.1 reads ``12:30`` as 750, ``no`` as False and
  ``0612345670`` as an octal number. A person typing a phone number or a time
  means the characters they typed, so our loader has no implicit resolvers:
  every plain scalar stays a string, and `typed_values` reads dates, numbers and
  switches per key, knowing what each key means.
* **Speed.** PyYAML's C loader (libyaml) when present, the pure-Python one
  otherwise; the text is composed once and each top-level key's line is kept
  for diagnostics.
* **Limits before the parser.** libyaml's composer recurses per nesting level
  and kills the process (SIGSEGV) around 25,000 levels, and an alias bomb
  expands exponentially when walked. Nesting is bounded on the raw text before
  it reaches the parser, size is bounded, and the walk that copies values out
  counts what it visits.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

try:  # libyaml is an optional build of PyYAML; fall back rather than fail.
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

MAX_YAML_CHARS = 256 * 1024
# YAML 1.1 also breaks lines at NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR;
# they arrive in text pasted from the web, Obsidian reads them as ordinary
# characters, and as line breaks they would break a value and shift every line.
_YAML_ONLY_LINE_BREAKS = str.maketrans({"\u0085": " ", "\u2028": " ", "\u2029": " "})
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
MAX_NESTING = 100
MAX_VALUES = 20_000


_STR_TAG = "tag:yaml.org,2002:str"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"


class _TextLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """A loader that never guesses a type: every scalar is a string.

    Only composition (libyaml, in C) is used; values are copied out of the node
    graph by `_plain`, never by PyYAML's constructors, so no tag can ever
    construct an object, and no per-value Python constructor call is paid.
    """

    yaml_implicit_resolvers: dict[str, list[object]] = {}  # noqa: RUF012 - PyYAML's API
    # The composer calls these for every node to track paths for path
    # resolvers, which this loader has none of: C no-ops instead of Python
    # methods (a cold read of a large vault calls them a quarter-million times).
    descend_resolver = {}.get  # (parent, index) -> index, ignored
    ascend_resolver = tuple  # () -> (), ignored

    def resolve(self, kind: type, value: object, implicit: object) -> str:
        """Every node's tag, without the resolver's regex tables (none apply)."""
        if kind is yaml.ScalarNode:
            return _STR_TAG
        return _SEQ_TAG if kind is yaml.SequenceNode else _MAP_TAG


class YamlProblem(Exception):
    """Front-matter that cannot be loaded; ``line`` is 1-based within the file."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(frozen=True, slots=True)
class LoadedYaml:
    """The front-matter mapping (plain dicts, lists and strings) and key lines.

    ``key_lines`` maps each raw key to its 1-based line in the file;
    ``duplicate_keys`` lists (key, line) for keys given twice, where YAML keeps
    the last value silently and the user almost certainly meant one of them.
    """

    data: dict[str, object]
    key_lines: dict[str, int]
    duplicate_keys: list[tuple[str, int]]
    value_spans: dict[str, ValueSpan] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ValueSpan:
    """Where a top-level value sits in the text: 0-based lines and columns,
    relative to the YAML text. Surgical edits (`frontmatter_edit`) replace
    exactly this span and nothing around it."""

    start_line: int
    start_column: int
    end_line: int
    end_column: int

    @property
    def single_line(self) -> bool:
        return self.start_line == self.end_line


def load_yaml_mapping(yaml_text: str, first_line: int = 1, *, spans: bool = False) -> LoadedYaml:
    """Load a YAML mapping (a front-matter block, or a data file such as the
    question bank) whose first line is file line ``first_line``. With
    ``spans``, also where each value sits (for surgical edits).

    Raises `YamlProblem` for anything that is not a readable mapping.
    """
    if len(yaml_text) > MAX_YAML_CHARS:
        raise YamlProblem(
            f"front-matter is {len(yaml_text) // 1024} KB, "
            f"over the {MAX_YAML_CHARS // 1024} KB limit",
            first_line,
        )
    depth_line = _too_deep(yaml_text)
    if depth_line is not None:
        raise YamlProblem(
            f"front-matter nests deeper than {MAX_NESTING} levels", first_line + depth_line
        )
    if "\u0085" in yaml_text or "\u2028" in yaml_text or "\u2029" in yaml_text:
        yaml_text = yaml_text.translate(_YAML_ONLY_LINE_BREAKS)  # rare: skip the copy
    loader = _TextLoader(yaml_text)
    try:
        node = loader.get_single_node()
        if node is None:
            return LoadedYaml({}, {}, [], {})
        if not isinstance(node, yaml.MappingNode):
            kind = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
            raise YamlProblem(
                f"front-matter must be key: value pairs, but it is {kind}",
                first_line + node.start_mark.line,
            )
        key_lines: dict[str, int] = {}
        value_spans: dict[str, ValueSpan] = {}
        duplicates: list[tuple[str, int]] = []
        data: dict[str, object] = {}
        budget = [MAX_VALUES]
        for key_node, value_node in node.value:
            key = key_node.value if key_node.__class__ is yaml.ScalarNode else None
            if not isinstance(key, str):
                raise YamlProblem(
                    "a front-matter key must be plain text", first_line + key_node.start_mark.line
                )
            line = first_line + key_node.start_mark.line
            if key in key_lines:
                duplicates.append((key, line))
            key_lines[key] = line
            if value_node.__class__ is yaml.ScalarNode:  # the common case, inline
                value = value_node.value
                data[key] = None if not value_node.style and value in _NULLS else value
            else:
                data[key] = _plain(value_node, budget, first_line, set())
            if spans:
                start, end = value_node.start_mark, value_node.end_mark
                value_spans[key] = ValueSpan(start.line, start.column, end.line, end.column)
    except yaml.MarkedYAMLError as exc:
        line = first_line + _error_line(exc, yaml_text.count("\n"))
        problem = exc.problem or exc.context or "unreadable YAML"
        raise YamlProblem(f"front-matter is not valid YAML: {problem}", line) from None
    except yaml.reader.ReaderError as exc:  # a character YAML forbids, e.g. ESC
        line = first_line + yaml_text.count("\n", 0, max(exc.position, 0))
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise YamlProblem(
            f"front-matter holds a control character YAML does not allow (U+{code:04X}); remove it",
            line,
        ) from None
    except yaml.YAMLError as exc:
        message = " ".join(str(exc).split())
        raise YamlProblem(f"front-matter is not valid YAML: {message}", first_line) from None
    finally:
        loader.dispose()
    return LoadedYaml(data, key_lines, duplicates, value_spans)


# Contexts whose mark is where the user's mistake starts: a key missing its
# colon, a quote or bracket never closed. (A "block mapping" context, by
# contrast, marks the first key of the whole block: no help.)
_BLAME_CONTEXT = ("simple key", "quoted scalar", "flow sequence", "flow mapping")


def _error_line(error: yaml.MarkedYAMLError, line_count: int) -> int:
    """The 0-based line to blame: where libyaml noticed the problem, unless the
    construct it was reading started earlier and is the thing to fix, or the
    problem is only noticed at the end of the block."""
    problem, context = error.problem_mark, error.context_mark
    if context is not None and (
        problem is None
        or problem.line >= line_count
        or any(kind in (error.context or "") for kind in _BLAME_CONTEXT)
    ):
        return context.line
    return problem.line if problem is not None else 0


def _plain(node: yaml.Node, budget: list[int], first_line: int, path: set[int]) -> object:
    """Copy a node into plain strings, lists and dicts, counting every node visited.

    Aliases make YAML a graph: an alias bomb expands exponentially (the walk
    stops at `MAX_VALUES`) and ``&a [*a]`` contains itself (``path`` holds the
    nodes being copied, so a revisit is caught). Recursion depth is otherwise
    safe because `_too_deep` already bounded the nesting. A plain ``~``,
    ``null`` or empty value is None; quoted, it stays text.
    """
    budget[0] -= 1
    if budget[0] < 0:
        raise YamlProblem(
            f"front-matter expands to more than {MAX_VALUES} values (YAML aliases?)", first_line
        )
    if isinstance(node, yaml.ScalarNode):
        if not node.style and node.value in _NULLS:  # plain style: None (Python) or "" (C)
            return None
        return node.value
    if id(node) in path:
        raise YamlProblem(
            "front-matter contains itself (a YAML alias inside its own anchor)",
            first_line + node.start_mark.line,
        )
    path.add(id(node))
    try:
        if isinstance(node, yaml.SequenceNode):
            return [_plain(item, budget, first_line, path) for item in node.value]
        return {
            str(_plain(key, budget, first_line, path)): _plain(value, budget, first_line, path)
            for key, value in node.value
        }
    finally:
        path.discard(id(node))


def _too_deep(text: str) -> int | None:
    """Return the 0-based line where nesting exceeds `MAX_NESTING`, else None.

    Cheap upper bounds first (fewer brackets or dashes than the limit cannot
    nest past it); only suspicious text gets the line-by-line scan. The scan
    over-estimates (it counts brackets inside quotes), which can only refuse a
    pathological note, never let one through.
    """
    brackets = text.count("[") + text.count("{")
    dashes = text.count("- ") + text.count("? ")
    wide_indent = " " * MAX_NESTING in text or "\t" in text
    if brackets <= MAX_NESTING and dashes <= MAX_NESTING and not wide_indent:
        return None
    depth = 0
    for number, line in enumerate(text.split("\n")):
        stripped = line.lstrip(" \t")
        indent = len(line) - len(stripped)
        markers = 0
        while stripped[:2] in ("- ", "? ") or stripped == "-":
            markers += 1
            stripped = stripped[2:].lstrip(" ")
        for char in stripped:
            if char in "[{":
                depth += 1
            elif char in "]}" and depth:
                depth -= 1
        if indent + markers + depth > MAX_NESTING:
            return number
    return None
