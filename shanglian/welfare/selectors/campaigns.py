"""Scoped reads of 公益项目 (campaigns and funds: 春芽基金, 疫情防控, 助学 …).

Who sees what (`scopes.campaigns_visible_to`): the federation's roles every campaign of their federations; a chamber
secretary the federation's campaigns (launched by its federation) and its own chamber's. Who keeps them
(`campaigns_editable_by`): the editors every campaign of their federations, a chamber secretary its own chamber's
(it reads the federation's); everybody else is refused (403). A campaign's progress (`campaign_progress`) counts
the donations the reader sees: a chamber secretary's is what its chamber organised.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, Sum
from django.utils import timezone

from shanglian.accounts.roles import EDITOR_ROLES, Role, role_of
from shanglian.common.money import fen

from ..models import Campaign
from .scopes import campaigns_visible_to, donations_visible_to

KIND = "welfare_campaign_kind"
# The list's 状态 filter, relative to a day.
STATES = {"running": "进行中", "upcoming": "未开始", "ended": "已结束"}


def campaigns_editable_by(user):
    role = role_of(user)
    if role in EDITOR_ROLES:
        return campaigns_visible_to(user)
    if role == Role.CHAMBER:
        return campaigns_visible_to(user).filter(chamber_id=user.chamber_id)
    raise PermissionDenied("您没有维护公益项目的权限。")


def can_keep_campaigns(user):
    return role_of(user) in EDITOR_ROLES or role_of(user) == Role.CHAMBER


def campaign_state(campaign, on):
    """running | upcoming | ended on a day."""
    if campaign.start > on:
        return "upcoming"
    if campaign.end is not None and campaign.end < on:
        return "ended"
    return "running"


def state_q(state, on):
    if state == "upcoming":
        return Q(start__gt=on)
    if state == "ended":
        return Q(end__lt=on)
    return Q(start__lte=on) & (Q(end__isnull=True) | Q(end__gte=on))


def running_in_year_q(year):
    """Campaigns that ran at some time in `year` (started by its end, not ended before its start)."""
    return Q(start__year__lte=year) & (Q(end__isnull=True) | Q(end__year__gte=year))


def campaign_list(user, *, filters=None):
    """The list page: the scope, then `q` (a word of the name), `kind` (a dictionary item's id), `year` (ran in that
    year), `state` (STATES, today) and `owner` ("federation" or "chamber": who launched it)."""
    filters = filters or {}
    qs = campaigns_visible_to(user)
    q = (filters.get("q") or "").strip()
    if q:
        qs = qs.filter(name__icontains=q)
    if filters.get("kind"):
        qs = qs.filter(kind_id=filters["kind"])
    if filters.get("year"):
        qs = qs.filter(running_in_year_q(filters["year"]))
    if filters.get("state") in STATES:
        qs = qs.filter(state_q(filters["state"], timezone.localdate()))
    if filters.get("owner") == "federation":
        qs = qs.filter(chamber__isnull=True)
    elif filters.get("owner") == "chamber":
        qs = qs.filter(chamber__isnull=False)
    return qs


@dataclass(frozen=True)
class Progress:
    """What a campaign raised among the donations the reader sees, against its target (yuan)."""

    cash: Decimal
    goods: Decimal
    donations: int
    donors: int
    target: Decimal | None

    @property
    def total(self):
        return self.cash + self.goods

    @property
    def percent(self):
        """The total as a share of the target, in percent to one place (None without a target)."""
        if not self.target:
            return None
        return (self.total * 100 / self.target).quantize(Decimal("0.1"))

    @property
    def bar(self):
        """The progress bar's value (0–100: a campaign past its target shows a full bar)."""
        return min(self.percent, Decimal(100)) if self.percent is not None else None


def campaign_donations(user, campaign):
    """The donations of a campaign the reader sees."""
    return donations_visible_to(user).filter(campaign=campaign)


def campaign_progress(user, campaign):
    """Cash, goods and their total, the number of donations and of distinct donors (a donor who gave twice counts
    once), against the target."""
    rows = campaign_donations(user, campaign).order_by()
    sums = rows.aggregate(cash=Sum("cash"), goods=Sum("goods_value"), n=Count("id"))
    donors = rows.values("donor_kind", "donor_enterprise_id", "donor_person_id", "donor_chamber_id").distinct().count()
    return Progress(cash=fen(sums["cash"]), goods=fen(sums["goods"]), donations=sums["n"], donors=donors,
                    target=campaign.target_amount)


def campaign_kinds(*, include=None):
    """The campaign kinds to choose from: the active items of the dictionary (and `include`, an item a campaign
    already has)."""
    from shanglian.common.models import DictItem

    active = Q(is_active=True) | Q(pk=include) if include else Q(is_active=True)
    return DictItem.objects.filter(active, kind=KIND).order_by("order", "code")


def campaigns_to_choose(user, *, include=None):
    """The campaigns a donation may be given to: those the user sees (and `include`, the donation's own)."""
    visible = campaigns_visible_to(user)
    if include:
        return Campaign.objects.filter(Q(pk__in=visible.values("pk")) | Q(pk=include)).select_related("kind",
                                                                                                      "chamber")
    return visible
