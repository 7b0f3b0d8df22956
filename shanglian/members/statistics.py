"""Member statistics: every figure of the reports' member paragraphs, computed from memberships.

"会员880个，企业会员316家，团体会员20个，个人会员564个", "会员年均增长率 / 349家→700家" and the
"三多三少" structure (DESIGN §4) all come from here. Every function takes an already scoped queryset
(`selectors.memberships_visible_to(user)`) and a date, and uses `selectors.membership_in_force_q` — the one
definition of "in force". Nothing is typed in, and each function costs one query whatever the number of
members (the year-end series too, whatever the number of years).

Shares are percentages as `Decimal`, rounded half up (四舍五入) to one decimal; a share of nothing is None
(shown as "—"), never a division by zero.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q

from .models import ChamberMembership, Membership
from .selectors import membership_in_force_q

KIND_LABELS = dict(Membership.Kind.choices)
KINDS = [Membership.Kind.ENTERPRISE, Membership.Kind.GROUP, Membership.Kind.INDIVIDUAL]
NO_STREET = "未填街道"
_ONE_DECIMAL = Decimal("0.1")


def percent(value):
    """A number as a percentage Decimal with one decimal, rounded half up (12.25 → 12.3)."""
    return Decimal(str(value)).quantize(_ONE_DECIMAL, rounding=ROUND_HALF_UP)


def share(part, whole):
    """`part` as a percentage of `whole` (Decimal, one decimal, half up), or None when `whole` is 0."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(_ONE_DECIMAL, rounding=ROUND_HALF_UP)


def _members(memberships):
    """The scoped memberships without duplicate rows: a chamber secretary's scope is a DISTINCT over
    joins, which must not multiply the counts nor get in the way of the aggregates."""
    return Membership.objects.filter(pk__in=memberships.values("pk"))


# --- 会员880个，企业会员316家，团体会员20个，个人会员564个 ------------------------------------------------
def counts_by_kind(memberships, on):
    """Members in force on `on` by kind: {"enterprise", "group", "individual", "total"}; the total is the
    sum of the three, never stored."""
    counts = _members(memberships).filter(membership_in_force_q(on)).aggregate(
        **{kind.value: Count("pk", filter=Q(kind=kind)) for kind in KINDS}
    )
    counts["total"] = sum(counts[kind.value] for kind in KINDS)
    return counts


# --- 会员年均增长率 / 349家→700家 --------------------------------------------------------------------------
@dataclass(frozen=True)
class YearEnd:
    year: int
    in_force: int  # at 31 December of `year`
    previous: int  # at 31 December of the year before
    joined: int  # memberships whose joined date falls in the year
    left: int  # memberships whose left date falls in the year
    suspended: int  # memberships whose suspended_on date falls in the year

    @property
    def growth(self):
        return self.in_force - self.previous

    @property
    def growth_rate(self):
        """Growth on the previous year end in %, None when there were no members then."""
        return share(self.growth, self.previous)


def year_end_series(memberships, years):
    """For each year: members in force at 31 December, at the previous 31 December, and the joins,
    departures and suspensions dated in the year — so the first year has its growth too. One query.

    The year-end counts need not reconcile with joins − departures: a suspension also ends "in force",
    and members who joined and left within the year appear in both columns."""
    years = sorted(set(years))
    if not years:
        return []
    ends = sorted(set(years) | {y - 1 for y in years})
    aggregates = {f"in_force_{y}": Count("pk", filter=membership_in_force_q(date(y, 12, 31))) for y in ends}
    for y in years:
        aggregates[f"joined_{y}"] = Count("pk", filter=Q(joined__year=y))
        aggregates[f"left_{y}"] = Count("pk", filter=Q(left__year=y))
        aggregates[f"suspended_{y}"] = Count("pk", filter=Q(suspended_on__year=y))
    figures = _members(memberships).aggregate(**aggregates)
    return [
        YearEnd(year=y, in_force=figures[f"in_force_{y}"], previous=figures[f"in_force_{y - 1}"],
                joined=figures[f"joined_{y}"], left=figures[f"left_{y}"], suspended=figures[f"suspended_{y}"])
        for y in years
    ]


def growth_basis(series):
    """(year, count) of the year end the average growth starts from: the year end before the series'
    first year, or — when the federation had no members yet — the first year end with members."""
    if not series:
        return None
    points = [(series[0].year - 1, series[0].previous)] + [(row.year, row.in_force) for row in series]
    return next(((year, count) for year, count in points if count), None)


def average_annual_growth(series):
    """年均增长率 (%): the compound rate from the `growth_basis` year end to the last year end of the
    series, (last / start) ** (1 / years) − 1, e.g. 349 → 700 over two years = 41.6 %. None when there is
    nothing to compound (no series, no members at any point, or no year between start and end)."""
    basis = growth_basis(series)
    if basis is None:
        return None
    start_year, start = basis
    years = series[-1].year - start_year
    if years <= 0:
        return None
    return percent(((series[-1].in_force / start) ** (1 / years) - 1) * 100)


