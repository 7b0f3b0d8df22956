"""Scoped reads of the organisation data. Scope is applied here and nowhere else."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q

from shanglian.accounts.roles import FEDERATION_ROLES, Role, role_of
from shanglian.common.selectors import filtered

from .models import Chamber, Committee, Department


def federation_ids_in_scope(user):
    """Federations whose records a federation-wide role sees: its own and those under it."""
    if role_of(user) not in FEDERATION_ROLES or user.federation_id is None:
        return []
    return user.federation.subtree_ids()


def chambers_visible_to(user):
    role = role_of(user)
    if role in FEDERATION_ROLES:
        qs = Chamber.objects.filter(federation_id__in=federation_ids_in_scope(user))
    elif role == Role.CHAMBER:
        qs = Chamber.objects.filter(pk=user.chamber_id)
    else:
        raise PermissionDenied("您没有访问该功能的权限。")
    return qs.select_related("street", "federation").annotate(
        member_count=Count("memberships", filter=Q(memberships__status="active"), distinct=True)
    )


def chamber_list(user, *, filters=None):
    """The chamber list page: scope first, then the search form's filters (`q` in the name, `kind`,
    `status`, `missing="secretary"` for chambers without a 秘书长)."""
    filters = filters or {}
    qs = filtered(chambers_visible_to(user), filters, {"q": "name__icontains", "kind": "kind", "status": "status"})
    if filters.get("missing") == "secretary":
        qs = qs.filter(secretary_general="")
    return qs


def chamber_members(chamber, limit=20):
    """The chamber page's member list: its active memberships, latest first, the first `limit` of them."""
    return chamber.memberships.filter(status="active").select_related("enterprise").order_by("-joined")[:limit]


def chambers_missing_secretary(user):
    return chambers_visible_to(user).filter(secretary_general="", status=Chamber.Status.ACTIVE)


def committees_visible_to(user):
    if role_of(user) not in FEDERATION_ROLES:
        raise PermissionDenied("您没有访问该功能的权限。")
    return Committee.objects.filter(federation_id__in=federation_ids_in_scope(user)).select_related("federation")


def departments_visible_to(user):
    role = role_of(user)
    if role in FEDERATION_ROLES:
        return Department.objects.filter(federation_id__in=federation_ids_in_scope(user))
    if role == Role.DEPARTMENT:
        return Department.objects.filter(pk=user.department_id)
    raise PermissionDenied("您没有访问该功能的权限。")
