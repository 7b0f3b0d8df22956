"""Party building's pages (非公党建): the organisations (list with its export, the organisation's page with its
activities, 三会一课 counts, covered enterprises and instructors — those of the reader's scope named, the others
counted —, 新增/编辑/删除), activities (登记/删除), the
党建指导员 (list, 新增/编辑/删除), the enterprises' party-member census (list, one enterprise's form, the import)
and 两个覆盖 (the coverage page, each number linking to the enterprises behind it). Thin: parse, call a selector
or a service, render. Readers (`MEMBER_READER_ROLES`) read their scope; the editors write organisations, the
census and instructors; the keepers (`PARTY_KEEPER_ROLES`) record activities; another scope's record is 404."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache

from shanglian.accounts.roles import EDITOR_ROLES, PARTY_KEEPER_ROLES, role_of
from shanglian.common.periods import day_text
from shanglian.imports.exports import audited_export
from shanglian.imports.pages import ImportPages
from shanglian.ui.figures import NO_DATA
from shanglian.ui.listing import Action, Column, ListPage, export_action, render_list
from shanglian.ui.records import delete_page, edit_page, staff_page
from shanglian.ui.shortcuts import get_visible_or_404

from .forms import party as forms
from .imports.party import KIND as CENSUS_KIND
from .imports.party import import_template
from .models import (
    PARTY_MEMBERS_FOR_OWN_ORGANISATION,
    PartyOrganisation,
    organisation_active_q,
)
from .selectors import party as selectors
from .services import party as services

HISTORY_ROWS = 50
ACTIVITY_ROWS = 50
GROUP = ("政治引领", None)
ORGANISATION_CRUMBS = [GROUP, ("党组织", "engagement:party_organisations")]
INSTRUCTOR_CRUMBS = [GROUP, ("党建指导员", "engagement:party_instructors")]
CENSUS_CRUMBS = [GROUP, ("企业党员情况", "engagement:party_census")]
KIND_TAGS = {PartyOrganisation.Kind.JOINT_COMMITTEE: "tag-info", PartyOrganisation.Kind.COMMITTEE: "tag-success"}


def _is_editor(user):
    return role_of(user) in EDITOR_ROLES


# --- organisations ------------------------------------------------------------------------------------------
HOST_KINDS = {"enterprise": "企业", "chamber": "商会", "street": "街道"}


def _host_kind(o):
    return next(label for field, label in HOST_KINDS.items() if getattr(o, f"{field}_id"))


def _street_of(o):
    if o.street_id:
        return o.street
    if o.enterprise_id:
        return o.enterprise.street
    return o.chamber.street


def _is_active(o, on):
    return (o.founded is None or o.founded <= on) and (o.dissolved is None or o.dissolved > on)


def _status(o, on):
    if o.dissolved is not None and o.dissolved <= on:
        return "已撤销"
    return "在册" if _is_active(o, on) else "未成立"


ORGANISATION_FIELDS = [
    ("党组织名称", lambda o, on: o.name),
    ("类型", lambda o, on: o.get_kind_display()),
    ("隶属", lambda o, on: _host_kind(o)),
    ("隶属单位", lambda o, on: str(o.host)),
    ("所在街道", lambda o, on: str(_street_of(o) or "")),
    ("党员人数", lambda o, on: o.members_count),
    ("书记", lambda o, on: o.secretary),
    ("成立日期", lambda o, on: day_text(o.founded)),
    ("撤销日期", lambda o, on: day_text(o.dissolved)),
    ("状态", lambda o, on: _status(o, on)),
    ("联建覆盖企业", lambda o, on: o.covered_count),
]


def _organisations(request):
    user = request.user
    selectors.party_organisations_visible_to(user)  # 403 before anything else for a role without party building
    form = forms.OrganisationSearchForm(request.GET or None, user=user)
    return form, selectors.organisation_list(user, filters=form.cleaned_data if form.is_valid() else None)


@never_cache
@login_required
def organisation_list(request):
    form, qs = _organisations(request)
    today = timezone.localdate()
    toolbar = []
    if _is_editor(request.user):
        toolbar.append(Action("新增党组织", reverse("engagement:party_organisation_create"), "primary"))
    toolbar += [export_action(request, "engagement:party_organisations_export"),
                Action("两个覆盖", reverse("engagement:party_coverage"))]

    def detail(o):
        return reverse("engagement:party_organisation", args=[o.pk])

    page = ListPage(
        title="党组织",
        breadcrumbs=[GROUP, ("党组织", None)],
        search_form=form,
        toolbar=toolbar,
        columns=[
            Column("党组织名称", "name", link=detail, sort="name", wrap=True),
            Column("类型", "get_kind_display", tag=lambda o: KIND_TAGS.get(o.kind, ""), sort="kind"),
            Column("隶属单位", lambda o: f"{_host_kind(o)}：{o.host}", wrap=True),
            Column("所在街道", lambda o: str(_street_of(o) or "") or None),
            Column("党员人数", "members_count", sort="members_count"),
            Column("书记", "secretary"),
            Column("成立日期", lambda o: day_text(o.founded) or None, sort="founded"),
            Column("联建覆盖企业", "covered_count", sort="covered_count"),
            Column("状态", lambda o: _status(o, today),
                   tag=lambda o: "tag-success" if _is_active(o, today) else "tag-muted"),
        ],
        row_actions=lambda o: [Action("查看", detail(o))],
        empty_text="没有找到符合条件的党组织" if request.GET else "暂无党组织",
        default_sort="name",
    )
    return render_list(request, page, qs)


@login_required
def organisation_export(request):
    _form, qs = _organisations(request)
    today = timezone.localdate()
    rows = [[get(o, today) for _, get in ORGANISATION_FIELDS] for o in qs.order_by("name", "id")]
    return audited_export(actor=request.user, title="党组织名单", object_type="engagement.partyorganisation",
                          sheets=[("党组织", [h for h, _ in ORGANISATION_FIELDS], rows)],
                          detail={"rows": len(rows), "filters": request.GET.dict()})


@never_cache
@login_required
def organisation_detail(request, pk):
    user = request.user
    organisation = get_visible_or_404(selectors.party_organisations_visible_to(user), pk)
    today = timezone.localdate()
    role = role_of(user)
    editor, keeper = role in EDITOR_ROLES, role in PARTY_KEEPER_ROLES
    activities = organisation.activities.select_related("recorded_by").order_by("-held_on", "-id")
    return render(request, "engagement/party/organisation_detail.html", {
        "organisation": organisation, "host_kind": _host_kind(organisation), "street": _street_of(organisation),
        "status": _status(organisation, today), "active": _is_active(organisation, today),
        "year": today.year, "counts": selectors.activity_counts(organisation.activities.all(), today.year),
        "activities": activities[:ACTIVITY_ROWS], "activity_total": activities.count(), "activity_rows": ACTIVITY_ROWS,
        "covered": selectors.covered_enterprises_of(organisation, user=user),
        "instructors": selectors.organisation_instructors(organisation, user=user), "today": today,
        "edit_url": reverse("engagement:party_organisation_edit", args=[pk]) if editor else "",
        "delete_url": reverse("engagement:party_organisation_delete", args=[pk]) if editor else "",
        "can_record": keeper, "history": selectors.organisation_history(organisation, user=user, limit=HISTORY_ROWS),
        "breadcrumbs": [*ORGANISATION_CRUMBS, (organisation.name, None)],
    })


def _save_organisation(user, organisation=None):
    return lambda form: services.save_party_organisation(actor=user, organisation=organisation, **form.cleaned_data)


@staff_page
def organisation_create(request):
    selectors.party_organisations_editable_by(request.user)  # 403 for a reader
    form = forms.OrganisationForm(request.POST or None, user=request.user)
    return edit_page(request, form=form, save=_save_organisation(request.user), title="新增党组织",
                     intro="党组织隶属于企业、商会、街道三者之一；联合党委可在“联建覆盖”中列出其覆盖的企业。",
                     breadcrumbs=[*ORGANISATION_CRUMBS, ("新增", None)], sections=forms.SECTIONS,
                     cancel_url=reverse("engagement:party_organisations"))


@staff_page
def organisation_edit(request, pk):
    organisation = get_visible_or_404(selectors.party_organisations_editable_by(request.user), pk)
    form = forms.OrganisationForm(request.POST or None, user=request.user, instance=organisation)
    return edit_page(request, form=form, save=_save_organisation(request.user, organisation), title="编辑党组织",
                     subject=organisation.name, sections=forms.SECTIONS,
                     breadcrumbs=[*ORGANISATION_CRUMBS, (organisation.name, None), ("编辑", None)],
                     cancel_url=organisation.get_absolute_url())


@staff_page
def organisation_delete(request, pk):
    organisation = get_visible_or_404(selectors.party_organisations_editable_by(request.user), pk)
    return delete_page(request, obj=organisation,
                       delete=lambda: services.delete_party_organisation(actor=request.user, organisation=organisation),
                       cancel_url=organisation.get_absolute_url(), done_url=reverse("engagement:party_organisations"),
                       breadcrumbs=[*ORGANISATION_CRUMBS, (organisation.name, None), ("删除", None)])


# --- activities ------------------------------------------------------------------------------------------------
@staff_page
def activity_create(request, pk):
    organisation = get_visible_or_404(selectors.organisations_for_activities(request.user), pk)
    form = forms.ActivityForm(request.POST or None)
    back = f"{organisation.get_absolute_url()}#activities"
    return edit_page(request, form=form, title="登记党组织活动", subject=organisation.name,
                     intro="主题党日、三会一课等活动；活动日期不能晚于今天。",
                     save=lambda f: services.record_party_activity(actor=request.user, organisation=organisation,
                                                                   **f.cleaned_data),
                     then=lambda activity: back, cancel_url=back,
                     breadcrumbs=[*ORGANISATION_CRUMBS, (organisation.name, None), ("登记活动", None)])


@staff_page
def activity_delete(request, pk):
    activity = get_visible_or_404(selectors.party_activities_editable_by(request.user), pk)
    organisation = activity.organisation
    back = f"{organisation.get_absolute_url()}#activities"
    return delete_page(request, obj=activity,
                       delete=lambda: services.delete_party_activity(actor=request.user, activity=activity),
                       cancel_url=back, done_url=back,
                       breadcrumbs=[*ORGANISATION_CRUMBS, (organisation.name, None), ("删除活动", None)])


# --- instructors -----------------------------------------------------------------------------------------------
def _in_force(i, on):
    return i.start <= on and (i.end is None or i.end >= on)


@never_cache
@login_required
def instructor_list(request):
    user = request.user
    selectors.instructors_visible_to(user)  # 403 first
    form = forms.InstructorSearchForm(request.GET or None, user=user)
    qs = selectors.instructor_list(user, filters=form.cleaned_data if form.is_valid() else None)
    editor, today = _is_editor(user), timezone.localdate()
    toolbar = [Action("新增党建指导员", reverse("engagement:party_instructor_create"), "primary")] if editor else []

    def target(i):
        if i.enterprise_id:
            return f"企业：{i.enterprise.name}"
        return f"商会：{i.chamber.name}"

    def actions(i):
        return [Action("编辑", reverse("engagement:party_instructor_edit", args=[i.pk])),
                Action("删除", reverse("engagement:party_instructor_delete", args=[i.pk]))]

    page = ListPage(
        title="党建指导员",
        breadcrumbs=[GROUP, ("党建指导员", None)],
        search_form=form,
        toolbar=toolbar,
        columns=[
            Column("姓名", "name", sort="name"),
            Column("工作单位及职务", "unit", wrap=True),
            Column("指导对象", target, wrap=True),
            Column("选派日期", lambda i: day_text(i.start), sort="start"),
            Column("结束日期", lambda i: day_text(i.end) or None, sort="end"),
            Column("状态", lambda i: "在任" if _in_force(i, today) else "已结束",
                   tag=lambda i: "tag-success" if _in_force(i, today) else "tag-muted"),
        ],
        row_actions=actions if editor else None,
        empty_text="没有找到符合条件的党建指导员" if request.GET else "暂无党建指导员",
        default_sort="-start",
    )
    return render_list(request, page, qs)


def _save_instructor(user, instructor=None):
    return lambda form: services.save_party_instructor(actor=user, instructor=instructor, **form.cleaned_data)


def _instructors_page(instructor):
    return reverse("engagement:party_instructors")


@staff_page
def instructor_create(request):
    selectors.instructors_editable_by(request.user)  # 403 for a reader
    form = forms.InstructorForm(request.POST or None, user=request.user)
    return edit_page(request, form=form, save=_save_instructor(request.user), then=_instructors_page,
                     title="新增党建指导员", intro="党建指导员选派到企业或商会（二选一），计入“工作覆盖”。",
                     breadcrumbs=[*INSTRUCTOR_CRUMBS, ("新增", None)],
                     cancel_url=reverse("engagement:party_instructors"))


@staff_page
def instructor_edit(request, pk):
    instructor = get_visible_or_404(selectors.instructors_editable_by(request.user), pk)
    form = forms.InstructorForm(request.POST or None, user=request.user, instance=instructor)
    return edit_page(request, form=form, save=_save_instructor(request.user, instructor), then=_instructors_page,
                     title="编辑党建指导员", subject=str(instructor),
                     breadcrumbs=[*INSTRUCTOR_CRUMBS, ("编辑", None)], cancel_url=reverse("engagement:party_instructors"))


@staff_page
def instructor_delete(request, pk):
    instructor = get_visible_or_404(selectors.instructors_editable_by(request.user), pk)
    back = reverse("engagement:party_instructors")
    return delete_page(request, obj=instructor,
                       delete=lambda: services.delete_party_instructor(actor=request.user, instructor=instructor),
                       cancel_url=back, done_url=back, breadcrumbs=[*INSTRUCTOR_CRUMBS, ("删除", None)])


# --- the census ----------------------------------------------------------------------------------------------------
def _coverage_tag(e, covered):
    if e.party_members is None or not e.party_members:
        return ""
    if covered:
        return "tag-success"
    return "tag-danger" if e.party_members >= PARTY_MEMBERS_FOR_OWN_ORGANISATION else "tag-warning"


def _coverage_text(e, covered):
    if not e.party_members:
        return None
    return "已覆盖" if covered else "未覆盖"


@never_cache
@login_required
def census_list(request):
    user = request.user
    selectors.census_enterprises(user)  # 403 first
    form = forms.CensusSearchForm(request.GET or None, user=user)
    qs = selectors.census_list(user, filters=form.filters() if form.is_valid() else None)
    editor = _is_editor(user)
    toolbar = [Action("导入", reverse("engagement:party_census_import"))] if editor else []
    toolbar.append(Action("两个覆盖", reverse("engagement:party_coverage")))

    def actions(e):
        label = "编辑" if e.party_members is not None else "登记"
        return [Action(label, reverse("engagement:party_census_edit", args=[e.pk]))]

    page = ListPage(
        title="企业党员情况",
        breadcrumbs=[GROUP, ("企业党员情况", None)],
        search_form=form,
        toolbar=toolbar,
        columns=[
            Column("企业名称", "name", link=lambda e: reverse("members:enterprise_detail", args=[e.pk]), wrap=True,
                   sort="name"),
            Column("统一社会信用代码", "uscc"),
            Column("所在街道", "street.name"),
            Column("党员人数", lambda e: "未统计" if e.party_members is None else e.party_members,
                   tag=lambda e: "tag-muted" if e.party_members is None else "", sort="party_members"),
            Column("统计日期", lambda e: day_text(e.surveyed_on) or None, sort="surveyed_on"),
            Column("组织覆盖", lambda e: _coverage_text(e, e.org_covered), tag=lambda e: _coverage_tag(e, e.org_covered)),
            Column("工作覆盖", lambda e: _coverage_text(e, e.work_covered),
                   tag=lambda e: _coverage_tag(e, e.work_covered)),
        ],
        row_actions=actions if editor else None,
        empty_text="没有找到符合条件的企业" if request.GET else "暂无企业党员情况，可逐家登记或批量导入",
        default_sort="-party_members",
    )
    return render_list(request, page, qs)


@staff_page
def census_edit(request, enterprise_pk):
    enterprise = get_visible_or_404(selectors.census_enterprises_editable_by(request.user), enterprise_pk)
    census = selectors.census_visible_to(request.user).filter(enterprise=enterprise).first()
    form = forms.CensusForm(request.POST or None, instance=census)
    back = f"{reverse('engagement:party_census')}?{urlencode({'q': enterprise.uscc, 'base': 'all'})}"
    intro = (f"上次统计：{census.surveyed_on:%Y-%m-%d}，党员 {census.party_members} 人。" if census is not None
             else "该企业尚未登记党员情况。")
    return edit_page(request, form=form, title="企业党员情况", subject=enterprise.name, intro=intro,
                     save=lambda f: services.save_census(actor=request.user, enterprise=enterprise, **f.cleaned_data),
                     then=lambda saved: back, cancel_url=back,
                     breadcrumbs=[*CENSUS_CRUMBS, (enterprise.name, None)])


IMPORT_PAGES = ImportPages(
    kind=CENSUS_KIND, namespace="engagement", name="party_census_import", noun="企业党员情况",
    breadcrumbs=(GROUP, ("企业党员情况", "engagement:party_census"), ("导入", None)),
    make_template=import_template, title="导入企业党员情况", back_url="engagement:party_census",
    back_label="企业党员情况", notes_template="engagement/party/_import_notes.html",
    commit_note="每行写入该企业的党员情况：首次为新增，已有的按本次数据更新；与现有数据相同的行不改动。",
)


# --- 两个覆盖 -------------------------------------------------------------------------------------------------------
def _census_url(**params):
    params = {name: value for name, value in params.items() if value not in (None, "")}
    return f"{reverse('engagement:party_census')}?{urlencode(params)}" if params else reverse("engagement:party_census")


def _coverage_row(name, coverage, **narrowing):
    """One row of the coverage page: both rates with the lists behind each number."""
    return {
        "name": name, "coverage": coverage,
        "large_url": _census_url(base="org", **narrowing),
        "large_covered_url": _census_url(base="org", org_covered="yes", **narrowing),
        "large_uncovered_url": _census_url(base="org", org_covered="no", **narrowing),
        "with_members_url": _census_url(base="work", **narrowing),
        "worked_url": _census_url(base="work", work_covered="yes", **narrowing),
        "not_worked_url": _census_url(base="work", work_covered="no", **narrowing),
    }


@never_cache
@login_required
def coverage(request):
    user = request.user
    today = timezone.localdate()
    overall = selectors.coverage(user, on=today)  # 403 first for a role without party building
    streets = selectors.street_joint_coverage(user, on=today)
    by_street = [_coverage_row(street.name if street else "未填写街道", c, street=street.pk if street else "none")
                 for street, c in selectors.coverage_by_street(user, on=today)]
    by_chamber = [_coverage_row(chamber.name, c, chamber=chamber.pk)
                  for chamber, c in selectors.coverage_by_chamber(user, on=today)]
    organisations = selectors.party_organisations_visible_to(user).filter(organisation_active_q(today))
    return render(request, "engagement/party/coverage.html", {
        "today": today, "overall": _coverage_row("全部", overall), "by_street": by_street, "by_chamber": by_chamber,
        "streets": streets, "fully": sum(row.fully_covered for row in streets),
        "with_chambers": sum(1 for row in streets if row.chambers),
        "organisations": organisations.count(),
        "joint": organisations.filter(kind=PartyOrganisation.Kind.JOINT_COMMITTEE).count(),
        "big": PARTY_MEMBERS_FOR_OWN_ORGANISATION, "editor": _is_editor(user), "no_data": NO_DATA,
        "breadcrumbs": [GROUP, ("两个覆盖", None)],
    })
