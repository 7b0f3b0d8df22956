"""Pages of the supply–demand board (供需对接). Thin: parse, call a selector or a service, render.

Back office (`MEMBER_READER_ROLES`; the scopes' refusal for the others — 403; another scope's record 404):
- 供需对接: the list (search, category, status, 行业大类, 对接活动) and its export (`audited_export`); one post's page
  (its facts, the linked matchmaking events, the matching posts, the contact requests for the federation's roles,
  the outcomes, 关闭 from POST_FLOW); 发布 on behalf of an enterprise and 编辑 (editors, who link events).
- 对接请求: the federation's roles' list of requests (status, 超过7天未处理): the desk sees who asked whom, never a
  contact detail; the decisions are the enterprises'.
- 对接成果: the list with its totals and export; 登记/编辑/删除 by the editors.

The enterprise's phone (H5, enterprise users only; an enterprise opening a back-office page of the board is sent
to its phone page):
- 供需 (the tab): the live posts of others in its federations, search and category, its own posts with their
  pending requests; 发布 (a member in force); one post: for the poster its requests (同意/婉拒) and the matching
  posts; for another member the 对接请求 form, its request's status, and — only after the poster's consent — the
  poster's contact; 我的对接 (requests received and sent).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from shanglian.accounts.roles import (
    EDITOR_ROLES,
    FEDERATION_ROLES,
    Role,
    enterprise_only,
    require_role,
    role_of,
)
from shanglian.common.errors import Refused
from shanglian.common.money import fen, yuan_text
from shanglian.common.periods import day_text
from shanglian.common.records import history
from shanglian.common.validators import is_id
from shanglian.common.workflow import service_kwargs
from shanglian.imports.exports import audited_export
from shanglian.members.selectors import enterprises_visible_to
from shanglian.ui.listing import Action, Column, ListPage, Tab, export_action, render_list
from shanglian.ui.records import delete_page, edit_page, staff_page
from shanglian.ui.shortcuts import get_visible_or_404

from .forms import board as forms
from .models import ContactRequest, MatchOutcome, Post
from .selectors import board as selectors
from .selectors.scopes import contact_requests_visible_to, posts_visible_to
from .services import board as services
from .services import outcomes as outcome_services
from .workflow import CONTACT_FLOW, POST_FLOW

GROUP = ("会员发展与服务", None)
CRUMBS = [GROUP, ("供需对接", "growth:posts")]
OUTCOME_CRUMBS = [GROUP, ("对接成果", "growth:outcomes")]
HISTORY_ROWS = 50
H5_PAGE = 20
REQUEST_TAGS = {"pending": "warning", "accepted": "success", "declined": "muted", "withdrawn": "muted"}
LIST_TAGS = {"对接中": "tag-success", "已过期": "tag-warning", "已关闭": "tag-muted"}


def status_text(post, today=None):
    if post.status == Post.Status.CLOSED:
        return "已关闭"
    return "对接中" if selectors.is_live(post, today) else "已过期"


def _amount(post):
    return f"{yuan_text(post.amount)} 元" if post.amount is not None else ""


POST_EXPORT = [
    ("编号", lambda p: p.number),
    ("类别", lambda p: p.get_category_display()),
    ("标题", lambda p: p.title),
    ("发布企业", lambda p: p.enterprise.name),
    ("行业", lambda p: str(p.industry) if p.industry_id else ""),
    ("关键词", lambda p: p.keywords),
    ("金额（元）", lambda p: p.amount),
    ("用工人数", lambda p: p.headcount),
    ("有效期至", lambda p: day_text(p.valid_until)),
    ("状态", lambda p: status_text(p)),
    ("关闭原因", lambda p: p.closed_reason),
    ("对接请求数", lambda p: p.requests),
    ("发布时间", lambda p: timezone.localtime(p.created_at).strftime("%Y-%m-%d %H:%M")),
    ("内容", lambda p: p.body),
]


def _to_phone(request, name, *args):
    """An enterprise opening a back-office page of the board goes to its phone page."""
    return redirect(name, *args) if role_of(request.user) == Role.ENTERPRISE else None


# --- the board (back office) -------------------------------------------------------------------------------------------
def _posts(request):
    user = request.user
    posts_visible_to(user)  # 403 first for a role without the board
    form = forms.PostSearchForm(request.GET or None, user=user)
    data = form.cleaned_data if form.is_valid() else {}
    return form, selectors.post_list(user, filters=data)


@never_cache
@login_required
def post_list(request):
    phone = _to_phone(request, "growth:h5_board")
    if phone:
        return phone
    form, qs = _posts(request)
    editor = selectors.is_editor(request.user)
    toolbar = [Action("代企业发布", reverse("growth:post_create"), "primary")] if editor else []
    toolbar.append(export_action(request, "growth:posts_export"))
    if role_of(request.user) in FEDERATION_ROLES:
        toolbar.append(Action("对接请求", reverse("growth:contacts")))
    toolbar.append(Action("对接成果", reverse("growth:outcomes")))
    today = timezone.localdate()

    def detail(p):
        return reverse("growth:post", args=[p.pk])

    def actions(p):
        shown = [Action("查看", detail(p))]
        if editor and p.status == Post.Status.OPEN:
            shown.append(Action("编辑", reverse("growth:post_edit", args=[p.pk])))
        return shown

    page = ListPage(
        title="供需对接",
        breadcrumbs=[GROUP, ("供需对接", None)],
        search_form=form,
        toolbar=toolbar,
        columns=[
            Column("编号", "number", link=detail, sort="number"),
            Column("标题", "title", link=detail, wrap=True),
            Column("类别", "get_category_display", sort="category"),
            Column("发布企业", "enterprise.name", wrap=True),
            Column("行业", lambda p: p.industry.name if p.industry_id else None),
            Column("有效期至", lambda p: day_text(p.valid_until), sort="valid_until"),
            Column("状态", lambda p: status_text(p, today), tag=lambda p: LIST_TAGS[status_text(p, today)]),
            Column("对接请求", "requests"),
            Column("发布时间", lambda p: timezone.localtime(p.created_at).strftime("%Y-%m-%d"), sort="created_at"),
        ],
        row_actions=actions,
        empty_text="没有找到符合条件的供需信息" if request.GET else "暂无供需信息",
        default_sort="-created_at",
    )
    return render_list(request, page, qs)


@login_required
def post_export(request):
    if role_of(request.user) == Role.ENTERPRISE:
        raise PermissionDenied("请在手机端查看供需信息。")
    _form, qs = _posts(request)
    rows = [[get(p) for _, get in POST_EXPORT] for p in qs.order_by("-created_at", "-id")]
    return audited_export(actor=request.user, title="供需信息", object_type="growth.post",
                          sheets=[("供需信息", [header for header, _ in POST_EXPORT], rows)],
                          detail={"rows": len(rows), "filters": request.GET.dict()})


def _close_form(request, post, bound=None):
    offered = POST_FLOW.available(request.user, post, role=role_of(request.user))
    if not offered:
        return None
    return bound or forms.ClosePostForm(user=request.user)


def _render_post(request, post, *, close_form=None, status=200):
    user = request.user
    role = role_of(user)
    editor = role in EDITOR_ROLES
    editable = editor and post.status == Post.Status.OPEN
    enterprise_visible = enterprises_visible_to(user).filter(pk=post.enterprise_id).exists()
    requests = list(selectors.requests_of_post(user, post))
    outcomes = list(selectors.post_outcomes(user, post))
    return render(request, "growth/board/detail.html", {
        "post": post, "status": status_text(post), "status_tag": LIST_TAGS[status_text(post)],
        "amount": _amount(post), "events": list(post.events.select_related("kind").order_by("starts_at")),
        "enterprise_url": reverse("members:enterprise_detail", args=[post.enterprise_id]) if enterprise_visible else "",
        "matches": selectors.matches(user, post) if post.status == Post.Status.OPEN else [],
        "requests": requests, "show_requests": role in FEDERATION_ROLES,
        "outcomes": [(o, yuan_text(o.amount) if o.amount is not None else "") for o in outcomes],
        "close_form": close_form if close_form is not None else (_close_form(request, post) if editor else None),
        "close_url": reverse("growth:post_transition", args=[post.pk, POST_FLOW["close_post"].url_part]),
        "edit_url": reverse("growth:post_edit", args=[post.pk]) if editable else "",
        "outcome_url": f"{reverse('growth:outcome_create')}?post={post.pk}" if editor else "",
        "history": list(history(post)[:HISTORY_ROWS]) if editor else None,
        "breadcrumbs": [*CRUMBS, (post.number, None)],
    }, status=status)


def _visible_post(user, pk):
    return get_visible_or_404(posts_visible_to(user).select_related("enterprise", "industry", "posted_by"), pk)


@never_cache
@login_required
def post_detail(request, pk):
    phone = _to_phone(request, "growth:h5_post", pk)
    if phone:
        return phone
    return _render_post(request, _visible_post(request.user, pk))


def _save_post(user, post=None):
    def save(form):
        data = dict(form.cleaned_data)
        try:
            return services.save_post(actor=user, post=post, **data)
        except Refused as exc:
            raise ValidationError(exc.message) from None

    return save


def _sections(form):
    return [(heading, [name for name in names if name in form.fields]) for heading, names in forms.SECTIONS]


def _initial_enterprise(request):
    value = request.GET.get("enterprise", "")
    return {"enterprise": int(value)} if is_id(value) else {}


@staff_page
def post_create(request):
    require_role(request.user, *EDITOR_ROLES)
    form = forms.PostForm(request.POST or None, user=request.user, initial=_initial_enterprise(request))
    return edit_page(request, form=form, save=_save_post(request.user), title="代企业发布供需信息",
                     intro="代会员企业发布采购、供应、合作、融资、用工或技术需求；对方发起对接请求后，须经发布企业同意才能看到联系方式。",
                     breadcrumbs=[*CRUMBS, ("代企业发布", None)], sections=_sections(form),
                     cancel_url=reverse("growth:posts"))


@staff_page
def post_edit(request, pk):
    post = get_visible_or_404(selectors.posts_editable_by(request.user).select_related("enterprise"), pk)
    if role_of(request.user) == Role.ENTERPRISE:
        return _h5_post_form(request, post)
    if post.status != Post.Status.OPEN:
        messages.error(request, "已关闭的供需信息不能再修改。")
        return redirect(post)
    form = forms.PostForm(request.POST or None, user=request.user, instance=post)
    return edit_page(request, form=form, save=_save_post(request.user, post), title="编辑供需信息",
                     subject=f"{post.number} {post.title}", sections=_sections(form),
                     breadcrumbs=[*CRUMBS, (post.number, None), ("编辑", None)], cancel_url=post.get_absolute_url())


@never_cache
@login_required
@require_POST
def post_transition(request, pk, action):
    """关闭 (POST_FLOW) from the post's page, the back office's or the poster's phone."""
    user = request.user
    phone = role_of(user) == Role.ENTERPRISE
    post = get_visible_or_404(selectors.posts_editable_by(user).select_related("enterprise", "industry"), pk)
    transition = next((t for t in POST_FLOW if not t.creates and t.url_part == action), None)
    if transition is None:
        raise Http404("没有这个操作。")
    form = transition.form_class(request.POST, user=user)
    error = ""
    if form.is_valid():
        try:
            POST_FLOW.run(transition.name, actor=user, obj=post, data=service_kwargs(form))
        except Refused as exc:
            messages.error(request, exc.message)
        except ValidationError as exc:
            form.add_error(None, exc)
            error = "；".join(exc.messages)
        else:
            messages.success(request, f"{transition.label}成功。")
            return redirect("growth:h5_post" if phone else "growth:post", pk=post.pk)
    else:
        error = "；".join(e for errors in form.errors.values() for e in errors)
    if not error:
        return redirect("growth:h5_post" if phone else "growth:post", pk=post.pk)
    if phone:
        return _render_h5_post(request, post, errors=[error], status=400)
    return _render_post(request, post, close_form=form, status=400)


