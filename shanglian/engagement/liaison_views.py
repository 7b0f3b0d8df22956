"""Pages of liaison (包联/帮联) and visits (走访). Thin: parse, call a selector or a service, render.

- 包联企业 (the editors'): the list with its filters (层级, 街道, 包联人, 在期, 本年已走访, 超期未走访) and export,
  新增/编辑/删除, one liaison's page (its visits, the enterprise's last visit, 结束包联).
- 我的包联企业 (a leader's, or a staff member's who is a liaison): the enterprises assigned to them in force, the
  last visit and the days since (red past `VISIT_INTERVAL_DAYS`), the enterprise's open appeals, 记录走访.
- 走访记录 (the editors all of their federations, a leader their own): the list (走访日期, 企业, 包联人, 发现问题,
  已转诉求) and export, 记录走访 (from ?liaison= or ?enterprise=), 编辑 (the editors any visit, a leader only the
  visits they recorded: 403 on another's), one visit's page with the appeals opened from it and, for the editors,
  转为诉求 (the desk's registration form with the problems as its content).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from shanglian.accounts.roles import EDITOR_ROLES, VISITOR_ROLES, Role, require_role, role_of
from shanglian.appeals.services import RightsCase
from shanglian.common.errors import Refused
from shanglian.common.periods import day_text
from shanglian.common.records import history
from shanglian.common.validators import is_id
from shanglian.imports.exports import audited_export
from shanglian.members.selectors import enterprises_visible_to
from shanglian.ui.listing import Action, Column, ListPage, export_action, render_list
from shanglian.ui.records import delete_page, edit_page, staff_page
from shanglian.ui.shortcuts import get_visible_or_404

from .forms import liaison as forms
from .selectors import liaison as selectors
from .services import liaison as services

HISTORY_ROWS = 50
LIAISON_VISITS_SHOWN = 50
LIAISON_CRUMBS = [("政治引领", None), ("包联企业", "engagement:liaisons")]
MY_CRUMBS = [("政治引领", None), ("我的包联企业", "engagement:my_liaisons")]
VISIT_CRUMBS = [("政治引领", None), ("走访记录", "engagement:visits")]


def _is_editor(user):
    return role_of(user) in EDITOR_ROLES


def _liaison_crumbs(user):
    return LIAISON_CRUMBS if _is_editor(user) else MY_CRUMBS


def _street(liaison):
    street = liaison.street if liaison.street_id else liaison.enterprise.street
    return street.name if street is not None else ""


def _overdue_tag(today):
    return lambda item: "tag-danger" if selectors.is_overdue(item, today) else ""


def _days(today):
    return lambda item: selectors.days_since(item.last_visit, today) if item.last_visit else "从未走访"


# --- 包联企业 -----------------------------------------------------------------------------------------------
LIAISON_FIELDS = [
    ("企业", lambda item: item.enterprise.name),
    ("层级", lambda item: item.get_level_display()),
    ("街道", _street),
    ("包联人", lambda item: item.liaison_display),
    ("起始日期", lambda item: day_text(item.start)),
    ("结束日期", lambda item: day_text(item.end)),
    ("最近走访", lambda item: day_text(item.last_visit)),
    ("未办结诉求", lambda item: item.open_appeals),
    ("备注", lambda item: item.note),
]


def _liaisons(request):
    require_role(request.user, *EDITOR_ROLES)
    form = forms.LiaisonSearchForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else None
    return form, selectors.liaison_list(request.user, filters=filters).select_related("enterprise__street")


@never_cache
@login_required
def liaison_list(request):
    form, qs = _liaisons(request)
    today = timezone.localdate()

    def detail(item):
        return reverse("engagement:liaison", args=[item.pk])

    page = ListPage(
        title="包联企业",
        breadcrumbs=[("政治引领", None), ("包联企业", None)],
        search_form=form,
        toolbar=[Action("新增", reverse("engagement:liaison_create"), "primary"),
                 export_action(request, "engagement:liaisons_export")],
        columns=[
            Column("企业", "enterprise.name", link=detail, wrap=True),
            Column("层级", "get_level_display", sort="level"),
            Column("街道", _street),
            Column("包联人", "liaison_display"),
            Column("起始日期", lambda item: day_text(item.start), sort="start"),
            Column("在期", lambda item: "在期" if item.in_force_on(today) else "已结束",
                   tag=lambda item: "tag-success" if item.in_force_on(today) else "tag-muted"),
            Column("最近走访", lambda item: day_text(item.last_visit), sort="last_visit"),
            Column("距今天数", _days(today), tag=_overdue_tag(today)),
            Column("未办结诉求", "open_appeals", sort="open_appeals"),
        ],
        row_actions=lambda item: [Action("查看", detail(item)),
                                  Action("记录走访", f"{reverse('engagement:visit_create')}?liaison={item.pk}")],
        empty_text="没有找到符合条件的包联关系" if request.GET else "暂无包联关系",
        default_sort="-start",
    )
    return render_list(request, page, qs)


@login_required
def liaison_export(request):
    _form, qs = _liaisons(request)
    rows = [[get(item) for _, get in LIAISON_FIELDS] for item in qs.order_by("-start", "-id")]
    return audited_export(actor=request.user, title="包联企业清单", object_type="engagement.liaison",
                          sheets=[("包联企业", [h for h, _ in LIAISON_FIELDS], rows)],
                          detail={"rows": len(rows), "filters": request.GET.dict()})


def _save_liaison(user, liaison=None):
    def save(form):
        data = form.cleaned_data
        return services.save_liaison(actor=user, liaison=liaison, **{name: data.get(name) for name in
                                                                     services.LIAISON_FIELDS})
    return save


@staff_page
def liaison_create(request):
    require_role(request.user, *EDITOR_ROLES)
    form = forms.LiaisonForm(request.POST or None, user=request.user)
    return edit_page(request, form=form, save=_save_liaison(request.user), title="新增包联关系",
                     intro="区级包联由区领导或部门联系企业；街道帮联由街道（职能部门）联系企业。包联人账号与包联部门二选一。",
                     breadcrumbs=[*LIAISON_CRUMBS, ("新增", None)], cancel_url=reverse("engagement:liaisons"),
                     sections=[("包联关系", ["enterprise", "level", "street", "user", "department", "liaison_name"]),
                               ("包联期间", ["start", "end", "note"])])


@staff_page
def liaison_edit(request, pk):
    """编辑包联关系; a POST with `action=end` is 结束包联 from the liaison's page."""
    liaison = get_visible_or_404(selectors.liaisons_editable_by(request.user), pk)
    if request.method == "POST" and request.POST.get("action") == "end":
        end_form = forms.EndLiaisonForm(request.POST)
        if end_form.is_valid():
            try:
                services.end_liaison(actor=request.user, liaison=liaison, end=end_form.cleaned_data["end"])
            except Refused as exc:
                end_form.add_error(None, exc.message)
            except ValidationError as exc:
                end_form.add_error(None, exc)
            else:
                messages.success(request, "已结束包联。")
                return redirect(liaison)
        return _render_liaison(request, liaison, end_form=end_form, status=400)
    form = forms.LiaisonForm(request.POST or None, user=request.user, instance=liaison)
    return edit_page(request, form=form, save=_save_liaison(request.user, liaison), title="编辑包联关系",
                     subject=str(liaison), breadcrumbs=[*LIAISON_CRUMBS, ("编辑", None)],
                     cancel_url=liaison.get_absolute_url(),
                     sections=[("包联关系", ["enterprise", "level", "street", "user", "department", "liaison_name"]),
                               ("包联期间", ["start", "end", "note"])])


