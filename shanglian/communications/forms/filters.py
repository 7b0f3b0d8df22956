"""保存的筛选's form: a name and the member registry's filters (the keys of the registry list's search form: 会员,
会员类型, 街道, 行业大类, 企业类型, 所属商会) kept as `criteria`; a chamber secretary's filter looks only among its own
chamber's members, so it has no 所属商会. It only parses; `services.filters` checks and writes."""

from django import forms

from shanglian.accounts.roles import Role, role_of
from shanglian.common.forms import Form, ModelChoiceField, industry_division_field
from shanglian.common.models import DictItem
from shanglian.members.models import Membership
from shanglian.members.selectors import streets_visible_to
from shanglian.orgs.models import Chamber, Street
from shanglian.orgs.selectors import chambers_in_scope

from ..selectors.audience import FILTER_CRITERIA

CRITERIA = FILTER_CRITERIA
CRITERIA_LABELS = {"q": "会员", "kind": "会员类型", "street": "街道", "industry_division": "行业大类",
                   "enterprise_type": "企业类型", "chamber": "所属商会"}


def _choice(label, queryset):
    return ModelChoiceField(label=label, required=False, queryset=queryset, empty_label="全部",
                            error_messages={"invalid_choice": f"所选{label}不存在或不在您的查看范围内。"})


class SavedFilterForm(Form):
    name = forms.CharField(label="名称", max_length=50,
                           error_messages={"required": "请填写筛选的名称。", "max_length": "名称不能超过 50 字。"})
    q = forms.CharField(label="会员", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": "名称、姓名、拼音首字母、信用代码或会员证号"}),
                        error_messages={"max_length": "会员关键词不能超过 100 字。"})
    kind = forms.ChoiceField(label="会员类型", required=False, choices=[("", "全部"), *Membership.Kind.choices],
                             error_messages={"invalid_choice": "会员类型不在可选范围内。"})
    street = _choice("街道", Street.objects.none())
    industry_division = industry_division_field(example="52")
    enterprise_type = _choice("企业类型", DictItem.objects.none())
    chamber = _choice("所属商会", Chamber.objects.none())

    def __init__(self, *args, user, instance=None, **kwargs):
        if instance is not None:
            kwargs.setdefault("initial", {"name": instance.name, **(instance.criteria or {})})
        super().__init__(*args, **kwargs)
        self.instance = instance
        self.fields["street"].queryset = streets_visible_to(user).order_by("name")
        self.fields["enterprise_type"].queryset = DictItem.objects.filter(kind="enterprise_type",
                                                                          is_active=True).order_by("order", "id")
        if role_of(user) == Role.CHAMBER:
            del self.fields["chamber"]
        else:
            self.fields["chamber"].queryset = chambers_in_scope(user).order_by("name")

    def criteria(self):
        """The filters chosen, as the registry list reads them (ids and codes; empty ones left out)."""
        data = self.cleaned_data
        chosen = {}
        for key in CRITERIA:
            value = data.get(key)
            if value in (None, ""):
                continue
            chosen[key] = value.pk if hasattr(value, "pk") else (value.strip() if isinstance(value, str) else value)
        return {k: v for k, v in chosen.items() if v not in (None, "")}

    def service_kwargs(self):
        return {"name": self.cleaned_data["name"], "criteria": self.criteria()}
