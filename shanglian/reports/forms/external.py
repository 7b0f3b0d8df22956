"""Forms of 外部指标: the values' search form, a value's form (新增/编辑) and an indicator's form. They parse; the
services (`services.external`) check every rule again, in the same words as the import."""

from django import forms

from shanglian.common.forms import Form, ModelChoiceField
from shanglian.orgs.models import Federation

from ..models import FIRST_YEAR, LAST_YEAR, ExternalIndicator, PeriodKind
from ..selectors.external import federations_of
from ..services.external import MONTHS, QUARTERS, YEARS, value_number
from ..values import plain

YEAR_ERRORS = {"invalid": "年份应为四位数字，如 2025。", "min_value": YEARS, "max_value": YEARS}


def year_field(*, required, help_text=""):
    return forms.IntegerField(label="年份", required=required, min_value=FIRST_YEAR, max_value=LAST_YEAR,
                              help_text=help_text, widget=forms.NumberInput(attrs={"placeholder": "如：2025"}),
                              error_messages={**YEAR_ERRORS, "required": "请填写年份。"})


def _federation_field(user, *, required, empty_label):
    """The federation chooser of a city's user (its own and its districts); None for a user of one federation."""
    federations = federations_of(user)
    if len(federations) < 2:
        return None
    return ModelChoiceField(label="所属工商联", required=required, queryset=federations, empty_label=empty_label,
                            error_messages={"invalid_choice": "所选工商联不存在或不在您的管理范围内。",
                                            "required": "请选择所属工商联。"})


class ExternalValueSearchForm(Form):
    indicator = ModelChoiceField(label="指标", required=False, empty_label="全部", queryset=ExternalIndicator.objects.none(),
                                 error_messages={"invalid_choice": "所选指标不存在，请重新选择。"})
    year = year_field(required=False)
    period_kind = forms.ChoiceField(label="期间类型", required=False, choices=[("", "全部"), *PeriodKind.choices],
                                    error_messages={"invalid_choice": "期间类型应为年度、季度或月度。"})

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = ExternalIndicator.objects.all()
        field = _federation_field(user, required=False, empty_label="全部")
        if field is not None:
            self.fields["federation"] = field

    def filters(self):
        data = self.cleaned_data
        return {"indicator": data["indicator"].pk if data.get("indicator") else None, "year": data.get("year"),
                "period_kind": data.get("period_kind") or "",
                "federation": data["federation"].pk if data.get("federation") else None}


