"""Pages of 服务企业（双万双服）: which enterprises are enrolled in a service programme, by whom, since when, their
liaison — the list with its filters and 导出 (`audited_export`), one enrollment's page, 纳入/编辑/退出/删除 and the
import from Excel. Thin: parse, call a selector or a service, render.

Readers: the federation's roles (their federations' enrollments) and a chamber secretary (its active member
enterprises'); department, enterprise and auditor 403 (`scopes.enrollments_visible_to`). Writers: the editors
(`selectors.enrollments.enrollments_editable_by`); a leader and a chamber secretary read only; another scope's
enrollment is 404.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from shanglian.accounts.roles import EDITOR_ROLES
from shanglian.common.periods import day_text
from shanglian.common.records import history
from shanglian.common.validators import is_id
from shanglian.imports.exports import audited_export
from shanglian.imports.pages import ImportPages
from shanglian.ui.listing import Action, Column, ListPage, export_action, render_list
from shanglian.ui.records import delete_page, edit_page, staff_page
from shanglian.ui.shortcuts import get_visible_or_404

from .enrollment_imports import KIND, import_template
from .forms import enrollments as forms
from .selectors import enrollments as selectors
from .selectors.scopes import enrollments_visible_to
from .services import enrollments as services

GROUP = ("会员发展与服务", None)
CRUMBS = [GROUP, ("服务企业", "growth:enrollments")]
HISTORY_ROWS = 50
STATUS_TAGS = {"服务中": "tag-success", "未开始": "tag-info", "已退出": "tag-muted"}

IMPORT_PAGES = ImportPages(
    kind=KIND, namespace="growth", name="enrollment_import", noun="服务企业",
    breadcrumbs=(*CRUMBS, ("导入服务企业", None)), make_template=import_template, title="导入服务企业",
    back_url="growth:enrollments", back_label="服务企业", notes_template="growth/enrollments/_import_notes.html",
    commit_note="每行纳入一家企业；同一企业同一服务项目已在服务中的不再重复纳入。", roles=EDITOR_ROLES,
)


def _liaison(e):
    return (e.liaison.display_name or e.liaison.username) if e.liaison_id else ""


EXPORT_FIELDS = [
    ("企业名称", lambda e, on: e.enterprise.name),
    ("统一社会信用代码", lambda e, on: e.enterprise.uscc),
    ("所在街道", lambda e, on: str(e.enterprise.street) if e.enterprise.street_id else ""),
    ("服务项目", lambda e, on: e.programme.label),
    ("纳入日期", lambda e, on: day_text(e.enrolled_on)),
    ("退出日期", lambda e, on: day_text(e.ended_on)),
    ("状态", lambda e, on: selectors.status_of(e, on)),
    ("联络员", lambda e, on: _liaison(e)),
    ("纳入人", lambda e, on: e.enrolled_by.display_name or e.enrolled_by.username),
    ("所属工商联", lambda e, on: e.federation.name),
    ("备注", lambda e, on: e.note),
]


def _enrollments(request):
    user = request.user
    enrollments_visible_to(user)  # 403 before anything else for a role without 服务企业
    form = forms.EnrollmentSearchForm(request.GET or None, user=user)
    data = form.cleaned_data if form.is_valid() else {}
    on = data.get("on") or timezone.localdate()
    return form, on, selectors.enrollment_list(user, filters=data, on=on)


@never_cache
@login_required
def enrollment_list(request):
    form, on, qs = _enrollments(request)
    editor = selectors.is_editor(request.user)
    toolbar = []
    if editor:
        toolbar = [Action("纳入企业", reverse("growth:enrollment_create"), "primary"),
                   Action("导入", reverse("growth:enrollment_import"))]
    toolbar.append(export_action(request, "growth:enrollments_export"))

    def detail(e):
        return reverse("growth:enrollment", args=[e.pk])

    def actions(e):
        shown = [Action("查看", detail(e))]
        if editor:
            shown.append(Action("编辑", reverse("growth:enrollment_edit", args=[e.pk])))
        return shown

    page = ListPage(
        title="服务企业",
        breadcrumbs=[GROUP, ("服务企业", None)],
        search_form=form,
        toolbar=toolbar,
        columns=[
            Column("企业名称", "enterprise.name", link=detail, sort="enterprise__name", wrap=True),
            Column("服务项目", "programme.label"),
            Column("纳入日期", lambda e: day_text(e.enrolled_on), sort="enrolled_on"),
            Column("退出日期", lambda e: day_text(e.ended_on) or None, sort="ended_on"),
            Column("状态", lambda e: selectors.status_of(e, on), tag=lambda e: STATUS_TAGS[selectors.status_of(e, on)]),
            Column("联络员", lambda e: _liaison(e) or None),
            Column("所在街道", lambda e: str(e.enterprise.street) if e.enterprise.street_id else None),
        ],
        row_actions=actions,
        empty_text="没有找到符合条件的服务企业" if request.GET else "暂无服务企业",
        default_sort="-enrolled_on",
    )
    return render_list(request, page, qs)


@login_required
def enrollment_export(request):
    _form, on, qs = _enrollments(request)
    rows = [[get(e, on) for _, get in EXPORT_FIELDS] for e in qs.order_by("-enrolled_on", "-id")]
    return audited_export(actor=request.user, title="服务企业", object_type="growth.serviceenrollment",
                          sheets=[("服务企业", [header for header, _ in EXPORT_FIELDS], rows)],
                          detail={"rows": len(rows), "filters": request.GET.dict(), "on": on.isoformat()})


@never_cache
@login_required
def enrollment_detail(request, pk):
    user = request.user
    enrollment = get_visible_or_404(enrollments_visible_to(user), pk)
    today = timezone.localdate()
    editor = selectors.is_editor(user)
    status = selectors.status_of(enrollment, today)
    others = selectors.enterprise_enrollments(user, enrollment.enterprise).exclude(pk=enrollment.pk)
    return render(request, "growth/enrollments/detail.html", {
        "enrollment": enrollment, "status": status, "status_tag": STATUS_TAGS[status], "liaison": _liaison(enrollment),
        "others": [(other, selectors.status_of(other, today)) for other in others],
        "edit_url": reverse("growth:enrollment_edit", args=[pk]) if editor else "",
        "end_url": reverse("growth:enrollment_end", args=[pk]) if editor and enrollment.ended_on is None else "",
        "delete_url": reverse("growth:enrollment_delete", args=[pk]) if editor else "",
        "enterprise_url": reverse("members:enterprise_detail", args=[enrollment.enterprise_id]),
        "history": list(history(enrollment)[:HISTORY_ROWS]) if editor else None,
        "breadcrumbs": [*CRUMBS, (enrollment.enterprise.name, None)],
    })


def _save(user, enrollment=None):
    def save(form):
        data = form.cleaned_data
        return services.save_enrollment(
            actor=user, enrollment=enrollment, enterprise=data["enterprise"], programme=data["programme"],
            enrolled_on=data["enrolled_on"], ended_on=enrollment.ended_on if enrollment else None,
            liaison=data["liaison"], note=data["note"])
    return save


@staff_page
def enrollment_create(request):
    selectors.enrollments_editable_by(request.user)  # 403 for a reader
    initial = {}
    if is_id(request.GET.get("enterprise", "")):
        initial["enterprise"] = int(request.GET["enterprise"])
    form = forms.EnrollmentForm(request.POST or None, user=request.user, initial=initial)
    return edit_page(request, form=form, save=_save(request.user), title="纳入服务企业",
                     intro="把企业纳入服务项目（如“双万双服”），并指定联系服务它的联络员；同一企业同一项目同时只能有一条服务中的记录。",
                     breadcrumbs=[*CRUMBS, ("纳入企业", None)], cancel_url=reverse("growth:enrollments"))


@staff_page
def enrollment_edit(request, pk):
    enrollment = get_visible_or_404(selectors.enrollments_editable_by(request.user), pk)
    form = forms.EnrollmentForm(request.POST or None, user=request.user, instance=enrollment)
    return edit_page(request, form=form, save=_save(request.user, enrollment), title="编辑服务企业",
                     subject=str(enrollment), breadcrumbs=[*CRUMBS, (enrollment.enterprise.name, None), ("编辑", None)],
                     cancel_url=enrollment.get_absolute_url())


@staff_page
def enrollment_end(request, pk):
    enrollment = get_visible_or_404(selectors.enrollments_editable_by(request.user), pk)
    form = forms.EndForm(request.POST or None, initial={"ended_on": timezone.localdate()})
    return edit_page(request, form=form, submit_label="确认退出",
                     save=lambda f: services.end_enrollment(actor=request.user, enrollment=enrollment,
                                                            ended_on=f.cleaned_data["ended_on"]),
                     title="退出服务项目", subject=str(enrollment),
                     intro="企业不再纳入该服务项目时办理退出；记录保留，统计按退出日期计算。",
                     breadcrumbs=[*CRUMBS, (enrollment.enterprise.name, None), ("退出", None)],
                     cancel_url=enrollment.get_absolute_url())


@staff_page
def enrollment_delete(request, pk):
    enrollment = get_visible_or_404(selectors.enrollments_editable_by(request.user), pk)
    return delete_page(request, obj=enrollment,
                       delete=lambda: services.delete_enrollment(actor=request.user, enrollment=enrollment),
                       cancel_url=enrollment.get_absolute_url(), done_url=reverse("growth:enrollments"),
                       breadcrumbs=[*CRUMBS, (enrollment.enterprise.name, None), ("删除", None)])
