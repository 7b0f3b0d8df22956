"""提名与评分 pages: the nominations list (scoped: a chamber secretary its own chamber's and its members'), 提名
from a category's page while the programme is 提名中, one nomination's page (its enterprise, reason and materials;
for the editors every judge's scores and the weighted total, for a judge their own), 修改/撤回, the materials'
download, a judge's queue (我的评审: done / to do / 回避) and the scoring form. Thin: parse, call a selector or a
service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from shanglian.accounts.roles import EDITOR_ROLES, JUDGE_ROLES, NOMINATOR_ROLES, Role, require_role, role_of
from shanglian.audit.models import AuditAction, AuditResult
from shanglian.audit.services import record
from shanglian.common.errors import Refused
from shanglian.common.records import history
from shanglian.common.uploads import download_response
from shanglian.members.selectors import enterprises_visible_to
from shanglian.ui.listing import Action, Column, ListPage, Tab, render_list
from shanglian.ui.records import form_page, saved, staff_page
from shanglian.ui.shortcuts import get_visible_or_404

from . import ranking
from .forms.nominations import NominationEditForm, NominationForm, NominationSearchForm, QueueForm, ScoreForm
from .models import Nomination, NominationAttachment, Programme
from .selectors import nominations as selectors
from .selectors.programmes import categories_visible_to
from .selectors.scopes import nominations_visible_to
from .services import nominations as services

N = Nomination.Status
P = Programme.Status
STATUS_TAGS = {N.NOMINATED: "tag-info", N.WITHDRAWN: "tag-muted"}
QUEUE_TAGS = {selectors.PENDING: "tag-warning", selectors.DONE: "tag-success", selectors.CONFLICTED: "tag-muted"}
CRUMBS = [("评选表彰", None), ("提名", "honours:nominations")]
HISTORY_ROWS = 50


def _for_form(form, error):
    """A service's ValidationError with its field names as the form's (others at the form's top)."""
    if not hasattr(error, "error_dict"):
        return error
    mapped = {}
    for name, errors in error.error_dict.items():
        mapped.setdefault(name if name in form.fields else NON_FIELD_ERRORS, []).extend(errors)
    return ValidationError(mapped)


def _may_change(user, nomination):
    """Whether the user may edit or withdraw this nomination at all (its state aside)."""
    role = role_of(user)
    return role in EDITOR_ROLES or (role == Role.CHAMBER and nomination.chamber_id == user.chamber_id)


def _editable_now(user, nomination):
    return (_may_change(user, nomination) and nomination.status == N.NOMINATED
            and not services.nomination_refusal(nomination.category.programme))


def _withdrawable_now(user, nomination):
    return (_may_change(user, nomination) and nomination.status == N.NOMINATED
            and nomination.category.programme.status in services.WITHDRAWABLE)


# --- the list ----------------------------------------------------------------------------------------------------
@never_cache
@login_required
def nomination_list(request):
    user = request.user
    nominations_visible_to(user)  # 403 before anything else for a role without nominations
    form = NominationSearchForm(request.GET or None, user=user)
    if form.is_bound and not form.is_valid():
        qs = Nomination.objects.none()
        empty = "搜索条件有误：" + "；".join(str(e) for errors in form.errors.values() for e in errors)
    else:
        qs = selectors.nomination_list(user, filters=form.filters() if form.is_bound else {})
        empty = "没有找到符合条件的提名" if request.GET else "暂无提名（在评选活动的类别页面中提名企业）"

    def detail(n):
        return reverse("honours:nomination", args=[n.pk])

    def row_actions(n):
        actions = [Action("查看", detail(n))]
        if _editable_now(user, n):
            actions.append(Action("修改", reverse("honours:nomination_edit", args=[n.pk])))
        return actions

    page = ListPage(
        title="提名", breadcrumbs=[("评选表彰", None), ("提名", None)], search_form=form,
        columns=[
            Column("被提名企业", "enterprise.name", link=detail, wrap=True),
            Column("评选活动", lambda n: str(n.category.programme), wrap=True),
            Column("类别", "category.name"),
            Column("推荐商会", lambda n: n.chamber.name if n.chamber_id else None),
            Column("状态", "get_status_display", tag=lambda n: STATUS_TAGS.get(n.status, ""), sort="status"),
            Column("提名时间", lambda n: f"{n.nominated_at:%Y-%m-%d}", sort="nominated_at"),
        ],
        row_actions=row_actions, empty_text=empty, default_sort="-nominated_at",
    )
    return render_list(request, page, qs)


# --- nominate / edit / withdraw ----------------------------------------------------------------------------------
@staff_page
def nomination_create(request, pk):
    """提名 from a category's page: only while the programme is 提名中 (else back to the category, said why)."""
    user = request.user
    require_role(user, *NOMINATOR_ROLES)
    category = get_visible_or_404(categories_visible_to(user), pk)
    programme = category.programme
    refusal = services.nomination_refusal(programme)
    if refusal:
        messages.error(request, refusal)
        return redirect(category)
    form = NominationForm(request.POST or None, request.FILES or None, user=user)

    def save(f):
        try:
            return services.nominate(actor=user, category=category, **f.nomination_data())
        except Refused as exc:
            raise ValidationError(exc.message) from None
        except ValidationError as exc:
            raise _for_form(f, exc) from None

    intro = ("只能提名本商会在册的会员企业，提名以本商会名义推荐。" if role_of(user) == Role.CHAMBER
             else "可提名本工商联范围内的企业，可选择推荐商会。")
    if programme.nomination_deadline:
        intro += f"提名截止日期：{programme.nomination_deadline:%Y-%m-%d}。"
    return saved(request, form, save) or form_page(
        request, form=form, title=f"提名：{category.name}", subject=str(programme), intro=intro, multipart=True,
        breadcrumbs=[*CRUMBS, (str(programme), None), (category.name, None), ("提名", None)],
        cancel_url=category.get_absolute_url(), submit_label="提交提名")


def _changeable(user, pk):
    return get_visible_or_404(selectors.nominations_editable_by(user).select_related("category__programme"), pk)


@staff_page
def nomination_edit(request, pk):
    user = request.user
    nomination = _changeable(user, pk)
    if not _editable_now(user, nomination):
        reason = (services.nomination_refusal(nomination.category.programme)
                  or f"该提名{nomination.get_status_display()}，不能修改。")
        messages.error(request, reason)
        return redirect(nomination)
    form = NominationEditForm(request.POST or None, request.FILES or None, nomination=nomination)

    def save(f):
        try:
            return services.edit_nomination(actor=user, nomination=nomination, **f.edit_data())
        except Refused as exc:
            raise ValidationError(exc.message) from None
        except ValidationError as exc:
            raise _for_form(f, exc) from None

    return saved(request, form, save) or form_page(
        request, form=form, title="修改提名", subject=str(nomination), multipart=True,
        breadcrumbs=[*CRUMBS, (nomination.enterprise.name, None), ("修改", None)],
        cancel_url=nomination.get_absolute_url())


@staff_page
def nomination_withdraw(request, pk):
    """撤回: a confirmation, then the service (a refusal is shown on the nomination's page)."""
    user = request.user
    nomination = _changeable(user, pk)
    if request.method == "POST":
        try:
            services.withdraw_nomination(actor=user, nomination=nomination)
        except Refused as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已撤回对“{nomination.enterprise.name}”的提名。")
        return redirect(nomination)
    if not _withdrawable_now(user, nomination):
        programme = nomination.category.programme
        messages.error(request, "该提名已撤回。" if nomination.status != N.NOMINATED
                       else f"评选当前为“{programme.get_status_display()}”，不能撤回提名。")
        return redirect(nomination)
    return render(request, "honours/nominations/withdraw.html", {
        "nomination": nomination, "cancel_url": nomination.get_absolute_url(),
        "breadcrumbs": [*CRUMBS, (nomination.enterprise.name, None), ("撤回", None)],
    })


# --- one nomination ----------------------------------------------------------------------------------------------
def _total_of(nomination):
    """The nomination's weighted total as the ranking computes it (`ranking.nomination_totals`: the mean of the
    counted judges' weighted scores, None while no judge has fully scored it), or None for a withdrawn one."""
    return next((t for t in ranking.nomination_totals(nomination.category) if t.nomination.pk == nomination.pk), None)


@never_cache
@login_required
def nomination_detail(request, pk):
    user = request.user
    nomination = get_visible_or_404(nominations_visible_to(user).select_related("nominated_by"), pk)
    programme = nomination.category.programme
    editor = role_of(user) in EDITOR_ROLES
    seat = selectors.seat_of(user, programme) if role_of(user) in JUDGE_ROLES else None
    sheet = selectors.score_sheet(nomination) if editor or seat else None
    mine = conflict = None
    if seat is not None:
        conflict = selectors.conflict_of(seat, nomination)
        mine = next((row for row in sheet.rows if row.judge.pk == seat.pk), None)
    context = {
        "nomination": nomination, "programme": programme, "category": nomination.category,
        "status_tag": STATUS_TAGS.get(nomination.status, ""),
        "enterprise_visible": enterprises_visible_to(user).filter(pk=nomination.enterprise_id).exists(),
        "attachments": list(nomination.attachments.order_by("id")),
        "can_edit": _editable_now(user, nomination), "can_withdraw": _withdrawable_now(user, nomination),
        "editor": editor, "criteria": sheet.criteria if sheet else [],
        # every judge's row for the editors: [(judge, [value per criterion], conflict, complete)]
        "sheet_rows": [(row.judge, [row.scores.get(c.pk) for c in sheet.criteria], row.conflict, row.complete)
                       for row in sheet.rows] if editor else None,
        "total": None,
        "seat": seat, "mine": mine, "conflict": conflict,
        "my_scores": [(c, mine.scores.get(c.pk)) for c in sheet.criteria] if mine else [],
        "can_score": (seat is not None and not conflict and programme.status == P.SCORING
                      and nomination.status == N.NOMINATED),
        "history": history(nomination)[:HISTORY_ROWS] if editor else [],
        "breadcrumbs": [*CRUMBS, (nomination.enterprise.name, None)],
    }
    if editor:
        context["total"] = _total_of(nomination)
    return render(request, "honours/nominations/detail.html", context)


@never_cache
@login_required
def attachment_download(request, pk):
    """A nomination's material, after the scope check (another scope's: 404, audited)."""
    attachment = get_visible_or_404(
        NominationAttachment.objects.filter(nomination__in=nominations_visible_to(request.user).values("pk")), pk)
    return download_response(services.ATTACHMENT_FOLDER, attachment)


# --- scoring -----------------------------------------------------------------------------------------------------
@never_cache
@login_required
def my_scoring(request):
    """我的评审: the nominations of the programmes in 评审中 whose panel the user sits on, each 待评分 / 已评分 / 回避
    (`?state=` one of them; 待评分 is the 待办's list)."""
    user = request.user
    seats = selectors.scoring_seats(user)  # 403 for a role that never judges
    form = QueueForm(request.GET or None)
    state = form.cleaned_data.get("state") if form.is_bound and form.is_valid() else ""
    qs = selectors.scoring_queue(user, state=state or None, seats=seats)
    base = reverse("honours:my_scoring")
    tabs = [Tab("全部", base, active=not state)]
    for key, label in selectors.QUEUE_STATES.items():
        n = selectors.scoring_queue(user, state=key, seats=seats).count()
        tabs.append(Tab(label, f"{base}?state={key}", count=n, active=state == key,
                        level="danger" if key == selectors.PENDING and n else ""))

    def detail(n):
        return reverse("honours:nomination", args=[n.pk])

    def row_actions(n):
        actions = [Action("查看", detail(n))]
        if not n.conflicted:
            label = "修改评分" if selectors.queue_state(n) == selectors.DONE else "评分"
            actions.append(Action(label, reverse("honours:nomination_score", args=[n.pk])))
        return actions

    empty = ("您目前不是任何评审中评选的评审委员" if not seats
             else "没有待评分的提名" if state == selectors.PENDING else "暂无提名")
    page = ListPage(
        title="我的评审", breadcrumbs=[("评选表彰", None), ("我的评审", None)], tabs=tabs,
        columns=[
            Column("被提名企业", "enterprise.name", link=detail, wrap=True),
            Column("评选活动", lambda n: str(n.category.programme), wrap=True),
            Column("类别", "category.name"),
            Column("推荐商会", lambda n: n.chamber.name if n.chamber_id else None),
            Column("评分情况", lambda n: selectors.QUEUE_STATES[selectors.queue_state(n)],
                   tag=lambda n: QUEUE_TAGS[selectors.queue_state(n)]),
            Column("已评指标", lambda n: "—" if n.conflicted else f"{n.my_score_count}/{n.criterion_count}"),
        ],
        row_actions=row_actions, empty_text=empty, default_sort="id",
    )
    return render_list(request, page, qs)


def _refused(request, nomination, message):
    """403 with the reason (a conflicted judge must see why), audited as every refusal."""
    record(AuditAction.DENIED, actor=request.user, result=AuditResult.DENIED, obj=nomination,
           detail={"reason": message})
    return render(request, "honours/nominations/refused.html", {
        "nomination": nomination, "message": message,
        "breadcrumbs": [*CRUMBS, (nomination.enterprise.name, None), ("评分", None)],
    }, status=403)


@staff_page
def nomination_score(request, pk):
    """评分: one score per criterion, all or nothing; again while 评审中 to change them. Not a judge of the programme
    or conflicted: 403; the programme not 评审中 or the nomination withdrawn: back to the nomination, said why."""
    user = request.user
    require_role(user, *JUDGE_ROLES)
    nomination = get_visible_or_404(nominations_visible_to(user), pk)
    programme = nomination.category.programme
    seat = selectors.seat_of(user, programme)
    if seat is None:
        raise PermissionDenied(selectors.NOT_A_JUDGE)
    conflict = selectors.conflict_of(seat, nomination)
    if conflict:
        return _refused(request, nomination, selectors.CONFLICT_REFUSAL.format(reason=conflict))
    if programme.status != P.SCORING:
        messages.error(request, f"评选当前为“{programme.get_status_display()}”，只有评审中的评选可以评分。")
        return redirect(nomination)
    if nomination.status != N.NOMINATED:
        messages.error(request, "该提名已撤回，不能评分。")
        return redirect(nomination)
    criteria = selectors.score_sheet(nomination).criteria
    form = ScoreForm(request.POST or None, criteria=criteria, scores=selectors.scores_of(seat, nomination))
    if request.method == "POST" and form.is_valid():
        try:
            services.record_scores(actor=user, nomination=nomination, values=form.score_values())
        except Refused as exc:
            messages.error(request, exc.message)
            return redirect(nomination)
        except PermissionDenied as exc:
            return _refused(request, nomination, str(exc))
        except ValidationError as exc:
            form.add_error(None, _for_form(form, exc))
        else:
            messages.success(request, f"已保存对“{nomination.enterprise.name}”的评分。")
            return redirect(f"{reverse('honours:my_scoring')}?state={selectors.PENDING}")
    return render(request, "honours/nominations/score.html", {
        "nomination": nomination, "programme": programme, "form": form, "criteria": criteria,
        "breadcrumbs": [("评选表彰", None), ("我的评审", "honours:my_scoring"), (nomination.enterprise.name, None),
                        ("评分", None)],
    }, status=400 if request.method == "POST" else 200)
