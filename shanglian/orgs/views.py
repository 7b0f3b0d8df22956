"""The organisation's staff pages: a list, a detail page, and add/edit/delete pages for each record
(chambers, committees, departments, streets, villages, terms with their positions). Thin: parse, call
a selector or service, render. Readers see no buttons and get 403 on the write pages; a record
outside the user's scope is 404."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from shanglian.accounts.roles import EDITOR_ROLES, FEDERATION_ROLES, Role, require_role, role_of
from shanglian.common.forms import Form
from shanglian.common.records import history
from shanglian.ui.listing import Action, Column, ListPage, render_list
from shanglian.ui.records import RecordPages, delete_page, edit_page, staff_page
from shanglian.ui.sections import sections_for
from shanglian.ui.shortcuts import get_visible_or_404

from . import selectors, services
from .forms import (
    ChamberForm,
    ChamberProfileForm,
    CommitteeForm,
    DepartmentForm,
    PositionForm,
    StreetForm,
    TermForm,
    VillageForm,
)
from .models import Chamber

HISTORY_ROWS = 50
CHAMBER_PREVIEW = 20


def _is_editor(user):
    return role_of(user) in EDITOR_ROLES


def _new_button(user, url_name, label="新增"):
    return [Action(label, reverse(url_name), style="primary")] if _is_editor(user) else []


def _detail(request, template, obj, *, breadcrumbs, can_edit, can_delete, **context):
    """A record's page: its own context, 编辑/删除 for who may, and its 变更记录."""
    kind = obj._meta.model_name
    return render(request, template, {
        "obj": obj, "breadcrumbs": breadcrumbs, "can_edit": can_edit,
        "edit_url": reverse(f"orgs:{kind}_edit", args=[obj.pk]) if can_edit else "",
        "delete_url": reverse(f"orgs:{kind}_delete", args=[obj.pk]) if can_delete else "",
        "history": history(obj)[:HISTORY_ROWS], **context,
    })


# --- chambers ----------------------------------------------------------------------------------------
class ChamberSearchForm(Form):
    q = forms.CharField(label="商会名称", required=False, widget=forms.TextInput(attrs={"placeholder": "请输入商会名称"}))
    kind = forms.ChoiceField(label="类型", required=False, choices=[("", "全部")] + list(Chamber.Kind.choices))
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部")] + list(Chamber.Status.choices))
    missing = forms.ChoiceField(label="信息", required=False,
                                choices=[("", "全部"), ("secretary", "未设秘书长")])


STATUS_TAGS = {"active": "tag-success", "suspended": "tag-warning", "dissolved": "tag-muted"}


@login_required
def chamber_list(request):
    form = ChamberSearchForm(request.GET or None)
    qs = selectors.chamber_list(request.user, filters=form.cleaned_data if form.is_valid() else None)
    page = ListPage(
        title="商会",
        breadcrumbs=[("组织机构", None), ("商会", None)],
        search_form=form,
        toolbar=_new_button(request.user, "orgs:chamber_create", "新增商会"),
        columns=[
            Column("商会名称", "name", link=lambda c: reverse("orgs:chamber_detail", args=[c.pk]), sort="name"),
            Column("类型", "get_kind_display", sort="kind"),
            Column("所在街道", "street.name"),
            Column("会长", "president"),
            Column("秘书长", lambda c: c.secretary_general or "未设"),
            Column("在册会员", "member_count", sort="member_count"),
            Column("状态", "get_status_display", tag=lambda c: STATUS_TAGS.get(c.status, "")),
        ],
        row_actions=lambda c: [Action("查看", reverse("orgs:chamber_detail", args=[c.pk]))],
        default_sort="id",
    )
    return render_list(request, page, qs)


@never_cache
@login_required
def chamber_detail(request, pk):
    chamber = get_visible_or_404(selectors.chambers_visible_to(request.user), pk)
    role = role_of(request.user)
    return _detail(request, "orgs/chamber_detail.html", chamber, chamber=chamber,
                   members=selectors.chamber_members(chamber, limit=CHAMBER_PREVIEW),
                   preview=CHAMBER_PREVIEW,
                   industries=chamber.industries.all(),
                   terms=selectors.terms_visible_to(request.user).filter(chamber=chamber).order_by("-start"),
                   can_edit=role in EDITOR_ROLES or role == Role.CHAMBER,
                   can_delete=role in EDITOR_ROLES,
                   breadcrumbs=[("组织机构", None), ("商会", "orgs:chamber_list"), (chamber.name, None)])


