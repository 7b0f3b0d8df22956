"""指标库 and 指标目标: every figure for a period with 同比/环比, target and gap, and the link to its records; one
figure with its months and (for a city) its districts; the records behind any figure (`reports:records`), exportable;
the year's targets and their pages; the chamber-coverage threshold.

Thin: parse (the period form, `?federation=` through `values.federation_asked`, the filters), ask `catalogue` /
`values.measure` / the selectors, call `services.targets` for writes, render. The federation's roles read, the
editors (sysadmin, staff) write; every other role is refused (403) before anything is counted.
"""

from dataclasses import replace

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache

from shanglian.accounts.roles import EDITOR_ROLES, FEDERATION_ROLES, has_role, require_role
from shanglian.common.periods import Period
from shanglian.imports.exports import audited_export
from shanglian.ui import figures as ui
from shanglian.ui.listing import Action, Column, ListPage, render_list
from shanglian.ui.periods import PeriodForm
from shanglian.ui.records import delete_page, edit_page, staff_page
from shanglian.ui.shortcuts import get_visible_or_404

from . import catalogue as index
from . import drilldown, values
from .aggregation import districts_of, side_by_side
from .forms.targets import CatalogueFilterForm, CoverageThresholdForm, TargetFilterForm, TargetForm
from .models import ExternalValue
from .selectors.targets import federations_in_scope, targets_editable_by, targets_visible_to
from .services import targets as services
from .workbook import HEADERS, SHEET, entry_row, figures_workbook_sheets

GROUP = ("统计报告", None)
CATALOGUE_CRUMBS = [GROUP, ("指标库", "reports:catalogue")]
TARGET_CRUMBS = [GROUP, ("指标目标", "reports:targets")]
FOOTNOTE = ("口径：每项指标由其所属业务模块按记录计算（外部指标为工作人员按期录入的数值并注明来源）；在册、在任、覆盖类指标按统计期末"
            "（期末晚于今天时为今天）统计。同比为与上年同期相比，环比为与上一个相同长度的期间相比；比率、得分的变化以百分点（分）计，"
            "数量的变化以百分比计。无法计算的指标显示“无数据”并说明原因，从不计为 0。")
MONTHS_SHOWN = 12


def _federation(request):
    return values.federation_asked(request.user, request.GET.get("federation"))


def _scope_query(federation):
    return {"federation": federation.pk} if federation is not None else {}


def _targets_url(user, federation_id, year=None):
    """The targets list of `federation_id` (one of the user's scope; its own needs no parameter) for `year`."""
    query = {**({"year": year} if year else {}),
             **({"federation": federation_id} if federation_id != user.federation_id else {})}
    return f"{reverse('reports:targets')}?{urlencode(query)}" if query else reverse("reports:targets")


# --- 指标库 -------------------------------------------------------------------------------------------------------
@never_cache
@login_required
def catalogue(request):
    """Every figure for the period, grouped by area; `?export=xlsx` is the workbook of every figure."""
    user = request.user
    require_role(user, *FEDERATION_ROLES)
    federation = _federation(request)
    period_form = PeriodForm(request.GET or None)
    period = period_form.period()
    filter_form = CatalogueFilterForm(request.GET or None, federations=federations_in_scope(user))
    filters = filter_form.filters()
    if request.GET.get("export") == "xlsx":
        return audited_export(
            actor=user, title="指标库", object_type="reports.catalogue",
            sheets=figures_workbook_sheets(user, period, federation, **filters),
            detail={"report": "figures_catalogue", "start": period.start.isoformat(), "end": period.end.isoformat(),
                    **({"federation": federation.pk} if federation else {}), **filters})
    found = index.entries(user, period, federation=federation, **filters)
    query = {**period.as_query(), **_scope_query(federation), **{k: v for k, v in filters.items() if v}}
    home = federation or user.federation
    return render(request, "reports/catalogue/catalogue.html", {
        "breadcrumbs": [GROUP, ("指标库", None)],
        "period_form": period_form.shown(),
        "filter_form": filter_form,
        "period": period,
        "home": home,
        "groups": index.grouped(found),
        "count": len(found),
        "missing": sum(1 for entry in found if entry.reported.value is None),
        "compared": index.compared(period),
        "export_url": f"{reverse('reports:catalogue')}?{urlencode({**query, 'export': 'xlsx'})}",
        "targets_url": f"{reverse('reports:targets')}?{urlencode({'year': period.end.year, **_scope_query(federation)})}",
        "detail_query": urlencode({**period.as_query(), **_scope_query(federation)}),
        "footnote": FOOTNOTE,
    })


