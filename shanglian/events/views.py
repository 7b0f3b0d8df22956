"""Staff, leader and chamber pages of events (活动): the list and its export, 新增/编辑, the event's page with its
workflow buttons, materials and figures, 邀请, the invitations (请柬) with their export, cancel, an RSVP taken
by phone and the printable 请柬, and 登记诉求 at a 恳谈会/早餐会/座谈会. Thin: parse, call a selector or a
service, render. The door is door_views.py, meetings and the roster meeting_views.py, the invitee's phone
pages h5_views.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from shanglian.accounts.roles import EDITOR_ROLES, ORGANISER_ROLES, Role, require_role, role_of
from shanglian.appeals.services import RightsCase
from shanglian.common.errors import Refused
from shanglian.common.records import history
from shanglian.common.uploads import download_response
from shanglian.common.workflow import service_kwargs
from shanglian.imports.exports import audited_export
from shanglian.ui.listing import Action, Column, ListPage, export_action, render_list
from shanglian.ui.records import edit_page
from shanglian.ui.shortcuts import get_visible_or_404

from . import forms, invitee, qr, selectors, services
from .models import Event, EventAttachment, Invitation
from .workflow import CHECKIN_STATES, EDITABLE_STATES, EVENT_FLOW

STATUS_TAGS = {
    Event.Status.DRAFT: "tag-muted", Event.Status.PUBLISHED: "tag-info", Event.Status.REGISTRATION: "tag-warning",
    Event.Status.RUNNING: "tag-success", Event.Status.FINISHED: "tag-muted", Event.Status.CANCELLED: "tag-danger",
}
INVITATION_TAGS = {
    Invitation.Status.PENDING: "tag-warning", Invitation.Status.ACCEPTED: "tag-success",
    Invitation.Status.SUBSTITUTE: "tag-success", Invitation.Status.DECLINED: "tag-muted",
    Invitation.Status.WAITLISTED: "tag-info", Invitation.Status.CANCELLED: "tag-danger",
}
HISTORY_ROWS = 50
CRUMBS = [("活动管理", None), ("活动列表", "events:list")]


def _local(value, fmt="%Y-%m-%d %H:%M"):
    return timezone.localtime(value).strftime(fmt) if value else ""


def _is_organiser(user):
    return role_of(user) in ORGANISER_ROLES


def _event_crumbs(event, *more):
    # breadcrumbs link URL names without arguments only: the event itself is plain text
    return [*CRUMBS, (event.title, None), *more]


# --- the list ----------------------------------------------------------------------------------------------
# One column set for the list page and the export.
LIST_FIELDS = [
    ("活动编号", lambda e: e.number),
    ("活动名称", lambda e: e.title),
    ("活动类型", lambda e: e.kind.label),
    ("主办方", lambda e: e.organiser_name),
    ("开始时间", lambda e: _local(e.starts_at)),
    ("结束时间", lambda e: _local(e.ends_at)),
    ("地点", lambda e: e.venue),
    ("名额", lambda e: e.capacity if e.capacity is not None else "不限"),
    ("状态", lambda e: e.get_status_display()),
    ("受邀", lambda e: e.invited),
    ("报名", lambda e: e.places),
    ("签到", lambda e: e.attended),
]


def _filtered(request):
    user = request.user
    qs = selectors.event_list(user)  # 403 before anything else for a role without events
    form = forms.EventSearchForm(request.GET or None, chamber_view=role_of(user) == Role.CHAMBER)
    if form.is_valid():
        qs = selectors.event_list(user, filters=form.filters())
    return form, selectors.with_attendance(qs)


@never_cache
@login_required
def event_list(request):
    if role_of(request.user) == Role.ENTERPRISE:
        return redirect("events:h5_invitations")
    form, qs = _filtered(request)
    organiser = _is_organiser(request.user)
    toolbar = []
    if organiser:
        toolbar.append(Action("新增活动", reverse("events:create"), "primary"))
        toolbar.append(Action("导入签到表", reverse("events:attendance_import")))
    toolbar.append(export_action(request, "events:export"))

    def detail(e):
        return reverse("events:detail", args=[e.pk])

    def row_actions(e):
        actions = [Action("查看", detail(e))]
        if organiser and e.status in EDITABLE_STATES:
            actions.append(Action("编辑", reverse("events:edit", args=[e.pk])))
        return actions

    page = ListPage(
        title="活动列表",
        breadcrumbs=[("活动管理", None), ("活动列表", None)],
        search_form=form,
        toolbar=toolbar,
        columns=[
            Column("活动编号", "number", link=detail, sort="number"),
            Column("活动名称", "title", link=detail, wrap=True),
            Column("活动类型", "kind.label"),
            Column("主办方", "organiser_name"),
            Column("开始时间", lambda e: _local(e.starts_at), sort="starts_at"),
            Column("地点", "venue"),
            Column("状态", "get_status_display", tag=lambda e: STATUS_TAGS.get(e.status, "")),
            Column("受邀", "invited", sort="invited"),
            Column("报名", "places", sort="places"),
            Column("签到", "attended", sort="attended"),
        ],
        row_actions=row_actions,
        empty_text="没有找到符合条件的活动" if request.GET else "暂无活动",
        default_sort="-starts_at",
    )
    return render_list(request, page, qs)


@login_required
def event_export(request):
    _form, qs = _filtered(request)
    rows = [[get(e) for _, get in LIST_FIELDS] for e in qs.order_by("-starts_at", "-id")]
    return audited_export(actor=request.user, title="活动清单", object_type="events.event",
                          sheets=[("活动", [h for h, _ in LIST_FIELDS], rows)],
                          detail={"rows": len(rows), "filters": request.GET.dict()})


# --- create / edit -----------------------------------------------------------------------------------------
def _form_sections(form):
    groups = [
        ("基本信息", ["title", "kind", "organiser", "chamber", "committee", "working_group", "programme"]),
        ("时间与地点", ["starts_at", "ends_at", "venue", "capacity", "rsvp_deadline"]),
        ("议程与资料", ["leaders", "programme_text", "description", "materials"]),
    ]
    return [(heading, [name for name in names if name in form.fields]) for heading, names in groups]


def _save(user):
    def save(form):
        try:
            return services.save_event(actor=user, form=form, files=form.cleaned_data.get("materials") or [])
        except Refused as exc:  # the event moved on meanwhile (进行中, 已结束 …): said on the form
            raise ValidationError(exc.message) from None

    return save


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def event_create(request):
    require_role(request.user, *ORGANISER_ROLES)
    form = forms.EventForm(request.POST or None, request.FILES or None, user=request.user)
    intro = ("活动保存为草稿；发布后受邀人才能看到请柬。" if role_of(request.user) != Role.CHAMBER
             else "本商会主办的活动，保存为草稿；发布后受邀人才能看到请柬。")
    return edit_page(request, form=form, save=_save(request.user), title="新增活动", intro=intro,
                     breadcrumbs=[*CRUMBS, ("新增活动", None)], cancel_url=reverse("events:list"),
                     sections=_form_sections(form), multipart=True)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request, pk):
    event = get_visible_or_404(selectors.events_editable_by(request.user), pk)
    if event.status not in EDITABLE_STATES:
        messages.error(request, f"活动{event.get_status_display()}，不能再修改。")
        return redirect(event)
    form = forms.EventForm(request.POST or None, request.FILES or None, instance=event, user=request.user)
    return edit_page(request, form=form, save=_save(request.user), title="编辑活动", subject=event.title,
                     breadcrumbs=_event_crumbs(event, ("编辑", None)), cancel_url=event.get_absolute_url(),
                     sections=_form_sections(form), multipart=True)


# --- one event ---------------------------------------------------------------------------------------------
def _buttons(request, event, bound=None):
    """The workflow's buttons the user may press now; a transition with a form (取消活动) opens it."""
    buttons = []
    for t in EVENT_FLOW.available(request.user, event, role=role_of(request.user)):
        form = None
        if t.form is not None:
            form = bound[1] if bound and bound[0] == t.name else t.form_class()
        buttons.append({"name": t.name, "label": t.label, "form": form, "style": t.meta.get("style", "default"),
                        "confirm": t.meta.get("confirm", ""), "open": bool(bound and bound[0] == t.name),
                        "url": reverse("events:transition", args=[event.pk, t.url_part])})
    return buttons


