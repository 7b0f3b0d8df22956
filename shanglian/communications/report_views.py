"""调研报告 pages: the list (search, filters, 新增/导出), one report's page (its topic, period and method, the surveys and
visits it drew on, where it went and the 批示 it received, its documents and 变更记录), 新增/编辑/删除 and a document's
download. The federation's roles read their federations' reports; the editors keep them, a leader reads; a chamber
secretary, a department, an enterprise and the auditor are refused (403); another federation's report is 404. Thin:
parse, call a selector or a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from shanglian.accounts.roles import EDITOR_ROLES, require_role
from shanglian.common.periods import day_text
from shanglian.common.records import history
from shanglian.common.uploads import download_response
from shanglian.imports.exports import audited_export
from shanglian.ui.listing import Action, Column, ListPage, export_action, render_list
from shanglian.ui.records import delete_page, edit_page, staff_page
from shanglian.ui.shortcuts import get_visible_or_404

from .forms import reports as forms
from .models import ResearchReport
from .selectors import reports as selectors
from .selectors.scopes import reports_visible_to
from .services import reports as services

GROUP = ("通知调研与宣传", None)
CRUMBS = [GROUP, ("调研报告", "communications:reports")]
HISTORY_ROWS = 50


def period_text(r):
    return f"{day_text(r.period_start)} 至 {day_text(r.period_end)}"


def submitted_text(r):
    if not r.submitted_to:
        return "未报送"
    return f"{r.get_submitted_to_display()} {day_text(r.submitted_on)}".strip()


def instruction_text(r):
    if not r.instructed:
        return ""
    return f"{r.instructed_by} {day_text(r.instructed_on)}".strip()


EXPORT_FIELDS = [
    ("报告标题", lambda r: r.title),
    ("调研主题", lambda r: r.topic),
    ("调研方式", lambda r: r.get_method_display()),
    ("调研开始", lambda r: day_text(r.period_start)),
    ("调研结束", lambda r: day_text(r.period_end)),
    ("依据问卷", lambda r: "、".join(s.title for s in r.surveys.all())),
    ("依据走访（次）", lambda r: len(r.visits.all())),
    ("报送对象", lambda r: r.get_submitted_to_display() if r.submitted_to else "未报送"),
    ("报送日期", lambda r: day_text(r.submitted_on)),
    ("获得批示", lambda r: "是" if r.instructed else "否"),
    ("批示领导", lambda r: r.instructed_by),
    ("批示日期", lambda r: day_text(r.instructed_on)),
    ("批示内容", lambda r: r.instruction),
    ("主要内容", lambda r: r.summary),
    ("所属工商联", lambda r: r.federation.name),
]


# --- the list ------------------------------------------------------------------------------------------------
def _filtered(request):
    user = request.user
    reports_visible_to(user)  # 403 before anything else for a role without 调研报告
    form = forms.ReportSearchForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return form, ResearchReport.objects.none()
    return form, selectors.report_list(user, filters=form.cleaned_data if form.is_bound else None)


def _empty_text(request, form):
    if form.is_bound and not form.is_valid():
        return "搜索条件有误：" + "；".join(str(e) for errors in form.errors.values() for e in errors)
    return "没有找到符合条件的调研报告" if request.GET else "暂无调研报告"


def _detail(r):
    return reverse("communications:report", args=[r.pk])


@never_cache
@login_required
def report_list(request):
    form, qs = _filtered(request)
    keeper = selectors.can_keep(request.user)
    toolbar = [Action("新增调研报告", reverse("communications:report_create"), "primary")] if keeper else []
    toolbar.append(export_action(request, "communications:reports_export"))

    def actions(r):
        shown = [Action("查看", _detail(r))]
        if keeper:
            shown.append(Action("编辑", reverse("communications:report_edit", args=[r.pk])))
        return shown

    page = ListPage(
        title="调研报告",
        breadcrumbs=[GROUP, ("调研报告", None)],
        search_form=form,
        toolbar=toolbar,
        columns=[
            Column("报告标题", "title", link=_detail, sort="title", wrap=True),
            Column("调研主题", "topic", wrap=True),
            Column("调研方式", "get_method_display", sort="method"),
            Column("调研期间", period_text, sort="period_end"),
            Column("报送", submitted_text, sort="submitted_on"),
            Column("批示", instruction_text, tag=lambda r: "tag-success" if r.instructed else "", sort="instructed_on"),
        ],
        row_actions=actions,
        empty_text=_empty_text(request, form),
        default_sort="-period_end",
    )
    return render_list(request, page, qs)


@login_required
def report_export(request):
    form, qs = _filtered(request)
    if form.is_bound and not form.is_valid():
        messages.error(request, "搜索条件有误，请修改后再导出。")
        return redirect(f"{reverse('communications:reports')}?{request.GET.urlencode()}")
    qs = qs.prefetch_related("surveys", "visits").order_by("-period_end", "-id")
    rows = [[get(r) for _, get in EXPORT_FIELDS] for r in qs]
    return audited_export(actor=request.user, title="调研报告", object_type="communications.researchreport",
                          sheets=[("调研报告", [header for header, _ in EXPORT_FIELDS], rows)],
                          detail={"rows": len(rows), "filters": request.GET.dict()})


# --- one report ----------------------------------------------------------------------------------------------
def _crumbs(report, *more):
    return [*CRUMBS, (report.title, None), *more]


@never_cache
@login_required
def report_detail(request, pk):
    user = request.user
    report = get_visible_or_404(reports_visible_to(user).select_related("federation", "created_by"), pk)
    keeper = selectors.can_keep(user)
    surveys, visits = selectors.report_sources(user, report)
    return render(request, "communications/reports/detail.html", {
        "report": report, "surveys": surveys, "visits": visits,
        "documents": selectors.report_documents(report),
        "can_edit": keeper,
        "history": history(report)[:HISTORY_ROWS],
        "breadcrumbs": _crumbs(report),
    })


def _save(user, report=None):
    def save(form):
        try:
            return services.save_report(actor=user, data=form.report_data(), report=report,
                                        files=form.cleaned_data.get("documents") or [],
                                        remove_documents=form.cleaned_data.get("remove_documents") or [])
        except ValidationError as exc:
            raise form.onto_fields(exc) from None

    return save


def _form(request, report=None):
    return forms.ReportForm(request.POST or None, request.FILES or None, user=request.user, instance=report)


@staff_page
def report_create(request):
    require_role(request.user, *EDITOR_ROLES)
    form = _form(request)
    return edit_page(request, form=form, save=_save(request.user), title="新增调研报告",
                     intro="登记调研的主题、期间和方式，所依据的问卷与走访，报送对象和获得的批示，并上传报告文件。",
                     breadcrumbs=[*CRUMBS, ("新增", None)], cancel_url=reverse("communications:reports"),
                     sections=forms.sections(form), multipart=True)


@staff_page
def report_edit(request, pk):
    report = get_visible_or_404(selectors.reports_editable_by(request.user), pk)
    form = _form(request, report)
    return edit_page(request, form=form, save=_save(request.user, report), title="编辑调研报告",
                     subject=report.title, breadcrumbs=_crumbs(report, ("编辑", None)),
                     cancel_url=report.get_absolute_url(), sections=forms.sections(form), multipart=True)


@staff_page
def report_delete(request, pk):
    report = get_visible_or_404(selectors.reports_editable_by(request.user), pk)
    return delete_page(request, obj=report,
                       delete=lambda: services.delete_report(actor=request.user, report=report),
                       along=("documents",), cancel_url=report.get_absolute_url(),
                       done_url=reverse("communications:reports"), breadcrumbs=_crumbs(report, ("删除", None)))


@login_required
def document_download(request, pk):
    """A report's document, only to users who read its report (404 otherwise, audited)."""
    document = get_visible_or_404(selectors.documents_visible_to(request.user), pk)
    return download_response(services.FOLDER, document)