@staff_page
def chamber_create(request):
    require_role(request.user, *EDITOR_ROLES)
    form = ChamberForm(request.POST or None, user=request.user)
    return edit_page(request, form=form, save=lambda f: services.save_chamber(actor=request.user, form=f),
                      title="新增商会", breadcrumbs=[("组织机构", None), ("商会", "orgs:chamber_list"), ("新增", None)],
                      cancel_url=reverse("orgs:chamber_list"))


@staff_page
def chamber_edit(request, pk):
    chamber = get_visible_or_404(selectors.chambers_editable_by(request.user), pk)
    form_class = ChamberProfileForm if role_of(request.user) == Role.CHAMBER else ChamberForm
    form = form_class(request.POST or None, instance=chamber, user=request.user)
    return edit_page(request, form=form, save=lambda f: services.save_chamber(actor=request.user, form=f),
                      title="编辑商会", subject=chamber.name,
                      breadcrumbs=[("组织机构", None), ("商会", "orgs:chamber_list"), (chamber.name, None),
                                   ("编辑", None)],
                      cancel_url=reverse("orgs:chamber_detail", args=[chamber.pk]))


@staff_page
def chamber_delete(request, pk):
    require_role(request.user, *EDITOR_ROLES)
    chamber = get_visible_or_404(selectors.chambers_editable_by(request.user), pk)
    return delete_page(request, obj=chamber, delete=lambda: services.delete_chamber(actor=request.user, chamber=chamber),
                       cancel_url=reverse("orgs:chamber_detail", args=[chamber.pk]),
                       done_url=reverse("orgs:chamber_list"),
                       breadcrumbs=[("组织机构", None), ("商会", "orgs:chamber_list"), ("删除", None)])


# --- committees -----------------------------------------------------------------------------------------
@login_required
def committee_list(request):
    page = ListPage(
        title="专门委员会",
        breadcrumbs=[("组织机构", None), ("专门委员会", None)],
        toolbar=_new_button(request.user, "orgs:committee_create", "新增专门委员会"),
        columns=[Column("名称", "name", link=lambda c: reverse("orgs:committee_detail", args=[c.pk])),
                 Column("职责", "duties", wrap=True), Column("所属工商联", "federation.name")],
        row_actions=lambda c: [Action("查看", reverse("orgs:committee_detail", args=[c.pk]))],
        default_sort="order",
    )
    return render_list(request, page, selectors.committees_visible_to(request.user))


@never_cache
@login_required
def committee_detail(request, pk):
    committee = get_visible_or_404(selectors.committees_visible_to(request.user), pk)
    editor = _is_editor(request.user)
    return _detail(request, "orgs/committee_detail.html", committee, committee=committee,
                   positions=selectors.committee_positions(committee), can_edit=editor, can_delete=editor,
                   breadcrumbs=[("组织机构", None), ("专门委员会", "orgs:committee_list"), (committee.name, None)])


# --- departments ----------------------------------------------------------------------------------------
@login_required
def department_list(request):
    page = ListPage(
        title="职能部门",
        breadcrumbs=[("组织机构", None), ("职能部门", None)],
        toolbar=_new_button(request.user, "orgs:department_create", "新增职能部门"),
        columns=[
            Column("部门名称", "name", link=lambda d: reverse("orgs:department_detail", args=[d.pk]), sort="name"),
            Column("简称", "short_name"),
            Column("联络人", "contact"),
            Column("联系电话", "phone"),
            Column("状态", lambda d: "启用" if d.is_active else "停用",
                   tag=lambda d: "tag-success" if d.is_active else "tag-muted"),
        ],
        row_actions=lambda d: [Action("查看", reverse("orgs:department_detail", args=[d.pk]))],
        default_sort="id",
    )
    return render_list(request, page, selectors.departments_visible_to(request.user))


@never_cache
@login_required
def department_detail(request, pk):
    department = get_visible_or_404(selectors.departments_visible_to(request.user), pk)
    editor = _is_editor(request.user)
    crumbs = [("组织机构", None), ("职能部门", "orgs:department_list" if role_of(request.user) in FEDERATION_ROLES
                                    else None), (department.name, None)]
    return _detail(request, "orgs/department_detail.html", department, department=department,
                   handlers=selectors.department_handlers(department),
                   sections=sections_for("department", request.user, department),  # e.g. its appeals
                   can_edit=editor, can_delete=editor, breadcrumbs=crumbs)


