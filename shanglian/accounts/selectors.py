"""Reads of users: the one place that turns a role into a query (no app writes `groups__name` itself)."""

from .models import User
from .roles import Role


def users_in_role(role, **scope):
    """Active users holding `role`, narrowed by scope fields (`federation_id=`, `department_id__in=`,
    `enterprise_id=` …). A queryset: callers add their own ordering or counting."""
    return User.objects.filter(is_active=True, groups__name=Role(role).value, **scope)
