"""The follow-up rules and `vaultkit followups`, on a fixture vault with every case."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import REPO, SAMPLE_VAULT, invoke, invoke_json

FIXTURE = REPO / "tests" / "fixtures" / "calendar-vault"


@pytest.fixture
def vault_copy(tmp_path: Path) -> Path:
    root = tmp_path / "calendar-vault"
    shutil.copytree(FIXTURE, root)
    return root


def rows(root: Path, *args: str) -> list[dict[str, object]]:
    return invoke_json(root, "followups", "--as-of", "2026-11-21", *args)  # type: ignore[return-value]


def test_every_rule_with_due_done_and_overdue(vault_copy: Path) -> None:
    found = [
        (r["kind"], r["due"], r["done"], r["overdue"], r["contact"])
        for r in rows(vault_copy, "--all")
    ]
    assert found == [
        ("interview", "2026-10-31T23:30:00-04:00", True, False, "Jane Doe"),
        # 24 hours of elapsed time after the end, across the end of DST: 23:30 EST
        ("thank-you", "2026-11-01T23:30:00-05:00", False, True, "Jane Doe"),
        ("nudge", "2026-11-19", True, False, "No Id"),
        ("task", "2026-11-20", True, False, "Lou Chen"),
        ("move-on", "2026-11-25", True, False, "No Id"),
        ("task", "2026-11-25", False, False, None),
        # contacted the Monday before Thanksgiving: 3 business days is Friday
        ("nudge", "2026-11-27", False, False, "Pat Kim"),
        # 09:30-08:00 is 12:30 in the New York vault
        ("interview", "2026-12-02T12:30:00-05:00", False, False, "Lou Chen"),
        ("move-on", "2026-12-03", False, False, "Pat Kim"),
        ("task", "2026-12-03", False, False, "Lou Chen"),
        ("thank-you", "2026-12-03T13:00:00-05:00", True, False, "Lou Chen"),
        ("keep-in-touch", "2026-12-26", False, False, "Jane Doe"),
        ("keep-in-touch", "2027-03-02", False, False, "Lou Chen"),
    ]


def test_json_shape_and_default_filter(vault_copy: Path) -> None:
    found = rows(vault_copy)
    assert all(not r["done"] for r in found)
    first = found[0]
    assert list(first)[:7] == ["kind", "due", "title", "contact", "path", "done", "overdue"]
    assert first["title"] == "Thank Jane Doe for the interview (by 23:30)"
    assert first["path"] == "Interviews/2026-10-31 Jane Doe.md"
    nudge = next(r for r in found if r["kind"] == "nudge")
    assert nudge["title"] == "No reply from Pat Kim: reach out to Sam Lee at Acme"
    assert nudge["candidates"] == ["Sam Lee", "Jane Doe"]  # not yet contacted first


def test_overdue_and_within(vault_copy: Path) -> None:
    assert [r["kind"] for r in rows(vault_copy, "--overdue")] == ["thank-you"]
    within = rows(vault_copy, "--within", "7d")  # the thank-you slipped 3 weeks ago: left out
    assert [r["due"] for r in within] == ["2026-11-25", "2026-11-27"]
    within = rows(vault_copy, "--within", "4w")
    assert within[0]["due"] == "2026-11-01T23:30:00-05:00"
    assert [r["kind"] for r in rows(vault_copy, "--overdue", "--within", "7d")] == ["thank-you"]
    later = invoke_json(vault_copy, "followups", "--as-of", "2026-12-04", "--overdue")
    assert {r["kind"] for r in later} == {"thank-you", "task", "nudge", "move-on"}


def test_keep_in_touch_rules(vault_copy: Path) -> None:
    jane = vault_copy / "People" / "Jane Doe.md"
    text = jane.read_text()
    jane.write_text(text.replace("keep_in_touch: 8w", "keep_in_touch: 3m"))
    due = {r["contact"]: r["due"] for r in rows(vault_copy) if r["kind"] == "keep-in-touch"}
    assert due["Jane Doe"] == "2027-01-31"  # 3 months after the interview of 31 October
    jane.write_text(text.replace("keep_in_touch: 8w", "next_contact: 2026-12-01"))
    due = {r["contact"]: r["due"] for r in rows(vault_copy) if r["kind"] == "keep-in-touch"}
    assert due["Jane Doe"] == "2026-12-01"
    jane.write_text(text.replace("keep_in_touch: 8w", "keep_in_touch: no"))
    assert "Jane Doe" not in {
        r["contact"] for r in rows(vault_copy) if r["kind"] == "keep-in-touch"
    }
    # The stage, not the written status, decides: an interview held makes
    # Jane someone you have met even when her note still says contacted.
    jane.write_text(text.replace("status: interviewed", "status: contacted"))
    assert "Jane Doe" in {r["contact"] for r in rows(vault_copy) if r["kind"] == "keep-in-touch"}
    interview = vault_copy / "Interviews" / "2026-10-31 Jane Doe.md"
    interview.write_text(interview.read_text().replace("status: done", "status: cancelled"))
    assert "Jane Doe" not in {
        r["contact"] for r in rows(vault_copy) if r["kind"] == "keep-in-touch"
    }


def test_config_changes_the_rules(vault_copy: Path) -> None:
    (vault_copy / ".vaultkit.toml").write_text(
        'timezone = "America/New_York"\n[followups]\nthank_you_within = "48h"\n'
        "nudge_after = 2\nmove_on_after = 5\n"
    )
    found = {(r["kind"], r["contact"]): r["due"] for r in rows(vault_copy, "--all")}
    assert found[("thank-you", "Jane Doe")] == "2026-11-02T23:30:00-05:00"
    assert found[("nudge", "Pat Kim")] == "2026-11-25"  # no holidays configured now
    assert found[("move-on", "Pat Kim")] == "2026-11-30"


def test_human_output_groups(vault_copy: Path) -> None:
    result = invoke(vault_copy, "followups", "--as-of", "2026-11-21")
    assert result.exit_code == 0
    out = result.stdout
    assert out.index("Overdue (1)") < out.index("This week (2)") < out.index("Later (")
    empty = invoke(vault_copy, "followups", "--as-of", "2020-01-01", "--overdue")
    assert "Nothing due." in empty.stdout


def test_bad_options_are_one_line(vault_copy: Path) -> None:
    for args, message in (
        (("--as-of", "someday"), "--as-of: 'someday' is not a date-time"),
        (("--within", "soon"), "--within: 'soon' is not a length of time"),
    ):
        result = invoke(vault_copy, "followups", *args)
        assert result.exit_code == 2
        assert result.stderr.startswith(f"vaultkit: {message}")


def test_sample_vault_followups() -> None:
    found = invoke_json(SAMPLE_VAULT, "followups", "--as-of", "2026-11-21", "--overdue")
    kinds = sorted(r["kind"] for r in found)  # type: ignore[union-attr]
    assert kinds == ["keep-in-touch", "nudge", "nudge"]
