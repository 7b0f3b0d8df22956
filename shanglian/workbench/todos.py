"""The shell's own 待办, about the user's account: a second factor to set up, accounts locked out. They
concern `accounts`, which sits below the UI kit and so registers nothing itself."""

from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django_otp import user_has_device

from shanglian.accounts.roles import BACK_OFFICE_ROLES, SEPARATED_ROLES, Role, role_of
from shanglian.ui.todos import Todo, register


@register
def security_todos(user):
    role = role_of(user)
    # Advised to the back-office roles outside 三员分立: the sysadmin must set a second factor up anyway
    # (settings.OTP_REQUIRED_ROLES); the auditor is not required to and is not advised here either.
    if role in BACK_OFFICE_ROLES - SEPARATED_ROLES and not user_has_device(user):
        yield Todo("建议启用双因素认证", 1, reverse("accounts:otp_setup"), "info")
    if role == Role.SYSADMIN:
        locked = AccessAttempt.objects.filter(
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
            attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME,
        ).count()
        if locked:
            yield Todo("锁定中的账户", locked, reverse("admin:axes_accessattempt_changelist"), "danger")
