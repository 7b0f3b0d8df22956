"""议案提案 pages: the list (search, filters, 导出), one proposal's page (its facts, submitters, reply, the 实际举措 it
became and its policy, the workflow's buttons and its timeline), 新增/编辑/删除 and the import of past years'
proposals. The federation reads every proposal of its federations, a chamber secretary those of its chamber and of
the persons it sees; the editors write. Thin: parse, call a selector or a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from shanglian.accounts.roles import EDITOR_ROLES, require_role, role_of
from shanglian.common.errors import Refused
from shanglian.common.periods import day_text
from shanglian.common.records import history
from shanglian.common.workflow import service_kwargs
from shanglian.imports.exports import audited_export
from shanglian.imports.pages import ImportPages
from shanglian.members.selectors import persons_visible_to
from shanglian.policies.selectors import policies_visible_to
from shanglian.ui.listing import Action, Column, ListPage, export_action, render_list
from shanglian.ui.records import delete_page, edit_page, staff_page
from shanglian.ui.shortcuts import get_visible_or_404

from .forms.proposals import ProposalForm, ProposalSearchForm
from .imports.proposals import KIND, import_template
from .models import Proposal
from .selectors import proposals as selectors
from .services import proposals as services
from .workflow import PROPOSAL_FLOW

S = Proposal.Status
STATUS_TAGS = {
    S.DRAFT: "tag-muted", S.SUBMITTED: "tag-info", S.REGISTERED: "tag-info", S.HANDLING: "tag-warning",
    S.REPLIED: "tag-warning", S.ADOPTED: "tag-success", S.NOT_ADOPTED: "tag-danger",
}
CRUMBS = [("政治引领", None), ("议案提案", "engagement:proposals")]
HISTORY_ROWS = 50

IMPORT_PAGES = ImportPages(
    kind=KIND, namespace="engagement", name="proposal_import", noun="议案提案",
    breadcrumbs=(*CRUMBS, ("导入议案提案", None)), make_template=import_template, title="导入议案提案",
    back_url="engagement:proposals", back_label="议案提案", notes_template="engagement/proposals/_import_notes.html",
    commit_note="每行新建一件议案提案，按所填状态登记，办理记录中记为“导入历年记录”。",
)


def _is_editor(user):
    return role_of(user) in EDITOR_ROLES


def submitted_by(proposal):
    """Who submitted it, as one line: the persons, then the body (工商联 / the chamber)."""
    names = [person.name for person in proposal.submitters.all()]
    if proposal.body == Proposal.Body.FEDERATION:
        names.append(proposal.federation.name)
    elif proposal.body == Proposal.Body.CHAMBER and proposal.chamber_id:
        names.append(proposal.chamber.name)
    return "、".join(names)


# --- the list ------------------------------------------------------------------------------------------------
# One column set for the export (the page shows the short ones).
LIST_FIELDS = [
    ("编号", lambda p: p.number),
    ("年度", lambda p: p.year),
    ("类别", lambda p: p.get_kind_display()),
    ("标题", lambda p: p.title),
    ("会议/届次", lambda p: p.session),
    ("主题", lambda p: p.topic.label if p.topic_id else ""),
    ("提交人", submitted_by),
    ("提交对象", lambda p: p.recipient),
    ("承办部门", lambda p: p.department.name if p.department_id else ""),
    ("状态", lambda p: p.get_status_display()),
    ("提交日期", lambda p: day_text(p.submitted_on)),
    ("立案日期", lambda p: day_text(p.registered_on)),
    ("答复日期", lambda p: day_text(p.replied_on)),
    ("采纳结果日期", lambda p: day_text(p.decided_on)),
    ("答复意见", lambda p: p.reply),
    ("转化的实际举措", lambda p: p.measure),
    ("对应惠企政策", lambda p: p.policy.title if p.policy_id else ""),
    ("未采纳原因", lambda p: p.decline_reason),
]


def _filtered(request):
    """The search form and the proposals it finds. An invalid search (a year out of range, a chamber of another
    scope) finds nothing — the form says why — never the unfiltered list."""
    user = request.user
    selectors.proposals_visible_to(user)  # 403 before anything else for a role without proposals
    form = ProposalSearchForm(request.GET or None, user=user)
    if form.is_bound and not form.is_valid():
        return form, Proposal.objects.none()
    filters = form.filters() if form.is_bound else {}
    qs = selectors.proposal_list(user, filters=filters).select_related("federation")
    return form, qs


def search_errors(form):
    """An invalid search form's messages on one line (the empty table says them: a search refreshed in place
    replaces the table only, not the form showing them by its fields)."""
    return "搜索条件有误：" + "；".join(str(e) for errors in form.errors.values() for e in errors)


def _empty_text(request, form):
    if form.is_bound and not form.is_valid():
        return search_errors(form)
    return "没有找到符合条件的议案提案" if request.GET else "暂无议案提案"


@never_cache
@login_required
def proposal_list(request):
    form, qs = _filtered(request)
    editor = _is_editor(request.user)
    toolbar = []
    if editor:
        toolbar += [Action("新增议案提案", reverse("engagement:proposal_create"), "primary"),
                    Action("导入", reverse("engagement:proposal_import"))]
    toolbar.append(export_action(request, "engagement:proposals_export"))

    def detail(p):
        return reverse("engagement:proposal", args=[p.pk])

    def row_actions(p):
        actions = [Action("查看", detail(p))]
        if editor and p.status not in services.DECIDED:
            actions.append(Action("编辑", reverse("engagement:proposal_edit", args=[p.pk])))
        return actions

    page = ListPage(
        title="议案提案",
        breadcrumbs=[("政治引领", None), ("议案提案", None)],
        search_form=form,
        toolbar=toolbar,
        columns=[
            Column("编号", "number", link=detail, sort="number"),
            Column("标题", "title", link=detail, wrap=True),
            Column("年度", lambda p: f"{p.year}年", sort="year"),
            Column("类别", "get_kind_display"),
            Column("提交人", submitted_by, wrap=True),
            Column("承办部门", lambda p: p.department.name if p.department_id else None, wrap=True),
            Column("状态", "get_status_display", tag=lambda p: STATUS_TAGS.get(p.status, ""), sort="status"),
        ],
        row_actions=row_actions,
        empty_text=_empty_text(request, form),
        default_sort="-year",
    )
    return render_list(request, page, qs)


@login_required
def proposal_export(request):
    form, qs = _filtered(request)
    if form.is_bound and not form.is_valid():  # nothing exported: back to the list, which shows the errors
        messages.error(request, "搜索条件有误，请修改后再导出。")
        return redirect(f"{reverse('engagement:proposals')}?{request.GET.urlencode()}")
    rows = [[get(p) for _, get in LIST_FIELDS] for p in qs.select_related("policy").order_by("-year", "-id")]
    return audited_export(actor=request.user, title="议案提案清单", object_type="engagement.proposal",
                          sheets=[("议案提案", [h for h, _ in LIST_FIELDS], rows)],
                          detail={"rows": len(rows), "filters": request.GET.dict()})


# --- create / edit / delete ----------------------------------------------------------------------------------
def _sections(form):
    return [("基本信息", ["kind", "title", "year", "session", "topic", "recipient", "text"]),
            ("提交人", ["body", "chamber", *form.submitter_names()])]


def _save(user, proposal=None):
    def save(form):
        try:
            return services.save_proposal(actor=user, data=form.proposal_data(), proposal=proposal)
        except Refused as exc:  # decided meanwhile: said on the form
            raise ValidationError(exc.message) from None
        except ValidationError as exc:
            raise form.onto_fields(exc) from None

    return save


@staff_page
def proposal_create(request):
    require_role(request.user, *EDITOR_ROLES)
    form = ProposalForm(request.POST or None, user=request.user)
    return edit_page(request, form=form, save=_save(request.user), title="新增议案提案",
                     intro="保存为草拟；提交后按“立案—交办—答复—采纳”登记办理进程。",
                     breadcrumbs=[*CRUMBS, ("新增", None)], cancel_url=reverse("engagement:proposals"),
                     sections=_sections(form))


@staff_page
def proposal_edit(request, pk):
    proposal = get_visible_or_404(selectors.proposals_editable_by(request.user), pk)
    if proposal.status in services.DECIDED:
        messages.error(request, f"议案提案当前为“{proposal.get_status_display()}”，不能再修改。")
        return redirect(proposal)
    form = ProposalForm(request.POST or None, user=request.user, instance=proposal)
    return edit_page(request, form=form, save=_save(request.user, proposal), title="编辑议案提案",
                     subject=str(proposal), breadcrumbs=[*CRUMBS, (proposal.number, None), ("编辑", None)],
                     cancel_url=proposal.get_absolute_url(), sections=_sections(form))


@staff_page
def proposal_delete(request, pk):
    proposal = get_visible_or_404(selectors.proposals_editable_by(request.user), pk)
    if proposal.status != S.DRAFT:
        messages.error(request, f"议案提案当前为“{proposal.get_status_display()}”，只有草拟状态的议案提案可以删除。")
        return redirect(proposal)
    return delete_page(request, obj=proposal, delete=lambda: services.delete_proposal(actor=request.user,
                                                                                       proposal=proposal),
                       along=("log",), cancel_url=proposal.get_absolute_url(),
                       done_url=reverse("engagement:proposals"),
                       breadcrumbs=[*CRUMBS, (proposal.number, None), ("删除", None)])


# --- one proposal --------------------------------------------------------------------------------------------
def _buttons(request, proposal, bound=None):
    """The workflow's buttons the user may press now, each opening its form."""
    buttons = []
    for t in PROPOSAL_FLOW.available(request.user, proposal, role=role_of(request.user)):
        chosen = bound is not None and bound[0] == t.name
        form = bound[1] if chosen else t.form_class(user=request.user)
        buttons.append({"name": t.name, "label": t.label, "form": form, "style": t.meta.get("style", "default"),
                        "confirm": t.meta.get("confirm", ""), "open": chosen,
                        "url": reverse("engagement:proposal_transition", args=[proposal.pk, t.url_part])})
    return buttons