@staff_page
def liaison_delete(request, pk):
    liaison = get_visible_or_404(selectors.liaisons_editable_by(request.user), pk)
    return delete_page(request, obj=liaison,
                       delete=lambda: services.delete_liaison(actor=request.user, liaison=liaison),
                       cancel_url=liaison.get_absolute_url(), done_url=reverse("engagement:liaisons"),
                       breadcrumbs=[*LIAISON_CRUMBS, ("删除", None)])


def _render_liaison(request, liaison, *, end_form=None, status=200):
    user, today = request.user, timezone.localdate()
    facts = selectors.with_visit_facts(selectors.liaisons_visible_to(user).filter(pk=liaison.pk), user).get()
    editor = _is_editor(user)
    visits = selectors.liaison_visits(user, liaison)
    return render(request, "engagement/liaison/liaison_detail.html", {
        "liaison": facts,
        "in_force": facts.in_force_on(today),
        "overdue": selectors.is_overdue(facts, today),
        "days_since": selectors.days_since(facts.last_visit, today),
        "interval": selectors.VISIT_INTERVAL_DAYS,
        "visits": visits[:LIAISON_VISITS_SHOWN],
        "visit_count": visits.count(),
        "open_appeals": selectors.enterprise_open_appeals(user, facts.enterprise_id).select_related("category"),
        "editor": editor,
        "can_record": role_of(user) in VISITOR_ROLES,
        "end_form": end_form if end_form is not None else (forms.EndLiaisonForm() if editor and not facts.end
                                                           else None),
        "history": history(liaison)[:HISTORY_ROWS] if editor else (),
        "breadcrumbs": [*_liaison_crumbs(user), (facts.enterprise.name, None)],
    }, status=status)


