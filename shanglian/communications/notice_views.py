"""通知公告 pages (staff): the list (search, filters, 导出) with each notice's reach and read count, 起草/编辑/删除 of a
draft (rich text, the audience with its live preview "将发送给N家企业（M个账号）、K名人士（仅短信）", SMS copy,
attachments), one notice's page (its body, attachments, reach and read rate, 发送/撤回 from `workflow.NOTICE_FLOW`,
提醒未读, 变更记录), its recipients with their receipts (and their export), the attachments' download; and the saved
filters (保存的筛选) notices and surveys are sent to. Thin: parse, call a selector or a service, render.

Readers: the federation's roles (their federations' notices) and a chamber secretary (its chamber's). Writers:
`SENDER_ROLES` — an editor the federation's own notices, a chamber secretary its chamber's; a leader reads (403 on the
writes); a department, an enterprise (its notices are on its phone, `h5_views`) and the auditor 403; another scope's
notice 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from shanglian.accounts.roles import role_of
from shanglian.common.errors import Refused
from shanglian.common.records import history
from shanglian.common.uploads import download_response
from shanglian.common.workflow import service_kwargs
from shanglian.imports.exports import audited_export
from shanglian.ui.listing import Action, Column, ListPage, export_action, render_list
from shanglian.ui.records import delete_page, form_page, saved, staff_page
from shanglian.ui.shortcuts import get_visible_or_404

from .forms.filters import CRITERIA_LABELS, SavedFilterForm
from .forms.notices import AudiencePreviewForm, NoticeForm, NoticeSearchForm, RecipientSearchForm
from .models import Notice, NoticeAttachment
from .selectors import notices as selectors
from .selectors.audience import audience_errors, recipients_of, summarise
from .selectors.scopes import notices_visible_to, saved_filters_visible_to
from .services import filters as filter_services
from .services import notices as services
from .workflow import NOTICE_FLOW

N = Notice.Status
GROUP = ("通知调研与宣传", None)
CRUMBS = [GROUP, ("通知公告", "communications:notices")]
FILTER_CRUMBS = [GROUP, ("保存的筛选", "communications:filters")]
HISTORY_ROWS = 50
STATUS_TAGS = {N.DRAFT: "tag-info", N.SENT: "tag-success", N.WITHDRAWN: "tag-muted"}


def _moment(value):
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value else ""


def sender_of(notice):
    return notice.chamber.name if notice.chamber_id else "工商联"


def read_text(n):
    """已读/送达企业 of a listed notice (annotated by `selectors.with_reach`)."""
    if n.status == N.DRAFT:
        return ""
    rate = f"（{n.read * 100 / n.reached_enterprises:.0f}%）" if n.reached_enterprises else ""
    return f"{n.read}/{n.reached_enterprises}{rate}"


EXPORT_FIELDS = [
    ("编号", lambda n: n.number),
    ("标题", lambda n: n.title),
    ("发送方", sender_of),
    ("发送对象", lambda n: n.audience_label),
    ("状态", lambda n: n.get_status_display()),
    ("同时发送短信", lambda n: "是" if n.sms_copy else "否"),
    ("发送时间", lambda n: _moment(n.sent_at)),
    ("发送人", lambda n: str(n.sent_by) if n.sent_by_id else ""),
    ("接收人数", lambda n: n.reached),
    ("接收企业数", lambda n: n.reached_enterprises),
    ("已读企业数", lambda n: n.read),
    ("阅读率", lambda n: f"{n.read * 100 / n.reached_enterprises:.1f}%" if n.reached_enterprises else ""),
    ("撤回原因", lambda n: n.withdrawn_reason),
    ("所属工商联", lambda n: n.federation.name),
]


# --- the list ------------------------------------------------------------------------------------------------
def _notices(request):
    user = request.user
    notices_visible_to(user)  # 403 before anything else for a role without notices
    form = NoticeSearchForm(request.GET or None, user=user)
    if form.is_bound and not form.is_valid():
        return form, Notice.objects.none()
    return form, selectors.notice_list(user, filters=form.cleaned_data if form.is_bound else {})


def _empty_text(request, form):
    if form.is_bound and not form.is_valid():
        return "搜索条件有误：" + "；".join(str(e) for errors in form.errors.values() for e in errors)
    return "没有找到符合条件的通知" if request.GET else "暂无通知公告"


def _detail(n):
    return reverse("communications:notice", args=[n.pk])


@never_cache
@login_required
def notice_list(request):
    form, qs = _notices(request)
    keeper = selectors.can_keep(request.user)
    toolbar = []
    if keeper:
        toolbar.append(Action("起草通知", reverse("communications:notice_create"), "primary"))
    toolbar.append(export_action(request, "communications:notices_export"))
    if keeper:
        toolbar.append(Action("保存的筛选", reverse("communications:filters")))

    def actions(n):
        shown = [Action("查看", _detail(n))]
        if n.status == N.DRAFT and selectors.can_keep(request.user, n):
            shown.append(Action("编辑", reverse("communications:notice_edit", args=[n.pk])))
        if n.status != N.DRAFT:
            shown.append(Action("回执", reverse("communications:notice_recipients", args=[n.pk])))
        return shown

    page = ListPage(
        title="通知公告", breadcrumbs=[GROUP, ("通知公告", None)], search_form=form, toolbar=toolbar,
        columns=[
            Column("编号", "number", link=_detail, sort="number"),
            Column("标题", "title", link=_detail, wrap=True),
            Column("发送方", sender_of),
            Column("发送对象", lambda n: n.audience_label, wrap=True),
            Column("状态", "get_status_display", tag=lambda n: STATUS_TAGS.get(n.status, ""), sort="status"),
            Column("发送时间", lambda n: _moment(n.sent_at), sort="sent_at"),
            Column("已读/企业", read_text),
        ],
        row_actions=actions, empty_text=_empty_text(request, form), default_sort="-id",
    )
    return render_list(request, page, qs.select_related("federation", "chamber_audience", "committee",
                                                        "working_group", "event", "saved_filter"))


@login_required
def notice_export(request):
    form, qs = _notices(request)
    if form.is_bound and not form.is_valid():
        messages.error(request, "搜索条件有误，请修改后再导出。")
        return redirect(f"{reverse('communications:notices')}?{request.GET.urlencode()}")
    qs = qs.select_related("federation", "chamber_audience", "committee", "working_group", "event",
                           "saved_filter").order_by("-id")
    rows = [[get(n) for _, get in EXPORT_FIELDS] for n in qs]
    return audited_export(actor=request.user, title="通知公告", object_type="communications.notice",
                          sheets=[("通知公告", [h for h, _ in EXPORT_FIELDS], rows)],
                          detail={"rows": len(rows), "filters": request.GET.dict()})


# --- one notice ------------------------------------------------------------------------------------------------
def _visible(user):
    return notices_visible_to(user).select_related("federation", "chamber_audience", "committee", "working_group",
                                                   "event", "saved_filter")


def _buttons(request, notice, bound=None):
    if not selectors.can_keep(request.user, notice):
        return []
    buttons = []
    for t in NOTICE_FLOW.available(request.user, notice, role=role_of(request.user)):
        chosen = bound is not None and bound[0] == t.name
        form = (bound[1] if chosen else t.form_class(user=request.user)) if t.form else None
        buttons.append({"name": t.name, "label": t.label, "form": form, "style": t.meta.get("style", "default"),
                        "confirm": t.meta.get("confirm", ""), "open": chosen,
                        "url": reverse("communications:notice_transition", args=[notice.pk, t.url_part])})
    return buttons


def _render_detail(request, notice, *, bound=None, status=200):
    user = request.user
    keeper = selectors.can_keep(user, notice)
    draft = notice.status == N.DRAFT
    preview = summarise(recipients_of(notice, sender=user)) if draft and keeper else None
    reach = None if draft else selectors.notice_reach(notice)
    return render(request, "communications/notices/detail.html", {
        "notice": notice, "status_tag": STATUS_TAGS.get(notice.status, ""), "sender": sender_of(notice),
        "attachments": selectors.attachments_of(notice), "reach": reach, "preview": preview,
        "buttons": _buttons(request, notice, bound),
        "can_edit": keeper and draft, "can_remind": keeper and notice.status == N.SENT and reach and reach.unread > 0,
        "history": list(history(notice)[:HISTORY_ROWS]),
        "breadcrumbs": [*CRUMBS, (notice.number, None)],
    }, status=status)


@never_cache
@login_required
def notice_detail(request, pk):
    notice = get_visible_or_404(_visible(request.user), pk)
    return _render_detail(request, notice)


@never_cache
@login_required
@require_POST
def notice_transition(request, pk, action):
    """发送 / 撤回 from the notice's page; the services check the role (403), the scope and the state under the row
    lock (a refusal is said on the page, nothing changed)."""
    notice = get_visible_or_404(selectors.notices_kept_by(request.user), pk)
    transition = next((t for t in NOTICE_FLOW if not t.creates and t.url_part == action), None)
    if transition is None:
        raise Http404("没有这个操作。")
    NOTICE_FLOW.require_role(transition.name, role_of(request.user))
    form = transition.form_class(request.POST, user=request.user) if transition.form else None
    if form is not None and not form.is_valid():
        return _render_detail(request, notice, bound=(transition.name, form), status=400)
    try:
        NOTICE_FLOW.run(transition.name, actor=request.user, obj=notice,
                        data=service_kwargs(form) if form is not None else {})
    except Refused as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        if form is None:
            messages.error(request, "；".join(exc.messages))
        else:
            form.add_error(None, exc)
            notice.refresh_from_db()
            return _render_detail(request, notice, bound=(transition.name, form), status=400)
    else:
        messages.success(request, "通知已发送。" if transition.name == "send_notice" else f"{transition.label}成功。")
    return redirect(notice)


@never_cache
@login_required
@require_POST
def notice_remind(request, pk):
    """提醒未读: the enterprises that have not read the notice are told again (once a day each)."""
    notice = get_visible_or_404(selectors.notices_kept_by(request.user), pk)
    try:
        count = services.remind_unread(actor=request.user, notice=notice)
    except Refused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已提醒 {count} 个未读接收人。" if count else "未读接收人今天都已提醒过，明天可再提醒。")
    return redirect(notice)


# --- create / edit / delete ----------------------------------------------------------------------------------
def _for_form(form, exc):
    """A service's ValidationError by field onto the form's fields it names (the others: the whole form)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
        return None
    form.add_error(None, exc)
    return None


