"""诉求统计: the KPI page (the four 12345 figures and the others as cards, ECharts, the same numbers in
tables), its xlsx export and the drill-down to the appeals behind a figure. Thin: parse the period, call
`figures.kpi_report` on the user's scope, render with the one statistics-page template."""

from dataclasses import replace

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache

from shanglian.accounts.roles import MEMBER_READER_ROLES, READER_ROLES, require_role
from shanglian.common.periods import Period
from shanglian.imports.exports import audited_export
from shanglian.members.models import Enterprise
from shanglian.ui import figures as ui
from shanglian.ui.listing import Column
from shanglian.ui.periods import PeriodForm

from . import figures
from .models import Appeal

SOURCE = "appeal-kpis"  # the json_script element the charts read
HEADLINE = ["received", "on_time_rate", "closure_rate", "satisfaction_rate", "satisfaction_score",
            "average_reply_days", "overdue", "enterprises_enrolled"]
FOOTNOTE = ("口径：诉求总量为统计期间内提交的诉求；办结率 = 已办结 ÷ 已受理；按时办理率（及时处办率）= 按期答复 ÷ 已答复"
            "（按部门统计时以各部门每轮答复计，其余以诉求最近一次答复计）；满意度按 满意 100、基本满意 80、不满意 0 分取平均；"
            "满意率 = （满意 + 基本满意）÷ 已评价；当前超期为今天仍未办结且已过办理期限的诉求，不受统计期间限制。")


def _report(request):
    require_role(request.user, *READER_ROLES)
    form = PeriodForm(request.GET or None)
    return form, figures.kpi_report(request.user, form.period())


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


MONTHS_CHART = dict(categories="months", bars="received:诉求量;closed:办结量", lines="score:满意度",
                    axes="件;满意度", line_max="100")


def months_chart(label):
    return ui.Chart("combo", SOURCE, "chart-appeal-months", label, **MONTHS_CHART)


def _records_url(key, query, **params):
    return f"{reverse('appeals:figure_records')}?{urlencode({'figure': key, **query, **params})}"


# The row of a breakdown: on the page the short columns, in the export all of them.
ROW_COLUMNS = (
    ui.Col("受理量"), ui.Col("办结量"), ui.Col("办结率", unit="%"), ui.Col("答复件数"),
    ui.Col("按时答复件数", shown=False), ui.Col("按时办理率", unit="%"),
    ui.Col("平均答复用时（工作日）"), ui.Col("评价件数", shown=False), ui.Col("满意", shown=False),
    ui.Col("基本满意", shown=False), ui.Col("不满意", shown=False), ui.Col("满意度", export_label="满意度（百分制）"),
    ui.Col("满意率", unit="%"), ui.Col("当前超期"),
)


def _cells(f):
    return (f.label, f.received, f.accepted, f.closed, f.closure_rate, f.replied, f.replied_on_time, f.on_time_rate,
            f.average_reply_days, f.rated, f.satisfied, f.basically, f.unsatisfied, f.satisfaction_score,
            f.satisfaction_rate, f.overdue)


def breakdown_tables(report, query):
    """The breakdown tables (per department, category, month), in the order of the export's sheets;
    each row links to the appeals it counts."""
    month_query = {k: v for k, v in query.items() if k not in ("year", "quarter", "month", "start", "end")}

    def month_url(row):
        month = Period.month(row.key.year, row.key.month)
        return _records_url("appeals.received", month_query, start=month.start.isoformat(), end=month.end.isoformat())

    specs = [
        ("departments", "按部门", ("承办部门", "诉求数"), report.by_department,
         lambda row: _records_url("appeals.received", query, department=row.key)),
        ("categories", "按类别", ("诉求类别", "诉求总量"), report.by_category,
         lambda row: _records_url("appeals.received", query, category=row.key)),
        ("months", "按月份", ("月份", "诉求总量"), report.by_month, month_url),
    ]
    return [(table_id, ui.FigureTable(
        title, (ui.Col(first), ui.Col(second), *ROW_COLUMNS),
        tuple(ui.Row(_cells(row), label=row.label, records_url=url(row)) for row in rows),
        row_header=True, dom_id=f"table-{table_id}"))
        for table_id, title, (first, second), rows, url in specs]


def overall_table(report):
    """The 总体 sheet of the export (not shown on the page: the cards and the overall table are)."""
    o = report.overall
    rows = [("统计期间", report.period.label), ("诉求总量", o.received), ("受理量", o.accepted), ("办结量", o.closed),
            ("办结率（%）", o.closure_rate), ("答复件数", o.replied), ("按时答复件数", o.replied_on_time),
            ("及时处办率（按时办理率，%）", o.on_time_rate), ("平均答复用时（工作日）", o.average_reply_days),
            ("评价件数", o.rated), ("满意", o.satisfied), ("基本满意", o.basically), ("不满意", o.unsatisfied),
            ("满意度（百分制）", o.satisfaction_score), ("满意率（%）", o.satisfaction_rate), ("当前超期", o.overdue),
            ("服务企业数", report.enterprises_enrolled)]
    return ui.FigureTable("总体", (ui.Col("指标"), ui.Col("数值")), tuple(ui.Row(row) for row in rows))


