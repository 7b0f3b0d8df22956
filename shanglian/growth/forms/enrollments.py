"""Forms of the 服务企业（双万双服） pages. They parse (and refuse what cannot be parsed, in Chinese); the rules are
the services' (`services/enrollments.py`), whose `ValidationError`s the record pages put back onto these forms.
Every row offered comes from the user's scope (`selectors/enrollments.py`)."""

from django import forms
from django.forms.models import model_to_dict

from shanglian.common.forms import Form, ModelChoiceField, date_field
from shanglian.members.pickers import EnterpriseField
from shanglian.orgs.models import Street
from shanglian.orgs.selectors import chambers_in_scope, federation_ids_in_scope

from ..selectors import enrollments as selectors


class UserChoiceField(ModelChoiceField):
    def label_from_instance(self, user):
        return user.display_name or user.username


class EnrollmentForm(Form):
    enterprise = EnterpriseField(label="企业", error_messages={"required": "请选择企业。"})
    programme = ModelChoiceField(label="服务项目", queryset=None, empty_label="请选择",
                                 error_messages={"required": "请选择服务项目。", "invalid_choice": "请选择服务项目。"})
    enrolled_on = date_field("纳入日期", required=True, error_messages={"required": "请填写纳入日期。"})
    liaison = UserChoiceField(label="联络员", queryset=None, required=False, empty_label="（未指定）",
                              error_messages={"invalid_choice": "所选联络员不存在或不在您的管理范围内。"},
                              help_text="工商联负责联系服务该企业的干部。")
    note = forms.CharField(label="备注", required=False, max_length=200)

    def __init__(self, *args, user, instance=None, **kwargs):
        self.instance = instance
        if instance is not None and instance.pk is not None:
            kwargs["initial"] = {**model_to_dict(instance, fields=list(self.base_fields)), **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].scope_to(user)
        self.fields["programme"].queryset = selectors.programmes()
        self.fields["liaison"].queryset = selectors.liaisons_for(user)
        if instance is None and not self.is_bound:
            first = selectors.programmes().filter(code="shuangwan").first()
            self.initial.setdefault("programme", first.pk if first else None)


class EndForm(Form):
    ended_on = date_field("退出日期", required=True, error_messages={"required": "请填写退出日期。"})


class EnrollmentSearchForm(Form):
    q = forms.CharField(label="企业", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": "企业名称或统一社会信用代码"}))
    programme = ModelChoiceField(label="服务项目", queryset=None, required=False, empty_label="全部")
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *selectors.STATUSES.items()])
    on = date_field("状态日期", help_text="按该日判断服务中、已退出；默认今天。")
    liaison = UserChoiceField(label="联络员", queryset=None, required=False, empty_label="全部")
    street = ModelChoiceField(label="街道", queryset=None, required=False, empty_label="全部")
    chamber = ModelChoiceField(label="商会", queryset=None, required=False, empty_label="全部",
                               help_text="该商会在册会员企业的服务记录。")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = selectors.programmes()
        self.fields["liaison"].queryset = selectors.liaisons_for(user)
        federations = federation_ids_in_scope(user) or ([user.chamber.federation_id] if user.chamber_id else [])
        self.fields["street"].queryset = Street.objects.filter(federation_id__in=federations).order_by("code", "id")
        self.fields["chamber"].queryset = chambers_in_scope(user).order_by("name", "id")

    def clean_on(self):
        on = self.cleaned_data.get("on")
        if on and not 2000 <= on.year <= 2100:
            raise forms.ValidationError("日期不正确。")
        return on


__all__ = ["EndForm", "EnrollmentForm", "EnrollmentSearchForm"]
