"""Pages of 发展会员: prospects (the list with its filters and 导出, one prospect's page with its stage buttons
from `workflow.PROSPECT_FLOW`, 新增/编辑/删除, the xlsx import) and this year's targets with the "三多三少" gaps
(发展目标: each target against the members that joined in the year, the gap and the open prospects that could
close it; 新增/编辑/删除 for the editors). Thin: parse, call a selector or a service, render.

Readers of prospects: the federation's roles and a chamber secretary (its own chamber's); the keepers
(`RECRUITER_ROLES`) write, a leader reads only; the others 403; another scope's prospect 404. Targets: the
federation's roles read, the editors keep them.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from shanglian.accounts.roles import FEDERATION_ROLES, RECRUITER_ROLES, role_of
from shanglian.common.errors import Refused
from shanglian.common.periods import day_text
from shanglian.common.records import history
from shanglian.common.validators import is_id
from shanglian.common.workflow import service_kwargs
from shanglian.imports.exports import audited_export
from shanglian.imports.pages import ImportPages
from shanglian.ui.listing import Action, Column, ListPage, export_action, render_list
from shanglian.ui.records import delete_page, edit_page, staff_page
from shanglian.ui.shortcuts import get_visible_or_404

from .forms import prospects as forms
from .imports import KIND, import_template
from .models import Prospect, TargetCategory
from .selectors import prospects as selectors
from .selectors.scopes import prospects_visible_to
from .services import prospects as services
from .services import targets as target_services
from .workflow import PROSPECT_FLOW

S = Prospect.Stage
GROUP = ("会员发展与服务", None)
CRUMBS = [GROUP, ("发展会员", "growth:prospects")]
TARGET_CRUMBS = [GROUP, ("发展目标", "growth:targets")]
HISTORY_ROWS = 50
STAGE_TAGS = {S.LEAD: "tag-info", S.CONTACTED: "tag-info", S.VISITED: "tag-warning", S.APPLIED: "tag-warning",
              S.JOINED: "tag-success", S.ABANDONED: "tag-muted"}

IMPORT_PAGES = ImportPages(
    kind=KIND, namespace="growth", name="prospect_import", noun="发展对象",
    breadcrumbs=(*CRUMBS, ("导入发展对象", None)), make_template=import_template, title="导入发展对象",
    back_url="growth:prospects", back_label="发展会员", notes_template="growth/prospects/_import_notes.html",
    commit_note="每行新建一个发展对象，阶段为“线索”。", roles=RECRUITER_ROLES,
)


def categories_of(p):
    """The "三多三少" short sides the prospect would fill once it joins, as one line (私营、外地、高新)."""
    shown = []
    if p.member_kind == "group":
        shown.append("团体")
    elif p.member_kind == "individual":
        shown.append("个人")
    if p.member_kind == "enterprise":
        shown += [label for flag, label in ((p.is_private, "私营"), (not p.is_local, "外地"),
                                            (p.is_high_tech, "高新")) if flag]
    return "、".join(shown)


def next_step_text(p):
    if not p.next_step:
        return ""
    return f"{day_text(p.next_step_on)} {p.next_step}".strip()


EXPORT_FIELDS = [
    ("名称", lambda p: p.name),
    ("统一社会信用代码", lambda p: p.uscc),
    ("拟入会类型", lambda p: p.get_member_kind_display()),
    ("私营企业", lambda p: "是" if p.is_private else "否"),
    ("外地企业", lambda p: "否" if p.is_local else "是"),
    ("高新技术企业", lambda p: "是" if p.is_high_tech else "否"),
    ("行业", lambda p: str(p.industry) if p.industry_id else ""),
    ("来源", lambda p: p.get_source_display()),
    ("推荐会员企业", lambda p: p.referred_by.name if p.referred_by_id else ""),
    ("来源活动", lambda p: p.source_event.title if p.source_event_id else ""),
    ("阶段", lambda p: p.get_stage_display()),
    ("进入当前阶段日期", lambda p: day_text(p.stage_changed_on)),
    ("发展商会", lambda p: p.chamber.name if p.chamber_id else "工商联"),
    ("负责人", lambda p: str(p.owner)),
    ("联系人", lambda p: p.contact_name),
    ("下一步", lambda p: p.next_step),
    ("下一步日期", lambda p: day_text(p.next_step_on)),
    ("放弃原因", lambda p: p.abandon_reason),
]


# --- the list ------------------------------------------------------------------------------------------------
def _prospects(request):
    user = request.user
    prospects_visible_to(user)  # 403 before anything else for a role without 发展会员
    form = forms.ProspectSearchForm(request.GET or None, user=user)
    if form.is_bound and not form.is_valid():
        return form, Prospect.objects.none()
    data = form.cleaned_data if form.is_bound else {}
    return form, selectors.prospect_list(user, filters=data, today=timezone.localdate())


def _empty_text(request, form):
    if form.is_bound and not form.is_valid():
        return "搜索条件有误：" + "；".join(str(e) for errors in form.errors.values() for e in errors)
    return "没有找到符合条件的发展对象" if request.GET else "暂无发展对象"


def _detail(p):
    return reverse("growth:prospect", args=[p.pk])


@never_cache
@login_required
def prospect_list(request):
    form, qs = _prospects(request)
    keeper = selectors.can_keep(request.user)
    toolbar = []
    if keeper:
        toolbar += [Action("新增发展对象", reverse("growth:prospect_create"), "primary"),
                    Action("导入", reverse("growth:prospect_import"))]
    toolbar.append(export_action(request, "growth:prospects_export"))
    if role_of(request.user) in FEDERATION_ROLES:
        toolbar.append(Action("发展目标", reverse("growth:targets")))

    def actions(p):
        shown = [Action("查看", _detail(p))]
        if keeper:
            shown.append(Action("编辑", reverse("growth:prospect_edit", args=[p.pk])))
        return shown

    page = ListPage(
        title="发展会员",
        breadcrumbs=[GROUP, ("发展会员", None)],
        search_form=form,
        toolbar=toolbar,
        columns=[
            Column("名称", "name", link=_detail, sort="name", wrap=True),
            Column("阶段", "get_stage_display", tag=lambda p: STAGE_TAGS.get(p.stage, ""), sort="stage"),
            Column("来源", "get_source_display", sort="source"),
            Column("类别", categories_of),
            Column("发展商会", lambda p: p.chamber.name if p.chamber_id else "工商联", wrap=True),
            Column("负责人", lambda p: str(p.owner)),
            Column("下一步", next_step_text, sort="next_step_on", wrap=True),
        ],
        row_actions=actions,
        empty_text=_empty_text(request, form),
        default_sort="-updated_at",
    )
    return render_list(request, page, qs)


@login_required
def prospect_export(request):
    form, qs = _prospects(request)
    if form.is_bound and not form.is_valid():
        messages.error(request, "搜索条件有误，请修改后再导出。")
        return redirect(f"{reverse('growth:prospects')}?{request.GET.urlencode()}")
    qs = qs.select_related("referred_by", "source_event").order_by("-updated_at", "-id")
    rows = [[get(p) for _, get in EXPORT_FIELDS] for p in qs]
    return audited_export(actor=request.user, title="发展对象", object_type="growth.prospect",
                          sheets=[("发展对象", [header for header, _ in EXPORT_FIELDS], rows)],
                          detail={"rows": len(rows), "filters": request.GET.dict()})


# --- one prospect --------------------------------------------------------------------------------------------
def _buttons(request, prospect, bound=None):
    """The stage buttons the user may press now; each with a form opens it."""
    role = role_of(request.user)
    if role not in RECRUITER_ROLES:
        return []
    buttons = []
    for t in PROSPECT_FLOW.available(request.user, prospect, role=role):
        chosen = bound is not None and bound[0] == t.name
        form = (bound[1] if chosen else t.form_class(user=request.user)) if t.form else None
        buttons.append({"name": t.name, "label": t.label, "form": form, "style": t.meta.get("style", "default"),
                        "confirm": t.meta.get("confirm", ""), "open": chosen,
                        "url": reverse("growth:prospect_transition", args=[prospect.pk, t.url_part])})
    return buttons


def _visible(user):
    return prospects_visible_to(user).select_related("referred_by", "source_event", "federation")


def _render_detail(request, prospect, *, bound=None, status=200):
    user = request.user
    keeper = selectors.can_keep(user)
    return render(request, "growth/prospects/detail.html", {
        "prospect": prospect, "stage_tag": STAGE_TAGS.get(prospect.stage, ""), "categories": categories_of(prospect),
        "buttons": _buttons(request, prospect, bound),
        "can_edit": keeper, "can_delete": keeper,
        "applications": list(prospect.applications.order_by("-submitted_at", "-id")),
        "enterprise_url": (reverse("members:enterprise_detail", args=[prospect.enterprise_id])
                           if prospect.enterprise_id else ""),
        "history": list(history(prospect)[:HISTORY_ROWS]) if keeper else None,
        "breadcrumbs": [*CRUMBS, (prospect.name, None)],
    }, status=status)


@never_cache
@login_required
def prospect_detail(request, pk):
    prospect = get_visible_or_404(_visible(request.user), pk)
    return _render_detail(request, prospect)


@never_cache
@login_required
@require_POST
def prospect_transition(request, pk, action):
    """One row of PROSPECT_FLOW (已联系, 已走访, 放弃, 重新跟进) from the prospect's page; the services check the
    role (403), the scope and the stage under the row lock (a refusal is said on the page)."""
    prospect = get_visible_or_404(selectors.prospects_editable_by(request.user), pk)
    transition = next((t for t in PROSPECT_FLOW if not t.creates and t.url_part == action), None)
    if transition is None:
        raise Http404("没有这个操作。")
    PROSPECT_FLOW.require_role(transition.name, role_of(request.user))
    data, form = {}, None
    if transition.form:
        form = transition.form_class(request.POST, user=request.user)
        if not form.is_valid():
            return _render_detail(request, prospect, bound=(transition.name, form), status=400)
        data = service_kwargs(form)
    try:
        PROSPECT_FLOW.run(transition.name, actor=request.user, obj=prospect, data=data)
    except Refused as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        if form is None:
            messages.error(request, "；".join(exc.messages))
            return redirect(prospect)
        form.add_error(None, exc)
        prospect.refresh_from_db()
        return _render_detail(request, prospect, bound=(transition.name, form), status=400)
    else:
        messages.success(request, f"{transition.label}成功。")
    return redirect(prospect)


# --- create / edit / delete ----------------------------------------------------------------------------------
def _save(user, prospect=None):
    return lambda form: services.save_prospect(actor=user, prospect=prospect, **form.service_kwargs())


def _initial(request):
    """新增发展对象 from an enterprise (its 360° page) or an event: `?enterprise=` / `?source_event=`."""
    initial = {}
    for name in ("enterprise", "source_event", "referred_by"):
        value = request.GET.get(name, "")
        if is_id(value):
            initial[name] = int(value)
    if "source_event" in initial:
        initial["source"] = Prospect.Source.EVENT
    return initial


@staff_page
def prospect_create(request):
    selectors.prospects_editable_by(request.user)  # 403 for a reader
    form = forms.ProspectForm(request.POST or None, user=request.user, initial=_initial(request))
    return edit_page(request, form=form, save=_save(request.user), title="新增发展对象",
                     intro="新增的发展对象从“线索”开始跟进；已是在册会员的企业不能再作为发展对象。",
                     breadcrumbs=[*CRUMBS, ("新增", None)], sections=form.SECTIONS,
                     cancel_url=reverse("growth:prospects"))


@staff_page
def prospect_edit(request, pk):
    prospect = get_visible_or_404(selectors.prospects_editable_by(request.user), pk)
    form = forms.ProspectForm(request.POST or None, user=request.user, instance=prospect)
    return edit_page(request, form=form, save=_save(request.user, prospect), title="编辑发展对象",
                     subject=prospect.name, sections=form.SECTIONS,
                     breadcrumbs=[*CRUMBS, (prospect.name, None), ("编辑", None)],
                     cancel_url=prospect.get_absolute_url())


@staff_page
def prospect_delete(request, pk):
    prospect = get_visible_or_404(selectors.prospects_editable_by(request.user), pk)
    return delete_page(request, obj=prospect,
                       delete=lambda: services.delete_prospect(actor=request.user, prospect=prospect),
                       cancel_url=prospect.get_absolute_url(), done_url=reverse("growth:prospects"),
                       breadcrumbs=[*CRUMBS, (prospect.name, None), ("删除", None)])


# --- 发展目标 and the "三多三少" gaps ------------------------------------------------------------------------------
def pipeline_url(category):
    return f"{reverse('growth:prospects')}?{urlencode({'category': category, 'stage': 'open'})}"


@never_cache
@login_required
def target_list(request):
    user = request.user
    selectors.targets_visible_to(user)  # 403 first for a role that does not read targets
    form = forms.TargetYearForm(request.GET or None)
    year = form.chosen()
    if not form.is_bound:  # the select shows the year shown (this year), not its first choice
        form = forms.TargetYearForm(initial={"year": year})
    rows = selectors.target_progress(user, year)
    keeper = selectors.can_keep_targets(user)
    shortfall = set(selectors.SHORTFALL_CATEGORIES)
    return render(request, "growth/prospects/targets.html", {
        "form": form, "year": year, "keeper": keeper,
        "rows": [{"row": row, "label": TargetCategory(row.category).label, "shortfall": row.category in shortfall,
                  "pipeline_url": pipeline_url(row.category),
                  "edit_url": reverse("growth:target_edit", args=[row.target.pk]) if keeper else "",
                  "delete_url": reverse("growth:target_delete", args=[row.target.pk]) if keeper else ""}
                 for row in rows],
        "several": len({row.target.federation_id for row in rows}) > 1,
        "create_url": reverse("growth:target_create") if keeper else "",
        "prospects_url": reverse("growth:prospects"),
        "breadcrumbs": [GROUP, ("发展目标", None)],
    })


def _save_target(user, target=None):
    def save(form):
        data = form.cleaned_data
        return target_services.save_target(actor=user, target=target, federation=data["federation"],
                                           year=data["year"], category=data["category"],
                                           target_count=data["target_count"], note=data["note"])

    return save


def _to_targets(target):
    return f"{reverse('growth:targets')}?year={target.year}"


@staff_page
def target_create(request):
    selectors.targets_editable_by(request.user)  # 403 for a reader
    form = forms.TargetForm(request.POST or None, user=request.user)
    return edit_page(request, form=form, save=_save_target(request.user), then=_to_targets, title="新增发展会员目标",
                     intro="每个工商联每年每个类别一个目标；私营企业、团体会员、外地企业、高新技术企业即“三多三少”的短板。",
                     breadcrumbs=[*TARGET_CRUMBS, ("新增", None)], cancel_url=reverse("growth:targets"))


@staff_page
def target_edit(request, pk):
    target = get_visible_or_404(selectors.targets_editable_by(request.user), pk)
    form = forms.TargetForm(request.POST or None, user=request.user, instance=target)
    return edit_page(request, form=form, save=_save_target(request.user, target), then=_to_targets,
                     title="编辑发展会员目标", subject=str(target),
                     breadcrumbs=[*TARGET_CRUMBS, (str(target), None), ("编辑", None)],
                     cancel_url=_to_targets(target))


@staff_page
def target_delete(request, pk):
    target = get_visible_or_404(selectors.targets_editable_by(request.user), pk)
    return delete_page(request, obj=target,
                       delete=lambda: target_services.delete_target(actor=request.user, target=target),
                       cancel_url=_to_targets(target), done_url=_to_targets(target),
                       breadcrumbs=[*TARGET_CRUMBS, (str(target), None), ("删除", None)])