@never_cache
@login_required
def liaison_detail(request, pk):
    liaison = get_visible_or_404(selectors.liaisons_visible_to(request.user), pk)
    return _render_liaison(request, liaison)


# --- 我的包联企业 -----------------------------------------------------------------------------------------
@never_cache
@login_required
def my_liaisons(request):
    require_role(request.user, *VISITOR_ROLES)
    form = forms.MyLiaisonSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else None
    today = timezone.localdate()
    qs = selectors.my_liaisons(request.user, filters=filters, on=today)

    def detail(item):
        return reverse("engagement:liaison", args=[item.pk])

    page = ListPage(
        title="我的包联企业",
        breadcrumbs=[("政治引领", None), ("我的包联企业", None)],
        search_form=form,
        toolbar=[Action("走访记录", reverse("engagement:visits"))],
        columns=[
            Column("企业", "enterprise.name", link=detail, wrap=True),
            Column("层级", "get_level_display"),
            Column("起始日期", lambda item: day_text(item.start), sort="start"),
            Column("最近走访", lambda item: day_text(item.last_visit), sort="last_visit"),
            Column("距今天数", _days(today), tag=_overdue_tag(today)),
            Column("未办结诉求", "open_appeals", sort="open_appeals",
                   link=lambda item: f"{detail(item)}#appeals" if item.open_appeals else ""),
        ],
        row_actions=lambda item: [Action("记录走访", f"{reverse('engagement:visit_create')}?liaison={item.pk}",
                                         "primary"),
                                  Action("企业档案", reverse("members:enterprise_detail", args=[item.enterprise_id]))],
        empty_text=(f"没有超过{selectors.VISIT_INTERVAL_DAYS}天未走访的包联企业" if request.GET.get("overdue")
                    else "您目前没有在期的包联企业"),
        default_sort="start",
    )
    return render_list(request, page, qs)


# --- 走访记录 -----------------------------------------------------------------------------------------------
def _liaison_name(visit):
    return visit.liaison.liaison_display if visit.liaison_id else ""


VISIT_FIELDS = [
    ("走访日期", lambda v: day_text(v.visited_on)),
    ("企业", lambda v: v.enterprise.name),
    ("包联人", _liaison_name),
    ("走访人员", lambda v: v.visitors),
    ("接待人员", lambda v: v.people_met),
    ("走访情况", lambda v: v.summary),
    ("发现问题", lambda v: v.problems),
    ("后续跟进", lambda v: v.follow_up),
    ("转为诉求", lambda v: v.appeal_count),
    ("记录人", lambda v: str(v.recorded_by) if v.recorded_by_id else ""),
]
PROBLEM_PREVIEW = 30


def _preview(text):
    text = " ".join((text or "").split())
    return text if len(text) <= PROBLEM_PREVIEW else text[:PROBLEM_PREVIEW - 1] + "…"


def _visits(request):
    require_role(request.user, *VISITOR_ROLES)
    form = forms.VisitSearchForm(request.GET or None, user=request.user)
    filters = form.filters() if form.is_valid() else None
    return form, selectors.visit_list(request.user, filters=filters)


@never_cache
@login_required
def visit_list(request):
    form, qs = _visits(request)

    def detail(visit):
        return reverse("engagement:visit", args=[visit.pk])

    page = ListPage(
        title="走访记录",
        breadcrumbs=[("政治引领", None), ("走访记录", None)],
        search_form=form,
        toolbar=[Action("记录走访", reverse("engagement:visit_create"), "primary"),
                 export_action(request, "engagement:visits_export")],
        columns=[
            Column("走访日期", lambda v: day_text(v.visited_on), link=detail, sort="visited_on"),
            Column("企业", "enterprise.name", wrap=True),
            Column("包联人", _liaison_name),
            Column("走访人员", "visitors"),
            Column("发现问题", lambda v: _preview(v.problems), wrap=True),
            Column("转为诉求", "appeal_count", sort="appeal_count",
                   tag=lambda v: "tag-info" if v.appeal_count else ""),
        ],
        row_actions=lambda v: [Action("查看", detail(v))],
        empty_text="没有找到符合条件的走访记录" if request.GET else "暂无走访记录",
        default_sort="-visited_on",
    )
    return render_list(request, page, qs)


@login_required
def visit_export(request):
    _form, qs = _visits(request)
    rows = [[get(v) for _, get in VISIT_FIELDS] for v in qs.order_by("-visited_on", "-id")]
    return audited_export(actor=request.user, title="走访记录", object_type="engagement.visit",
                          sheets=[("走访记录", [h for h, _ in VISIT_FIELDS], rows)],
                          detail={"rows": len(rows), "filters": request.GET.dict()})