def _render_detail(request, proposal, *, bound=None, status=200):
    user = request.user
    editor = _is_editor(user)
    submitters = list(proposal.submitters.order_by("id"))
    policy_visible = bool(proposal.policy_id) and policies_visible_to(user).filter(pk=proposal.policy_id).exists()
    return render(request, "engagement/proposals/detail.html", {
        "proposal": proposal,
        "status_tag": STATUS_TAGS.get(proposal.status, ""),
        "submitters": submitters,
        "linked": set(persons_visible_to(user).filter(pk__in=[p.pk for p in submitters]).values_list("pk", flat=True)),
        "buttons": _buttons(request, proposal, bound) if editor else [],
        "can_edit": editor and proposal.status not in services.DECIDED,
        "can_delete": editor and proposal.status == S.DRAFT,
        "policy_visible": policy_visible,
        "timeline": selectors.proposal_timeline(proposal),
        "history": history(proposal)[:HISTORY_ROWS],
        "breadcrumbs": [*CRUMBS, (proposal.number, None)],
    }, status=status)


def _visible(user):
    return selectors.proposals_visible_to(user).select_related("federation", "policy", "created_by")


@never_cache
@login_required
def proposal_detail(request, pk):
    proposal = get_visible_or_404(_visible(request.user), pk)
    return _render_detail(request, proposal)


@never_cache
@login_required
@require_POST
def proposal_transition(request, pk, action):
    """One row of PROPOSAL_FLOW (提交, 立案, 交办, 登记答复, 采纳, 未采纳) from the proposal's page."""
    editable = selectors.proposals_editable_by(request.user).select_related("federation", "policy")
    proposal = get_visible_or_404(editable, pk)
    transition = next((t for t in PROPOSAL_FLOW if not t.creates and t.url_part == action), None)
    if transition is None:
        raise Http404("没有这个操作。")
    form = transition.form_class(request.POST, user=request.user)
    if not form.is_valid():
        return _render_detail(request, proposal, bound=(transition.name, form), status=400)
    try:
        PROPOSAL_FLOW.run(transition.name, actor=request.user, obj=proposal, data=service_kwargs(form))
    except Refused as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        form.add_error(None, exc)
        proposal.refresh_from_db()
        return _render_detail(request, proposal, bound=(transition.name, form), status=400)
    else:
        messages.success(request, f"{transition.label}成功。")
    return redirect(proposal)