# --- 三多三少 -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Pair:
    """One of the "三多三少": the side the reports find more of, and the side they find less of."""

    key: str
    label: str
    base: str  # whom the pair counts
    more_label: str
    more: int
    less_label: str
    less: int

    @property
    def total(self):
        return self.more + self.less

    @property
    def more_share(self):
        return share(self.more, self.total)

    @property
    def less_share(self):
        return share(self.less, self.total)


def three_more_three_less(memberships, on):
    """The "三多三少" of the members in force on `on`, as four pairs, each share of the pair's two sides:

    - 个体工商户 vs 私营企业 — enterprise members by 企业类型 (DictItem code "individual" / "private");
      enterprises of other types (外商投资, 港澳台, 其他) are on neither side.
    - 个人会员 vs 团体会员 — all members by kind (enterprise members are on neither side).
    - 本地 vs 外地 — enterprise members by `Enterprise.is_local`.
    - 传统产业 vs 高新技术 — enterprise members by `Enterprise.is_high_tech`.

    Decision: individual (and group) members are counted only in the second pair. Locality and
    technology are attributes of an enterprise; a person has neither, and borrowing them from an
    enterprise the person holds a role in would count that enterprise twice whenever it is a member
    too (the usual case: an enterprise member and its legal representative as an individual member),
    and would need an arbitrary rule for persons with several or no enterprises. One query.
    """
    enterprise = Q(kind=Membership.Kind.ENTERPRISE)
    f = _members(memberships).filter(membership_in_force_q(on)).aggregate(
        individual_business=Count("pk", filter=enterprise & Q(enterprise__enterprise_type__code="individual")),
        private=Count("pk", filter=enterprise & Q(enterprise__enterprise_type__code="private")),
        persons=Count("pk", filter=Q(kind=Membership.Kind.INDIVIDUAL)),
        groups=Count("pk", filter=Q(kind=Membership.Kind.GROUP)),
        local=Count("pk", filter=enterprise & Q(enterprise__is_local=True)),
        nonlocal_=Count("pk", filter=enterprise & Q(enterprise__is_local=False)),
        traditional=Count("pk", filter=enterprise & Q(enterprise__is_high_tech=False)),
        high_tech=Count("pk", filter=enterprise & Q(enterprise__is_high_tech=True)),
    )
    return [
        Pair("business_type", "个体工商户与私营企业", "企业会员", "个体工商户", f["individual_business"],
             "私营企业", f["private"]),
        Pair("member_kind", "个人会员与团体会员", "全部会员", "个人会员", f["persons"], "团体会员", f["groups"]),
        Pair("locality", "本地会员与外地会员", "企业会员", "本地", f["local"], "外地", f["nonlocal_"]),
        Pair("technology", "传统产业与高新技术", "企业会员", "传统产业", f["traditional"], "高新技术", f["high_tech"]),
    ]


# --- by chamber, by street --------------------------------------------------------------------------------
def by_chamber(memberships, on, *, chambers=None, limit=None):
    """[(chamber name, n)] — enterprise members in force on `on` per chamber they belong to through a
    chamber membership in force on that day (joined, not yet left, not suspended), most first. An
    enterprise in two chambers counts in both. `chambers` (a Chamber queryset) limits the rows to the
    chambers the user may see: a chamber secretary is not told about other chambers. One query."""
    enterprises = _members(memberships).filter(membership_in_force_q(on), kind=Membership.Kind.ENTERPRISE)
    rows = (
        ChamberMembership.objects.filter(enterprise_id__in=enterprises.values("enterprise_id"), joined__lte=on)
        .filter(Q(left__isnull=True) | Q(left__gt=on))
        .exclude(status=ChamberMembership.Status.SUSPENDED)
    )
    if chambers is not None:
        rows = rows.filter(chamber_id__in=chambers.values("pk"))
    rows = (
        rows.values("chamber_id", "chamber__name")
        .annotate(n=Count("enterprise_id", distinct=True))
        .order_by("-n", "chamber__name", "chamber_id")
    )
    return [(row["chamber__name"], row["n"]) for row in (rows[:limit] if limit else rows)]


def by_street(memberships, on, *, limit=None):
    """[(street name, n)] — enterprise members in force on `on` by the enterprise's street, most first;
    enterprises without a street are counted as "未填街道". One query."""
    rows = (
        _members(memberships).filter(membership_in_force_q(on), kind=Membership.Kind.ENTERPRISE)
        .values("enterprise__street_id", "enterprise__street__name")
        .annotate(n=Count("pk"))
        .order_by("-n", F("enterprise__street__name").asc(nulls_last=True), "enterprise__street_id")
    )
    return [(row["enterprise__street__name"] or NO_STREET, row["n"]) for row in (rows[:limit] if limit else rows)]
