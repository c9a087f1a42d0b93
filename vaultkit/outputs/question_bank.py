"""The question bank: good open-ended questions by category, and a fair pick.

The bank is data (``templates/questions.yaml``), replaceable from the vault's
template folder like any template. The pick spreads questions across
categories (the guides' advice: ask about the job, the path, the place, the
field), is the same for the same seed, and differs between interviews.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from pathlib import Path

from vaultkit.notes.yaml_text import YamlProblem, load_yaml_mapping
from vaultkit.outputs.templates import TemplateProblem, TemplateSource, find_template

BANK_NAME = "questions.yaml"
STYLES = ("standard", "tiara")


@dataclass(frozen=True)
class Category:
    key: str
    title: str
    questions: tuple[str, ...]


@dataclass(frozen=True)
class QuestionBank:
    styles: dict[str, tuple[Category, ...]]
    closing: tuple[str, ...]
    evaluation: tuple[str, ...]


@dataclass(frozen=True)
class QuestionGroup:
    """Questions picked from one category, in the bank's category order."""

    title: str
    questions: tuple[str, ...]


def load_bank(vault_root: Path, template_folder: str) -> QuestionBank:
    """The vault's question bank where it has one, section by section: a style,
    the closing or the evaluation questions it leaves out (or empty) come from
    the built-in bank, so the closing questions are always asked."""
    built_in = _parse(find_template(BANK_NAME, Path("/nonexistent"), ""), require_all=True)
    source = find_template(BANK_NAME, vault_root, template_folder)
    if source.origin.startswith("built-in"):
        return built_in
    own = _parse(source, require_all=False)
    return QuestionBank(
        styles={style: own.styles.get(style) or built_in.styles[style] for style in STYLES},
        closing=own.closing or built_in.closing,
        evaluation=own.evaluation or built_in.evaluation,
    )


def _parse(source: TemplateSource, require_all: bool) -> QuestionBank:
    try:
        data = load_yaml_mapping(source.text).data
    except YamlProblem as problem:
        message = problem.message.replace("front-matter", "the question bank")
        raise TemplateProblem(f"{source.origin}:{problem.line}: {message}") from None
    styles: dict[str, tuple[Category, ...]] = {}
    for style in STYLES:
        table = data.get(style)
        if table is None and not require_all:
            continue
        if not isinstance(table, dict) or not table:
            raise TemplateProblem(f"{source.origin}: needs a {style}: section of categories")
        styles[style] = tuple(_category(source.origin, style, k, v) for k, v in table.items())
    return QuestionBank(
        styles=styles,
        closing=_texts(source.origin, "closing", data.get("closing"), require_all),
        evaluation=_texts(source.origin, "evaluation", data.get("evaluation"), require_all),
    )


def _category(origin: str, style: str, key: str, value: object) -> Category:
    if not isinstance(value, dict):
        raise TemplateProblem(f"{origin}: {style}.{key} needs a title and questions")
    questions = _texts(origin, f"{style}.{key}.questions", value.get("questions"))
    title = value.get("title")
    return Category(key, title if isinstance(title, str) and title else key, questions)


def _texts(origin: str, where: str, value: object, required: bool = True) -> tuple[str, ...]:
    if value is None and not required:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise TemplateProblem(f"{origin}: {where} must be a list of questions")
    return tuple(v.strip() for v in value)


def seed_for(*parts: str) -> int:
    """A stable seed from text (the contact and the date): the same interview
    always gets the same questions, another interview gets others. Python's
    own ``hash`` would change between runs."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big")


def pick_questions(
    bank: QuestionBank, style: str, count: int, seed: int
) -> tuple[QuestionGroup, ...]:
    """``count`` questions spread across the style's categories, round-robin in
    a shuffled category order, grouped back in the bank's order for the note."""
    categories = bank.styles[style]
    rng = random.Random(seed)
    pools = {c.key: rng.sample(c.questions, len(c.questions)) for c in categories}
    order = [c.key for c in categories]
    rng.shuffle(order)
    chosen: dict[str, list[str]] = {key: [] for key in order}
    remaining = min(count, sum(len(pool) for pool in pools.values()))
    while remaining:
        for key in order:
            if remaining and pools[key]:
                chosen[key].append(pools[key].pop())
                remaining -= 1
    return tuple(QuestionGroup(c.title, tuple(chosen[c.key])) for c in categories if chosen[c.key])
