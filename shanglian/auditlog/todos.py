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
    since = timezone.now() - timezone.timedelta(hours=24)
    today = timezone.localdate().isoformat()
    recent = audit_events_since(user, since)
    for action, label, level in (
        (AuditAction.LOGIN_FAILED, "近 24 小时登录失败", "warning"),
        (AuditAction.LOCKOUT, "近 24 小时账户锁定", "danger"),
        (AuditAction.DENIED, "近 24 小时越权访问", "danger"),
    ):
        count = recent.filter(action=action).count()
        if count:
            yield Todo(label, count, f"{reverse('audit:event_list')}?action={action.value}&start={today}", level)
