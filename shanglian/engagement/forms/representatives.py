"""Forms of the representative-figures database: the two lists' search forms and a person's arrangement,
honour and cultivation-plan forms. They parse; the model's rules (`Arrangement.clean`: no end before the
start, no overlap with another arrangement of the same seat) run on the form and again in the service under
the person's lock (`services.representatives`)."""

from django import forms
from django.utils import timezone

from shanglian.common.forms import DateInput, Form, ModelChoiceField, ModelForm
from shanglian.common.models import DictItem
from shanglian.orgs.models import Position

from ..models import Arrangement, Cultivation, PersonHonour

DATE_ERRORS = {"invalid": "日期格式应为 2026-11-22。"}
ALL = [("", "全部")]
IN_FORCE_CHOICES = [("", "全部"), ("yes", "在任"), ("no", "不在任")]
YES_NO = [("", "全部"), ("yes", "是"), ("no", "否")]
FIRST_HONOUR_YEAR = 1949


def _dictionary(kind):
    return DictItem.objects.filter(kind=kind, is_active=True).order_by("order", "code")


class RepresentativeSearchForm(Form):
    q = forms.CharField(label="关键词", required=False, max_length=50,
                        widget=forms.TextInput(attrs={"placeholder": "姓名、拼音首字母或任职企业"}))
    kind = forms.ChoiceField(label="安排类别", required=False, choices=ALL + list(Arrangement.Kind.choices))
    level = forms.ChoiceField(label="层级", required=False, choices=ALL + list(Arrangement.Level.choices))
    in_force = forms.ChoiceField(label="政治安排在任", required=False, choices=IN_FORCE_CHOICES)
    new_generation = forms.ChoiceField(label="新生代企业家", required=False, choices=YES_NO)
    political_affiliation = ModelChoiceField(label="政治面貌", required=False, queryset=DictItem.objects.none(),
                                             empty_label="全部")
    education = ModelChoiceField(label="学历", required=False, queryset=DictItem.objects.none(), empty_label="全部")
    position = forms.ChoiceField(label="现任职务", required=False, choices=ALL + list(Position.Title.choices))
    scope = forms.ChoiceField(label="范围", required=False,
                              choices=[("", "代表人士数据库"), ("all", "全部非公经济人士（查找后添加）")])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["political_affiliation"].queryset = _dictionary("political_affiliation")
        self.fields["education"].queryset = _dictionary("education")


class ArrangementSearchForm(Form):
    q = forms.CharField(label="人士", required=False, max_length=50,
                        widget=forms.TextInput(attrs={"placeholder": "姓名、拼音首字母或任职企业"}))
    kind = forms.ChoiceField(label="安排类别", required=False, choices=ALL + list(Arrangement.Kind.choices))
    level = forms.ChoiceField(label="层级", required=False, choices=ALL + list(Arrangement.Level.choices))
    in_force = forms.ChoiceField(label="在任情况", required=False, choices=IN_FORCE_CHOICES)
    term = forms.CharField(label="届次", required=False, max_length=30,
                           widget=forms.TextInput(attrs={"placeholder": "如：第十七届"}))
    sector = forms.CharField(label="界别/代表团", required=False, max_length=50)


class ArrangementForm(ModelForm):
    """One arrangement of a person (the person is the page's): the model's `clean` refuses an end before the
    start and an overlap with another arrangement of the same seat, as the service does again."""

    class Meta:
        model = Arrangement
        fields = ["kind", "level", "role", "term", "sector", "start", "end", "note"]

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.person = person
        if self.instance.pk is None:
            self.instance.federation_id = person.federation_id
        for name in ("start", "end"):
            self.fields[name].widget = DateInput()
            self.fields[name].error_messages.update(DATE_ERRORS)
        self.fields["kind"].error_messages["required"] = "请选择安排类别。"
        self.fields["level"].error_messages["required"] = "请选择层级。"
        self.fields["term"].error_messages["required"] = "请填写届次。"
        self.fields["start"].error_messages["required"] = "请填写起始日期。"

    def service_fields(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class HonourForm(ModelForm):
    class Meta:
        model = PersonHonour
        fields = ["title", "conferred_by", "year"]

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.person = person
        self.instance.federation_id = person.federation_id
        this_year = timezone.localdate().year
        self.fields["year"] = forms.IntegerField(
            label="年度", min_value=FIRST_HONOUR_YEAR, max_value=this_year, initial=this_year,
            error_messages={"required": "请填写年度。", "invalid": "年度应为四位数字，如 2025。",
                            "min_value": f"年度不能早于 {FIRST_HONOUR_YEAR} 年。", "max_value": "年度不能晚于今年。"})
        self.fields["title"].error_messages["required"] = "请填写荣誉名称。"

    def service_fields(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class CultivationForm(ModelForm):
    class Meta:
        model = Cultivation
        fields = ["plan", "start", "end", "status", "note"]

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.person = person
        if self.instance.pk is None:
            self.instance.federation_id = person.federation_id
        plans = DictItem.objects.filter(kind="cultivation_plan")
        current = self.instance.plan_id
        plans = plans.filter(is_active=True) | plans.filter(pk=current) if current else plans.filter(is_active=True)
        self.fields["plan"] = ModelChoiceField(
            label="培养计划", queryset=plans.order_by("order", "code"), empty_label="请选择",
            error_messages={"required": "请选择培养计划。", "invalid_choice": "请选择有效的培养计划。"})
        for name in ("start", "end"):
            self.fields[name].widget = DateInput()
            self.fields[name].error_messages.update(DATE_ERRORS)
        self.fields["start"].error_messages["required"] = "请填写入选日期。"

    def service_fields(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
