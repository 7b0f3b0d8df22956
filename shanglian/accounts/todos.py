from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django_otp import user_has_device

from shanglian.workbench.todos import Todo, register

from .roles import READER_ROLES, SEPARATED_ROLES, Role, role_of


@register
def security_todos(user):
    role = role_of(user)
    # the back-office readers; the separated roles are held to a second factor already
    if role in READER_ROLES - SEPARATED_ROLES and not user_has_device(user):
        yield Todo("建议启用双因素认证", 1, reverse("accounts:otp_setup"), "info")
    if role == Role.SYSADMIN:
        locked = AccessAttempt.objects.filter(
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
            attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME,
        ).count()
        if locked:
            yield Todo("锁定中的账户", locked, reverse("admin:axes_accessattempt_changelist"), "danger")
