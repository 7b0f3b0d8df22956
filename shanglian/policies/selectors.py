"""Scoped reads of policies: every list, page, export, match and API call starts here."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.utils import timezone

from shanglian.accounts.roles import FEDERATION_ROLES, Role, role_of
from shanglian.orgs.selectors import federation_ids_in_scope

from . import matching
from .models import Policy, PolicyDelivery

# Who keeps the policy library.
EDITOR_ROLES = {Role.SYSADMIN, Role.STAFF}


def _home_federation(user):
    role = role_of(user)
    if role == Role.CHAMBER and user.chamber_id:
        return user.chamber.federation
    if role == Role.DEPARTMENT and user.department_id:
        return user.department.federation
    if role == Role.ENTERPRISE and user.enterprise_id:
        return user.enterprise.federation
    return None


def policies_visible_to(user):
    """Federation roles: every policy of their federation(s), drafts included. Chambers, departments
    and enterprises: the live (published, not expired) policies of their federation and those above."""
    role = role_of(user)
    qs = Policy.objects.select_related("department", "benefit_type")
    if role in FEDERATION_ROLES:
        return qs.filter(federation_id__in=federation_ids_in_scope(user))
    if role in (Role.CHAMBER, Role.DEPARTMENT, Role.ENTERPRISE):
        home = _home_federation(user)
        if home is None:
            return qs.none()
        return qs.filter(matching.live_q(), federation_id__in=matching.federations_above(home))
    raise PermissionDenied("您没有访问该功能的权限。")


def policy_list(user, *, filters=None):
    """The library list: scope, then the filters, then the search (ranked when there is a query)."""
    from .search import search_policies

    qs = policies_visible_to(user)
    filters = filters or {}
    if filters.get("department"):
        qs = qs.filter(department_id=filters["department"])
    if filters.get("benefit_type"):
        qs = qs.filter(benefit_type_id=filters["benefit_type"])
    if filters.get("status"):
        if filters["status"] == Policy.Status.EXPIRED:
            qs = qs.filter(Q(status=Policy.Status.EXPIRED) | Q(status=Policy.Status.PUBLISHED,
                                                                expires_on__lt=timezone.localdate()))
        elif filters["status"] == Policy.Status.PUBLISHED:
            qs = qs.filter(matching.live_q())
        else:
            qs = qs.filter(status=filters["status"])
    if filters.get("published_from"):
        qs = qs.filter(published_on__gte=filters["published_from"])
    if filters.get("published_to"):
        qs = qs.filter(published_on__lte=filters["published_to"])
    if filters.get("automatic"):
        qs = qs.filter(is_automatic=True)
    if filters.get("package"):
        qs = qs.filter(packages=filters["package"])
    q = (filters.get("q") or "").strip()
    if q:
        return search_policies(qs, q)
    return qs


def matched_policies(user, enterprise):
    """The live policies `enterprise` is eligible for, if the user may see that enterprise."""
    from shanglian.members.selectors import enterprises_visible_to

    if not enterprises_visible_to(user).filter(pk=enterprise.pk).exists():
        raise PermissionDenied("您无权查看该企业的匹配政策。")
    return matching.policies_for_enterprise(enterprise).select_related("department", "benefit_type")


def matched_enterprises(user, policy):
    """The enterprises a policy matches, within what the user may see (staff: their federation)."""
    from shanglian.members.selectors import enterprises_visible_to

    if role_of(user) not in FEDERATION_ROLES:
        raise PermissionDenied("您没有查看政策匹配企业的权限。")
    return matching.enterprises_for_policy(policy, queryset=enterprises_visible_to(user))


def reach(policy):
    """推送触达: enterprises pushed to, enterprises that read it, and the read rate (%, one decimal)."""
    from shanglian.ui.figures import share

    counts = PolicyDelivery.objects.filter(policy=policy).aggregate(
        pushed=Count("id"), read=Count("id", filter=Q(read_at__isnull=False)))
    return {"pushed": counts["pushed"], "read": counts["read"], "read_rate": share(counts["read"], counts["pushed"])}
