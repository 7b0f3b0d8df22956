"""Period: labels, bounds in Asia/Shanghai, 环比 and 同比 at year, quarter, month and leap-day edges."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from shanglian.common.periods import Period

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(("period", "label"), [
    (Period.year(2026), "2026年"),
    (Period.quarter(2026, 3), "2026年第3季度"),
    (Period.month(2026, 11), "2026年11月"),
    (Period(date(2026, 1, 5), date(2026, 3, 31)), "2026-01-05 至 2026-03-31"),
    (Period(date(2026, 1, 1), date(2026, 12, 31)), "2026年"),  # a custom whole year reads as the year
])
def test_each_kind_of_period_has_its_chinese_label(period, label):
    assert period.label == label and str(period) == label


def test_quarters_and_months_end_on_their_last_day():
    assert Period.quarter(2026, 1) == Period(date(2026, 1, 1), date(2026, 3, 31), "quarter")
    assert Period.quarter(2026, 4).end == date(2026, 12, 31)
    assert Period.month(2024, 2).end == date(2024, 2, 29) and Period.month(2026, 2).end == date(2026, 2, 28)
    assert Period.of("quarter", date(2026, 8, 15)) == Period.quarter(2026, 3)


def test_bounds_are_local_midnights_end_exclusive():
    start, end = Period.month(2026, 11).bounds
    assert start == datetime(2026, 11, 1, tzinfo=SHANGHAI)
    assert end == datetime(2026, 12, 1, tzinfo=SHANGHAI)
    assert end.astimezone(ZoneInfo("UTC")) == datetime(2026, 11, 30, 16, tzinfo=ZoneInfo("UTC"))


def test_the_previous_period_crosses_year_edges():
    assert Period.year(2026).previous() == Period.year(2025)
    assert Period.quarter(2026, 1).previous() == Period.quarter(2025, 4)
    assert Period.month(2026, 1).previous() == Period.month(2025, 12)
    assert Period.month(2024, 3).previous() == Period.month(2024, 2)  # 29 days, not 31 − 1


def test_year_ago_keeps_whole_months_whole_across_leap_years():
    assert Period.month(2024, 2).year_ago() == Period.month(2023, 2)  # ends 28 Feb 2023
    assert Period.month(2025, 2).year_ago().end == date(2024, 2, 29)  # and back to a 29th
    assert Period.quarter(2026, 3).year_ago() == Period.quarter(2025, 3)
    assert Period.year(2024).year_ago() == Period.year(2023)


def test_a_custom_range_compares_with_as_many_days_before_and_the_same_dates_a_year_ago():
    period = Period(date(2026, 1, 5), date(2026, 3, 31))  # 86 days
    assert period.previous() == Period(date(2025, 10, 11), date(2026, 1, 4))
    assert period.previous().days == period.days == 86
    assert period.year_ago() == Period(date(2025, 1, 5), date(2025, 3, 31))
    leap = Period(date(2024, 2, 29), date(2024, 3, 1))
    assert leap.year_ago() == Period(date(2023, 2, 28), date(2023, 3, 1))


def test_months_and_years_the_period_touches():
    period = Period(date(2025, 11, 20), date(2026, 2, 3))
    assert period.months() == [date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]
    assert list(period.years()) == [2025, 2026]
    assert period.contains(date(2026, 2, 3)) and not period.contains(date(2026, 2, 4))


def test_a_backwards_period_is_an_error():
    with pytest.raises(ValueError):
        Period(date(2026, 2, 1), date(2026, 1, 31))
    with pytest.raises(ValueError):
        Period.quarter(2026, 5)


def test_a_state_is_read_on_the_last_day_or_today_while_the_period_runs():
    import time_machine

    with time_machine.travel(datetime(2026, 12, 1, 10, tzinfo=SHANGHAI), tick=False):
        assert Period.year(2026).as_of() == date(2026, 12, 1)
        assert Period.year(2025).as_of() == date(2025, 12, 31)
        assert Period.month(2026, 11).as_of() == date(2026, 11, 30)


@pytest.mark.parametrize(("period", "query"), [
    (Period.year(2025), {"year": 2025}),
    (Period.quarter(2026, 3), {"year": 2026, "quarter": 3}),
    (Period.month(2024, 2), {"year": 2024, "month": 2}),
    (Period(date(2026, 1, 5), date(2026, 3, 31)), {"start": "2026-01-05", "end": "2026-03-31"}),
    (Period(date(2026, 1, 1), date(2026, 12, 31)), {"year": 2026}),  # a custom whole year is its year
])
def test_a_period_as_a_query_is_read_back_by_the_period_form_as_the_same_period(period, query):
    from shanglian.ui.periods import PeriodForm

    assert period.as_query() == query
    form = PeriodForm({name: str(value) for name, value in query.items()})
    assert form.is_valid(), form.errors
    found = form.period()
    assert (found.start, found.end, found.label) == (period.start, period.end, period.label)
    assert found == period or (period.kind == "custom" and found == Period.year(period.start.year))


def test_a_day_and_a_span_are_written_one_way():
    from shanglian.common.periods import day_text, span_text

    assert (day_text(date(2026, 12, 1)), day_text(None)) == ("2026-12-01", "")
    assert span_text(date(2025, 1, 1), date(2026, 1, 1)) == "2025-01-01 至 2026-01-01"
    assert span_text(date(2025, 1, 1), None) == "2025-01-01 至今"
