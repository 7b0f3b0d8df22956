"""代表人士数据库 pages: the database list and its export, all arrangements (政治安排) with theirs, a person's
profile (arrangements, positions per term, honours, cultivation plans, proposals, events attended,
enterprises), the add/edit/delete pages of arrangements, honours and cultivation plans, and the arrangement
import. Thin: parse, call a selector or a service, render.

Readers: `MEMBER_READER_ROLES` in their scope (a chamber secretary the persons of its member enterprises);
writers: `EDITOR_ROLES`. ID numbers and mobiles are masked (`common.masking.mask`); a `can_view_pii` user may
reveal them on the profile as on the member registry's person page (purpose and password again, an audit row
`pii_view`), and export them unmasked with `?pii=1` (the export's audit row says so)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from shanglian.accounts.roles import EDITOR_ROLES, MEMBER_READER_ROLES, require_role, role_of
from shanglian.common.masking import mask
from shanglian.imports.exports import audited_export
from shanglian.imports.pages import ImportPages
from shanglian.members.selectors import can_view_pii, persons_editable_by, persons_visible_to
from shanglian.members.views import person_pii
from shanglian.ui.listing import Action, Column, ListPage, export_action, render_list
from shanglian.ui.records import delete_page, edit_page, staff_page
from shanglian.ui.sections import sections_for
from shanglian.ui.shortcuts import get_visible_or_404

from .forms.representatives import (
    ArrangementForm,
    ArrangementSearchForm,
    CultivationForm,
    HonourForm,
    RepresentativeSearchForm,
)
from .imports.representatives import KIND as IMPORT_KIND
from .imports.representatives import import_template
from .selectors import representatives as selectors
from .services import representatives as services

CRUMBS = [("政治引领", None), ("代表人士", "engagement:representatives")]
ARRANGEMENT_CRUMBS = [("政治引领", None), ("政治安排", "engagement:arrangements")]
IN_FORCE_TAGS = {True: "tag-success", False: "tag-muted"}


def _profile_url(person_id):
    return reverse("engagement:profile", args=[person_id])


def _is_editor(user):
    return role_of(user) in EDITOR_ROLES


# --- what a row shows ----------------------------------------------------------------------------------------
def arrangement_label(arrangement):
    """区（县）人大代表（第十八届）, with 常委 / 副主任/副主席 when the person holds that role."""
    role = "" if arrangement.role == arrangement.Role.MEMBER else f"·{arrangement.get_role_display()}"
    return f"{arrangement.get_level_display()}{arrangement.get_kind_display()}{role}（{arrangement.term}）"


def position_label(position):
    """工商联第10届执委 / 友谊路街道商会第2届会长."""
    term = position.term
    owner = term.chamber.name if term.chamber_id else (term.federation.short_name or term.federation.name)
    return f"{owner}第{term.number}届{position.get_title_display()}"


def _current_arrangements(person):
    return "；".join(arrangement_label(a) for a in person.current_arrangements)


def _current_positions(person):
    return "；".join(position_label(p) for p in person.current_positions)


def _enterprises(person):
    return "、".join(dict.fromkeys(role.enterprise.name for role in person.roles))


# --- the database list ---------------------------------------------------------------------------------------
def _invalid(form):
    return form.is_bound and not form.is_valid()


def _searched(form, rows):
    """The rows a search finds: none for an invalid search (a choice that does not exist) — the form says why —
    never the unfiltered list."""
    if _invalid(form):
        return rows.none()
    return rows


def _empty_text(request, form, found_none):
    if _invalid(form):  # said in the table too: a search refreshed in place replaces the table, not the form
        return "搜索条件有误：" + "；".join(str(e) for errors in form.errors.values() for e in errors)
    return found_none if request.GET else ""


def _refuse_invalid_export(request, form, list_name):
    """An export asked with an invalid search exports nothing: back to the list, which shows the errors."""
    if not _invalid(form):
        return None
    messages.error(request, "搜索条件有误，请修改后再导出。")
    return redirect(f"{reverse(list_name)}?{request.GET.urlencode()}")


def _representatives(request):
    form = RepresentativeSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else None
    return form, _searched(form, selectors.representative_list(request.user, filters=filters))


@never_cache
@login_required
def representative_list(request):
    require_role(request.user, *MEMBER_READER_ROLES)
    form, qs = _representatives(request)
    editor = _is_editor(request.user)
    everyone = form.is_valid() and form.cleaned_data.get("scope") == "all"
    toolbar = []
    if editor:
        toolbar.append(Action("添加代表人士", reverse("engagement:representatives") + "?scope=all", "primary"))
        toolbar.append(Action("导入政治安排", reverse("engagement:arrangement_import")))
    toolbar.append(export_action(request, "engagement:representatives_export"))

    def row_actions(person):
        actions = [Action("查看", _profile_url(person.pk))]
        if editor:
            actions.append(Action("新增政治安排", reverse("engagement:arrangement_create", args=[person.pk])))
        return actions

    page = ListPage(
        title="代表人士 · 全部非公经济人士" if everyone else "代表人士",
        breadcrumbs=[("政治引领", None), ("代表人士", None)],
        search_form=form,
        toolbar=toolbar,
        columns=[
            Column("姓名", "name", link=lambda p: _profile_url(p.pk), sort="name"),
            Column("性别", "get_gender_display"),
            Column("出生年份", "birth_year", sort="birth_year"),
            Column("政治面貌", "political_affiliation.label"),
            Column("学历", "education.label"),
            Column("新生代", lambda p: "是" if p.is_new_generation else "否"),
            Column("任职企业", _enterprises, wrap=True),
            Column("现任政治安排", _current_arrangements, wrap=True),
            Column("现任工商联（商会）职务", _current_positions, wrap=True),
        ],
        row_actions=row_actions,
        empty_text=(_empty_text(request, form, "没有找到符合条件的人士") or
                    ("代表人士数据库还没有人士：在“添加代表人士”中查找非公经济人士，为其登记政治安排"
                     if editor else "代表人士数据库还没有人士")),
        default_sort="id",
    )
    return render_list(request, page, qs)


@login_required
def representative_export(request):
    """代表人士名单: the current filtered list; ID numbers and mobiles masked unless the user may see them and
    asks (`?pii=1`), as the member registry's person export does."""
    require_role(request.user, *MEMBER_READER_ROLES)
    form, qs = _representatives(request)
    refused = _refuse_invalid_export(request, form, "engagement:representatives")
    if refused:
        return refused
    pii = can_view_pii(request.user) and request.GET.get("pii") == "1"
    headers = ["姓名", "性别", "出生年份", "身份证号", "手机号", "政治面貌", "学历", "新生代企业家", "任职企业",
               "现任政治安排", "现任工商联（商会）职务"]
    rows = [
        [p.name, p.get_gender_display(), p.birth_year, p.id_number if pii else mask("id_number", p.id_number),
         p.mobile if pii else mask("mobile", p.mobile),
         p.political_affiliation.label if p.political_affiliation_id else "",
         p.education.label if p.education_id else "", "是" if p.is_new_generation else "否",
         _enterprises(p), _current_arrangements(p), _current_positions(p)]
        for p in qs.order_by("id")
    ]
    return audited_export(actor=request.user, title="代表人士名单", object_type="members.person",
                          sheets=[("代表人士", headers, rows)],
                          detail={"rows": len(rows), "pii": pii,
                                  "filters": {k: v for k, v in request.GET.items() if k != "pii"}})


