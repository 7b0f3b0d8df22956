"""商会评估 pages: the assessments (list with its export, 新建评估, one assessment's page with its items, evidence
and the buttons of `workflow.ASSESSMENT_FLOW`, 删除), one item's 填报 and 核实, an evidence file's download and
deletion, the items list (the 待核实佐证 queue and a chamber's 待补充 items are its filters) and the compliance
page (五有达标情况, 四好商会 by level, the 五好 self-check; its xlsx export). Thin: parse, call a selector or a
service, render. Readers (`MEMBER_READER_ROLES`) read their scope — a chamber secretary its own chamber's —; the
keepers (`ASSESSMENT_KEEPER_ROLES`) fill in; the editors verify, confirm and return; another scope's record is
404, a role without the right 403."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from shanglian.accounts.roles import ASSESSMENT_KEEPER_ROLES, EDITOR_ROLES, FEDERATION_ROLES, role_of
from shanglian.common.errors import Refused
from shanglian.common.uploads import download_response
from shanglian.common.workflow import service_kwargs
from shanglian.imports.exports import audited_export
from shanglian.ui.figures import NO_DATA
from shanglian.ui.listing import Action, Column, ListPage, export_action, render_list
from shanglian.ui.records import delete_page, edit_page, staff_page
from shanglian.ui.shortcuts import get_visible_or_404

from .forms.assessments import (
    AssessmentForm,
    AssessmentSearchForm,
    ComplianceForm,
    ItemForm,
    ItemSearchForm,
    VerifyForm,
)
from .models import Assessment, AssessmentItem
from .schemes import FIVE_HAVE, SCHEMES
from .selectors import assessments as selectors
from .selectors.scopes import assessments_visible_to
from .services import assessments as services
from .workflow import ASSESSMENT_FLOW

A = Assessment.Status
I = AssessmentItem.Status  # noqa: E741
GROUP = ("评选表彰", None)
CRUMBS = [GROUP, ("商会评估", "honours:assessments")]
STATUS_TAGS = {A.DRAFT: "tag-warning", A.SUBMITTED: "tag-info", A.CONFIRMED: "tag-success"}
ITEM_TAGS = {I.EMPTY: "tag-muted", I.PENDING: "tag-info", I.VERIFIED: "tag-success", I.RETURNED: "tag-danger"}
HISTORY_ROWS = 50


def _role(user):
    return role_of(user)


def subject_of(assessment):
    return services.subject_name(assessment)


def result_text(assessment):
    """核定结果: the total and level of a confirmed scored assessment, 达标/未达标 of a confirmed 五有; "" before."""
    if assessment.status != A.CONFIRMED:
        return ""
    if assessment.total_score is not None:
        return f"{assessment.total_score} 分 · {assessment.level}"
    return assessment.level


def _detail_url(assessment, code=None):
    url = reverse("honours:assessment", args=[assessment.pk])
    return f"{url}#item-{code}" if code else url


def _items_url(**params):
    return f"{reverse('honours:assessment_items')}?{urlencode(params)}"


# --- the list -----------------------------------------------------------------------------------------------------
LIST_FIELDS = [
    ("评估对象", subject_of),
    ("评估类别", lambda a: a.get_scheme_display()),
    ("年度", lambda a: a.year),
    ("状态", lambda a: a.get_status_display()),
    ("条目数", lambda a: a.item_count),
    ("已核实", lambda a: a.verified_count),
    ("待核实", lambda a: a.pending_count),
    ("退回补充", lambda a: a.returned_count),
    ("总分", lambda a: a.total_score if a.status == A.CONFIRMED else None),
    ("评定等次", lambda a: a.level if a.status == A.CONFIRMED else ""),
    ("提交时间", lambda a: a.submitted_at.strftime("%Y-%m-%d %H:%M") if a.submitted_at else ""),
    ("核定时间", lambda a: a.confirmed_at.strftime("%Y-%m-%d %H:%M") if a.confirmed_at else ""),
]


def _filtered(request):
    """The search form and the assessments it finds; an invalid search finds nothing (the form says why)."""
    user = request.user
    assessments_visible_to(user)  # 403 before anything else for a role without assessments
    form = AssessmentSearchForm(request.GET or None, user=user)
    if form.is_bound and not form.is_valid():
        return form, Assessment.objects.none()
    return form, selectors.assessment_list(user, filters=form.cleaned_data if form.is_bound else None)


def _search_errors(form):
    return "搜索条件有误：" + "；".join(str(e) for errors in form.errors.values() for e in errors)


@never_cache
@login_required
def assessment_list(request):
    form, qs = _filtered(request)
    role = _role(request.user)
    toolbar = []
    if role in ASSESSMENT_KEEPER_ROLES:
        toolbar.append(Action("新建评估", reverse("honours:assessment_create"), "primary"))
    toolbar.append(export_action(request, "honours:assessments_export"))
    if role in EDITOR_ROLES:
        toolbar.append(Action("待核实佐证", _items_url(status=I.PENDING, assessment_status=A.SUBMITTED)))
    toolbar.append(Action("五有达标情况", reverse("honours:compliance")))

    def progress(a):
        return f"{a.verified_count}/{a.item_count}"

    page = ListPage(
        title="商会评估",
        breadcrumbs=[GROUP, ("商会评估", None)],
        search_form=form,
        toolbar=toolbar,
        columns=[
            Column("评估对象", subject_of, link=_detail_url, wrap=True),
            Column("评估类别", "get_scheme_display", sort="scheme"),
            Column("年度", lambda a: f"{a.year}年", sort="year"),
            Column("状态", "get_status_display", tag=lambda a: STATUS_TAGS.get(a.status, ""), sort="status"),
            Column("已核实/条目", progress),
            Column("待核实", lambda a: a.pending_count or None),
            Column("退回补充", lambda a: a.returned_count or None, tag=lambda a: "tag-danger" if a.returned_count else ""),
            Column("核定结果", lambda a: result_text(a) or None),
        ],
        row_actions=lambda a: [Action("查看", _detail_url(a))],
        empty_text=(_search_errors(form) if form.is_bound and not form.is_valid()
                    else "没有找到符合条件的评估" if request.GET else "暂无商会评估"),
        default_sort="-year",
    )
    return render_list(request, page, qs)


@login_required
def assessment_export(request):
    form, qs = _filtered(request)
    if form.is_bound and not form.is_valid():
        messages.error(request, "搜索条件有误，请修改后再导出。")
        return redirect(f"{reverse('honours:assessments')}?{request.GET.urlencode()}")
    rows = [[get(a) for _, get in LIST_FIELDS] for a in qs.order_by("-year", "scheme", "id")]
    return audited_export(actor=request.user, title="商会评估清单", object_type="honours.assessment",
                          sheets=[("商会评估", [h for h, _ in LIST_FIELDS], rows)],
                          detail={"rows": len(rows), "filters": request.GET.dict()})


# --- create, delete ------------------------------------------------------------------------------------------------
def _create(user):
    def save(form):
        try:
            return services.create_assessment(actor=user, **form.service_kwargs())
        except Refused as exc:
            raise ValidationError(exc.message) from None

    return save


@staff_page
def assessment_create(request):
    selectors.assessments_editable_by(request.user)  # 403 for a reader
    form = AssessmentForm(request.POST or None, user=request.user)
    return edit_page(request, form=form, save=_create(request.user), title="新建评估",
                     intro="创建后按评估标准逐项填报佐证，填报完成后提交工商联核实、核定。",
                     breadcrumbs=[*CRUMBS, ("新建", None)], cancel_url=reverse("honours:assessments"),
                     submit_label="创建")


def deletable(assessment):
    return assessment.status == A.DRAFT and assessment.submitted_at is None


@staff_page
def assessment_delete(request, pk):
    assessment = get_visible_or_404(selectors.assessments_editable_by(request.user), pk)
    if not deletable(assessment):
        messages.error(request, "只有尚未提交过的评估可以删除。")
        return redirect(assessment)
    return delete_page(request, obj=assessment, along=("items",),
                       delete=lambda: services.delete_assessment(actor=request.user, assessment=assessment),
                       cancel_url=assessment.get_absolute_url(), done_url=reverse("honours:assessments"),
                       breadcrumbs=[*CRUMBS, (str(assessment), None), ("删除", None)])


# --- one assessment ----------------------------------------------------------------------------------------------
def _buttons(request, assessment, bound=None):
    """The workflow's buttons the user may press now; 退回 opens its form (the reason)."""
    buttons = []
    for t in ASSESSMENT_FLOW.available(request.user, assessment, role=_role(request.user)):
        chosen = bound is not None and bound[0] == t.name
        form = (bound[1] if chosen else t.form_class(user=request.user)) if t.form else None
        buttons.append({"name": t.name, "label": t.label, "form": form, "style": t.meta.get("style", "default"),
                        "confirm": t.meta.get("confirm", ""), "open": chosen,
                        "url": reverse("honours:assessment_transition", args=[assessment.pk, t.url_part])})
    return buttons


