"""入会申请 pages (staff): the list (search, filters, 导出), one application's page (the 入会申请表 as filled in, its
files, the decision, 批准入会 / 不予通过 from `APPLICATION_FLOW`, 变更记录) and the files' download. The federation
reads its federations' applications, a chamber secretary those naming its chamber; the editors decide. An
enterprise applies and follows its applications on its phone (`h5_views`). Thin: parse, call a selector or a
service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from shanglian.accounts.roles import EDITOR_ROLES, MEMBER_READER_ROLES, require_role, role_of
from shanglian.common.errors import Refused
from shanglian.common.masking import mask_mobile
from shanglian.common.records import history
from shanglian.common.uploads import download_response
from shanglian.common.workflow import service_kwargs
from shanglian.imports.exports import audited_export
from shanglian.members.selectors import enterprises_visible_to
from shanglian.ui.listing import Action, Column, ListPage, export_action, render_list
from shanglian.ui.shortcuts import get_visible_or_404

from .forms.applications import ApplicationSearchForm
from .models import ApplicationAttachment, MembershipApplication
from .selectors import applications as selectors
from .selectors.scopes import applications_visible_to
from .services import applications as services
from .workflow import APPLICATION_FLOW

A = MembershipApplication.Status
STATUS_TAGS = {A.SUBMITTED: "tag-warning", A.APPROVED: "tag-success", A.REFUSED: "tag-danger",
               A.WITHDRAWN: "tag-muted"}
CRUMBS = [("会员发展与服务", None), ("入会申请", "growth:applications")]
HISTORY_ROWS = 50


def _day(value):
    return f"{value:%Y-%m-%d}" if value else ""


def _moment(value):
    from django.utils import timezone

    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value else ""


# One column set for the export (the page shows the short ones). The contact mobile is not exported.
LIST_FIELDS = [
    ("申请编号", lambda a: a.number),
    ("企业名称", lambda a: a.enterprise_name),
    ("统一社会信用代码", lambda a: a.uscc),
    ("法定代表人", lambda a: a.legal_representative),
    ("所属行业", lambda a: str(a.industry) if a.industry_id else ""),
    ("企业地址", lambda a: a.address),
    ("成立日期", lambda a: _day(a.founded)),
    ("从业人数", lambda a: a.employees if a.employees is not None else ""),
    ("注册资本（万元）", lambda a: a.registered_capital if a.registered_capital is not None else ""),
    ("上年营业收入（万元）", lambda a: a.annual_revenue if a.annual_revenue is not None else ""),
    ("主营产品（服务）", lambda a: a.main_products),
    ("联系人", lambda a: a.contact_name),
    ("同时申请加入商会", lambda a: a.chamber.name if a.chamber_id else ""),
    ("推荐单位或推荐人", lambda a: a.recommender),
    ("状态", lambda a: a.get_status_display()),
    ("提交时间", lambda a: _moment(a.submitted_at)),
    ("审核人", lambda a: str(a.decided_by) if a.decided_by_id else ""),
    ("审核时间", lambda a: _moment(a.decided_at)),
    ("未通过原因", lambda a: a.refusal_reason),
    ("所属工商联", lambda a: a.federation.name),
]


def _filtered(request):
    """The search form and the applications it finds; an invalid search finds nothing (the form says why)."""
    user = request.user
    require_role(user, *MEMBER_READER_ROLES)
    form = ApplicationSearchForm(request.GET or None, user=user)
    if form.is_bound and not form.is_valid():
        return form, MembershipApplication.objects.none()
    return form, selectors.application_list(user, filters=form.filters() if form.is_bound else {})


def _empty_text(request, form):
    if form.is_bound and not form.is_valid():
        return "搜索条件有误：" + "；".join(str(e) for errors in form.errors.values() for e in errors)
    return "没有找到符合条件的入会申请" if request.GET else "暂无入会申请（企业在手机端“我的—申请入会”中提交）"


@never_cache
@login_required
def application_list(request):
    form, qs = _filtered(request)

    def detail(a):
        return reverse("growth:application", args=[a.pk])

    page = ListPage(
        title="入会申请", breadcrumbs=[("会员发展与服务", None), ("入会申请", None)], search_form=form,
        toolbar=[export_action(request, "growth:applications_export")],
        columns=[
            Column("申请编号", "number", link=detail, sort="number"),
            Column("企业名称", "enterprise_name", link=detail, wrap=True),
            Column("申请加入商会", lambda a: a.chamber.name if a.chamber_id else None),
            Column("状态", "get_status_display", tag=lambda a: STATUS_TAGS.get(a.status, ""), sort="status"),
            Column("提交时间", lambda a: _moment(a.submitted_at), sort="submitted_at"),
            Column("审核时间", lambda a: _moment(a.decided_at) or None),
        ],
        row_actions=lambda a: [Action("查看", detail(a))],
        empty_text=_empty_text(request, form), default_sort="-submitted_at",
    )
    return render_list(request, page, qs)


@login_required
def application_export(request):
    form, qs = _filtered(request)
    if form.is_bound and not form.is_valid():  # nothing exported: back to the list, which shows the errors
        messages.error(request, "搜索条件有误，请修改后再导出。")
        return redirect(f"{reverse('growth:applications')}?{request.GET.urlencode()}")
    rows = [[get(a) for _, get in LIST_FIELDS] for a in qs.order_by("-submitted_at", "-id")]
    return audited_export(actor=request.user, title="入会申请清单", object_type="growth.membershipapplication",
                          sheets=[("入会申请", [h for h, _ in LIST_FIELDS], rows)],
                          detail={"rows": len(rows), "filters": request.GET.dict()})


# --- one application ------------------------------------------------------------------------------------------
def _buttons(request, application, bound=None):
    """The workflow's buttons the user may press now (批准入会, 不予通过), each with its form when it has one."""
    buttons = []
    for t in APPLICATION_FLOW.available(request.user, application, role=role_of(request.user)):
        chosen = bound is not None and bound[0] == t.name
        form = (bound[1] if chosen else t.form_class(user=request.user)) if t.form else None
        buttons.append({"name": t.name, "label": t.label, "form": form, "style": t.meta.get("style", "default"),
                        "confirm": t.meta.get("confirm", ""), "open": chosen,
                        "url": reverse("growth:application_transition", args=[application.pk, t.url_part])})
    return buttons


