"""Finding and rendering templates: vault overrides, Obsidian-style placeholders,
and a sandbox, because a template is data from the vault, not code.

Rendering uses Jinja2's immutable sandbox: no attribute that leads to Python
internals (``__class__``, ``__globals__``...) and no access to other files
(``include``/``import``/``extends`` find nothing). Reaching for either is an
error naming the template and line, not a silently empty string. Output size
and, where the platform allows, render time are bounded, so a template cannot
hang vaultkit or fill the disk.

Obsidian's own placeholders work as they do in its core Templates plugin:
``{{title}}``, ``{{date}}``, ``{{time}}``, and ``{{date:YYYY-MM-DD}}`` or
``{{time:HH:mm}}`` with moment.js-style formats.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import importlib.resources
import json
import re
import shlex
import signal
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vaultkit.errors import VaultkitError
from vaultkit.safepath import is_inside

MAX_OUTPUT_CHARS = 1_000_000
MAX_RENDER_SECONDS = 5
MAX_TEMPLATE_BYTES = 256 * 1024
MAX_RENDER_BYTES = 512 * 1024 * 1024
MAX_POWER_BITS = 100_000

_OBSIDIAN_FORMAT = re.compile(r"\{\{\s*(date|time)\s*:\s*([^{}]*?)\s*\}\}")
_MOMENT_TOKEN = re.compile(
    r"\[[^\]]*\]|YYYY|YY|MMMM|MMM|MM|M|Do|DD|D|dddd|ddd|HH|H|hh|h|mm|m|ss|s|A|a"
)
MONTH_NAMES = (
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
)
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# Characters a YAML double-quoted string must escape beyond what JSON does:
# DEL and the C1 controls (libyaml refuses them raw) and the Unicode line breaks.
_YAML_UNSAFE = {code: f"\\x{code:02x}" for code in range(0x7F, 0xA0)} | {
    0x85: "\\N",
    0x2028: "\\L",
    0x2029: "\\P",
}


class TemplateProblem(VaultkitError):
    """A template that cannot be read or rendered; the message names it and the line."""


@dataclass(frozen=True)
class TemplateSource:
    """A template's text and where it came from (shown in every error)."""

    name: str
    text: str
    origin: str  # "Templates/vaultkit/contact.md" or "built-in contact.md"


def find_template(name: str, vault_root: Path, template_folder: str) -> TemplateSource:
    """The vault's ``template_folder/name`` when it exists, else the built-in one."""
    override = vault_root / template_folder / name if template_folder else None
    if override is not None and override.is_file():
        origin = f"{template_folder}/{name}"
        if not is_inside(override, vault_root):
            raise TemplateProblem(f"{origin}: links outside the vault; not read")
        with open(override, "rb") as handle:
            data = handle.read(MAX_TEMPLATE_BYTES + 1)
        if len(data) > MAX_TEMPLATE_BYTES:
            raise TemplateProblem(f"{origin}: over {MAX_TEMPLATE_BYTES // 1024} KB; not read")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise TemplateProblem(f"{origin}: not UTF-8 text") from None
        return TemplateSource(name, text.replace("\r\n", "\n"), origin)
    built_in = importlib.resources.files("vaultkit.templates").joinpath(name)
    try:
        text = built_in.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TemplateProblem(f"no template named {name!r}") from None
    return TemplateSource(name, text, f"built-in {name}")


def render(source: TemplateSource, context: dict[str, Any], now: dt.datetime) -> str:
    """Render ``source`` with ``context`` plus Obsidian's ``title``/``date``/``time``.

    Any failure inside the template, however exotic (recursion, a codec, an
    assertion in a filter, memory), is one `TemplateProblem` naming the
    template and, when Jinja knows it, the line.
    """
    from jinja2 import TemplateSyntaxError

    environment = _environment()
    naive_now = now.replace(tzinfo=None)  # data, not a live zone object with methods
    values = {"date": now.strftime("%Y-%m-%d"), "time": now.strftime("%H:%M"), "now": naive_now}
    values.update(context)
    try:
        template = _compile(environment, source.text)
        with _time_limit(source.origin), _memory_limit():
            return _collect(template.generate(values), source.origin)
    except TemplateProblem:
        raise
    except TemplateSyntaxError as error:
        raise TemplateProblem(f"{source.origin}:{error.lineno}: {error.message}") from None
    except MemoryError:
        raise TemplateProblem(f"{source.origin}: needs too much memory to render") from None
    except RecursionError:
        raise TemplateProblem(f"{source.origin}: recurses without end") from None
    except Exception as error:  # a template is data: nothing in it may crash vaultkit
        where = _template_line(error)
        raise TemplateProblem(f"{source.origin}:{where}: {_short(error)}") from None


