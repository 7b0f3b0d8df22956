from shanglian.accounts.roles import Role, require_role
from shanglian.audit.models import AuditEvent


def audit_events_visible_to(user, *, filters=None):
    """The audit log is for the auditor alone (三员分立): sysadmin cannot read it."""
    require_role(user, Role.AUDITOR)
    qs = AuditEvent.objects.select_related("actor").order_by("-id")
    filters = filters or {}
    if filters.get("username"):
        qs = qs.filter(username__icontains=filters["username"])
    if filters.get("action"):
        qs = qs.filter(action=filters["action"])
    if filters.get("result"):
        qs = qs.filter(result=filters["result"])
    if filters.get("start"):
        qs = qs.filter(timestamp__date__gte=filters["start"])
    if filters.get("end"):
        qs = qs.filter(timestamp__date__lte=filters["end"])
    return qs


def audit_events_since(user, since):
    """The audit events recorded since `since` (a datetime): the auditor's 待办 of recent security events."""
    require_role(user, Role.AUDITOR)
    return AuditEvent.objects.filter(timestamp__gte=since)
