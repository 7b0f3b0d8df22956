"""Staff, leader, chamber and department pages of the policy library (政策库). Thin: parse, call a
service or selector, render. The enterprise's own pages are in h5_views.py, the import in import_views.py."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from shanglian.accounts.roles import EDITOR_ROLES, FEDERATION_ROLES, READER_ROLES, Role, require_role, role_of
from shanglian.common.errors import Refused
from shanglian.common.uploads import download_response
from shanglian.imports.exports import audited_export
from shanglian.ui.listing import Action, Column, ListPage, export_action, render_list
from shanglian.ui.shortcuts import get_visible_or_404

from . import search, selectors, services
from .eligibility import EligibilityNames, eligibility_rows, eligibility_text
from .forms import PolicyForm, PolicySearchForm, PublishForm, PushForm
from .models import Policy, PolicyAttachment

STATUS_TAGS = {Policy.Status.DRAFT: "tag-warning", Policy.Status.PUBLISHED: "tag-success",
               Policy.Status.EXPIRED: "tag-muted"}


# --- how a policy reads ----------------------------------------------------------------------------
def status_label(policy):
    return policy.status_on().label


def status_tag(policy):
    return STATUS_TAGS[policy.status_on()]


def _is_editor(user):
    return role_of(user) in EDITOR_ROLES


# --- the library list --------------------------------------------------------------------------------
# One column set for the list page and the export.
LIST_FIELDS = [
    ("政策名称", lambda p: p.title),
    ("文号", lambda p: p.document_number),
    ("发布部门", lambda p: p.department.name),
    ("惠企类型", lambda p: p.benefit_type.label),
    ("发布日期", lambda p: p.published_on.isoformat() if p.published_on else ""),
    ("失效日期", lambda p: p.expires_on.isoformat() if p.expires_on else "长期有效"),
    ("免申即享", lambda p: "是" if p.is_automatic else "否"),
    ("状态", status_label),
]
EXPORT_ONLY_FIELDS = [
    ("生效日期", lambda p: p.effective_from.isoformat() if p.effective_from else ""),
    ("适用条件", eligibility_text),
    ("申报方式", lambda p: p.application_method),
    ("咨询电话/联系人", lambda p: p.contact),
    ("政策摘要", lambda p: p.summary),
]


def _filtered(request):
    user = request.user
    visible = selectors.policies_visible_to(user)
    form = PolicySearchForm(request.GET or None, visible=visible, show_status=role_of(user) in FEDERATION_ROLES)
    filters = form.filters() if form.is_valid() else {}
    return form, selectors.policy_list(user, filters=filters), filters


def _search_order(qs):
    """A ranked search result keeps its ranking (the list would otherwise re-sort it)."""
    ordering = list(qs.query.order_by)
    return ordering[0] if ordering else "-published_on"


@never_cache
@login_required
def policy_list(request):
    if role_of(request.user) == Role.ENTERPRISE:
        return redirect("policies:h5_list")
    require_role(request.user, *READER_ROLES)
    form, qs, filters = _filtered(request)
    q = (filters.get("q") or "").strip()
    searching = bool(q)
    editor = _is_editor(request.user)
    columns = [
        Column("政策名称", "title", link=lambda p: reverse("policies:detail", args=[p.pk]), sort="title", wrap=True),
        Column("文号", "document_number"),
        Column("发布部门", "department.name"),
        Column("惠企类型", "benefit_type.label"),
        Column("发布日期", lambda p: p.published_on.isoformat() if p.published_on else None, sort="published_on"),
        Column("失效日期", lambda p: p.expires_on.isoformat() if p.expires_on else "长期有效", sort="expires_on"),
        Column("免申即享", lambda p: "免申即享" if p.is_automatic else None,
               tag=lambda p: "tag-info" if p.is_automatic else ""),
        Column("状态", status_label, tag=status_tag),
    ]
    if searching:  # the words found, marked in the title, the 文号 and an excerpt of the text
        columns = [
            Column("政策名称", lambda p: search.highlight(p.title, q),
                   link=lambda p: reverse("policies:detail", args=[p.pk]), wrap=True),
            Column("匹配内容", lambda p: search.snippet(p, q), wrap=True),
            Column("文号", lambda p: search.highlight(p.document_number, q)),
            *[c for c in columns[2:] if c.header not in ("失效日期", "免申即享")],
        ]
    toolbar = []
    if editor:
        toolbar += [Action("新增", reverse("policies:create"), "primary"), Action("导入", reverse("policies:import"))]
    toolbar.append(export_action(request, "policies:export"))

    def row_actions(p):
        actions = [Action("查看", reverse("policies:detail", args=[p.pk]))]
        if editor:
            actions.append(Action("编辑", reverse("policies:edit", args=[p.pk])))
        return actions

    page = ListPage(
        title="政策库",
        breadcrumbs=[("惠企政策", None), ("政策库", None)],
        search_form=form,
        columns=columns,
        toolbar=toolbar,
        row_actions=row_actions,
        empty_text="没有找到符合条件的政策" if request.GET else "暂无政策",
        default_sort=_search_order(qs) if searching else "-published_on",
    )
    return render_list(request, page, qs)


@login_required
def policy_export(request):
    require_role(request.user, *READER_ROLES)
    form, qs, filters = _filtered(request)
    names = EligibilityNames()
    fields = LIST_FIELDS + [(header, partial(get, names=names) if get is eligibility_text else get)
                            for header, get in EXPORT_ONLY_FIELDS]
    qs = qs.prefetch_related("industries")
    if not (filters.get("q") or "").strip():
        qs = qs.order_by("-published_on", "-id")
    rows = [[get(p) for _, get in fields] for p in qs]
    return audited_export(actor=request.user, title="惠企政策清单", object_type="policies.policy",
                          sheets=[("惠企政策", [h for h, _ in fields], rows)],
                          detail={"rows": len(rows), "filters": request.GET.dict()})


# --- create / edit -----------------------------------------------------------------------------------
def _federation(user):
    if user.federation_id is None:
        raise PermissionDenied("您的账号没有所属工商联。")
    return user.federation


def _save(request, policy=None):
    require_role(request.user, *EDITOR_ROLES)
    federation = _federation(request.user)
    if request.method == "POST":
        form = PolicyForm(request.POST, request.FILES, federation=federation)
        if form.is_valid():
            try:
                saved = services.save_policy(actor=request.user, data=form.policy_data(),
                                             eligibility=form.eligibility(), policy=policy,
                                             files=form.cleaned_data["files"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "修改成功。" if policy else "新增成功，政策已保存为草稿。")
                return redirect("policies:detail", pk=saved.pk)
    else:
        form = PolicyForm(initial=PolicyForm.initial_for(policy) if policy else None, federation=federation)
    title = "编辑政策" if policy else "新增政策"
    crumbs = [("惠企政策", None), ("政策库", "policies:list")]
    if policy:
        crumbs.append((policy.title, None))  # breadcrumbs link URL names without arguments only
    return render(request, "policies/form.html", {
        "form": form,
        "policy": policy,
        "title": title,
        "attachments": policy.attachments.all() if policy else [],
        "breadcrumbs": crumbs + [(title, None)],
    }, status=400 if request.method == "POST" else 200)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def policy_create(request):
    return _save(request)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def policy_edit(request, pk):
    require_role(request.user, *EDITOR_ROLES)
    policy = get_visible_or_404(selectors.policies_visible_to(request.user), pk)
    return _save(request, policy)


# --- one policy -----------------------------------------------------------------------------------
@never_cache
@login_required
def policy_detail(request, pk):
    if role_of(request.user) == Role.ENTERPRISE:
        return redirect("policies:h5_detail", pk=pk)
    require_role(request.user, *READER_ROLES)
    policy = get_visible_or_404(selectors.policies_visible_to(request.user), pk)
    today = timezone.localdate()
    staff_view = role_of(request.user) in FEDERATION_ROLES
    editor = _is_editor(request.user)
    refusal = services.expiry_refusal(policy, "发布或推送", on=today, on_its_page=True)
    match_count = selectors.matched_enterprises(request.user, policy).count() if staff_view else None
    return render(request, "policies/detail.html", {
        "policy": policy,
        "status_label": status_label(policy),
        "status_tag": status_tag(policy),
        "eligibility": eligibility_rows(policy),
        "attachments": policy.attachments.all(),
        "packages": policy.packages.order_by("order", "id"),
        "staff_view": staff_view,
        "match_count": match_count,
        "reach": selectors.reach(policy) if staff_view else None,
        "editor": editor,
        "refusal": refusal,
        "can_publish": editor and not services.publish_refusal(policy, today),
        "can_push": editor and not services.push_refusal(policy, today),
        "can_delete": editor and not services.delete_refusal(policy),
        "publish_form": PublishForm(),
        "push_form": PushForm(),
        "breadcrumbs": [("惠企政策", None), ("政策库", "policies:list"), (policy.title, None)],
    })


def _editor_policy(request, pk):
    require_role(request.user, *EDITOR_ROLES)
    return get_visible_or_404(selectors.policies_visible_to(request.user), pk)


@never_cache
@login_required
@require_POST
def policy_publish(request, pk):
    policy = _editor_policy(request, pk)
    form = PublishForm(request.POST)
    form.is_valid()  # two checkboxes: anything else is simply "off"
    data = form.cleaned_data
    try:
        policy, pushed = services.publish_policy(actor=request.user, policy=policy, push=data.get("push", False),
                                                 sms=data.get("sms", False))
    except Refused as exc:
        messages.error(request, exc.message)
    else:
        text = "发布成功。"
        if data.get("push"):
            text += f"已推送给 {pushed} 家匹配企业" + ("，并发送短信通知。" if data.get("sms") else "。")
        messages.success(request, text)
    return redirect("policies:detail", pk=policy.pk)


@never_cache
@login_required
@require_POST
def policy_push(request, pk):
    policy = _editor_policy(request, pk)
    form = PushForm(request.POST)
    form.is_valid()
    sms = form.cleaned_data.get("sms", False)
    try:
        pushed = services.push_policy(actor=request.user, policy=policy, sms=sms)
    except Refused as exc:
        messages.error(request, exc.message)
    else:
        if pushed:
            messages.success(request, f"推送成功：新推送给 {pushed} 家匹配企业" + ("，并发送短信通知。" if sms else "。"))
        else:
            messages.info(request, "没有需要推送的企业：匹配企业均已推送过（同一政策不会重复推送给同一企业）。")
    return redirect("policies:detail", pk=policy.pk)


@never_cache
@login_required
@require_POST
def policy_delete(request, pk):
    policy = _editor_policy(request, pk)
    try:
        services.delete_draft(actor=request.user, policy=policy)
    except Refused as exc:
        messages.error(request, exc.message)
        return redirect("policies:detail", pk=policy.pk)
    messages.success(request, f"已删除政策“{policy.title}”。")
    return redirect("policies:list")


# --- the enterprises a policy matches ----------------------------------------------------------------
def _matches(request, pk):
    policy = get_visible_or_404(selectors.policies_visible_to(request.user), pk)
    return policy, selectors.matched_enterprises_with_delivery(request.user, policy)


def _delivery_text(e):
    if e.delivered_at is None:
        return "未推送"
    if e.first_read_at is None:
        return "已推送，未读"
    return f"已读 {timezone.localtime(e.first_read_at):%Y-%m-%d %H:%M}"


MATCH_FIELDS = [
    ("企业名称", lambda e: e.name),
    ("统一社会信用代码", lambda e: e.uscc),
    ("企业类型", lambda e: e.enterprise_type.label),
    ("行业", lambda e: f"{e.industry_id} {e.industry.name}"),
    ("规模", lambda e: e.get_size_display()),
    ("所在街道", lambda e: e.street.name if e.street_id else ""),
    ("从业人数", lambda e: e.employees),
    ("推送与阅读", _delivery_text),
]


@never_cache
@login_required
def policy_matches(request, pk):
    require_role(request.user, *FEDERATION_ROLES)
    policy, qs = _matches(request, pk)
    columns = [Column(h, get) for h, get in MATCH_FIELDS]
    columns[0] = Column("企业名称", "name", link=lambda e: reverse("members:enterprise_detail", args=[e.pk]),
                        sort="name")
    columns[-1] = Column("推送与阅读", _delivery_text, tag=lambda e: "" if e.delivered_at is None else (
        "tag-success" if e.first_read_at else "tag-warning"))
    page = ListPage(
        title=f"匹配企业 · {policy.title}",
        breadcrumbs=[("惠企政策", None), ("政策库", "policies:list"),
                     (policy.title, None), ("匹配企业", None)],
        columns=columns,
        toolbar=[Action("导出", reverse("policies:matches_export", args=[policy.pk])),
                 Action("返回政策", reverse("policies:detail", args=[policy.pk]))],
        row_actions=lambda e: [Action("查看", reverse("members:enterprise_detail", args=[e.pk]))],
        empty_text="没有符合该政策条件的企业",
        default_sort="id",
    )
    return render_list(request, page, qs)


@login_required
def policy_matches_export(request, pk):
    require_role(request.user, *FEDERATION_ROLES)
    policy, qs = _matches(request, pk)
    rows = [[get(e) for _, get in MATCH_FIELDS] for e in qs.order_by("id")]
    return audited_export(actor=request.user, title=f"{policy.title[:40]}_匹配企业", object_type="policies.policy",
                          sheets=[("匹配企业", [h for h, _ in MATCH_FIELDS], rows)],
                          detail={"rows": len(rows), "policy": policy.pk})


@login_required
def attachment_download(request, pk):
    """An attachment, only to users who may see its policy (404 otherwise, audited)."""
    attachment = get_object_or_404(PolicyAttachment, pk=pk)
    get_visible_or_404(selectors.policies_visible_to(request.user), attachment.policy_id)
    return download_response(services.ATTACHMENT_FOLDER, attachment)