def _notice_form_page(request, form, *, save, title, cancel_url, breadcrumbs, subject=None):
    if request.method == "POST" and form.is_valid():
        try:
            notice = save(form)
        except ValidationError as exc:
            _for_form(form, exc)
        except Refused as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "已保存。草稿可继续修改，发送后接收人即可查看。")
            return redirect(notice)
    return render(request, "communications/notices/form.html", {
        "form": form, "title": title, "subject": subject, "breadcrumbs": breadcrumbs, "cancel_url": cancel_url,
        "sections": [(heading, [form[n] for n in names]) for heading, names in form.sections],
    }, status=400 if form.is_bound and form.errors else 200)


@staff_page
def notice_create(request):
    services.home_of(request.user)  # 403 for a role that does not send
    form = NoticeForm(request.POST or None, request.FILES or None, user=request.user)
    return _notice_form_page(
        request, form, title="起草通知", cancel_url=reverse("communications:notices"),
        breadcrumbs=[*CRUMBS, ("起草通知", None)],
        save=lambda f: services.save_notice(actor=request.user, **f.service_kwargs()))


@staff_page
def notice_edit(request, pk):
    notice = get_visible_or_404(selectors.notices_kept_by(request.user), pk)
    if notice.status != N.DRAFT:
        messages.error(request, f"通知已{notice.get_status_display()}，不能再修改。")
        return redirect(notice)
    form = NoticeForm(request.POST or None, request.FILES or None, user=request.user, instance=notice)
    return _notice_form_page(
        request, form, title="编辑通知", subject=notice.number, cancel_url=notice.get_absolute_url(),
        breadcrumbs=[*CRUMBS, (notice.number, None), ("编辑", None)],
        save=lambda f: services.save_notice(actor=request.user, notice=notice, **f.service_kwargs()))


