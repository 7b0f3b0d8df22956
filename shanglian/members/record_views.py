"""The staff pages that create, change and delete member records (the records kit's form and delete
pages): enterprises, 非公经济人士 and their 企业任职, 工商联会员, 商会会员. Views parse and call the
services; the scope comes from the `*_editable_by` selectors (403 for a role that may not change
records, 404 for a record outside the user's scope)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from shanglian.accounts.roles import (
    EDITOR_ROLES,
    FEDERATION_ROLES,
    MEMBER_EDITOR_ROLES,
    Role,
    require_role,
    role_of,
)
from shanglian.common.records import history
from shanglian.ui.records import delete_page, form_page, saved, staff_page
from shanglian.ui.shortcuts import get_visible_or_404

from . import selectors, services
from .forms import (
    ChamberMembershipForm,
    EnterpriseForm,
    MembershipForm,
    PersonForm,
    PersonRoleForm,
    keep_personal_values,
)
from .models import EnterpriseRole
from .views import subject_link


# --- 企业 -------------------------------------------------------------------------------------------
def _enterprise_url(enterprise):
    return reverse("members:enterprise_detail", args=[enterprise.pk])


ENTERPRISE_CRUMBS = [("会员管理", None), ("会员企业", "members:enterprise_list")]


@staff_page
def enterprise_create(request):
    require_role(request.user, *MEMBER_EDITOR_ROLES)
    secretary = role_of(request.user) == Role.CHAMBER
    form = EnterpriseForm(request.POST or None, user=request.user, federation=selectors.home_federation(request.user),
                          joins_chamber=secretary)
    done = saved(request, form, lambda f: services.save_enterprise(
        actor=request.user, data=f.cleaned_data, joined=f.cleaned_data.get("joined")), _enterprise_url)
    title = "新增会员企业" if secretary else "新增企业"
    return done or form_page(
        request, form=form, title=title, breadcrumbs=ENTERPRISE_CRUMBS + [(title, None)],
        cancel_url=reverse("members:enterprise_list"), sections=form.sections(),
        intro=f"新增的企业将登记为{request.user.chamber.name}的会员。" if secretary else "")


@staff_page
def enterprise_edit(request, pk):
    enterprise = get_visible_or_404(selectors.enterprises_editable_by(request.user), pk)
    form = EnterpriseForm(request.POST or None, initial=EnterpriseForm.initial_for(enterprise), user=request.user,
                          federation=enterprise.federation)
    keep_personal_values(form, enterprise, {"contact_mobile": "mobile"})
    done = saved(request, form, lambda f: services.save_enterprise(
        actor=request.user, data=f.cleaned_data, enterprise=enterprise), _enterprise_url)
    return done or form_page(
        request, form=form, title="编辑企业", subject=enterprise.name, sections=form.sections(),
        breadcrumbs=ENTERPRISE_CRUMBS + [(enterprise.name, None), ("编辑", None)], cancel_url=_enterprise_url(enterprise))


@staff_page
def enterprise_delete(request, pk):
    require_role(request.user, *EDITOR_ROLES)
    enterprise = get_visible_or_404(selectors.enterprises_editable_by(request.user), pk)
    return delete_page(request, obj=enterprise,
                       delete=lambda: services.delete_enterprise(actor=request.user, enterprise=enterprise),
                       cancel_url=_enterprise_url(enterprise), done_url=reverse("members:enterprise_list"),
                       breadcrumbs=ENTERPRISE_CRUMBS + [(enterprise.name, None), ("删除", None)])


# --- 非公经济人士 ------------------------------------------------------------------------------------
def _person_url(person):
    return reverse("members:person_detail", args=[person.pk])


PERSON_CRUMBS = [("会员管理", None), ("非公经济人士", "members:person_list")]


@staff_page
def person_create(request):
    require_role(request.user, *EDITOR_ROLES)
    form = PersonForm(request.POST or None)
    done = saved(request, form, lambda f: services.save_person(actor=request.user, data=f.cleaned_data), _person_url)
    return done or form_page(request, form=form, title="新增非公经济人士", cancel_url=reverse("members:person_list"),
                             breadcrumbs=PERSON_CRUMBS + [("新增", None)],
                             intro="身份证号用于识别人员（导入时按身份证号更新），出生年份由身份证号得出。保存后可在详情页登记企业任职。")


@staff_page
def person_edit(request, pk):
    person = get_visible_or_404(selectors.persons_editable_by(request.user), pk)
    form = PersonForm(request.POST or None, initial=PersonForm.initial_for(person))
    keep_personal_values(form, person, {"id_number": "id_number", "mobile": "mobile"})
    done = saved(request, form, lambda f: services.save_person(actor=request.user, data=f.cleaned_data, person=person),
                  _person_url)
    return done or form_page(request, form=form, title="编辑非公经济人士", subject=person.name,
                             breadcrumbs=PERSON_CRUMBS + [(person.name, None), ("编辑", None)],
                             cancel_url=_person_url(person))


@staff_page
def person_delete(request, pk):
    person = get_visible_or_404(selectors.persons_editable_by(request.user), pk)
    return delete_page(request, obj=person, along=("enterprise_roles",),
                       delete=lambda: services.delete_person(actor=request.user, person=person),
                       cancel_url=_person_url(person), done_url=reverse("members:person_list"),
                       breadcrumbs=PERSON_CRUMBS + [(person.name, None), ("删除", None)])


@login_required
@require_POST
def person_role_add(request, pk):
    person = get_visible_or_404(selectors.persons_editable_by(request.user), pk)
    form = PersonRoleForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.add_person_role(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
    if form.errors:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    else:
        messages.success(request, "已登记企业任职。")
    return redirect(_person_url(person))


@login_required
@require_POST
def person_role_remove(request, pk, role_pk):
    person = get_visible_or_404(selectors.persons_editable_by(request.user), pk)
    link = get_object_or_404(EnterpriseRole, pk=role_pk, person=person)
    services.remove_person_role(actor=request.user, link=link)
    messages.success(request, "已移除企业任职。")
    return redirect(_person_url(person))


# --- 工商联会员 --------------------------------------------------------------------------------------
def _membership_url(membership):
    return reverse("members:membership_detail", args=[membership.pk])


MEMBERSHIP_CRUMBS = [("会员管理", None), ("工商联会员", "members:membership_list")]


@never_cache
@login_required
def membership_detail(request, pk):
    membership = get_visible_or_404(selectors.memberships_visible_to(request.user), pk)
    rows = [("会员类型", membership.get_kind_display()), ("会员证号", membership.number or "—"),
            ("入会日期", membership.joined.isoformat()), ("状态", membership.get_status_display()),
            ("暂停日期", membership.suspended_on.isoformat() if membership.suspended_on else "—"),
            ("退会日期", membership.left.isoformat() if membership.left else "—"),
            ("退会原因", membership.left_reason or "—"), ("在工商联的职务", membership.get_body_position_display())]
    role = role_of(request.user)
    editor = role in EDITOR_ROLES
    return render(request, "members/record_detail.html", {
        "title": membership.subject_name, "kind": "工商联会员", "rows": rows, "subject_url": subject_link(membership),
        "edit_url": reverse("members:membership_edit", args=[pk]) if editor else "",
        "delete_url": reverse("members:membership_delete", args=[pk]) if editor else "",
        "dues": membership.dues.all() if role in FEDERATION_ROLES else None,  # the federation's own accounts
        "history": history(membership)[:50],
        "breadcrumbs": MEMBERSHIP_CRUMBS + [(membership.subject_name, None)],
    })


@staff_page
def membership_create(request):
    require_role(request.user, *EDITOR_ROLES)
    initial = {key: request.GET[key] for key in ("kind", "enterprise", "person", "group") if request.GET.get(key)}
    form = MembershipForm(request.POST or None, initial=initial, user=request.user,
                          federation=selectors.home_federation(request.user))
    done = saved(request, form, lambda f: services.save_membership(actor=request.user, data=f.cleaned_data),
                  _membership_url)
    return done or form_page(request, form=form, title="新增工商联会员", sections=form.sections(),
                             breadcrumbs=MEMBERSHIP_CRUMBS + [("新增", None)],
                             cancel_url=reverse("members:membership_list"),
                             intro="会员类型决定须选择的会员：企业会员选企业，个人会员选非公经济人士，团体会员选商会或协会。")


@staff_page
def membership_edit(request, pk):
    membership = get_visible_or_404(selectors.memberships_editable_by(request.user), pk)
    form = MembershipForm(request.POST or None, initial=MembershipForm.initial_for(membership), user=request.user,
                          federation=membership.federation, creating=False)
    done = saved(request, form, lambda f: services.save_membership(
        actor=request.user, data=f.cleaned_data, membership=membership), _membership_url)
    return done or form_page(request, form=form, title="编辑工商联会员", subject=str(membership),
                             sections=form.sections(), cancel_url=_membership_url(membership),
                             breadcrumbs=MEMBERSHIP_CRUMBS + [(membership.subject_name, None), ("编辑", None)])


@staff_page
def membership_delete(request, pk):
    membership = get_visible_or_404(selectors.memberships_editable_by(request.user), pk)
    return delete_page(request, obj=membership,
                       delete=lambda: services.delete_membership(actor=request.user, membership=membership),
                       cancel_url=_membership_url(membership), done_url=reverse("members:membership_list"),
                       breadcrumbs=MEMBERSHIP_CRUMBS + [(membership.subject_name, None), ("删除", None)])


# --- 商会会员 ----------------------------------------------------------------------------------------
def _chamber_membership_url(membership):
    return reverse("members:chamber_membership_detail", args=[membership.pk])


def _chamber_crumbs(membership):
    return [("组织机构", None), ("商会", "orgs:chamber_list"), (membership.chamber.name, None),
            (membership.enterprise.name, None)]


@never_cache
@login_required
def chamber_membership_detail(request, pk):
    membership = get_visible_or_404(selectors.chamber_memberships_visible_to(request.user), pk)
    rows = [("商会", membership.chamber.name), ("入会日期", membership.joined.isoformat()),
            ("状态", membership.get_status_display()),
            ("退会日期", membership.left.isoformat() if membership.left else "—"),
            ("退会原因", membership.left_reason or "—"), ("商会职务", membership.position or "会员")]
    editor = role_of(request.user) in MEMBER_EDITOR_ROLES
    return render(request, "members/record_detail.html", {
        "title": membership.enterprise.name, "kind": "商会会员", "rows": rows,
        "subject_url": reverse("members:enterprise_detail", args=[membership.enterprise_id]),
        "list_url": reverse("members:chamber_members", args=[membership.chamber_id]),
        "edit_url": reverse("members:chamber_membership_edit", args=[pk]) if editor else "",
        "delete_url": reverse("members:chamber_membership_delete", args=[pk]) if editor else "",
        "history": history(membership)[:50], "breadcrumbs": _chamber_crumbs(membership),
    })


@staff_page
def chamber_membership_create(request):
    require_role(request.user, *MEMBER_EDITOR_ROLES)
    initial = {key: request.GET[key] for key in ("chamber", "enterprise") if request.GET.get(key)}
    if role_of(request.user) == Role.CHAMBER:
        initial["chamber"] = request.user.chamber_id
    form = ChamberMembershipForm(request.POST or None, initial=initial, user=request.user)
    done = saved(request, form, lambda f: services.save_chamber_membership(actor=request.user, data=f.cleaned_data),
                  _chamber_membership_url)
    return done or form_page(request, form=form, title="新增商会会员", cancel_url=reverse("orgs:chamber_list"),
                             breadcrumbs=[("组织机构", None), ("商会", "orgs:chamber_list"), ("新增商会会员", None)])


@staff_page
def chamber_membership_edit(request, pk):
    membership = get_visible_or_404(selectors.chamber_memberships_editable_by(request.user), pk)
    form = ChamberMembershipForm(request.POST or None, initial=ChamberMembershipForm.initial_for(membership),
                                 user=request.user, creating=False)
    done = saved(request, form, lambda f: services.save_chamber_membership(
        actor=request.user, data=f.cleaned_data, membership=membership), _chamber_membership_url)
    return done or form_page(request, form=form, title="编辑商会会员", subject=str(membership),
                             cancel_url=_chamber_membership_url(membership),
                             breadcrumbs=_chamber_crumbs(membership) + [("编辑", None)])


@staff_page
def chamber_membership_delete(request, pk):
    membership = get_visible_or_404(selectors.chamber_memberships_editable_by(request.user), pk)
    return delete_page(request, obj=membership,
                       delete=lambda: services.delete_chamber_membership(actor=request.user, membership=membership),
                       cancel_url=_chamber_membership_url(membership),
                       done_url=reverse("members:chamber_members", args=[membership.chamber_id]),
                       breadcrumbs=_chamber_crumbs(membership) + [("删除", None)])
