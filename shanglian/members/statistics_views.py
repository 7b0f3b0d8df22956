"""会员统计: the page (cards, ECharts, the same numbers in tables), its xlsx export and the drill-down to the
memberships behind a figure. Thin: parse the date and the years, build the figures of `figures` on the
user's scope, render them with the one statistics-page template (`ui/figures_page.html`)."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache

from shanglian.common.periods import Period
from shanglian.imports.exports import audited_export
from shanglian.orgs.selectors import chambers_in_scope
from shanglian.ui import figures as ui
from shanglian.ui.listing import Column
from shanglian.ui.periods import AS_OF_FIELDS, PeriodForm

from . import figures
from .selectors import memberships_visible_to
from .views import MEMBERSHIP_FIELDS

CHART_TOP = 15
SOURCE = "member-stats"  # the json_script element the charts read
BREADCRUMBS = [("会员管理", None), ("会员统计", None)]


def as_period(on):
    """The Period whose last day is the statistics date: 同比 is then the same day a year earlier and
    环比 the previous year end."""
    return Period(date(on.year, 1, 1), on)


def _number(value):
    return None if value is None else float(value)


def _records_url(key, on, **params):
    return f"{reverse('members:figure_records')}?{urlencode({'figure': key, 'on': on.isoformat(), **params})}"


def _ranking(name, what, day, rows):
    """按商会 / 按街道: enterprise members in force per chamber or street, a ranking chart of the first
    CHART_TOP and the whole table; rows are (name, n, records url)."""
    return ui.FigureSection(
        title=f"按{what}（在册企业会员）", dom_id=f"stats-{name}",
        chart=ui.Chart("ranking", SOURCE, f"chart-{name}", f"企业会员最多的前{CHART_TOP}个{what}，数据见下表",
                       key=name) if rows else None,
        table=ui.FigureTable(f"按{what}", (ui.Col(what), ui.Col("在册企业会员", export_label=f"{day} 在册企业会员")),
                             tuple(ui.Row((label, n), label=label, records_url=url) for label, n, url in rows),
                             numbered=True, dom_id=f"table-{name}", blank=None),
    )


def _page(request):
    memberships = memberships_visible_to(request.user)  # 403 for roles without member data
    form = PeriodForm(request.GET or None, fields=AS_OF_FIELDS)
    on, years = form.as_of(), form.years()
    day = f"{on:%Y-%m-%d}"
    period = as_period(on)
    user = request.user

    # 在册会员 by kind, now, a year ago and at the previous year end: one query.
    by_date = figures.counts_by_kind_on(memberships, [on, period.year_ago().end, period.previous().end])
    kinds, year_ago, previous = by_date[on], by_date[period.year_ago().end], by_date[period.previous().end]
    cards = []
    for key, dom_id, label in [("total", "total-members", "会员总数"), ("enterprise", "enterprise-members", "企业会员"),
                               ("group", "group-members", "团体会员"), ("individual", "individual-members", "个人会员")]:
        spec = ui.get("members.in_force" if key == "total" else f"members.in_force.{key}")
        cards.append(ui.Figure(label=label, definition=spec.definition, value=kinds[key], unit="个",
                               key=spec.key, period=period, previous=previous[key], year_ago=year_ago[key],
                               dom_id=dom_id, records_url=_records_url(spec.key, on)))
    kind_rows = [ui.Row((label, kinds[key], figures.share(kinds[key], kinds["total"])), label=label,
                        records_url=_records_url(f"members.in_force.{key}", on))
                 for key, label in figures.KIND_LABELS.items()]
    kind_rows.append(ui.Row(("合计", kinds["total"], figures.share(kinds["total"], kinds["total"])), label="合计",
                            records_url=_records_url("members.in_force", on), total=True))

    series = figures.year_end_series(memberships, years)
    average = figures.average_annual_growth(series)
    basis = figures.growth_basis(series)
    groups = figures.street_groups(memberships, on)  # 按街道 and three pairs of 三多三少: one query
    pairs = figures.three_more_three_less(memberships, on, kinds=kinds, groups=groups)
    chambers = figures.chamber_rows(memberships, on, chambers=chambers_in_scope(user))
    streets = figures.street_rows(memberships, on, groups=groups)

    growth_note = f"年均增长率：{ui.NO_DATA}"
    if average is not None:
        growth_note = format_html('年均增长率：<strong id="average-growth">{}%</strong>（{}年末 {} 个 → {}年末 {} 个）',
                                  average, basis[0], basis[1], series[-1].year, series[-1].in_force)
    sections = [
        ui.FigureSection(
            title=f"在册会员（{on:%Y年%-m月%-d日}）", dom_id="stats-kinds", figures=cards,
            chart=ui.Chart("pie", SOURCE, "chart-kinds", "会员类型构成，数据见下表", key="kinds") if kinds["total"] else None,
            table=ui.FigureTable("按类型", (ui.Col("会员类型"), ui.Col("在册数", export_label=f"{day} 在册数"),
                                            ui.Col("占比", unit="%")), tuple(kind_rows), dom_id="table-kinds", blank=None),
        ),
        ui.FigureSection(
            title=f"年末会员数与增长（{years[0]}—{years[-1]}年）", dom_id="stats-years", note=growth_note,
            chart=ui.Chart("combo", SOURCE, "chart-years", "年末会员数与增长率，数据见下表", categories="years",
                           bars="inForce:年末在册", lines="growthRate:增长率（%）", axes="会员数;增长率（%）",
                           line_unit="%"),
            table=ui.FigureTable(
                "年末增长",
                (ui.Col("年份", suffix="年"), ui.Col("年末在册"), ui.Col("上年末在册"), ui.Col("比上年增加"),
                 ui.Col("增长率", unit="%"), ui.Col("当年入会"), ui.Col("当年退会"), ui.Col("当年暂停")),
                tuple(ui.Row((r.year, r.in_force, r.previous, r.growth, r.growth_rate, r.joined, r.left, r.suspended),
                             label=f"{r.year}年", records_url=_records_url("members.in_force", date(r.year, 12, 31)))
                      for r in series),
                dom_id="table-years", extra_sheet_rows=(("年均增长率（%）", average),), blank=None),
        ),
        ui.FigureSection(
            title="会员结构（“三多三少”）", dom_id="stats-pairs",
            chart=ui.Chart("share-bars", SOURCE, "chart-pairs", "三多三少各项占比，数据见下表", key="pairs"),
            table=ui.FigureTable(
                "三多三少",
                (ui.Col("结构"), ui.Col("统计范围"), ui.Col("类别"), ui.Col("数量", export_label=f"{day} 数量"),
                 ui.Col("占比", unit="%"), ui.Col("类别"), ui.Col("数量", export_label=f"{day} 数量"),
                 ui.Col("占比", unit="%")),
                tuple(ui.Row((p.label, p.base, p.more_label, p.more, p.more_share, p.less_label, p.less, p.less_share),
                             label=p.label, records_url=_records_url(f"members.share.{p.key}", on)) for p in pairs),
                dom_id="table-pairs", blank=None),
            footnote="个体工商户与私营企业、本地与外地、传统与高新技术按在册企业会员统计；个人与团体按全部在册会员统计。"
                     "个人会员不计入本地与外地、传统与高新技术。",
        ),
        _ranking("chambers", "商会", day, [(name, n, _records_url("members.by_chamber", on, chamber=pk))
                                           for pk, name, n in chambers]),
        _ranking("streets", "街道", day, [(name, n, _records_url("members.by_street", on, **({"street": pk} if pk else {})))
                                         for pk, name, n in streets]),
    ]
    chart_data = {
        "kinds": [{"name": row.cells[0], "value": row.cells[1]} for row in kind_rows if not row.total],
        "years": [f"{row.year}年" for row in series],
        "inForce": [row.in_force for row in series],
        "growth": [row.growth for row in series],
        "growthRate": [_number(row.growth_rate) for row in series],
        "pairs": [{"label": p.label, "more": p.more_label, "moreValue": p.more, "moreShare": _number(p.more_share),
                   "less": p.less_label, "lessValue": p.less, "lessShare": _number(p.less_share)} for p in pairs],
        "chambers": [{"name": name, "value": n} for _, name, n in chambers[:CHART_TOP]],
        "streets": [{"name": name, "value": n} for _, name, n in streets[:CHART_TOP]],
    }
    page = ui.FiguresPage(
        title="会员统计", breadcrumbs=BREADCRUMBS, form=form.shown(), period_label=f"统计日期：{on:%Y年%-m月%-d日}",
        reset_url=reverse("members:member_statistics"),
        export_url=reverse("members:member_statistics_export") + (f"?{request.GET.urlencode()}" if request.GET else ""),
        sections=sections, chart_data={SOURCE: chart_data},
        empty_text="" if memberships.exists() else "暂无会员数据",
    )
    return page, on, years


@never_cache
@login_required
def member_statistics(request):
    page, _, _ = _page(request)
    return render(request, "ui/figures_page.html", {"page": page, "breadcrumbs": page.breadcrumbs})


@login_required
def member_statistics_export(request):
    """The page's figures as a workbook of five sheets; one audit row (what, as of when — no values)."""
    page, on, years = _page(request)
    return audited_export(actor=request.user, title="会员统计", object_type="members.statistics",
                          sheets=ui.export_sheets(page.tables),
                          detail={"report": "member_statistics", "on": on.isoformat(), "years": [years[0], years[-1]]})


