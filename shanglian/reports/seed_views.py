"""工作报告引用指标: each figure the five seed work reports quote, the value the report gives, and what the platform
says for the chosen period — computed from the records (with the link to them), an external value with its source,
or why it is not a figure — with the counts of each kind at the top, the period form and the xlsx export.

Thin: the quotes and their mapping are `reports.quoted` (data/seed-figures.tsv + data/quoted.toml), every number comes
from `reports.values.measure`. The federation's roles read (`?federation=<id>`: one federation of the user's scope,
404 for any other); a chamber secretary, a department, an enterprise and the auditor 403.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache

from shanglian.accounts.roles import FEDERATION_ROLES, require_role
from shanglian.imports.exports import audited_export
from shanglian.orgs.models import Federation
from shanglian.orgs.selectors import federation_ids_in_scope
from shanglian.ui.figures import NO_DATA
from shanglian.ui.periods import PeriodForm

from . import quoted as quotes
from . import values

TITLE = "工作报告引用指标"
BREADCRUMBS = [("统计报告", None), (TITLE, None)]
EXPORT_HEADERS = ["序号", "报告", "引用原文", "报告中的数值", "所需记录", "类别", "平台指标", "指标代码", "统计期间",
                  "本期数值", "单位", "说明"]
FOOTNOTE = ("口径：由记录计算的指标按其定义计算（将鼠标移到指标上可查看完整口径），“统计期末”的指标为期末（期末晚于今天时为今天）"
            "的状态；报告中跨越多年的数字（近三年、连续多年）按所选年度及此前相应年数计算；外部指标为工作人员按期录入的数值及其"
            "来源；“无数据”表示没有可据以计算的记录或尚未录入，不计为 0。")


def _federations(user):
    """The federations the user may look at (its own and those under it), when there are several to choose."""
    ids = federation_ids_in_scope(user)
    if len(ids) < 2:
        return []
    return list(Federation.objects.filter(pk__in=ids).order_by("level", "region_code", "id"))


def _export(request, rows, period, federation):
    home = federation or request.user.federation
    sheet = [[row.quote.number, row.quote.seed_title, row.quote.quote, row.quote.value, row.quote.needs,
              row.quote.kind_label,
              row.reported.label if row.reported else "",
              row.quote.figure_key,
              row.period.label if row.period else "",
              "" if row.quote.kind == quotes.NOT_HELD else NO_DATA if row.value is None else row.value,
              row.reported.unit if row.reported else "",
              row.explanation] for row in rows]
    counted = quotes.counts([row.quote for row in rows])
    summary = [[label, counted[kind]] for kind, label in quotes.KIND_LABELS.items()]
    summary.append(["合计", len(rows)])
    return audited_export(
        actor=request.user, title=f"{TITLE}（{home}，{period.label}）",
        sheets=[(TITLE, EXPORT_HEADERS, sheet), ("汇总", ["类别", "条数"], summary)],
        object_type="reports.quoted",
        detail={"report": "quoted", "federation": home.pk if home else None,
                "start": period.start.isoformat(), "end": period.end.isoformat()})


@never_cache
@login_required
def quoted(request):
    require_role(request.user, *FEDERATION_ROLES)
    federation = values.federation_asked(request.user, request.GET.get("federation"))
    form = PeriodForm(request.GET or None)
    period = form.period()
    rows = quotes.measured(request.user, period, federation=federation)
    if request.GET.get("export") == "xlsx":
        return _export(request, rows, period, federation)
    counted = quotes.counts([row.quote for row in rows])
    query = {**form.query(), **({"federation": federation.pk} if federation else {})}
    url = reverse("reports:quoted")
    by_seed = {}
    for row in rows:
        by_seed.setdefault((row.quote.seed, row.quote.seed_title), []).append(row)
    context = {
        "title": TITLE,
        "breadcrumbs": BREADCRUMBS,
        "form": form.shown(),
        "period": period,
        "home": federation or request.user.federation,
        "federation": federation,
        "federations": _federations(request.user),
        "counts": [{"kind": kind, "label": label, "count": counted[kind]}
                   for kind, label in quotes.KIND_LABELS.items()],
        "missing": sum(1 for row in rows if row.quote.kind != quotes.NOT_HELD and row.value is None),
        "total": len(rows),
        "seeds": [{"file": file, "title": title, "rows": found} for (file, title), found in by_seed.items()],
        "reset_url": url,
        "export_url": f"{url}?{urlencode({**query, 'export': 'xlsx'})}",
        "footnote": FOOTNOTE,
    }
    return render(request, "reports/quoted.html", context)
