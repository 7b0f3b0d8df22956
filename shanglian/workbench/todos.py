"""The shell's own 待办, about accounts: those locked out. It concerns `accounts`, which sits below the
UI kit and so registers nothing itself (the advice to set up a second factor is a notice: notices.py)."""

from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from shanglian.accounts.roles import Role, role_of
from shanglian.ui.todos import Todo, register


@register
def security_todos(user):
    if role_of(user) == Role.SYSADMIN:
        locked = AccessAttempt.objects.filter(
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
            attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME,
        ).count()
        if locked:
            yield Todo("锁定中的账户", locked, reverse("admin:axes_accessattempt_changelist"), "danger")
