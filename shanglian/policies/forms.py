"""Forms of the policy pages. They only parse what was typed; `services.save_policy` checks and writes."""

from django import forms

from shanglian.common.forms import (
    FILES_HELP,
    Form,
    ModelChoiceField,
    ModelMultipleChoiceField,
    MultipleFileField,
    date_field,
)
from shanglian.common.models import DictItem
from shanglian.common.pickers import IndustryMultipleField
from shanglian.members.models import Enterprise
from shanglian.orgs.models import Department, Street

from .models import Policy, PolicyPackage
from .services import Eligibility


def _count_field(label, max_value):
    return forms.IntegerField(
        label=label, required=False, min_value=0, max_value=max_value,
        error_messages={"invalid": f"{label}必须是整数。", "min_value": f"{label}不能为负数。",
                        "max_value": f"{label}不能超过 {max_value}。"})


class PolicySearchForm(Form):
    q = forms.CharField(label="关键词", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": "政策名称、文号或全文"}))
    department = ModelChoiceField(label="发布部门", required=False, queryset=Department.objects.none(),
                                        empty_label="全部")
    benefit_type = ModelChoiceField(label="惠企类型", required=False, empty_label="全部",
                                          queryset=DictItem.objects.filter(kind="benefit_type", is_active=True))
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部")] + list(Policy.Status.choices))
    published_from = date_field("发布日期起")
    published_to = date_field("发布日期止")
    automatic = forms.BooleanField(label="仅免申即享", required=False)
    package = ModelChoiceField(label="服务包", required=False, queryset=PolicyPackage.objects.none(),
                                     empty_label="全部")

    def __init__(self, *args, visible=None, show_status=True, **kwargs):
        """`visible`: the user's scoped policies; the department and package choices come from them."""
        super().__init__(*args, **kwargs)
        if visible is not None:
            self.fields["department"].queryset = Department.objects.filter(
                pk__in=visible.values("department_id")).order_by("id")
            self.fields["package"].queryset = PolicyPackage.objects.filter(
                federation_id__in=visible.values("federation_id")).order_by("order", "id")
        if not show_status:  # chambers, departments and enterprises only ever see live policies
            del self.fields["status"]

    def clean(self):
        data = super().clean()
        start, end = data.get("published_from"), data.get("published_to")
        if start and end and start > end:
            self.add_error("published_to", "发布日期止不能早于发布日期起。")
        return data

    def filters(self):
        """The cleaned values in the shape `selectors.policy_list` takes (ids, not objects)."""
        data = dict(self.cleaned_data)
        for name in ("department", "benefit_type", "package"):
            data[name] = data[name].pk if data.get(name) else None
        return data


class PolicyForm(Form):
    """All fields of a policy and its eligibility. Empty eligibility conditions mean 不限."""

    title = forms.CharField(label="政策名称", max_length=200, error_messages={
        "required": "请填写政策名称。", "max_length": "政策名称不能超过 200 字。"})
    document_number = forms.CharField(label="文号", max_length=100, required=False,
                                      widget=forms.TextInput(attrs={"placeholder": "如 津西政发〔2026〕3号"}))
    department = ModelChoiceField(label="发布部门", queryset=Department.objects.none(), empty_label="请选择",
                                        error_messages={"required": "请选择发布部门。",
                                                        "invalid_choice": "发布部门不存在，请重新选择。"})
    benefit_type = ModelChoiceField(label="惠企类型", empty_label="请选择",
                                          queryset=DictItem.objects.filter(kind="benefit_type", is_active=True),
                                          error_messages={"required": "请选择惠企类型。",
                                                          "invalid_choice": "惠企类型不存在，请重新选择。"})
    published_on = date_field("发布日期", help_text="留空则在发布时取当天。")
    effective_from = date_field("生效日期")
    expires_on = date_field("失效日期", help_text="留空表示长期有效；过了失效日期的政策不再推荐、不能推送。")
    is_automatic = forms.BooleanField(label="免申即享", required=False,
                                      help_text="符合条件的企业无需申报即可享受。")
    summary = forms.CharField(label="政策摘要", max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              error_messages={"max_length": "政策摘要不能超过 2000 字。"})
    full_text = forms.CharField(label="政策全文", required=False, widget=forms.Textarea(attrs={"rows": 12}))
    application_method = forms.CharField(label="申报方式", max_length=2000, required=False,
                                         widget=forms.Textarea(attrs={"rows": 3}),
                                         error_messages={"max_length": "申报方式不能超过 2000 字。"})
    contact = forms.CharField(label="咨询电话/联系人", max_length=200, required=False,
                              error_messages={"max_length": "咨询电话/联系人不能超过 200 字。"})

    # Eligibility
    industries = IndustryMultipleField(
        label="适用行业", required=False,
        help_text="国民经济行业分类 GB/T 4754-2017：可选门类、大类、中类或小类，可选多个；不选表示不限行业。")
    sizes = forms.MultipleChoiceField(label="企业规模", required=False, choices=Enterprise.Size.choices,
                                      widget=forms.CheckboxSelectMultiple, help_text="不选表示不限。")
    enterprise_types = forms.MultipleChoiceField(label="企业类型", required=False, choices=(),
                                                 widget=forms.CheckboxSelectMultiple, help_text="不选表示不限。")
    streets = ModelMultipleChoiceField(
        label="所在街道", required=False, queryset=Street.objects.none(), widget=forms.CheckboxSelectMultiple,
        help_text="不选表示不限。",
        error_messages={"invalid_choice": "所选街道不属于本工商联。", "invalid_pk_value": "所选街道不存在。"})
    high_tech_required = forms.BooleanField(label="限高新技术企业", required=False)
    members_only = forms.BooleanField(label="限工商联会员", required=False)
    min_employees = _count_field("从业人数下限", 10_000_000)
    max_employees = _count_field("从业人数上限", 10_000_000)
    min_registered_years = _count_field("成立年限下限（年）", 200)
    max_registered_years = _count_field("成立年限上限（年）", 200)
    files = MultipleFileField(label="附件", help_text=FILES_HELP)

    def __init__(self, *args, federation=None, **kwargs):
        super().__init__(*args, **kwargs)
        if federation is not None:
            self.fields["department"].queryset = Department.objects.filter(
                federation=federation, is_active=True).order_by("id")
            self.fields["streets"].queryset = Street.objects.filter(federation=federation).order_by("code")
        self.fields["enterprise_types"].choices = list(
            DictItem.objects.filter(kind="enterprise_type", is_active=True).values_list("code", "label"))

    @classmethod
    def initial_for(cls, policy):
        """The form's initial values from a stored policy (the edit page)."""
        return {
            "title": policy.title, "document_number": policy.document_number,
            "department": policy.department_id, "benefit_type": policy.benefit_type_id,
            "published_on": policy.published_on, "effective_from": policy.effective_from,
            "expires_on": policy.expires_on, "is_automatic": policy.is_automatic, "summary": policy.summary,
            "full_text": policy.full_text, "application_method": policy.application_method,
            "contact": policy.contact,
            "industries": list(policy.industries.values_list("prefix", flat=True)),
            "sizes": policy.size_list, "enterprise_types": policy.enterprise_type_list,
            "streets": policy.street_ids, "high_tech_required": policy.high_tech_required,
            "members_only": policy.members_only, "min_employees": policy.min_employees,
            "max_employees": policy.max_employees, "min_registered_years": policy.min_registered_years,
            "max_registered_years": policy.max_registered_years,
        }

    def clean_title(self):
        return self.cleaned_data["title"].strip()

    def clean(self):
        data = super().clean()
        for low, high, label in (("min_employees", "max_employees", "从业人数"),
                                 ("min_registered_years", "max_registered_years", "成立年限")):
            if data.get(low) is not None and data.get(high) is not None and data[low] > data[high]:
                self.add_error(high, f"{label}上限不能小于下限。")
        start, end = data.get("effective_from"), data.get("expires_on")
        if start and end and start > end:
            self.add_error("expires_on", "失效日期不能早于生效日期。")
        return data

    def policy_data(self):
        data = self.cleaned_data
        return {name: data[name] for name in (
            "title", "department", "document_number", "published_on", "effective_from", "expires_on", "summary",
            "full_text", "benefit_type", "application_method", "contact", "is_automatic")}

    def eligibility(self):
        data = self.cleaned_data
        return Eligibility(
            industries=tuple(data["industries"]), sizes=tuple(data["sizes"]),
            enterprise_types=tuple(data["enterprise_types"]), streets=tuple(s.pk for s in data["streets"]),
            high_tech_required=data["high_tech_required"], members_only=data["members_only"],
            min_employees=data["min_employees"], max_employees=data["max_employees"],
            min_registered_years=data["min_registered_years"], max_registered_years=data["max_registered_years"])


class PublishForm(Form):
    push = forms.BooleanField(label="同时推送给匹配企业", required=False, initial=True)
    sms = forms.BooleanField(label="短信通知", required=False)


class PushForm(Form):
    sms = forms.BooleanField(label="短信通知", required=False)


class H5SearchForm(Form):
    q = forms.CharField(label="搜索政策", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": "搜索政策名称、文号或内容", "enterkeyhint": "search"}))
