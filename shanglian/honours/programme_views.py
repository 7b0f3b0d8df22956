"""评选活动 pages: the list, one programme's page (its categories with their criteria, its panel, the workflow's
buttons), 新增/编辑/删除, a category's page (its criteria and nominations) and form (the category with its criteria
in one form), and the panel's page (评审委员: add, remove). Every reader of the member registry reads the programmes
of its federation; the editors keep them. Thin: parse, call a selector or a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from shanglian.accounts.roles import EDITOR_ROLES, JUDGE_ROLES, NOMINATOR_ROLES, require_role, role_of
from shanglian.common.errors import Refused
from shanglian.common.records import history
from shanglian.ui.listing import Action, Column, ListPage, render_list
from shanglian.ui.records import delete_page, edit_page, staff_page
from shanglian.ui.shortcuts import get_visible_or_404

from .forms.programmes import (
    CategoryForm,
    JudgeForm,
    ProgrammeForm,
    ProgrammeSearchForm,
    criteria_formset,
    criteria_rows,
)
from .models import Programme
from .selectors import nominations as nomination_selectors
from .selectors import programmes as selectors
from .selectors.scopes import programmes_visible_to
from .services import nominations as nomination_services
from .services import programmes as services
from .workflow import PROGRAMME_FLOW

P = Programme.Status
STATUS_TAGS = {P.DRAFT: "tag-muted", P.NOMINATING: "tag-info", P.SCORING: "tag-warning", P.CLOSED: "tag-success"}
CRUMBS = [("评选表彰", None), ("评选活动", "honours:programmes")]
HISTORY_ROWS = 50


def _is_editor(user):
    return role_of(user) in EDITOR_ROLES


def _crumbs(*tail):
    return [*CRUMBS, *tail]


def search_errors(form):
    return "搜索条件有误：" + "；".join(str(e) for errors in form.errors.values() for e in errors)


# --- the list ----------------------------------------------------------------------------------------------------
@never_cache
@login_required
def programme_list(request):
    user = request.user
    programmes_visible_to(user)  # 403 before anything else for a role without programmes
    form = ProgrammeSearchForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        qs, empty = Programme.objects.none(), search_errors(form)
    else:
        qs = selectors.programme_list(user, filters=form.filters() if form.is_bound else {})
        empty = "没有找到符合条件的评选活动" if request.GET else "暂无评选活动"
    editor = _is_editor(user)

    def detail(p):
        return reverse("honours:programme", args=[p.pk])

    def row_actions(p):
        actions = [Action("查看", detail(p))]
        if editor and p.status != P.CLOSED:
            actions.append(Action("编辑", reverse("honours:programme_edit", args=[p.pk])))
        return actions

    columns = [
        Column("年度", lambda p: f"{p.year}年", sort="year"),
        Column("评选名称", "name", link=detail, wrap=True),
        Column("状态", "get_status_display", tag=lambda p: STATUS_TAGS.get(p.status, ""), sort="status"),
        Column("类别数", "category_count"),
    ]
    if role_of(user) in EDITOR_ROLES | JUDGE_ROLES:  # a chamber sees its own nominations, not the totals
        columns.append(Column("提名数", "nomination_count"))
    columns.append(Column("提名截止", lambda p: p.nomination_deadline.isoformat() if p.nomination_deadline else None))
    page = ListPage(
        title="评选活动", breadcrumbs=[("评选表彰", None), ("评选活动", None)], search_form=form,
        toolbar=[Action("新增评选活动", reverse("honours:programme_create"), "primary")] if editor else [],
        columns=columns, row_actions=row_actions, empty_text=empty, default_sort="-year",
    )
    return render_list(request, page, qs)


# --- create / edit / delete --------------------------------------------------------------------------------------
def _save_programme(user, programme=None):
    def save(form):
        try:
            return services.save_programme(actor=user, data=form.programme_data(), programme=programme)
        except Refused as exc:
            raise ValidationError(exc.message) from None

    return save


@staff_page
def programme_create(request):
    require_role(request.user, *EDITOR_ROLES)
    form = ProgrammeForm(request.POST or None, user=request.user)
    return edit_page(request, form=form, save=_save_programme(request.user), title="新增评选活动",
                     intro="新建的评选为“筹备中”：设置评选类别、评分指标和评审委员后，再开始提名。",
                     breadcrumbs=_crumbs(("新增", None)), cancel_url=reverse("honours:programmes"))


@staff_page
def programme_edit(request, pk):
    programme = get_visible_or_404(selectors.programmes_editable_by(request.user), pk)
    if programme.status == P.CLOSED:
        messages.error(request, "评选已结束，不能修改。")
        return redirect(programme)
    form = ProgrammeForm(request.POST or None, user=request.user, instance=programme)
    return edit_page(request, form=form, save=_save_programme(request.user, programme), title="编辑评选活动",
                     subject=str(programme), breadcrumbs=_crumbs((str(programme), None), ("编辑", None)),
                     cancel_url=programme.get_absolute_url())


@staff_page
def programme_delete(request, pk):
    programme = get_visible_or_404(selectors.programmes_editable_by(request.user), pk)
    if programme.status != P.DRAFT:
        messages.error(request, f"评选当前为“{programme.get_status_display()}”，只有筹备中的评选可以删除。")
        return redirect(programme)
    return delete_page(request, obj=programme,
                       delete=lambda: services.delete_programme(actor=request.user, programme=programme),
                       along=("categories", "judges"), cancel_url=programme.get_absolute_url(),
                       done_url=reverse("honours:programmes"),
                       breadcrumbs=_crumbs((str(programme), None), ("删除", None)))


# --- one programme -----------------------------------------------------------------------------------------------
def _buttons(user, programme):
    return [{"label": t.label, "style": t.meta.get("style", "default"), "confirm": t.meta.get("confirm", ""),
             "url": reverse("honours:programme_transition", args=[programme.pk, t.url_part])}
            for t in PROGRAMME_FLOW.available(user, programme, role=role_of(user))]


@never_cache
@login_required
def programme_detail(request, pk):
    user = request.user
    programme = get_visible_or_404(programmes_visible_to(user).select_related("federation"), pk)
    editor = _is_editor(user)
    categories = list(selectors.programme_categories(programme))
    refusal = nomination_services.nomination_refusal(programme)
    seat = nomination_selectors.seat_of(user, programme) if role_of(user) in JUDGE_ROLES else None
    return render(request, "honours/programmes/detail.html", {
        "programme": programme,
        "status_tag": STATUS_TAGS.get(programme.status, ""),
        "editor": editor,
        "buttons": _buttons(user, programme) if editor else [],
        "categories": categories,
        "show_counts": role_of(user) in EDITOR_ROLES | JUDGE_ROLES,
        "categories_editable": editor and programme.status in selectors.CATEGORY_EDITABLE_STATES,
        "can_nominate": role_of(user) in NOMINATOR_ROLES and not refusal,
        "nomination_note": refusal,
        "judges": list(selectors.programme_judges(programme)) if editor else [],
        "judge_count": programme.judges.count(),
        "seat": seat,
        "can_delete": editor and programme.status == P.DRAFT,
        "can_edit": editor and programme.status != P.CLOSED,
        "missing_lists": ([c.name for c in selectors.categories_without_current_list(programme)]
                          if editor and programme.status == P.SCORING else []),
        "history": history(programme)[:HISTORY_ROWS] if editor else [],
        "breadcrumbs": _crumbs((str(programme), None)),
    })


@never_cache
@login_required
@require_POST
def programme_transition(request, pk, action):
    """One row of PROGRAMME_FLOW (开始提名, 截止提名并开始评审, 结束评选) from the programme's page."""
    programme = get_visible_or_404(selectors.programmes_editable_by(request.user), pk)
    transition = next((t for t in PROGRAMME_FLOW if not t.creates and t.url_part == action), None)
    if transition is None:
        raise Http404("没有这个操作。")
    try:
        PROGRAMME_FLOW.run(transition.name, actor=request.user, obj=programme, data={})
    except Refused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{transition.label}成功。")
    return redirect(programme)


