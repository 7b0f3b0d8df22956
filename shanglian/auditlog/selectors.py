from django.contrib.auth.models import Group
from django.db.models import Prefetch, Q

from shanglian.accounts.roles import Role, require_role
from shanglian.audit.models import AuditAction, AuditEvent

# The auditor's 工作台: refusals and lockouts (安全事件) and what left the system (导出).
DENIAL_ACTIONS = (AuditAction.DENIED, AuditAction.LOGIN_FAILED, AuditAction.LOCKOUT)
EXPORT_ACTIONS = (AuditAction.EXPORT,)


def _with_actors(qs):
    """The actor and their groups in two queries, whatever the page size (the list shows name and role)."""
    return qs.select_related("actor").prefetch_related(
        Prefetch("actor__groups", queryset=Group.objects.only("id", "name")))


def audit_events_visible_to(user, *, filters=None):
    """The audit log is for the auditor alone (三员分立: sysadmin cannot read it)."""
    require_role(user, Role.AUDITOR)
    qs = _with_actors(AuditEvent.objects.order_by("-id"))
    filters = filters or {}
    if filters.get("actor"):
        word = filters["actor"]
        qs = qs.filter(Q(username__icontains=word) | Q(actor__display_name__icontains=word))
    for field in ("action", "result", "object_type", "object_id"):
        if filters.get(field):
            qs = qs.filter(**{field: filters[field]})
    if filters.get("start"):
        qs = qs.filter(timestamp__date__gte=filters["start"])
    if filters.get("end"):
        qs = qs.filter(timestamp__date__lte=filters["end"])
    return qs


def audit_events_since(user, since):
    """The audit events recorded since `since` (a datetime): the auditor's 待办 of recent security events."""
    require_role(user, Role.AUDITOR)
    return AuditEvent.objects.filter(timestamp__gte=since)


def recent_events(user, actions, *, limit=8):
    """The latest events of the given kinds, newest first (the auditor's 工作台)."""
    require_role(user, Role.AUDITOR)
    return list(_with_actors(AuditEvent.objects.filter(action__in=actions).order_by("-id"))[:limit])