# --- 对接请求 (the desk's view) ------------------------------------------------------------------------------------------
@never_cache
@login_required
def contact_list(request):
    phone = _to_phone(request, "growth:h5_contacts")
    if phone:
        return phone
    user = request.user
    form = forms.ContactSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = selectors.contact_list(user, filters=data)

    def post_url(r):
        return reverse("growth:post", args=[r.post_id])

    page = ListPage(
        title="对接请求",
        breadcrumbs=[*CRUMBS, ("对接请求", None)],
        search_form=form,
        columns=[
            Column("供需信息", lambda r: f"{r.post.number} {r.post.title}", link=post_url, wrap=True),
            Column("发布企业", "post.enterprise.name", wrap=True),
            Column("请求企业", "requester.name", wrap=True),
            Column("留言", "message", wrap=True),
            Column("状态", "get_status_display", sort="status",
                   tag=lambda r: f"tag-{REQUEST_TAGS[r.status]}"),
            Column("请求时间", lambda r: timezone.localtime(r.created_at).strftime("%Y-%m-%d %H:%M"),
                   sort="created_at"),
            Column("处理时间", lambda r: timezone.localtime(r.decided_at).strftime("%Y-%m-%d %H:%M")
                   if r.decided_at else None),
        ],
        empty_text="没有找到符合条件的对接请求" if request.GET else "暂无对接请求",
        default_sort="-created_at",
    )
    return render_list(request, page, qs)