def _save_visit(user, visit=None):
    def save(form):
        return services.save_visit(actor=user, visit=visit, **form.service_kwargs())
    return save


def _start_from(request):
    """The liaison or enterprise a new visit starts from (?liaison=, ?enterprise=), in the user's scope."""
    liaison = enterprise = None
    wanted = request.GET.get("liaison", "")
    if wanted:
        liaison = get_visible_or_404(selectors.liaisons_visible_to(request.user), wanted if is_id(wanted) else 0)
    wanted = request.GET.get("enterprise", "")
    if wanted and liaison is None:
        enterprise = get_visible_or_404(enterprises_visible_to(request.user), wanted if is_id(wanted) else 0)
    return liaison, enterprise


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def visit_create(request):
    require_role(request.user, *VISITOR_ROLES)
    liaison, enterprise = _start_from(request)
    form = forms.VisitForm(request.POST or None, user=request.user, liaison=liaison, enterprise=enterprise)
    leader = role_of(request.user) == Role.LEADER
    intro = ("记录您包联企业的走访情况；发现的问题由工商联工作人员转为诉求办理。" if leader
             else "记录走访情况；保存后可将发现的问题“转为诉求”。")
    return edit_page(request, form=form, save=_save_visit(request.user), title="记录走访", intro=intro,
                     breadcrumbs=[*VISIT_CRUMBS, ("记录走访", None)],
                     cancel_url=liaison.get_absolute_url() if liaison else reverse("engagement:visits"),
                     sections=_visit_sections(form))


def _visit_sections(form):
    groups = [("走访对象", ["enterprise", "liaison", "visited_on", "visitors", "people_met"]),
              ("走访内容", ["summary", "problems", "follow_up"])]
    return [(heading, [name for name in names if name in form.fields]) for heading, names in groups]


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def visit_edit(request, pk):
    """编辑走访记录: a visit out of scope is 404; one the user may read but not correct (a leader on a visit
    someone else recorded) 403, nothing changed."""
    visit = get_visible_or_404(selectors.visits_visible_to(request.user), pk)
    if not selectors.may_edit_visit(request.user, visit):
        raise PermissionDenied("您只能编辑本人记录的走访。")
    form = forms.VisitForm(request.POST or None, user=request.user, instance=visit)
    return edit_page(request, form=form, save=_save_visit(request.user, visit), title="编辑走访记录",
                     subject=str(visit), breadcrumbs=[*VISIT_CRUMBS, ("编辑", None)],
                     cancel_url=visit.get_absolute_url(), sections=_visit_sections(form))


@never_cache
@login_required
def visit_detail(request, pk):
    visit = get_visible_or_404(selectors.visits_visible_to(request.user).select_related(
        "liaison__user", "liaison__department", "enterprise__street"), pk)
    raised, hidden = selectors.visit_appeals(request.user, visit)
    editor = _is_editor(request.user)
    return render(request, "engagement/liaison/visit_detail.html", {
        "visit": visit,
        "raised_appeals": raised,
        "hidden_appeals": hidden,
        "can_raise": selectors.may_raise_appeals(request.user),
        "can_edit": selectors.may_edit_visit(request.user, visit),
        "can_see_liaison": visit.liaison_id is not None and selectors.liaisons_visible_to(request.user).filter(
            pk=visit.liaison_id).exists(),
        "history": history(visit)[:HISTORY_ROWS] if editor else (),
        "breadcrumbs": [*VISIT_CRUMBS, (str(visit), None)],
    })


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def visit_raise_appeal(request, pk):
    """转为诉求: the desk registers an appeal of the visit's enterprise; its source names the visit."""
    require_role(request.user, *EDITOR_ROLES)
    visit = get_visible_or_404(selectors.visits_editable_by(request.user), pk)
    form = forms.VisitAppealForm(request.POST or None, request.FILES or None, user=request.user, visit=visit)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            appeal = services.raise_appeal_from_visit(
                actor=request.user, visit=visit, category=data["category"], title=data["title"],
                content=data["content"], urgency=data["urgency"], contact_name=data["contact_name"],
                contact_mobile=data["contact_mobile"], source_note=data["source_note"], files=data["files"],
                rights=RightsCase(counterpart=data["counterpart"], amount_involved=data["amount_involved"]))
        except Refused as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已转为诉求，诉求编号 {appeal.number}，来源走访：{visit}。")
            return redirect("appeals:detail", pk=appeal.pk)
    return render(request, "engagement/liaison/raise_appeal.html", {
        "visit": visit, "form": form, "breadcrumbs": [*VISIT_CRUMBS, (str(visit), None), ("转为诉求", None)],
    }, status=400 if form.is_bound and form.errors else 200)