# --- one figure --------------------------------------------------------------------------------------------------
def _months(key, user, period, federation):
    """(month labels, values) of the period's year up to this month (a year not yet begun: none)."""
    year = period.end.year
    today = timezone.localdate()
    last = MONTHS_SHOWN if year < today.year else (today.month if year == today.year else 0)
    months = [Period.month(year, m) for m in range(1, last + 1)]
    read = [index.read(key, user=user, period=month, federation=federation, targets={}, compare=False)
            for month in months]
    return months, read


def _card(reported):
    return replace(reported.figure, records=None, records_url=reported.records_url)


def _sentence(text):
    return text if text.endswith("。") else f"{text}。"


def _target_note(entry):
    target = entry.reported.target
    if target is None:
        return f"{entry.reported.figure.period.end.year}年未设目标"
    return f"{target.year}年目标：{entry.target_text}（{entry.gap_text}）" + (f"，{target.note}" if target.note else "")


def _month_section(key, user, period, federation, unit):
    months, read = _months(key, user, period, federation)
    source = "figure-months-data"
    rows = tuple(ui.Row((month.label, reported.value), label=month.label, records_url=reported.records_url)
                 for month, reported in zip(months, read, strict=True))
    table = ui.FigureTable(f"{period.end.year}年各月", (ui.Col("月份"), ui.Col("数值", unit=unit)), rows,
                           row_header=True, dom_id="table-figure-months", sheet="各月",
                           empty_text="该年度尚未开始，没有月度数据")
    chart = None
    if months:
        chart = ui.Chart("combo", source, "chart-figure-months", "各月数值，数据见下表", categories="months",
                         bars=f"values:{read[0].label}", axes=unit or "数值")
    return ui.FigureSection(
        title=f"各月数值（{period.end.year}年）", dom_id="figure-months", chart=chart, table=table,
        note="按自然月统计；在册、覆盖类指标为各月末的数值。",
        chart_data={source: {"months": [m.label for m in months],
                             "values": [ui.chart_number(r.value) for r in read]}})


def _district_section(key, user, period, federation):
    if not districts_of(user, federation):
        return None
    comparison = side_by_side(user, period, [key], federation=federation)
    line = comparison.lines[0]
    rows = tuple(ui.Row((district.short_name or district.name, cell.value), label=district.name,
                        records_url=cell.records_url)
                 for district, cell in zip(comparison.districts, line.cells, strict=True))
    rows += (ui.Row((comparison.total_label, line.total.value), records_url=line.total.records_url, total=True),)
    table = ui.FigureTable("各区对比", (ui.Col("工商联"), ui.Col("数值", unit=line.unit)), rows, row_header=True,
                           dom_id="table-figure-districts", sheet="各区对比")
    return ui.FigureSection(title="各区对比", dom_id="figure-districts", table=table,
                            note=line.missing or "合计按本级及全部下级的记录计算。")