@never_cache
@login_required
@require_POST
def contact_transition(request, pk, action):
    """同意对接/婉拒 (the poster's enterprise) or 撤回 (the requester's), from the enterprise's phone."""
    user = request.user
    require_role(user, *CONTACT_FLOW.roles)
    contact = get_visible_or_404(contact_requests_visible_to(user), pk)
    transition = next((t for t in CONTACT_FLOW if not t.creates and t.url_part == action), None)
    if transition is None:
        raise Http404("没有这个操作。")
    try:
        CONTACT_FLOW.run(transition.name, actor=user, obj=contact, data={})
    except (Refused, PermissionDenied) as exc:
        messages.error(request, getattr(exc, "message", None) or str(exc))
        return redirect("growth:h5_post", pk=contact.post_id)
    messages.success(request, f"{transition.label}成功。")
    return redirect("growth:h5_post", pk=contact.post_id)


# --- the enterprise's phone -------------------------------------------------------------------------------------------
def _card(post, today):
    return {"post": post, "status": status_text(post, today),
            "tag": {"对接中": "success", "已过期": "warning", "已关闭": "muted"}[status_text(post, today)]}


@enterprise_only
def h5_board(request):
    user = request.user
    form = forms.H5BoardSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    member = selectors.can_post(user)
    today = timezone.localdate()
    page_obj = None
    if member:
        paginator = Paginator(selectors.board_posts(user, category=data.get("category", ""), q=data.get("q", "")),
                              H5_PAGE)
        page_obj = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    mine = list(selectors.own_posts(user)[:5]) if user.enterprise_id else []
    return render(request, "growth/board/h5_board.html", {
        "form": form, "member": member, "page_obj": page_obj,
        "cards": [_card(p, today) for p in page_obj.object_list] if page_obj else [],
        "mine": [{**_card(p, today), "pending": p.pending} for p in mine],
        "pending": selectors.pending_received_count(user), "querystring": query.urlencode(),
        "searched": bool(data.get("q") or data.get("category")), "tab": "board",
    })