# --- every arrangement ---------------------------------------------------------------------------------------
ARRANGEMENT_FIELDS = [
    ("安排类别", lambda a: a.get_kind_display()),
    ("层级", lambda a: a.get_level_display()),
    ("身份", lambda a: a.get_role_display()),
    ("届次", lambda a: a.term),
    ("界别/代表团", lambda a: a.sector),
    ("起始日期", lambda a: a.start.isoformat()),
    ("届满日期", lambda a: a.end.isoformat() if a.end else ""),
]


def _arrangements(request):
    form = ArrangementSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else None
    return form, _searched(form, selectors.arrangement_list(request.user, filters=filters))


@never_cache
@login_required
def arrangement_list(request):
    require_role(request.user, *MEMBER_READER_ROLES)
    form, qs = _arrangements(request)
    editor = _is_editor(request.user)
    today = timezone.localdate()
    toolbar = []
    if editor:
        toolbar.append(Action("导入", reverse("engagement:arrangement_import"), "primary"))
    toolbar.append(export_action(request, "engagement:arrangements_export"))

    def row_actions(arrangement):
        actions = [Action("查看", _profile_url(arrangement.person_id))]
        if editor:
            actions += [Action("编辑", reverse("engagement:arrangement_edit", args=[arrangement.pk])),
                        Action("删除", reverse("engagement:arrangement_delete", args=[arrangement.pk]))]
        return actions

    page = ListPage(
        title="政治安排",
        breadcrumbs=[("政治引领", None), ("政治安排", None)],
        search_form=form,
        toolbar=toolbar,
        columns=[
            Column("姓名", "person.name", link=lambda a: _profile_url(a.person_id), sort="person__name"),
            Column("安排类别", "get_kind_display", sort="kind"),
            Column("层级", "get_level_display", sort="level"),
            Column("身份", "get_role_display"),
            Column("届次", "term", sort="term"),
            Column("界别/代表团", "sector"),
            Column("起始日期", lambda a: a.start.isoformat(), sort="start"),
            Column("届满日期", lambda a: a.end.isoformat() if a.end else "", sort="end"),
            Column("状态", lambda a: "在任" if a.in_force_on(today) else "不在任",
                   tag=lambda a: IN_FORCE_TAGS[a.in_force_on(today)]),
        ],
        row_actions=row_actions,
        empty_text=_empty_text(request, form, "没有找到符合条件的政治安排") or "暂无政治安排",
        default_sort="-start",
    )
    return render_list(request, page, qs)


