"""各区对比: a city federation's districts side by side — one column per district, then the city's own total
(the figure computed for the city: its whole subtree) and, for the figures that add up, the plain sum of the
district columns — for the headline figures or the figures of one area, for any period; every cell links to the
records behind it in that district. A district sees only itself (its own column, and a line saying so). `?export=xlsx`
is the same table as a workbook (an audited export).

Thin: the numbers are `reports.aggregation.side_by_side` (through `values.measure`); the federation's roles only
(403 for the others); `?federation=<id>` narrows to one federation of the user's scope (404 for any other).
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache

from shanglian.accounts.roles import FEDERATION_ROLES, require_role
from shanglian.common.forms import Form
from shanglian.imports.exports import audited_export
from shanglian.ui.periods import PeriodForm

from . import aggregation, values

TITLE = "各区对比"
BREADCRUMBS = [("统计报告", None), (TITLE, None)]
HEADLINE_CHOICE = ("", "核心指标")


class AreaForm(Form):
    area = forms.ChoiceField(label="指标范围", required=False, choices=[HEADLINE_CHOICE, *values.AREAS.items()],
                             error_messages={"invalid_choice": "请选择列表中的指标范围。"})

    def chosen(self):
        """The area asked for ("" for the headline figures; a wrong one falls back to them)."""
        return self.cleaned_data.get("area", "") if self.is_bound and self.is_valid() else ""


@never_cache
@login_required
def districts(request):
    require_role(request.user, *FEDERATION_ROLES)
    federation = values.federation_asked(request.user, request.GET.get("federation"))
    period_form = PeriodForm(request.GET or None)
    period = period_form.period()
    area_form = AreaForm(request.GET or None)
    area = area_form.chosen()
    keys = aggregation.area_keys(area) if area else aggregation.HEADLINE
    comparison = aggregation.side_by_side(request.user, period, keys, federation=federation)

    query = {**period_form.query(), **({"area": area} if area else {}),
             **({"federation": federation.pk} if federation is not None else {})}
    if request.GET.get("export") == "xlsx":
        return audited_export(
            actor=request.user, title=f"{comparison.home.name}{TITLE}", object_type="reports.districts",
            sheets=[(TITLE, comparison.headers(), comparison.sheet_rows())],
            detail={"report": "districts", "federation": comparison.home.pk, "area": area or "headline",
                    "start": period.start.isoformat(), "end": period.end.isoformat()})
    url = reverse("reports:districts")
    return render(request, "reports/districts.html", {
        "title": TITLE, "breadcrumbs": BREADCRUMBS, "comparison": comparison, "period": period,
        "period_form": period_form.shown(), "area_form": area_form, "area": values.AREAS.get(area, HEADLINE_CHOICE[1]),
        "reset_url": url, "export_url": f"{url}?{urlencode({**query, 'export': 'xlsx'})}",
        "federation": federation, "difference_note": aggregation.DIFFERENCE_NOTE,
    })
