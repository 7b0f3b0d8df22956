"""Scoped reads of 外部指标 (the indicators that come from outside the federation's records) and their values.

Who sees what: the federation's roles (`FEDERATION_ROLES`) read every indicator (the list is the platform's, shared
by all federations) and the values of their federation and the federations under it; the editors (`EDITOR_ROLES`)
keep the indicators and the values of the same federations. Everybody else is refused (403): a chamber secretary,
a department, an enterprise and the auditor read their figures on the apps' own statistics pages. A value of a
federation outside the scope is not in the queryset (404 on its pages).
"""

from django.db.models import Count, Q

from shanglian.accounts.roles import EDITOR_ROLES, FEDERATION_ROLES, Role, require_role, role_of
from shanglian.orgs.models import Federation
from shanglian.orgs.selectors import federation_ids_in_scope

from ..models import ExternalIndicator, ExternalValue, PeriodKind


def indicators_visible_to(user):
    """Every indicator (active or not), in their order; 403 for a role outside the federation."""
    require_role(user, *FEDERATION_ROLES)
    return ExternalIndicator.objects.all()


def indicators_editable_by(user):
    """The indicators are shared by every federation of the platform (a district's and its city's values of
    民营经济增加值 are values of one indicator): only the system administrator adds or changes them; 403 else."""
    require_role(user, Role.SYSADMIN)
    return ExternalIndicator.objects.all()


def indicator_list(user):
    """The indicators' page: every indicator with the number of values entered for it in the user's scope."""
    scope = federation_ids_in_scope(user) if role_of(user) in FEDERATION_ROLES else []
    return indicators_visible_to(user).annotate(
        entered=Count("values", filter=Q(values__federation_id__in=scope)))


def external_values_visible_to(user):
    """The values of the user's federation and those under it; 403 for a role outside the federation."""
    require_role(user, *FEDERATION_ROLES)
    return ExternalValue.objects.filter(federation_id__in=federation_ids_in_scope(user))


def external_values_editable_by(user):
    """The values an editor keeps: those of its federation and the federations under it."""
    require_role(user, *EDITOR_ROLES)
    return ExternalValue.objects.filter(federation_id__in=federation_ids_in_scope(user))


def can_keep_externals(user):
    return role_of(user) in EDITOR_ROLES


def can_keep_indicators(user):
    return role_of(user) == Role.SYSADMIN


def federations_of(user):
    """The federations whose values the user reads (its own first, then those under it, by id)."""
    require_role(user, *FEDERATION_ROLES)
    return Federation.objects.filter(pk__in=federation_ids_in_scope(user)).order_by("level", "id")


def value_list(user, *, filters=None):
    """The values' list: the scope, then `indicator` (an id), `year`, `period_kind` (PeriodKind) and `federation`
    (an id of the scope)."""
    filters = filters or {}
    qs = external_values_visible_to(user).select_related("indicator", "federation", "entered_by")
    if filters.get("indicator"):
        qs = qs.filter(indicator_id=filters["indicator"])
    if filters.get("year"):
        qs = qs.filter(year=filters["year"])
    if filters.get("period_kind") in PeriodKind.values:
        qs = qs.filter(period_kind=filters["period_kind"])
    if filters.get("federation"):
        qs = qs.filter(federation_id=filters["federation"])
    return qs


def slot_label(period_kind, year, number):
    """The period of a value as people write it: 2025年, 2025年第2季度, 2025年3月."""
    if period_kind == PeriodKind.QUARTER:
        return f"{year}年第{number}季度"
    if period_kind == PeriodKind.MONTH:
        return f"{year}年{number}月"
    return f"{year}年"


def value_label(value):
    """`slot_label` of a stored value."""
    return slot_label(value.period_kind, value.year, value.number)