@never_cache
@login_required
def figure_detail(request, key):
    """One figure: its definition, value with 同比/环比, the target, the months of the year as a chart, the link to
    its records, and a city's districts side by side; `?export=xlsx` is its workbook."""
    user = request.user
    require_role(user, *FEDERATION_ROLES)
    values.spec(key)  # 404 "没有该统计指标。" before anything is counted
    federation = _federation(request)
    form = PeriodForm(request.GET or None)
    period = form.period()
    targets = values.targets_of(federation or user.federation, period.end.year)
    reported = index.read(key, user=user, period=period, federation=federation, targets=targets,
                              compare=index.compared(period))
    if reported.external and not reported.records_url:
        reported = replace(reported, records_url=values.records_url(key, period, federation=federation))
    entry = index.Entry(area=index.area_of(key), reported=reported)
    notes = [f"口径：{reported.definition}", _target_note(entry)]
    if reported.external:
        notes.append(f"外部数据，来源：{reported.source}")
    if reported.missing:
        notes.append(f"{ui.NO_DATA}：{reported.missing}")
    headline = ui.FigureSection(title=f"{reported.label}（{period.label}）", dom_id="figure-headline",
                                figures=[_card(reported)], note="".join(_sentence(note) for note in notes))
    sections = [headline]
    if not index.required_arguments(key):
        sections.append(_month_section(key, user, period, federation, reported.unit))
        districts = _district_section(key, user, period, federation)
        if districts is not None:
            sections.append(districts)
    url = reverse("reports:figure", args=[key])
    page = ui.FiguresPage(
        title=reported.label, breadcrumbs=[*CATALOGUE_CRUMBS, (reported.label, None)], form=form.shown(),
        period_label=f"统计期间：{period.label}" + (f" · {(federation or user.federation).name}"),
        reset_url=url + (f"?{urlencode(_scope_query(federation))}" if federation else ""),
        export_url=f"{url}?{urlencode({**form.query(), **_scope_query(federation), 'export': 'xlsx'})}",
        sections=sections, chart_data=ui.gather_chart_data(sections), footnote=FOOTNOTE)
    if request.GET.get("export") == "xlsx":
        overall = (SHEET, HEADERS, [entry_row(1, entry)])
        return audited_export(actor=user, title=reported.label, object_type="reports.figure",
                              sheets=[overall, *ui.export_sheets(ui.export_tables(page.tables))],
                              detail={"report": "figure", "key": key, "start": period.start.isoformat(),
                                      "end": period.end.isoformat()})
    return render(request, "ui/figures_page.html", {"page": page, "breadcrumbs": page.breadcrumbs})


# --- the records behind a figure ------------------------------------------------------------------------------
def _external_records(request, key, period, federation):
    """The entered value behind an external figure (the ExternalValue of the federation and the period)."""
    indicator = values.spec(key)
    home = federation or request.user.federation
    entered = values.external_value(indicator, home, period)
    rows = ExternalValue.objects.filter(pk=entered.pk) if entered else ExternalValue.objects.none()
    columns = [Column("指标", "indicator.name"), Column("期间", lambda v: period.label), Column("数值", lambda v: values.plain(v.value)),
               Column("单位", "indicator.unit"), Column("数据来源", "source"), Column("备注", "note", wrap=True),
               Column("录入时间", lambda v: f"{timezone.localtime(v.entered_at):%Y-%m-%d %H:%M}")]
    title = f"{indicator.name}（{period.label}）"
    return rows.select_related("indicator"), columns, title, (
        f"{indicator.name}为外部数据，尚未录入{period.label}的数值。" if entered is None else "")


def _export_rows(columns, records):
    return [[i, *[_cell_text(column.cell(obj)["text"]) for column in columns]] for i, obj in enumerate(records, 1)]


def _cell_text(text):
    return "" if text == "—" else (text if isinstance(text, int | float) else str(text))


