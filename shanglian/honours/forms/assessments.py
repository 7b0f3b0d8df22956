"""Forms of the chamber assessments' pages. They parse (and refuse what cannot be parsed, in Chinese); the rules are
the services' (`services/assessments.py`), whose `ValidationError`s the pages put back onto these forms. Every
chamber offered comes from the user's scope."""

from django import forms
from django.utils import timezone

from shanglian.accounts.roles import EDITOR_ROLES, Role, role_of
from shanglian.common.forms import FILES_HELP, Form, ModelChoiceField, MultipleFileField
from shanglian.orgs.models import Chamber
from shanglian.orgs.selectors import chambers_in_scope

from ..models import Assessment, AssessmentItem
from ..schemes import FIVE_GOOD, FIVE_HAVE
from ..selectors.assessments import creatable_chambers
from ..services.assessments import FIRST_YEAR, MAX_NOTE, MAX_REASON, MAX_REMARK

ALL = [("", "全部")]


def year_field(*, required, initial=None):
    """An assessment's year, from `services.assessments.FIRST_YEAR` to next year."""
    last = timezone.localdate().year + 1
    between = f"年度应在 {FIRST_YEAR} 年至 {last} 年之间。"
    return forms.IntegerField(
        label="年度", required=required, min_value=FIRST_YEAR, max_value=last, initial=initial,
        widget=forms.NumberInput(attrs={"placeholder": "如：2025", "min": FIRST_YEAR, "max": last}),
        error_messages={"required": "请填写年度。", "invalid": "年度应为四位数字，如 2025。",
                        "min_value": between, "max_value": between})


def _chamber_field(*, required=False, empty_label="全部"):
    """A chamber of the user's scope (the form's `__init__` sets the queryset)."""
    return ModelChoiceField(label="商会", queryset=None, required=required, empty_label=empty_label,
                            error_messages={"invalid_choice": "所选商会不存在或不在您的管理范围内。",
                                            "required": "请选择商会。"})


