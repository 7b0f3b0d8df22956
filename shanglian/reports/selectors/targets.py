"""Scoped reads of the figures' targets (指标目标): the federation's roles read the targets of their federation and
those under it; the editors (sysadmin, staff) keep them. Any other role is refused (403)."""

from shanglian.accounts.roles import EDITOR_ROLES, FEDERATION_ROLES, require_role
from shanglian.orgs.models import Federation
from shanglian.orgs.selectors import federation_ids_in_scope

from ..models import FigureTarget


def targets_visible_to(user):
    require_role(user, *FEDERATION_ROLES)
    return FigureTarget.objects.filter(federation_id__in=federation_ids_in_scope(user)).select_related("federation")


def targets_editable_by(user):
    require_role(user, *EDITOR_ROLES)
    return FigureTarget.objects.filter(federation_id__in=federation_ids_in_scope(user)).select_related("federation")


def target_years(user, federation):
    """The years the federation has targets for, newest first (the list's year choices)."""
    return list(targets_visible_to(user).filter(federation=federation).order_by("-year")
                .values_list("year", flat=True).distinct())


def federations_in_scope(user):
    """The federations whose figures the user may read (its own and those under it), by region code."""
    require_role(user, *FEDERATION_ROLES)
    return list(Federation.objects.filter(pk__in=federation_ids_in_scope(user)).order_by("region_code", "pk"))


__all__ = ["federations_in_scope", "target_years", "targets_editable_by", "targets_visible_to"]
