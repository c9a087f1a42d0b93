"""Tasks lines and business days."""

from __future__ import annotations

import datetime as dt

import pytest

from vaultkit.domain.business_days import BusinessCalendar
from vaultkit.errors import ConfigError
from vaultkit.notes.tasks import tasks_in_body

D = dt.date


def test_tasks_plugin_and_dataview_formats() -> None:
    body = (
        "intro\n"
        "- [ ] Send résumé to [[Jane]] 📅 2026-11-27\n"
        "- [x] Done thing 📅 2026-11-20 ✅ 2026-11-21\n"
        "  * [ ] Update résumé [due:: 2026-11-25]\n"
        "+ [-] Cancelled 📅 2026-11-01\n"
        "- [ ] No date\n"
        "```\n- [ ] In code 📅 2026-01-01\n```\n"
        "- [ ] Bad 📅 2026-02-30\n"
        "- not a task [ ] 📅 2026-11-11\n"
    )
    tasks = tasks_in_body(body, first_line=5)
    assert [(t.line, t.text, t.due, t.done_on, t.checked) for t in tasks] == [
        (6, "Send résumé to [[Jane]]", D(2026, 11, 27), None, False),
        (7, "Done thing", D(2026, 11, 20), D(2026, 11, 21), True),
        (8, "Update résumé", D(2026, 11, 25), None, False),
        (9, "Cancelled", D(2026, 11, 1), None, True),
        (10, "No date", None, None, False),
        (14, "Bad", None, None, False),
    ]
    assert tasks[-1].bad_date == "2026-02-30"


def test_weekends_only_without_a_country() -> None:
    calendar = BusinessCalendar()
    assert calendar.add(D(2026, 11, 20), 1) == D(2026, 11, 23)  # Friday → Monday
    assert calendar.add(D(2026, 11, 21), 3) == D(2026, 11, 25)  # from a Saturday


def test_thanksgiving_week_in_the_us() -> None:
    us = BusinessCalendar("US")
    monday = D(2026, 11, 23)
    assert us.add(monday, 3) == D(2026, 11, 27)  # Thanksgiving (26th) skipped
    assert us.add(monday, 7) == D(2026, 12, 3)
    assert BusinessCalendar().add(monday, 3) == D(2026, 11, 26)


def test_subdivision_holidays() -> None:
    # Massachusetts observes Patriots' Day (third Monday of April); the US does not.
    assert BusinessCalendar("US", "MA").add(D(2026, 4, 17), 1) == D(2026, 4, 21)
    assert BusinessCalendar("US").add(D(2026, 4, 17), 1) == D(2026, 4, 20)


def test_unknown_country_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="'XX' is not a country"):
        BusinessCalendar("XX")