def _render_detail(request, event, *, bound=None, materials_form=None, status=200):
    user = request.user
    role = role_of(user)
    organiser = role in ORGANISER_ROLES
    raised, hidden = selectors.raised_appeals(user, event) if event.collects_appeals else ([], 0)
    return render(request, "events/detail.html", {
        "event": event,
        "status_tag": STATUS_TAGS.get(event.status, ""),
        "buttons": _buttons(request, event, bound) if organiser else [],
        "organiser": organiser,
        "editable": organiser and event.status in EDITABLE_STATES,
        "door_open": organiser and event.status in CHECKIN_STATES,
        "attendance": selectors.attendance(event),
        "materials": event.attachments.order_by("id"),
        "materials_form": materials_form or (forms.MaterialsForm() if organiser else None),
        "can_upload": organiser and event.status != Event.Status.CANCELLED,
        "raised_appeals": raised,
        "hidden_appeals": hidden,
        "can_raise_appeal": (event.collects_appeals and role in EDITOR_ROLES
                             and event.status not in (Event.Status.DRAFT, Event.Status.CANCELLED)),
        "history": history(event)[:HISTORY_ROWS],
        "breadcrumbs": _event_crumbs(event),
    }, status=status)


@never_cache
@login_required
def event_detail(request, pk):
    event = get_visible_or_404(selectors.events_visible_to(request.user), pk)
    return _render_detail(request, event)


