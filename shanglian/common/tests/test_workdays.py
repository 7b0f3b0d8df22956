from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest
from django.core.exceptions import ValidationError

from shanglian.common import workdays
from shanglian.common.models import HolidayDay, HolidayYear
from shanglian.common.workdays import (
    add_working_days,
    add_working_hours,
    calendar_source,
    is_workday,
    working_days_between,
)

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def year_2027():
    """A 2027 arrangement as staff would enter it (test data, not the real notice)."""
    year = HolidayYear.objects.create(year=2027, note="测试用2027年节假日安排")
    HolidayDay.objects.create(holiday_year=year, date=date(2027, 1, 1), name="元旦")
    HolidayDay.objects.create(holiday_year=year, date=date(2027, 2, 8), name="春节")
    HolidayDay.objects.create(holiday_year=year, date=date(2027, 2, 6), name="春节", is_workday=True)
    return year


def test_national_day_2026_is_a_holiday_from_the_package():
    assert not is_workday(date(2026, 10, 1))
    assert calendar_source(date(2026, 10, 1)) == "package"


def test_make_up_weekend_days_around_national_day_2026_are_workdays():
    # Ask the package which weekend days around National Day 2026 are 调休 workdays: 2026-09-20 (Sun)
    # and 2026-10-10 (Sat).
    around = [date(2026, 9, 13) + timedelta(days=i) for i in range(35)]
    make_up = [d for d in around if d.weekday() >= 5 and chinese_calendar.is_workday(d)]
    assert make_up == [date(2026, 9, 20), date(2026, 10, 10)]
    assert date(2026, 9, 20).weekday() == 6
    for day in make_up:
        assert is_workday(day)


def test_a_year_the_package_does_not_cover_falls_back_to_monday_to_friday():
    monday, saturday = date(2027, 3, 1), date(2027, 3, 6)
    assert calendar_source(monday) == "fallback"
    assert is_workday(monday) and not is_workday(saturday)
    result = add_working_days(monday, 1)
    assert result.date == date(2027, 3, 2)
    assert result.provisional


def test_staff_entered_year_overrides_the_fallback_and_is_not_provisional(year_2027):
    assert calendar_source(date(2027, 2, 8)) == "data"
    assert not is_workday(date(2027, 2, 8))  # a Monday off
    assert is_workday(date(2027, 2, 6))  # a Saturday at work
    assert is_workday(date(2027, 2, 9)) and not is_workday(date(2027, 2, 7))
    result = add_working_days(date(2027, 2, 5), 2)
    assert result.date == date(2027, 2, 9)
    assert not result.provisional


def test_staff_entered_year_wins_over_the_package_too():
    year = HolidayYear.objects.create(year=2026, note="测试")
    HolidayDay.objects.create(holiday_year=year, date=date(2026, 10, 8), name="测试加休")
    assert calendar_source(date(2026, 10, 1)) == "data"
    assert not is_workday(date(2026, 10, 8))
    # Days not entered follow Mon–Fri: entering a year means entering all of its exceptions.
    assert is_workday(date(2026, 10, 1))


def test_ten_working_day_deadline_set_on_2026_12_20_lands_provisionally_in_2027():
    result = add_working_days(date(2026, 12, 20), 10)
    assert result.date == date(2027, 1, 1)  # Fri; Mon–Fri is all the fallback knows
    assert result.provisional


def test_same_deadline_is_final_once_2027_is_entered(year_2027):
    result = add_working_days(date(2026, 12, 20), 10)
    assert result.date == date(2027, 1, 4)
    assert not result.provisional


def test_deadline_within_a_covered_year_is_not_provisional():
    result = add_working_days(date(2026, 9, 30), 3)
    assert result.date == date(2026, 10, 10)  # Oct 1–7 off, Oct 8, 9 and the make-up Saturday
    assert not result.provisional


def test_zero_and_negative_working_days():
    assert add_working_days(date(2026, 10, 3), 0).date == date(2026, 10, 3)
    assert add_working_days(date(2026, 10, 8), -1).date == date(2026, 9, 30)