def _h5_post_form(request, post=None):
    """发布 (or 修改) on the phone: a member in force for itself."""
    user = request.user
    member = selectors.can_post(user) or post is not None
    errors = []
    form = forms.H5PostForm(request.POST or None, instance=post)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_post(actor=user, post=post, **form.cleaned_data)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, field_errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, field_errors)
            else:
                errors = list(exc.messages)
        except Refused as exc:
            errors = [exc.message]
        else:
            messages.success(request, f"发布成功，编号 {saved.number}" if post is None else "已保存。")
            return redirect("growth:h5_post", pk=saved.pk)
    return render(request, "growth/board/h5_form.html", {
        "form": form, "errors": errors, "member": member, "post": post, "tab": "board",
        "title": "修改供需信息" if post else "发布供需信息",
    }, status=400 if request.method == "POST" else 200)


@enterprise_only
def h5_post_create(request):
    if request.method not in ("GET", "POST"):
        return redirect("growth:h5_board")
    return _h5_post_form(request)


def _render_h5_post(request, post, *, errors=(), contact_form=None, status=200):
    user = request.user
    own = post.enterprise_id == user.enterprise_id
    mine = selectors.my_request(user, post)
    live = selectors.is_live(post)
    can_ask = (not own and live and (mine is None or mine.status not in (ContactRequest.Status.PENDING,
                                                                        ContactRequest.Status.ACCEPTED))
               and post.federation_id in selectors.member_federation_ids(user.enterprise_id))
    requests = []
    if own:
        for item in selectors.requests_of_post(user, post):
            requests.append({"request": item, "tag": REQUEST_TAGS[item.status],
                             "contact": (selectors.consented_contacts(item) or {}).get("requester"),
                             "actions": [(t.label, t.url_part, t.meta.get("confirm", ""), t.meta.get("style", ""))
                                         for t in CONTACT_FLOW.available(user, item, role=Role.ENTERPRISE)
                                         if t.name != "withdraw_contact"]})
    return render(request, "growth/board/h5_post.html", {
        "post": post, "own": own, "status": status_text(post), "amount": _amount(post),
        "tag": {"对接中": "success", "已过期": "warning", "已关闭": "muted"}[status_text(post)],
        "contact": selectors.poster_contact(user, post), "mine": mine,
        "mine_tag": REQUEST_TAGS.get(getattr(mine, "status", ""), "muted"),
        "can_withdraw": mine is not None and mine.status == ContactRequest.Status.PENDING,
        "can_ask": can_ask, "contact_form": contact_form or forms.ContactRequestForm(),
        "requests": requests, "matches": selectors.matches(user, post) if own and live else [],
        "close_form": forms.ClosePostForm() if own and post.status == Post.Status.OPEN else None,
        "close_url": reverse("growth:post_transition", args=[post.pk, POST_FLOW["close_post"].url_part]),
        "errors": list(errors), "tab": "board",
    }, status=status)