@never_cache
@login_required
@require_POST
def event_transition(request, pk, action):
    """One row of EVENT_FLOW (发布, 开放报名, 开始, 结束, 取消 with its reason) from the event's page."""
    event = get_visible_or_404(selectors.events_editable_by(request.user), pk)
    transition = next((t for t in EVENT_FLOW if not t.creates and t.url_part == action), None)
    if transition is None:
        raise Http404("没有这个操作。")
    form = transition.form_class(request.POST) if transition.form is not None else None
    if form is not None and not form.is_valid():
        return _render_detail(request, event, bound=(transition.name, form), status=400)
    try:
        EVENT_FLOW.run(transition.name, actor=request.user, obj=event,
                       data=service_kwargs(form) if form is not None else {})
    except Refused as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        if form is None:
            messages.error(request, "；".join(exc.messages))
        else:
            form.add_error(None, exc)
            event.refresh_from_db()
            return _render_detail(request, event, bound=(transition.name, form), status=400)
    else:
        messages.success(request, f"{transition.label}成功。")
    return redirect(event)


# --- materials ---------------------------------------------------------------------------------------------
@never_cache
@login_required
@require_POST
def material_upload(request, pk):
    event = get_visible_or_404(selectors.events_editable_by(request.user), pk)
    form = forms.MaterialsForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_materials(actor=request.user, event=event, files=form.cleaned_data["files"])
        except Refused as exc:
            messages.error(request, exc.message)
            return redirect(event)
        except ValidationError as exc:
            form.add_error("files", exc)
        else:
            messages.success(request, f"已上传 {len(form.cleaned_data['files'])} 个资料文件。")
            return redirect(f"{event.get_absolute_url()}#materials")
    return _render_detail(request, event, materials_form=form, status=400)


@login_required
def material_download(request, pk):
    """A material, only to users who may see its event (404 otherwise, audited)."""
    attachment = get_object_or_404(EventAttachment, pk=pk)
    get_visible_or_404(selectors.events_visible_to(request.user), attachment.event_id)
    return download_response(services.ATTACHMENT_FOLDER, attachment)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def material_delete(request, pk):
    attachment = get_object_or_404(EventAttachment, pk=pk)
    event = get_visible_or_404(selectors.events_editable_by(request.user), attachment.event_id)
    if request.method == "POST":
        services.remove_material(actor=request.user, attachment=attachment)
        messages.success(request, f"已删除资料“{attachment.original_name}”。")
        return redirect(f"{event.get_absolute_url()}#materials")
    return render(request, "events/confirm.html", {
        "title": "删除活动资料", "subject": event.title,
        "question": f"确定删除资料“{attachment.original_name}”吗？删除后受邀人将不能再下载，操作会记入审计日志。",
        "button": "确认删除", "cancel_url": event.get_absolute_url(),
        "breadcrumbs": _event_crumbs(event, ("删除资料", None)),
    })


