"""`vaultkit stats`: the figures a user reads about their search, on the
sample vault with a fixed --as-of, on empty and tiny vaults, and served from
the stored answer only while it is still true."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from conftest import WriteNote, invoke

AS_OF = "2026-11-21"


def _stats(root: Path, *extra: str) -> dict[str, Any]:
    result = invoke(root, "stats", "--json", *extra)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _counts(record: dict[str, Any]) -> list[int]:
    return [step["count"] for step in record["funnel"]]


def test_sample_vault_funnel_overall_by_warmth_and_source(sample: Path) -> None:
    record = _stats(sample, "--as-of", AS_OF)
    assert [s["step"] for s in record["funnel"]] == [
        "contacts",
        "contacted",
        "replied",
        "met",
        "thanked",
    ]
    assert _counts(record) == [26, 22, 18, 11, 10]
    replied = record["funnel"][2]
    assert replied["rate"] == round(18 / 22, 4) and replied["of_contacts"] == round(18 / 26, 4)
    assert record["funnel"][0]["rate"] is None  # nothing before the first step
    warmth = {g["label"]: g for g in record["by_warmth"]}
    assert set(warmth) == {"warm", "cold"}
    assert warmth["cold"]["contacts"] == 6 and warmth["cold"]["replied"] == 1
    assert sum(g["contacts"] for g in record["by_warmth"]) == 26
    sources = {g["label"]: g for g in record["by_source"]}
    assert sources["referral"]["contacts"] == 10
    assert sources["LinkedIn"]["contacted"] == 2 and sources["LinkedIn"]["reply_rate"] == 0.0
    # a source nobody was contacted from has no rate, not a rate of nothing
    assert sources["company website"]["reply_rate"] is None
    assert sum(g["contacts"] for g in record["by_source"]) == 26


def test_sample_vault_replies_referrals_and_weeks(sample: Path) -> None:
    record = _stats(sample, "--as-of", AS_OF)
    whole, recent = record["replies"]["whole"], record["replies"]["recent"]
    assert whole["since"] is None and whole["contacted"] == 22 and whole["replied"] == 18
    assert whole["median_days_to_reply"] == 1.0
    assert recent["since"] == "2026-10-25"  # four weeks up to the 21st
    assert recent["contacted"] == 14 and recent["median_days_to_reply"] == 1.5
    referrals = record["referrals"]
    assert referrals["interviews_held"] == 8
    assert referrals["per_interview"] == round(referrals["referrals_gained"] / 8, 4)
    assert referrals["contacts_through_referral"] == 16
    chain = [p["name"] for p in referrals["longest_chain"]]
    first = ["Daniel Whitaker", "Priya Raman", "Tom Becker"]
    assert chain == [*first, "Aisha Mohammed", "Kevin O'Neill"]
    weeks = record["weekly"]
    assert len(weeks) == 12 and weeks[-1]["week"] == "2026-11-16"  # this week, a Monday
    assert weeks[-1] == {"week": "2026-11-16", "requests": 6, "replies": 2, "interviews": 2}
    assert sum(w["interviews"] for w in weeks) == 8


def test_since_keeps_the_search_from_that_day(sample: Path) -> None:
    everything = _stats(sample, "--as-of", AS_OF)
    later = _stats(sample, "--as-of", AS_OF, "--since", "2026-11-01")
    assert later["since"] == "2026-11-01"
    assert later["replies"]["whole"]["since"] == "2026-11-01"
    assert _counts(later)[0] < _counts(everything)[0]
    # those not contacted yet stay: still the pool to work from
    assert _counts(later)[0] - _counts(later)[1] == _counts(everything)[0] - _counts(everything)[1]
    assert later["weekly"][-1]["requests"] == 6
    assert sum(w["requests"] for w in later["weekly"][:8]) == 0


def test_since_leaves_out_contacts_dated_before_it_or_not_at_all(
    vault: Path, write: WriteNote
) -> None:
    """A contact known only by an earlier last_contact (an old colleague kept
    in touch), or past "to contact" with no date at all, began before --since."""
    write("People/Old.md", "---\nstatus: keep-in-touch\nlast_contact: 2026-08-14\n---\n")
    write("People/Undated.md", "---\nstatus: scheduled\n---\n")
    write("People/New.md", "---\nstatus: contacted\ncontacted_on: 2026-11-18\n---\n")
    write("People/Pool.md", "---\nstatus: to-contact\n---\n")
    assert _counts(_stats(vault, "--as-of", AS_OF))[0] == 4
    assert _counts(_stats(vault, "--as-of", AS_OF, "--since", "2026-11-01"))[:2] == [2, 1]
    assert _counts(_stats(vault, "--as-of", AS_OF, "--since", "2027-01-01"))[:2] == [1, 0]
    # a --since inside the last four weeks: one Replies row, not the same one twice
    out = invoke(vault, "stats", "--as-of", AS_OF, "--since", "2026-11-10").stdout
    assert "since 2026-11-10" in out and "(4 weeks)" not in out


def test_the_table_shows_what_json_says(sample: Path) -> None:
    result = invoke(sample, "stats", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    out = result.stdout
    for words in ("Funnel", "By warmth", "By source", "Replies", "Last 12 weeks"):
        assert words in out
    assert "Daniel Whitaker → Priya Raman" in out and "(4 introductions)" in out
    assert "82%" in out  # 18 of 22 replied
    assert "whole search" in out and "since 2026-10-25 (4 weeks)" in out


def test_bad_since_is_one_line_and_exit_2(sample: Path) -> None:
    result = invoke(sample, "stats", "--since", "last tuesday")
    assert result.exit_code == 2
    assert "--since" in result.output and "Traceback" not in result.output


def test_empty_vault_gives_zeros_and_no_rates(vault: Path) -> None:
    record = _stats(vault, "--as-of", AS_OF)
    assert _counts(record) == [0, 0, 0, 0, 0]
    assert all(step["of_contacts"] is None for step in record["funnel"])
    assert record["by_warmth"] == [] and record["by_source"] == []
    assert record["replies"]["whole"]["reply_rate"] is None
    assert record["referrals"]["per_interview"] is None
    assert record["referrals"]["longest_chain"] == []
    assert len(record["weekly"]) == 12
    assert invoke(vault, "stats", "--as-of", AS_OF).exit_code == 0


def test_one_contact_and_odd_labels(vault: Path, write: WriteNote) -> None:
    write(
        "People/Jo.md",
        "---\nsource: 'Evil\"] --> x; %% `md`'\nwarmth: cold\ncontacted_on: 2026-11-18\n---\n",
    )
    write("People/Al.md", '---\nsource: evil"] --> X; %% `MD`\nwarmth: cold\n---\n')
    record = _stats(vault, "--as-of", AS_OF)
    assert _counts(record) == [2, 1, 0, 0, 0]
    assert record["replies"]["whole"]["reply_rate"] == 0.0
    assert record["replies"]["whole"]["median_days_to_reply"] is None
    # one group whatever the case, shown as first written (by name: Al first)
    assert [g["label"] for g in record["by_source"]] == ['evil"] --> X; %% `MD`']
    assert [g["label"] for g in record["by_warmth"]] == ["cold"]


def test_a_stated_stage_counts_even_without_dates(vault: Path, write: WriteNote) -> None:
    """A contact whose status says they were met counts as contacted, replied
    and met: every step is part of the one before it."""
    write("People/Kim.md", "---\nstatus: interviewed\n---\n")
    write("People/Lee.md", "---\nstatus: closed\n---\n")
    assert _counts(_stats(vault, "--as-of", AS_OF)) == [2, 1, 1, 1, 0]


def _at(monkeypatch: pytest.MonkeyPatch, moment: dt.datetime) -> None:
    """Set the clock `stats` reads when no --as-of is given."""
    from vaultkit.cli import context

    monkeypatch.setattr(context, "wall_clock", lambda: moment.astimezone(dt.UTC))
    monkeypatch.setattr(context.AppContext, "now", lambda self, as_of=None: moment, raising=True)


def test_a_stored_answer_moves_at_midnight_and_when_an_interview_ends(
    vault: Path, write: WriteNote, monkeypatch: pytest.MonkeyPatch
) -> None:
    zone = ZoneInfo("America/New_York")
    write("People/Jane.md", "---\ncontacted_on: 2026-11-19\nreplied_on: 2026-11-19\n---\n")
    write("People/Ann.md", "---\ncontacted_on: 2026-11-23\n---\n")  # Monday, next week
    write(
        "Interviews/Jane.md",
        "---\ncontact: '[[Jane]]'\ndate: 2026-11-20T14:00\nduration: 30\n---\n",
    )
    _at(monkeypatch, dt.datetime(2026, 11, 20, 10, 0, tzinfo=zone))
    morning = _stats(vault)
    assert morning["funnel"][3]["count"] == 0  # not met yet
    assert _stats(vault) == morning  # served again
    assert (vault / ".vaultkit" / "index.sqlite").exists()
    _at(monkeypatch, dt.datetime(2026, 11, 20, 14, 45, tzinfo=zone))
    afternoon = _stats(vault)
    assert afternoon["funnel"][3]["count"] == 1  # the interview ended at 14:30
    assert afternoon["weekly"][-1]["interviews"] == 1
    _at(monkeypatch, dt.datetime(2026, 11, 23, 0, 5, tzinfo=zone))
    monday = _stats(vault)
    assert monday["weekly"][-1] == {
        "week": "2026-11-23",
        "requests": 1,
        "replies": 0,
        "interviews": 0,
    }