@enterprise_only
def h5_post(request, pk):
    return _render_h5_post(request, _visible_post(request.user, pk))


@enterprise_only
def h5_contact_request(request, pk):
    """对接请求: GET the form, POST it; the poster's contact stays hidden until the poster agrees."""
    post = _visible_post(request.user, pk)
    if request.method != "POST":
        return redirect("growth:h5_post", pk=post.pk)
    form = forms.ContactRequestForm(request.POST)
    if form.is_valid():
        try:
            services.request_contact(actor=request.user, post=post, message=form.cleaned_data["message"])
        except Refused as exc:
            return _render_h5_post(request, post, errors=[exc.message], contact_form=form, status=409)
        except ValidationError as exc:
            return _render_h5_post(request, post, errors=list(exc.messages), contact_form=form, status=400)
        messages.success(request, "对接请求已发出，对方同意后您将看到其联系方式。")
        return redirect("growth:h5_post", pk=post.pk)
    return _render_h5_post(request, post, errors=[e for es in form.errors.values() for e in es],
                           contact_form=form, status=400)


@enterprise_only
def h5_contacts(request):
    """我的对接: requests received on the enterprise's posts and those it sent, each with its status; an accepted one
    shows the other side's contact."""
    user = request.user
    received, sent = [], []
    if user.enterprise_id:
        for item in selectors.received_requests(user)[:100]:
            received.append({"request": item, "tag": REQUEST_TAGS[item.status],
                             "contact": (selectors.consented_contacts(item) or {}).get("requester")})
        for item in selectors.sent_requests(user)[:100]:
            sent.append({"request": item, "tag": REQUEST_TAGS[item.status],
                         "contact": (selectors.consented_contacts(item) or {}).get("poster")})
    return render(request, "growth/board/h5_contacts.html", {
        "received": received, "sent": sent, "pending": sum(1 for r in received if r["request"].status == "pending"),
        "tab": "board",
    })


