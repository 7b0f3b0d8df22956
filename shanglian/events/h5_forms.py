"""Forms of the invitee's phone pages. They only parse; `services` checks and writes."""

from django import forms

from shanglian.common.forms import Form, ModelChoiceField

from .models import Feedback
from .services import MAX_NONCE, Answer
from .tokens import MAX_LENGTH

ANSWER_CHOICES = [(Answer.ACCEPT, "参加"), (Answer.DECLINE, "不参加"), (Answer.SUBSTITUTE, "代为参加")]


class RsvpForm(Form):
    answer = forms.ChoiceField(label="回复", choices=ANSWER_CHOICES, widget=forms.RadioSelect,
                               error_messages={"required": "请选择参加、不参加或代为参加。",
                                               "invalid_choice": "请选择参加、不参加或代为参加。"})
    substitute_name = forms.CharField(
        label="代参加人姓名", required=False, max_length=50,
        error_messages={"max_length": "代参加人姓名不能超过50个字。"},
        widget=forms.TextInput(attrs={"maxlength": 50, "autocomplete": "name", "placeholder": "选“代为参加”时填写"}))


class FeedbackForm(Form):
    score = forms.TypedChoiceField(label="总体评价", coerce=int, choices=Feedback._meta.get_field("score").choices,
                                   widget=forms.RadioSelect,
                                   error_messages={"required": "请选择总体评价。", "invalid_choice": "请选择总体评价。"})
    useful = forms.CharField(label="最有收获的内容", required=False, max_length=1000,
                             error_messages={"max_length": "反馈内容不能超过1000字。"},
                             widget=forms.Textarea(attrs={"rows": 3, "maxlength": 1000}))
    suggestion = forms.CharField(label="意见建议", required=False, max_length=1000,
                                 error_messages={"max_length": "反馈内容不能超过1000字。"},
                                 widget=forms.Textarea(attrs={"rows": 3, "maxlength": 1000}))


class CheckInForm(Form):
    """The decoded text of the posted 签到码 (filled in by the scanner, or pasted/typed without script), the
    scan's nonce (one per scan: the same form posted twice is answered once), and — when the enterprise has
    several invitees at the event — which of them checks in."""

    payload = forms.CharField(label="签到码内容", max_length=MAX_LENGTH * 5, strip=True,
                              error_messages={"required": "请扫描会场张贴的签到码，或粘贴签到码内容。",
                                              "max_length": "无法识别的二维码，请扫描商联通请柬或签到码。"},
                              widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "off",
                                                            "spellcheck": "false", "placeholder": "SLE1:…"}))
    nonce = forms.CharField(required=False, max_length=MAX_NONCE, widget=forms.HiddenInput,
                            error_messages={"max_length": f"扫描标识无效（最多{MAX_NONCE}位字母、数字或连字符）。"})
    invitation = ModelChoiceField(label="签到人", required=False, queryset=None, widget=forms.RadioSelect,
                                  error_messages={"invalid_choice": "请选择本企业受邀参加该活动的签到人。"})

    def __init__(self, *args, invitations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invitation"].queryset = invitations
