"""Interviews land at the right instant in every parser, in every zone.

One vault per zone (New York, Berlin, Kolkata, Lord Howe with its 30-minute
daylight saving, UTC), each holding interviews in summer and winter time and
on both days the clocks change (a start in the gap, in the fold, an end in
the fold, an interview across the change), in 2019, 2026 and 2045. The
calendar is written once per vault and read once per parser: icalendar
(through the file's own VTIMEZONE, and as it reads by default), vobject (as
Radicale does), ``ical``, and ical.js (Thunderbird's) under Node. Each must
read the UTC start and end that zoneinfo gives the note's wall time.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from ical.calendar_stream import IcsCalendarStream

from tests.conftest import REPO, invoke

ZONES = ("America/New_York", "Europe/Berlin", "Asia/Kolkata", "Australia/Lord_Howe", "UTC")
YEARS = (2019, 2026, 2045)
BROWSER = REPO / "tests" / "browser"
UTC = dt.UTC

# note file -> (the note's date text, duration in minutes)
Cases = dict[str, tuple[str, int]]


def _changes(zone: ZoneInfo, year: int) -> list[tuple[dt.datetime, dt.timedelta, dt.timedelta]]:
    """The year's clock changes: (UTC instant, offset before, offset after)."""
    found = []
    moment = dt.datetime(year, 1, 1, tzinfo=UTC)
    step = dt.timedelta(hours=1)
    while moment.year == year:
        before, after = moment.astimezone(zone).utcoffset(), (moment + step).astimezone(zone)
        if after.utcoffset() != before:
            low, high = moment, moment + step
            while high - low > dt.timedelta(minutes=1):
                middle = low + (high - low) / 2
                if middle.astimezone(zone).utcoffset() == before:
                    low = middle
                else:
                    high = middle
            found.append((high, before, after.utcoffset()))
        moment += step
    return found  # type: ignore[return-value]


def _wall(moment: dt.datetime, offset: dt.timedelta) -> str:
    return (moment + offset).strftime("%Y-%m-%d %H:%M")


