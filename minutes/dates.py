"""Dates of the appeal period (laglighetsprövning, KL 13:5) and Swedish public holidays.

The appeal must reach the court within three weeks of the day the notice was posted. Under
lag (1930:173) om beräkning av lagstadgad tid, a period whose last day is a Saturday, a
Sunday, a public holiday, midsommarafton, julafton or nyårsafton ends on the next weekday
that is none of these.
"""

from __future__ import annotations

from datetime import date, timedelta

APPEAL_PERIOD = timedelta(weeks=3)


def easter_sunday(year: int) -> date:
    """Gregorian Easter Sunday (anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _weekday_between(year: int, month: int, first_day: int, last_day: int, weekday: int) -> date:
    for day in range(first_day, last_day + 1):
        candidate = date(year, month, day)
        if candidate.weekday() == weekday:
            return candidate
    raise ValueError("no such weekday in range")  # pragma: no cover - ranges are a week long


def non_working_days(year: int) -> frozenset[date]:
    """Public holidays (lag 1989:253) plus the eves that lag 1930:173 treats the same way."""
    easter = easter_sunday(year)
    midsummer_day = _weekday_between(year, 6, 20, 26, 5)  # Saturday 20-26 June
    october_31 = date(year, 10, 31)
    # Alla helgons dag: the Saturday from 31 October to 6 November.
    all_saints = october_31 if october_31.weekday() == 5 else _weekday_between(
        year, 11, 1, 6, 5)
    return frozenset({
        date(year, 1, 1), date(year, 1, 6),
        easter - timedelta(days=2), easter, easter + timedelta(days=1),
        date(year, 5, 1), easter + timedelta(days=39), easter + timedelta(days=49),
        date(year, 6, 6), midsummer_day - timedelta(days=1), midsummer_day,
        all_saints, date(year, 12, 24), date(year, 12, 25), date(year, 12, 26),
        date(year, 12, 31),
    })


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in non_working_days(day.year)


def appeal_last_day(posted_on: date) -> date:
    """Three weeks from posting, moved to the next working day if it falls on a day off."""
    day = posted_on + APPEAL_PERIOD
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def notice_taken_down(posted_on: date) -> date:
    """The notice stays up for the three weeks (and until the appeal period ends)."""
    return max(posted_on + APPEAL_PERIOD, appeal_last_day(posted_on))
