"""The one working-day calendar of the project (deadlines, reminders, 12345 sign-for hours).

Where the answer for a date comes from, in order:

1. ``"data"`` — staff entered the year's 放假调休 arrangement (a `HolidayYear` row exists): Mon–Fri are
   workdays and Sat–Sun are not, except the `HolidayDay` rows of that year (a statutory holiday on a
   weekday, a 调休 make-up workday on a weekend);
2. ``"package"`` — the `chinese_calendar` package knows the year (1.11 covers 2004–2026);
3. ``"fallback"`` — Mon–Fri, and every result computed from such a day is marked provisional, so
   the UI can say "暂按周一至周五计算" until the year's arrangement is entered.

Nothing is cached between calls: an arrangement entered by staff applies at once.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import chinese_calendar
from django.utils import timezone

from .models import HolidayDay, HolidayYear

__all__ = [
    "SOURCE_DATA",
    "SOURCE_FALLBACK",
    "SOURCE_PACKAGE",
    "WorkdayCalendar",
    "WorkdayResult",
    "add_working_days",
    "add_working_hours",
    "calendar_source",
    "is_workday",
    "working_days_between",
]

SOURCE_DATA = "data"
SOURCE_PACKAGE = "package"
SOURCE_FALLBACK = "fallback"

# More consecutive days off than this means the holiday data is wrong; stop instead of looping.
_MAX_DAYS_OFF = 366


@dataclass(frozen=True)
class WorkdayResult:
    """A computed date (or datetime); `provisional` when a day consulted had no holiday data."""

    date: date | datetime
    provisional: bool


class WorkdayCalendar:
    """Answers many dates with one or two queries per year; build one per computation."""

    def __init__(self):
        self._years = {}

    def _year_exceptions(self, year):
        """{date: is_workday} for a year with entered data, None when the year has none."""
        if year not in self._years:
            if HolidayYear.objects.filter(year=year).exists():
                self._years[year] = dict(
                    HolidayDay.objects.filter(date__range=(date(year, 1, 1), date(year, 12, 31))).values_list(
                        "date", "is_workday"
                    )
                )
            else:
                self._years[year] = None
        return self._years[year]

    def lookup(self, day):
        """(is_workday, source) for a date."""
        day = _as_date(day)
        exceptions = self._year_exceptions(day.year)
        if exceptions is not None:
            return exceptions.get(day, day.weekday() < 5), SOURCE_DATA
        try:
            return chinese_calendar.is_workday(day), SOURCE_PACKAGE
        except NotImplementedError:
            return day.weekday() < 5, SOURCE_FALLBACK

    def is_workday(self, day):
        return self.lookup(day)[0]

    def source(self, day):
        return self.lookup(day)[1]


def _as_date(value):
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    if isinstance(value, date):
        return value
    raise TypeError(f"expected a date, got {type(value).__name__}")


def _too_many_days_off():
    return ValueError("连续一年以上没有工作日，请检查节假日安排数据。")


def is_workday(day):
    """Whether people work on that day in mainland China (a datetime counts as its local date)."""
    return WorkdayCalendar().is_workday(day)


def calendar_source(day):
    """Where the answer for that day comes from: "data", "package" or "fallback"."""
    return WorkdayCalendar().source(day)


def add_working_days(start, n):
    """The n-th working day after `start` (counting starts the day after it).

    n = 0 gives `start` itself; n < 0 counts backwards from the day before `start`.
    """
    start = _as_date(start)
    if n == 0:
        return WorkdayResult(start, False)
    calendar = WorkdayCalendar()
    step = timedelta(days=1 if n > 0 else -1)
    remaining, current, provisional, days_off = abs(n), start, False, 0
    while remaining:
        current += step
        workday, source = calendar.lookup(current)
        provisional = provisional or source == SOURCE_FALLBACK
        if workday:
            remaining -= 1
            days_off = 0
        else:
            days_off += 1
            if days_off > _MAX_DAYS_OFF:
                raise _too_many_days_off()
    return WorkdayResult(current, provisional)


def working_days_between(start, end):
    """The number of working days d with start < d <= end (negative when end is before start)."""
    start, end = _as_date(start), _as_date(end)
    if end < start:
        return -working_days_between(end, start)
    calendar = WorkdayCalendar()
    return sum(calendar.is_workday(start + timedelta(days=i)) for i in range(1, (end - start).days + 1))


def _as_time(value):
    return value if isinstance(value, time) else time(int(value))


def add_working_hours(start, hours, day_start=9, day_end=17):
    """`start` plus `hours` of working time (workdays, between day_start and day_end o'clock).

    For deadlines such as the 12345 hotline's "签收 within 2 working hours". A start outside
    working time counts from the next opening; a deadline falling exactly at closing time stays at
    closing time. `hours` may be a number or a timedelta; `day_start`/`day_end` an hour or a `time`.
    An aware `start` is worked in local time (Asia/Shanghai) and the result is aware; a naive one
    gives a naive result.
    """
    remaining = hours if isinstance(hours, timedelta) else timedelta(hours=float(hours))
    if remaining < timedelta(0):
        raise ValueError("hours must not be negative")
    opening, closing = _as_time(day_start), _as_time(day_end)
    if opening >= closing:
        raise ValueError("day_start must be before day_end")
    if not remaining:
        return WorkdayResult(start, False)

    tz = None
    current = start
    if timezone.is_aware(start):
        current = timezone.localtime(start)
        tz = current.tzinfo
        current = current.replace(tzinfo=None)

    calendar = WorkdayCalendar()
    provisional, days_off = False, 0
    while True:
        day = current.date()
        workday, source = calendar.lookup(day)
        provisional = provisional or source == SOURCE_FALLBACK
        close_at = datetime.combine(day, closing)
        if workday and current < close_at:
            days_off = 0
            current = max(current, datetime.combine(day, opening))
            available = close_at - current
            if remaining <= available:
                current += remaining
                break
            remaining -= available
        else:
            days_off += 1
            if days_off > _MAX_DAYS_OFF:
                raise _too_many_days_off()
        current = datetime.combine(day + timedelta(days=1), opening)

    if tz is not None:
        current = current.replace(tzinfo=tz)
    return WorkdayResult(current, provisional)
