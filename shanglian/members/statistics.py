"""Member statistics: every figure of the reports' member paragraphs, computed from memberships.

All functions take an already scoped queryset (`selectors.memberships_visible_to(user)`) and a date,
and use `selectors.membership_in_force_q` — the one definition of "in force". Nothing is typed in.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q

from .models import ChamberMembership, Membership
from .selectors import membership_in_force_q

KIND_LABELS = dict(Membership.Kind.choices)


def share(part, whole):
    """Percentage with one decimal, or None when there is nothing to divide."""
    return round(part * 100 / whole, 1) if whole else None


def counts_by_kind(memberships, on):
    rows = memberships.filter(membership_in_force_q(on)).values("kind").annotate(n=Count("id", distinct=True))
    counts = dict.fromkeys(Membership.Kind.values, 0)
    counts.update({row["kind"]: row["n"] for row in rows})
    counts["total"] = sum(counts[k] for k in Membership.Kind.values)
    return counts


@dataclass(frozen=True)
class YearEnd:
    year: int
    in_force: int
    joined: int
    left: int
    growth: int | None
    growth_rate: float | None


def year_end_series(memberships, years):
    """In force at each 31 December, joins and departures within the year, growth on the year before."""
    series, previous = [], None
    for year in years:
        end = date(year, 12, 31)
        in_force = memberships.filter(membership_in_force_q(end)).count()
        joined = memberships.filter(joined__year=year).count()
        left = memberships.filter(left__year=year).count()
        growth = None if previous is None else in_force - previous
        series.append(YearEnd(year, in_force, joined, left, growth,
                              None if previous is None else share(growth, previous)))
        previous = in_force
    return series


def average_annual_growth(series):
    """Compound average growth rate (%) from the first to the last year end: (last/first)^(1/n) - 1."""
    if len(series) < 2 or not series[0].in_force:
        return None
    periods = len(series) - 1
    return round(((series[-1].in_force / series[0].in_force) ** (1 / periods) - 1) * 100, 1)


@dataclass(frozen=True)
class Pair:
    label: str
    more_label: str
    more: int
    less_label: str
    less: int

    @property
    def more_share(self):
        return share(self.more, self.more + self.less)

    @property
    def less_share(self):
        return share(self.less, self.more + self.less)


def three_more_three_less(memberships, on):
    """The "三多三少" structure of the members in force on `on`:

    - 个体工商户 vs 私营企业: enterprise members by enterprise type (other types are in neither side);
    - 个人 vs 团体: individual members vs group members;
    - 本地 vs 外地: enterprise members by `Enterprise.is_local`;
    - 传统 vs 高新技术: enterprise members by `Enterprise.is_high_tech`.
    Individual members are counted only in the second pair: a person is not an enterprise.
    """
    in_force = memberships.filter(membership_in_force_q(on))
    enterprises = in_force.filter(kind=Membership.Kind.ENTERPRISE)
    figures = enterprises.aggregate(
        individual=Count("id", filter=Q(enterprise__enterprise_type__code="individual"), distinct=True),
        private=Count("id", filter=Q(enterprise__enterprise_type__code="private"), distinct=True),
        local=Count("id", filter=Q(enterprise__is_local=True), distinct=True),
        nonlocal_=Count("id", filter=Q(enterprise__is_local=False), distinct=True),
        traditional=Count("id", filter=Q(enterprise__is_high_tech=False), distinct=True),
        high_tech=Count("id", filter=Q(enterprise__is_high_tech=True), distinct=True),
    )
    kinds = counts_by_kind(memberships, on)
    return [
        Pair("个体工商户与私营企业", "个体工商户", figures["individual"], "私营企业", figures["private"]),
        Pair("个人会员与团体会员", "个人会员", kinds["individual"], "团体会员", kinds["group"]),
        Pair("本地会员与外地会员", "本地", figures["local"], "外地", figures["nonlocal_"]),
        Pair("传统产业与高新技术", "传统产业", figures["traditional"], "高新技术", figures["high_tech"]),
    ]


def by_chamber(memberships, on, limit=None):
    """Enterprise members in force per chamber (through an active chamber membership on that date)."""
    enterprise_ids = memberships.filter(membership_in_force_q(on), kind=Membership.Kind.ENTERPRISE) \
        .values("enterprise_id")
    rows = (
        ChamberMembership.objects.filter(enterprise_id__in=enterprise_ids, joined__lte=on)
        .filter(Q(left__isnull=True) | Q(left__gt=on))
        .exclude(status=ChamberMembership.Status.SUSPENDED)
        .values("chamber__name")
        .annotate(n=Count("enterprise_id", distinct=True))
        .order_by("-n", "chamber__name")
    )
    rows = [(row["chamber__name"], row["n"]) for row in rows]
    return rows[:limit] if limit else rows


def by_street(memberships, on, limit=None):
    rows = (
        memberships.filter(membership_in_force_q(on), kind=Membership.Kind.ENTERPRISE)
        .values("enterprise__street__name")
        .annotate(n=Count("id", distinct=True))
        .order_by("-n", "enterprise__street__name")
    )
    rows = [(row["enterprise__street__name"] or "未填街道", row["n"]) for row in rows]
    return rows[:limit] if limit else rows
