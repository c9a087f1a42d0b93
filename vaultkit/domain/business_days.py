"""Business days: weekends and, when configured, a country's public holidays.

The 3B7 routine counts business days: a request sent the Monday before
Thanksgiving is nudged on Friday, not on the holiday. Holidays come from the
`holidays` package (imported only when a country is configured).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Container
from functools import lru_cache

from vaultkit.errors import ConfigError


class BusinessCalendar:
    """Counts business days for one country (and optional subdivision)."""

    def __init__(self, country: str = "", subdivision: str = "") -> None:
        self.country = country.strip()
        self.subdivision = subdivision.strip()
        self._memo: dict[tuple[dt.date, int], dt.date] = {}
        self._holidays: Container[dt.date] = (
            _holiday_table(self.country, self.subdivision) if self.country else frozenset()
        )

    def is_business_day(self, day: dt.date) -> bool:
        return day.weekday() < 5 and day not in self._holidays

    def add(self, start: dt.date, days: int) -> dt.date:
        """The ``days``-th business day after ``start`` (``start`` itself not counted)."""
        known = self._memo.get((start, days))
        if known is None:
            known = self._memo[(start, days)] = self._add(start, days)
        return known

    def _add(self, start: dt.date, days: int) -> dt.date:
        day = start
        remaining = days
        while remaining > 0:
            day += dt.timedelta(days=1)
            if self.is_business_day(day):
                remaining -= 1
        return day


@lru_cache(maxsize=8)
def _holiday_table(country: str, subdivision: str) -> Container[dt.date]:
    import holidays

    try:
        return holidays.country_holidays(country.upper(), subdiv=subdivision.upper() or None)
    except NotImplementedError:
        where = f"{country!r} with subdivision {subdivision!r}" if subdivision else repr(country)
        raise ConfigError(
            f".vaultkit.toml: followups.holidays: {where} is not a country (and "
            'subdivision) the holidays package knows; use a code such as "US" or "FR"'
        ) from None
