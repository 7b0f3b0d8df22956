from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from shanglian.accounts.roles import (
    EDITOR_ROLES,
    MEMBER_EDITOR_ROLES,
    MEMBER_READER_ROLES,
    Role,
    require_role,
    role_of,
)
from shanglian.accounts.services import verify_reauth_password
from shanglian.audit.models import AuditAction
from shanglian.common.forms import Form, ModelChoiceField, industry_division_field
from shanglian.common.masking import mask
from shanglian.common.records import history
from shanglian.imports.exports import audited_export
from shanglian.orgs.models import Chamber, Street
from shanglian.orgs.selectors import chambers_in_scope, chambers_visible_to
from shanglian.ui.listing import Action, Column, ListPage, export_action, render_list
from shanglian.ui.sections import sections_for
from shanglian.ui.shortcuts import get_visible_or_404

from . import selectors, services
from .forms import PersonRoleForm
from .models import ChamberMembership, EnterpriseRole, Membership


class EnterpriseSearchForm(Form):
    q = forms.CharField(label="企业", required=False,
                        widget=forms.TextInput(attrs={"placeholder": "名称、拼音首字母或统一社会信用代码"}))
    industry_division = industry_division_field(example="26")
    street = ModelChoiceField(label="街道", required=False, queryset=Street.objects.none(), empty_label="全部")
    incomplete = forms.BooleanField(label="仅信息不完整", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["street"].queryset = selectors.streets_visible_to(user)


@login_required
def enterprise_list(request):
    require_role(request.user, *MEMBER_READER_ROLES)  # an enterprise user has its own page only
    form = EnterpriseSearchForm(request.GET or None, user=request.user)
    qs = selectors.enterprise_list(request.user, filters=form.cleaned_data if form.is_valid() else None)
    page = ListPage(
        title="会员企业",
        breadcrumbs=[("会员管理", None), ("会员企业", None)],
        search_form=form,
        columns=[
            Column("企业名称", "name", link=lambda e: reverse("members:enterprise_detail", args=[e.pk]), sort="name"),
            Column("统一社会信用代码", "uscc"),
            Column("企业类型", "enterprise_type.label"),
            Column("行业", lambda e: f"{e.industry.code} {e.industry.name}"),
            Column("规模", "get_size_display", sort="size"),
            Column("所在街道", "street.name"),
            Column("从业人数", "employees", sort="employees"),
        ],
        row_actions=lambda e: [Action("查看", reverse("members:enterprise_detail", args=[e.pk]))],
        toolbar=_new_button(request.user, MEMBER_EDITOR_ROLES, "members:enterprise_create")
        + [export_action(request, "members:enterprise_export")],
        default_sort="id",
    )
    return render_list(request, page, qs)


def _new_button(user, roles, name, query=""):
    """The list's 新增 button, for the roles that may create (none for readers)."""
    return [Action("新增", reverse(name) + query, "primary")] if role_of(user) in roles else []


@never_cache
@login_required
def enterprise_detail(request, pk):
    enterprise = get_visible_or_404(selectors.enterprises_visible_to(request.user), pk)
    role = role_of(request.user)
    return render(request, "members/enterprise_detail.html", {
        "enterprise": enterprise,
        "can_edit": role in MEMBER_EDITOR_ROLES,  # a secretary sees its own members only: all of them editable
        "can_delete": role in EDITOR_ROLES,
        "staff_view": role in MEMBER_READER_ROLES,  # the enterprise's own user sees no links or history
        "own_chamber_id": request.user.chamber_id if role == Role.CHAMBER else None,
        "history": history(enterprise)[:50] if role in MEMBER_READER_ROLES else (),
        **selectors.enterprise_profile(enterprise),
        "sections": sections_for("enterprise", request.user, enterprise),  # e.g. 匹配政策, from policies
        "contact_mobile": mask("mobile", enterprise.contact_mobile),
        "breadcrumbs": [("会员管理", None), ("会员企业", "members:enterprise_list"), (enterprise.name, None)],
    })


class PersonSearchForm(Form):
    q = forms.CharField(label="姓名", required=False, widget=forms.TextInput(attrs={"placeholder": "姓名或拼音首字母"}))


@never_cache
@login_required
def person_list(request):
    form = PersonSearchForm(request.GET or None)
    qs = selectors.person_list(request.user, filters=form.cleaned_data if form.is_valid() else None)
    page = ListPage(
        title="非公经济人士",
        breadcrumbs=[("会员管理", None), ("非公经济人士", None)],
        search_form=form,
        columns=[
            Column("姓名", "name", link=lambda p: reverse("members:person_detail", args=[p.pk]), sort="name"),
            Column("性别", "get_gender_display"),
            Column("出生年份", "birth_year", sort="birth_year"),
            Column("身份证号", lambda p: mask("id_number", p.id_number)),
            Column("手机号", lambda p: mask("mobile", p.mobile)),
            Column("政治面貌", "political_affiliation.label"),
            Column("新生代", lambda p: "是" if p.is_new_generation else "否"),
        ],
        row_actions=lambda p: [Action("查看", reverse("members:person_detail", args=[p.pk]))],
        toolbar=_new_button(request.user, EDITOR_ROLES, "members:person_create")
        + [export_action(request, "members:person_export")],
        default_sort="id",
    )
    return render_list(request, page, qs)


@login_required
def person_export(request):
    """非公经济人士名单: the current filtered list; ID numbers and mobiles masked unless the user may see
    them and asks (`?pii=1`), as the enterprise export does."""
    require_role(request.user, *MEMBER_READER_ROLES)
    form = PersonSearchForm(request.GET or None)
    qs = selectors.person_list(request.user, filters=form.cleaned_data if form.is_valid() else {})
    pii = selectors.can_view_pii(request.user) and request.GET.get("pii") == "1"
    headers = ["姓名", "性别", "出生年份", "身份证号", "手机号", "政治面貌", "学历", "新生代企业家", "任职企业"]
    roles = {}  # one query (a subquery of the list, not an IN list of every person)
    for link in EnterpriseRole.objects.filter(person__in=qs.values("pk")).select_related("enterprise").order_by("id"):
        roles.setdefault(link.person_id, []).append(f"{link.enterprise.name}（{link.get_role_display()}）")
    rows = [
        [p.name, p.get_gender_display(), p.birth_year, p.id_number if pii else mask("id_number", p.id_number),
         p.mobile if pii else mask("mobile", p.mobile),
         p.political_affiliation.label if p.political_affiliation_id else "",
         p.education.label if p.education_id else "", "是" if p.is_new_generation else "否",
         "、".join(roles.get(p.pk, []))]
        for p in qs.order_by("id")
    ]
    return audited_export(actor=request.user, title="非公经济人士名单", object_type="members.person",
                          sheets=[("非公经济人士", headers, rows)],
                          detail={"rows": len(rows), "pii": pii,
                                  "filters": {k: v for k, v in request.GET.items() if k != "pii"}})


class RevealForm(Form):
    purpose = forms.CharField(label="查看目的", max_length=100,
                              error_messages={"required": "请填写查看目的。"},
                              widget=forms.TextInput(attrs={"placeholder": "如：核对代表人士身份信息"}))
    password = forms.CharField(label="登录密码", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
                               error_messages={"required": "请再次输入您的登录密码。"})


def person_pii(request, person):
    """A person page's ID number and mobile, masked by default, and the form revealing them (the card
    `members/_person_basics.html`): a POST from a user holding view_pii (403 for another) with a purpose and the
    password again shows the full values, each reveal an audit row without them; wrong passwords are audited
    and throttled (accounts.services.verify_reauth_password). The page's context entries; `revealed` stays
    False after a POST whose form has errors. Every page showing a person's numbers uses this one."""
    can_reveal = selectors.can_view_pii(request.user)
    form = RevealForm(request.POST or None)
    revealed = False
    if request.method == "POST":
        if not can_reveal:
            raise PermissionDenied("您没有查看完整个人信息的权限。")
        if form.is_valid():
            try:
                verify_reauth_password(actor=request.user, password=form.cleaned_data["password"],
                                       action=AuditAction.PII_VIEW, obj=person,
                                       detail={"purpose": form.cleaned_data["purpose"]})
            except ValidationError as error:
                form.add_error("password", error)
            else:
                services.reveal_person_pii(actor=request.user, person=person, purpose=form.cleaned_data["purpose"])
                revealed = True
    return {
        "id_number": person.id_number if revealed else mask("id_number", person.id_number),
        "mobile": person.mobile if revealed else mask("mobile", person.mobile),
        "revealed": revealed,
        "can_reveal": can_reveal,
        "reveal_form": form,
    }


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def person_detail(request, pk):
    """Masked by default. A user holding view_pii may reveal the full values after re-entering the
    password and giving a purpose; each reveal is an audit row (without the values)."""
    person = get_visible_or_404(selectors.persons_visible_to(request.user), pk)
    pii = person_pii(request, person)
    editor = role_of(request.user) in EDITOR_ROLES
    return render(request, "members/person_detail.html", {
        "person": person,
        "editor": editor,
        "role_form": PersonRoleForm(user=request.user) if editor else None,
        "history": history(person)[:50],
        **pii,
        **selectors.person_profile(person),
        "sections": sections_for("person", request.user, person),  # e.g. 宣传报道, from communications
        "breadcrumbs": [("会员管理", None), ("非公经济人士", "members:person_list"), (person.name, None)],
    })


# --- The member registry (工商联会员) -----------------------------------------------------------------
class MembershipSearchForm(Form):
    q = forms.CharField(label="会员", required=False,
                        widget=forms.TextInput(attrs={"placeholder": "名称、姓名、拼音首字母、信用代码或会员证号"}))
    kind = forms.ChoiceField(label="会员类型", required=False, choices=[("", "全部")] + list(Membership.Kind.choices))
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部")] + list(Membership.Status.choices))
    chamber = ModelChoiceField(label="所属商会", required=False, queryset=Chamber.objects.none(), empty_label="全部")
    street = ModelChoiceField(label="街道", required=False, queryset=Street.objects.none(), empty_label="全部")
    industry_division = industry_division_field(example="52")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chamber"].queryset = chambers_in_scope(user).order_by("id")
        self.fields["street"].queryset = selectors.streets_visible_to(user)


def subject_link(m):
    if m.enterprise_id:
        return reverse("members:enterprise_detail", args=[m.enterprise_id])
    if m.person_id:
        return reverse("members:person_detail", args=[m.person_id])
    return reverse("orgs:chamber_detail", args=[m.group_id])


MEMBER_STATUS_TAGS = {"active": "tag-success", "suspended": "tag-warning", "left": "tag-muted"}

# One column set for the list page and the export.
MEMBERSHIP_FIELDS = [
    ("会员证号", lambda m: m.number, "number"),
    ("会员名称", lambda m: m.subject_name, ""),
    ("会员类型", lambda m: m.get_kind_display(), "kind"),
    ("统一社会信用代码", lambda m: m.enterprise.uscc if m.enterprise_id else "", ""),
    ("企业类型", lambda m: m.enterprise.enterprise_type.label if m.enterprise_id else "", ""),
    ("行业", lambda m: f"{m.enterprise.industry_id} {m.enterprise.industry.name}" if m.enterprise_id else "", ""),
    ("所在街道", lambda m: m.enterprise.street.name if m.enterprise_id and m.enterprise.street_id else "", ""),
    ("入会日期", lambda m: m.joined.isoformat(), "joined"),
    ("状态", lambda m: m.get_status_display(), "status"),
    ("在工商联的职务", lambda m: m.get_body_position_display(), ""),
]
EXPORT_ONLY_FIELDS = [
    ("退会日期", lambda m: m.left.isoformat() if m.left else ""),
    ("退会原因", lambda m: m.left_reason),
]


def _membership_queryset(request):
    form = MembershipSearchForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    return form, selectors.membership_list(request.user, filters=filters)


@login_required
def membership_list(request):
    form, qs = _membership_queryset(request)
    columns = []
    for header, value, sort in MEMBERSHIP_FIELDS:
        if header == "会员名称":
            columns.append(Column(header, value, link=subject_link))
        elif header == "状态":
            columns.append(Column(header, value, tag=lambda m: MEMBER_STATUS_TAGS.get(m.status, ""), sort=sort))
        else:
            columns.append(Column(header, value, sort=sort))
    toolbar = [export_action(request, "members:membership_export")]
    if role_of(request.user) in EDITOR_ROLES:
        toolbar[:0] = [Action("新增", reverse("members:membership_create"), "primary"),
                       Action("导入", reverse("members:member_import"))]
    page = ListPage(
        title="工商联会员",
        breadcrumbs=[("会员管理", None), ("工商联会员", None)],
        search_form=form,
        columns=columns,
        toolbar=toolbar,
        row_actions=lambda m: [Action("查看", reverse("members:membership_detail", args=[m.pk]))],
        default_sort="-joined",
    )
    return render_list(request, page, qs)


@login_required
def membership_export(request):
    """The current filtered list as xlsx; personal data stays masked (the list shows none unmasked)."""
    form, qs = _membership_queryset(request)
    fields = [(h, v) for h, v, _ in MEMBERSHIP_FIELDS] + EXPORT_ONLY_FIELDS
    rows = [[value(m) for _, value in fields] for m in qs.order_by("-joined", "-id")]
    return audited_export(actor=request.user, title="工商联会员名单", object_type="members.membership",
                          sheets=[("工商联会员", [h for h, _ in fields], rows)],
                          detail={"rows": len(rows), "filters": request.GET.dict()})


@login_required
def enterprise_export(request):
    """会员企业名单: the current filtered enterprise list; the contact mobile masked unless the user may see it."""
    require_role(request.user, *MEMBER_READER_ROLES)
    form = EnterpriseSearchForm(request.GET or None, user=request.user)
    qs = selectors.enterprise_list(request.user, filters=form.cleaned_data if form.is_valid() else {})
    pii = selectors.can_view_pii(request.user) and request.GET.get("pii") == "1"
    headers = ["企业名称", "统一社会信用代码", "企业类型", "行业代码", "行业名称", "规模", "高新技术企业", "所在街道",
               "本地企业", "成立日期", "从业人数", "注册资本（万元）", "联系人", "联系人手机"]
    rows = [
        [e.name, e.uscc, e.enterprise_type.label, e.industry_id, e.industry.name, e.get_size_display(),
         "是" if e.is_high_tech else "否", e.street.name if e.street_id else "", "是" if e.is_local else "否",
         e.founded.isoformat() if e.founded else "", e.employees, e.registered_capital, e.contact_name,
         e.contact_mobile if pii else mask("mobile", e.contact_mobile)]
        for e in qs.order_by("id")
    ]
    return audited_export(actor=request.user, title="会员企业名单", object_type="members.enterprise",
                          sheets=[("会员企业", headers, rows)],
                          detail={"rows": len(rows), "pii": pii,
                                  "filters": {k: v for k, v in request.GET.items() if k != "pii"}})


# --- One chamber's members (商会会员) -----------------------------------------------------------------
class ChamberMemberSearchForm(Form):
    q = forms.CharField(label="企业", required=False,
                        widget=forms.TextInput(attrs={"placeholder": "名称、拼音首字母或统一社会信用代码"}))
    status = forms.ChoiceField(label="状态", required=False,
                               choices=[("", "全部")] + list(ChamberMembership.Status.choices))


@login_required
def chamber_members(request, pk):
    """Every member of one chamber, in any status; 新增 for the editors and the chamber's secretary (a
    secretary adds a new enterprise, which joins the chamber; an editor picks an enterprise)."""
    chamber = get_visible_or_404(chambers_visible_to(request.user), pk)
    form = ChamberMemberSearchForm(request.GET or None)
    qs = selectors.chamber_member_list(request.user, chamber, filters=form.cleaned_data if form.is_valid() else None)
    secretary = role_of(request.user) == Role.CHAMBER
    page = ListPage(
        title=f"{chamber.name} · 会员",
        breadcrumbs=[("组织机构", None), ("商会", "orgs:chamber_list"), (chamber.name, None), ("会员", None)],
        search_form=form,
        columns=[
            Column("企业名称", "enterprise.name", sort="enterprise__name",
                   link=lambda m: reverse("members:enterprise_detail", args=[m.enterprise_id])),
            Column("统一社会信用代码", "enterprise.uscc"),
            Column("所在街道", "enterprise.street.name"),
            Column("入会日期", lambda m: m.joined.isoformat(), sort="joined"),
            Column("状态", "get_status_display", tag=lambda m: MEMBER_STATUS_TAGS.get(m.status, ""), sort="status"),
            Column("商会职务", lambda m: m.position or "会员"),
        ],
        row_actions=lambda m: [Action("查看", reverse("members:chamber_membership_detail", args=[m.pk]))],
        toolbar=[Action("新增会员企业", reverse("members:enterprise_create"), "primary")] if secretary
        else _new_button(request.user, EDITOR_ROLES, "members:chamber_membership_create", f"?chamber={chamber.pk}"),
        default_sort="-joined",
    )
    return render_list(request, page, qs)
