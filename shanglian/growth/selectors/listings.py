"""Scoped reads of the 会员名录 (member directory): who searches which entries, the search itself, a member's own
listing and the federation's public switch.

- An entry is in the directory only while its enterprise is a member **in force** of the listing's federation
  (`members.selectors.membership_in_force_q`); a lapsed member's listing stays stored but is not shown.
- Who searches (`scopes.listings_visible_to`): the federation's roles every entry of their federations (also those
  the member chose not to list — marked 未展示); a chamber secretary and a member enterprise (in force) the listed
  entries of their federation. The public page (no login): the listed entries of one federation, only while its
  `DirectorySetting.public_enabled` is on.
- What an entry shows is `selectors.directory.entry` — never a field the member hid. The search honours the same
  rule: filtering by 行业, 主营产品 or 街道 matches only the entries that show that field, so a search cannot tell a
  hidden value either (the stored `shown_fields` list is matched as its JSON text, `"key"`).
"""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q

from shanglian.accounts.roles import EDITOR_ROLES, FEDERATION_ROLES, Role, role_of
from shanglian.members.models import Membership
from shanglian.members.selectors import membership_in_force_q
from shanglian.orgs.models import Federation, Street
from shanglian.orgs.selectors import federation_ids_in_scope

from ..models import DirectoryListing, DirectorySetting
from .scopes import listings_visible_to, member_federation_ids

SETTING_REFUSAL = "您没有设置会员名录公开的权限。"
NOT_A_MEMBER = "贵企业目前不是工商联的在册会员，入会后可查看和设置会员名录。"


def member_in_force(on=None):
    """The listing's enterprise is a member in force of the listing's federation on `on` (today)."""
    return Exists(Membership.objects.filter(membership_in_force_q(on or date.today()),
                                            enterprise_id=OuterRef("enterprise_id"),
                                            federation_id=OuterRef("federation_id")))


def _shows(key):
    return Q(shown_fields__icontains=f'"{key}"')


def search(qs, filters):
    """The search form's filters on a listing queryset: `q` (the enterprise's name), `industry_division` (a GB/T
    4754 大类 code prefix, only of entries showing 所属行业), `products` (words of 主营产品, only of entries
    showing it), `street` (a Street, only of entries showing 所在街道)."""
    filters = filters or {}
    q = (filters.get("q") or "").strip()
    if q:
        qs = qs.filter(enterprise__name__icontains=q)
    if filters.get("industry_division"):
        qs = qs.filter(_shows("industry"), enterprise__industry__code__startswith=filters["industry_division"])
    products = (filters.get("products") or "").strip()
    if products:
        qs = qs.filter(_shows("products"))
        for word in products.split():
            qs = qs.filter(products__icontains=word)
    if filters.get("street") is not None:
        qs = qs.filter(_shows("street"), enterprise__street=filters["street"])
    return qs


def directory_list(user, *, filters=None):
    """The directory a signed-in user searches: its scope's entries of members in force, then the filters."""
    qs = listings_visible_to(user).filter(member_in_force())
    return search(qs, filters)


def public_federation(federation_id):
    """The federation whose public directory is on, or None (the page is 404 then)."""
    return (Federation.objects.filter(pk=federation_id, directory_setting__public_enabled=True).first()
            if federation_id else None)


def public_list(federation, *, filters=None):
    """The public page's entries: the listed entries of the federation's members in force."""
    qs = (DirectoryListing.objects.select_related("enterprise", "enterprise__industry", "enterprise__street")
          .filter(federation=federation, listed=True).filter(member_in_force()))
    return search(qs, filters)


def directory_streets(user):
    """The streets offered by the search form: those of the federations whose directory the user reads."""
    role = role_of(user)
    if role in FEDERATION_ROLES:
        ids = federation_ids_in_scope(user)
    elif role == Role.CHAMBER and user.chamber_id:
        ids = [user.chamber.federation_id]
    elif role == Role.ENTERPRISE and user.enterprise_id:
        ids = member_federation_ids(user.enterprise_id)
    else:
        ids = []
    return Street.objects.filter(federation_id__in=ids).order_by("code", "id")


def is_federation_reader(user):
    return role_of(user) in FEDERATION_ROLES


# --- the member's own listing ------------------------------------------------------------------------------------
def own_federation_id(user):
    """The federation whose directory an enterprise user's listing belongs to: its enterprise's own federation when
    a member in force of it, else the first federation it is a member of; 403 for anyone else or a non-member."""
    if role_of(user) != Role.ENTERPRISE or not user.enterprise_id:
        raise PermissionDenied(NOT_A_MEMBER)
    federations = member_federation_ids(user.enterprise_id)
    if not federations:
        raise PermissionDenied(NOT_A_MEMBER)
    home = user.enterprise.federation_id
    return home if home in federations else sorted(federations)[0]


def own_listing(user):
    """The enterprise user's listing in its federation's directory (None when not yet made)."""
    federation_id = own_federation_id(user)
    return (DirectoryListing.objects.select_related("enterprise", "enterprise__industry", "enterprise__street")
            .filter(federation_id=federation_id, enterprise_id=user.enterprise_id).first())


# --- the public switch -------------------------------------------------------------------------------------------
def settable_federations(user):
    """The federations whose public switch the user may turn: an editor's own and those under it."""
    if role_of(user) not in EDITOR_ROLES:
        raise PermissionDenied(SETTING_REFUSAL)
    return Federation.objects.filter(pk__in=federation_ids_in_scope(user)).order_by("id")


def settable(user):
    """Whether the user may turn public switches (the 公开设置 button)."""
    return role_of(user) in EDITOR_ROLES


def settings_rows(user):
    """[(federation, public_enabled, listed entries of members in force)] of the user's settable federations."""
    federations = list(settable_federations(user))
    enabled = set(DirectorySetting.objects.filter(federation__in=federations, public_enabled=True)
                  .values_list("federation_id", flat=True))
    counts = dict(DirectoryListing.objects.filter(federation__in=federations, listed=True).filter(member_in_force())
                  .order_by().values("federation_id").annotate(n=Count("id")).values_list("federation_id", "n"))
    return [(f, f.pk in enabled, counts.get(f.pk, 0)) for f in federations]


__all__ = ["directory_list", "directory_streets", "is_federation_reader", "member_in_force", "own_federation_id",
           "own_listing", "public_federation", "public_list", "search", "settable", "settable_federations", "settings_rows"]
