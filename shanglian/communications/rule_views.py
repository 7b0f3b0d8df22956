"""Pages of the rules library (规章制度): the list by category with the version in force (on today or a day asked),
its 导出; one rule's page (the version in force and its text, the version history with each version's body, dates
and the meeting resolution that adopted it, and the 对比 of two versions); 新增/编辑/删除, 修订 (a new version: the
previous ones stay in the history) and 废止 with a reason; one version's page. The federation's roles and the
chambers of the federation read; the editors keep them. Thin: parse, call a selector or a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache

from shanglian.common.errors import Refused
from shanglian.common.records import history
from shanglian.events.models import Body
from shanglian.imports.exports import audited_export
from shanglian.ui.listing import Action, Column, ListPage, Tab, export_action, render_list
from shanglian.ui.records import delete_page, edit_page, staff_page
from shanglian.ui.shortcuts import get_visible_or_404

from .forms.rules import CompareForm, RepealForm, RuleForm, RuleSearchForm, VersionForm
from .models import Rule
from .selectors import rules as selectors
from .selectors.scopes import rules_visible_to
from .services import rules as services

GROUP = ("通知调研与宣传", None)
CRUMBS = [GROUP, ("规章制度", "communications:rules")]
HISTORY_ROWS = 50
BODIES = dict(Body.choices)


def _crumbs(*tail):
    return [*CRUMBS, *tail]


def _refused_as_error(call):
    """A service call whose `Refused` belongs on the form (a ValidationError for `ui.records.saved`)."""
    def run(*args, **kwargs):
        try:
            return call(*args, **kwargs)
        except Refused as exc:
            raise ValidationError(exc.message) from None

    return run


# --- the list ----------------------------------------------------------------------------------------------------
def _rules(request):
    """The search form, the filtered rules and the day they are read on."""
    user = request.user
    rules_visible_to(user)  # 403 before anything else for a role without the rules library
    form = RuleSearchForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return form, selectors.rule_list(user).none(), selectors.today()
    on = (form.cleaned_data.get("on") if form.is_bound else None) or selectors.today()
    filters = form.filters() if form.is_bound else {}
    return form, selectors.rule_list(user, filters=filters, on=on), on


def _empty_text(request, form):
    if form.is_bound and not form.is_valid():
        return "搜索条件有误：" + "；".join(str(e) for errors in form.errors.values() for e in errors)
    return "没有找到符合条件的制度" if request.GET else "暂无规章制度"


def _detail(rule):
    return reverse("communications:rule", args=[rule.pk])


def _tabs(request, form, on):
    """全部 and one tab per category, each with its count under the other filters."""
    valid = not form.is_bound or form.is_valid()
    filters = form.filters() if form.is_bound and valid else {}
    counts = selectors.category_counts(request.user, filters=filters, on=on) if valid else {}
    current = filters.get("category", "")
    query = request.GET.copy()
    query.pop("page", None)

    def url(category):
        query["category"] = category
        return f"{request.path}?{query.urlencode()}"

    return [Tab("全部", url(""), sum(counts.values()), active=not current),
            *[Tab(label, url(value), counts.get(value, 0), active=current == value)
              for value, label in Rule.Category.choices]]


@never_cache
@login_required
def rule_list(request):
    form, qs, on = _rules(request)
    editor = selectors.is_rule_editor(request.user)
    toolbar = [Action("登记制度", reverse("communications:rule_create"), "primary")] if editor else []
    toolbar.append(export_action(request, "communications:rules_export"))

    def actions(rule):
        shown = [Action("查看", _detail(rule))]
        if editor and rule.repealed_on is None:
            shown.append(Action("修订", reverse("communications:rule_version_create", args=[rule.pk])))
        return shown

    def status(rule):
        return selectors.row_status(rule, on)

    page = ListPage(
        title="规章制度",
        breadcrumbs=[GROUP, ("规章制度", None)],
        search_form=form,
        tabs=_tabs(request, form, on),
        toolbar=toolbar,
        columns=[
            Column("制度名称", "title", link=_detail, sort="title", wrap=True),
            Column("类别", "get_category_display", sort="category_rank"),
            Column("现行版本", lambda r: f"第{r.current_version}版" if r.current_version else ""),
            Column("施行日期", lambda r: r.current_from.isoformat() if r.current_from else ""),
            Column("审议通过机构", lambda r: BODIES.get(r.current_body, "")),
            Column("版本数", "version_count"),
            Column("状态", lambda r: selectors.Status.LABELS[status(r)], tag=lambda r: selectors.Status.TAGS[status(r)]),
        ],
        row_actions=actions,
        empty_text=_empty_text(request, form),
        default_sort="category_rank",
    )
    return render_list(request, page, qs)


EXPORT_FIELDS = [
    ("制度名称", lambda r, on: r.title),
    ("类别", lambda r, on: r.get_category_display()),
    ("状态", lambda r, on: selectors.Status.LABELS[selectors.row_status(r, on)]),
    ("现行版本", lambda r, on: f"第{r.current_version}版" if r.current_version else ""),
    ("施行日期", lambda r, on: r.current_from.isoformat() if r.current_from else ""),
    ("审议通过机构", lambda r, on: BODIES.get(r.current_body, "")),
    ("版本数", lambda r, on: r.version_count),
    ("废止日期", lambda r, on: r.repealed_on.isoformat() if r.repealed_on else ""),
    ("废止原因", lambda r, on: r.repeal_reason),
]
VERSION_FIELDS = [
    ("制度名称", lambda v: v.rule.title),
    ("版本", lambda v: f"第{v.version}版"),
    ("审议通过机构", lambda v: v.get_adopted_by_display()),
    ("通过日期", lambda v: v.adopted_on.isoformat()),
    ("施行日期", lambda v: v.effective_from.isoformat()),
    ("会议决议", lambda v: v.resolution.title if v.resolution_id else ""),
    ("修订说明", lambda v: v.note),
]


@login_required
def rule_export(request):
    """The listed rules (制度 sheet) and every version of them (版本 sheet, without the texts)."""
    form, qs, on = _rules(request)
    if form.is_bound and not form.is_valid():
        messages.error(request, "搜索条件有误，请修改后再导出。")
        return redirect(f"{reverse('communications:rules')}?{request.GET.urlencode()}")
    rules = list(qs.order_by("category_rank", "title", "id"))
    versions = (selectors.versions_visible_to(request.user).filter(rule__in=[r.pk for r in rules])
                .defer("text").order_by("rule__title", "rule_id", "version"))
    rows = [[get(r, on) for _, get in EXPORT_FIELDS] for r in rules]
    version_rows = [[get(v) for _, get in VERSION_FIELDS] for v in versions]
    return audited_export(actor=request.user, title="规章制度", object_type="communications.rule",
                          sheets=[("制度", [h for h, _ in EXPORT_FIELDS], rows),
                                  ("版本", [h for h, _ in VERSION_FIELDS], version_rows)],
                          detail={"rows": len(rows), "filters": request.GET.dict()})


# --- one rule ----------------------------------------------------------------------------------------------------
def _comparison(request, versions):
    """The 对比 form and, when two versions were asked (`?older=&newer=`), their comparison."""
    asked = "older" in request.GET or "newer" in request.GET
    if not asked:
        initial = {}
        if len(versions) >= 2:
            initial = {"older": versions[1].version, "newer": versions[0].version}
        return CompareForm(versions=versions, initial=initial), None
    form = CompareForm(request.GET, versions=versions)
    if not form.is_valid():
        return form, None
    by_number = {v.version: v for v in versions}
    return form, selectors.compare_versions(by_number[form.cleaned_data["older"]],
                                            by_number[form.cleaned_data["newer"]])


@never_cache
@login_required
def rule_detail(request, pk):
    user = request.user
    rule = get_visible_or_404(rules_visible_to(user).select_related("federation", "created_by"), pk)
    editor = selectors.is_rule_editor(user)
    versions = list(selectors.rule_versions(rule))
    on = selectors.today()
    current = selectors.version_in_force(rule, on)
    status = selectors.status_on(rule, on, effective=current)
    states = selectors.version_states(versions, on) if rule.repealed_on is None or rule.repealed_on > on else {}
    compare_form, comparison = _comparison(request, versions)
    return render(request, "communications/rules/detail.html", {
        "rule": rule,
        "editor": editor,
        "current": current,
        "shown": current or (versions[0] if versions else None),
        "status": selectors.Status.LABELS[status],
        "status_tag": selectors.Status.TAGS[status],
        "versions": [(v, states.get(v.pk, "历史")) for v in versions],
        "compare_form": compare_form,
        "comparison": comparison,
        "history": list(history(rule)[:HISTORY_ROWS]) if editor else None,
        "breadcrumbs": _crumbs((rule.title, None)),
    }, status=400 if compare_form.is_bound and compare_form.errors else 200)


@never_cache
@login_required
def version_detail(request, pk):
    version = get_visible_or_404(selectors.versions_visible_to(request.user), pk)
    rule = version.rule
    previous = rule.versions.filter(version__lt=version.version).order_by("-version").first()
    compare_url = ""
    if previous is not None:
        compare_url = (f"{reverse('communications:rule', args=[rule.pk])}?"
                       f"{urlencode({'older': previous.version, 'newer': version.version})}#compare")
    return render(request, "communications/rules/version.html", {
        "version": version,
        "rule": rule,
        "previous": previous,
        "compare_url": compare_url,
        "breadcrumbs": _crumbs((rule.title, None), (f"第{version.version}版", None)),
    })


# --- create / edit / delete / 修订 / 废止 -------------------------------------------------------------------------
RULE_SECTIONS = [("制度", ["title", "category"]),
                 ("第一版", ["text", "adopted_by", "adopted_on", "effective_from", "resolution", "note"])]


@staff_page
def rule_create(request):
    selectors.require_rule_editor(request.user)
    form = RuleForm(request.POST or None, user=request.user)
    return edit_page(request, form=form,
                     save=lambda f: services.save_rule(actor=request.user, data=f.rule_data()),
                     title="登记制度", sections=RULE_SECTIONS, breadcrumbs=_crumbs(("登记", None)),
                     intro="登记制度及其第一版条文；以后的修订在制度页面“修订”中登记新版本，历次版本均保留。",
                     cancel_url=reverse("communications:rules"))


@staff_page
def rule_edit(request, pk):
    rule = get_visible_or_404(selectors.rules_editable_by(request.user), pk)
    form = RuleForm(request.POST or None, user=request.user, instance=rule)
    return edit_page(request, form=form,
                     save=lambda f: services.save_rule(actor=request.user, data=f.rule_data(), rule=rule),
                     title="编辑制度", subject=rule.title, intro="条文的修改请通过“修订”登记新版本。",
                     breadcrumbs=_crumbs((rule.title, None), ("编辑", None)),
                     cancel_url=rule.get_absolute_url())


@staff_page
def rule_delete(request, pk):
    rule = get_visible_or_404(selectors.rules_editable_by(request.user), pk)
    return delete_page(request, obj=rule, delete=lambda: services.delete_rule(actor=request.user, rule=rule),
                       along=("versions",), cancel_url=rule.get_absolute_url(),
                       done_url=reverse("communications:rules"),
                       breadcrumbs=_crumbs((rule.title, None), ("删除", None)))


@staff_page
def version_create(request, pk):
    rule = get_visible_or_404(selectors.rules_editable_by(request.user), pk)
    form = VersionForm(request.POST or None, user=request.user, rule=rule)
    add = _refused_as_error(services.add_version)
    intro = (f"该制度已于 {rule.repealed_on.isoformat()} 废止，不能再修订。" if rule.repealed_on else
             "新版本自施行日期起生效，此前的版本保留在版本历史中。")
    return edit_page(request, form=form,
                     save=lambda f: add(actor=request.user, rule=rule, data=f.version_data()),
                     then=lambda version: reverse("communications:rule", args=[rule.pk]),
                     title="修订制度", subject=rule.title, intro=intro, submit_label="登记新版本",
                     breadcrumbs=_crumbs((rule.title, None), ("修订", None)),
                     cancel_url=rule.get_absolute_url())


@staff_page
def rule_repeal(request, pk):
    rule = get_visible_or_404(selectors.rules_editable_by(request.user), pk)
    form = RepealForm(request.POST or None, initial={"repealed_on": selectors.today()})
    repeal = _refused_as_error(services.repeal_rule)
    intro = (f"该制度已于 {rule.repealed_on.isoformat()} 废止。" if rule.repealed_on else
             "废止后制度不再计入现行制度，历次版本保留备查。")
    return edit_page(request, form=form,
                     save=lambda f: repeal(actor=request.user, rule=rule, **f.repeal_data()),
                     title="废止制度", subject=rule.title, intro=intro, submit_label="废止",
                     breadcrumbs=_crumbs((rule.title, None), ("废止", None)),
                     cancel_url=rule.get_absolute_url())
