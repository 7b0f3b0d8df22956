from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse

from shanglian.ui.listing import Action, Column, ListPage, render_list
from shanglian.ui.shortcuts import get_visible_or_404

from . import selectors
from .models import Chamber


class ChamberSearchForm(forms.Form):
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


@login_required
def chamber_detail(request, pk):
    chamber = get_visible_or_404(selectors.chambers_visible_to(request.user), pk)
    return render(request, "orgs/chamber_detail.html", {
        "chamber": chamber,
        "members": selectors.chamber_members(chamber),
        "industries": chamber.industries.all(),
        "breadcrumbs": [("组织机构", None), ("商会", "orgs:chamber_list"), (chamber.name, None)],
    })


@login_required
def committee_list(request):
    page = ListPage(
        title="专门委员会",
        breadcrumbs=[("组织机构", None), ("专门委员会", None)],
        columns=[Column("名称", "name"), Column("职责", "duties"), Column("所属工商联", "federation.name")],
        default_sort="order",
    )
    return render_list(request, page, selectors.committees_visible_to(request.user))


@login_required
def department_list(request):
    page = ListPage(
        title="职能部门",
        breadcrumbs=[("组织机构", None), ("职能部门", None)],
        columns=[
            Column("部门名称", "name", link=lambda d: reverse("orgs:department_detail", args=[d.pk]), sort="name"),
            Column("简称", "short_name"),
            Column("联络人", "contact"),
            Column("联系电话", "phone"),
            Column("状态", lambda d: "启用" if d.is_active else "停用",
                   tag=lambda d: "tag-success" if d.is_active else "tag-muted"),
        ],
        default_sort="id",
    )
    return render_list(request, page, selectors.departments_visible_to(request.user))


@login_required
def department_detail(request, pk):
    department = get_visible_or_404(selectors.departments_visible_to(request.user), pk)
    return render(request, "orgs/department_detail.html", {
        "department": department,
        "breadcrumbs": [("组织机构", None), ("职能部门", None), (department.name, None)],
    })