class ExternalValueForm(Form):
    federation = ModelChoiceField(label="所属工商联", queryset=Federation.objects.none())  # a city's user only
    indicator = ModelChoiceField(label="指标", queryset=ExternalIndicator.objects.none(), empty_label="请选择",
                                 error_messages={"required": "请选择指标。",
                                                 "invalid_choice": "所选指标不存在或已停用。"})
    period_kind = forms.ChoiceField(label="期间类型", choices=PeriodKind.choices, initial=PeriodKind.YEAR,
                                    error_messages={"required": "请选择期间类型。",
                                                    "invalid_choice": "期间类型应为年度、季度或月度。"})
    year = year_field(required=True)
    number = forms.IntegerField(label="季度/月份", required=False,
                                help_text="季度数值填 1–4，月度数值填 1–12；年度数值留空。",
                                error_messages={"invalid": "季度/月份应为整数：季度 1–4，月份 1–12。"})
    value = forms.CharField(label="数值", max_length=40, error_messages={"required": "请填写数值。"},
                            help_text="按指标的单位填写，如 319.95；百分比指标可为负数（同比下降）。",
                            widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "如：319.95"}))
    source = forms.CharField(label="数据来源", required=False, max_length=60,
                             help_text="留空为该指标的默认数据来源。",
                             widget=forms.TextInput(attrs={"placeholder": "如：区统计局"}))
    note = forms.CharField(label="备注", required=False, max_length=200,
                           widget=forms.TextInput(attrs={"placeholder": "如：《2025年统计公报》"}))

    def __init__(self, *args, user, instance=None, **kwargs):
        self.instance = instance
        if instance is not None and not kwargs.get("initial"):
            kwargs["initial"] = {
                "federation": instance.federation_id, "indicator": instance.indicator_id,
                "period_kind": instance.period_kind, "year": instance.year,
                "number": instance.number or None, "value": str(plain(instance.value)), "source": instance.source,
                "note": instance.note}
        super().__init__(*args, **kwargs)
        active = ExternalIndicator.objects.filter(active=True)
        if instance is not None:
            active = ExternalIndicator.objects.filter(active=True) | ExternalIndicator.objects.filter(
                pk=instance.indicator_id)
        self.fields["indicator"].queryset = active.order_by("order", "id")
        self.fields["indicator"].label_from_instance = lambda i: f"{i.name}（{i.unit}）"
        field = _federation_field(user, required=True, empty_label=None)
        if field is None:
            del self.fields["federation"]
        else:
            self.fields["federation"] = field
            if instance is None:
                self.fields["federation"].initial = user.federation_id

    def clean(self):
        data = super().clean()
        kind, number = data.get("period_kind"), data.get("number")
        if kind == PeriodKind.QUARTER and number is not None and not 1 <= number <= 4:
            self.add_error("number", QUARTERS)
        elif kind == PeriodKind.MONTH and number is not None and not 1 <= number <= 12:
            self.add_error("number", MONTHS)
        indicator = data.get("indicator")
        if indicator is not None and data.get("value"):
            try:
                value_number(data["value"], unit=indicator.unit)
            except ValueError as exc:
                self.add_error("value", str(exc))
        return data

    def value_data(self):
        data = dict(self.cleaned_data)
        data.setdefault("federation", None)
        return data


class IndicatorForm(Form):
    code = forms.SlugField(label="指标代码", max_length=60,
                           help_text="小写英文字母、数字和下划线，以字母开头；创建后不能修改（指标目标、工作报告按代码引用）。",
                           error_messages={"required": "请填写指标代码。",
                                           "invalid": "指标代码只能由小写英文字母、数字和下划线组成。"},
                           widget=forms.TextInput(attrs={"placeholder": "如：tax_revenue"}))
    name = forms.CharField(label="指标名称", max_length=60, error_messages={"required": "请填写指标名称。"})
    unit = forms.CharField(label="单位", max_length=12, error_messages={"required": "请填写单位。"},
                           help_text="如 户、家、亿元、万元、%；只有单位为 % 的指标可录入负数。")
    definition = forms.CharField(label="口径", max_length=300, error_messages={"required": "请填写口径。"},
                                 widget=forms.Textarea(attrs={"rows": 3}),
                                 help_text="指标的统计范围和计算方法，显示在指标库和年度报告中。")
    source = forms.CharField(label="默认数据来源", max_length=60, error_messages={"required": "请填写默认数据来源。"},
                             widget=forms.TextInput(attrs={"placeholder": "如：区统计局"}))
    order = forms.IntegerField(label="排序", min_value=0, max_value=32767, initial=100,
                               error_messages={"required": "请填写排序。", "invalid": "排序应为整数。",
                                               "min_value": "排序不能小于 0。", "max_value": "排序不能大于 32767。"})
    active = forms.BooleanField(label="启用", required=False, initial=True,
                                help_text="停用的指标不再录入新数值，已录入的数值保留。")

    def __init__(self, *args, instance=None, **kwargs):
        self.instance = instance
        if instance is not None and not kwargs.get("initial"):
            kwargs["initial"] = {name: getattr(instance, name) for name in (
                "code", "name", "unit", "definition", "source", "order", "active")}
        super().__init__(*args, **kwargs)
        if instance is not None:
            del self.fields["code"]  # fixed once created

    def indicator_data(self):
        return dict(self.cleaned_data)


VALUE_SECTIONS = [("指标与期间", ["federation", "indicator", "period_kind", "year", "number"]),
                  ("数值与来源", ["value", "source", "note"])]


def value_sections(form):
    return [(heading, [name for name in names if name in form.fields]) for heading, names in VALUE_SECTIONS]