def _render_detail(request, assessment, *, bound=None, status=200):
    user = request.user
    role = _role(user)
    scheme = SCHEMES[assessment.scheme]
    items = selectors.assessment_items(assessment)
    keeper = role in ASSESSMENT_KEEPER_ROLES and assessment.status == A.DRAFT
    counts = {state: sum(1 for view in items if view.row.status == state) for state in I.values}
    claimed = selectors.claimed_total(assessment, items)
    return render(request, "honours/assessments/detail.html", {
        "assessment": assessment, "subject": subject_of(assessment), "scheme": scheme, "items": items,
        "status_tag": STATUS_TAGS.get(assessment.status, ""),
        "buttons": _buttons(request, assessment, bound),
        "can_fill": keeper, "can_verify": role in EDITOR_ROLES and assessment.status == A.SUBMITTED,
        "can_delete": role in ASSESSMENT_KEEPER_ROLES and deletable(assessment),
        "counts": counts, "filled": sum(1 for view in items if view.has_claim),
        "claimed_total": claimed, "claimed_level": scheme.level_of(claimed) if claimed is not None else "",
        "result": result_text(assessment),
        "last_return": selectors.last_return(assessment) if assessment.status == A.DRAFT else None,
        "history": selectors.assessment_history(assessment, limit=HISTORY_ROWS),
        "breadcrumbs": [*CRUMBS, (str(assessment), None)],
    }, status=status)