# --- the lists -----------------------------------------------------------------------------------------------------
class AssessmentSearchForm(Form):
    q = forms.CharField(label="商会/工商联", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": "请输入名称"}))
    scheme = forms.ChoiceField(label="评估类别", required=False, choices=ALL + Assessment.Scheme.choices)
    year = forms.IntegerField(label="年度", required=False)  # bounded in __init__
    status = forms.ChoiceField(label="状态", required=False, choices=ALL + Assessment.Status.choices)
    item = forms.ChoiceField(label="含条目", required=False, choices=ALL + [
        (AssessmentItem.Status.PENDING, "有待核实的条目"), (AssessmentItem.Status.RETURNED, "有退回补充的条目")])

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"] = year_field(required=False)


class ItemSearchForm(Form):
    status = forms.ChoiceField(label="核实状态", required=False, choices=ALL + AssessmentItem.Status.choices)
    assessment_status = forms.ChoiceField(label="评估状态", required=False, choices=ALL + Assessment.Status.choices)
    scheme = forms.ChoiceField(label="评估类别", required=False, choices=ALL + Assessment.Scheme.choices)
    year = forms.IntegerField(label="年度", required=False)
    chamber = _chamber_field()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"] = year_field(required=False)
        self.fields["chamber"].queryset = chambers_in_scope(user).order_by("name", "id")


class ComplianceForm(Form):
    year = forms.IntegerField(label="年度", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"] = year_field(required=False, initial=timezone.localdate().year)

    def chosen_year(self):
        """The year asked for (this year when none or an invalid one is given; the form shows why)."""
        if self.is_bound and self.is_valid() and self.cleaned_data.get("year"):
            return self.cleaned_data["year"]
        return timezone.localdate().year


# --- create ----------------------------------------------------------------------------------------------------------
class AssessmentForm(Form):
    """新建评估: the scheme, the year and — for 五有/四好 — the chamber. A chamber secretary is offered its own
    chamber only (and the 五有 only when it is a township chamber); 五好 (the federation's) only to the editors."""

    scheme = forms.ChoiceField(label="评估类别", choices=(), error_messages={"required": "请选择评估类别。",
                                                                        "invalid_choice": "所选评估类别不可用。"})
    year = forms.IntegerField(label="年度")
    chamber = _chamber_field(empty_label="请选择")
    note = forms.CharField(label="说明", required=False, max_length=MAX_NOTE, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        role = role_of(user)
        chambers = creatable_chambers(user).order_by("name", "id")
        schemes = list(Assessment.Scheme.choices)
        if role not in EDITOR_ROLES:
            schemes = [(key, label) for key, label in schemes if key != FIVE_GOOD.key]
        if role == Role.CHAMBER:
            own = chambers.first()
            if own is None or own.kind != Chamber.Kind.STREET:
                schemes = [(key, label) for key, label in schemes if key != FIVE_HAVE.key]
            self.fields["chamber"].initial = own.pk if own else None
        self.fields["scheme"].choices = [("", "请选择"), *schemes]
        self.fields["year"] = year_field(required=True, initial=timezone.localdate().year)
        self.fields["chamber"].queryset = chambers
        self.fields["chamber"].help_text = ("“五有”只适用于街道（镇）商会；“五好”工商联自查属于本工商联，不选商会。"
                                            if role in EDITOR_ROLES else "")

    def service_kwargs(self):
        data = self.cleaned_data
        return {"scheme": data["scheme"], "year": data["year"], "chamber": data.get("chamber"),
                "note": data.get("note") or ""}


# --- one item ----------------------------------------------------------------------------------------------------------
MET_CHOICES = [("yes", "达标"), ("no", "未达标")]


class ItemForm(Form):
    """The keeper's claim of one item: 达标/未达标 (五有) or a score (四好、五好), the evidence note and files."""

    met = forms.ChoiceField(label="是否达标", choices=MET_CHOICES, widget=forms.RadioSelect,
                            error_messages={"required": "请选择是否达标。", "invalid_choice": "请选择达标或未达标。"})
    score = forms.DecimalField(label="自评得分")  # bounded by the item's maximum in __init__
    note = forms.CharField(label="佐证说明", required=False, max_length=MAX_NOTE,
                           widget=forms.Textarea(attrs={"rows": 5}))
    files = MultipleFileField(label="佐证材料", help_text=FILES_HELP)

    def __init__(self, *args, item, spec, **kwargs):
        row = item
        initial = {"note": row.note}
        if spec.max_score:
            initial["score"] = row.score
        elif row.met is not None:
            initial["met"] = "yes" if row.met else "no"
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.spec = spec
        if spec.max_score:
            del self.fields["met"]
            between = f"得分应在 0 至 {spec.max_score} 分之间。"
            self.fields["score"] = forms.DecimalField(
                label=f"自评得分（满分 {spec.max_score} 分）", min_value=0, max_value=spec.max_score, max_digits=6,
                decimal_places=2, widget=forms.NumberInput(attrs={"min": 0, "max": spec.max_score, "step": "0.01"}),
                error_messages={"required": "请填写自评得分。", "invalid": "得分应为数字。", "min_value": between,
                                "max_value": between, "max_decimal_places": "得分最多保留两位小数。",
                                "max_digits": between, "max_whole_digits": between})
            self.order_fields(["score", "note", "files"])
        else:
            del self.fields["score"]
        self.fields["note"].help_text = f"佐证要求：{spec.guide}。佐证说明与佐证材料至少提供一项。"

    def service_kwargs(self):
        data = self.cleaned_data
        kwargs = {"note": data.get("note") or "", "files": data.get("files") or []}
        if "met" in self.fields:
            kwargs["met"] = data.get("met") == "yes"
        else:
            kwargs["score"] = data.get("score")
        return kwargs


class VerifyForm(Form):
    """Staff's check of one item."""

    result = forms.ChoiceField(label="核实结果", widget=forms.RadioSelect, choices=[
        (AssessmentItem.Status.VERIFIED, "已核实"), (AssessmentItem.Status.RETURNED, "退回补充")],
        error_messages={"required": "请选择核实结果。", "invalid_choice": "请选择已核实或退回补充。"})
    remark = forms.CharField(label="核实意见", required=False, max_length=MAX_REMARK,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="退回补充时必填：说明需要补充的佐证。")


class ReturnForm(Form):
    """退回 (ASSESSMENT_FLOW's return_assessment): the reason, required."""

    reason = forms.CharField(label="退回原因", max_length=MAX_REASON, widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "请填写退回原因。"})

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