# --- categories --------------------------------------------------------------------------------------------------
def errors_onto(form, error):
    """A service's ValidationError onto `form`: by field where the form has it, else at the form's top (the
    category's criteria errors, for one)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        for e in errors:
            form.add_error(name if name in form.fields else None, e)


def _category_page(request, *, programme, category=None):
    form = CategoryForm(request.POST or None, instance=category)
    formset = criteria_formset(request.POST or None, category=category)
    if request.method == "POST":
        form_ok, rows_ok = form.is_valid(), formset.is_valid()
        if form_ok and rows_ok:
            try:
                saved = services.save_category(actor=request.user, programme=programme, category=category,
                                               data=form.category_data(), criteria=criteria_rows(formset))
            except Refused as exc:
                messages.error(request, exc.message)
                return redirect(programme)
            except ValidationError as exc:
                errors_onto(form, exc)
            else:
                messages.success(request, "已保存。")
                return redirect(saved)
    title = "编辑评选类别" if category else "新增评选类别"
    cancel = category.get_absolute_url() if category else programme.get_absolute_url()
    return render(request, "honours/programmes/category_form.html", {
        "form": form, "formset": formset, "title": title, "programme": programme, "category": category,
        "cancel_url": cancel, "breadcrumbs": _crumbs((str(programme), None), (title, None)),
    }, status=400 if request.method == "POST" else 200)


def _refuse_category_change(request, programme, then):
    if programme.status not in selectors.CATEGORY_EDITABLE_STATES:
        messages.error(request, f"评选当前为“{programme.get_status_display()}”，评审开始后不能再修改类别和评分指标。")
        return redirect(then)
    return None


@staff_page
def category_create(request, pk):
    programme = get_visible_or_404(selectors.programmes_editable_by(request.user), pk)
    return (_refuse_category_change(request, programme, programme)
            or _category_page(request, programme=programme))


@staff_page
def category_edit(request, pk):
    category = get_visible_or_404(selectors.categories_editable_by(request.user), pk)
    return (_refuse_category_change(request, category.programme, category)
            or _category_page(request, programme=category.programme, category=category))


@staff_page
def category_delete(request, pk):
    category = get_visible_or_404(selectors.categories_editable_by(request.user), pk)
    programme = category.programme
    refused = _refuse_category_change(request, programme, category)
    if refused:
        return refused
    return delete_page(request, obj=category,
                       delete=lambda: services.delete_category(actor=request.user, category=category),
                       along=("criteria",), cancel_url=category.get_absolute_url(),
                       done_url=programme.get_absolute_url(),
                       breadcrumbs=_crumbs((str(programme), None), (category.name, None), ("删除", None)))


@never_cache
@login_required
def category_detail(request, pk):
    user = request.user
    category = get_visible_or_404(selectors.categories_visible_to(user), pk)
    programme = category.programme
    editor = _is_editor(user)
    refusal = nomination_services.nomination_refusal(programme)
    nominations = list(nomination_selectors.nomination_list(user, filters={"category": category.pk})
                       .order_by("status", "id"))
    return render(request, "honours/programmes/category_detail.html", {
        "category": category, "programme": programme, "status_tag": STATUS_TAGS.get(programme.status, ""),
        "criteria": selectors.category_criteria(category),
        "nominations": nominations,
        "editor": editor,
        "editable": editor and programme.status in selectors.CATEGORY_EDITABLE_STATES,
        "can_nominate": role_of(user) in NOMINATOR_ROLES and not refusal,
        "nomination_note": refusal,
        "can_rank": editor and programme.status in (P.SCORING, P.CLOSED),
        "history": history(category)[:HISTORY_ROWS] if editor else [],
        "breadcrumbs": _crumbs((str(programme), None), (category.name, None)),
    })


# --- the panel ---------------------------------------------------------------------------------------------------
@staff_page
def judges(request, pk):
    """评审委员: the panel with its scores given, and the form to add a judge (editors)."""
    user = request.user
    programme = get_visible_or_404(selectors.programmes_editable_by(user), pk)
    form = JudgeForm(request.POST or None, user=user, programme=programme)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                judge = services.add_judge(actor=user, programme=programme, **form.judge_data())
            except Refused as exc:
                messages.error(request, exc.message)
                return redirect("honours:judges", pk=programme.pk)
            except ValidationError as exc:
                errors_onto(form, exc)
            else:
                messages.success(request, f"已添加评审委员“{judge}”。")
                return redirect("honours:judges", pk=programme.pk)
        status = 400
    return render(request, "honours/programmes/judges.html", {
        "programme": programme, "judges": list(selectors.programme_judges(programme)), "form": form,
        "open": programme.status != P.CLOSED,
        "breadcrumbs": _crumbs((str(programme), None), ("评审委员", None)),
    }, status=status)


@staff_page
def judge_delete(request, pk):
    judge = get_visible_or_404(selectors.judges_editable_by(request.user), pk)
    programme = judge.programme
    back = reverse("honours:judges", args=[programme.pk])
    if programme.status == P.CLOSED:
        messages.error(request, "评选已结束，不能调整评审委员。")
        return redirect(back)
    return delete_page(request, obj=judge, delete=lambda: services.remove_judge(actor=request.user, judge=judge),
                       cancel_url=back, done_url=back, title="移除评审委员",
                       breadcrumbs=_crumbs((str(programme), None), ("评审委员", None), ("移除", None)))