# --- 对接成果 ----------------------------------------------------------------------------------------------------------
OUTCOME_EXPORT = [
    ("成果类型", lambda o: o.get_kind_display()),
    ("企业", lambda o: o.enterprise.name),
    ("对接方", lambda o: o.partner.name if o.partner_id else o.partner_name),
    ("供需信息", lambda o: f"{o.post.number} {o.post.title}" if o.post_id else ""),
    ("对接活动", lambda o: o.event.title if o.event_id else ""),
    ("达成日期", lambda o: day_text(o.reached_on)),
    ("金额（元）", lambda o: o.amount),
    ("招聘人数", lambda o: o.jobs),
    ("说明", lambda o: o.note),
]


def _outcomes(request):
    user = request.user
    form = forms.OutcomeSearchForm(request.GET or None, user=user)
    data = form.cleaned_data if form.is_valid() else {}
    return form, selectors.outcome_list(user, filters=data)


@never_cache
@login_required
def outcome_list(request):
    form, qs = _outcomes(request)
    editor = selectors.is_editor(request.user)
    toolbar = [Action("登记成果", reverse("growth:outcome_create"), "primary")] if editor else []
    toolbar.append(export_action(request, "growth:outcomes_export"))
    tabs = _kind_tabs(request)
    def actions(o):
        if not editor:
            return []
        return [Action("编辑", reverse("growth:outcome_edit", args=[o.pk])),
                Action("删除", reverse("growth:outcome_delete", args=[o.pk]))]

    page = ListPage(
        title="对接成果",
        breadcrumbs=[GROUP, ("对接成果", None)],
        search_form=form,
        toolbar=toolbar,
        columns=[
            Column("成果类型", "get_kind_display", sort="kind"),
            Column("企业", "enterprise.name", wrap=True),
            Column("对接方", lambda o: o.partner.name if o.partner_id else o.partner_name, wrap=True),
            Column("来源", lambda o: "、".join(x for x in (o.post.number if o.post_id else "",
                                                          o.event.title if o.event_id else "") if x), wrap=True,
                   link=lambda o: reverse("growth:post", args=[o.post_id]) if o.post_id else ""),
            Column("达成日期", lambda o: day_text(o.reached_on), sort="reached_on"),
            Column("金额（元）", lambda o: yuan_text(o.amount) if o.amount is not None else None, sort="amount"),
            Column("招聘人数", "jobs", sort="jobs"),
        ],
        row_actions=actions,
        tabs=tabs,
        empty_text="没有找到符合条件的对接成果" if request.GET else "暂无对接成果",
        default_sort="-reached_on",
    )
    return render_list(request, page, qs)