@login_required
def arrangement_export(request):
    """政治安排清单: the current filtered list; the ID number masked unless the user may see it and asks
    (`?pii=1`)."""
    require_role(request.user, *MEMBER_READER_ROLES)
    form, qs = _arrangements(request)
    refused = _refuse_invalid_export(request, form, "engagement:arrangements")
    if refused:
        return refused
    pii = can_view_pii(request.user) and request.GET.get("pii") == "1"
    today = timezone.localdate()
    headers = ["姓名", "身份证号", *[h for h, _ in ARRANGEMENT_FIELDS], "状态", "备注"]
    rows = [[a.person.name, a.person.id_number if pii else mask("id_number", a.person.id_number),
             *[get(a) for _, get in ARRANGEMENT_FIELDS], "在任" if a.in_force_on(today) else "不在任", a.note]
            for a in qs.order_by("-start", "-id")]
    return audited_export(actor=request.user, title="政治安排清单", object_type="engagement.arrangement",
                          sheets=[("政治安排", headers, rows)],
                          detail={"rows": len(rows), "pii": pii,
                                  "filters": {k: v for k, v in request.GET.items() if k != "pii"}})


# --- one person's profile ------------------------------------------------------------------------------------
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def profile(request, pk):
    """A person's profile in the database: masked by default; a user holding view_pii may reveal the full ID
    number and mobile after giving a purpose and the password again (audited, as on the person page). Any
    person of the scope has one (an editor adds the first arrangement from it)."""
    require_role(request.user, *MEMBER_READER_ROLES)
    person = get_visible_or_404(persons_visible_to(request.user), pk)
    pii = person_pii(request, person)
    editor = _is_editor(request.user)
    return render(request, "engagement/representatives/profile.html", {
        "person": person,
        "editor": editor,
        **pii,
        **selectors.profile(request.user, person),
        "sections": sections_for("person", request.user, person),  # e.g. 参加活动, from events
        "history": selectors.profile_history(person) if editor else (),
        "breadcrumbs": [*CRUMBS, (person.name, None)],
    }, status=400 if request.method == "POST" and not pii["revealed"] else 200)


# --- arrangements: add, edit, delete -------------------------------------------------------------------------
def _person_for_edit(request, pk):
    return get_visible_or_404(persons_editable_by(request.user), pk)


@staff_page
def arrangement_create(request, pk):
    person = _person_for_edit(request, pk)
    form = ArrangementForm(request.POST or None, person=person)
    return edit_page(request, form=form, title="新增政治安排", subject=person.name,
                     save=lambda f: services.save_arrangement(actor=request.user, person=person, **f.service_fields()),
                     then=lambda a: _profile_url(person.pk), cancel_url=_profile_url(person.pk),
                     breadcrumbs=[*CRUMBS, (person.name, None), ("新增政治安排", None)],
                     intro="同一人同一层级的同类安排（如区人大代表）时间不能重叠；届满日期留空表示仍在任。")


