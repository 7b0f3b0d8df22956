"""Staff (service desk), department and chamber pages of appeals. Thin: parse, call a service or
selector, render. The enterprise's own pages are in h5_views.py."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from shanglian.accounts.roles import FEDERATION_ROLES, Role, require_role, role_of
from shanglian.common.uploads import download_response
from shanglian.imports.exports import audited_export
from shanglian.members.selectors import enterprises_visible_to
from shanglian.orgs.models import Department
from shanglian.ui.listing import Action, Column, ListPage, Tab, render_list
from shanglian.ui.shortcuts import get_visible_or_404

from . import forms, selectors, services
from .models import Assignment, Attachment, ExtensionRequest, Status

STATUS_TAGS = {
    Status.SUBMITTED: "tag-warning", Status.ACCEPTED: "tag-warning", Status.REJECTED: "tag-muted",
    Status.ASSIGNED: "tag-info", Status.HANDLING: "tag-info", Status.REPLIED: "tag-success",
    Status.REOPENED: "tag-danger", Status.CLOSED: "tag-muted",
}
LIST_ROLES = (*FEDERATION_ROLES, Role.CHAMBER, Role.DEPARTMENT)


def _departments_of(appeal):
    names = [a.department.name for a in appeal.assignments.all() if a.state != Assignment.State.RETURNED
             and a.round == appeal.reopen_count]
    return "、".join(dict.fromkeys(names)) or "—"


def _deadline_text(appeal):
    if appeal.deadline is None:
        return "—"
    text = f"{appeal.deadline:%Y-%m-%d}"
    if appeal.is_open and appeal.deadline < timezone.localdate():
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
    departments = None
    if role_of(user) in FEDERATION_ROLES:
        departments = Department.objects.filter(federation__in=_federations(user)).order_by("id")
    form = forms.AppealSearchForm(request.GET or None, departments=departments)
    filters = form.cleaned_data if form.is_valid() else {"queue": request.GET.get("queue", "all")}
    queue = filters.get("queue") or "all"
    if queue not in selectors.queues_for(user):
        queue = "all"
    filters["queue"] = queue
    qs = selectors.appeal_list(user, filters=filters).prefetch_related("assignments__department")
    return form, qs, queue


def _awaits(user, appeal):
    """Whether the appeal waits for this user's next step (the row says 办理, else 查看). Uses the
    prefetched assignments: no query per row."""
    role = role_of(user)
    if role in selectors.DESK_ROLES:
        return appeal.status in (Status.SUBMITTED, Status.ACCEPTED, Status.REPLIED)
    if role == Role.DEPARTMENT and appeal.status in (Status.ASSIGNED, Status.HANDLING, Status.REOPENED):
        return any(a.department_id == user.department_id and a.round == appeal.reopen_count
                   and a.state in (Assignment.State.ASSIGNED, Assignment.State.HANDLING)
                   for a in appeal.assignments.all())
    return False


def _federations(user):
    from shanglian.orgs.selectors import federation_ids_in_scope

    return federation_ids_in_scope(user)


@never_cache
@login_required
def appeal_list(request):
    if role_of(request.user) == Role.ENTERPRISE:
        return redirect("appeals:h5_home")
    require_role(request.user, *LIST_ROLES)
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
    if role_of(request.user) in selectors.DESK_ROLES:
        toolbar.append(Action("登记诉求", reverse("appeals:create"), "primary"))
    toolbar.append(Action("导出", reverse("appeals:export") + (f"?{request.GET.urlencode()}" if request.GET else "")))
    page = ListPage(
        title="诉求办理",
        breadcrumbs=[("诉求服务", None), ("诉求办理", None)],
        search_form=form,
        tabs=tabs,
        toolbar=toolbar,
        columns=[
            Column("诉求编号", "number", link=lambda a: reverse("appeals:detail", args=[a.pk]), sort="number"),
            Column("诉求标题", "title"),
            Column("企业", "enterprise.name"),
            Column("类别", "category.name"),
            Column("提交时间", lambda a: f"{timezone.localtime(a.submitted_at):%Y-%m-%d}", sort="submitted_at"),
            Column("承办部门", _departments_of),
            Column("办理期限", _deadline_text, sort="deadline",
                   tag=lambda a: "tag-danger" if a.is_open and a.deadline and a.deadline < timezone.localdate()
                   else ""),
            Column("状态", lambda a: a.get_status_display() + (" · 督办" if a.is_supervised else ""),
                   tag=lambda a: "tag-danger" if a.is_supervised and a.is_open else STATUS_TAGS.get(a.status, "")),
        ],
        row_actions=lambda a: [Action("办理" if _awaits(request.user, a) else "查看",
                                      reverse("appeals:detail", args=[a.pk]))],
        empty_text="暂无诉求",
        default_sort="-submitted_at",
    )
    return render_list(request, page, qs)


@login_required
def appeal_export(request):
    require_role(request.user, *LIST_ROLES)
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
    require_role(request.user, *selectors.DESK_ROLES)
    form = forms.AppealCreateForm(request.POST or None, request.FILES or None,
                                  enterprises=enterprises_visible_to(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            appeal = services.submit_appeal(
                actor=request.user, enterprise=data["enterprise"], category=data["category"], title=data["title"],
                content=data["content"], channel=data["channel"], urgency=data["urgency"],
                contact_name=data["contact_name"], source_note=data["source_note"], files=data["files"],
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


# --- actions on one appeal --------------------------------------------------------------------------
@dataclass(frozen=True)
class ActionSpec:
    label: str
    form: type
    run: object  # callable(actor, appeal, cleaned_data) -> appeal
    style: str = "default"
    confirm: str = ""


def _dispatch(actor, appeal, data):
    return services.dispatch_appeal(actor=actor, appeal=appeal, departments=list(data["departments"]),
                                    deadline=data["deadline"], note=data["note"])


ACTIONS = {
    "accept": ActionSpec("受理", forms.NoteForm, lambda u, a, d: services.accept_appeal(
        actor=u, appeal=a, note=d["note"]), "primary"),
    "reject": ActionSpec("不予受理", forms.ReasonForm, lambda u, a, d: services.reject_appeal(
        actor=u, appeal=a, reason=d["reason"]), confirm="确认不予受理该诉求？"),
    "dispatch": ActionSpec("派单", forms.DispatchForm, _dispatch, "primary"),
    "department_accept": ActionSpec("签收", forms.NoteForm, lambda u, a, d: services.department_accept(
        actor=u, appeal=a, note=d["note"]), "primary"),
    "return": ActionSpec("退回", forms.ReasonForm, lambda u, a, d: services.return_appeal(
        actor=u, appeal=a, reason=d["reason"]), confirm="确认退回该诉求？退回后由工商联重新派单。"),
    "request_extension": ActionSpec("申请延期", forms.ExtensionRequestForm, lambda u, a, d: services.request_extension(
        actor=u, appeal=a, days=d["days"], reason=d["reason"])),
    "decide_extension": ActionSpec("审批延期", forms.ExtensionDecisionForm, lambda u, a, d: services.decide_extension(
        actor=u, appeal=a, approve=d["decision"] == "approve", note=d["note"], request_id=d["request"]), "primary"),
    "reply": ActionSpec("答复", forms.ReplyForm, lambda u, a, d: services.reply_appeal(
        actor=u, appeal=a, reply=d["reply"], files=d["files"]), "primary"),
    "rate": ActionSpec("回访评价", forms.CallbackRatingForm, lambda u, a, d: services.rate_appeal(
        actor=u, appeal=a, rating=d["rating"], comment=d["comment"]), "primary"),
    "reopen": ActionSpec("重办", forms.ReasonForm, lambda u, a, d: services.reopen_appeal(
        actor=u, appeal=a, reason=d["reason"]), confirm="确认要求承办部门重办？"),
    "close": ActionSpec("办结", forms.ReasonForm, lambda u, a, d: services.close_appeal(
        actor=u, appeal=a, note=d["reason"]), confirm="确认办结该诉求？"),
    "supervise": ActionSpec("督办", forms.NoteForm, lambda u, a, d: services.supervise_appeal(
        actor=u, appeal=a, note=d["note"]), confirm="确认督办该诉求？将通知承办部门。"),
    "update_rights_case": ActionSpec("更新维权信息", forms.RightsCaseForm, lambda u, a, d: services.update_rights_case(
        actor=u, appeal=a, counterpart=d["counterpart"], amount_involved=d["amount_involved"],
        legal_aid_given=d["legal_aid_given"], mediation_result=d["mediation_result"])),
}


def _form_for(action, appeal, data=None, files=None):
    spec = ACTIONS[action]
    kwargs = {}
    initial = {}
    if action == "dispatch":
        kwargs["departments"] = Department.objects.filter(federation_id=appeal.federation_id,
                                                          is_active=True).order_by("id")
        initial["deadline"] = services.default_deadline(appeal.category).date
    if action == "decide_extension":
        kwargs["pending"] = list(ExtensionRequest.objects.filter(
            assignment__appeal=appeal, decision=ExtensionRequest.Decision.PENDING)
            .select_related("assignment__department").order_by("id"))
    if action == "update_rights_case":
        initial = {"counterpart": appeal.counterpart, "amount_involved": appeal.amount_involved,
                   "legal_aid_given": appeal.legal_aid_given, "mediation_result": appeal.mediation_result}
    if data is not None:
        return spec.form(data, files, **kwargs)
    return spec.form(initial=initial, **kwargs)


def _render_detail(request, appeal, bound=None, status=200):
    user = request.user
    actions = selectors.available_actions(user, appeal)
    panels = []
    for key in actions:
        form = bound[1] if bound and bound[0] == key else _form_for(key, appeal)
        spec = ACTIONS[key]
        panels.append({"key": key, "label": spec.label, "form": form, "style": spec.style, "confirm": spec.confirm,
                       "open": bool(bound and bound[0] == key),
                       "multipart": key == "reply",
                       "url": reverse("appeals:act", args=[appeal.pk, key])})
    assignments = appeal.assignments.select_related("department").order_by("round", "id")
    if role_of(user) == Role.DEPARTMENT:
        # A department sees its own part of the handling, not other departments' replies.
        assignments = assignments.filter(department_id=user.department_id)
    default = services.default_deadline(appeal.category) if "dispatch" in actions else None
    return render(request, "appeals/detail.html", {
        "appeal": appeal,
        "panels": panels,
        "assignments": assignments,
        "extensions": ExtensionRequest.objects.filter(assignment__in=assignments).select_related(
            "assignment__department").order_by("id"),
        "ratings": appeal.ratings.order_by("id"),
        "timeline": _timeline(user, appeal),
        "attachments": appeal.attachments.filter(timeline_entry__action="submit"),
        "days_left": selectors.working_days_left(appeal),
        "overdue": appeal.is_open and appeal.deadline is not None and appeal.deadline < timezone.localdate(),
        "default_deadline": default,
        "status_tag": STATUS_TAGS.get(appeal.status, ""),
        "breadcrumbs": [("诉求服务", None), ("诉求办理", "appeals:list"), (appeal.number, None)],
    }, status=status)


def _timeline(user, appeal):
    """The timeline with `shown` set on each entry: whether the user may read its note and attachments."""
    entries = list(appeal.timeline.select_related("department").prefetch_related("attachments"))
    for entry in entries:
        entry.shown = selectors.note_visible(user, entry)
    return entries


@never_cache
@login_required
def appeal_detail(request, pk):
    if role_of(request.user) == Role.ENTERPRISE:
        return redirect("appeals:h5_detail", pk=pk)
    require_role(request.user, *LIST_ROLES)
    appeal = get_visible_or_404(selectors.appeals_visible_to(request.user), pk)
    return _render_detail(request, appeal)


@never_cache
@login_required
@require_POST
def appeal_act(request, pk, action):
    """One transition from the detail page; on bad input the page comes back with the form as typed."""
    appeal = get_visible_or_404(selectors.appeals_visible_to(request.user), pk)
    if action not in ACTIONS:
        raise Http404("没有这个操作。")
    form = _form_for(action, appeal, request.POST, request.FILES)
    if form.is_valid():
        try:
            ACTIONS[action].run(request.user, appeal, form.cleaned_data)
        except services.TransitionRefused as exc:
            messages.error(request, exc.message)
            return redirect("appeals:detail", pk=appeal.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
        except PermissionDenied:
            raise
        else:
            messages.success(request, f"{ACTIONS[action].label}成功。")
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
