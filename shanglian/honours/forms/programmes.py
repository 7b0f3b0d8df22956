"""Forms of the programmes part: the list's search form, a programme, a category with its criteria (a formset, one
row per criterion) and a judge. They parse what was typed; `services.programmes` checks every rule again and
writes."""

from django import forms
from django.forms import BaseFormSet, formset_factory
from django.utils import timezone

from shanglian.common.forms import Form, ModelChoiceField, date_field
from shanglian.members.pickers import PersonField

from ..models import Programme
from ..selectors.programmes import judge_candidates
from ..services.programmes import (
    FIRST_YEAR,
    MAX_CATEGORY_NAME,
    MAX_CRITERION_DESCRIPTION,
    MAX_CRITERION_NAME,
    MAX_DESCRIPTION,
    MAX_JUDGE_NOTE,
    MAX_LIST_SIZE,
    MAX_MAX_SCORE,
    MAX_NAME,
    MAX_WEIGHT,
    last_year,
)


def year_field(*, required):
    last = last_year()
    between = f"年度应在 {FIRST_YEAR} 年至 {last} 年之间。"
    return forms.IntegerField(
        label="年度", required=required, min_value=FIRST_YEAR, max_value=last,
        widget=forms.NumberInput(attrs={"placeholder": "如：2025", "min": FIRST_YEAR, "max": last}),
        error_messages={"required": "请填写年度。", "invalid": "年度应为四位数字，如 2025。",
                        "min_value": between, "max_value": between})


class ProgrammeSearchForm(Form):
    q = forms.CharField(label="关键词", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": "评选名称"}))
    year = forms.IntegerField(label="年度", required=False)  # bounded in __init__ (next year moves)
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *Programme.Status.choices])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"] = year_field(required=False)

    def filters(self):
        data = self.cleaned_data
        return {"q": data.get("q") or "", "year": data.get("year"), "status": data.get("status") or ""}


class ProgrammeForm(Form):
    """新增/编辑 a programme (its state moves by the workflow's buttons, never here)."""

    name = forms.CharField(label="评选名称", max_length=MAX_NAME,
                           widget=forms.TextInput(attrs={"placeholder": "如：优秀民营企业10强评选"}),
                           error_messages={"required": "请填写评选名称。",
                                           "max_length": f"评选名称不能超过 {MAX_NAME} 字。"})
    year = forms.IntegerField(label="年度")  # bounded in __init__
    nomination_deadline = date_field("提名截止日期", help_text="设置后，过了这一天不能再提名；不填则至开始评审为止。")
    description = forms.CharField(label="评选说明", required=False, max_length=MAX_DESCRIPTION,
                                  widget=forms.Textarea(attrs={"rows": 5}),
                                  error_messages={"max_length": f"评选说明不能超过 {MAX_DESCRIPTION} 字。"})

    def __init__(self, *args, user=None, instance=None, **kwargs):
        if instance is not None and not kwargs.get("initial"):
            kwargs["initial"] = {"name": instance.name, "year": instance.year, "description": instance.description,
                                 "nomination_deadline": instance.nomination_deadline}
        super().__init__(*args, **kwargs)
        self.instance = instance
        self.fields["year"] = year_field(required=True)
        if instance is None:
            self.fields["year"].initial = timezone.localdate().year

    def programme_data(self):
        return {name: self.cleaned_data.get(name) for name in ("name", "year", "description", "nomination_deadline")}


# --- a category and its criteria --------------------------------------------------------------------------------
class CategoryForm(Form):
    name = forms.CharField(label="类别名称", max_length=MAX_CATEGORY_NAME,
                           widget=forms.TextInput(attrs={"placeholder": "如：依法纳税10强"}),
                           error_messages={"required": "请填写类别名称。",
                                           "max_length": f"类别名称不能超过 {MAX_CATEGORY_NAME} 字。"})
    list_size = forms.IntegerField(label="上榜名额", min_value=1, max_value=MAX_LIST_SIZE, initial=10,
                                   help_text="名次并列在最后一名时，上榜企业可多于名额。",
                                   error_messages={"required": "请填写上榜名额。", "invalid": "上榜名额应为整数。",
                                                   "min_value": "上榜名额至少为 1。",
                                                   "max_value": f"上榜名额不能超过 {MAX_LIST_SIZE}。"})
    order = forms.IntegerField(label="排序", required=False, min_value=0, max_value=32767, initial=0,
                               help_text="数字小的排在前面。",
                               error_messages={"invalid": "排序应为整数。", "min_value": "排序不能为负数。",
                                               "max_value": "排序不能超过 32767。"})

    def __init__(self, *args, instance=None, **kwargs):
        if instance is not None and not kwargs.get("initial"):
            kwargs["initial"] = {"name": instance.name, "list_size": instance.list_size, "order": instance.order}
        super().__init__(*args, **kwargs)

    def category_data(self):
        return {"name": self.cleaned_data.get("name"), "list_size": self.cleaned_data.get("list_size"),
                "order": self.cleaned_data.get("order") or 0}