@staff_page
def notice_delete(request, pk):
    notice = get_visible_or_404(selectors.notices_kept_by(request.user), pk)
    if notice.status != N.DRAFT:
        messages.error(request, f"通知已{notice.get_status_display()}，不能删除（可撤回）。")
        return redirect(notice)
    return delete_page(request, obj=notice, along=("attachments",),
                       delete=lambda: services.delete_notice(actor=request.user, notice=notice),
                       cancel_url=notice.get_absolute_url(), done_url=reverse("communications:notices"),
                       breadcrumbs=[*CRUMBS, (notice.number, None), ("删除", None)])


@never_cache
@login_required
@require_GET
def audience_preview(request):
    """预览接收人 (htmx, from the notice and survey forms): who the chosen audience reaches now."""
    services.home_of(request.user)  # 403 for a role that does not send
    form = AudiencePreviewForm(request.GET or None, user=request.user)
    text, errors = "", []
    if not form.is_bound:
        text = "选择发送对象后显示接收人数。"
    elif not form.is_valid():
        errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
    else:
        federation, _chamber = services.home_of(request.user)
        probe = Notice(federation=federation, **form.audience_data())
        found = audience_errors(probe, sender=request.user, federation_id=federation.pk)
        if found:
            errors = list(found.values())
        else:
            text = summarise(recipients_of(probe, sender=request.user)).text
    return render(request, "communications/notices/_preview.html", {"text": text, "errors": errors})