@staff_page
def arrangement_edit(request, pk):
    arrangement = get_visible_or_404(selectors.arrangements_editable_by(request.user), pk)
    person = arrangement.person
    form = ArrangementForm(request.POST or None, instance=arrangement, person=person)
    return edit_page(request, form=form, title="编辑政治安排", subject=f"{person.name}：{arrangement_label(arrangement)}",
                     save=lambda f: services.save_arrangement(actor=request.user, person=person,
                                                              arrangement=arrangement, **f.service_fields()),
                     then=lambda a: _profile_url(person.pk), cancel_url=_profile_url(person.pk),
                     breadcrumbs=[*ARRANGEMENT_CRUMBS, (person.name, None), ("编辑", None)])


@staff_page
def arrangement_delete(request, pk):
    arrangement = get_visible_or_404(selectors.arrangements_editable_by(request.user), pk)
    return delete_page(request, obj=arrangement,
                       delete=lambda: services.delete_arrangement(actor=request.user, arrangement=arrangement),
                       cancel_url=_profile_url(arrangement.person_id), done_url=_profile_url(arrangement.person_id),
                       breadcrumbs=[*ARRANGEMENT_CRUMBS, (arrangement.person.name, None), ("删除", None)])


# --- honours: add, delete ------------------------------------------------------------------------------------
@staff_page
def honour_create(request, pk):
    person = _person_for_edit(request, pk)
    form = HonourForm(request.POST or None, person=person)
    return edit_page(request, form=form, title="新增个人荣誉", subject=person.name,
                     save=lambda f: services.save_honour(actor=request.user, person=person, **f.service_fields()),
                     then=lambda h: _profile_url(person.pk), cancel_url=_profile_url(person.pk),
                     breadcrumbs=[*CRUMBS, (person.name, None), ("新增个人荣誉", None)])


@staff_page
def honour_delete(request, pk):
    honour = get_visible_or_404(selectors.honours_editable_by(request.user), pk)
    return delete_page(request, obj=honour, delete=lambda: services.delete_honour(actor=request.user, honour=honour),
                       cancel_url=_profile_url(honour.person_id), done_url=_profile_url(honour.person_id),
                       breadcrumbs=[*CRUMBS, (honour.person.name, None), ("删除个人荣誉", None)])


# --- cultivation plans: add, edit, delete --------------------------------------------------------------------
@staff_page
def cultivation_create(request, pk):
    person = _person_for_edit(request, pk)
    form = CultivationForm(request.POST or None, person=person)
    return edit_page(request, form=form, title="纳入培养计划", subject=person.name,
                     save=lambda f: services.save_cultivation(actor=request.user, person=person,
                                                              **f.service_fields()),
                     then=lambda c: _profile_url(person.pk), cancel_url=_profile_url(person.pk),
                     breadcrumbs=[*CRUMBS, (person.name, None), ("纳入培养计划", None)])


@staff_page
def cultivation_edit(request, pk):
    cultivation = get_visible_or_404(selectors.cultivations_editable_by(request.user), pk)
    person = cultivation.person
    form = CultivationForm(request.POST or None, instance=cultivation, person=person)
    return edit_page(request, form=form, title="编辑培养计划", subject=f"{person.name}：{cultivation.plan.label}",
                     save=lambda f: services.save_cultivation(actor=request.user, person=person,
                                                              cultivation=cultivation, **f.service_fields()),
                     then=lambda c: _profile_url(person.pk), cancel_url=_profile_url(person.pk),
                     breadcrumbs=[*CRUMBS, (person.name, None), ("编辑培养计划", None)])


@staff_page
def cultivation_delete(request, pk):
    cultivation = get_visible_or_404(selectors.cultivations_editable_by(request.user), pk)
    return delete_page(request, obj=cultivation,
                       delete=lambda: services.delete_cultivation(actor=request.user, cultivation=cultivation),
                       cancel_url=_profile_url(cultivation.person_id), done_url=_profile_url(cultivation.person_id),
                       breadcrumbs=[*CRUMBS, (cultivation.person.name, None), ("删除培养计划", None)])


# --- the import ----------------------------------------------------------------------------------------------
IMPORT_PAGES = ImportPages(
    kind=IMPORT_KIND, namespace="engagement", name="arrangement_import", noun="政治安排",
    breadcrumbs=(*ARRANGEMENT_CRUMBS, ("导入政治安排", None)),
    make_template=import_template, title="导入政治安排",
    back_url="engagement:arrangements", back_label="政治安排",
    notes_template="engagement/representatives/_import_notes.html",
    commit_note="每行登记一项政治安排；与已有安排同人同类同层级、起始日期相同的，更新该安排。",
)
