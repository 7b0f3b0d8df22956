from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from shanglian.accounts.roles import FEDERATION_ROLES, Role, require_role
from shanglian.common.masking import mask
from shanglian.orgs.models import Street
from shanglian.workbench.listing import Action, Column, ListPage, render_list
from shanglian.workbench.shortcuts import get_visible_or_404

from . import selectors


class EnterpriseSearchForm(forms.Form):
    q = forms.CharField(label="企业", required=False,
                        widget=forms.TextInput(attrs={"placeholder": "名称、拼音首字母或统一社会信用代码"}))
    industry_division = forms.RegexField(label="行业大类", required=False, regex=r"^\d{2}$",
                                         error_messages={"invalid": "行业大类为 2 位数字代码。"},
                                         widget=forms.TextInput(attrs={"placeholder": "如 26"}))
    street = forms.ModelChoiceField(label="街道", required=False, queryset=Street.objects.none(), empty_label="全部")
    incomplete = forms.BooleanField(label="仅信息不完整", required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from shanglian.orgs.selectors import federation_ids_in_scope

        ids = federation_ids_in_scope(user) if user else []
        self.fields["street"].queryset = Street.objects.filter(federation_id__in=ids) if ids else Street.objects.filter(
            enterprises__in=selectors.enterprises_visible_to(user)).distinct()


@login_required
def enterprise_list(request):
    require_role(request.user, *FEDERATION_ROLES, Role.CHAMBER)  # an enterprise user has its own page only
    qs = selectors.enterprises_visible_to(request.user)
    form = EnterpriseSearchForm(request.GET or None, user=request.user)
    if form.is_valid():
        qs = selectors.enterprise_list(request.user, filters=form.cleaned_data)
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
        default_sort="id",
    )
    return render_list(request, page, qs)


@never_cache
@login_required
def enterprise_detail(request, pk):
    enterprise = get_visible_or_404(selectors.enterprises_visible_to(request.user), pk)
    return render(request, "members/enterprise_detail.html", {
        "enterprise": enterprise,
        "contact_mobile": mask("mobile", enterprise.contact_mobile),
        "chamber_memberships": enterprise.chamber_memberships.select_related("chamber").order_by("-joined"),
        "persons": enterprise.person_roles.select_related("person"),
        "breadcrumbs": [("会员管理", None), ("会员企业", "members:enterprise_list"), (enterprise.name, None)],
    })


class PersonSearchForm(forms.Form):
    q = forms.CharField(label="姓名", required=False, widget=forms.TextInput(attrs={"placeholder": "姓名或拼音首字母"}))


@never_cache
@login_required
def person_list(request):
    qs = selectors.persons_visible_to(request.user)
    form = PersonSearchForm(request.GET or None)
    if form.is_valid():
        qs = selectors.person_list(request.user, filters=form.cleaned_data)
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
        default_sort="id",
    )
    return render_list(request, page, qs)


@never_cache
@login_required
def person_detail(request, pk):
    person = get_visible_or_404(selectors.persons_visible_to(request.user), pk)
    return render(request, "members/person_detail.html", {
        "person": person,
        "id_number": mask("id_number", person.id_number),
        "mobile": mask("mobile", person.mobile),
        "roles": person.enterprise_roles.select_related("enterprise"),
        "breadcrumbs": [("会员管理", None), ("非公经济人士", "members:person_list"), (person.name, None)],
    })
