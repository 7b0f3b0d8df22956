"""Who sees which 光彩公益 records — the one definition every list, page, export, figure and API read starts from.

- The federation's roles (sysadmin, staff, leader): every record of their federations (their own and those under
  it).
- A chamber secretary: its chamber's — the donations organised by or through it (`Donation.chamber`), the
  pairings of the chamber and of its active member enterprises, the campaigns of its federation (launched by the
  federation) and its own chamber's campaigns.
- Everybody else (a department, an enterprise, the auditor): refused (403).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from shanglian.accounts.roles import FEDERATION_ROLES, Role, role_of
from shanglian.members.selectors import chamber_member_ids
from shanglian.orgs.selectors import federation_ids_in_scope

from ..models import Campaign, Donation, Pairing

REFUSAL = "您没有访问光彩公益的权限。"


def _chamber_federation_id(user):
    return user.chamber.federation_id


def campaigns_visible_to(user):
    role = role_of(user)
    qs = Campaign.objects.select_related("kind", "chamber")
    if role in FEDERATION_ROLES:
        return qs.filter(federation_id__in=federation_ids_in_scope(user))
    if role == Role.CHAMBER:
        return qs.filter(Q(chamber__isnull=True, federation_id=_chamber_federation_id(user))
                         | Q(chamber_id=user.chamber_id))
    raise PermissionDenied(REFUSAL)


def donations_visible_to(user):
    role = role_of(user)
    qs = Donation.objects.select_related("donor_enterprise", "donor_person", "donor_chamber", "chamber", "campaign",
                                         "recipient_village")
    if role in FEDERATION_ROLES:
        return qs.filter(federation_id__in=federation_ids_in_scope(user))
    if role == Role.CHAMBER:
        return qs.filter(chamber_id=user.chamber_id)
    raise PermissionDenied(REFUSAL)


def pairings_visible_to(user):
    role = role_of(user)
    qs = Pairing.objects.select_related("village", "enterprise", "chamber")
    if role in FEDERATION_ROLES:
        return qs.filter(federation_id__in=federation_ids_in_scope(user))
    if role == Role.CHAMBER:
        return qs.filter(Q(chamber_id=user.chamber_id) | Q(enterprise_id__in=chamber_member_ids(user.chamber_id)))
    raise PermissionDenied(REFUSAL)
