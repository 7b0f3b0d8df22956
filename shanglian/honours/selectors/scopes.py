"""Who sees which 评选表彰 and 商会评估 records — the one definition every read starts from.

- The federation's roles (sysadmin, staff, leader): every record of their federations (their own and those under
  it). A judge is a staff member or a leader: what they score is within that scope, narrowed to the programmes
  whose panel they sit on (`selectors.programmes`).
- A chamber secretary: the programmes of its federation (read only) and their published lists (a published list is public); the nominations its own chamber made (not those staff or another
  chamber made, even of its members: their reasons and attachments are the nominator's); its own chamber's
  assessments.
- Everybody else (a department, an enterprise, the auditor): refused (403).
"""

from django.core.exceptions import PermissionDenied

from shanglian.accounts.roles import FEDERATION_ROLES, Role, role_of
from shanglian.orgs.selectors import federation_ids_in_scope

from ..models import Assessment, HonourList, Nomination, Programme

REFUSAL = "您没有访问评选表彰的权限。"
ASSESSMENT_REFUSAL = "您没有访问商会评估的权限。"


def _federations(user):
    """The federation ids whose programmes the user reads, or None when the role has none."""
    role = role_of(user)
    if role in FEDERATION_ROLES:
        return federation_ids_in_scope(user)
    if role == Role.CHAMBER:
        return [user.chamber.federation_id]
    return None


def programmes_visible_to(user):
    federations = _federations(user)
    if federations is None:
        raise PermissionDenied(REFUSAL)
    return Programme.objects.filter(federation_id__in=federations)


def nominations_visible_to(user):
    role = role_of(user)
    qs = Nomination.objects.select_related("category__programme", "enterprise", "chamber")
    if role in FEDERATION_ROLES:
        return qs.filter(category__programme__federation_id__in=federation_ids_in_scope(user))
    if role == Role.CHAMBER:
        return qs.filter(chamber_id=user.chamber_id)
    raise PermissionDenied(REFUSAL)


def lists_visible_to(user):
    """Published lists (every version, current or superseded) of the programmes the user reads."""
    federations = _federations(user)
    if federations is None:
        raise PermissionDenied(REFUSAL)
    return HonourList.objects.select_related("category__programme").filter(
        category__programme__federation_id__in=federations)


def assessments_visible_to(user):
    role = role_of(user)
    qs = Assessment.objects.select_related("chamber", "federation")
    if role in FEDERATION_ROLES:
        return qs.filter(federation_id__in=federation_ids_in_scope(user))
    if role == Role.CHAMBER:
        return qs.filter(chamber_id=user.chamber_id)
    raise PermissionDenied(ASSESSMENT_REFUSAL)
