"""榜单 pages: a category's ranking (the federation's roles: editors publish, leaders read) with the tie rule, the
judges who have not finished and 发布榜单 (a confirmation, then one POST); the published lists (every member-registry
reader: search, filters, 导出), one list's page (its entries, its versions with their reasons, a banner on a
superseded version linking to the current one) and 更正榜单 (editors: version n + 1 with a reason). A published list
has no edit page. Thin: parse, call a selector or a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from shanglian.accounts.roles import EDITOR_ROLES, FEDERATION_ROLES, role_of
from shanglian.common.errors import Refused
from shanglian.common.periods import day_text, local_day
from shanglian.imports.exports import audited_export
from shanglian.members.selectors import enterprises_visible_to
from shanglian.ui.listing import Action, Column, ListPage, export_action, render_list
from shanglian.ui.records import staff_page
from shanglian.ui.shortcuts import get_visible_or_404

from . import ranking as ranking_rules
from .forms.lists import ADD_ROWS, MAX_ADD_ROWS, CorrectionForm, ListSearchForm
from .models import HonourList
from .selectors import lists as selectors
from .services import lists as services

LIST_CRUMBS = [("评选表彰", None), ("发布榜单", "honours:lists")]
PROGRAMME_CRUMBS = [("评选表彰", None), ("评选活动", "honours:programmes")]


def _is_editor(user):
    return role_of(user) in EDITOR_ROLES


def list_title(honour_list):
    return f"{honour_list.category.programme.year}年{honour_list.category.name}"


def moment_text(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _state_tag(honour_list):
    return "tag-success" if honour_list.is_current else "tag-muted"


def _state_text(honour_list):
    return "现行版本" if honour_list.is_current else "已被更正"


def _category_crumbs(category):
    return [*PROGRAMME_CRUMBS, (str(category.programme), None), (category.name, None)]


# --- the ranking and its publication --------------------------------------------------------------------------
def _ranking_context(request, category):
    result = ranking_rules.ranking(category)
    current = services.current_list(category)
    editor = _is_editor(request.user)
    listed = {id(row) for row in result.listed}
    rows = [{"row": row, "listed": id(row) in listed} for row in result.rows]
    refusal = services.publish_refusal(category, current) if editor else None
    return {
        "category": category, "programme": category.programme, "result": result, "rows": rows,
        "tie_rule": ranking_rules.TIE_RULE, "current": current,
        "can_publish": editor and bool(result.listed) and refusal is None, "refusal": refusal or "",
    }


@never_cache
@login_required
def ranking(request, pk):
    category = get_visible_or_404(selectors.ranking_categories(request.user), pk)
    context = _ranking_context(request, category)
    return render(request, "honours/lists/ranking.html", {
        **context, "breadcrumbs": [*_category_crumbs(category), ("评审排名", None)]})


@staff_page
def list_publish(request, pk):
    """GET: what would be published, with the warnings, and the confirmation; POST: publish it."""
    category = get_visible_or_404(selectors.publishable_by(request.user), pk)
    if request.method == "POST":
        try:
            honour_list = services.publish_list(actor=request.user, category=category)
        except Refused as exc:
            messages.error(request, exc.message)
            return redirect("honours:ranking", pk=category.pk)
        messages.success(request, f"已发布“{list_title(honour_list)}”，共 {honour_list.entries.count()} 家企业上榜。")
        return redirect(honour_list)
    context = _ranking_context(request, category)
    return render(request, "honours/lists/publish.html", {
        **context, "breadcrumbs": [*_category_crumbs(category), ("发布榜单", None)]})


# --- the published lists --------------------------------------------------------------------------------------
LIST_FIELDS = [
    ("年度", lambda h: h.category.programme.year),
    ("评选活动", lambda h: h.category.programme.name),
    ("榜单", lambda h: h.category.name),
    ("版本", lambda h: f"第{h.version}版"),
    ("状态", _state_text),
    ("上榜名额", lambda h: h.category.list_size),
    ("上榜企业数", lambda h: h.entry_count),
    ("发布时间", lambda h: moment_text(h.published_at)),
    ("发布人", lambda h: str(h.published_by) if h.published_by_id else ""),
    ("更正原因", lambda h: h.reason),
]
ENTRY_FIELDS = [
    ("年度", lambda e: e.honour_list.category.programme.year),
    ("榜单", lambda e: e.honour_list.category.name),
    ("版本", lambda e: f"第{e.honour_list.version}版"),
    ("状态", lambda e: _state_text(e.honour_list)),
    ("名次", lambda e: e.rank),
    ("并列", lambda e: "并列" if e.tied else ""),
    ("上榜名称", lambda e: e.enterprise_name),
    ("统一社会信用代码", lambda e: e.enterprise.uscc),
    ("综合得分", lambda e: e.score),
]


def _filtered(request):
    """The search form and the lists it finds; an invalid search finds nothing (the form says why)."""
    selectors.lists_visible_to(request.user)  # 403 before anything else for a role without lists
    form = ListSearchForm(request.GET or None, user=request.user)
    if form.is_bound and not form.is_valid():
        return form, HonourList.objects.none()
    return form, selectors.list_search(request.user, filters=form.filters() if form.is_bound else {})


def _empty_text(request, form):
    if form.is_bound and not form.is_valid():
        return "搜索条件有误：" + "；".join(str(e) for errors in form.errors.values() for e in errors)
    return "没有找到符合条件的榜单" if request.GET else "暂无发布的榜单"


@never_cache
@login_required
def list_index(request):
    form, qs = _filtered(request)
    editor = _is_editor(request.user)

    def detail(h):
        return reverse("honours:list", args=[h.pk])

    def row_actions(h):
        actions = [Action("查看", detail(h))]
        if editor and h.is_current:
            actions.append(Action("更正", reverse("honours:list_correct", args=[h.pk])))
        return actions

    page = ListPage(
        title="发布榜单",
        breadcrumbs=[("评选表彰", None), ("发布榜单", None)],
        search_form=form,
        toolbar=[export_action(request, "honours:lists_export")],
        columns=[
            Column("年度", lambda h: f"{h.category.programme.year}年", sort="category__programme__year"),
            Column("榜单", lambda h: h.category.name, link=detail, wrap=True),
            Column("评选活动", lambda h: h.category.programme.name, wrap=True),
            Column("版本", lambda h: f"第{h.version}版"),
            Column("状态", _state_text, tag=_state_tag),
            Column("上榜企业", lambda h: f"{h.entry_count} 家"),
            Column("发布时间", lambda h: day_text(local_day(h.published_at)), sort="published_at"),
        ],
        row_actions=row_actions,
        empty_text=_empty_text(request, form),
        default_sort="-published_at",
    )
    return render_list(request, page, qs)


@login_required
def list_export(request):
    form, qs = _filtered(request)
    if form.is_bound and not form.is_valid():
        messages.error(request, "搜索条件有误，请修改后再导出。")
        return redirect(f"{reverse('honours:lists')}?{request.GET.urlencode()}")
    lists = list(qs.order_by("-category__programme__year", "category__programme_id", "category__order",
                             "category_id", "-version"))
    entries = selectors.entries_of_lists([h.pk for h in lists])
    list_rows = [[get(h) for _, get in LIST_FIELDS] for h in lists]
    entry_rows = [[get(e) for _, get in ENTRY_FIELDS] for e in entries]
    return audited_export(actor=request.user, title="发布榜单", object_type="honours.honourlist",
                          sheets=[("榜单", [h for h, _ in LIST_FIELDS], list_rows),
                                  ("上榜企业", [h for h, _ in ENTRY_FIELDS], entry_rows)],
                          text_columns={"上榜企业": ["统一社会信用代码"]},
                          detail={"rows": len(list_rows), "entries": len(entry_rows), "filters": request.GET.dict()})


@never_cache
@login_required
def list_detail(request, pk):
    honour_list = get_visible_or_404(selectors.lists_visible_to(request.user).select_related("published_by"), pk)
    user = request.user
    entries = list(selectors.entries_of(honour_list))
    linked = set(enterprises_visible_to(user).filter(pk__in=[e.enterprise_id for e in entries])
                 .values_list("pk", flat=True))
    category = honour_list.category
    return render(request, "honours/lists/detail.html", {
        "honour_list": honour_list, "title": list_title(honour_list), "category": category,
        "programme": category.programme, "entries": entries, "linked": linked,
        "longer": len(entries) > category.list_size,
        "versions": list(selectors.versions_of(honour_list)),
        "current": selectors.current_version(honour_list),
        "can_correct": _is_editor(user) and honour_list.is_current
        and category.programme.status in services.CORRECTABLE,
        "can_rank": role_of(user) in FEDERATION_ROLES,
        "breadcrumbs": [*LIST_CRUMBS, (f"{list_title(honour_list)}（第{honour_list.version}版）", None)],
    })


def _add_rows(request):
    try:
        asked = int(request.GET.get("rows", ""))
    except ValueError:
        return ADD_ROWS
    return max(1, min(asked, MAX_ADD_ROWS))


@staff_page
def list_correct(request, pk):
    """更正榜单: the current version's entries to reorder or remove, rows to add, a required reason → version n + 1."""
    honour_list = get_visible_or_404(selectors.lists_correctable_by(request.user), pk)
    if not honour_list.is_current:
        current = selectors.current_version(honour_list)
        messages.error(request, f"此版本（第{honour_list.version}版）已被更正，不能再更正；"
                                f"请在现行的第{current.version}版上更正。")
        return redirect(honour_list)
    entries = list(selectors.entries_of(honour_list))
    rows = _add_rows(request)
    if request.method == "POST":
        try:
            rows = max(rows, int(request.POST.get("add_rows", rows)))
        except ValueError:
            pass
    form = CorrectionForm(request.POST or None, user=request.user, entries=entries,
                          add_rows=min(rows, MAX_ADD_ROWS))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                new = services.correct_list(actor=request.user, honour_list=honour_list,
                                            entries=form.corrected_entries(), reason=form.cleaned_data["reason"])
            except Refused as exc:
                messages.error(request, exc.message)
                return redirect(honour_list)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, f"已发布更正后的第{new.version}版，第{honour_list.version}版已标记为被更正。")
                return redirect(new)
        status = 400
    return render(request, "honours/lists/correct.html", {
        "honour_list": honour_list, "title": list_title(honour_list), "form": form,
        "more_rows_url": f"{reverse('honours:list_correct', args=[honour_list.pk])}?rows={min(rows + ADD_ROWS, MAX_ADD_ROWS)}",
        "can_add_rows": rows < MAX_ADD_ROWS,
        "breadcrumbs": [*LIST_CRUMBS, (f"{list_title(honour_list)}（第{honour_list.version}版）", None),
                        ("更正榜单", None)],
    }, status=status)