# --- receipts --------------------------------------------------------------------------------------------------
def _recipients(request, notice):
    form = RecipientSearchForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return form, notice.recipients.none()
    data = form.cleaned_data if form.is_bound else {}
    qs = selectors.recipients_of_notice(notice, state=data.get("state") or "")
    q = (data.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q))
    return form, qs


def receipt_text(r):
    if not r.enterprise_id:
        return "仅短信"
    return "已读" if r.read_at else "未读"


RECEIPT_TAGS = {"已读": "tag-success", "未读": "tag-warning", "仅短信": "tag-muted"}
RECIPIENT_FIELDS = [
    ("名称", lambda r: r.name),
    ("类型", lambda r: "企业" if r.enterprise_id else "人士"),
    ("阅读情况", receipt_text),
    ("阅读时间", lambda r: _moment(r.read_at)),
    ("阅读人", lambda r: str(r.read_by) if r.read_by_id else ""),
    ("提醒次数", lambda r: r.reminders),
    ("最近提醒", lambda r: _moment(r.reminded_at)),
]


@never_cache
@login_required
def notice_recipients(request, pk):
    notice = get_visible_or_404(_visible(request.user), pk)
    form, qs = _recipients(request, notice)
    page = ListPage(
        title=f"阅读回执：{notice.title}", breadcrumbs=[*CRUMBS, (notice.number, None), ("阅读回执", None)],
        search_form=form, toolbar=[export_action(request, "communications:notice_recipients_export", notice.pk),
                                   Action("返回通知", _detail(notice))],
        columns=[Column(h, get, tag=(lambda r: RECEIPT_TAGS.get(receipt_text(r), "")) if h == "阅读情况" else None,
                        wrap=h == "名称", sort={"名称": "name", "阅读时间": "read_at"}.get(h, ""))
                 for h, get in RECIPIENT_FIELDS],
        empty_text="没有符合条件的接收人" if request.GET else "该通知还没有发送，暂无接收人",
        default_sort="id",
    )
    return render_list(request, page, qs)


@login_required
def notice_recipients_export(request, pk):
    notice = get_visible_or_404(_visible(request.user), pk)
    form, qs = _recipients(request, notice)
    if form.is_bound and not form.is_valid():
        messages.error(request, "搜索条件有误，请修改后再导出。")
        return redirect(reverse("communications:notice_recipients", args=[notice.pk]))
    rows = [[get(r) for _, get in RECIPIENT_FIELDS] for r in qs.order_by("id")]
    return audited_export(actor=request.user, title=f"阅读回执-{notice.number}",
                          object_type="communications.noticerecipient",
                          sheets=[("阅读回执", [h for h, _ in RECIPIENT_FIELDS], rows)],
                          detail={"notice": notice.number, "rows": len(rows), "filters": request.GET.dict()})


@never_cache
@login_required
def attachment_download(request, pk):
    """A notice's attachment for the staff who see the notice (another scope's: 404, audited)."""
    attachment = get_visible_or_404(NoticeAttachment.objects.filter(
        notice__in=notices_visible_to(request.user).values("pk")), pk)
    return download_response(services.ATTACHMENT_FOLDER, attachment)


