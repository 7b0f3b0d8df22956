
from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from shanglian.common.excel import audited_export

from . import statistics
from .selectors import memberships_visible_to


class StatisticsForm(forms.Form):
    on = forms.DateField(label="统计日期", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                         error_messages={"invalid": "请输入正确的日期，如 2025-12-31。"})
    start_year = forms.IntegerField(label="起始年份", required=False, min_value=1990, max_value=2100,
                                    error_messages={"min_value": "起始年份不能早于 1990 年。",
                                                    "max_value": "起始年份不正确。", "invalid": "请输入年份，如 2021。"})

    def clean_on(self):
        on = self.cleaned_data["on"]
        if on and on > timezone.localdate():
            raise forms.ValidationError("统计日期不能晚于今天。")
        return on

    def clean(self):
        data = super().clean()
        on = data.get("on") or timezone.localdate()
        start = data.get("start_year") or on.year - 5
        if start > on.year:
            self.add_error("start_year", "起始年份不能晚于统计日期所在年份。")
        data["on"], data["start_year"] = on, min(start, on.year)
        return data


def _figures(request):
    form = StatisticsForm(request.GET or None)
    if form.is_bound and form.is_valid():
        on, start = form.cleaned_data["on"], form.cleaned_data["start_year"]
    else:
        on = timezone.localdate()
        start = on.year - 5
    memberships = memberships_visible_to(request.user)
    # Year ends up to the last complete year, plus the chosen date itself as the current point.
    series = statistics.year_end_series(memberships, range(start, on.year))
    kinds = statistics.counts_by_kind(memberships, on)
    return form, {
        "on": on,
        "kinds": kinds,
        "kind_rows": [(label, kinds[key]) for key, label in statistics.KIND_LABELS.items()],
        "series": series,
        "average_growth": statistics.average_annual_growth(series),
        "pairs": statistics.three_more_three_less(memberships, on),
        "chambers": statistics.by_chamber(memberships, on),
        "streets": statistics.by_street(memberships, on),
    }


@login_required
def member_statistics(request):
    form, figures = _figures(request)
    chart_data = {
        "kinds": [{"name": label, "value": value} for label, value in figures["kind_rows"]],
        "years": [row.year for row in figures["series"]],
        "inForce": [row.in_force for row in figures["series"]],
        "growthRate": [row.growth_rate for row in figures["series"]],
        "pairs": [{"label": p.label, "more": p.more_label, "moreValue": p.more, "less": p.less_label,
                   "lessValue": p.less} for p in figures["pairs"]],
        "chambers": [{"name": name, "value": n} for name, n in figures["chambers"][:15]],
        "streets": [{"name": name, "value": n} for name, n in figures["streets"][:15]],
    }
    return render(request, "members/statistics.html", {
        "form": form, **figures, "chart_data": chart_data,
        "breadcrumbs": [("会员管理", None), ("会员统计", None)],
    })


@login_required
def member_statistics_export(request):
    form, f = _figures(request)
    sheets = [
        ("按类型", ["会员类型", "在册数"], f["kind_rows"] + [("合计", f["kinds"]["total"])]),
        ("年末增长", ["年份", "年末在册", "当年入会", "当年退会", "比上年增加", "增长率（%）"],
         [(r.year, r.in_force, r.joined, r.left, r.growth, r.growth_rate) for r in f["series"]]),
        ("三多三少", ["结构", "类别", "数量", "占比（%）", "类别", "数量", "占比（%）"],
         [(p.label, p.more_label, p.more, p.more_share, p.less_label, p.less, p.less_share) for p in f["pairs"]]),
        ("按商会", ["商会", "在册企业会员"], f["chambers"]),
        ("按街道", ["街道", "在册企业会员"], f["streets"]),
    ]
    return audited_export(actor=request.user, title="会员统计", object_type="members.statistics", sheets=sheets,
                          detail={"report": "member_statistics", "on": f["on"].isoformat()})