def _visible(user):
    return assessments_visible_to(user).select_related("confirmed_by")


@never_cache
@login_required
def assessment_detail(request, pk):
    assessment = get_visible_or_404(_visible(request.user), pk)
    return _render_detail(request, assessment)


@never_cache
@login_required
@require_POST
def assessment_transition(request, pk, action):
    """One row of ASSESSMENT_FLOW (提交核定, 核定, 退回) from the assessment's page; the services check the role
    (403) and the state under the row lock (a refusal is said on the page)."""
    assessment = get_visible_or_404(_visible(request.user), pk)
    transition = next((t for t in ASSESSMENT_FLOW if not t.creates and t.url_part == action), None)
    if transition is None:
        raise Http404("没有这个操作。")
    ASSESSMENT_FLOW.require_role(transition.name, _role(request.user))
    data = {}
    if transition.form:
        form = transition.form_class(request.POST, user=request.user)
        if not form.is_valid():
            return _render_detail(request, assessment, bound=(transition.name, form), status=400)
        data = service_kwargs(form)
    try:
        ASSESSMENT_FLOW.run(transition.name, actor=request.user, obj=assessment, data=data)
    except Refused as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        if not transition.form:
            messages.error(request, "；".join(exc.messages))
            return redirect(assessment)
        form.add_error(None, exc)
        assessment.refresh_from_db()
        return _render_detail(request, assessment, bound=(transition.name, form), status=400)
    else:
        messages.success(request, f"{transition.label}成功。")
    return redirect(assessment)


# --- one item ------------------------------------------------------------------------------------------------------
def _refused_onto_form(save):
    """A service's `Refused` (the state changed meanwhile) said on the form, as its `ValidationError`s are."""
    def wrapped(form):
        try:
            return save(form)
        except Refused as exc:
            raise ValidationError(exc.message) from None

    return wrapped


@staff_page
def item_edit(request, pk, code):
    assessment = get_visible_or_404(selectors.assessments_editable_by(request.user), pk)
    item = assessment.items.filter(code=code).first()
    spec = SCHEMES[assessment.scheme].item(code)
    if item is None or spec is None:
        raise Http404("没有该评估条目。")
    if assessment.status != A.DRAFT:
        messages.error(request, f"评估当前为“{assessment.get_status_display()}”，只有填报中的评估可以修改条目。")
        return redirect(_detail_url(assessment, code))
    form = ItemForm(request.POST or None, request.FILES or None, item=item, spec=spec)
    kept = item.files.count()
    intro = f"佐证要求：{spec.guide}。" + (f"已上传佐证材料 {kept} 个（可在评估页面查看、删除）。" if kept else "")
    if item.status == I.RETURNED and item.review_note:
        intro += f"核实意见（退回补充）：{item.review_note}"
    back = _detail_url(assessment, code)
    return edit_page(request, form=form, title=f"填报：{spec.label}", subject=str(assessment), intro=intro,
                     save=_refused_onto_form(lambda f: services.save_item(actor=request.user, item=item,
                                                                          **f.service_kwargs())),
                     then=lambda saved: back, cancel_url=back, multipart=True,
                     breadcrumbs=[*CRUMBS, (str(assessment), None), (spec.label, None)])