def headline_cards(user, report, query, *, compare=True):
    """The cards: the four figures Suzhou 12345 publishes first, then the others; each links to its records."""
    found = figures.overall_figures(user, report, compare=compare)
    cards = []
    for key in HEADLINE:
        card = found[key]
        label = "及时处办率" if key == "on_time_rate" else card.label  # the 12345 name on the page
        url = _records_url(card.key, query) if key != "enterprises_enrolled" else ""
        cards.append(replace(card, label=label, records_url=url))
    return cards


def _page(request):
    form, report = _report(request)
    query = form.query()
    o = report.overall
    cards = headline_cards(request.user, report, query)
    tables = breakdown_tables(report, query)
    overall = ui.FigureTable(
        "总体",
        (ui.Col("受理量"), ui.Col("办结量"), ui.Col("办结率", unit="%"), ui.Col("答复件数"), ui.Col("按时答复"),
         ui.Col("及时处办率", unit="%"), ui.Col("评价件数"), ui.Col("满意"), ui.Col("基本满意"), ui.Col("不满意")),
        (ui.Row((o.accepted, o.closed, o.closure_rate, o.replied, o.replied_on_time, o.on_time_rate, o.rated,
                 o.satisfied, o.basically, o.unsatisfied)),),
        sheet="-", dom_id="table-overall")
    sections = [
        ui.FigureSection(title=f"核心指标（{report.period.label}）", dom_id="kpi-headline", figures=cards, table=overall),
        ui.FigureSection(title="月度诉求量、办结量与满意度", dom_id="kpi-months-chart",
                   chart=months_chart("各月诉求量、办结量与满意度，数据见下方“按月份”表") if o.received else None),
        ui.FigureSection(title="各部门按时办理率", dom_id="kpi-departments-chart", chart_empty_text="暂无派单数据",
                   chart=ui.Chart("ranking", SOURCE, "chart-appeal-departments",
                                  "各承办部门按时办理率，数据见下方“按部门”表", names="departments", values="onTime",
                                  unit="%", max="100") if report.by_department else None),
        *[ui.FigureSection(title=table.title, dom_id=f"kpi-{table_id}", table=table) for table_id, table in tables],
    ]
    data = chart_data(report)
    page = ui.FiguresPage(
        title="诉求统计", breadcrumbs=[("诉求办理", None), ("诉求统计", None)], form=form.shown(),
        period_label=f"统计期间：{report.period.label}（按提交日期）", reset_url=reverse("appeals:statistics"),
        export_url=reverse("appeals:statistics_export") + (f"?{request.GET.urlencode()}" if request.GET else ""),
        sections=sections, chart_data={SOURCE: data}, footnote=FOOTNOTE)
    return page, report, data, [overall_table(report), *[table for _, table in tables]]


@never_cache
@login_required
def statistics(request):
    page, report, data, _ = _page(request)
    return render(request, "ui/figures_page.html", {
        "page": page, "report": report, "chart_data": data, "breadcrumbs": page.breadcrumbs,
    })


@login_required
def statistics_export(request):
    """The page's figures as a workbook of four sheets; one audit row (which period — no values)."""
    _, report, _, tables = _page(request)
    return audited_export(actor=request.user, title="诉求统计", object_type="appeals.statistics",
                          sheets=ui.export_sheets(tables),
                          detail={"report": "appeal_kpis", "start": report.period.start.isoformat(),
                                  "end": report.period.end.isoformat()})


# The drill-down shows the appeal, who and what (the list page, appeals:list, shows the workflow columns).
APPEAL_COLUMNS = [Column("诉求编号", "number", link=lambda a: reverse("appeals:detail", args=[a.pk]), sort="number"),
                  Column("诉求标题", "title", wrap=True), Column("企业", "enterprise.name"), Column("类别", "category.name"),
                  Column("提交日期", lambda a: f"{timezone.localtime(a.submitted_at):%Y-%m-%d}", sort="submitted_at"),
                  Column("状态", "get_status_display")]
ENTERPRISE_COLUMNS = [Column("企业名称", "name"), Column("统一社会信用代码", "uscc")]
COLUMNS = {Appeal: APPEAL_COLUMNS, Enterprise: ENTERPRISE_COLUMNS}
ENTERPRISES_ENROLLED = "appeals.enterprises_enrolled"


def _key_param(request, name):
    value = request.GET.get(name)
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise Http404("没有该记录。") from None


@login_required
def figure_records(request):
    """The appeals behind a figure of the page (诉求统计 → 明细), in the user's KPI scope only, optionally
    of one department's or category's row."""
    require_role(request.user, *READER_ROLES)
    key = request.GET.get("figure") or "appeals.received"
    if not key.startswith("appeals."):
        raise Http404("没有该统计指标。")
    spec = ui.get(key)
    if key == ENTERPRISES_ENROLLED:  # its records are enterprises of the member registry: not a department's
        require_role(request.user, *MEMBER_READER_ROLES)
    kwargs = {}
    if key != ENTERPRISES_ENROLLED:
        kwargs = {name: _key_param(request, name) for name in ("category", "department")}
    period = PeriodForm(request.GET or None).period()
    model = Enterprise if key == ENTERPRISES_ENROLLED else Appeal
    return ui.records_page(request, key=spec.key, period=period, columns=COLUMNS[model],
                           breadcrumbs=[("诉求办理", None), ("诉求统计", "appeals:statistics")], **kwargs)

