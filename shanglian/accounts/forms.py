from django import forms
from django.contrib.auth.forms import AuthenticationForm


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


class OTPTokenForm(forms.Form):
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