def cases_for(zone_name: str) -> Cases:
    zone = ZoneInfo(zone_name)
    cases: Cases = {}
    for year in YEARS:
        cases[f"{year} winter"] = (f"{year}-01-15 10:00", 45)
        cases[f"{year} summer"] = (f"{year}-07-15 16:30", 60)
        for number, (at, before, after) in enumerate(_changes(zone, year)):
            shift = after - before
            name = f"{year} change {number}"
            if shift > dt.timedelta(0):  # clocks forward: a gap of wall times
                cases[f"{name} in the gap"] = (_wall(at + shift / 2, before), 60)
                cases[f"{name} across"] = (_wall(at - dt.timedelta(minutes=30), before), 90)
            else:  # clocks back: the wall times after the change happen twice
                fold = -shift
                first = at - fold / 2
                cases[f"{name} fold first"] = (_wall(first, before), 60)
                second = _wall(first + fold, after)  # the same wall time, its second time
                sign = "-" if after < dt.timedelta(0) else "+"
                hours, rest = divmod(abs(int(after.total_seconds())) // 60, 60)
                cases[f"{name} fold second"] = (f"{second}{sign}{hours:02d}:{rest:02d}", 60)
                hour = dt.timedelta(hours=1)
                cases[f"{name} ends in the fold"] = (_wall(first - hour, before), 60)
                cases[f"{name} before, 2h"] = (_wall(at - dt.timedelta(minutes=90), before), 120)
    return cases


def truth(date_text: str, minutes: int, zone: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    """The instant the note means, from zoneinfo alone: an offset if given,
    else the wall time in the zone (the first of two; before a gap's offset)."""
    moment = dt.datetime.fromisoformat(date_text.replace(" ", "T"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    start = moment.astimezone(UTC)
    return start, start + dt.timedelta(minutes=minutes)


def _slug(case: str) -> str:
    return case.replace(" ", "-").replace(",", "")


@pytest.fixture(scope="module")
def feeds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, dict[str, tuple]]]:
    """Per zone: the calendar's text, and per note stem the true UTC start and end."""
    out = {}
    for zone_name in ZONES:
        root = tmp_path_factory.mktemp(zone_name.replace("/", "-"))
        (root / ".vaultkit.toml").write_text(f'timezone = "{zone_name}"\n')
        (root / "People").mkdir()
        (root / "People" / "Jo.md").write_text("---\ntype: contact\nstatus: contacted\n---\n")
        (root / "Interviews").mkdir()
        expected = {}
        for case, (date_text, minutes) in cases_for(zone_name).items():
            stem = _slug(case)
            (root / "Interviews" / f"{stem}.md").write_text(
                f'---\ntype: interview\ncontact: "[[Jo]]"\ndate: {date_text}\n'
                f"duration: {minutes}\n---\n"
            )
            expected[stem] = truth(date_text, minutes, ZoneInfo(zone_name))
        result = invoke(root, "calendar", "--as-of", "2026-06-01")
        assert result.exit_code == 0, result.output
        text = (root / "vaultkit" / "followups.ics").read_bytes().decode("utf-8")
        out[zone_name] = (text, expected)
    return out


def _stem(url: str) -> str:
    return url.rsplit("%2F", 1)[-1].removesuffix(".md")


def _utc(moment: dt.datetime) -> dt.datetime:
    assert moment.tzinfo is not None, moment
    return moment.astimezone(UTC)


def read_icalendar(text: str) -> dict[str, tuple]:
    calendar = icalendar.Calendar.from_ical(text)
    return {
        _stem(str(e["URL"])): (_utc(e["DTSTART"].dt), _utc(e["DTEND"].dt))
        for e in calendar.walk("VEVENT")
        if str(e["SUMMARY"]).startswith("Interview")
    }


def read_icalendar_own_zone(text: str) -> dict[str, tuple]:
    """icalendar with the file's VTIMEZONE instead of its zoneinfo copy: wall
    times localized by the written rules alone."""
    calendar = icalendar.Calendar.from_ical(text)
    (vtimezone,) = calendar.walk("VTIMEZONE")
    own = vtimezone.to_tz(lookup_tzid=False)

    def instant(prop: icalendar.prop.vDDDTypes) -> dt.datetime:
        value = prop.dt
        if "TZID" in prop.params:
            naive = value.replace(tzinfo=None)
            # dateutil-style tzinfo: fold=0 is the first of two, as RFC 5545 says
            return naive.replace(tzinfo=own).astimezone(UTC)
        return _utc(value)

    return {
        _stem(str(e["URL"])): (instant(e["DTSTART"]), instant(e["DTEND"]))
        for e in calendar.walk("VEVENT")
        if str(e["SUMMARY"]).startswith("Interview")
    }


def read_vobject(text: str) -> dict[str, tuple]:
    # vobject keeps the first VTIMEZONE it parsed for a TZID for the life of
    # the process (other tests parse zones too): read this file's, as a fresh
    # Radicale would.
    known = vars(vobject.icalendar)["__tzidMap"]
    for zone_name in ZONES:
        if zone_name != "UTC":
            known.pop(zone_name, None)
    calendar = vobject.readOne(text)
    return {
        _stem(e.url.value): (_utc(e.dtstart.value), _utc(e.dtend.value))
        for e in calendar.vevent_list
        if e.summary.value.startswith("Interview")
    }


def read_ical(text: str) -> dict[str, tuple]:
    calendar = IcsCalendarStream.calendar_from_ics(text)
    return {
        _stem(e.url): (_utc(e.dtstart), _utc(e.dtend))
        for e in calendar.events
        if (e.summary or "").startswith("Interview")
    }


def read_icaljs(text: str) -> dict[str, tuple]:
    """ical.js under Node (tests/browser: npm ci --prefix tests/browser)."""
    node = shutil.which("node")
    if node is None or not (BROWSER / "node_modules" / "ical.js").is_dir():
        if os.environ.get("CI"):
            pytest.fail("node and ical.js are needed in CI (npm ci --prefix tests/browser)")
        pytest.skip("node or ical.js missing (npm ci --prefix tests/browser)")
    done = subprocess.run(
        [node, str(BROWSER / "ical_times.mjs"), "/dev/stdin"],
        input=text,
        capture_output=True,
        text=True,
        check=True,
    )
    return {
        _stem(e["url"]): (
            dt.datetime.fromtimestamp(e["start"], UTC),
            dt.datetime.fromtimestamp(e["end"], UTC),
        )
        for e in json.loads(done.stdout)
        if e["summary"].startswith("Interview")
    }


PARSERS = {
    "icalendar": read_icalendar,
    "icalendar-own-vtimezone": read_icalendar_own_zone,
    "vobject": read_vobject,
    "ical": read_ical,
    "ical.js": read_icaljs,
}


@pytest.mark.parametrize("parser", PARSERS)
def test_every_parser_reads_the_true_utc_start_and_end(feeds: dict, parser: str) -> None:
    for zone_name, (text, expected) in feeds.items():
        read = PARSERS[parser](text)
        wrong = {
            stem: (f"{read.get(stem)}", f"truth {want}")
            for stem, want in expected.items()
            if read.get(stem) != want
        }
        assert not wrong, f"{parser} in {zone_name}: {wrong}"


def test_the_matrix_covers_gaps_and_folds_in_every_year(feeds: dict) -> None:
    new_york = cases_for("America/New_York")
    for year in YEARS:
        assert any(c.startswith(f"{year}") and "gap" in c for c in new_york)
        assert any(c.startswith(f"{year}") and "fold" in c for c in new_york)
    lord_howe = cases_for("Australia/Lord_Howe")
    assert sum("gap" in c for c in lord_howe) == len(YEARS)
    _text, expected = feeds["America/New_York"]
    assert len(expected) == len(new_york) == 3 * (2 + 2 + 4)


def test_zone_rules_cover_the_years_around_every_event(feeds: dict) -> None:
    text, _expected = feeds["America/New_York"]
    (vtimezone,) = icalendar.Calendar.from_ical(text).walk("VTIMEZONE")
    starts = [sub["DTSTART"].dt for sub in vtimezone.subcomponents]
    assert min(starts) == dt.datetime(1970, 1, 1)  # long before the 2019 interviews
    assert (
        "RRULE:FREQ=YEARLY;BYMONTH=4;BYDAY=1SU;UNTIL=20060403T070000Z\r\n" in text
    )  # a day past the last onset
    assert "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\r\n" in text  # open-ended: 2045 and on
    assert "RDATE" not in vtimezone  # no list of dates that parsers read only the first of


def test_a_one_hour_interview_at_the_autumn_change_keeps_its_hour(tmp_path: Path) -> None:
    (tmp_path / ".vaultkit.toml").write_text('timezone = "America/New_York"\n')
    (tmp_path / "People").mkdir()
    (tmp_path / "People" / "Jo.md").write_text("---\ntype: contact\n---\n")
    (tmp_path / "Interviews").mkdir()
    (tmp_path / "Interviews" / "a.md").write_text(
        '---\ntype: interview\ncontact: "[[Jo]]"\ndate: 2026-11-01 01:15\nduration: 60\n---\n'
    )
    text = invoke(tmp_path, "calendar", "--as-of", "2026-10-01", "--out", "-").stdout_bytes.decode()
    assert "DTSTART:20261101T051500Z\r\n" in text
    assert "DTEND:20261101T061500Z\r\n" in text
    check = invoke(tmp_path, "check")
    assert "01:15 happens twice in America/New_York" in check.stdout
    assert "2026-11-01 01:15-04:00 or 2026-11-01 01:15-05:00" in check.stdout


def test_check_hints_the_offsets_of_the_vaults_own_zone(tmp_path: Path) -> None:
    (tmp_path / ".vaultkit.toml").write_text('timezone = "Australia/Lord_Howe"\n')
    (tmp_path / "People").mkdir()
    (tmp_path / "People" / "Jo.md").write_text("---\ntype: contact\n---\n")
    (tmp_path / "Interviews").mkdir()
    (tmp_path / "Interviews" / "fold.md").write_text(
        '---\ntype: interview\ncontact: "[[Jo]]"\ndate: 2026-04-05 01:45\n---\n'
    )
    (tmp_path / "Interviews" / "gap.md").write_text(
        '---\ntype: interview\ncontact: "[[Jo]]"\ndate: 2026-10-04 02:15\n---\n'
    )
    found = {d["path"]: d for d in json.loads(invoke(tmp_path, "check", "--json").stdout)}
    fold, gap = found["Interviews/fold.md"], found["Interviews/gap.md"]
    assert fold["code"] == "ambiguous-time" and fold["severity"] == "warning"
    assert "+11:00 or 2026-04-05 01:45+10:30" in fold["message"]
    assert gap["code"] == "skipped-time" and gap["severity"] == "warning"
    assert "reading it as 02:45" in gap["message"] and "-04:00" not in gap["message"]
    # the skipped wall time still makes an event, at the instant RFC 5545 gives it
    text = invoke(tmp_path, "calendar", "--as-of", "2026-01-01", "--out", "-").stdout_bytes.decode()
    assert "DTSTART;TZID=Australia/Lord_Howe:20261004T024500\r\n" in text


ENDED_RULES = {  # zones east of UTC whose daylight-saving rules have ended
    "Asia/Tehran": ("2015-07-01 10:00", "2019-07-01 10:00", "2022-07-01 10:00"),
    "Asia/Amman": ("2015-07-01 10:00", "2021-07-01 10:00"),
    "Europe/Istanbul": ("2016-07-01 10:00",),
}


@pytest.mark.parametrize("zone_name", ENDED_RULES)
def test_the_last_year_of_an_ended_rule_reads_right(tmp_path: Path, zone_name: str) -> None:
    (tmp_path / ".vaultkit.toml").write_text(f'timezone = "{zone_name}"\n')
    (tmp_path / "People").mkdir()
    (tmp_path / "People" / "Jo.md").write_text("---\ntype: contact\n---\n")
    (tmp_path / "Interviews").mkdir()
    expected = {}
    for number, date_text in enumerate(ENDED_RULES[zone_name]):
        (tmp_path / "Interviews" / f"i{number}.md").write_text(
            f'---\ntype: interview\ncontact: "[[Jo]]"\ndate: {date_text}\nduration: 30\n---\n'
        )
        expected[f"i{number}"] = truth(date_text, 30, ZoneInfo(zone_name))
    result = invoke(tmp_path, "calendar", "--as-of", "2026-06-01", "--out", "-")
    text = result.stdout_bytes.decode()
    vars(vobject.icalendar)["__tzidMap"].pop(zone_name, None)  # this file's zone, not a cached one
    assert read_vobject(text) == expected
    assert read_icalendar_own_zone(text) == expected
