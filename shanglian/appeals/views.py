"""Staff (service desk), department and chamber pages of appeals. Thin: parse, call a service or
selector, render. The enterprise's own pages are in h5_views.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from shanglian.accounts.roles import EDITOR_ROLES, READER_ROLES, Role, require_role, role_of
from shanglian.audit.models import AuditAction
from shanglian.audit.services import record
from shanglian.common.errors import Refused
from shanglian.common.masking import mask
from shanglian.common.uploads import download_response
from shanglian.common.workflow import service_kwargs
from shanglian.imports.exports import audited_export
from shanglian.members.selectors import can_view_pii
from shanglian.ui.listing import Action, Column, ListPage, Tab, export_action, render_list
from shanglian.ui.sections import sections_for
from shanglian.ui.shortcuts import get_visible_or_404

from . import forms, selectors, services
from .models import Attachment, Status
from .workflow import APPEAL_FLOW

# The desk's common path, offered from the queue as well as on the detail page.
ONE_STEP = "accept_dispatch"

STATUS_TAGS = {
    Status.SUBMITTED: "tag-warning", Status.ACCEPTED: "tag-warning", Status.REJECTED: "tag-muted",
    Status.ASSIGNED: "tag-info", Status.HANDLING: "tag-info", Status.REPLIED: "tag-success",
    Status.REOPENED: "tag-danger", Status.CLOSED: "tag-muted",
}


def _departments_of(appeal):
    names = [a.department.name for a in appeal.assignments.all() if a.is_current]
    return "、".join(dict.fromkeys(names)) or "—"


def _deadline_text(appeal):
    if appeal.deadline is None:
        return "—"
    text = f"{appeal.deadline:%Y-%m-%d}"
    if appeal.is_overdue:
        text += "（已超期）"
    return text


# One column set for the list and the export.
LIST_FIELDS = [
    ("诉求编号", lambda a: a.number),
    ("诉求标题", lambda a: a.title),
    ("企业", lambda a: a.enterprise.name),
    ("类别", lambda a: a.category.name),
    ("来源渠道", lambda a: a.get_channel_display()),
    ("提交时间", lambda a: f"{timezone.localtime(a.submitted_at):%Y-%m-%d %H:%M}"),
    ("承办部门", _departments_of),
    ("办理期限", _deadline_text),
    ("状态", lambda a: a.get_status_display() + ("（督办）" if a.is_supervised else "")),
    ("评价", lambda a: a.get_rating_display() or "—"),
]


def _filtered(request):
    user = request.user
    form = forms.AppealSearchForm(request.GET or None, departments=selectors.filter_departments(user))
    filters = form.cleaned_data if form.is_valid() else {"queue": request.GET.get("queue", "all")}
    queue = filters.get("queue") or "all"
    if queue not in selectors.queues_for(user):
        queue = "all"
    filters["queue"] = queue
    qs = selectors.appeal_list(user, filters=filters).prefetch_related("assignments__department")
    return form, qs, queue


def _row_actions(user, appeal):
    """办理/查看; on an appeal awaiting acceptance, the desk's common path 受理并派单 opens the detail
    page with that one form open (the table decides, without a query)."""
    url = reverse("appeals:detail", args=[appeal.pk])
    actions = [Action("办理" if selectors.awaits(user, appeal) else "查看", url)]
    if APPEAL_FLOW.allows(ONE_STEP, appeal, role=role_of(user)):
        actions.insert(0, Action(APPEAL_FLOW.label(ONE_STEP), f"{url}?do={ONE_STEP}#act-{ONE_STEP}", "primary"))
    return actions


@never_cache
@login_required
def appeal_list(request):
    if role_of(request.user) == Role.ENTERPRISE:
        return redirect("appeals:h5_home")
    require_role(request.user, *READER_ROLES)
    form, qs, queue = _filtered(request)
    counts = selectors.queue_counts(request.user)
    tabs = []
    base = request.GET.copy()
    for key, label in selectors.queues_for(request.user).items():
        base["queue"] = key
        base.pop("page", None)
        tabs.append(Tab(label, f"?{base.urlencode()}", counts.get(key), key == queue,
                        "danger" if key == "overdue" else ""))
    toolbar = []
    if role_of(request.user) in EDITOR_ROLES:
        toolbar.append(Action("登记诉求", reverse("appeals:create"), "primary"))
    toolbar.append(export_action(request, "appeals:export"))
    page = ListPage(
        title="诉求办理",
        breadcrumbs=[("诉求服务", None), ("诉求办理", None)],
        search_form=form,
        tabs=tabs,
        toolbar=toolbar,
        columns=[
            Column("诉求编号", "number", link=lambda a: reverse("appeals:detail", args=[a.pk]), sort="number"),
            Column("诉求标题", "title", wrap=True),
            Column("企业", "enterprise.name"),
            Column("类别", "category.name"),
            Column("提交时间", lambda a: f"{timezone.localtime(a.submitted_at):%Y-%m-%d}", sort="submitted_at"),
            Column("承办部门", _departments_of),
            Column("办理期限", _deadline_text, sort="deadline",
                   tag=lambda a: "tag-danger" if a.is_overdue else ""),
            Column("状态", lambda a: a.get_status_display() + (" · 督办" if a.is_supervised else ""),
                   tag=lambda a: "tag-danger" if a.is_supervised and a.is_open else STATUS_TAGS.get(a.status, "")),
        ],
        row_actions=lambda a: _row_actions(request.user, a),
        empty_text="暂无诉求",
        default_sort="-submitted_at",
    )
    return render_list(request, page, qs)


@login_required
def appeal_export(request):
    require_role(request.user, *READER_ROLES)
    form, qs, queue = _filtered(request)
    rows = [[get(a) for _, get in LIST_FIELDS] for a in qs.order_by("-submitted_at", "-id")]
    return audited_export(
        actor=request.user, title="诉求办理清单",
        sheets=[("诉求", [h for h, _ in LIST_FIELDS], rows)],
        object_type="appeals.appeal", detail={"rows": len(rows), "queue": queue, "filters": request.GET.dict()},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def appeal_create(request):
    """The desk registers an appeal taken by phone, visit, event or letter."""
    require_role(request.user, *EDITOR_ROLES)
    form = forms.AppealCreateForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            appeal = services.submit_appeal(
                actor=request.user, enterprise=data["enterprise"], category=data["category"], title=data["title"],
                content=data["content"], channel=data["channel"], urgency=data["urgency"],
                contact_name=data["contact_name"], contact_mobile=data["contact_mobile"],
                source_note=data["source_note"], files=data["files"],
                rights=services.RightsCase(counterpart=data["counterpart"],
                                           amount_involved=data["amount_involved"]),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"登记成功，诉求编号 {appeal.number}。")
            return redirect("appeals:detail", pk=appeal.pk)
    return render(request, "appeals/create.html", {
        "form": form,
        "breadcrumbs": [("诉求服务", None), ("诉求办理", "appeals:list"), ("登记诉求", None)],
    }, status=400 if request.method == "POST" else 200)


# --- actions on one appeal: the rows of workflow.APPEAL_FLOW --------------------------------------
def _form_for(action, appeal, data=None, files=None):
    form_class = APPEAL_FLOW[action].form_class
    kwargs = {}
    initial = {}
    if issubclass(form_class, forms.DispatchForm):  # 派单, and 受理并派单 with the same form
        kwargs["departments"] = selectors.dispatchable_departments(appeal)
        kwargs["suggested"] = selectors.usual_departments(appeal)
        initial["deadline"] = selectors.default_deadline(appeal.category).date
    if action == "decide_extension":
        kwargs["pending"] = list(appeal.pending_extensions())
    if action == "update_rights_case":
        initial = {"counterpart": appeal.counterpart, "amount_involved": appeal.amount_involved,
                   "legal_aid_given": appeal.legal_aid_given, "mediation_result": appeal.mediation_result}
    if data is not None:
        return form_class(data, files, **kwargs)
    return form_class(initial=initial, **kwargs)


def _button(action):
    transition = APPEAL_FLOW[action]
    return transition.meta.get("button", transition.label)


def _contact_mobile(request, appeal):
    """联系电话 as the user may see it: masked (`common.masking`), in full only to a PII reader who
    asks (`?pii=1`), which is audited like every reveal."""
    revealed = bool(appeal.contact_mobile) and request.GET.get("pii") == "1" and can_view_pii(request.user)
    if revealed:
        record(AuditAction.PII_VIEW, actor=request.user, obj=appeal,
               detail={"fields": ["contact_mobile"], "purpose": "诉求办理"})
    return {"text": appeal.contact_mobile if revealed else mask("mobile", appeal.contact_mobile),
            "revealed": revealed, "can_reveal": bool(appeal.contact_mobile) and can_view_pii(request.user)}


def _render_detail(request, appeal, bound=None, status=200):
    detail = selectors.appeal_detail(request.user, appeal)
    wanted = bound[0] if bound else request.GET.get("do")
    panels = []
    for key in detail.actions:
        form = bound[1] if bound and bound[0] == key else _form_for(key, appeal)
        meta = APPEAL_FLOW[key].meta
        panels.append({"key": key, "label": _button(key), "form": form, "style": meta.get("style", "default"),
                       "confirm": meta.get("confirm", ""), "open": key == wanted,
                       "multipart": form.is_multipart(), "dispatch": isinstance(form, forms.DispatchForm),
                       "url": reverse("appeals:act", args=[appeal.pk, key])})
    return render(request, "appeals/detail.html", {
        "appeal": appeal,
        "panels": panels,
        "assignments": detail.assignments,
        "extensions": detail.extensions,
        "ratings": detail.ratings,
        "timeline": detail.timeline,
        "attachments": detail.attachments,
        "days_left": detail.days_left,
        "overdue": detail.overdue,
        "default_deadline": detail.default_deadline,
        "status_tag": STATUS_TAGS.get(appeal.status, ""),
        "contact_mobile": _contact_mobile(request, appeal),
        "sections": sections_for("appeal", request.user, appeal),  # e.g. 来源活动, from events
        "breadcrumbs": [("诉求服务", None), ("诉求办理", "appeals:list"), (appeal.number, None)],
    }, status=status)


@never_cache
@login_required
def appeal_detail(request, pk):
    if role_of(request.user) == Role.ENTERPRISE:
        return redirect("appeals:h5_detail", pk=pk)
    require_role(request.user, *READER_ROLES)
    appeal = get_visible_or_404(selectors.appeals_visible_to(request.user), pk)
    return _render_detail(request, appeal)


@never_cache
@login_required
@require_POST
def appeal_act(request, pk, action):
    """One transition from the detail page; on bad input the page comes back with the form as typed."""
    appeal = get_visible_or_404(selectors.appeals_visible_to(request.user), pk)
    if action not in APPEAL_FLOW or APPEAL_FLOW[action].form is None:
        raise Http404("没有这个操作。")
    form = _form_for(action, appeal, request.POST, request.FILES)
    if form.is_valid():
        try:
            APPEAL_FLOW.run(action, actor=request.user, obj=appeal, data=service_kwargs(form))
        except Refused as exc:
            messages.error(request, exc.message)
            return redirect("appeals:detail", pk=appeal.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
        except PermissionDenied:
            raise
        else:
            messages.success(request, f"{_button(action)}成功。")
            return redirect("appeals:detail", pk=appeal.pk)
    appeal.refresh_from_db()
    return _render_detail(request, appeal, bound=(action, form), status=400)


@login_required
def attachment_download(request, pk):
    """An attachment, only to users who may see its appeal (404 otherwise, audited)."""
    attachment = get_object_or_404(Attachment.objects.select_related("appeal", "timeline_entry"), pk=pk)
    get_visible_or_404(selectors.appeals_visible_to(request.user), attachment.appeal_id)
    if not selectors.attachment_visible(request.user, attachment):  # another department's reply
        raise Http404("您访问的附件不存在或无权查看。")
    return download_response(services.ATTACHMENT_FOLDER, attachment)


# --- 打印/导出 one appeal: the same content, scoped like the detail page ----------------------------
def _record(request, pk):
    """The appeal (404 outside the user's scope, audited) as this user may see it; the contact mobile
    masked unless a PII reader asks for it (`?pii=1`, audited)."""
    if role_of(request.user) != Role.ENTERPRISE:
        require_role(request.user, *READER_ROLES)
    appeal = get_visible_or_404(selectors.appeals_visible_to(request.user), pk)
    mobile = _contact_mobile(request, appeal)
    return selectors.appeal_record(request.user, appeal, contact_mobile=mobile["text"]), mobile["revealed"]


@never_cache
@login_required
def appeal_print(request, pk):
    """A print-friendly page of one appeal with its full timeline (print CSS; 打印 opens the dialog)."""
    record_, _ = _record(request, pk)
    back = "appeals:h5_detail" if role_of(request.user) == Role.ENTERPRISE else "appeals:detail"
    return render(request, "appeals/print.html", {"record": record_, "back_url": reverse(back, args=[pk])})


@login_required
def appeal_export_one(request, pk):
    """The same content as an xlsx through the one export pipeline (audited): sheet 诉求信息 and one
    sheet per table of the print page."""
    record_, revealed = _record(request, pk)
    appeal = record_.appeal
    sheets = [("诉求信息", ["项目", "内容"], [list(pair) for pair in record_.fields])]
    sheets += [(t.title, t.headers, t.rows) for t in record_.tables]
    return audited_export(actor=request.user, title=f"诉求{appeal.number}", sheets=sheets,
                          object_type="appeals.appeal",
                          detail={"appeal": appeal.pk, "number": appeal.number, "pii": revealed})