# --- streets --------------------------------------------------------------------------------------------
class StreetSearchForm(Form):
    q = forms.CharField(label="街道（镇）", required=False,
                        widget=forms.TextInput(attrs={"placeholder": "名称或代码"}))


@login_required
def street_list(request):
    form = StreetSearchForm(request.GET or None)
    qs = selectors.street_list(request.user, filters=form.cleaned_data if form.is_valid() else None)
    page = ListPage(
        title="街道（镇）",
        breadcrumbs=[("组织机构", None), ("街道（镇）", None)],
        search_form=form,
        toolbar=_new_button(request.user, "orgs:street_create", "新增街道（镇）"),
        columns=[
            Column("名称", "name", link=lambda s: reverse("orgs:street_detail", args=[s.pk]), sort="name"),
            Column("街道代码", "code", sort="code"),
            Column("类型", lambda s: "镇" if s.is_town else "街道"),
            Column("商会", "chamber_count", sort="chamber_count"),
            Column("企业", "enterprise_count", sort="enterprise_count"),
        ],
        row_actions=lambda s: [Action("查看", reverse("orgs:street_detail", args=[s.pk]))],
        default_sort="code",
    )
    return render_list(request, page, qs)


@never_cache
@login_required
def street_detail(request, pk):
    street = get_visible_or_404(selectors.streets_in_scope(request.user), pk)
    editor = _is_editor(request.user)
    return _detail(request, "orgs/street_detail.html", street, street=street,
                   chambers=selectors.chambers_visible_to(request.user).filter(street=street).order_by("id"),
                   can_edit=editor, can_delete=editor,
                   breadcrumbs=[("组织机构", None), ("街道（镇）", "orgs:street_list"), (street.name, None)])


# --- villages -------------------------------------------------------------------------------------------
class VillageSearchForm(Form):
    q = forms.CharField(label="村名", required=False, widget=forms.TextInput(attrs={"placeholder": "请输入村名"}))
    county = forms.CharField(label="所在县（区）", required=False)
    target = forms.ChoiceField(label="帮扶对象", required=False, choices=[("", "全部"), ("yes", "是"), ("no", "否")])


@login_required
def village_list(request):
    form = VillageSearchForm(request.GET or None)
    qs = selectors.village_list(request.user, filters=form.cleaned_data if form.is_valid() else None)
    page = ListPage(
        title="帮扶村",
        breadcrumbs=[("组织机构", None), ("帮扶村", None)],
        search_form=form,
        toolbar=_new_button(request.user, "orgs:village_create", "新增帮扶村"),
        columns=[
            Column("村名", "name", link=lambda v: reverse("orgs:village_detail", args=[v.pk]), sort="name"),
            Column("所在县（区）", "county", sort="county"),
            Column("行政区划代码", "region_code", sort="region_code"),
            Column("帮扶对象", lambda v: "是" if v.is_target else "否",
                   tag=lambda v: "tag-success" if v.is_target else "tag-muted"),
        ],
        row_actions=lambda v: [Action("查看", reverse("orgs:village_detail", args=[v.pk]))],
        default_sort="id",
    )
    return render_list(request, page, qs)


@never_cache
@login_required
def village_detail(request, pk):
    village = get_visible_or_404(selectors.villages_visible_to(request.user), pk)
    editor = _is_editor(request.user)
    return _detail(request, "orgs/village_detail.html", village, village=village, can_edit=editor,
                   can_delete=editor,
                   breadcrumbs=[("组织机构", None), ("帮扶村", "orgs:village_list"), (village.name, None)])


# --- terms and positions --------------------------------------------------------------------------------
class TermSearchForm(Form):
    owner = forms.ChoiceField(label="届次所属", required=False,
                              choices=[("", "全部"), ("federation", "工商联本级"), ("chamber", "商会")])


@login_required
def term_list(request):
    form = TermSearchForm(request.GET or None)
    qs = selectors.term_list(request.user, filters=form.cleaned_data if form.is_valid() else None)
    page = ListPage(
        title="届次",
        breadcrumbs=[("组织机构", None), ("届次", None)],
        search_form=form,
        toolbar=_new_button(request.user, "orgs:term_create", "新增届次"),
        columns=[
            Column("届次", str, link=lambda t: reverse("orgs:term_detail", args=[t.pk])),
            Column("所属", lambda t: t.chamber.name if t.chamber_id else "工商联本级"),
            Column("起始日期", "start", sort="start"),
            Column("届满日期", "end", sort="end"),
            Column("职务人数", "position_count", sort="position_count"),
        ],
        row_actions=lambda t: [Action("查看", reverse("orgs:term_detail", args=[t.pk]))],
        default_sort="-start",
    )
    return render_list(request, page, qs)


