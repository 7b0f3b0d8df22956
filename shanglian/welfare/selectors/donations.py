"""Scoped reads of 捐款捐物 (donations).

Who sees what (`scopes.donations_visible_to`): the federation's roles every donation of their federations; a chamber
secretary those its chamber organised (`Donation.chamber`). Who records them (`donations_editable_by`): the
`WELFARE_KEEPER_ROLES` — the editors every donation of their federations, a chamber secretary its chamber's; a leader
reads. Whom a donation may name as its donor (`donor_enterprises`, `donor_persons`, `donor_chambers`): the records the
user sees — for a chamber secretary its own chamber, its active member enterprises and the persons holding a role in
them; for the editors every enterprise, person and chamber of their federations.
"""

from decimal import Decimal

from django.db.models import Q

from shanglian.accounts.roles import FEDERATION_ROLES, WELFARE_KEEPER_ROLES, Role, require_role, role_of
from shanglian.members.selectors import enterprises_visible_to, persons_visible_to
from shanglian.orgs.models import Village
from shanglian.orgs.selectors import chambers_in_scope, villages_visible_to

from ..models import Donation
from .scopes import donations_visible_to

D = Donation.DonorKind
# The list's 捐赠内容 filter.
GIFTS = {
    "cash": ("含捐款", Q(cash__gt=0)),
    "goods": ("含物资", Q(goods_value__gt=0)),
    "both": ("捐款和物资", Q(cash__gt=0, goods_value__gt=0)),
    "cash_only": ("仅捐款", Q(cash__gt=0, goods_value=0)),
    "goods_only": ("仅物资", Q(cash=0, goods_value__gt=0)),
}


def donations_editable_by(user):
    require_role(user, *WELFARE_KEEPER_ROLES)
    return donations_visible_to(user)


def same_donation(donations, *, donor_kind, donor, donated_on, cash, goods_value, goods_description, campaign,
                  receipt_number):
    """The number of a donation among `donations` with the same natural key — donor, day, cash, goods (valuation and
    description), campaign and 票据号 — or None: the one test of "recorded twice" the import and the 新增捐赠 form
    share. `donor` and `campaign` are records or ids; empty amounts and texts count as zero and ""."""
    zero = Decimal("0.00")
    return (donations.filter(donor_kind=donor_kind, **{f"donor_{donor_kind}_id": getattr(donor, "pk", donor)},
                             donated_on=donated_on, cash=cash or zero, goods_value=goods_value or zero,
                             goods_description=goods_description or "",
                             campaign_id=getattr(campaign, "pk", campaign), receipt_number=receipt_number or "")
            .order_by("pk").values_list("number", flat=True).first())


def donation_list(user, *, filters=None):
    """The list page, its export: the scope, then the search form's filters — `q` (a word of the donor's name, or the
    certificate number), `campaign`, `chamber` (ids), `donor_kind`, `year`, `start`/`end` (dates, both included)
    and `gift` (GIFTS)."""
    filters = filters or {}
    qs = donations_visible_to(user)
    q = (filters.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(number__iexact=q) | Q(donor_enterprise__name__icontains=q)
                       | Q(donor_person__name__icontains=q) | Q(donor_chamber__name__icontains=q))
    for name, lookup in (("campaign", "campaign_id"), ("chamber", "chamber_id"), ("donor_kind", "donor_kind"),
                         ("year", "donated_on__year"), ("start", "donated_on__gte"), ("end", "donated_on__lte")):
        if filters.get(name) not in (None, ""):
            qs = qs.filter(**{lookup: filters[name]})
    if filters.get("gift") in GIFTS:
        qs = qs.filter(GIFTS[filters["gift"]][1])
    return qs


# --- whom and what a donation may name ------------------------------------------------------------------------
def donor_enterprises(user):
    return enterprises_visible_to(user)


def donor_persons(user):
    return persons_visible_to(user)


def donor_chambers(user):
    """A chamber secretary's own chamber; the editors' every chamber of their federations."""
    return chambers_in_scope(user)


def donors_of_kind(user, kind):
    """The records the user may name as a donor of `kind`."""
    return {D.ENTERPRISE: donor_enterprises, D.PERSON: donor_persons, D.CHAMBER: donor_chambers}[kind](user)


def organising_chambers(user):
    """The chambers a donation may be organised through: the editors any of their federations; a chamber secretary
    only its own (fixed on its donations)."""
    return chambers_in_scope(user)


def recipient_villages(user):
    """The villages a donation may go to: the federation's villages (a chamber secretary: its chamber's
    federation's, which it may name but whose list pages are the federation's)."""
    if role_of(user) in FEDERATION_ROLES:
        return villages_visible_to(user)
    if role_of(user) == Role.CHAMBER:
        return Village.objects.filter(federation_id=user.chamber.federation_id).select_related("federation")
    return Village.objects.none()


def donor_url(user, donation):
    """The page of the donor, when the user may open it (else "")."""
    from django.urls import reverse

    if donation.donor_kind == D.ENTERPRISE:
        if enterprises_visible_to(user).filter(pk=donation.donor_enterprise_id).exists():
            return reverse("members:enterprise_detail", args=[donation.donor_enterprise_id])
    elif donation.donor_kind == D.PERSON:
        if persons_visible_to(user).filter(pk=donation.donor_person_id).exists():
            return reverse("members:person_detail", args=[donation.donor_person_id])
    elif chambers_in_scope(user).filter(pk=donation.donor_chamber_id).exists():
        return reverse("orgs:chamber_detail", args=[donation.donor_chamber_id])
    return ""


def donor_kind_label(donation):
    return D(donation.donor_kind).label


def donation_proofs(donation):
    return donation.proofs.select_related("uploaded_by").order_by("id")


def proofs_visible_to(user):
    """The proofs of the donations the user sees (a download's scope)."""
    from ..models import DonationProof

    return DonationProof.objects.filter(donation__in=donations_visible_to(user).values("pk")).select_related(
        "donation")


def proofs_editable_by(user):
    from ..models import DonationProof

    return DonationProof.objects.filter(donation__in=donations_editable_by(user).values("pk")).select_related(
        "donation")