@never_cache
@login_required
def figure_records(request, key):
    """The records behind a figure (registered: through `values.measure(...).figure.records`, in the user's scope;
    external: the entered value), as a list page; `?export=xlsx` exports them all."""
    user = request.user
    require_role(user, *FEDERATION_ROLES)
    spec = values.spec(key)  # 404 for an unknown key
    federation = _federation(request)
    period = PeriodForm(request.GET or None).period()
    empty = "没有对应的记录"
    if key.startswith(values.EXTERNAL):
        records, columns, title, external_empty = _external_records(request, key, period, federation)
        empty = external_empty or empty
    else:
        narrowing = drilldown.narrowing(request, key)
        if any(name not in narrowing for name in index.required_arguments(key)):
            raise Http404("该指标须指定统计对象。")
        reported = values.measure(key, user=user, period=period, federation=federation, compare=False,
                                  targets={}, **narrowing)
        if reported.figure.records is None:
            raise Http404("该指标没有明细记录。")
        records = reported.figure.records
        columns = drilldown.columns(key, records)
        title = f"{reported.label}（{period.label}）：{index.with_unit(reported.value, reported.unit)}"
    if request.GET.get("export") == "xlsx":
        return audited_export(
            actor=user, title=title[:60], object_type="reports.records",
            sheets=[("明细", ["序号", *[c.header for c in columns]], _export_rows(columns, records))],
            detail={"report": "figure_records", "key": key, "start": period.start.isoformat(),
                    "end": period.end.isoformat(), **({"federation": federation.pk} if federation else {})})
    query = request.GET.copy()
    query.pop("page", None)
    query["export"] = "xlsx"
    figure_url = f"{reverse('reports:figure', args=[key])}?{urlencode({**period.as_query(), **_scope_query(federation)})}"
    page = ListPage(
        title=title, breadcrumbs=[*CATALOGUE_CRUMBS, (getattr(spec, "label", None) or spec.name, None),
                                  ("明细", None)],
        columns=columns, empty_text=empty,
        toolbar=[Action("导出", f"{request.path}?{query.urlencode()}"), Action("指标详情", figure_url)])
    return render_list(request, page, records)


# --- 指标目标 ----------------------------------------------------------------------------------------------------
def _target_federation(request, form):
    asked = form.cleaned_data.get("federation") if form.is_bound and form.is_valid() else None
    return values.federation_asked(request.user, asked or request.GET.get("federation"))


@never_cache
@login_required
def targets(request):
    """The targets of a year (default this one) with the figure's value for the year (to date) and the gap."""
    user = request.user
    require_role(user, *FEDERATION_ROLES)
    form = TargetFilterForm(request.GET or None, federations=federations_in_scope(user))
    federation = _target_federation(request, form)
    home = federation or user.federation
    year = form.year_asked()
    period = Period.year(year)
    editor = has_role(user, *EDITOR_ROLES)
    measured = {}

    def reported(target):
        if target.pk not in measured:
            entry = index.Entry(area=index.area_of(target.key), reported=_target_reported(
                target, user=user, period=period, federation=federation))
            measured[target.pk] = entry
        return measured[target.pk]

    def figure_link(target):
        return f"{reverse('reports:figure', args=[target.key])}?{urlencode({'year': year, **_scope_query(federation)})}"

    def actions(target):
        if not editor:
            return [Action("明细", reported(target).reported.records_url)] if reported(target).reported.records_url else []
        return [Action("编辑", reverse("reports:target_edit", args=[target.pk])),
                Action("删除", reverse("reports:target_delete", args=[target.pk]))]

    scope = _scope_query(federation)
    toolbar = []
    if editor:
        toolbar.append(Action("新增目标", f"{reverse('reports:target_create')}?{urlencode(scope)}", "primary"))
        toolbar.append(Action(f"商会覆盖率口径：不少于 {home.chamber_coverage_threshold} 家",
                              f"{reverse('reports:coverage_threshold')}?{urlencode(scope)}"))
    toolbar.append(Action("指标库", f"{reverse('reports:catalogue')}?{urlencode({'year': year, **scope})}"))
    page = ListPage(
        title=f"指标目标（{year}年 · {home.short_name or home.name}）",
        breadcrumbs=[GROUP, ("指标目标", None)], search_form=form, toolbar=toolbar,
        columns=[
            Column("领域", lambda t: reported(t).area_name),
            Column("指标", lambda t: reported(t).reported.label, link=figure_link, wrap=True),
            Column("目标", lambda t: reported(t).target_text),
            Column("当前值", lambda t: reported(t).value_text,
                   link=lambda t: reported(t).reported.records_url),
            Column("差距", lambda t: reported(t).gap_text,
                   tag=lambda t: {True: "tag-success", False: "tag-danger"}.get(reported(t).reported.met, "tag-muted")),
            Column("说明", lambda t: t.note or reported(t).reported.missing, wrap=True),
        ],
        row_actions=actions, default_sort="key",
        empty_text=f"{year}年尚未设定指标目标" + ("，点击“新增目标”设定。" if editor else "。"))
    return render_list(request, page, targets_visible_to(user).filter(federation=home, year=year))


