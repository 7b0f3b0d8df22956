"""Scoped reads of the annual work report (年度工作报告): the federation's roles (sysadmin, staff, leader) read the runs
and the templates of their federation and those under it; any other role is refused (403); a run or a federation
outside the scope is simply not there (404)."""

from shanglian.accounts.roles import EDITOR_ROLES, FEDERATION_ROLES, has_role, require_role
from shanglian.orgs.selectors import federation_ids_in_scope

from ..models import ReportRun, ReportTemplate

ACTIVE = (ReportRun.Status.QUEUED, ReportRun.Status.RUNNING)
RUNS_SHOWN = 20


def runs_visible_to(user):
    require_role(user, *FEDERATION_ROLES)
    return (ReportRun.objects.filter(federation_id__in=federation_ids_in_scope(user))
            .select_related("federation", "requested_by", "template"))


def runs_of(user, federation):
    """The newest runs of one federation of the user's scope (the page's list)."""
    return runs_visible_to(user).filter(federation=federation).order_by("-requested_at", "-id")[:RUNS_SHOWN]


def template_in_use(federation):
    """The federation's newest uploaded template, or None (the shipped one is in use)."""
    return ReportTemplate.objects.filter(federation=federation).order_by("-uploaded_at", "-id").first()


def can_keep_template(user):
    """Whether the user replaces the template (the editors); a leader reads, generates and downloads."""
    return has_role(user, *EDITOR_ROLES)


__all__ = ["ACTIVE", "RUNS_SHOWN", "can_keep_template", "runs_of", "runs_visible_to", "template_in_use"]
