"""`Period`: the stretch of local dates a figure is computed for — a year, a quarter, a month or any
custom range, both ends included — with its Chinese label, its datetime bounds in the project's
timezone, and the periods a figure is compared with: 环比 (`previous()`, the period just before, of the
same length) and 同比 (`year_ago()`, the same period one year earlier).

    Period.year(2026).label                  → "2026年"
    Period.quarter(2026, 3).label            → "2026年第3季度"
    Period.month(2026, 11).label             → "2026年11月"
    Period(date(2026, 1, 5), date(2026, 3, 31)).label → "2026-01-05 至 2026-03-31"
    Period.quarter(2026, 1).previous()       → Period.quarter(2025, 4)
    Period.month(2024, 2).year_ago()         → Period.month(2023, 2)   (29 days → 28: whole months stay whole)
    Period.quarter(2026, 3).as_query()       → {"year": 2026, "quarter": 3}   (what PeriodForm reads back)

Filter datetimes with `bounds` (start inclusive, end exclusive): `submitted_at__gte=start,
submitted_at__lt=end`, or `field__range` is NOT right for datetimes (it would include midnight of the
day after); `contains(day)` for dates.
"""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

YEAR, QUARTER, MONTH, CUSTOM = "year", "quarter", "month", "custom"
KINDS = (YEAR, QUARTER, MONTH, CUSTOM)


def local_day(moment):
    """The local date (Asia/Shanghai) of an instant: the day a period's bounds put it in."""
    return timezone.localtime(moment, timezone.get_default_timezone()).date()


def day_text(day):
    """A date as the pages and exports write it, 2026-12-01; nothing for no date."""
    return f"{day:%Y-%m-%d}" if day else ""


def span_text(start, end):
    """A period of a post or an assignment: "2025-01-01 至 2026-01-01", or "2025-01-01 至今" while it has no end."""
    return f"{start:%Y-%m-%d} 至 {end:%Y-%m-%d}" if end else f"{start:%Y-%m-%d} 至今"


def day_bounds(day):
    """The instants a local day starts and ends at: [start, end)."""
    tz = timezone.get_default_timezone()
    return datetime.combine(day, time.min, tzinfo=tz), datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz)


def _month_end(year, month):
    return date(year, month, calendar.monthrange(year, month)[1])


def shift_months(day, months):
    """`day` moved by `months` calendar months, clipped to the end of the month (31 Mar − 1 → 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


@dataclass(frozen=True)
class Period:
    """Local dates from `start` to `end`, both included. `kind` says whether it is a whole calendar
    year, quarter or month (then `previous()`/`year_ago()` stay whole) or a custom range."""

    start: date
    end: date
    kind: str = CUSTOM

    def __post_init__(self):
        if self.start > self.end:
            raise ValueError("A period cannot end before it starts.")
        if self.kind not in KINDS:
            raise ValueError(f"Unknown period kind {self.kind!r}.")

    # --- constructors ---------------------------------------------------------------------------------
    @classmethod
    def year(cls, year):
        return cls(date(year, 1, 1), date(year, 12, 31), YEAR)

    @classmethod
    def quarter(cls, year, quarter):
        if not 1 <= quarter <= 4:
            raise ValueError("A quarter is 1 to 4.")
        first = 3 * (quarter - 1) + 1
        return cls(date(year, first, 1), _month_end(year, first + 2), QUARTER)

    @classmethod
    def month(cls, year, month):
        return cls(date(year, month, 1), _month_end(year, month), MONTH)

    @classmethod
    def custom(cls, start, end):
        return cls(start, end, CUSTOM)

    @classmethod
    def of(cls, kind, day):
        """The year, quarter or month that contains `day`."""
        if kind == YEAR:
            return cls.year(day.year)
        if kind == QUARTER:
            return cls.quarter(day.year, (day.month - 1) // 3 + 1)
        if kind == MONTH:
            return cls.month(day.year, day.month)
        raise ValueError("Only a year, a quarter or a month contains a day.")

    # --- what it is -----------------------------------------------------------------------------------
    @property
    def is_whole_year(self):
        return self.start == date(self.start.year, 1, 1) and self.end == date(self.start.year, 12, 31)

    @property
    def days(self):
        return (self.end - self.start).days + 1

    @property
    def label(self):
        if self.kind == YEAR or (self.kind == CUSTOM and self.is_whole_year):
            return f"{self.start.year}年"
        if self.kind == QUARTER:
            return f"{self.start.year}年第{(self.start.month - 1) // 3 + 1}季度"
        if self.kind == MONTH:
            return f"{self.start.year}年{self.start.month}月"
        return f"{self.start:%Y-%m-%d} 至 {self.end:%Y-%m-%d}"

    def __str__(self):
        return self.label

    def as_query(self):
        """The GET parameters of the period, as the one period form (`ui.periods.PeriodForm`) reads them
        back: a year (or a custom range of a whole year) by its year, a quarter or a month by its year and
        number, any other range by its ISO dates. For links to drill-downs, exports and other pages."""
        if self.kind == YEAR or (self.kind == CUSTOM and self.is_whole_year):
            return {"year": self.start.year}
        if self.kind == QUARTER:
            return {"year": self.start.year, "quarter": (self.start.month - 1) // 3 + 1}
        if self.kind == MONTH:
            return {"year": self.start.year, "month": self.start.month}
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}

    @property
    def bounds(self):
        """(first instant, instant after the last day) as aware datetimes in the current timezone
        (Asia/Shanghai): filter with `__gte` the first and `__lt` the second."""
        tz = timezone.get_current_timezone()
        return (datetime.combine(self.start, time.min, tzinfo=tz),
                datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=tz))

    def contains(self, day):
        return self.start <= day <= self.end

    def as_of(self):
        """The day a state (who holds a post, what is covered) is read on for this period: its last day, or
        today while the period is still running (a year to date is the state of today, not of 31 December)."""
        return min(self.end, timezone.localdate())

    def months(self):
        """The first day of every month the period touches."""
        months, day = [], self.start.replace(day=1)
        while day <= self.end:
            months.append(day)
            day = shift_months(day, 1)
        return months

    def years(self):
        """Every calendar year the period touches, as a range."""
        return range(self.start.year, self.end.year + 1)

    # --- comparisons ------------------------------------------------------------------------------------
    def _shifted(self, months):
        end = shift_months(self.end, months)
        return Period(shift_months(self.start, months), _month_end(end.year, end.month), self.kind)

    def previous(self):
        """环比: the period just before — the previous year, quarter or month; for a custom range the
        same number of days ending the day before it starts."""
        months = {YEAR: -12, QUARTER: -3, MONTH: -1}.get(self.kind)
        if months:
            return self._shifted(months)
        end = self.start - timedelta(days=1)
        return Period(end - timedelta(days=self.days - 1), end, CUSTOM)

    def year_ago(self):
        """同比: the same period one year earlier (29 February becomes 28 February)."""
        if self.kind in (YEAR, QUARTER, MONTH):
            return self._shifted(-12)
        return Period(shift_months(self.start, -12), shift_months(self.end, -12), CUSTOM)
