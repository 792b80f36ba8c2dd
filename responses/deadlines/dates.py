"""Calendar arithmetic the rules share: month, season, quarter and financial-year spans, holidays and recesses.

python-dateutil does the hard parts (``easter``; ``relativedelta`` clamps 31 January + 1 month to 28/29 February).
"""

from __future__ import annotations

import calendar
from bisect import bisect_left
from datetime import date, timedelta

from dateutil.easter import easter
from dateutil.relativedelta import relativedelta

from .tables import HOLIDAYS, RECESS_NAMES, RECESSES, SCHOOL_TERMS, SEASONS, Holiday, RecessName


def month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def month_span(y: int, m: int) -> tuple[date, date]:
    return date(y, m, 1), month_end(y, m)


def months_span(year: int, first: int, last: int) -> tuple[date, date]:
    """From the first day of month `first` of `year` to the end of month `last`, in the next year if it wraps."""
    end_year = year + (1 if last < first else 0)
    return date(year, first, 1), month_end(end_year, last)


def season_span(season: str, year: int) -> tuple[date, date]:
    return months_span(year, *SEASONS[season])


def season_around(season: str, ref: date, not_started: bool) -> tuple[date, date]:
    """The first such season that has not ended at `ref` (or, with `not_started`, not begun)."""
    for y in range(ref.year - 1, ref.year + 2):
        s, e = season_span(season, y)
        if (s > ref) if not_started else (e >= ref):
            return s, e
    return season_span(season, ref.year + 1)


def term_span(term: str, year: int) -> tuple[date, date]:
    return months_span(year, *SCHOOL_TERMS[term])


def fy_start_year(ref: date) -> int:
    return ref.year if ref.month >= 4 else ref.year - 1


def fy_span(start_year: int) -> tuple[date, date]:
    return date(start_year, 4, 1), date(start_year + 1, 3, 31)


def quarter_span(year: int, q: int, financial: bool) -> tuple[date, date]:
    if financial:  # Q1 of 2024/25 is April-June 2024
        first = date(year, 4, 1) + relativedelta(months=3 * (q - 1))
    else:
        first = date(year, 3 * q - 2, 1)
    last = first + relativedelta(months=2)
    return first, month_end(last.year, last.month)


def split(span: tuple[date, date], part: int, parts: int) -> tuple[date, date]:
    """The part-th of `parts` equal pieces of a span (by months, or by days for a single month)."""
    s, e = span
    months = (e.year - s.year) * 12 + e.month - s.month + 1
    if months >= parts:
        step = months // parts
        a = s + relativedelta(months=step * (part - 1))
        b = a + relativedelta(months=step - 1)
        return a, (e if part == parts else month_end(b.year, b.month))
    # a single month: early 1-10, mid 11-20, late 21-end
    days = (e - s).days + 1
    step = 10 if parts == 3 else days // parts
    a = s + timedelta(days=step * (part - 1))
    return a, (e if part == parts else a + timedelta(days=step - 1))


# -- holidays ---------------------------------------------------------------------------------------------

HOLIDAY_BY_NAME: dict[str, Holiday] = {n.lower(): h for h in HOLIDAYS for n in h.names}


def holiday_date(holiday: Holiday, year: int) -> date:
    if holiday.month_day is not None:
        return date(year, *holiday.month_day)
    return easter(year) + timedelta(days=holiday.easter_offset)


def next_holiday(holiday: Holiday, ref: date) -> date:
    """The holiday's day in the letter's year, or next year's once it has passed."""
    day = holiday_date(holiday, ref.year)
    return day if day >= ref else holiday_date(holiday, ref.year + 1)


# -- recesses ---------------------------------------------------------------------------------------------

RECESS_BY_NAME: dict[str, RecessName] = {n.lower(): r for r in RECESS_NAMES for n in r.names}
_RISES = [r.rises for r in RECESSES]


def recess_conventional_month(recess: RecessName, year: int) -> tuple[date, date]:
    if recess.month is not None:
        return month_span(year, recess.month)
    day = easter(year) - timedelta(days=recess.easter_offset)
    return month_span(day.year, day.month)


def next_recess(recess: RecessName, ref: date, year: int | None = None):
    """The first recess of that name the House has not yet risen for at `ref` (or the one rising in `year`).

    Returns ``(rises, returns, known)``: the dates from the table of announced recess dates (known True), or the
    conventional month's span when the table has no such recess (known False, the dates then bound the month).
    """
    if year is not None:
        for r in RECESSES:
            if r.name == recess.name and r.rises.year == year:
                return r.rises, r.returns, True
        first, last = recess_conventional_month(recess, year)
        return first, last, False
    first, last = recess_conventional_month(recess, ref.year)
    if last < ref:
        first, last = recess_conventional_month(recess, ref.year + 1)
    # the announced recess the letter means rises before the end of its conventional month, give or take a few
    # weeks (Easter moves; the Commons rose for Christmas 2019 on 20 December)
    for r in RECESSES[bisect_left(_RISES, ref) :]:
        if r.rises > last + timedelta(days=45):
            break
        if r.name == recess.name:
            return r.rises, r.returns, True
    # no such recess in the table: a session the table does not cover, or a year the House did not rise for it
    return first, last, False