def _target_reported(target, *, user, period, federation):
    """A target's figure for its year (to date), or a figure without a value when the key is no longer known."""
    try:
        return index.read(target.key, user=user, period=period, federation=federation,
                              targets={target.key: target}, compare=False)
    except Http404:
        figure = ui.Figure(label=target.key, definition="", value=None, period=period, key=target.key)
        return values.Reported(figure=figure, target=target, missing="该指标已不存在或已停用。")


@staff_page
def target_edit(request, pk=None):
    user = request.user
    require_role(user, *EDITOR_ROLES)
    if pk is None:
        federation = _federation(request) or user.federation
        target = None
    else:
        target = get_visible_or_404(targets_editable_by(user), pk)
        federation = target.federation
    form = TargetForm(request.POST or None, instance=target)
    back = _targets_url(user, federation.pk, target.year if target else timezone.localdate().year)

    def then(saved):
        return _targets_url(user, saved.federation_id, saved.year)

    return edit_page(
        request, form=form,
        save=lambda f: services.save_target(actor=user, data=f.target_data(), federation=federation, target=target),
        then=then, title="编辑指标目标" if target else "新增指标目标", subject=federation.name,
        intro="目标按工商联、指标和年度设定；“不低于”的指标达到目标值即为达成，“不高于”的指标不超过目标值即为达成。",
        breadcrumbs=[*TARGET_CRUMBS, ("编辑" if target else "新增", None)], cancel_url=back)


@staff_page
def target_delete(request, pk):
    user = request.user
    require_role(user, *EDITOR_ROLES)
    target = get_visible_or_404(targets_editable_by(user), pk)
    back = _targets_url(user, target.federation_id, target.year)  # a district's target: back to the district's list
    return delete_page(request, obj=target, delete=lambda: services.delete_target(actor=user, target=target),
                       cancel_url=back, done_url=back, title="删除指标目标",
                       breadcrumbs=[*TARGET_CRUMBS, ("删除", None)])


@staff_page
def coverage_threshold(request):
    """The N of 商会覆盖率 for the user's federation (or one of its scope, `?federation=`)."""
    user = request.user
    require_role(user, *EDITOR_ROLES)
    federation = _federation(request) or user.federation
    form = CoverageThresholdForm(request.POST or None,
                                 initial={"threshold": federation.chamber_coverage_threshold})
    back = _targets_url(user, federation.pk)
    return edit_page(
        request, form=form,
        save=lambda f: services.set_coverage_threshold(actor=user, federation=federation,
                                                       threshold=f.cleaned_data["threshold"]),
        then=lambda saved: back, title="商会覆盖率口径", subject=federation.name,
        intro="商会覆盖率 = 有正常状态的行业商会覆盖的“民营企业集聚行业”÷“民营企业集聚行业”。某一行业大类内本会登记的私营企业"
              "（不论是否会员）不少于下列家数，即计为民营企业集聚行业。",
        breadcrumbs=[*TARGET_CRUMBS, ("商会覆盖率口径", None)], cancel_url=back)
