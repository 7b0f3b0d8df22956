"""Scoped reads of policies: every list, page, export, match and API call starts here."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, Subquery

from shanglian.accounts.roles import AFFILIATED_ROLES, FEDERATION_ROLES, Role, role_of
from shanglian.common.selectors import filtered
from shanglian.orgs.selectors import federation_ids_in_scope

from . import matching
from .models import Policy, PolicyDelivery, live_q


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
    if role in AFFILIATED_ROLES:
        home = _home_federation(user)
        if home is None:
            return qs.none()
        return qs.filter(live_q(), federation_id__in=matching.federations_above(home))
    raise PermissionDenied("您没有访问该功能的权限。")


def policy_list(user, *, filters=None):
    """The library list: scope, then the filters, then the search (ranked when there is a query)."""
    from .search import search_policies

    filters = filters or {}
    qs = filtered(policies_visible_to(user), filters, {
        "department": "department_id", "benefit_type": "benefit_type_id", "published_from": "published_on__gte",
        "published_to": "published_on__lte", "automatic": "is_automatic", "package": "packages"})
    if filters.get("status"):
        if filters["status"] == Policy.Status.EXPIRED:
            qs = qs.expired()
        elif filters["status"] == Policy.Status.PUBLISHED:
            qs = qs.live()
        else:
            qs = qs.filter(status=filters["status"])
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


def newest_matched_policies(user, enterprise):
    """`matched_policies`, newest first (the enterprise's 360° page and the API)."""
    return matched_policies(user, enterprise).order_by("-published_on", "-id")


def recommended_policies(user):
    """为您推荐 of an enterprise user: its enterprise's matched policies, newest first, each annotated
    `pushed` (delivered to the enterprise) and `unread` (delivered, not opened yet). None for a user
    without an enterprise."""
    if not user.enterprise_id:
        return None
    deliveries = PolicyDelivery.objects.filter(policy_id=OuterRef("pk"), enterprise_id=user.enterprise_id)
    return (newest_matched_policies(user, user.enterprise)
            .annotate(pushed=Exists(deliveries), unread=Exists(deliveries.filter(read_at__isnull=True))))


def recommended_ids(recommended, policies):
    """The pks of those of `policies` (a page of the library) that are among `recommended` (what
    `recommended_policies` returned, None for a user without an enterprise): 符合条件 on their cards."""
    if recommended is None or not policies:
        return set()
    return set(recommended.filter(pk__in=[p.pk for p in policies]).values_list("pk", flat=True))


def is_recommended(user, policy):
    """Whether `policy` is among the user's enterprise's matched policies (符合条件 on its phone page)."""
    return user.enterprise_id is not None and \
        matched_policies(user, user.enterprise).filter(pk=policy.pk).exists()


def matched_enterprises(user, policy):
    """The enterprises a policy matches, within what the user may see (staff: their federation)."""
    from shanglian.members.selectors import enterprises_visible_to

    if role_of(user) not in FEDERATION_ROLES:
        raise PermissionDenied("您没有查看政策匹配企业的权限。")
    return matching.enterprises_for_policy(policy, queryset=enterprises_visible_to(user))


def matched_enterprises_with_delivery(user, policy):
    """`matched_enterprises`, each annotated with when the policy was pushed to it (`delivered_at`, None
    if never) and first read there (`first_read_at`): the 匹配企业 page and its export."""
    deliveries = PolicyDelivery.objects.filter(policy=policy, enterprise_id=OuterRef("pk"))
    return matched_enterprises(user, policy).annotate(
        delivered_at=Subquery(deliveries.values("pushed_at")[:1]),
        first_read_at=Subquery(deliveries.values("read_at")[:1]))


def reach(policy):
    """推送触达: enterprises pushed to, enterprises that read it, and the read rate (%, one decimal)."""
    from shanglian.ui.figures import share

    counts = PolicyDelivery.objects.filter(policy=policy).aggregate(
        pushed=Count("id"), read=Count("id", filter=Q(read_at__isnull=False)))
    return {"pushed": counts["pushed"], "read": counts["read"], "read_rate": share(counts["read"], counts["pushed"])}
