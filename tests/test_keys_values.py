"""Key names as people write them, and values read as they meant them."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vaultkit.notes import typed_values
from vaultkit.notes.keys import normalise_key
from vaultkit.notes.typed_values import Cadence, ValueProblem

NEW_YORK = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("Referred By", "referred_by"),
        ("referred-by", "referred_by"),
        ("REFERRED_BY", "referred_by"),
        ("referrer", "referred_by"),
        ("Introduced By", "referred_by"),
        ("met-through", "referred_by"),
        ("org", "organization"),
        ("Company", "organization"),
        ("people", "contact"),
        ("Person", "contact"),
        ("Keep In Touch", "keep_in_touch"),
        ("  thank-you  sent ", "thank_you_sent"),
    ],
)
def test_key_normalisation(raw: str, key: str) -> None:
    assert normalise_key(raw) == key


def test_dates() -> None:
    assert typed_values.date("2026-11-25") == dt.date(2026, 11, 25)
    assert typed_values.date("2026-1-5") == dt.date(2026, 1, 5)
    assert typed_values.date("2026-11-25 14:00") == dt.date(2026, 11, 25)
    assert typed_values.date("") is None


@pytest.mark.parametrize("raw", ["2026-02-30", "25/11/2026", "next tuesday", "2026-13-01"])
def test_bad_dates_are_problems_not_guesses(raw: str) -> None:
    with pytest.raises(ValueProblem):
        typed_values.date(raw)


def test_when_without_offset_is_in_the_vault_zone() -> None:
    start = typed_values.when("2026-11-25 14:00", NEW_YORK)
    assert start is not None and start.at is not None
    assert start.at.isoformat() == "2026-11-25T14:00:00-05:00"
    same = typed_values.when("2026-11-25T14:00", NEW_YORK)
    assert same == start


def test_when_keeps_an_explicit_offset() -> None:
    start = typed_values.when("2026-12-02T09:30-08:00", NEW_YORK)
    assert start is not None and start.at is not None
    assert start.at.utcoffset() == dt.timedelta(hours=-8)
    assert start.at.astimezone(NEW_YORK).hour == 12
    utc = typed_values.when("2026-12-02T17:30Z", NEW_YORK)
    assert utc is not None and utc.at == start.at


def test_when_across_dst_uses_the_offset_of_that_day() -> None:
    summer = typed_values.when("2026-07-01 09:00", NEW_YORK)
    winter = typed_values.when("2026-11-02 09:00", NEW_YORK)
    assert summer is not None and summer.at is not None and winter is not None
    assert summer.at.utcoffset() == dt.timedelta(hours=-4)
    assert winter.at is not None and winter.at.utcoffset() == dt.timedelta(hours=-5)


def test_when_with_only_a_day_has_no_time() -> None:
    start = typed_values.when("2026-11-25", NEW_YORK)
    assert start is not None and start.at is None and start.day == dt.date(2026, 11, 25)


@pytest.mark.parametrize("raw", ["2026-11-25 25:61", "2026-11-25 14h", "tomorrow 2pm"])
def test_bad_times_are_problems(raw: str) -> None:
    with pytest.raises(ValueProblem):
        typed_values.when(raw, NEW_YORK)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("90d", Cadence(90, "days")),
        ("8w", Cadence(8, "weeks")),
        ("3m", Cadence(3, "months")),
        ("1 year", Cadence(1, "years")),
        ("2 weeks", Cadence(2, "weeks")),
        ("no", typed_values.OFF),
        ("off", typed_values.OFF),
        ("false", typed_values.OFF),
    ],
)
def test_cadences(raw: str, expected: object) -> None:
    assert typed_values.cadence(raw) == expected


def test_months_keep_the_day_or_clamp_to_month_end() -> None:
    assert Cadence(3, "months").after(dt.date(2026, 1, 31)) == dt.date(2026, 4, 30)
    assert Cadence(1, "years").after(dt.date(2028, 2, 29)) == dt.date(2029, 2, 28)
    assert Cadence(2, "weeks").after(dt.date(2026, 11, 21)) == dt.date(2026, 12, 5)


def test_bad_cadence() -> None:
    with pytest.raises(ValueProblem):
        typed_values.cadence("quarterly")


@pytest.mark.parametrize(("raw", "minutes"), [("30", 30), ("45 min", 45), ("1h", 60), ("1h30", 90)])
def test_minutes(raw: str, minutes: int) -> None:
    assert typed_values.minutes(raw) == minutes


def test_choice_is_lenient_about_spelling() -> None:
    allowed = ("to-contact", "keep-in-touch")
    assert typed_values.choice("Keep in touch", allowed) == "keep-in-touch"
    assert typed_values.choice("TO_CONTACT", allowed) == "to-contact"
    with pytest.raises(ValueProblem):
        typed_values.choice("maybe", allowed)


def test_text_list_accepts_one_or_many() -> None:
    assert typed_values.text_list("Jay") == ["Jay"]
    assert typed_values.text_list(["Jay", "", "J."]) == ["Jay", "J."]


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31)))
def test_any_iso_date_round_trips(day: dt.date) -> None:
    assert typed_values.date(day.isoformat()) == day


@given(
    st.datetimes(min_value=dt.datetime(1970, 1, 1), max_value=dt.datetime(2100, 1, 1)),
    st.integers(min_value=-12 * 60, max_value=14 * 60),
)
def test_any_datetime_with_offset_round_trips(moment: dt.datetime, offset: int) -> None:
    aware = moment.replace(microsecond=0, tzinfo=dt.timezone(dt.timedelta(minutes=offset)))
    parsed = typed_values.when(aware.isoformat(), NEW_YORK)
    assert parsed is not None and parsed.at == aware


def test_a_wall_time_the_clocks_skip_is_a_problem() -> None:
    with pytest.raises(ValueProblem, match="does not exist in America/New_York"):
        typed_values.when("2026-03-08 02:30", NEW_YORK)
    with pytest.raises(ValueProblem, match="Europe/Paris"):
        typed_values.when("2026-03-29 02:30", ZoneInfo("Europe/Paris"))


def test_a_wall_time_that_happens_twice_is_flagged_and_read_as_the_first() -> None:
    start = typed_values.when("2026-11-01 01:30", NEW_YORK)
    assert start is not None and start.ambiguous
    assert start.at is not None and start.at.utcoffset() == dt.timedelta(hours=-4)
    assert not typed_values.when("2026-11-01 01:30-05:00", NEW_YORK).ambiguous  # type: ignore[union-attr]
    assert not typed_values.when("2026-11-02 01:30", NEW_YORK).ambiguous  # type: ignore[union-attr]


def test_a_date_written_as_a_daily_note_link() -> None:
    assert typed_values.date("[[2026-11-18]]") == dt.date(2026, 11, 18)
    assert typed_values.date("[[2026-11-18|Wednesday]]") == dt.date(2026, 11, 18)


@pytest.mark.parametrize(
    ("raw", "hours"), [("24h", 24), ("48 hours", 48), ("2d", 48), ("90min", 1.5), ("2w", 336)]
)
def test_spans(raw: str, hours: float) -> None:
    assert typed_values.span(raw) == dt.timedelta(hours=hours)


@pytest.mark.parametrize(
    ("raw", "message"), [("1m", "not a length of time"), ("99999999999d", "longer than ten years")]
)
def test_bad_spans(raw: str, message: str) -> None:
    with pytest.raises(ValueProblem, match=message):
        typed_values.span(raw)


def test_cadences_are_bounded() -> None:
    with pytest.raises(ValueProblem, match="longer than ten years"):
        typed_values.cadence("99999y")
