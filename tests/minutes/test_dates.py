"""The appeal period: three weeks, ending on a working day (lag 1930:173)."""

from datetime import date, timedelta

from minutes.dates import appeal_last_day, easter_sunday, is_working_day, notice_taken_down


def test_easter():
    assert [easter_sunday(y) for y in (2024, 2025, 2026, 2027)] == [
        date(2024, 3, 31), date(2025, 4, 20), date(2026, 4, 5), date(2027, 3, 28)]


def test_three_weeks_on_an_ordinary_weekday():
    assert appeal_last_day(date(2026, 12, 1)) == date(2026, 12, 22)
    assert notice_taken_down(date(2026, 12, 1)) == date(2026, 12, 22)


def test_last_day_on_christmas_eve_moves_to_the_next_working_day():
    # 3 Dec + 21 = 24 Dec (julafton); 25-26 are holidays, 27 a Sunday.
    assert appeal_last_day(date(2026, 12, 3)) == date(2026, 12, 28)
    assert notice_taken_down(date(2026, 12, 3)) == date(2026, 12, 28)


def test_last_day_on_good_friday_moves_past_easter():
    assert appeal_last_day(date(2027, 3, 5)) == date(2027, 3, 30)


def test_weekends_midsummer_and_national_day_are_not_working_days():
    assert not is_working_day(date(2026, 6, 19))  # midsommarafton
    assert not is_working_day(date(2026, 6, 6))
    assert not is_working_day(date(2026, 11, 28))  # a Saturday
    assert is_working_day(date(2026, 11, 30))
    posted = date(2026, 11, 7)  # a Saturday: +21 is a Saturday too
    assert appeal_last_day(posted) == posted + timedelta(days=23)