# --- invitations -------------------------------------------------------------------------------------------
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def event_invite(request, pk):
    """邀请: pick persons and enterprises one by one, or by a filter; the service resolves, scopes and writes
    (a refusal — an SMS to someone without a mobile — goes back onto the form, nothing written)."""
    event = get_visible_or_404(selectors.events_editable_by(request.user), pk)
    if event.status not in EDITABLE_STATES:
        messages.error(request, f"活动{event.get_status_display()}，不能再发出邀请。")
        return redirect(event)
    form = forms.InviteForm(request.POST or None, user=request.user, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.invite(actor=request.user, event=event, who=form.invitees(),
                                      channel=form.cleaned_data["channel"])
        except (ValidationError, Refused) as exc:
            form.add_error(None, exc.message if isinstance(exc, Refused) else exc)
        else:
            text = f"已邀请 {len(created)} 位"
            if created.skipped:
                text += f"，另有 {created.skipped} 位此前已受邀，未重复邀请"
            if event.status == Event.Status.DRAFT:
                text += "。活动发布后受邀人即收到请柬。"
            else:
                text += "，请柬已发出。"
            messages.success(request, text)
            return redirect("events:invitations", pk=event.pk)
    return render(request, "events/invite.html", {
        "event": event, "form": form, "attendance": selectors.attendance(event),
        "breadcrumbs": _event_crumbs(event, ("邀请", None)),
    }, status=400 if form.is_bound and form.errors else 200)


def _checked_in_text(i):
    return "是" if i.checked_in else "否"


INVITATION_FIELDS = [
    ("姓名", lambda i: i.name),
    ("企业", lambda i: i.enterprise.name if i.enterprise_id else ""),
    ("手机尾号", lambda i: i.mobile_tail),
    ("通知方式", lambda i: i.get_channel_display()),
    ("回复", lambda i: i.get_status_display()),
    ("代参加人", lambda i: i.substitute_name),
    ("回复时间", lambda i: _local(i.responded_at)),
    ("已签到", _checked_in_text),
]


def _invitations(request, event):
    form = forms.InvitationSearchForm(request.GET or None)
    qs = selectors.invitations_of(request.user, event)
    if form.is_valid():
        if form.cleaned_data.get("status"):
            qs = qs.filter(status=form.cleaned_data["status"])
        q = (form.cleaned_data.get("q") or "").strip()
        if q:
            qs = qs.filter(Q(name__icontains=q) | Q(enterprise__name__icontains=q) | Q(mobile_tail=q)
                           | Q(substitute_name__icontains=q))
    return form, qs


@never_cache
@login_required
def invitation_list(request, pk):
    event = get_visible_or_404(selectors.events_visible_to(request.user), pk)
    form, qs = _invitations(request, event)
    organiser = _is_organiser(request.user)
    answering = organiser and event.status == Event.Status.REGISTRATION
    toolbar = []
    if organiser and event.status in EDITABLE_STATES:
        toolbar.append(Action("邀请", reverse("events:invite", args=[event.pk]), "primary"))
    toolbar += [export_action(request, "events:invitations_export", event.pk),
                Action("返回活动", event.get_absolute_url())]

    def row_actions(i):
        if not organiser:
            return []
        actions = []
        if i.status != Invitation.Status.CANCELLED:
            if answering:
                actions.append(Action("电话登记回复", reverse("events:invitation_rsvp", args=[i.pk])))
            actions.append(Action("打印请柬", reverse("events:invitation_print", args=[i.pk])))
            if not i.checked_in:
                actions.append(Action("取消邀请", reverse("events:invitation_cancel", args=[i.pk])))
        return actions

    page = ListPage(
        title=f"请柬 · {event.title}",
        breadcrumbs=_event_crumbs(event, ("请柬", None)),
        search_form=form,
        toolbar=toolbar,
        columns=[
            Column("姓名", "name", sort="name"),
            Column("企业", lambda i: i.enterprise.name if i.enterprise_id else None, wrap=True),
            Column("手机尾号", "mobile_tail"),
            Column("通知方式", "get_channel_display"),
            Column("回复", "get_status_display", tag=lambda i: INVITATION_TAGS.get(i.status, ""), sort="status"),
            Column("代参加人", "substitute_name"),
            Column("回复时间", lambda i: _local(i.responded_at) or None, sort="responded_at"),
            Column("已签到", _checked_in_text, tag=lambda i: "tag-success" if i.checked_in else ""),
        ],
        row_actions=row_actions if organiser else None,
        empty_text="没有符合条件的请柬" if request.GET else "尚未邀请任何人",
        default_sort="id",
    )
    return render_list(request, page, qs)


@login_required
def invitation_export(request, pk):
    event = get_visible_or_404(selectors.events_visible_to(request.user), pk)
    _form, qs = _invitations(request, event)
    rows = [[get(i) for _, get in INVITATION_FIELDS] for i in qs.order_by("id")]
    return audited_export(actor=request.user, title=f"{event.title[:40]}_请柬", object_type="events.event",
                          sheets=[("请柬", [h for h, _ in INVITATION_FIELDS], rows)],
                          detail={"rows": len(rows), "event": event.pk, "filters": request.GET.dict()})


def _organiser_invitation(request, pk):
    """An invitation of an event the user organises (403 for a reader, 404 outside the scope, audited)."""
    visible = Invitation.objects.filter(event__in=selectors.events_editable_by(request.user)).select_related(
        "event", "event__kind", "event__federation", "event__chamber", "event__committee", "enterprise", "person")
    return get_visible_or_404(visible, pk)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def invitation_cancel(request, pk):
    invitation = _organiser_invitation(request, pk)
    event = invitation.event
    back = reverse("events:invitations", args=[event.pk])
    if request.method == "POST":
        try:
            services.cancel_invitation(actor=request.user, invitation=invitation)
        except Refused as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已取消对“{invitation.name}”的邀请，其二维码不能再签到。")
        return redirect(back)
    return render(request, "events/confirm.html", {
        "title": "取消邀请", "subject": event.title,
        "question": f"确定取消对“{invitation.name}”的邀请吗？取消后其请柬二维码不能再签到；若已报名，名额将让给候补。",
        "button": "确认取消邀请", "cancel_url": back,
        "breadcrumbs": _event_crumbs(event, ("请柬", None), ("取消邀请", None)),
    })


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def invitation_rsvp(request, pk):
    """An invitee's answer taken by phone: the organiser records it through the same rules as the invitee's."""
    invitation = _organiser_invitation(request, pk)
    event = invitation.event
    initial = {}
    if invitation.status in (Invitation.Status.ACCEPTED, Invitation.Status.DECLINED, Invitation.Status.SUBSTITUTE):
        initial = {"answer": invitation.status, "substitute_name": invitation.substitute_name}
    form = forms.PhoneRsvpForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.rsvp(actor=request.user, invitation=invitation, answer=form.cleaned_data["answer"],
                                  substitute_name=form.cleaned_data["substitute_name"])
        except Refused as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            text = f"已登记“{saved.name}”的回复：{saved.get_status_display()}。"
            if saved.status == Invitation.Status.WAITLISTED:
                text = f"名额已满，“{saved.name}”已列入候补，有名额空出时自动转为参加。"
            messages.success(request, text)
            return redirect("events:invitations", pk=event.pk)
    return render(request, "events/invitation_rsvp.html", {
        "event": event, "invitation": invitation, "form": form,
        "closes_at": event.rsvp_closes_at(), "open": event.status == Event.Status.REGISTRATION,
        "breadcrumbs": _event_crumbs(event, ("请柬", None), ("电话登记回复", None)),
    }, status=400 if form.is_bound and form.errors else 200)


@never_cache
@login_required
def invitation_print(request, pk):
    """The printable 请柬 (A5, or A4 by the browser's choice): the event's facts and the personal QR code."""
    invitation = _organiser_invitation(request, pk)
    event = invitation.event
    cancelled = invitation.status == Invitation.Status.CANCELLED
    # the code only for an invitee the door admits (not 不参加, 候补 or withdrawn) of an event still ahead
    admitted = invitation.status in invitee.QR_STATUSES and event.status in invitee.QR_EVENT_STATES
    return render(request, "events/invitation_print.html", {
        "invitation": invitation, "event": event, "cancelled": cancelled,
        "qr": qr.invitation_svg(invitation) if admitted else None,
        "programme_lines": [line for line in event.programme_text.splitlines() if line.strip()],
        "back_url": reverse("events:invitations", args=[event.pk]),
    })


# --- an appeal raised at the event -------------------------------------------------------------------------
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def event_raise_appeal(request, pk):
    """登记诉求 at a 恳谈会/早餐会/座谈会: the desk's registration; the appeal's source names the event."""
    require_role(request.user, *EDITOR_ROLES)
    event = get_visible_or_404(selectors.events_editable_by(request.user), pk)
    if not event.collects_appeals:
        messages.error(request, "只有恳谈会、早餐会、座谈会可以登记收集的诉求。")
        return redirect(event)
    form = forms.EventAppealForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            appeal = services.raise_appeal(
                actor=request.user, event=event, enterprise=data["enterprise"], category=data["category"],
                title=data["title"], content=data["content"], urgency=data["urgency"],
                contact_name=data["contact_name"], contact_mobile=data["contact_mobile"],
                source_note=data["source_note"], files=data["files"],
                rights=RightsCase(counterpart=data["counterpart"], amount_involved=data["amount_involved"]))
        except Refused as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"登记成功，诉求编号 {appeal.number}，来源活动：{event.title}。")
            return redirect("appeals:detail", pk=appeal.pk)
    return render(request, "events/raise_appeal.html", {
        "event": event, "form": form, "breadcrumbs": _event_crumbs(event, ("登记诉求", None)),
    }, status=400 if form.is_bound and form.errors else 200)