@never_cache
@login_required
def term_detail(request, pk):
    term = get_visible_or_404(selectors.terms_visible_to(request.user), pk)
    editor = _is_editor(request.user)
    return _detail(request, "orgs/term_detail.html", term, term=term, positions=selectors.term_positions(term),
                   history=selectors.term_history(term, limit=HISTORY_ROWS), can_edit=editor, can_delete=editor,
                   breadcrumbs=[("组织机构", None), ("届次", "orgs:term_list"), (str(term), None)])


@staff_page
def position_create(request, pk):
    term = get_visible_or_404(selectors.terms_editable_by(request.user), pk)
    form = PositionForm(request.POST or None, user=request.user, term=term)
    return edit_page(request, form=form, save=lambda f: services.save_position(actor=request.user, form=f),
                      title="新增职务", subject=str(term),
                      breadcrumbs=[("组织机构", None), ("届次", "orgs:term_list"), (str(term), None), ("新增职务", None)],
                      cancel_url=reverse("orgs:term_detail", args=[term.pk]))


@staff_page
def position_edit(request, pk):
    position = get_visible_or_404(selectors.positions_editable_by(request.user), pk)
    form = PositionForm(request.POST or None, instance=position, user=request.user, term=position.term)
    return edit_page(request, form=form, save=lambda f: services.save_position(actor=request.user, form=f),
                      title="编辑职务", subject=str(position),
                      breadcrumbs=[("组织机构", None), ("届次", "orgs:term_list"), (str(position.term), None),
                                   ("编辑职务", None)],
                      cancel_url=reverse("orgs:term_detail", args=[position.term_id]))


@staff_page
def position_delete(request, pk):
    position = get_visible_or_404(selectors.positions_editable_by(request.user), pk)
    term_url = reverse("orgs:term_detail", args=[position.term_id])
    return delete_page(request, obj=position,
                       delete=lambda: services.delete_position(actor=request.user, position=position),
                       cancel_url=term_url, done_url=term_url,
                       breadcrumbs=[("组织机构", None), ("届次", "orgs:term_list"), ("删除职务", None)])


COMMITTEE_PAGES = RecordPages(
    namespace="orgs", kind="committee", noun="专门委员会", crumbs=(("组织机构", None), ("专门委员会", "orgs:committee_list")),
    form=CommitteeForm, roles=EDITOR_ROLES, editable=selectors.committees_editable_by,
    save=lambda actor, form: services.save_committee(actor=actor, form=form),
    delete=lambda actor, obj: services.delete_committee(actor=actor, committee=obj))


DEPARTMENT_PAGES = RecordPages(
    namespace="orgs", kind="department", noun="职能部门", crumbs=(("组织机构", None), ("职能部门", "orgs:department_list")),
    form=DepartmentForm, roles=EDITOR_ROLES, editable=selectors.departments_editable_by,
    save=lambda actor, form: services.save_department(actor=actor, form=form),
    delete=lambda actor, obj: services.delete_department(actor=actor, department=obj))


STREET_PAGES = RecordPages(
    namespace="orgs", kind="street", noun="街道（镇）", crumbs=(("组织机构", None), ("街道（镇）", "orgs:street_list")),
    form=StreetForm, roles=EDITOR_ROLES, editable=selectors.streets_editable_by,
    save=lambda actor, form: services.save_street(actor=actor, form=form),
    delete=lambda actor, obj: services.delete_street(actor=actor, street=obj))


VILLAGE_PAGES = RecordPages(
    namespace="orgs", kind="village", noun="帮扶村", crumbs=(("组织机构", None), ("帮扶村", "orgs:village_list")),
    form=VillageForm, roles=EDITOR_ROLES, editable=selectors.villages_editable_by,
    save=lambda actor, form: services.save_village(actor=actor, form=form),
    delete=lambda actor, obj: services.delete_village(actor=actor, village=obj))


TERM_PAGES = RecordPages(
    namespace="orgs", kind="term", noun="届次", crumbs=(("组织机构", None), ("届次", "orgs:term_list")),
    form=TermForm, roles=EDITOR_ROLES, editable=selectors.terms_editable_by,
    save=lambda actor, form: services.save_term(actor=actor, form=form),
    delete=lambda actor, obj: services.delete_term(actor=actor, term=obj))
