"""Who sees which growth records — the one definition every list, page, export, figure and API read starts from.

- The federation's roles (sysadmin, staff, leader): every record of their federations (their own and those under
  it).
- A chamber secretary: the prospects its chamber follows, the applications asking to join its chamber, the service
  enrollments and matchmaking outcomes of its active member enterprises, the directory and the board of its
  federation, its federation's working groups (read).
- An enterprise user: its own applications; while its enterprise is a member in force of a federation, that
  federation's directory (the entries listed) and board (open posts and its own), and the contact requests it
  made or received. Not a member: its own applications and posts only.
- Everybody else (a department, the auditor): refused (403).
"""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from shanglian.accounts.roles import FEDERATION_ROLES, Role, role_of
from shanglian.members.models import Membership
from shanglian.members.selectors import chamber_member_ids, membership_in_force_q
from shanglian.orgs.selectors import federation_ids_in_scope

from ..models import (
    ContactRequest,
    DirectoryListing,
    MatchOutcome,
    MembershipApplication,
    Post,
    Prospect,
    ServiceEnrollment,
    WorkingGroup,
)

REFUSAL = "您没有访问会员发展与服务的权限。"


def member_federation_ids(enterprise_id, on=None):
    """The federations of which the enterprise is a member in force on `on` (today by default)."""
    return list(Membership.objects.filter(membership_in_force_q(on or date.today()), enterprise_id=enterprise_id)
                .values_list("federation_id", flat=True))


def _role(user):
    role = role_of(user)
    if role is None:
        raise PermissionDenied(REFUSAL)
    return role


def prospects_visible_to(user):
    role = _role(user)
    qs = Prospect.objects.select_related("chamber", "enterprise", "owner", "industry")
    if role in FEDERATION_ROLES:
        return qs.filter(federation_id__in=federation_ids_in_scope(user))
    if role == Role.CHAMBER:
        return qs.filter(chamber_id=user.chamber_id)
    raise PermissionDenied(REFUSAL)


def applications_visible_to(user):
    role = _role(user)
    qs = MembershipApplication.objects.select_related("enterprise", "chamber", "applicant", "industry")
    if role in FEDERATION_ROLES:
        return qs.filter(federation_id__in=federation_ids_in_scope(user))
    if role == Role.CHAMBER:
        return qs.filter(chamber_id=user.chamber_id)
    if role == Role.ENTERPRISE and user.enterprise_id:
        return qs.filter(enterprise_id=user.enterprise_id)
    raise PermissionDenied(REFUSAL)


def enrollments_visible_to(user):
    role = _role(user)
    qs = ServiceEnrollment.objects.select_related("enterprise", "programme", "liaison", "enrolled_by")
    if role in FEDERATION_ROLES:
        return qs.filter(federation_id__in=federation_ids_in_scope(user))
    if role == Role.CHAMBER:
        return qs.filter(enterprise_id__in=chamber_member_ids(user.chamber_id))
    raise PermissionDenied(REFUSAL)


def _reader_federation_ids(user, role):
    if role in FEDERATION_ROLES:
        return federation_ids_in_scope(user)
    if role == Role.CHAMBER:
        return [user.chamber.federation_id]
    if role == Role.ENTERPRISE and user.enterprise_id:
        return member_federation_ids(user.enterprise_id)
    raise PermissionDenied(REFUSAL)


def listings_visible_to(user):
    """Directory entries a user may search: the federation's roles every entry (listed or not) of their
    federations; a chamber secretary and a member enterprise the listed entries of their federation. The
    fields an entry hides are removed by `selectors.directory`, never by a template."""
    role = _role(user)
    qs = DirectoryListing.objects.select_related("enterprise", "enterprise__industry", "enterprise__street")
    federation_ids = _reader_federation_ids(user, role)
    qs = qs.filter(federation_id__in=federation_ids)
    return qs if role in FEDERATION_ROLES else qs.filter(listed=True)


def posts_visible_to(user):
    """The board: the federation's roles every post of their federations; a chamber secretary its federation's
    open posts; an enterprise its federations' open posts (while a member) and all of its own."""
    role = _role(user)
    qs = Post.objects.select_related("enterprise", "industry", "posted_by")
    if role in FEDERATION_ROLES:
        return qs.filter(federation_id__in=federation_ids_in_scope(user))
    if role == Role.CHAMBER:
        return qs.filter(federation_id=user.chamber.federation_id, status=Post.Status.OPEN)
    if role == Role.ENTERPRISE and user.enterprise_id:
        return qs.filter(Q(federation_id__in=member_federation_ids(user.enterprise_id), status=Post.Status.OPEN)
                         | Q(enterprise_id=user.enterprise_id))
    raise PermissionDenied(REFUSAL)


def contact_requests_visible_to(user):
    """The federation's roles every request on their federations' posts; an enterprise those it made and those
    made on its posts. A chamber secretary sees none (refused)."""
    role = _role(user)
    qs = ContactRequest.objects.select_related("post", "post__enterprise", "requester", "requested_by")
    if role in FEDERATION_ROLES:
        return qs.filter(post__federation_id__in=federation_ids_in_scope(user))
    if role == Role.ENTERPRISE and user.enterprise_id:
        return qs.filter(Q(requester_id=user.enterprise_id) | Q(post__enterprise_id=user.enterprise_id))
    raise PermissionDenied(REFUSAL)


def outcomes_visible_to(user):
    role = _role(user)
    qs = MatchOutcome.objects.select_related("enterprise", "partner", "post", "event")
    if role in FEDERATION_ROLES:
        return qs.filter(federation_id__in=federation_ids_in_scope(user))
    if role == Role.CHAMBER:
        members = chamber_member_ids(user.chamber_id)
        return qs.filter(Q(enterprise_id__in=members) | Q(partner_id__in=members))
    raise PermissionDenied(REFUSAL)


def groups_visible_to(user):
    role = _role(user)
    qs = WorkingGroup.objects.select_related("contact")
    if role in FEDERATION_ROLES:
        return qs.filter(federation_id__in=federation_ids_in_scope(user))
    if role == Role.CHAMBER:
        return qs.filter(federation_id=user.chamber.federation_id)
    raise PermissionDenied(REFUSAL)
