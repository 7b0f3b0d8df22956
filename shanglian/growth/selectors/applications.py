"""Reads of the membership applications (入会申请): the staff list with its filters, the 待审核 queue of the 待办,
an enterprise's own applications on its phone. Every read starts from `scopes.applications_visible_to`."""

from django.db.models import Q

from shanglian.accounts.roles import EDITOR_ROLES, role_of

from ..models import MembershipApplication
from .scopes import applications_visible_to

A = MembershipApplication.Status


def application_list(user, *, filters=None):
    """The applications the user sees, narrowed by the list's search (`q`: company name, credit code or number;
    `status`; `chamber`; `submitted_from`/`submitted_to`: local days)."""
    filters = filters or {}
    qs = applications_visible_to(user).select_related("federation", "decided_by")
    q = filters.get("q")
    if q:
        qs = qs.filter(Q(enterprise_name__icontains=q) | Q(uscc__iexact=q) | Q(number__iexact=q))
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("chamber"):
        qs = qs.filter(chamber_id=filters["chamber"])
    if filters.get("submitted_from"):
        qs = qs.filter(submitted_at__date__gte=filters["submitted_from"])
    if filters.get("submitted_to"):
        qs = qs.filter(submitted_at__date__lte=filters["submitted_to"])
    return qs


def applications_to_review(user):
    """待审核入会申请: the editors' queue (the applications of their federations waiting for a decision)."""
    if role_of(user) not in EDITOR_ROLES:
        return MembershipApplication.objects.none()
    return applications_visible_to(user).filter(status=A.SUBMITTED)


def my_applications(user):
    """An enterprise user's applications of its own enterprise, latest first."""
    return applications_visible_to(user).select_related("federation").order_by("-submitted_at", "-id")


def attachments_of(application):
    return list(application.attachments.order_by("kind", "id"))
