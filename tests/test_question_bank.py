"""The question bank and the pick: enough good questions, spread, repeatable."""

from __future__ import annotations

from pathlib import Path

import pytest

from vaultkit.outputs.question_bank import load_bank, pick_questions, seed_for
from vaultkit.outputs.templates import TemplateProblem

STANDARD = {
    "job-description",
    "career-path",
    "work-environment",
    "industry",
    "preparation",
    "organization",
    "general",
}


@pytest.fixture(scope="module")
def bank():  # type: ignore[no-untyped-def]
    return load_bank(Path("/nonexistent"), "")


def test_built_in_bank_has_the_categories_and_closing_questions(bank) -> None:  # type: ignore[no-untyped-def]
    assert {c.key for c in bank.styles["standard"]} == STANDARD
    assert sum(len(c.questions) for c in bank.styles["standard"]) >= 50
    assert [c.key for c in bank.styles["tiara"]] == [
        "trends",
        "insights",
        "advice",
        "resources",
        "assignments",
    ]
    assert bank.closing == (
        "Who else should I talk to?",
        "May I stay in touch?",
        "May I use your name when I reach out?",
    )
    for category in bank.styles["standard"]:
        for question in category.questions:
            assert question.endswith("?"), question
            first = question.split()[0].lower()
            yes_no = {
                "do",
                "does",
                "is",
                "are",
                "can",
                "did",
                "would",
                "could",
                "have",
                "has",
                "will",
                "should",
                "was",
                "were",
            }
            assert first not in yes_no, f"yes/no: {question}"


@pytest.mark.parametrize("seed", range(20))
def test_ten_questions_cover_at_least_four_categories(bank, seed: int) -> None:  # type: ignore[no-untyped-def]
    groups = pick_questions(bank, "standard", 10, seed)
    assert sum(len(g.questions) for g in groups) == 10
    assert len(groups) >= 4
    texts = [q for g in groups for q in g.questions]
    assert len(set(texts)) == 10


def test_same_seed_same_questions_other_seed_others(bank) -> None:  # type: ignore[no-untyped-def]
    first = pick_questions(bank, "standard", 10, seed_for("Jane Doe", "2026-11-25 14:00"))
    again = pick_questions(bank, "standard", 10, seed_for("Jane Doe", "2026-11-25 14:00"))
    other = pick_questions(bank, "standard", 10, seed_for("Li Wei", "2026-11-26 10:00"))
    assert first == again
    assert first != other


def test_tiara_and_more_questions_than_the_bank_holds(bank) -> None:  # type: ignore[no-untyped-def]
    groups = pick_questions(bank, "tiara", 5, 1)
    assert [g.title for g in groups] == ["Trends", "Insights", "Advice", "Resources", "Assignments"]
    everything = pick_questions(bank, "tiara", 500, 1)
    assert sum(len(g.questions) for g in everything) == 20


def test_a_broken_vault_bank_is_one_clear_error(tmp_path: Path) -> None:
    folder = tmp_path / "Templates" / "vaultkit"
    folder.mkdir(parents=True)
    (folder / "questions.yaml").write_text("standard:\n  general: [not, a, mapping]\n")
    with pytest.raises(TemplateProblem, match=r"Templates/vaultkit/questions.yaml: "):
        load_bank(tmp_path, "Templates/vaultkit")


def test_a_vault_bank_falls_back_to_the_built_in_sections(tmp_path: Path) -> None:
    folder = tmp_path / "Templates" / "vaultkit"
    folder.mkdir(parents=True)
    (folder / "questions.yaml").write_text(
        "standard:\n  mine:\n    title: Mine\n    questions: [How did you start?]\nclosing: []\n"
    )
    bank = load_bank(tmp_path, "Templates/vaultkit")
    assert [c.title for c in bank.styles["standard"]] == ["Mine"]
    assert bank.closing[0] == "Who else should I talk to?"  # always asked
    assert bank.styles["tiara"][0].key == "trends"
