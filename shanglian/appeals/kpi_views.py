"""诉求统计: the KPI page (the four 12345 figures as cards, ECharts, the same numbers in tables) and its
xlsx export. Thin: parse the period, call `kpis.kpi_report` on the user's scope, render."""

from datetime import date

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from shanglian.accounts.roles import require_role
from shanglian.imports.exports import audited_export

from . import kpis

FIRST_YEAR = 2000
LAST_YEAR = 2100
MAX_YEARS = 10


class PeriodForm(forms.Form):
    """年份, or 起止日期 (which win over the year when given). Defaults: the current year."""

    year = forms.IntegerField(
        label="年份", required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR,
        widget=forms.NumberInput(attrs={"placeholder": "如 2026", "inputmode": "numeric"}),
        error_messages={"invalid": "请输入年份，如 2026。", "min_value": f"年份不能早于 {FIRST_YEAR} 年。",
                        "max_value": "年份不正确。"},
    )
    start = forms.DateField(label="开始日期", required=False,
                            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                            error_messages={"invalid": "请输入正确的日期，如 2026-01-01。"})
    end = forms.DateField(label="结束日期", required=False,
                          widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                          error_messages={"invalid": "请输入正确的日期，如 2026-12-31。"})

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if start > end:
                self.add_error("end", "结束日期不能早于开始日期。")
            elif (end - start).days > MAX_YEARS * 366:
                self.add_error("end", f"统计期间不能超过 {MAX_YEARS} 年。")
        for name in ("start", "end"):
            value = data.get(name)
            if value and not FIRST_YEAR <= value.year <= LAST_YEAR:
                self.add_error(name, "日期不正确。")
        return data

    def period(self):
        """The period asked for; the current year for whatever is missing or wrong. A start without an
        end runs to the end of its year, an end without a start from the beginning of its year."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        year = data.get("year") or timezone.localdate().year
        start, end = data.get("start"), data.get("end")
        if start or end:
            start = start or date(end.year, 1, 1)
            end = end or date(start.year, 12, 31)
            return kpis.Period(start, end)
        return kpis.Period.year(year)


def _report(request):
    require_role(request.user, *kpis.KPI_ROLES)
    form = PeriodForm(request.GET or None)
    period = form.period()
    if not form.errors:  # show the period the figures are for, defaults included
        initial = {"year": period.start.year} if period.is_whole_year else {"start": period.start, "end": period.end}
        form = PeriodForm(initial=initial)
    return form, kpis.kpi_report(request.user, period)


def _number(value):
    return None if value is None else float(value)


def chart_data(report):
    """What charts.js draws, read from the json_script element #appeal-kpis (no inline scripts)."""
    return {
        "months": [row.label for row in report.by_month],
        "received": [row.received for row in report.by_month],
        "closed": [row.closed for row in report.by_month],
        "score": [_number(row.satisfaction_score) for row in report.by_month],
        "departments": [row.label for row in report.by_department],
        "onTime": [_number(row.on_time_rate) for row in report.by_department],
    }


def tables(report):
    """(id, title, (first headers), rows) of the breakdown tables, in the order of the export's sheets."""
    return [
        ("departments", "按部门", ("承办部门", "诉求数"), report.by_department),
        ("categories", "按类别", ("诉求类别", "诉求总量"), report.by_category),
        ("months", "按月份", ("月份", "诉求总量"), report.by_month),
    ]


@never_cache
@login_required
def statistics(request):
    form, report = _report(request)
    return render(request, "appeals/statistics.html", {
        "form": form, "report": report, "chart_data": chart_data(report), "tables": tables(report),
        "breadcrumbs": [("诉求办理", None), ("诉求统计", None)],
    })


ROW_HEADERS = ["受理量", "办结量", "办结率（%）", "答复件数", "按时答复件数", "按时办理率（%）",
               "平均答复用时（工作日）", "评价件数", "满意", "基本满意", "不满意", "满意度（百分制）", "满意率（%）",
               "当前超期"]


def _shown(value):
    return "—" if value is None else value


def _row(f):
    return [f.received, f.accepted, f.closed, _shown(f.closure_rate), f.replied, f.replied_on_time,
            _shown(f.on_time_rate), _shown(f.average_reply_days), f.rated, f.satisfied, f.basically,
            f.unsatisfied, _shown(f.satisfaction_score), _shown(f.satisfaction_rate), f.overdue]


@login_required
def statistics_export(request):
    """The page's figures as a workbook of four sheets; one audit row (which period — no values)."""
    _, report = _report(request)
    o = report.overall
    overall_rows = [
        ("统计期间", report.period.label),
        ("诉求总量", o.received),
        ("受理量", o.accepted),
        ("办结量", o.closed),
        ("办结率（%）", _shown(o.closure_rate)),
        ("答复件数", o.replied),
        ("按时答复件数", o.replied_on_time),
        ("及时处办率（按时办理率，%）", _shown(o.on_time_rate)),
        ("平均答复用时（工作日）", _shown(o.average_reply_days)),
        ("评价件数", o.rated),
        ("满意", o.satisfied),
        ("基本满意", o.basically),
        ("不满意", o.unsatisfied),
        ("满意度（百分制）", _shown(o.satisfaction_score)),
        ("满意率（%）", _shown(o.satisfaction_rate)),
        ("当前超期", o.overdue),
        ("服务企业数", report.enterprises_enrolled),
    ]
    sheets = [
        ("总体", ["指标", "数值"], overall_rows),
        ("按部门", ["承办部门", "诉求数", *ROW_HEADERS], [[f.label, *_row(f)] for f in report.by_department]),
        ("按类别", ["诉求类别", "诉求总量", *ROW_HEADERS], [[f.label, *_row(f)] for f in report.by_category]),
        ("按月份", ["月份", "诉求总量", *ROW_HEADERS], [[f.label, *_row(f)] for f in report.by_month]),
    ]
    return audited_export(actor=request.user, title="诉求统计", object_type="appeals.statistics", sheets=sheets,
                          detail={"report": "appeal_kpis", "start": report.period.start.isoformat(),
                                  "end": report.period.end.isoformat()})