class CriterionForm(Form):
    """One row of the criteria: an existing criterion (`pk`) or a new one; a blank new row is ignored."""

    pk = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
    name = forms.CharField(label="指标名称", required=False, max_length=MAX_CRITERION_NAME,
                           widget=forms.TextInput(attrs={"aria-label": "指标名称"}),
                           error_messages={"max_length": f"指标名称不能超过 {MAX_CRITERION_NAME} 字。"})
    weight = forms.DecimalField(label="权重", required=False, min_value=0, max_value=MAX_WEIGHT, max_digits=5,
                                decimal_places=2,
                                widget=forms.NumberInput(attrs={"step": "0.01", "min": "0.01", "placeholder": "如：30",
                                                                "aria-label": "权重"}),
                                error_messages={"invalid": "权重应为数字。", "min_value": "权重必须大于 0。",
                                                "max_value": f"权重不能超过 {MAX_WEIGHT}。",
                                                "max_digits": "权重最多 3 位整数、2 位小数。",
                                                "max_decimal_places": "权重最多两位小数。",
                                                "max_whole_digits": "权重最多 3 位整数。"})
    max_score = forms.IntegerField(label="满分", required=False, min_value=1, max_value=MAX_MAX_SCORE,
                                   widget=forms.NumberInput(attrs={"min": 1, "placeholder": "100", "aria-label": "满分"}),
                                   error_messages={"invalid": "满分应为整数。", "min_value": "满分至少为 1。",
                                                   "max_value": f"满分不能超过 {MAX_MAX_SCORE}。"})
    description = forms.CharField(label="评分说明", required=False, max_length=MAX_CRITERION_DESCRIPTION,
                                  widget=forms.TextInput(attrs={"aria-label": "评分说明"}),
                                  error_messages={"max_length": f"评分说明不能超过 {MAX_CRITERION_DESCRIPTION} 字。"})

    def is_blank(self):
        data = self.cleaned_data
        return not data.get("pk") and not any(data.get(name) not in (None, "") for name in
                                              ("name", "weight", "max_score", "description"))


class BaseCriterionFormSet(BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["DELETE"].widget.attrs["aria-label"] = "删除该指标"


CriterionFormSet = formset_factory(CriterionForm, formset=BaseCriterionFormSet, extra=0, can_delete=True,
                                   max_num=20, absolute_max=40, validate_max=True)

NEW_ROWS = 3


def criteria_formset(data=None, *, category=None):
    """The criteria of `category` (none for a new one) as rows, plus NEW_ROWS blank rows to add."""
    initial = [{"pk": c.pk, "name": c.name, "weight": c.weight, "max_score": c.max_score,
                "description": c.description} for c in category.criteria.order_by("order", "id")] if category else []
    initial += [{"max_score": 100} for _ in range(NEW_ROWS if initial else NEW_ROWS + 1)]
    return CriterionFormSet(data, initial=initial, prefix="criteria")


def criteria_rows(formset):
    """What `services.programmes.save_category` takes as `criteria`: every row but the blank new ones."""
    rows = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or form.is_blank():
            continue
        rows.append({"pk": data.get("pk"), "name": data.get("name"), "weight": data.get("weight"),
                     "max_score": data.get("max_score"), "description": data.get("description") or "",
                     "delete": bool(data.get("DELETE"))})
    return rows


# --- a judge -----------------------------------------------------------------------------------------------------
class JudgeForm(Form):
    user = ModelChoiceField(label="评审账号", queryset=None, empty_label="请选择",
                            help_text="本工商联的工作人员或领导账号。",
                            error_messages={"required": "请选择评审账号。",
                                            "invalid_choice": "请选择本工商联的工作人员或领导账号。"})
    person = PersonField(label="对应人士", required=False,
                         help_text="该评审委员在代表人士/会员库中的记录；据此判断其任职企业和商会，须回避相关提名。")
    note = forms.CharField(label="备注", required=False, max_length=MAX_JUDGE_NOTE,
                           error_messages={"max_length": f"备注不能超过 {MAX_JUDGE_NOTE} 字。"})

    def __init__(self, *args, user, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = judge_candidates(programme)
        self.fields["user"].label_from_instance = lambda u: (
            f"{u.display_name}（{u.get_username()}，{u.role_label}）" if u.display_name
            else f"{u.get_username()}（{u.role_label}）")
        self.fields["person"].scope_to(user)

    def judge_data(self):
        return {"user": self.cleaned_data["user"], "person": self.cleaned_data.get("person"),
                "note": self.cleaned_data.get("note") or ""}