@contextlib.contextmanager
def _memory_limit() -> Iterator[None]:
    """Cap what a render may allocate (Linux): ``'x' * 10**9`` or ``'%1000000000d'``
    fail with MemoryError at once instead of swapping the machine."""
    try:
        import resource

        with open("/proc/self/statm", encoding="ascii") as handle:
            in_use = int(handle.read().split()[0]) * resource.getpagesize()
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    except (ImportError, OSError, ValueError):
        yield
        return
    cap = in_use + MAX_RENDER_BYTES
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    if soft != resource.RLIM_INFINITY and soft <= cap:
        yield
        return
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


@functools.lru_cache(maxsize=32)
def _compile(environment: Any, text: str) -> Any:
    """Compiled templates by their text: a calendar renders one draft per interview."""
    return environment.from_string(_translate_obsidian(text))


def _collect(chunks: Iterator[str], origin: str) -> str:
    parts: list[str] = []
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size > MAX_OUTPUT_CHARS:
            raise TemplateProblem(f"{origin}: output over {MAX_OUTPUT_CHARS:,} characters")
        parts.append(chunk)
    return "".join(parts)


@contextlib.contextmanager
def _time_limit(origin: str) -> Iterator[None]:
    """Stop a runaway template (nested loops) after `MAX_RENDER_SECONDS`.

    Uses SIGALRM, so only on POSIX and in the main thread; elsewhere the output
    bound still applies.
    """
    if (
        not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise TemplateProblem(f"{origin}: took longer than {MAX_RENDER_SECONDS} s to render")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, MAX_RENDER_SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _template_line(error: Exception) -> str:
    """The template line of a render error, from Jinja's rewritten traceback."""
    traceback = error.__traceback__
    line = None
    while traceback is not None:
        if traceback.tb_frame.f_code.co_filename == "<template>":
            line = traceback.tb_lineno
        traceback = traceback.tb_next
    return str(line) if line is not None else "?"


def _short(error: Exception) -> str:
    return " ".join(str(error).split()) or type(error).__name__


def _translate_obsidian(text: str) -> str:
    """``{{date:YYYY-MM-DD}}`` → ``{{ obsidian_format(now, "YYYY-MM-DD") }}``."""
    return _OBSIDIAN_FORMAT.sub(
        lambda m: "{{ obsidian_format(now, " + json.dumps(m.group(2)) + ") }}", text
    )


def obsidian_format(moment: dt.datetime | dt.date, pattern: str) -> str:
    """Format like moment.js, which Obsidian's templates use: YYYY, MM, DD, ddd,
    HH, mm, ``[literal]``... Fixed English names, whatever the machine's locale."""

    def token(match: re.Match[str]) -> str:
        part = match.group(0)
        if part.startswith("["):
            return part[1:-1]
        hour = getattr(moment, "hour", 0)
        values = {
            "YYYY": f"{moment.year:04d}",
            "YY": f"{moment.year % 100:02d}",
            "MMMM": MONTH_NAMES[moment.month - 1],
            "MMM": MONTH_NAMES[moment.month - 1][:3],
            "MM": f"{moment.month:02d}",
            "M": str(moment.month),
            "Do": _ordinal(moment.day),
            "DD": f"{moment.day:02d}",
            "D": str(moment.day),
            "dddd": DAY_NAMES[moment.weekday()],
            "ddd": DAY_NAMES[moment.weekday()][:3],
            "HH": f"{hour:02d}",
            "H": str(hour),
            "hh": f"{(hour % 12) or 12:02d}",
            "h": str((hour % 12) or 12),
            "mm": f"{getattr(moment, 'minute', 0):02d}",
            "m": str(getattr(moment, "minute", 0)),
            "ss": f"{getattr(moment, 'second', 0):02d}",
            "s": str(getattr(moment, "second", 0)),
            "A": "AM" if hour < 12 else "PM",
            "a": "am" if hour < 12 else "pm",
        }
        return values[part]

    return _MOMENT_TOKEN.sub(token, pattern)


def _ordinal(day: int) -> str:
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def yaml_value(value: object) -> str:
    """A value as YAML front-matter text: nothing for None (an empty key), a
    double-quoted string (so ``R&D: ops`` or ``no`` stay text), a flow list."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(yaml_value(item) or '""' for item in value) + "]"
    quoted = json.dumps(str(value), ensure_ascii=False)
    return quoted.translate(_YAML_UNSAFE) if not quoted.isprintable() else quoted


def _check_binop(operator: str, left: Any, right: Any) -> None:
    """Refuse a power, repetition or format whose result would be huge."""
    from jinja2.sandbox import SecurityError

    if operator == "**" and isinstance(left, int) and isinstance(right, int):
        if abs(left) > 1 and right > 0 and abs(left).bit_length() * right > MAX_POWER_BITS:
            raise SecurityError("that power is too large for a template")
    elif operator == "*":
        sized, count = (left, right) if isinstance(right, int) else (right, left)
        repeats = isinstance(count, int) and hasattr(sized, "__len__")
        if repeats and len(sized) * count > MAX_OUTPUT_CHARS:
            raise SecurityError("that repetition is too large for a template")
        both_ints = isinstance(left, int) and isinstance(right, int)
        if both_ints and left.bit_length() + right.bit_length() > MAX_POWER_BITS:
            raise SecurityError("that product is too large for a template")
    elif operator == "%" and isinstance(left, str) and re.search(r"%[-+ #0]*\d{5,}", left):
        raise SecurityError("that format width is too large for a template")


def join_names(names: object) -> str:
    """``A``, ``A and B``, ``A, B and C``."""
    if isinstance(names, str):
        return names
    items = [str(name) for name in (names or [])]  # type: ignore[attr-defined]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


# Letters whose names begin with a vowel sound: "an MBA", "an SVP", "an R&D lead".
_AN_LETTERS = frozenset("AEFHILMNORSX")
# Words spelled with a vowel but said with a consonant ("a UX-minded", "a user
# researcher", "a one-person team"), and the reverse ("an hour").
_A_BEFORE = ("uni", "use", "usa", "usu", "uti", "ura", "ure", "uro", "eu", "ewe", "one", "once")
_AN_BEFORE = ("hour", "honest", "honor", "honour", "heir")
_DETERMINERS = frozenset({"a", "an", "the", "my", "our", "their", "his", "her", "its", "your"})


def with_article(phrase: object) -> str:
    """``phrase`` after "a" or "an" as it is said: "a UX researcher", "an
    engineer", "an MBA intern", "a user researcher". A phrase that already
    starts with an article or a possessive is left alone."""
    text = str(phrase or "").strip()
    if not text:
        return text
    first = text.split()[0]
    if first.lower() in _DETERMINERS:
        return text
    word = first.lstrip("\"'(")
    lowered = word.lower()
    if not word:
        article = "a"
    elif word[0].isdigit():  # said as a number: "an 8-person team", "an 11-year"
        article = "an" if word[0] == "8" or re.match(r"1[18](\D|$)", word) else "a"
    elif (len(word) > 1 and word.replace("&", "").replace("-", "").isupper()) or (
        word[0].isupper() and (len(word) == 1 or word[1] in "-&")
    ):
        article = "an" if word[0] in _AN_LETTERS else "a"  # an acronym, said letter by letter
    elif lowered.startswith(_AN_BEFORE):
        article = "an"
    elif lowered.startswith(_A_BEFORE):
        article = "a"
    else:
        article = "an" if lowered[0] in "aeiou" else "a"
    return f"{article} {text}"


@functools.lru_cache(maxsize=1)
def _environment() -> Any:
    """One sandbox per process (building it costs more than most renders)."""
    from jinja2 import BaseLoader, ChainableUndefined, TemplateNotFound
    from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

    class NoFiles(BaseLoader):
        def get_source(self, environment: Any, template: str) -> Any:
            raise TemplateNotFound(f"{template} (templates cannot read other files)")

    class Sandbox(ImmutableSandboxedEnvironment):
        # Operators that can cost unbounded time in C code, where no timer can
        # stop them, are checked before they run.
        intercepted_binops = frozenset({"**", "*", "%"})

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            _check_binop(operator, left, right)
            return super().call_binop(context, operator, left, right)

        def unsafe_undefined(self, obj: Any, attribute: str) -> Any:
            raise SecurityError(
                f"templates may not reach {attribute!r} of {type(obj).__name__!r} "
                "(Python internals are off limits)"
            )

    environment = Sandbox(
        loader=NoFiles(),
        undefined=ChainableUndefined,  # missing data renders empty, as in Obsidian
        finalize=lambda value: "" if value is None else value,
        keep_trailing_newline=True,
        autoescape=False,
    )
    environment.filters.update(
        yaml=yaml_value, shell=shlex.quote, join_names=join_names, with_article=with_article
    )
    environment.globals.update(obsidian_format=obsidian_format)
    return environment
