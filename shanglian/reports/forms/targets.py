"""Forms of the figures' catalogue (指标库's filter) and of the targets (指标目标, 商会覆盖率口径). They only parse;
`services.targets` checks and writes, and its `ValidationError`s come back onto these forms."""

from django import forms
from django.utils import timezone

from shanglian.common.forms import Form

from .. import values
from ..catalogue import choices
from ..models import FIRST_YEAR, LAST_YEAR, FigureTarget
from ..services.targets import THRESHOLD_MAX, THRESHOLD_MIN

NAME_LIMIT = 40


def _federation_choices(federations):
    return [("", "本级（含下级）"), *[(str(f.pk), f.short_name or f.name) for f in federations]]


class CatalogueFilterForm(Form):
    """指标库's filter beside the period form: an area, a part of a figure's name, and — for a federation with
    federations under it — one of them (`?federation=`, checked by `values.federation_asked`)."""

    area = forms.ChoiceField(label="指标领域", required=False)
    name = forms.CharField(label="指标名称", required=False, max_length=NAME_LIMIT,
                           widget=forms.TextInput(attrs={"placeholder": "如 会员、覆盖率"}),
                           error_messages={"max_length": f"指标名称不能超过 {NAME_LIMIT} 字。"})
    federation = forms.ChoiceField(label="工商联", required=False)

    def __init__(self, *args, federations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", "全部领域"), *values.AREAS.items()]
        self.fields["area"].error_messages["invalid_choice"] = "没有该指标领域。"
        if len(federations) > 1:
            self.fields["federation"].choices = _federation_choices(federations)
            self.fields["federation"].error_messages["invalid_choice"] = "没有该工商联。"
        else:
            del self.fields["federation"]

    def filters(self):
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {"area": data.get("area") or "", "name": (data.get("name") or "").strip()}


class TargetFilterForm(Form):
    year = forms.IntegerField(label="年度", required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR,
                              widget=forms.NumberInput(attrs={"placeholder": "如 2026", "inputmode": "numeric"}),
                              error_messages={"invalid": "请输入年份，如 2026。", "min_value": "年份不正确。",
                                              "max_value": "年份不正确。"})
    federation = forms.ChoiceField(label="工商联", required=False)

    def __init__(self, *args, federations=(), **kwargs):
        super().__init__(*args, **kwargs)
        if len(federations) > 1:
            self.fields["federation"].choices = _federation_choices(federations)
            self.fields["federation"].error_messages["invalid_choice"] = "没有该工商联。"
        else:
            del self.fields["federation"]

    def year_asked(self):
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return data.get("year") or timezone.localdate().year


class TargetForm(Form):
    key = forms.ChoiceField(label="指标", error_messages={"required": "请选择指标。", "invalid_choice": "没有该统计指标。"})
    year = forms.IntegerField(label="年度", min_value=FIRST_YEAR, max_value=LAST_YEAR,
                              widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                              error_messages={"required": "请填写年度。", "invalid": "请输入年份，如 2026。",
                                              "min_value": f"年份应在 {FIRST_YEAR}—{LAST_YEAR} 之间。",
                                              "max_value": f"年份应在 {FIRST_YEAR}—{LAST_YEAR} 之间。"})
    direction = forms.ChoiceField(label="方向", choices=FigureTarget.Direction.choices,
                                  error_messages={"required": "请选择方向。", "invalid_choice": "请选择方向（不低于或不高于）。"})
    value = forms.DecimalField(label="目标值", max_digits=20, decimal_places=4,
                               help_text="百分比指标填 0—100 之间的数，如 60 表示 60%。",
                               widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                               error_messages={"required": "请填写目标值。", "invalid": "目标值应为数字。",
                                               "max_digits": "目标值过大。", "max_decimal_places": "目标值最多保留四位小数。",
                                               "max_whole_digits": "目标值过大。"})
    note = forms.CharField(label="说明", required=False, max_length=200, widget=forms.Textarea(attrs={"rows": 2}),
                           error_messages={"max_length": "说明不能超过 200 字。"})

    def __init__(self, *args, instance=None, **kwargs):
        if instance is not None and not args and "initial" not in kwargs:
            kwargs["initial"] = {"key": instance.key, "year": instance.year, "direction": instance.direction,
                                 "value": values.plain(instance.value), "note": instance.note}
        elif instance is None and "initial" not in kwargs:
            kwargs["initial"] = {"year": timezone.localdate().year, "direction": FigureTarget.Direction.AT_LEAST}
        super().__init__(*args, **kwargs)
        self.fields["key"].choices = [("", "请选择指标"), *choices()]

    def target_data(self):
        data = self.cleaned_data
        return {"key": data["key"], "year": data["year"], "direction": data["direction"], "value": data["value"],
                "note": data.get("note", "")}


class CoverageThresholdForm(Form):
    threshold = forms.IntegerField(
        label="行业内民营企业不少于（家）", min_value=THRESHOLD_MIN, max_value=THRESHOLD_MAX,
        help_text="某一行业（国民经济行业分类大类）内本会登记的私营企业（不论是否会员）达到该数量，即计为“民营企业集聚行业”，"
                  "商会覆盖率按这些行业统计。",
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"required": "请填写家数。", "invalid": f"请输入 {THRESHOLD_MIN}—{THRESHOLD_MAX} 之间的整数。",
                        "min_value": f"请输入 {THRESHOLD_MIN}—{THRESHOLD_MAX} 之间的整数。",
                        "max_value": f"请输入 {THRESHOLD_MIN}—{THRESHOLD_MAX} 之间的整数。"})


__all__ = ["CatalogueFilterForm", "CoverageThresholdForm", "TargetFilterForm", "TargetForm"]