def _render_detail(request, application, *, bound=None, status=200):
    user = request.user
    editor = role_of(user) in EDITOR_ROLES
    return render(request, "growth/applications/detail.html", {
        "application": application,
        "status_tag": STATUS_TAGS.get(application.status, ""),
        "contact_mobile": application.contact_mobile if editor else mask_mobile(application.contact_mobile),
        "attachments": selectors.attachments_of(application),
        "enterprise_visible": enterprises_visible_to(user).filter(pk=application.enterprise_id).exists(),
        "buttons": _buttons(request, application, bound) if editor else [],
        "history": history(application)[:HISTORY_ROWS],
        "breadcrumbs": [*CRUMBS, (application.number, None)],
    }, status=status)


def _visible(user):
    require_role(user, *MEMBER_READER_ROLES)
    return applications_visible_to(user).select_related("federation", "decided_by", "membership", "prospect")


@never_cache
@login_required
def application_detail(request, pk):
    application = get_visible_or_404(_visible(request.user), pk)
    return _render_detail(request, application)


@never_cache
@login_required
@require_POST
def application_transition(request, pk, action):
    """One row of APPLICATION_FLOW (批准入会, 不予通过) from the application's page; editors only."""
    require_role(request.user, *EDITOR_ROLES)
    application = get_visible_or_404(_visible(request.user), pk)
    transition = next((t for t in APPLICATION_FLOW if not t.creates and t.url_part == action
                       and role_of(request.user) in t.roles), None)
    if transition is None:
        raise Http404("没有这个操作。")
    form = transition.form_class(request.POST, user=request.user) if transition.form else None
    if form is not None and not form.is_valid():
        return _render_detail(request, application, bound=(transition.name, form), status=400)
    try:
        APPLICATION_FLOW.run(transition.name, actor=request.user, obj=application,
                             data=service_kwargs(form) if form is not None else {})
    except Refused as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        if form is None:
            messages.error(request, "；".join(exc.messages))
        else:
            form.add_error(None, exc)
            application.refresh_from_db()
            return _render_detail(request, application, bound=(transition.name, form), status=400)
    else:
        messages.success(request, f"{transition.label}成功，已通知申请企业。")
    return redirect(application)


@never_cache
@login_required
def attachment_download(request, pk):
    """An application's file, after the scope check (the staff who see the application, the applicant's
    enterprise; another scope's: 404, audited)."""
    attachment = get_visible_or_404(ApplicationAttachment.objects.filter(
        application__in=applications_visible_to(request.user).values("pk")), pk)
    return download_response(services.ATTACHMENT_FOLDER, attachment)