def _kind_tabs(request):
    """全部 / 达成合作 / 获得融资 / 招聘用工 with their counts (the search's other filters kept), each labelled with its
    sum: the amount in yuan, or the jobs filled."""
    totals = selectors.outcome_totals(selectors.outcome_list(request.user, filters=_without_kind(request)))
    query = request.GET.copy()
    query.pop("page", None)
    current = query.pop("kind", [""])[-1]
    base = reverse("growth:outcomes")

    def url(kind):
        q = query.copy()
        if kind:
            q["kind"] = kind
        return f"{base}?{q.urlencode()}" if q else base

    K = MatchOutcome.Kind
    return [
        Tab("全部", url(""), totals["deals"] + totals["financings"] + totals["hirings"], active=not current),
        Tab(f"达成合作（{yuan_text(fen(totals['deal_amount']))} 元）", url(K.DEAL), totals["deals"],
            active=current == K.DEAL),
        Tab(f"获得融资（{yuan_text(fen(totals['financing_amount']))} 元）", url(K.FINANCING), totals["financings"],
            active=current == K.FINANCING),
        Tab(f"招聘用工（{totals['jobs'] or 0} 人）", url(K.HIRING), totals["hirings"], active=current == K.HIRING),
    ]


def _without_kind(request):
    form = forms.OutcomeSearchForm(request.GET or None, user=request.user)
    data = dict(form.cleaned_data) if form.is_valid() else {}
    data.pop("kind", None)
    return data


@login_required
def outcome_export(request):
    _form, qs = _outcomes(request)
    rows = [[get(o) for _, get in OUTCOME_EXPORT] for o in qs.order_by("-reached_on", "-id")]
    return audited_export(actor=request.user, title="对接成果", object_type="growth.matchoutcome",
                          sheets=[("对接成果", [header for header, _ in OUTCOME_EXPORT], rows)],
                          detail={"rows": len(rows), "filters": request.GET.dict()})


def _save_outcome(user, outcome=None):
    return lambda form: outcome_services.save_outcome(actor=user, outcome=outcome, **form.cleaned_data)


def _outcome_initial(request):
    initial = {}
    for name in ("post", "event", "enterprise"):
        value = request.GET.get(name, "")
        if is_id(value):
            initial[name] = int(value)
    if "post" in initial:
        post = posts_visible_to(request.user).filter(pk=initial["post"]).first()
        if post is not None:
            initial.setdefault("enterprise", post.enterprise_id)
            initial.setdefault("kind", {Post.Category.FINANCING: MatchOutcome.Kind.FINANCING,
                                        Post.Category.HIRING: MatchOutcome.Kind.HIRING}.get(post.category,
                                                                                             MatchOutcome.Kind.DEAL))
    return initial


@staff_page
def outcome_create(request):
    selectors.outcomes_editable_by(request.user)  # 403 for a reader
    form = forms.OutcomeForm(request.POST or None, user=request.user, initial=_outcome_initial(request))
    return edit_page(request, form=form, save=_save_outcome(request.user), then=lambda o: reverse("growth:outcomes"),
                     title="登记对接成果", sections=forms.OUTCOME_SECTIONS,
                     intro="达成合作、获得融资须填写金额（元，精确到分）；招聘用工须填写招聘人数；至少关联一条供需信息或一场对接活动。",
                     breadcrumbs=[*OUTCOME_CRUMBS, ("登记", None)], cancel_url=reverse("growth:outcomes"))


@staff_page
def outcome_edit(request, pk):
    outcome = get_visible_or_404(selectors.outcomes_editable_by(request.user), pk)
    form = forms.OutcomeForm(request.POST or None, user=request.user, instance=outcome)
    return edit_page(request, form=form, save=_save_outcome(request.user, outcome),
                     then=lambda o: reverse("growth:outcomes"), title="编辑对接成果", subject=str(outcome),
                     sections=forms.OUTCOME_SECTIONS, breadcrumbs=[*OUTCOME_CRUMBS, ("编辑", None)],
                     cancel_url=reverse("growth:outcomes"))


@staff_page
def outcome_delete(request, pk):
    outcome = get_visible_or_404(selectors.outcomes_editable_by(request.user), pk)
    return delete_page(request, obj=outcome,
                       delete=lambda: outcome_services.delete_outcome(actor=request.user, outcome=outcome),
                       cancel_url=reverse("growth:outcomes"), done_url=reverse("growth:outcomes"),
                       breadcrumbs=[*OUTCOME_CRUMBS, ("删除", None)])