@staff_page
def item_verify(request, pk):
    verifiable = selectors.assessments_verifiable_by(request.user)  # 403 for everyone but the editors
    item = get_visible_or_404(AssessmentItem.objects.filter(assessment_id__in=verifiable.values("pk"))
                              .select_related("assessment__chamber", "assessment__federation"), pk)
    assessment = item.assessment
    spec = SCHEMES[assessment.scheme].item(item.code)
    back = _detail_url(assessment, item.code)
    if assessment.status != A.SUBMITTED:
        messages.error(request, f"评估当前为“{assessment.get_status_display()}”，只有已提交的评估可以核实佐证。")
        return redirect(back)
    form = VerifyForm(request.POST or None, initial={"result": item.status if item.status in services.VERIFY_RESULTS
                                                     else None, "remark": item.review_note})
    files = item.files.count()
    claim = selectors.claim_text(spec, item) or "未填报"
    intro = f"申报：{claim}；佐证说明：{item.note or '（无）'}；佐证材料 {files} 个（在评估页面下载查看）。"
    return edit_page(request, form=form, title=f"核实：{spec.label if spec else item.code}", subject=str(assessment),
                     intro=intro, then=lambda saved: back, cancel_url=back, submit_label="确定",
                     save=_refused_onto_form(lambda f: services.verify_item(actor=request.user, item=item,
                                                                            **f.cleaned_data)),
                     breadcrumbs=[*CRUMBS, (str(assessment), None), ("核实", None)])


@never_cache
@login_required
def evidence_download(request, pk):
    """An evidence file, only to users who see its assessment (404 otherwise, audited)."""
    evidence = get_visible_or_404(selectors.evidence_visible_to(request.user), pk)
    return download_response(services.FOLDER, evidence)


@staff_page
def evidence_delete(request, pk):
    editable = selectors.assessments_editable_by(request.user)  # 403 for a reader
    evidence = get_visible_or_404(selectors.evidence_visible_to(request.user)
                                  .filter(item__assessment_id__in=editable.values("pk"))
                                  .select_related("item__assessment"), pk)
    assessment = evidence.item.assessment
    back = _detail_url(assessment, evidence.item.code)
    if assessment.status != A.DRAFT:
        messages.error(request, f"评估当前为“{assessment.get_status_display()}”，只有填报中的评估可以删除佐证材料。")
        return redirect(back)
    return delete_page(request, obj=evidence, cancel_url=back, done_url=back, title="删除佐证材料",
                       delete=lambda: services.delete_evidence(actor=request.user, evidence=evidence),
                       breadcrumbs=[*CRUMBS, (str(assessment), None), ("删除佐证材料", None)])


# --- the items (核实队列) ----------------------------------------------------------------------------------------------
@never_cache
@login_required
def item_list(request):
    """评估条目: every item of the user's scope, filtered — 待核实佐证 (status=pending, assessment_status=submitted),
    a chamber's 材料待补充 (status=returned, assessment_status=draft) …"""
    user = request.user
    assessments_visible_to(user)  # 403 first
    form = ItemSearchForm(request.GET or None, user=user)
    if form.is_bound and not form.is_valid():
        qs = AssessmentItem.objects.none()
    else:
        qs = selectors.item_list(user, filters=form.cleaned_data if form.is_bound else None)
    editor = _role(user) in EDITOR_ROLES

    def label(item):
        spec = SCHEMES[item.assessment.scheme].item(item.code)
        return spec.label if spec else item.code

    def actions(item):
        found = [Action("查看", _detail_url(item.assessment, item.code))]
        if editor and item.assessment.status == A.SUBMITTED and item.status != I.EMPTY:
            found.append(Action("核实", reverse("honours:item_verify", args=[item.pk])))
        elif item.assessment.status == A.DRAFT and _role(user) in ASSESSMENT_KEEPER_ROLES:
            found.append(Action("填报", reverse("honours:item_edit", args=[item.assessment_id, item.code])))
        return found

    page = ListPage(
        title="评估条目",
        breadcrumbs=[*CRUMBS, ("评估条目", None)],
        search_form=form,
        toolbar=[Action("商会评估", reverse("honours:assessments"))],
        columns=[
            Column("评估对象", lambda i: subject_of(i.assessment), link=lambda i: _detail_url(i.assessment), wrap=True),
            Column("评估", lambda i: f"{i.assessment.year}年{i.assessment.get_scheme_display()}"),
            Column("条目", label),
            Column("申报", lambda i: selectors.claim_text(SCHEMES[i.assessment.scheme].item(i.code), i) or None),
            Column("佐证", lambda i: "、".join(filter(None, ["有说明" if i.note else "",
                                                           f"材料{i.file_count}个" if i.file_count else ""])) or None),
            Column("核实状态", "get_status_display", tag=lambda i: ITEM_TAGS.get(i.status, ""), sort="status"),
            Column("核实意见", "review_note", wrap=True),
            Column("更新时间", lambda i: i.updated_at.strftime("%Y-%m-%d %H:%M"), sort="updated_at"),
        ],
        row_actions=actions,
        empty_text=(_search_errors(form) if form.is_bound and not form.is_valid()
                    else "没有符合条件的评估条目" if request.GET else "暂无评估条目"),
        default_sort="-updated_at",
    )
    return render_list(request, page, qs)