# --- 保存的筛选 -------------------------------------------------------------------------------------------------
def criteria_text(saved_filter, names):
    """The filter's criteria as a sentence: 会员类型：企业会员；街道：友谊路街道 …"""
    shown = []
    for key, value in (saved_filter.criteria or {}).items():
        label = CRITERIA_LABELS.get(key)
        if label:
            shown.append(f"{label}：{names.get((key, value), value)}")
    return "；".join(shown) or "全部在册会员"


def _criteria_names(filters):
    """Readable names of the ids the listed filters hold (one query per kind, whatever the rows)."""
    from shanglian.common.models import DictItem
    from shanglian.members.models import Membership
    from shanglian.orgs.models import Chamber, Street

    wanted = {}
    for f in filters:
        for key, value in (f.criteria or {}).items():
            wanted.setdefault(key, set()).add(value)
    names = {("kind", v): label for v, label in Membership.Kind.choices}
    for key, model, attr in (("street", Street, "name"), ("chamber", Chamber, "name"),
                             ("enterprise_type", DictItem, "label")):
        ids = [v for v in wanted.get(key, ()) if isinstance(v, int)]
        if ids:
            names.update({(key, pk): text for pk, text in model.objects.filter(pk__in=ids).values_list("pk", attr)})
    return names


@never_cache
@login_required
def filter_list(request):
    user = request.user
    services.home_of(user)  # the senders only
    kept = set(filter_services.filters_kept_by(user).values_list("pk", flat=True))
    qs = saved_filters_visible_to(user).select_related("chamber", "created_by")
    names = _criteria_names(saved_filters_visible_to(user).only("criteria"))

    def actions(f):
        if f.pk not in kept:
            return []
        return [Action("编辑", reverse("communications:filter_edit", args=[f.pk])),
                Action("删除", reverse("communications:filter_delete", args=[f.pk]))]

    page = ListPage(
        title="保存的筛选", breadcrumbs=[GROUP, ("保存的筛选", None)],
        toolbar=[Action("新增筛选", reverse("communications:filter_create"), "primary"),
                 Action("通知公告", reverse("communications:notices"))],
        columns=[Column("名称", "name", sort="name", wrap=True),
                 Column("筛选条件", lambda f: criteria_text(f, names), wrap=True),
                 Column("所属", lambda f: f.chamber.name if f.chamber_id else "工商联"),
                 Column("创建人", lambda f: str(f.created_by) if f.created_by_id else "")],
        row_actions=actions, empty_text="暂无保存的筛选（在此保存会员名录的筛选条件，通知和问卷可直接发给筛选出的会员）",
        default_sort="name",
    )
    return render_list(request, page, qs)


def _filter_page(request, form, *, save, title, breadcrumbs, subject=None):
    return saved(request, form, save, then=lambda f: reverse("communications:filters")) or form_page(
        request, form=form, title=title, subject=subject, breadcrumbs=breadcrumbs,
        cancel_url=reverse("communications:filters"),
        intro="筛选在发送通知或发布问卷时按当时的会员名录确定对象，只含在册会员；商会秘书处的筛选只在本商会会员中筛选。")


@staff_page
def filter_create(request):
    services.home_of(request.user)
    form = SavedFilterForm(request.POST or None, user=request.user)
    return _filter_page(request, form, title="新增筛选", breadcrumbs=[*FILTER_CRUMBS, ("新增", None)],
                        save=lambda f: filter_services.save_filter(actor=request.user, **f.service_kwargs()))


@staff_page
def filter_edit(request, pk):
    saved_filter = get_visible_or_404(filter_services.filters_kept_by(request.user), pk)
    form = SavedFilterForm(request.POST or None, user=request.user, instance=saved_filter)
    return _filter_page(request, form, title="编辑筛选", subject=saved_filter.name,
                        breadcrumbs=[*FILTER_CRUMBS, (saved_filter.name, None), ("编辑", None)],
                        save=lambda f: filter_services.save_filter(actor=request.user, saved_filter=saved_filter,
                                                                   **f.service_kwargs()))


@staff_page
def filter_delete(request, pk):
    saved_filter = get_visible_or_404(filter_services.filters_kept_by(request.user), pk)
    return delete_page(request, obj=saved_filter,
                       delete=lambda: filter_services.delete_filter(actor=request.user, saved_filter=saved_filter),
                       cancel_url=reverse("communications:filters"), done_url=reverse("communications:filters"),
                       breadcrumbs=[*FILTER_CRUMBS, (saved_filter.name, None), ("删除", None)])
