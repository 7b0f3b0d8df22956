"""Member figures: every figure of the reports' member paragraphs, computed from memberships and
registered with the figures layer (`shanglian.ui.figures`).

"会员880个，企业会员316家，团体会员20个，个人会员564个", "会员年均增长率 / 349家→700家" and the
"三多三少" structure (DESIGN §4) all come from here. The aggregate functions take an already scoped
queryset (`selectors.memberships_visible_to(user)`) and a date, and use `selectors.membership_in_force_q` —
the one definition of "in force". Nothing is typed in, and each function costs one query whatever the
number of members (the year-end series too, whatever the number of years; "三多三少" two, or none when
given the counts the statistics page has read already). For a federation role's whole scope the date
figures — in force on a day, the year-end series, joined in a period — read the maintained day summary
(`summaries.py`: a few thousand rows however many members) instead; `summaries=False` counts the
memberships (the tests compare the two). The registered figures
(`members.*`, bottom of the module) take the acting user and a Period: a figure "in force" is counted on
the period's last day, and its records are the memberships counted.

Shares are percentages as `Decimal`, rounded half up (四舍五入) to one decimal; a share of nothing is None
(shown as `ui.figures.NO_DATA`, "无数据"), never a division by zero.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, Substr
from django.http import Http404
from django.urls import reverse

from shanglian.accounts.roles import FEDERATION_ROLES, require_role, role_of
from shanglian.common.industry import industry_division
from shanglian.common.models import IndustryCode
from shanglian.orgs.figures import active_chambers
from shanglian.orgs.models import Chamber
from shanglian.orgs.selectors import chambers_in_scope
from shanglian.ui.figures import figure, percent, remembered, share
from shanglian.ui.listing import Column

from .models import ChamberMembership, Membership
from .selectors import enterprises_visible_to, membership_in_force_q, memberships_visible_to
from .summaries import DATED, dated_sum, in_force_sum, scope_of
from .summaries import rows as summary_rows

KIND_LABELS = dict(Membership.Kind.choices)
KINDS = [Membership.Kind.ENTERPRISE, Membership.Kind.GROUP, Membership.Kind.INDIVIDUAL]
NO_STREET = "未填街道"


def _members(memberships):
    """The scoped memberships without duplicate rows: a chamber secretary's scope is a DISTINCT over
    joins, which must not multiply the counts nor get in the way of the aggregates. A scope without
    DISTINCT (the federation roles': a federation filter) is used as it is, so that the aggregates read
    the `membership_figures` index alone instead of looking every row up by its id."""
    if not memberships.query.distinct:
        return memberships.select_related(None).order_by()
    return Membership.objects.filter(pk__in=memberships.values("pk"))


# --- 会员880个，企业会员316家，团体会员20个，个人会员564个 ------------------------------------------------
def counts_by_kind(memberships, on):
    """Members in force on `on` by kind: {"enterprise", "group", "individual", "total"}; the total is the
    sum of the three, never stored."""
    return counts_by_kind_on(memberships, [on])[on]


def _by_dates(memberships):
    """The scoped memberships grouped by what the date figures read — the dates that decide "in force"
    and the kind — with `n` rows in each group: at city scale ~14,000 groups for 64,000 memberships, read
    in the order of the `membership_figures` index alone. A figure sums the `n` of the groups that meet
    the condition it would count the rows with (`_sum`), so each condition is evaluated per group, not
    per row: the same figures, a fraction of the work."""
    return (_members(memberships).values("joined", "kind", "left", "suspended_on")
            .annotate(n=Count("*")).order_by())


def _sum(condition):
    return Coalesce(Sum("n", filter=condition), 0)


class _Counted:
    """The date figures counted from the memberships, grouped by their dates (`_by_dates`)."""

    def __init__(self, memberships):
        self.rows = _by_dates(memberships)

    @staticmethod
    def in_force(on, kind=None):
        return _sum(membership_in_force_q(on) & (Q(kind=kind) if kind is not None else Q()))

    @staticmethod
    def dated(field, start, end):
        return _sum(Q(**{f"{field}__gte": start, f"{field}__lte": end}))


class _Summed:
    """The same figures summed from the day summary of whole federations (`summaries.py`)."""

    def __init__(self, federation_ids):
        self.rows = summary_rows(federation_ids)

    in_force = staticmethod(in_force_sum)
    dated = staticmethod(dated_sum)


def _date_figures(memberships, summaries=True):
    """Where the date figures of `memberships` come from: the day summary when the queryset is a federation
    role's whole scope (and `summaries`), else the memberships themselves."""
    federation_ids = scope_of(memberships) if summaries else None
    return _Counted(memberships) if federation_ids is None else _Summed(federation_ids)


def counts_by_kind_on(memberships, dates, *, summaries=True):
    """`counts_by_kind` on each of `dates` ({date: counts}), in one query."""
    dates = sorted(set(dates))
    source = _date_figures(memberships, summaries)
    figures = source.rows.aggregate(**{
        f"{kind.value}_{i}": source.in_force(on, kind) for i, on in enumerate(dates) for kind in KINDS})
    result = {}
    for i, on in enumerate(dates):
        counts = {kind.value: figures[f"{kind.value}_{i}"] for kind in KINDS}
        counts["total"] = sum(counts.values())
        result[on] = counts
    return result


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


def year_end_series(memberships, years, *, summaries=True):
    """For each year: members in force at 31 December, at the previous 31 December, and the joins,
    departures and suspensions dated in the year — so the first year has its growth too. One query.

    The year-end counts need not reconcile with joins − departures: a suspension also ends "in force",
    and members who joined and left within the year appear in both columns."""
    years = sorted(set(years))
    if not years:
        return []
    source = _date_figures(memberships, summaries)
    ends = sorted(set(years) | {y - 1 for y in years})
    aggregates = {f"in_force_{y}": source.in_force(date(y, 12, 31)) for y in ends}
    for y in years:
        for field, name in DATED.items():
            aggregates[f"{name}_{y}"] = source.dated(field, date(y, 1, 1), date(y, 12, 31))
    figures = source.rows.aggregate(**aggregates)
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


_ENTERPRISE = Q(kind=Membership.Kind.ENTERPRISE)
# The two sides of each pair, as conditions on memberships (the pair's base is either side).
PAIR_SIDES = {
    "business_type": (_ENTERPRISE & Q(enterprise__enterprise_type__code="individual"),
                      _ENTERPRISE & Q(enterprise__enterprise_type__code="private")),
    "member_kind": (Q(kind=Membership.Kind.INDIVIDUAL), Q(kind=Membership.Kind.GROUP)),
    "locality": (_ENTERPRISE & Q(enterprise__is_local=True), _ENTERPRISE & Q(enterprise__is_local=False)),
    "technology": (_ENTERPRISE & Q(enterprise__is_high_tech=False), _ENTERPRISE & Q(enterprise__is_high_tech=True)),
}
# The sides counted among enterprise members (by the enterprise's type, place, technology).
ENTERPRISE_SIDES = {f"{key}_{side}": q for key, sides in PAIR_SIDES.items() if key != "member_kind"
                    for side, q in zip(("more", "less"), sides, strict=True)}
PAIR_LABELS = {
    "business_type": ("个体工商户与私营企业", "企业会员", "个体工商户", "私营企业"),
    "member_kind": ("个人会员与团体会员", "全部会员", "个人会员", "团体会员"),
    "locality": ("本地会员与外地会员", "企业会员", "本地", "外地"),
    "technology": ("传统产业与高新技术", "企业会员", "传统产业", "高新技术"),
}


def three_more_three_less(memberships, on, *, kinds=None, groups=None):
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
    and would need an arbitrary rule for persons with several or no enterprises.

    The enterprise pairs are the sums of the per-street groups of `street_groups` and the member-kind
    pair is `counts_by_kind`'s individual and group counts (the same conditions on the same members): two
    queries, none when the caller (the statistics page) passes the two it has already read.
    """
    kinds = counts_by_kind(memberships, on) if kinds is None else kinds
    groups = street_groups(memberships, on) if groups is None else groups
    f = {side: sum(group[side] for group in groups) for side in ENTERPRISE_SIDES}
    f["member_kind_more"], f["member_kind_less"] = kinds[Membership.Kind.INDIVIDUAL], kinds[Membership.Kind.GROUP]
    return [Pair(key, label, base, more_label, f[f"{key}_more"], less_label, f[f"{key}_less"])
            for key, (label, base, more_label, less_label) in PAIR_LABELS.items()]


# --- by chamber, by street --------------------------------------------------------------------------------
def _chamber_memberships_in_force(memberships, on):
    """Chamber memberships in force on `on` (joined, not yet left, not suspended) of the enterprise members
    in force on that day."""
    enterprises = _members(memberships).filter(membership_in_force_q(on), kind=Membership.Kind.ENTERPRISE)
    # `enterprise_id + 0`: the same ids, but no index of the column, so that SQLite reads each chamber's
    # range of `chambermember_chamber_counts` against the set of members instead of probing the
    # (chamber, enterprise) constraint once per chamber and member (25 × 20,000 probes at city scale).
    return (
        ChamberMembership.objects.alias(member=F("enterprise_id") + 0)
        .filter(member__in=enterprises.values("enterprise_id"), joined__lte=on)
        .filter(Q(left__isnull=True) | Q(left__gt=on))
        .exclude(status=ChamberMembership.Status.SUSPENDED)
    )


def by_chamber(memberships, on, *, chambers=None, limit=None):
    """[(chamber name, n)] — enterprise members in force on `on` per chamber they belong to through a
    chamber membership in force on that day (joined, not yet left, not suspended), most first. An
    enterprise in two chambers counts in both. `chambers` (a Chamber queryset) limits the rows to the
    chambers the user may see: a chamber secretary is not told about other chambers. One query."""
    return [(name, n) for _, name, n in chamber_rows(memberships, on, chambers=chambers, limit=limit)]


def chamber_rows(memberships, on, *, chambers=None, limit=None):
    """`by_chamber` with each chamber's id first: [(id, name, n)]."""
    rows = _chamber_memberships_in_force(memberships, on)
    if chambers is not None:
        rows = rows.filter(chamber_id__in=chambers.values("pk"))
    rows = (
        rows.values("chamber_id", "chamber__name")
        .annotate(n=Count("enterprise_id"))  # once per chamber and enterprise: `members_chamber_enterprise`
        .order_by("-n", "chamber__name", "chamber_id")
    )
    return [(row["chamber_id"], row["chamber__name"], row["n"]) for row in (rows[:limit] if limit else rows)]


def by_street(memberships, on, *, limit=None):
    """[(street name, n)] — enterprise members in force on `on` by the enterprise's street, most first;
    enterprises without a street are counted as "未填街道". One query."""
    return [(name, n) for _, name, n in street_rows(memberships, on, limit=limit)]


def street_groups(memberships, on):
    """The enterprise members in force on `on` grouped by the enterprise's street, most first (the order
    of `street_rows`), each with `n` and the counts of the enterprise pairs' sides of "三多三少"
    (`ENTERPRISE_SIDES`): 按街道 and three pairs in one pass over the members and their enterprises."""
    return list(
        _members(memberships).filter(membership_in_force_q(on), kind=Membership.Kind.ENTERPRISE)
        .values("enterprise__street_id", "enterprise__street__name")
        .annotate(n=Count("pk"), **{side: Count("pk", filter=q) for side, q in ENTERPRISE_SIDES.items()})
        .order_by("-n", F("enterprise__street__name").asc(nulls_last=True), "enterprise__street_id")
    )


def street_rows(memberships, on, *, limit=None, groups=None):
    """`by_street` with each street's id first (None for "未填街道"): [(id, name, n)]; `groups` the
    `street_groups` the caller has already read."""
    groups = street_groups(memberships, on) if groups is None else groups
    return [(row["enterprise__street_id"], row["enterprise__street__name"] or NO_STREET, row["n"])
            for row in (groups[:limit] if limit else groups)]


# --- registered figures (shanglian.ui.figures) ------------------------------------------------------------
# Each takes the acting user (403 for roles without member data, through the selector) and a Period; a
# count "in force" is taken on the period's last day. The records are Membership rows of the user's scope.
def in_force(user, on):
    """The memberships of the user's scope in force on `on`."""
    return _members(memberships_visible_to(user)).filter(membership_in_force_q(on))


def _in_force_figure(user, on, kind=None):
    """(count, records) of the members (of `kind`) of the user's scope in force on `on`: the count from the
    day summary for a federation role's whole scope, else counted from the records."""
    memberships = memberships_visible_to(user)
    records = _members(memberships).filter(membership_in_force_q(on))
    if kind is not None:
        records = records.filter(kind=kind)
    source = _date_figures(memberships)
    return source.rows.aggregate(value=source.in_force(on, kind))["value"], records


IN_FORCE = "入会日期不晚于统计日、且统计日尚未退会、未暂停的会员"


@figure("members.in_force", label="会员总数", unit="个", definition=f"在册会员：{IN_FORCE}；合计为三类之和")
def members_in_force(*, user, period):
    return _in_force_figure(user, period.end)


def _register_kind(kind, label):
    @figure(f"members.in_force.{kind.value}", label=label, unit="个", definition=f"在册{label}：{IN_FORCE}")
    def members_of_kind(*, user, period):
        return _in_force_figure(user, period.end, kind)
    return members_of_kind


for _kind in KINDS:
    _register_kind(_kind, KIND_LABELS[_kind])


@figure("members.joined", label="新入会会员", unit="个",
        definition="入会日期在统计期间内的会员（其后已退会或暂停的也计入）")
def members_joined(*, user, period):
    memberships = memberships_visible_to(user)
    records = _members(memberships).filter(joined__gte=period.start, joined__lte=period.end)
    source = _date_figures(memberships)
    return source.rows.aggregate(value=source.dated("joined", period.start, period.end))["value"], records


@figure("members.growth_rate", label="会员增长率", unit="%",
        definition="统计期末在册会员数比上年同日增减的百分比；记录为统计期末在册会员")
def members_growth_rate(*, user, period):
    last_year = period.year_ago().end
    counts = counts_by_kind_on(memberships_visible_to(user), [period.end, last_year])
    now, before = counts[period.end]["total"], counts[last_year]["total"]
    return share(now - before, before), in_force(user, period.end)


@figure("members.average_annual_growth", label="会员年均增长率", unit="%", compare=False,
        definition="期间首年上年末（无会员时取首个有会员的年末）至末年年末在册会员数的复合年均增长率；"
                   "记录为末年年末在册会员")
def members_average_annual_growth(*, user, period):
    series = year_end_series(memberships_visible_to(user), period.years())
    return average_annual_growth(series), in_force(user, date(period.end.year, 12, 31))


def _register_pair(key, label, base, more_label, less_label):
    more, less = PAIR_SIDES[key]

    @figure(f"members.share.{key}", label=f"{more_label}占比", unit="%",
            definition=f"“三多三少”：统计期末在册{base}中{more_label}占{more_label}与{less_label}之和的百分比；"
                       f"记录为两类会员（分母）")
    def pair_share(*, user, period):
        records = in_force(user, period.end).filter(more | less)
        counts = records.aggregate(more=Count("pk", filter=more), total=Count("pk"))
        return share(counts["more"], counts["total"]), records
    return pair_share


for _key, (_label, _base, _more, _less) in PAIR_LABELS.items():
    _register_pair(_key, _label, _base, _more, _less)


@figure("members.by_chamber", label="商会在册企业会员", unit="家",
        definition="统计期末通过在册的商会会籍属于该商会的在册企业会员（一家企业属于两个商会时各计一次）")
def members_of_chamber(*, user, period, chamber):
    if not chambers_in_scope(user).filter(pk=chamber).exists():
        raise Http404("没有该商会。")
    enterprises = _chamber_memberships_in_force(memberships_visible_to(user), period.end).filter(chamber_id=chamber)
    return in_force(user, period.end).filter(kind=Membership.Kind.ENTERPRISE,
                                             enterprise_id__in=enterprises.values("enterprise_id"))


@figure("members.by_street", label="街道在册企业会员", unit="家",
        definition="统计期末在册企业会员中企业所在街道为该街道的（“未填街道”为未填写街道的企业）")
def members_of_street(*, user, period, street=None):
    records = in_force(user, period.end).filter(kind=Membership.Kind.ENTERPRISE)
    return records.filter(enterprise__street_id=street) if street else records.filter(enterprise__street__isnull=True)


# --- the registry: 商会覆盖率, 注册资本千万元/亿元以上民营企业 ---------------------------------------------------------
# These read the enterprise registry (every enterprise of the scope, members or not), so they are the federation
# roles' (a chamber secretary's scope is its members, not the district's firms: 403). 民营企业 here are the
# enterprises of 企业类型 私营企业 (`PRIVATE_TYPE`; 个体工商户 are not enterprises, 外商/港澳台投资 not private).
# The registry keeps no closing date and no history of capital: an enterprise is counted on a day when it was
# founded on or before it (one without a founding date counts), with its registered capital as recorded now.
PRIVATE_TYPE = "private"
CAPITAL_10M = Decimal("1000")  # 万元: registered capital of 1000万元 (一千万元)
CAPITAL_100M = Decimal("10000")  # 万元: 1亿元
REGISTRY = ("统计期末（期末晚于今天时为今天）已成立（未填成立日期的视为已成立）的本工商联及所辖工商联登记的私营企业"
            "（企业类型为“私营企业”，不论是否会员）")


def private_enterprises(user, on):
    """The private enterprises of the federation role's registry founded on or before `on` (see above)."""
    require_role(user, *FEDERATION_ROLES)
    return (enterprises_visible_to(user).filter(enterprise_type__code=PRIVATE_TYPE).exclude(founded__gt=on)
            .select_related("industry", "enterprise_type", "street"))


def _capital_figure(user, period, floor):
    return private_enterprises(user, period.as_of()).filter(registered_capital__gte=floor)


@figure("members.capital_10m", label="注册资本千万元以上民营企业", unit="家",
        definition=f"{REGISTRY}中注册资本不低于1000万元的企业（注册资本按当前登记数）")
def capital_10m(*, user, period):
    return _capital_figure(user, period, CAPITAL_10M)


@figure("members.capital_100m", label="注册资本亿元以上民营企业", unit="家",
        definition=f"{REGISTRY}中注册资本不低于1亿元的企业（注册资本按当前登记数）")
def capital_100m(*, user, period):
    return _capital_figure(user, period, CAPITAL_100M)


@dataclass(frozen=True)
class Coverage:
    """商会覆盖率 (DESIGN §4): the GB/T 4754 大类 where at least `threshold` private enterprises of the registry are
    (`concentrated`: {division code: enterprises}), those of them an active 行业商会 covers (`covered`), the share."""

    threshold: int
    concentrated: dict
    covered: frozenset

    @property
    def rate(self):
        """Covered ÷ concentrated industries in %; None (无数据) when no industry reaches the threshold."""
        return share(len(self.covered), len(self.concentrated))


def coverage_threshold(user):
    """N of 商会覆盖率: the user's federation's `chamber_coverage_threshold` (a city user's own; a city user seen
    from one of its districts, that district's)."""
    require_role(user, *FEDERATION_ROLES)
    return user.federation.chamber_coverage_threshold


def chamber_coverage_of(user, on):
    """The `Coverage` of the user's scope on `on`: one grouped query over the private enterprises by the 大类 of
    their industry code (a 门类-only code has none), one over the active industry chambers' industries — once for
    the three figures that read it on a page that computes them together (`ui.figures.remembering`)."""
    threshold = coverage_threshold(user)
    key = ("members.chamber_coverage_of", user.pk, user.federation_id, role_of(user), on, threshold)
    return remembered(key, lambda: _chamber_coverage(user, on, threshold))


def _chamber_coverage(user, on, threshold):
    rows = (private_enterprises(user, on).order_by().annotate(division=Substr("industry_id", 1, 2))
            .values("division").annotate(n=Count("pk")).filter(n__gte=threshold))
    concentrated = {row["division"]: row["n"] for row in rows if industry_division(row["division"])}
    chambers = active_chambers(user, on, Chamber.Kind.INDUSTRY)
    codes = chambers.filter(industries__isnull=False).order_by().values_list("industries__code", flat=True).distinct()
    covered = {industry_division(code) for code in codes} & concentrated.keys()
    return Coverage(threshold, concentrated, frozenset(covered))


def _divisions(user, on, codes):
    """The 大类 rows of `codes`, each with the number of the scope's private enterprises in it (`private_count`) and
    whether an active 行业商会 covers it (`covered`): the drill-down's records."""
    private = (private_enterprises(user, on).select_related(None).order_by()
               .annotate(division=Substr("industry_id", 1, 2)).filter(division=OuterRef("code"))
               .values("division"))
    industry_chambers = active_chambers(user, on, Chamber.Kind.INDUSTRY).filter(
        industries__code__startswith=OuterRef("code"))
    return (IndustryCode.objects.filter(level=IndustryCode.Level.DIVISION, code__in=sorted(codes))
            .annotate(private_count=Coalesce(Subquery(private.annotate(n=Count("*")).values("n")), 0,
                                           output_field=IntegerField()),
                      covered=Exists(industry_chambers))
            .order_by("code"))


CONCENTRATED = ("统计期末私营企业集聚的行业：国民经济行业分类（GB/T 4754-2017）大类中，" + REGISTRY +
                "不少于N家的大类（N为本工商联设定的商会覆盖率口径，默认10家）")
COVERED = ("状态为“正常”、成立日期不晚于统计期末的行业商会“覆盖行业”所含的大类（商会状态只记当前状态）")


@figure("members.industries_concentrated", label="民营企业集聚行业", unit="个", definition=CONCENTRATED)
def industries_concentrated(*, user, period):
    on = period.as_of()
    found = chamber_coverage_of(user, on)
    return len(found.concentrated), _divisions(user, on, found.concentrated)


@figure("members.industries_covered", label="行业商会覆盖的集聚行业", unit="个",
        definition=f"民营企业集聚行业（{CONCENTRATED}）中，有{COVERED}的")
def industries_covered(*, user, period):
    on = period.as_of()
    found = chamber_coverage_of(user, on)
    return len(found.covered), _divisions(user, on, found.covered)


@figure("members.chamber_coverage", label="商会覆盖率", unit="%",
        definition=f"行业商会覆盖的集聚行业 ÷ 民营企业集聚行业（{CONCENTRATED}；覆盖指有{COVERED}）；"
                   "没有大类达到N家时为“无数据”；记录为集聚行业（分母）")
def chamber_coverage(*, user, period):
    on = period.as_of()
    found = chamber_coverage_of(user, on)
    return found.rate, _divisions(user, on, found.concentrated)


# --- the drill-down's columns of the registry figures (the membership figures' are statistics_views') -----------
ENTERPRISE_COLUMNS = [
    Column("企业名称", "name", link=lambda e: reverse("members:enterprise_detail", args=[e.pk]), wrap=True,
           sort="name"),
    Column("统一社会信用代码", "uscc"),
    Column("行业", lambda e: str(e.industry), wrap=True),
    Column("注册资本（万元）", "registered_capital", sort="registered_capital"),
    Column("成立日期", "founded", sort="founded"),
]
DIVISION_COLUMNS = [
    Column("行业大类", str, wrap=True, sort="code"),
    Column("私营企业（家）", "private_count"),
    Column("行业商会覆盖", lambda d: "已覆盖" if d.covered else "未覆盖",
           tag=lambda d: "tag-success" if d.covered else "tag-danger"),
]
RECORD_COLUMNS = {"members.capital_10m": ENTERPRISE_COLUMNS, "members.capital_100m": ENTERPRISE_COLUMNS,
                  **dict.fromkeys(("members.industries_concentrated", "members.industries_covered",
                                   "members.chamber_coverage"), DIVISION_COLUMNS)}
