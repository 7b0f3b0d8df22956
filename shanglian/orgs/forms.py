"""Forms of the organisation's staff pages. They parse and normalise; the rules are the models'
(validators, constraints with their Chinese messages, `clean()`), checked by the ModelForm, and the
services check the role and the scope again before they write."""

from django import forms
from django.urls import reverse_lazy

from shanglian.common.forms import DateInput, ModelChoiceField, ModelForm, ModelMultipleChoiceField
from shanglian.common.models import IndustryCode
from shanglian.common.pickers import AutocompleteField, IndustryPicker
from shanglian.common.validators import normalize_uscc

from . import selectors
from .models import Chamber, Committee, Department, Position, Street, Term, Village

# What a chamber secretary may change on its own chamber's page (name, kind, street and status are the
# federation's to change).
CHAMBER_PROFILE_FIELDS = ("registration_number", "president", "secretary_general", "phone", "address", "founded",
                          "industries")
DATE_ERRORS = {"invalid": "日期格式应为 2026-11-22。"}


class ScopedModelForm(ModelForm):
    """A record of one federation. A new record takes the editor's federation; an editor whose scope
    holds several federations (a city) chooses one. The federation's uniqueness rules (same name twice
    in one federation) are checked on the form even when the federation is not one of its fields."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance.pk is None:
            choices = selectors.federations_editable_by(user)
            if choices.count() > 1:
                self.fields["federation"] = ModelChoiceField(
                    label="所属工商联", queryset=choices, initial=user.federation_id,
                    error_messages={"required": "请选择所属工商联。", "invalid_choice": "请选择您范围内的工商联。"})
                self.order_fields(["federation"])
            else:
                self.instance.federation_id = user.federation_id
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.widget = DateInput()
                field.error_messages.update(DATE_ERRORS)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("federation") is not None:
            self.instance.federation = cleaned["federation"]
        return cleaned

    def _get_validation_exclusions(self):
        return super()._get_validation_exclusions() - {"federation"}


class ChamberForm(ScopedModelForm):
    registration_number = forms.CharField(label="登记证号（统一社会信用代码）", required=False, max_length=40,
                                          help_text="18 位统一社会信用代码；没有可留空。")
    industries = ModelMultipleChoiceField(
        label="覆盖行业（大类）", required=False,
        queryset=IndustryCode.objects.filter(level=IndustryCode.Level.DIVISION).order_by("code"),
        widget=IndustryPicker(multiple=True, levels=(IndustryCode.Level.DIVISION,), empty_text="未选择"),
        help_text="在国民经济行业分类中选择大类，可选多个。",
        error_messages={"invalid_choice": "行业大类不存在：%(value)s，请从行业分类中选择。"})

    class Meta:
        model = Chamber
        fields = ["name", "kind", "street", "registration_number", "president", "secretary_general", "phone",
                  "address", "founded", "industries", "status"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if "street" in self.fields:
            self.fields["street"].queryset = selectors.streets_in_scope(user).order_by("code")
            self.fields["street"].empty_label = "（无）"

    def clean_registration_number(self):
        return normalize_uscc(self.cleaned_data["registration_number"])


class ChamberProfileForm(ChamberForm):
    """The chamber secretary's form of its own chamber: the profile, not the federation's fields."""

    class Meta(ChamberForm.Meta):
        fields = list(CHAMBER_PROFILE_FIELDS)


class CommitteeForm(ScopedModelForm):
    class Meta:
        model = Committee
        fields = ["name", "duties", "order"]
        widgets = {"duties": forms.Textarea(attrs={"rows": 4})}


class DepartmentForm(ScopedModelForm):
    class Meta:
        model = Department
        fields = ["name", "short_name", "contact", "phone", "is_active"]


class StreetForm(ScopedModelForm):
    class Meta:
        model = Street
        fields = ["name", "code", "is_town"]
        help_texts = {"code": "统计用区划代码的前 9 位（或完整 12 位），如 120103001。", "is_town": "勾选表示镇，不勾选表示街道。"}

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split())


class VillageForm(ScopedModelForm):
    class Meta:
        model = Village
        fields = ["name", "county", "region_code", "is_target"]
        help_texts = {"region_code": "12 位统计用区划代码；不清楚可留空。"}

    def clean_region_code(self):
        return "".join(self.cleaned_data["region_code"].split())


class TermForm(ScopedModelForm):
    class Meta:
        model = Term
        fields = ["chamber", "number", "start", "end"]
        help_texts = {"number": "第几届，如 8。"}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["chamber"].queryset = selectors.chambers_editable_by(user).order_by("id")
        self.fields["chamber"].empty_label = "（工商联本级）"
        if self.instance.pk:  # a term stays the body's it was created for
            del self.fields["chamber"]

    def clean(self):
        cleaned = super().clean()
        chamber = cleaned.get("chamber")
        if chamber is not None:
            self.instance.federation_id = chamber.federation_id
        return cleaned

    def _get_validation_exclusions(self):
        # An edited term keeps its chamber (not a field then); its number is still checked against the chamber's.
        return super()._get_validation_exclusions() - {"chamber"}


class PositionForm(ModelForm):
    """A position on a term's page: person, title, optional committee, dates. The person is chosen with
    the person picker (it searches `members:pick_persons`, the user's scope) and must be one of the
    term's federation's persons."""

    class Meta:
        model = Position
        fields = ["person", "title", "committee", "start", "end"]

    def __init__(self, *args, user, term, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.term = term
        self.fields["person"] = AutocompleteField(
            selectors.persons_for_positions(user, term.federation), url=reverse_lazy("members:pick_persons"),
            noun="人员", label=self.fields["person"].label, placeholder="输入姓名或拼音首字母",
            error_messages={"invalid_choice": "请从列表中选择本工商联的人员。"})
        self.fields["committee"].queryset = selectors.committees_editable_by(user).filter(federation=term.federation)
        self.fields["committee"].empty_label = "（不属于专门委员会）"
        self.fields["committee"].required = False
        for name in ("start", "end"):
            self.fields[name].widget = DateInput()
            self.fields[name].error_messages.update(DATE_ERRORS)