RECORD_COLUMNS = [Column(header, value) for header, value, _ in MEMBERSHIP_FIELDS]
RECORD_PARAMS = {"members.by_chamber": "chamber", "members.by_street": "street"}
SPAN_FIGURES = {"members.joined"}  # counted over the period, not on its last day


@login_required
def figure_records(request):
    """The memberships behind a figure of the page (会员统计 → 明细), in the user's scope only; the same
    columns as the member list (no personal data unmasked)."""
    memberships_visible_to(request.user)  # 403 for roles without member data
    key = request.GET.get("figure") or "members.in_force"
    if not key.startswith("members."):
        raise Http404("没有该统计指标。")
    form = PeriodForm(request.GET or None, fields=AS_OF_FIELDS)
    on = form.as_of()
    kwargs = {}
    name = RECORD_PARAMS.get(key)
    if name == "chamber" or (name and request.GET.get(name)):
        try:
            kwargs[name] = int(request.GET.get(name, ""))
        except ValueError:
            raise Http404("没有该记录。") from None
    # a figure "in force" is counted on the day; the joins over the year up to it
    label = f"{on:%Y年}1月1日至{on:%-m月%-d日}" if key in SPAN_FIGURES else f"{on:%Y年%-m月%-d日}"
    # the registry figures (enterprises, industries) name their own columns; the others list memberships
    columns = figures.RECORD_COLUMNS.get(key, RECORD_COLUMNS)
    return ui.records_page(request, key=key, period=as_period(on), columns=columns,
                           breadcrumbs=[("会员管理", None), ("会员统计", "members:member_statistics")],
                           period_label=label, **kwargs)