# --- compliance ----------------------------------------------------------------------------------------------------
def _mark(reason):
    return "达标" if reason is None else reason


def compliance_sheets(five, four, five_good):
    """The export's sheets: the 五有 per chamber and per item, the 四好 by chamber, the 五好 self-checks."""
    item_headers = [item.label for item in FIVE_HAVE.items]
    per_chamber = [[check.chamber.name, check.chamber.street.name if check.chamber.street_id else "",
                    check.assessment.get_status_display() if check.assessment else "无本年度评估",
                    *[_mark(check.shortfalls[item.code]) for item in FIVE_HAVE.items],
                    "是" if check.complete else "否"] for check in five.checks]
    per_item = [[found.item.label, len(found.met), len(found.missing),
                 "、".join(f"{chamber.name}（{reason}）" for chamber, reason in found.missing)] for found in five.items]
    summary = [["镇街商会（个）", five.total], ["“五有”全部达标（个）", len(five.complete)],
               ["达标率（%）", NO_DATA if five.rate is None else five.rate],
               ["无本年度评估（个）", len(five.without_assessment)]]
    four_rows = [[a.chamber.name, label, a.total_score] for label, found in four.levels for a in found]
    four_rows += [[a.chamber.name, f"未核定（{a.get_status_display()}）", None] for a in four.unconfirmed]
    four_rows += [[chamber.name, "未参评", None] for chamber in four.not_assessed]
    good_rows = []
    for check in five_good:
        scores = {row.code: row.score for row in check.items.all()}
        good_rows.append([check.federation.name, check.get_status_display(),
                          *[scores.get(item.code) for item in SCHEMES["five_good"].items],
                          check.total_score if check.status == A.CONFIRMED else None,
                          check.level if check.status == A.CONFIRMED else ""])
    return [
        ("五有汇总", ["指标", "数值"], summary),
        ("五有达标情况", ["商会", "街道（镇）", "评估状态", *item_headers, "五有全部达标"], per_chamber),
        ("五有分项", ["条目", "达标商会数", "未达标商会数", "未达标商会及原因"], per_item),
        ("四好商会", ["商会", "评定等次", "总分"], four_rows),
        ("五好自查", ["工商联", "状态", *[item.label for item in SCHEMES["five_good"].items], "总分", "评定等次"],
         good_rows),
    ]


@never_cache
@login_required
def compliance(request):
    user = request.user
    assessments_visible_to(user)  # 403 first
    form = ComplianceForm(request.GET or None)
    year = form.chosen_year()
    five = selectors.five_have_compliance(user, year=year)
    four = selectors.four_good_levels(user, year=year)
    federation_role = _role(user) in FEDERATION_ROLES
    five_good = selectors.five_good_checks(user, year=year) if federation_role else []
    if request.GET.get("export") == "xlsx":
        return audited_export(actor=user, title=f"{year}年商会评估达标情况", object_type="honours.compliance",
                              sheets=compliance_sheets(five, four, five_good),
                              detail={"report": "assessment_compliance", "year": year})
    good_items = SCHEMES["five_good"].items
    good_rows = [{"check": check, "scores": [next((row.score for row in check.items.all() if row.code == item.code),
                                                  None) for item in good_items]} for check in five_good]
    return render(request, "honours/assessments/compliance.html", {
        "form": form, "year": year, "five": five, "four": four, "five_good": good_rows,
        "federation_role": federation_role, "good_items": good_items, "five_items": FIVE_HAVE.items,
        "no_data": NO_DATA, "good_levels": selectors.good_levels(),
        "export_url": f"{reverse('honours:compliance')}?{urlencode({'year': year, 'export': 'xlsx'})}",
        "list_url": f"{reverse('honours:assessments')}?{urlencode({'year': year})}",
        "breadcrumbs": [GROUP, ("五有达标情况", None)],
    })
