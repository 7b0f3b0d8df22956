"""Forms of the staff and department pages. They only parse; the services check and write."""

from django import forms

from shanglian.common.forms import (
    FILES_HELP,
    Form,
    ModelChoiceField,
    ModelMultipleChoiceField,
    MultipleFileField,
    date_field,
)
from shanglian.common.pickers import ChecklistPicker
from shanglian.common.validators import validate_mobile
from shanglian.members.pickers import EnterpriseField
from shanglian.orgs.models import Department

from .models import (
    DEPARTMENT_QUEUES,
    QUEUES,
    AppealCategory,
    Channel,
    MediationResult,
    Rating,
    Status,
    Urgency,
)


class AppealSearchForm(Form):
    q = forms.CharField(label="诉求", required=False,
                        widget=forms.TextInput(attrs={"placeholder": "编号、标题或企业名称"}))
    category = ModelChoiceField(label="类别", required=False, queryset=AppealCategory.objects.all(),
                                      empty_label="全部")
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部")] + list(Status.choices))
    department = ModelChoiceField(label="承办部门", required=False, queryset=Department.objects.none(),
                                        empty_label="全部")
    supervised = forms.BooleanField(label="仅督办", required=False)
    queue = forms.ChoiceField(required=False, choices=list({**QUEUES, **DEPARTMENT_QUEUES}.items()),
                              widget=forms.HiddenInput)

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        if departments is None:
            del self.fields["department"]
        else:
            self.fields["department"].queryset = departments


class AppealCreateForm(Form):
    """The desk registers an appeal taken by phone, visit, event or letter."""

    enterprise = EnterpriseField(label="企业", help_text="输入名称中的几个字、拼音首字母或统一社会信用代码，从列表中选择。")
    channel = forms.ChoiceField(label="来源渠道", choices=Channel.choices, initial=Channel.PHONE)
    category = ModelChoiceField(label="诉求类别", queryset=AppealCategory.objects.filter(is_active=True),
                                      empty_label="请选择", error_messages={"required": "请选择诉求类别。"})
    urgency = forms.ChoiceField(label="紧急程度", choices=Urgency.choices, initial=Urgency.NORMAL)
    title = forms.CharField(label="诉求标题", max_length=100, error_messages={"required": "请填写诉求标题。"})
    content = forms.CharField(label="诉求内容", widget=forms.Textarea(attrs={"rows": 6}),
                              error_messages={"required": "请填写诉求内容。"})
    contact_name = forms.CharField(label="联系人", max_length=50, required=False)
    contact_mobile = forms.CharField(label="联系电话", max_length=20, required=False,
                                     help_text="11位手机号码；不填则使用企业登记的联系人手机。",
                                     widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))
    source_note = forms.CharField(label="来源活动/走访", max_length=200, required=False,
                                  help_text="如：2026年11月民营企业诉求恳谈会")
    counterpart = forms.CharField(label="对方当事人", max_length=200, required=False, help_text="维权案件必填")
    amount_involved = forms.DecimalField(label="涉及金额（元）", required=False, min_value=0, max_digits=14,
                                         decimal_places=2)
    files = MultipleFileField(label="附件", help_text=FILES_HELP)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].scope_to(user)

    def clean_contact_mobile(self):
        return clean_mobile(self.cleaned_data["contact_mobile"])


def clean_mobile(value):
    """An optional mobile: "" stays "", anything else must be a valid mobile (returned normalised)."""
    return validate_mobile(value) if (value or "").strip() else ""


# The desk's two kinds of words on 受理 and 派单, labelled where they are typed: the enterprise reads
# the first in its 我的诉求; the second stays with the federation and the departments.
PUBLIC_NOTE_LABEL = "给企业的说明（企业可见）"
PUBLIC_NOTE_HELP = "企业在“我的诉求”中会看到这段话。"
INTERNAL_NOTE_LABEL = "内部意见（仅内部可见）"
INTERNAL_NOTE_HELP = "仅工商联工作人员和承办部门可见，企业看不到。"


