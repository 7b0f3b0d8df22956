"""Forms of the rules library: the list's search form, a rule (with its first version when it is new), a new
version, 废止, and the choice of two versions to compare. They parse what was typed; `services.rules` checks every
rule again and writes."""

from django import forms

from shanglian.common.forms import Form, ModelChoiceField, date_field

from ..models import Rule
from ..selectors.rules import ADOPTING_BODIES, Status, resolution_candidates, resolution_label
from ..services.rules import MAX_NOTE, MAX_REASON, MAX_TEXT, MAX_TITLE


def _text(label, max_length, *, required=True, textarea=False, rows=4, placeholder="", **kwargs):
    attrs = {"placeholder": placeholder} if placeholder else {}
    widget = forms.Textarea(attrs={"rows": rows, **attrs}) if textarea else forms.TextInput(attrs=attrs)
    return forms.CharField(label=label, max_length=max_length, required=required, widget=widget, strip=True,
                           error_messages={"required": f"请填写{label}。",
                                           "max_length": f"{label}不能超过 {max_length} 字。"}, **kwargs)


class RuleSearchForm(Form):
    q = forms.CharField(label="关键词", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": "制度名称"}),
                        error_messages={"max_length": "关键词不能超过100个字。"})
    category = forms.ChoiceField(label="类别", required=False, choices=[("", "全部"), *Rule.Category.choices],
                                 widget=forms.HiddenInput, error_messages={"invalid_choice": "请选择有效的制度类别。"})
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *Status.CHOICES],
                               error_messages={"invalid_choice": "请选择有效的状态。"})
    on = date_field("查询日期", help_text="按该日的施行情况显示现行版本和状态，默认今天。")

    def filters(self):
        data = self.cleaned_data
        return {"q": data.get("q") or "", "category": data.get("category") or "", "status": data.get("status") or ""}


class _VersionFields(Form):
    """The fields of a version (a new rule's first one, or the next one)."""

    text = _text("制度条文", MAX_TEXT, textarea=True, rows=16,
                 help_text="每条一段；修订时在现行条文上修改，保存后可与前一版逐行对比。")
    adopted_by = forms.ChoiceField(label="审议通过机构", choices=[("", "请选择"), *ADOPTING_BODIES],
                                   error_messages={"required": "请选择审议通过机构。",
                                                   "invalid_choice": "请选择有效的审议通过机构。"})
    adopted_on = date_field("通过日期", required=True, error_messages={"required": "请填写通过日期。"})
    effective_from = date_field("施行日期", required=True, error_messages={"required": "请填写施行日期。"})
    resolution = ModelChoiceField(label="会议决议", queryset=None, required=False, empty_label="未关联",
                                  help_text="活动管理中已记录该次会议决议的，选择它；通过日期须为会议日期。",
                                  error_messages={"invalid_choice": "请选择本工商联会议通过的决议。"})
    note = _text("修订说明", MAX_NOTE, required=False, placeholder="如：根据新修订的章程调整第五条")

    def _scope_resolutions(self, user, federation_id):
        field = self.fields["resolution"]
        field.queryset = resolution_candidates(user, federation_id)
        field.label_from_instance = resolution_label

    def version_data(self):
        return {name: self.cleaned_data.get(name) for name in
                ("text", "adopted_by", "adopted_on", "effective_from", "resolution", "note")}


class RuleForm(_VersionFields):
    """A new rule with its first version; editing a rule shows only its name and category."""

    title = _text("制度名称", MAX_TITLE, placeholder="如：常务委员会工作规则")
    category = forms.ChoiceField(label="类别", choices=[("", "请选择"), *Rule.Category.choices],
                                 error_messages={"required": "请选择制度类别。", "invalid_choice": "请选择有效的制度类别。"})
    field_order = ["title", "category", "text", "adopted_by", "adopted_on", "effective_from", "resolution", "note"]

    def __init__(self, *args, user, instance=None, **kwargs):
        if instance is not None and not kwargs.get("initial"):
            kwargs["initial"] = {"title": instance.title, "category": instance.category}
        super().__init__(*args, **kwargs)
        self.instance = instance
        if instance is not None:
            for name in ("text", "adopted_by", "adopted_on", "effective_from", "resolution", "note"):
                del self.fields[name]
        else:
            self._scope_resolutions(user, user.federation_id)
            self.fields["note"].label = "说明"
            self.fields["note"].widget.attrs["placeholder"] = "如：经第三次会员代表大会审议通过"

    def rule_data(self):
        data = {"title": self.cleaned_data.get("title"), "category": self.cleaned_data.get("category")}
        if self.instance is None:
            data.update(self.version_data())
        return data


class VersionForm(_VersionFields):
    """The next version of a rule, its text started from the version now newest."""

    def __init__(self, *args, user, rule, **kwargs):
        latest = rule.versions.order_by("-version").first()
        if latest is not None and not kwargs.get("initial"):
            kwargs["initial"] = {"text": latest.text, "adopted_by": latest.adopted_by}
        super().__init__(*args, **kwargs)
        self._scope_resolutions(user, rule.federation_id)


class RepealForm(Form):
    repealed_on = date_field("废止日期", required=True, help_text="自该日起制度不再有效，历次版本保留备查。",
                             error_messages={"required": "请填写废止日期。"})
    reason = _text("废止原因", MAX_REASON, textarea=True, rows=3, placeholder="如：已被新修订的《财务管理制度》替代")

    def repeal_data(self):
        return {"repealed_on": self.cleaned_data.get("repealed_on"), "reason": self.cleaned_data.get("reason")}


class CompareForm(Form):
    """Two versions of one rule to compare (对比): their numbers."""

    older = forms.TypedChoiceField(label="版本", coerce=int, choices=(),
                                   error_messages={"required": "请选择要对比的版本。",
                                                   "invalid_choice": "请选择该制度的版本。"})
    newer = forms.TypedChoiceField(label="对比版本", coerce=int, choices=(),
                                   error_messages={"required": "请选择要对比的版本。",
                                                   "invalid_choice": "请选择该制度的版本。"})

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(v.version, f"第{v.version}版（{v.effective_from.isoformat()} 施行）") for v in versions]
        self.fields["older"].choices = choices
        self.fields["newer"].choices = choices

    def clean(self):
        data = super().clean()
        if data.get("older") is not None and data.get("older") == data.get("newer"):
            raise forms.ValidationError("请选择两个不同的版本进行对比。")
        return data
