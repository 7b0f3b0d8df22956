"""会员统计: the page (cards, ECharts, the same numbers in tables) and its xlsx export. Thin: parse the
date and the years, call `statistics` on the user's scope, render."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from shanglian.imports.exports import audited_export
from shanglian.orgs.selectors import chambers_visible_to

from . import statistics
from .selectors import memberships_visible_to

DEFAULT_YEARS = 5
MAX_YEARS = 30
FIRST_YEAR = 1950
CHART_TOP = 15


def last_year_end(on):
    """The year of the last 31 December on or before `on`."""
    return on.year if (on.month, on.day) == (12, 31) else on.year - 1


def _year_field(label):
    return forms.IntegerField(
        label=label, required=False, min_value=FIRST_YEAR, max_value=2999,
        widget=forms.NumberInput(attrs={"placeholder": "如 2021", "inputmode": "numeric"}),
        error_messages={"invalid": "请输入年份，如 2021。", "min_value": f"年份不能早于 {FIRST_YEAR} 年。",
                        "max_value": "年份不正确。"},
    )


class StatisticsForm(forms.Form):
    on = forms.DateField(label="统计日期", required=False,
                         widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                         error_messages={"invalid": "请输入正确的日期，如 2025-12-31。"})
    start_year = _year_field("起始年份")
    end_year = _year_field("截止年份")

    def clean_on(self):
        on = self.cleaned_data["on"]
        if on and on > timezone.localdate():
            raise forms.ValidationError("统计日期不能晚于今天。")
        return on

    def clean(self):
        data = super().clean()
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
        return data

    def period(self):
        """(on, years) to compute: the valid input, and the defaults — today, and the last five year
        ends on or before that date — for whatever is missing or wrong."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else getattr(self, "cleaned_data", {})
        on = data.get("on") or timezone.localdate()
        end = data.get("end_year") or last_year_end(on)
        start = data.get("start_year") or end - DEFAULT_YEARS + 1
        if start > end or end - start + 1 > MAX_YEARS:
            start = end - DEFAULT_YEARS + 1
        return on, range(start, end + 1)


def _figures(request):
    memberships = memberships_visible_to(request.user)  # 403 for roles without member data
    form = StatisticsForm(request.GET or None)
    on, years = form.period()
    if not form.errors:  # show the date and years the figures are for, defaults included
        form = StatisticsForm({"on": on, "start_year": years[0], "end_year": years[-1]})
    kinds = statistics.counts_by_kind(memberships, on)
    series = statistics.year_end_series(memberships, years)
    return form, {
        "on": on,
        "years": years,
        "has_members": memberships.exists(),
        "kinds": kinds,
        "kind_rows": [(label, kinds[key], statistics.share(kinds[key], kinds["total"]))
                      for key, label in statistics.KIND_LABELS.items()],
        "series": series,
        "average_growth": statistics.average_annual_growth(series),
        "growth_basis": statistics.growth_basis(series),
        "growth_end": series[-1] if series else None,
        "pairs": statistics.three_more_three_less(memberships, on),
        "chambers": statistics.by_chamber(memberships, on, chambers=chambers_visible_to(request.user)),
        "streets": statistics.by_street(memberships, on),
    }


def _number(value):
    return None if value is None else float(value)


def _chart_data(f):
    """What charts.js draws, read from a json_script element (the CSP forbids inline scripts)."""
    return {
        "kinds": [{"name": label, "value": n} for label, n, _ in f["kind_rows"]],
        "years": [f"{row.year}年" for row in f["series"]],
        "inForce": [row.in_force for row in f["series"]],
        "growth": [row.growth for row in f["series"]],
        "growthRate": [_number(row.growth_rate) for row in f["series"]],
        "pairs": [{"label": p.label, "more": p.more_label, "moreValue": p.more, "moreShare": _number(p.more_share),
                   "less": p.less_label, "lessValue": p.less, "lessShare": _number(p.less_share)}
                  for p in f["pairs"]],
        "chambers": [{"name": name, "value": n} for name, n in f["chambers"][:CHART_TOP]],
        "streets": [{"name": name, "value": n} for name, n in f["streets"][:CHART_TOP]],
    }


@never_cache
@login_required
def member_statistics(request):
    form, figures = _figures(request)
    return render(request, "members/statistics.html", {
        "form": form, **figures, "chart_data": _chart_data(figures), "chart_top": CHART_TOP,
        "breadcrumbs": [("会员管理", None), ("会员统计", None)],
    })


@login_required
def member_statistics_export(request):
    """The page's figures as a workbook of five sheets; one audit row (what, as of when — no values)."""
    _, f = _figures(request)
    day = f"{f['on']:%Y-%m-%d}"
    sheets = [
        ("按类型", ["会员类型", f"{day} 在册数", "占比（%）"],
         f["kind_rows"] + [("合计", f["kinds"]["total"], statistics.share(f["kinds"]["total"], f["kinds"]["total"]))]),
        ("年末增长", ["年份", "年末在册", "上年末在册", "比上年增加", "增长率（%）", "当年入会", "当年退会", "当年暂停"],
         [(r.year, r.in_force, r.previous, r.growth, r.growth_rate, r.joined, r.left, r.suspended)
          for r in f["series"]]
         + [("年均增长率（%）", f["average_growth"])]),
        ("三多三少", ["结构", "统计范围", "类别", f"{day} 数量", "占比（%）", "类别", f"{day} 数量", "占比（%）"],
         [(p.label, p.base, p.more_label, p.more, p.more_share, p.less_label, p.less, p.less_share)
          for p in f["pairs"]]),
        ("按商会", ["序号", "商会", f"{day} 在册企业会员"],
         [(i, name, n) for i, (name, n) in enumerate(f["chambers"], start=1)]),
        ("按街道", ["序号", "街道", f"{day} 在册企业会员"],
         [(i, name, n) for i, (name, n) in enumerate(f["streets"], start=1)]),
    ]
    years = f["years"]
    return audited_export(actor=request.user, title="会员统计", object_type="members.statistics", sheets=sheets,
                          detail={"report": "member_statistics", "on": f["on"].isoformat(),
                                  "years": [years[0], years[-1]]})