def public_note_field():
    return forms.CharField(label=PUBLIC_NOTE_LABEL, help_text=PUBLIC_NOTE_HELP, max_length=500, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


def internal_note_field():
    return forms.CharField(label=INTERNAL_NOTE_LABEL, help_text=INTERNAL_NOTE_HELP, max_length=500,
                           required=False, widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(Form):
    note = forms.CharField(label="意见", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DeskNoteForm(Form):
    """受理: the desk's words to the enterprise and its internal note, separately."""

    public_note = public_note_field()
    internal_note = internal_note_field()


class ReasonForm(Form):
    reason = forms.CharField(label="理由", max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "请填写理由。"})


class _Labelled:
    """A shared form with its fields labelled for one action: whether the enterprise will read them."""

    labels = {}  # field name → (label, help text)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (label, help_text) in self.labels.items():
            self.fields[name].label, self.fields[name].help_text = label, help_text


class RejectForm(_Labelled, ReasonForm):
    labels = {"reason": ("不予受理理由（企业可见）", "企业会看到这段理由。")}


class ReturnForm(_Labelled, ReasonForm):
    labels = {"reason": ("退回理由（仅内部可见）", "工商联据此重新派单，企业看不到。")}


class ReopenForm(_Labelled, ReasonForm):
    labels = {"reason": ("重办理由（企业可见）", "承办部门和企业都会看到这段理由。")}


class SignForm(_Labelled, NoteForm):
    labels = {"note": ("签收意见（仅内部可见）", INTERNAL_NOTE_HELP)}


class SuperviseForm(_Labelled, NoteForm):
    labels = {"note": ("督办意见（仅内部可见）", INTERNAL_NOTE_HELP)}


class CloseForm(_Labelled, ReasonForm):
    """办结: the reason typed is the service's closing note."""

    labels = {"reason": ("办结说明（企业可见）", "企业会看到这段说明。")}

    def service_kwargs(self):
        return {"note": self.cleaned_data["reason"]}


def _department_words(department):
    """A department in the dispatch picker: its short name first (税务), the full name under it."""
    if department.short_name and department.short_name != department.name:
        return department.short_name, department.name, ""
    return department.name, "", ""


class DispatchForm(Form):
    departments = ModelMultipleChoiceField(
        label="承办部门", queryset=Department.objects.none(),
        widget=ChecklistPicker(describe=_department_words, suggested_label="推荐（同类诉求常派的部门）",
                               others_label="其他部门", placeholder="搜索部门名称或简称，如 税务、人社"),
        error_messages={"required": "请至少选择一个承办部门。", "invalid_choice": "承办部门不存在，请重新选择。",
                        "invalid_pk_value": "承办部门不存在，请重新选择。"},
    )
    deadline = date_field("办理期限", required=True, error_messages={"required": "请填写办理期限。"})
    public_note = public_note_field()
    internal_note = internal_note_field()

    def __init__(self, *args, departments=None, suggested=(), **kwargs):
        """`departments`: those the appeal may go to; `suggested`: ids shown first as 推荐, in order
        (`selectors.usual_departments(appeal)`)."""
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = departments if departments is not None else Department.objects.none()
        self.fields["departments"].widget.suggested = list(suggested)


class AcceptDispatchForm(DispatchForm):
    """受理并派单: the dispatch form (the same fields), accepting the appeal in the same step."""


class ExtensionRequestForm(Form):
    days = forms.IntegerField(label="延期（工作日）", min_value=1, max_value=30,
                              error_messages={"required": "请填写延期天数。", "invalid": "延期天数必须是整数。",
                                              "min_value": "延期天数至少 1 个工作日。",
                                              "max_value": "延期天数最多 30 个工作日。"})
    reason = forms.CharField(label="延期理由（仅内部可见）", max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": "请填写延期理由。"})


class ExtensionDecisionForm(Form):
    request = forms.TypedChoiceField(label="延期申请", coerce=int, choices=(),
                                     error_messages={"required": "请选择要审批的延期申请。",
                                                     "invalid_choice": "该延期申请已审批或不存在，请刷新页面。"})
    decision = forms.ChoiceField(label="审批", choices=[("approve", "同意"), ("deny", "不同意")],
                                 widget=forms.RadioSelect, error_messages={"required": "请选择同意或不同意。"})
    note = forms.CharField(label="审批意见（仅内部可见）", max_length=500, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}), help_text="企业看不到审批意见。")

    def __init__(self, *args, pending=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["request"].choices = [
            (r.pk, f"{r.assignment.department.name}：延期 {r.days} 个工作日（{r.reason}）") for r in pending]
        if len(self.fields["request"].choices) == 1:
            self.fields["request"].initial = pending[0].pk
            self.fields["request"].widget = forms.HiddenInput()

    def service_kwargs(self):
        data = self.cleaned_data
        return {"approve": data["decision"] == "approve", "note": data["note"], "request_id": data["request"]}


class ReplyForm(Form):
    reply = forms.CharField(label="答复内容", widget=forms.Textarea(attrs={"rows": 6}),
                            help_text="企业可见：企业在“我的诉求”中看到答复。",
                            error_messages={"required": "请填写答复内容。"})
    files = MultipleFileField(label="附件", help_text=FILES_HELP)


class CallbackRatingForm(Form):
    rating = forms.ChoiceField(label="回访评价", choices=Rating.choices, widget=forms.RadioSelect,
                               error_messages={"required": "请选择评价。"})
    comment = forms.CharField(label="回访记录（企业可见）", max_length=500, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}), help_text="企业在诉求进度中会看到回访记录。")


class RightsCaseForm(Form):
    counterpart = forms.CharField(label="对方当事人", max_length=200, error_messages={"required": "请填写对方当事人。"})
    amount_involved = forms.DecimalField(label="涉及金额（元）", required=False, min_value=0, max_digits=14,
                                         decimal_places=2)
    legal_aid_given = forms.BooleanField(label="已提供法律援助", required=False)
    mediation_result = forms.ChoiceField(label="调解结果", choices=MediationResult.choices, required=False)
