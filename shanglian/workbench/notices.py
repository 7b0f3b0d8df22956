"""The shell's own advice on the 工作台: a second factor for the account."""

from django.urls import reverse
from django_otp import user_has_device

from shanglian.accounts.roles import BACK_OFFICE_ROLES, SEPARATED_ROLES, role_of
from shanglian.ui.notices import Notice, register


@register
def second_factor_advice(user):
    # Advised to the back-office roles outside 三员分立: the sysadmin must set a second factor up anyway
    # (settings.OTP_REQUIRED_ROLES); the auditor is not required to and is not advised here either.
    if role_of(user) in BACK_OFFICE_ROLES - SEPARATED_ROLES and not user_has_device(user):
        yield Notice("建议启用双因素认证（动态口令），登录时除密码外再验证一次，账户更安全。",
                     reverse("accounts:otp_setup"), "去设置")
