"""外部指标 pages: the values (search by indicator, year, period kind and — for a city — federation; 新增/导入/导出),
a value's 新增/编辑/删除, the indicators (each with the values entered in the reader's scope) and an indicator's
新增/编辑, and the import of values from Excel. The federation's roles read the values of their federation and
those under it; the editors keep them and the indicators; a chamber secretary, a department, an enterprise and the
auditor are refused (403); a value of another scope is 404. Thin: parse, call a selector or a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache

from shanglian.accounts.roles import EDITOR_ROLES, require_role
from shanglian.imports.exports import audited_export
from shanglian.imports.pages import ImportPages
from shanglian.ui.listing import Action, Column, ListPage, export_action, render_list
from shanglian.ui.records import delete_page, edit_page, staff_page
from shanglian.ui.shortcuts import get_visible_or_404

from .forms import external as forms
from .imports import KIND, import_template
from .models import ExternalValue
from .selectors import external as selectors
from .services import external as services
from .values import plain

GROUP = ("统计报告", None)
CRUMBS = [GROUP, ("外部指标", "reports:externals")]
INDICATOR_CRUMBS = [*CRUMBS, ("指标管理", "reports:indicators")]

IMPORT_PAGES = ImportPages(
    kind=KIND, namespace="reports", name="external_import", noun="外部指标数值",
    breadcrumbs=(*CRUMBS, ("导入外部指标数值", None)), make_template=import_template, title="导入外部指标数值",
    back_url="reports:externals", back_label="外部指标", notes_template="reports/external/_import_notes.html",
    commit_note="每行一个指标在一个期间的数值；该期间已有数值的，以导入的数值替换。", roles=EDITOR_ROLES,
)


def _number(v):
    return f"{plain(v.value)} {v.indicator.unit}"


# --- the values ------------------------------------------------------------------------------------------------
# One column set for the export (numbers as numbers, the period in its parts, so that the file reads back).
EXPORT_FIELDS = [
    ("指标名称", lambda v: v.indicator.name),
    ("指标代码", lambda v: v.indicator.code),
    ("单位", lambda v: v.indicator.unit),
    ("期间", selectors.value_label),
    ("年份", lambda v: v.year),
    ("季度", lambda v: v.number if v.period_kind == "quarter" else None),
    ("月份", lambda v: v.number if v.period_kind == "month" else None),
    ("数值", lambda v: plain(v.value)),
    ("数据来源", lambda v: v.source),
    ("备注", lambda v: v.note),
    ("所属工商联", lambda v: v.federation.name),
    ("录入人", lambda v: str(v.entered_by) if v.entered_by_id else ""),
    ("录入时间", lambda v: v.entered_at.strftime("%Y-%m-%d %H:%M")),
]


def _filtered(request):
    """The search form and the values it finds; an invalid search finds nothing (the form says why)."""
    user = request.user
    selectors.external_values_visible_to(user)  # 403 first for a role outside the federation
    form = forms.ExternalValueSearchForm(request.GET or None, user=user)
    if form.is_bound and not form.is_valid():
        return form, ExternalValue.objects.none()
    return form, selectors.value_list(user, filters=form.filters() if form.is_bound else None)


@never_cache
@login_required
def value_list(request):
    user = request.user
    form, qs = _filtered(request)
    keeper = selectors.can_keep_externals(user)
    toolbar = []
    if keeper:
        toolbar += [Action("录入数值", reverse("reports:external_create"), "primary"),
                    Action("导入", reverse("reports:external_import"))]
    toolbar += [Action("指标管理", reverse("reports:indicators")), export_action(request, "reports:externals_export")]

    def actions(v):
        if not keeper:
            return []
        return [Action("编辑", reverse("reports:external_edit", args=[v.pk])),
                Action("删除", reverse("reports:external_delete", args=[v.pk]))]

    columns = [
        Column("指标", lambda v: v.indicator.name, link=lambda v: reverse("reports:figure", args=[v.indicator.key]),
               sort="indicator__order", wrap=True),
        Column("期间", selectors.value_label, sort="year"),
        Column("数值", _number),
        Column("数据来源", "source", wrap=True),
    ]
    if "federation" in form.fields:
        columns.append(Column("所属工商联", "federation.name", sort="federation_id"))
    columns += [
        Column("备注", "note", wrap=True),
        Column("录入人", lambda v: str(v.entered_by) if v.entered_by_id else None),
        Column("录入时间", lambda v: v.entered_at.strftime("%Y-%m-%d %H:%M"), sort="entered_at"),
    ]
    if form.is_bound and not form.is_valid():
        empty = "搜索条件有误：" + "；".join(str(e) for errors in form.errors.values() for e in errors)
    else:
        empty = "没有找到符合条件的外部指标数值" if request.GET else \
            "暂无外部指标数值：民营经济增加值、市场主体户数等由统计局、市场监管局发布的数据，请按期录入或导入。"
    page = ListPage(
        title="外部指标",
        breadcrumbs=[GROUP, ("外部指标", None)],
        search_form=form,
        toolbar=toolbar,
        columns=columns,
        row_actions=actions,
        empty_text=empty,
        default_sort="-year",
    )
    return render_list(request, page, qs)


@login_required
def value_export(request):
    form, qs = _filtered(request)
    if form.is_bound and not form.is_valid():  # nothing exported: back to the list, which shows the errors
        messages.error(request, "搜索条件有误，请修改后再导出。")
        return redirect(f"{reverse('reports:externals')}?{request.GET.urlencode()}")
    rows = [[get(v) for _, get in EXPORT_FIELDS]
            for v in qs.order_by("indicator__order", "indicator_id", "-year", "period_kind", "number", "id")]
    return audited_export(actor=request.user, title="外部指标数值", object_type="reports.externalvalue",
                          sheets=[("外部指标数值", [header for header, _ in EXPORT_FIELDS], rows)],
                          text_columns={"外部指标数值": ("指标代码",)},
                          detail={"rows": len(rows), "filters": request.GET.dict()})


def _save_value(user, value=None):
    return lambda form: services.save_external_value(actor=user, data=form.value_data(), value=value)


def _back(_obj=None):
    return reverse("reports:externals")


@staff_page
def value_edit(request, pk=None):
    user = request.user
    if pk is None:
        require_role(user, *EDITOR_ROLES)
        value = None
    else:
        value = get_visible_or_404(selectors.external_values_editable_by(user).select_related("indicator"), pk)
    form = forms.ExternalValueForm(request.POST or None, user=user, instance=value)
    intro = ("统计局、市场监管局等外部来源发布的数据，每个指标每个期间（年度、季度或月度）一个数值，注明数据来源；"
             "指标库、领导驾驶舱和年度工作报告引用这些数值并标注“外部数据”。")
    title = "录入外部指标数值" if value is None else "编辑外部指标数值"
    crumbs = [*CRUMBS, ("录入数值" if value is None else "编辑数值", None)]
    return edit_page(request, form=form, save=_save_value(user, value), then=_back, title=title, intro=intro,
                     subject=None if value is None else f"{value.indicator.name} {selectors.value_label(value)}",
                     breadcrumbs=crumbs, cancel_url=_back(), sections=forms.value_sections(form))


@staff_page
def value_delete(request, pk):
    user = request.user
    value = get_visible_or_404(selectors.external_values_editable_by(user).select_related("indicator"), pk)
    return delete_page(request, obj=value,
                       delete=lambda: services.delete_external_value(actor=user, value=value),
                       cancel_url=_back(), done_url=_back(), breadcrumbs=[*CRUMBS, ("删除数值", None)])


# --- the indicators --------------------------------------------------------------------------------------------
@never_cache
@login_required
def indicator_list(request):
    user = request.user
    qs = selectors.indicator_list(user)
    keeper = selectors.can_keep_indicators(user)
    toolbar = [Action("新增指标", reverse("reports:indicator_create"), "primary")] if keeper else []
    toolbar.append(Action("外部指标数值", reverse("reports:externals")))

    def values_url(i):
        return f"{reverse('reports:externals')}?{urlencode({'indicator': i.pk})}"

    def actions(i):
        row = [Action("查看数值", values_url(i))]
        if keeper:
            row.append(Action("编辑", reverse("reports:indicator_edit", args=[i.pk])))
        return row

    page = ListPage(
        title="外部指标管理",
        breadcrumbs=[*CRUMBS, ("指标管理", None)],
        toolbar=toolbar,
        columns=[
            Column("排序", "order", sort="order"),
            Column("指标名称", "name", link=values_url, sort="name", wrap=True),
            Column("指标代码", "code", sort="code"),
            Column("单位", "unit"),
            Column("口径", "definition", wrap=True),
            Column("默认数据来源", "source"),
            Column("已录入数值", "entered"),
            Column("状态", lambda i: "启用" if i.active else "停用",
                   tag=lambda i: "tag-success" if i.active else "tag-muted"),
        ],
        row_actions=actions,
        empty_text="暂无外部指标",
        default_sort="order",
    )
    return render_list(request, page, qs)


@staff_page
def indicator_edit(request, pk=None):
    user = request.user
    indicator = None if pk is None else get_visible_or_404(selectors.indicators_editable_by(user), pk)
    if pk is None:
        selectors.indicators_editable_by(user)  # 403 for a reader
    form = forms.IndicatorForm(request.POST or None, instance=indicator)
    intro = ("外部指标是平台不掌握原始记录、由工作人员按期录入的统计数据（如统计局发布的民营经济增加值）。"
             "指标为各级工商联共用，由系统管理员维护；指标代码创建后不能修改。")
    return edit_page(request, form=form,
                     save=lambda f: services.save_indicator(actor=user, data=f.indicator_data(), indicator=indicator),
                     then=lambda _obj: reverse("reports:indicators"),
                     title="新增外部指标" if indicator is None else "编辑外部指标", intro=intro,
                     subject=None if indicator is None else f"{indicator.name}（{indicator.code}）",
                     breadcrumbs=[*INDICATOR_CRUMBS, ("新增" if indicator is None else "编辑", None)],
                     cancel_url=reverse("reports:indicators"))
