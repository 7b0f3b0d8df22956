"""Forms of the notices part: the staff list's search, 起草/编辑通知 (title, rich-text body, the audience, SMS copy,
attachments added or removed), 撤回 (the reason) and the receipts' filter. They parse what was typed;
`services.notices` checks every rule again and writes."""

from django import forms

from shanglian.accounts.roles import Role, role_of
from shanglian.common.forms import (
    FILES_HELP,
    Form,
    ModelMultipleChoiceField,
    MultipleFileField,
    date_field,
)
from shanglian.orgs.selectors import chambers_in_scope

from ..models import Audience, Notice, NoticeAttachment
from ..selectors.notices import RECIPIENT_STATES
from .audience import AudienceFields

MAX_REASON = 200


class NoticeSearchForm(Form):
    q = forms.CharField(label="关键词", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": "标题或编号"}))
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *Notice.Status.choices])
    audience = forms.ChoiceField(label="发送对象", required=False, choices=[("", "全部"), *Audience.choices])
    sender = forms.ChoiceField(label="发送方", required=False, choices=[("", "全部")])
    sent_from = date_field("发送日期自")
    sent_to = date_field("发送日期至")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if role_of(user) == Role.CHAMBER:
            del self.fields["sender"]
        else:
            chambers = chambers_in_scope(user).order_by("name").values_list("pk", "name")
            self.fields["sender"].choices = [("", "全部"), ("federation", "工商联"),
                                             *[(str(pk), name) for pk, name in chambers]]
            self.fields["sender"].error_messages["invalid_choice"] = "所选发送方不在您的查看范围内。"

    def clean(self):
        data = super().clean()
        if data.get("sent_from") and data.get("sent_to") and data["sent_to"] < data["sent_from"]:
            self.add_error("sent_to", "结束日期不能早于开始日期。")
        return data


class NoticeForm(AudienceFields, Form):
    """起草通知 / 编辑草稿."""

    title = forms.CharField(label="标题", max_length=100,
                            error_messages={"required": "请填写标题。", "max_length": "标题不能超过 100 字。"})
    body = forms.CharField(label="正文", max_length=20000,
                           widget=forms.Textarea(attrs={"rows": 12, "data-richtext": ""}),
                           help_text="可直接输入文字（空行分段），也可粘贴带格式的内容；仅保留段落、加粗、列表、链接和表格。",
                           error_messages={"required": "请填写正文。", "max_length": "正文过长（上限 20000 字符）。"})
    sms_copy = forms.BooleanField(label="同时发送短信", required=False,
                                  help_text="短信只含发送方和标题，提示收件人登录商联通查看；没有企业的人士只能收到短信。")
    files = MultipleFileField(label="附件", help_text=FILES_HELP + "每个通知最多 10 个附件。")
    remove = ModelMultipleChoiceField(label="删除附件", required=False, queryset=NoticeAttachment.objects.none(),
                                      widget=forms.CheckboxSelectMultiple,
                                      error_messages={"invalid_choice": "所选附件不属于该通知。",
                                                      "invalid_pk_value": "所选附件不属于该通知。"})

    SECTIONS_HEADINGS = (("通知内容", ["title", "body"]),
                         ("发送对象", ["audience", "chamber_audience", "committee", "working_group", "event",
                                   "saved_filter", "sms_copy"]),
                         ("附件", ["files", "remove"]))

    def __init__(self, *args, user, instance=None, **kwargs):
        if instance is not None:
            kwargs.setdefault("initial", {
                "title": instance.title, "body": instance.body, "sms_copy": instance.sms_copy,
                "audience": instance.audience, "chamber_audience": instance.chamber_audience_id,
                "committee": instance.committee_id, "working_group": instance.working_group_id,
                "event": instance.event_id, "saved_filter": instance.saved_filter_id})
        super().__init__(*args, **kwargs)
        self.instance = instance
        self.scope_audience(user)
        attachments = instance.attachments.order_by("id") if instance is not None else NoticeAttachment.objects.none()
        self.fields["remove"].queryset = attachments
        if instance is None or not attachments.exists():
            del self.fields["remove"]

    @property
    def sections(self):
        return [(heading, [n for n in names if n in self.fields]) for heading, names in self.SECTIONS_HEADINGS]

    def service_kwargs(self):
        data = self.cleaned_data
        return {"title": data["title"], "body": data["body"], "sms_copy": data.get("sms_copy", False),
                **self.audience_data(), "files": data.get("files") or [],
                "remove": [a.pk for a in data.get("remove") or []]}


class WithdrawForm(Form):
    """撤回通知: the reason (kept with the notice; the recipients no longer see it)."""

    reason = forms.CharField(label="撤回原因", max_length=MAX_REASON,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "请填写撤回原因。",
                                             "max_length": f"撤回原因不能超过 {MAX_REASON} 字。"})

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


class RecipientSearchForm(Form):
    q = forms.CharField(label="名称", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": "企业名称或人士姓名"}))
    state = forms.ChoiceField(label="阅读情况", required=False, choices=[("", "全部"), *RECIPIENT_STATES.items()])



class AudiencePreviewForm(AudienceFields, Form):
    """The audience fields alone, read from the notice form as it is being filled (预览接收人)."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope_audience(user)
