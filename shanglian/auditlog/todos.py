from datetime import datetime, time

from django.urls import reverse
from django.utils import timezone

from shanglian.accounts.roles import Role, role_of
from shanglian.audit.models import AuditAction
from shanglian.ui.todos import Todo, register

from .selectors import audit_events_since


@register
def security_events(user):
    if role_of(user) != Role.AUDITOR:
        return
    today = timezone.localdate()
    since = timezone.make_aware(datetime.combine(today, time.min))  # what the list's 开始日期 means
    recent = audit_events_since(user, since)
    for action, label, level in (
        (AuditAction.LOGIN_FAILED, "今日登录失败", "warning"),
        (AuditAction.LOCKOUT, "今日账户锁定", "danger"),
        (AuditAction.DENIED, "今日越权访问", "danger"),
    ):
        count = recent.filter(action=action).count()
        if count:
            yield Todo(label, count, f"{reverse('audit:event_list')}?action={action.value}&start={today.isoformat()}", level)