def test_working_days_between_counts_after_start_up_to_end():
    assert working_days_between(date(2026, 9, 30), date(2026, 10, 9)) == 2
    assert working_days_between(date(2026, 9, 30), date(2026, 10, 10)) == 3
    assert working_days_between(date(2026, 10, 10), date(2026, 9, 30)) == -3
    assert working_days_between(date(2026, 10, 1), date(2026, 10, 1)) == 0


def test_working_days_between_inverts_add_working_days():
    start = date(2026, 12, 10)
    for n in (1, 5, 10, 25):
        assert working_days_between(start, add_working_days(start, n).date) == n


def test_two_working_hours_from_late_afternoon_run_into_the_next_workday():
    result = add_working_hours(datetime(2026, 9, 30, 16, 30), 2)
    assert result.date == datetime(2026, 10, 8, 10, 30)
    assert not result.provisional


def test_working_hours_count_on_a_make_up_sunday():
    result = add_working_hours(datetime(2026, 9, 18, 16, 0), 2)  # Friday; Saturday off, Sunday at work
    assert result.date == datetime(2026, 9, 20, 10, 0)


def test_working_hours_start_at_opening_time_and_may_end_at_closing_time():
    assert add_working_hours(datetime(2026, 10, 8, 7, 0), 2).date == datetime(2026, 10, 8, 11, 0)
    assert add_working_hours(datetime(2026, 10, 8, 15, 0), 2).date == datetime(2026, 10, 8, 17, 0)
    assert add_working_hours(datetime(2026, 10, 8, 18, 0), 1.5).date == datetime(2026, 10, 9, 10, 30)
    assert add_working_hours(datetime(2026, 10, 8, 15, 0), timedelta(minutes=30)).date == datetime(
        2026, 10, 8, 15, 30
    )


def test_working_hours_with_custom_opening_times():
    result = add_working_hours(datetime(2026, 10, 8, 17, 0), 2, day_start=8, day_end=18)
    assert result.date == datetime(2026, 10, 9, 9, 0)


def test_aware_start_is_counted_in_shanghai_time():
    start = datetime(2026, 9, 30, 8, 30, tzinfo=ZoneInfo("UTC"))  # 16:30 in Shanghai
    result = add_working_hours(start, 2)
    assert result.date == datetime(2026, 10, 8, 10, 30, tzinfo=SHANGHAI)
    assert result.date.utcoffset() == timedelta(hours=8)


def test_working_hours_in_an_uncovered_year_are_provisional():
    result = add_working_hours(datetime(2027, 1, 4, 16, 0), 2)
    assert result.date == datetime(2027, 1, 5, 10, 0)
    assert result.provisional


def test_negative_hours_are_refused():
    with pytest.raises(ValueError):
        add_working_hours(datetime(2026, 10, 8, 10, 0), -1)


def test_holiday_data_without_any_workday_stops_instead_of_looping(monkeypatch):
    monkeypatch.setattr(workdays, "_MAX_DAYS_OFF", 5)
    year = HolidayYear.objects.create(year=2027)
    for i in range(4, 20):
        HolidayDay.objects.create(holiday_year=year, date=date(2027, 1, i), name="测试")
    with pytest.raises(ValueError):
        add_working_days(date(2027, 1, 3), 1)


def test_make_up_workday_must_fall_on_a_weekend(year_2027):
    day = HolidayDay(holiday_year=year_2027, date=date(2027, 3, 3), is_workday=True, name="误录")
    with pytest.raises(ValidationError) as exc:
        day.full_clean()
    assert "is_workday" in exc.value.message_dict


def test_holiday_day_must_be_in_its_year(year_2027):
    day = HolidayDay(holiday_year=year_2027, date=date(2028, 1, 3), name="误录")
    with pytest.raises(ValidationError) as exc:
        day.full_clean()
    assert "date" in exc.value.message_dict
