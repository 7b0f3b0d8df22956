from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm

from shanglian.audit.models import AuditAction
from shanglian.common.forms import Form
from shanglian.common.validators import validate_mobile

from .sms_login import validate_code_format


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码错误。连续失败 5 次，账户将被锁定 15 分钟。",
        "inactive": "该账户已停用，请联系系统管理员。",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"
        self.fields["username"].widget.attrs.update({"placeholder": "请输入用户名", "autocomplete": "username"})
        self.fields["password"].widget.attrs.update({"placeholder": "请输入密码", "autocomplete": "current-password"})


class OTPTokenForm(Form):
    token = forms.CharField(
        label="动态口令", min_length=6, max_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "placeholder": "6 位数字"}),
        error_messages={"required": "请输入动态口令。", "min_length": "动态口令为 6 位数字。",
                        "max_length": "动态口令为 6 位数字。"},
    )

    def clean_token(self):
        token = self.cleaned_data["token"].strip()
        if not token.isdigit():
            raise forms.ValidationError("动态口令为 6 位数字。")
        return token


class SmsLoginForm(Form):
    """Mobile + SMS code. `for_sending=True` (获取验证码) asks for the mobile only."""

    mobile = forms.CharField(
        label="手机号", max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "placeholder": "请输入手机号"}),
        error_messages={"required": "请输入手机号。"},
    )
    code = forms.CharField(
        label="验证码", max_length=6, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "placeholder": "6 位数字", "maxlength": "6"}),
    )

    def __init__(self, *args, for_sending=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.for_sending = for_sending

    def clean_mobile(self):
        return validate_mobile(self.cleaned_data["mobile"])

    def clean_code(self):
        code = self.cleaned_data.get("code", "")
        if self.for_sending:
            return code
        if not code.strip():
            raise forms.ValidationError("请输入短信验证码。")
        return validate_code_format(code)


class ThrottledPasswordChangeForm(PasswordChangeForm):
    """修改密码: the old password is checked through `services.verify_reauth_password` (failures audited,
    throttled); the new one by the password rules, history included."""

    def clean_old_password(self):
        from .services import verify_reauth_password

        old_password = self.cleaned_data["old_password"]
        verify_reauth_password(actor=self.user, password=old_password, action=AuditAction.PASSWORD_CHANGE,
                               obj=self.user, wrong_message="原密码错误，请重新输入。")
        return old_password
