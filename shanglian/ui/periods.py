"""The one period form of the statistics pages. A page picks the fields it asks for:

- a period (`PERIOD_FIELDS`): 年份, 季度, 月份 or 开始日期/结束日期 (which win over the year) →
  `form.period()`, a `shanglian.common.periods.Period` (the current year by default);
- a date and a run of year ends (`AS_OF_FIELDS`): 统计日期, 起始年份, 截止年份 → `form.as_of()` and
  `form.years()`, for figures "in force on a day" with their year-end series (today and the last five
  year ends by default).

Whatever is missing or wrong falls back to the default, and the errors are shown in Chinese.
"""

from datetime import date

from django import forms
from django.utils import timezone

from shanglian.common.forms import Form, date_field
from shanglian.common.periods import Period

PERIOD_FIELDS = ("year", "quarter", "month", "start", "end")
AS_OF_FIELDS = ("on", "start_year", "end_year")
FIRST_YEAR = 1950
LAST_YEAR = 2999
MAX_YEARS = 30  # of a run of year ends
MAX_PERIOD_YEARS = 10  # of a custom period
DEFAULT_YEARS = 5


def _year_field(label, placeholder):
    return forms.IntegerField(
        label=label, required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR,
        widget=forms.NumberInput(attrs={"placeholder": f"如 {placeholder}", "inputmode": "numeric"}),
        error_messages={"invalid": f"请输入年份，如 {placeholder}。", "min_value": f"年份不能早于 {FIRST_YEAR} 年。",
                        "max_value": "年份不正确。"},
    )


def _date_field(label, example):
    return date_field(label, error_messages={"invalid": f"请输入正确的日期，如 {example}。"})


def last_year_end(on):
    """The year of the last 31 December on or before `on`."""
    return on.year if (on.month, on.day) == (12, 31) else on.year - 1


class PeriodForm(Form):
    year = _year_field("年份", "2026")
    quarter = forms.TypedChoiceField(label="季度", required=False, coerce=int, empty_value=None,
                                     choices=[("", "全年"), *[(q, f"第{q}季度") for q in range(1, 5)]])
    month = forms.TypedChoiceField(label="月份", required=False, coerce=int, empty_value=None,
                                   choices=[("", "全年"), *[(m, f"{m}月") for m in range(1, 13)]])
    start = _date_field("开始日期", "2026-01-01")
    end = _date_field("结束日期", "2026-12-31")
    on = _date_field("统计日期", "2025-12-31")
    start_year = _year_field("起始年份", "2021")
    end_year = _year_field("截止年份", "2021")

    def __init__(self, *args, fields=PERIOD_FIELDS, **kwargs):
        super().__init__(*args, **kwargs)
        for name in [name for name in self.fields if name not in fields]:
            del self.fields[name]

    # --- validation ---------------------------------------------------------------------------------
    def clean_on(self):
        on = self.cleaned_data["on"]
        if on and on > timezone.localdate():
            raise forms.ValidationError("统计日期不能晚于今天。")
        return on

    def clean(self):
        data = super().clean()
        if "start" in self.fields:
            self._clean_range(data)
        if "on" in self.fields:
            self._clean_years(data)
        return data

    def _clean_range(self, data):
        start, end = data.get("start"), data.get("end")
        if start and end:
            if start > end:
                self.add_error("end", "结束日期不能早于开始日期。")
            elif (end - start).days > MAX_PERIOD_YEARS * 366:
                self.add_error("end", f"统计期间不能超过 {MAX_PERIOD_YEARS} 年。")
        for name in ("start", "end"):
            value = data.get(name)
            if value and not 2000 <= value.year <= 2100:
                self.add_error(name, "日期不正确。")
        if data.get("quarter") and data.get("month"):
            self.add_error("month", "季度和月份只能选一个。")

    def _clean_years(self, data):
        on = data.get("on") or timezone.localdate()
        last = last_year_end(on)
        end, start = data.get("end_year"), data.get("start_year")
        if end and end > last:
            self.add_error("end_year", f"截止年份不能晚于 {last} 年（统计日期前最近的年末）。")
            end = None
        end = end or last
        if start and start > end:
            self.add_error("start_year", "起始年份不能晚于截止年份。")
        elif start and end - start + 1 > MAX_YEARS:
            self.add_error("start_year", f"年份跨度不能超过 {MAX_YEARS} 年。")

    def _data(self):
        return self.cleaned_data if self.is_bound and self.is_valid() else {}

    # --- what was asked for ----------------------------------------------------------------------------
    def period(self):
        """The period asked for; the current year for whatever is missing or wrong. A start without an
        end runs to the end of its year, an end without a start from the beginning of its year."""
        data = self._data()
        year = data.get("year") or timezone.localdate().year
        start, end = data.get("start"), data.get("end")
        if start or end:
            start = start or date(end.year, 1, 1)
            end = end or date(start.year, 12, 31)
            return Period(start, end)
        if data.get("quarter"):
            return Period.quarter(year, data["quarter"])
        if data.get("month"):
            return Period.month(year, data["month"])
        return Period.year(year)

    def as_of(self):
        """The date of the "in force on" figures (today by default)."""
        return self._data().get("on") or timezone.localdate()

    def years(self):
        """The run of year ends asked for; the last five year ends on or before `as_of()` by default."""
        data = self._data()
        end = data.get("end_year") or last_year_end(self.as_of())
        start = data.get("start_year") or end - DEFAULT_YEARS + 1
        if start > end or end - start + 1 > MAX_YEARS:
            start = end - DEFAULT_YEARS + 1
        return range(start, end + 1)

    def shown(self):
        """An unbound copy showing what the figures are for, defaults included (when there were no
        errors to show)."""
        if self.errors:
            return self
        names = tuple(self.fields)
        if "on" in self.fields:
            years = self.years()
            initial = {"on": self.as_of(), "start_year": years[0], "end_year": years[-1]}
        else:
            period = self.period()
            if period.kind == "custom" and not period.is_whole_year:
                initial = {"start": period.start, "end": period.end}
            else:
                initial = {"year": period.start.year}
                if period.kind == "quarter":
                    initial["quarter"] = (period.start.month - 1) // 3 + 1
                elif period.kind == "month":
                    initial["month"] = period.start.month
        return PeriodForm(initial=initial, fields=names)

    def query(self):
        """The GET parameters of the period (for links to the export and to the records)."""
        shown = self.shown()
        source = shown.initial if shown is not self else self.data
        params = {}
        for name in self.fields:
            value = source.get(name)
            if value not in (None, ""):
                params[name] = value.isoformat() if isinstance(value, date) else value
        return params
