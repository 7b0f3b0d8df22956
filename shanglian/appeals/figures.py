"""Appeal KPIs (DESIGN §3; issue 4, item 4): the figures of the service desk, per department, category
and month and overall, for a period of submission dates, always inside `selectors.appeals_visible_to(user)`;
each overall figure is also registered with the figures layer (`appeals.*`, bottom of the module) with
the appeals behind it, for the statistics page's drill-down and the reports app.

Definitions (the same text is in docs/appeals.md, "KPI definitions"):

- **received 诉求总量**: appeals submitted in the period [start, end] (local dates, both included);
- **accepted 受理**: of those, the ones accepted — not rejected and past 已提交;
- **closed 办结**: of those, the ones in status 已办结; **办结率** = closed ÷ accepted;
- **按时办理率 / 及时处办率** = replied by the deadline ÷ replied. Per department it counts that
  department's `Assignment` rows with a reply (`replied_at` set), by their `replied_on_time` — every
  round of a reopened appeal is one row. Overall, per category and per month it counts appeals by
  `Appeal.replied_on_time` where set: a reopened appeal counts by its latest reply only;
- **average working days to reply 平均答复用时**: the mean of `Assignment.working_days_to_reply` over
  replied assignments (one decimal);
- **满意度 (百分制)**: the mean of `RATING_POINTS` (满意 100, 基本满意 80, 不满意 0) over the appeals
  that carry a rating (one decimal); **满意率** = (满意 + 基本满意) ÷ rated;
- **overdue now 当前超期**: open appeals past their deadline today (`models.overdue_q`), whatever
  the period. Per department: the appeals whose assignment it still holds (待签收 or 办理中) past that
  assignment's own deadline (`models.assignment_overdue_q`, as its 已超期 queue); per month: those
  submitted in that month;
- **enterprises enrolled 服务企业数** (overall only): distinct enterprises with at least one appeal in
  the scope submitted up to the period end, plus enterprises of the user's member scope that have an
  active enterprise-role account created by the period end (a department has no member scope: its
  figure counts the enterprises of its appeals only);
- the four figures Suzhou 12345 publishes: 诉求总量 (received), 及时处办率 (= 按时办理率), 办结率, 满意率.

A department's rows are the appeals dispatched to it that it did not return. Rates are percentages
as `Decimal` with one decimal, rounded half up; a rate, mean or score over nothing is None (shown
`ui.figures.NO_DATA`, "无数据").

Everything is counted by the database (conditional `Count`/`Sum` with GROUP BY): the overall figures
cost three queries, each breakdown one to three, whatever the number of appeals. At city scale (issue 19)
each query reads only the rows it counts, through an index whose first column is the scope: the appeals
of the period through (federation, submitted_at) — the overdue ones, which count whatever the period,
through (federation, status, deadline), in the same query (`WHERE in the period OR overdue`) — months are
buckets of submission-time ranges (a CASE over the month boundaries in Asia/Shanghai, not a date
truncation the database runs per row, which on SQLite is a Python function), and 服务企业数 reads the
distinct enterprises of the scoped appeals once instead of looking for an appeal per enterprise.
"""

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime, time
from decimal import Decimal

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Sum, Value, When
from django.utils import timezone

from shanglian.accounts.roles import (
    FEDERATION_ROLES,
    MEMBER_READER_ROLES,
    READER_ROLES,
    Role,
    require_role,
    role_of,
)
from shanglian.accounts.selectors import users_in_role
from shanglian.common.periods import Period
from shanglian.members.models import Enterprise
from shanglian.orgs.selectors import federation_ids_in_scope
from shanglian.ui.figures import YEAR_AGO, Figure, figure, get, mean, share

from .models import (
    RATING_POINTS,
    AppealCategory,
    AppealReach,
    Assignment,
    Rating,
    Status,
    assignment_overdue_q,
    overdue_q,
)
from .selectors import appeals_visible_to
from .summaries import APPEAL_COUNTS, Source

NOT_ACCEPTED = (Status.SUBMITTED, Status.REJECTED)
POINTS = {rating: Decimal(points) for rating, points in RATING_POINTS.items()}
RATINGS = (Rating.SATISFIED, Rating.BASICALLY, Rating.UNSATISFIED)


# --- one row of figures --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Figures:
    """The counts of one row (overall, a department, a category or a month); rates are derived."""

    label: str = "合计"
    key: object = None
    received: int = 0
    accepted: int = 0
    closed: int = 0
    replied: int = 0  # appeals (overall/category/month) or assignments (department) with a reply
    replied_on_time: int = 0
    reply_days_total: int = 0  # sum of working days to reply over replied assignments
    reply_days_count: int = 0
    satisfied: int = 0
    basically: int = 0
    unsatisfied: int = 0
    overdue: int = 0

    @property
    def closure_rate(self):
        """办结率 = closed ÷ accepted (%)."""
        return share(self.closed, self.accepted)

    @property
    def on_time_rate(self):
        """按时办理率 (及时处办率) = replied by the deadline ÷ replied (%)."""
        return share(self.replied_on_time, self.replied)

    @property
    def average_reply_days(self):
        """Mean working days from dispatch to reply over replied assignments."""
        return mean(self.reply_days_total, self.reply_days_count)

    @property
    def rated(self):
        return self.satisfied + self.basically + self.unsatisfied

    @property
    def satisfaction_score(self):
        """满意度 (百分制): mean of 100 / 80 / 0 over rated appeals."""
        points = (POINTS[Rating.SATISFIED] * self.satisfied + POINTS[Rating.BASICALLY] * self.basically
                  + POINTS[Rating.UNSATISFIED] * self.unsatisfied)
        return mean(points, self.rated)

    @property
    def satisfaction_rate(self):
        """满意率 = (满意 + 基本满意) ÷ rated (%)."""
        return share(self.satisfied + self.basically, self.rated)

    @property
    def is_empty(self):
        return not (self.received or self.replied or self.rated or self.overdue or self.reply_days_count)


COUNT_FIELDS = ("received", "accepted", "closed", "replied", "replied_on_time", "reply_days_total",
                "reply_days_count", "satisfied", "basically", "unsatisfied", "overdue")


def _figures(label, key, *rows):
    counts = {}
    for row in rows:
        for name in COUNT_FIELDS:
            if row and row.get(name) is not None:
                counts[name] = counts.get(name, 0) + row[name]
    return Figures(label=label, key=key, **counts)


# --- the aggregates ----------------------------------------------------------------------------------
def _in_period(period, prefix=""):
    start, end = period.bounds
    return Q(**{f"{prefix}submitted_at__gte": start, f"{prefix}submitted_at__lt": end})


def _appeal_counts(period, today):
    """Conditional counts over appeals: everything but the reply days (which live on assignments)."""
    p = _in_period(period)
    return {
        "received": Count("pk", filter=p),
        "accepted": Count("pk", filter=p & ~Q(status__in=NOT_ACCEPTED)),
        "closed": Count("pk", filter=p & Q(status=Status.CLOSED)),
        "replied": Count("pk", filter=p & Q(replied_on_time__isnull=False)),
        "replied_on_time": Count("pk", filter=p & Q(replied_on_time=True)),
        "satisfied": Count("pk", filter=p & Q(rating=Rating.SATISFIED)),
        "basically": Count("pk", filter=p & Q(rating=Rating.BASICALLY)),
        "unsatisfied": Count("pk", filter=p & Q(rating=Rating.UNSATISFIED)),
        "overdue": Count("pk", filter=overdue_q(today)),
    }


def _period_counts(period):
    """`_appeal_counts` without the overdue count, for rows already narrowed to the period."""
    counts = _appeal_counts(period, None)
    del counts["overdue"]
    return counts


def _split_counts(scope, period, today, group=(), *, overdue=True, late_scope=None):
    """The rows of `_appeal_counts` as two queries, each read through its own index: the appeals of the
    period (federation, submitted_at, …) and those overdue now whatever the period (federation, status,
    deadline); an OR of the two would read every appeal of the scope. [(period row, overdue row)] by
    the `group` fields' values (one pair with no `group`); without `overdue`, no overdue row. The late
    ones are read from `late_scope` when given (`kpi_scope(per_row=True)`: the same appeals)."""
    counted = scope.filter(_in_period(period)).order_by()
    late = _late_of(scope, today, late_scope)
    if not group:
        return [(counted.aggregate(**_period_counts(period)),
                 late.aggregate(overdue=Count("pk")) if overdue else None)]
    rows = {tuple(row[g] for g in group): row for row in counted.values(*group).annotate(**_period_counts(period))}
    lates = {tuple(row[g] for g in group): row for row in late.values(*group).annotate(overdue=Count("pk"))}
    return [(rows.get(key), lates.get(key)) for key in sorted(set(rows) | set(lates))]


def _late_of(scope, today, late_scope=None):
    """The scope's appeals overdue now (whatever the period), grouped by nothing yet: read from `late_scope`
    when given (`kpi_scope(per_row=True)`, the same appeals)."""
    return (late_scope if late_scope is not None else scope).filter(overdue_q(today)).order_by()


def _reply_days(prefix=""):
    """The sum and number of the working days to reply. The number counts a column the filter holds non-null
    (not the assignment's id), so that PostgreSQL reads the assignments from `assignment_appeal_kpi` alone."""
    replied = Q(**{f"{prefix}replied_at__isnull": False, f"{prefix}working_days_to_reply__isnull": False})
    return {
        "reply_days_total": Sum(f"{prefix}working_days_to_reply", filter=replied),
        "reply_days_count": Count(f"{prefix}working_days_to_reply", filter=replied),
    }


def _days_by(scope, period, *group, **annotations):
    """The reply days of the scope's appeals of the period, grouped by appeal fields (or by nothing):
    read from the appeals' index joined to their assignments' index, never from the rows themselves.
    Keyed by the group's value (by the tuple of the values with several group fields)."""
    qs = scope.filter(_in_period(period)).order_by()
    if annotations:
        qs = qs.annotate(**annotations)
    if not group:
        return qs.aggregate(**_reply_days("assignments__"))
    rows = qs.values(*group).annotate(**_reply_days("assignments__"))
    if len(group) > 1:
        return {tuple(row[g] for g in group): row for row in rows}
    return {row[group[0]]: row for row in rows}


def _assignments_of(scope, period):
    """Replied assignments are looked at only for appeals of the scope submitted in the period: the ids
    of those appeals come from the scope's index, the assignments from theirs (no appeal row is read)."""
    return Assignment.objects.filter(appeal_id__in=scope.filter(_in_period(period)).order_by().values("pk"))


def _today(today):
    return today or timezone.localdate()


# --- from the maintained summaries (`summaries.Source`: the same scope as `scope`) -----------------------------
def _sums(names=APPEAL_COUNTS):
    return {name: Sum(name) for name in names}


def _late(source, today):
    """The scope's appeals overdue now, read from the open ones (few) through their index."""
    return source.appeals().filter(overdue_q(today)).order_by()


def overall(scope, period, *, today=None, overdue=True, source=None, reply_days=True, late_scope=None):
    """The overall figures of the scoped appeals (three queries; two without `overdue`, whose figure is
    then 0: a comparison with another period does not need it — it counts whatever the period; one less
    without `reply_days`, whose sums are then 0, for a caller that shows no 平均答复用时). With a
    `source` (the scope in summary terms), one query over the summary rows plus the overdue one. The late
    ones from `late_scope` when given (`_split_counts`)."""
    if source is not None:
        late = _late(source, _today(today)).aggregate(overdue=Count("pk")) if overdue else None
        return _figures("合计", None, source.stats(period).aggregate(**_sums()), late)
    (counts, late), = _split_counts(scope, period, _today(today), overdue=overdue, late_scope=late_scope)
    days = _days_by(scope, period) if reply_days else None
    return _figures("合计", None, counts, late, days)


def _category_rows(scope, period, today, source=None):
    """Every category's row, empty ones too (three queries; two from the summaries)."""
    if source is not None:
        counted = {row["category_id"]: row for row in source.stats(period).values("category_id").annotate(**_sums())}
        lates = _late_categories(_late(source, today))
        rows = [(counted.get(key), lates.get(key)) for key in sorted(set(counted) | set(lates))]
        days = {}
    else:
        rows = _split_counts(scope, period, today, group=("category_id",))
        days = _days_by(scope, period, "category_id")
    names = _category_names()
    result = [_figures(names[key][0], key, counted, late, days.get(key))
              for key, counted, late in _keyed(rows, "category_id")]
    return sorted(result, key=lambda row: (names[row.key][1], row.key))


def _category_names():
    """Every category's (name, order) by id: read apart, not joined (a join with the categories leads SQLite
    to read every appeal of each category)."""
    return {pk: (name, order) for pk, name, order in AppealCategory.objects.values_list("pk", "name", "order")}


def _late_categories(late):
    """{category id: {"overdue": n}} of the late appeals `late`, counted here: a GROUP BY category leads SQLite
    to walk the categories' index over every appeal (it cannot weigh `deadline < ?`) instead of reading the
    open appeals' (a chamber's: 1,850 → 4 ms)."""
    counts = Counter(late.values_list("category_id", flat=True))
    return {key: {"category_id": key, "overdue": count} for key, count in counts.items()}


def by_category(scope, period, *, today=None, source=None):
    """One row per category with any figure (overdue ones count whatever the period): three queries."""
    return [row for row in _category_rows(scope, period, _today(today), source) if not row.is_empty]


def _total(rows):
    """The overall row as the sum of the category rows: every appeal has exactly one category."""
    return Figures(**{name: sum(getattr(row, name) for row in rows) for name in COUNT_FIELDS})


def _keyed(rows, field):
    """(key, period row, overdue row) of `_split_counts` rows grouped by one field."""
    return [((counted or late)[field], counted, late) for counted, late in rows]


def _month_bucket(field, months, *, dates=False):
    """The index in `months` (first days of months, ascending) of the month `field` falls in, as a CASE
    over the months' first instants in the current timezone (Asia/Shanghai) — or their first days for a
    date `field` — : rows are grouped by a comparison with constants, not by a date truncation run per row."""
    tz = timezone.get_current_timezone()
    whens = [When(**{f"{field}__lt": month if dates else datetime.combine(month, time.min, tzinfo=tz)},
                  then=Value(n - 1)) for n, month in enumerate(months) if n]
    return Case(*whens, default=Value(len(months) - 1), output_field=IntegerField())


def by_month(scope, period, *, today=None, source=None):
    """One row per month of the period up to this month (months without appeals too, for a continuous
    chart): two queries. Overdue here: open appeals submitted in that month that are past their deadline."""
    today = _today(today)
    months = period.months()
    if source is not None:
        rows = {row["month"]: row for row in source.stats(period).annotate(
            month=_month_bucket("day", months, dates=True)).values("month").annotate(**_sums()).order_by("month")}
        # the late ones of the period's months, bucketed without a range on submitted_at in the WHERE
        # (which would read the period's appeals instead of the few open ones): -1 before, len after
        start, end = period.bounds
        month = Case(When(submitted_at__lt=start, then=Value(-1)), When(submitted_at__gte=end, then=Value(len(months))),
                     default=_month_bucket("submitted_at", months), output_field=IntegerField())
        days = {row["month"]: row for row in _late(source, today).annotate(month=month).values("month")
                .annotate(overdue=Count("pk"))}
    else:
        rows = {row["month"]: row for row in
                scope.filter(_in_period(period)).order_by().annotate(month=_month_bucket("submitted_at", months))
                .values("month").annotate(**_appeal_counts(period, today)).order_by("month")}
        days = _days_by(scope, period, "month", month=_month_bucket("submitted_at", months))
    last = today  # a month that has not begun yet has no appeals to show: no row, no zero in the chart
    return [_figures(f"{month.year}年{month.month}月", month, rows.get(n), days.get(n))
            for n, month in enumerate(months) if month <= last]


def _categories_and_months(scope, period, today, late_scope=None):
    """The raw path's `_category_rows` and `by_month` together (a chamber's scope, counted from the appeals):
    the period's counts and reply days grouped by category and month at once — two reads of the period's
    appeals instead of four — each breakdown the sum of the groups over the other key; the categories' late
    appeals (whatever the period, from `late_scope` when given) one more query, as in `_category_rows`; the
    categories' names and order one more (not joined: a join with the categories leads SQLite to read every
    appeal of each category). The same rows as the two."""
    months = period.months()
    month = _month_bucket("submitted_at", months)
    counted = (scope.filter(_in_period(period)).order_by().annotate(month=month)
               .values("category_id", "month").annotate(**_appeal_counts(period, today)))
    days = _days_by(scope, period, "category_id", "month", month=month)
    late = _late_categories(_late_of(scope, today, late_scope))
    names = _category_names()
    by_category, by_month = {}, {}
    for row in counted:
        key, n = row["category_id"], row["month"]
        period_row = {name: row[name] for name in COUNT_FIELDS if name in row and name != "overdue"}
        by_category.setdefault(key, []).append(period_row)
        by_month.setdefault(n, []).append(row)
    for (key, n), row in days.items():
        by_category.setdefault(key, []).append(row)
        by_month.setdefault(n, []).append(row)
    for key, row in late.items():
        by_category.setdefault(key, []).append(row)
    categories = sorted((_figures(names[key][0], key, *rows) for key, rows in by_category.items()),
                        key=lambda row: (names[row.key][1], row.key))
    month_rows = [_figures(f"{first.year}年{first.month}月", first, *by_month.get(n, ()))
                  for n, first in enumerate(months) if first <= today]
    return categories, month_rows


def _department_sums():
    own = {name: Sum(f"department_{name}") for name in ("replied", "replied_on_time", "reply_days_total",
                                                        "reply_days_count")}
    return {**_sums(("received", "accepted", "closed", "satisfied", "basically", "unsatisfied")), **own}


def by_department(scope, period, *, today=None, department_id=None, source=None, late_scope=None):
    """One row per department that holds (or held) appeals of the scope: two queries over the
    departments' assignments that were not returned — those of the period's appeals, and those late now
    (whatever the period). Appeals are counted once per department (distinct), replies once per
    assignment (every round)."""
    today = _today(today)
    if source is not None:
        rows = list(source.department_stats(period, department_id).values("department_id", "department__name")
                    .annotate(**_department_sums()).order_by())
        return _department_rows(rows, source.appeals(), today, department_id)
    # From the appeals of the period (the scope's index) joined to their assignments that were not
    # returned (one join: the filter and the counts share it); the late ones (few, whatever the period)
    # from the assignments' state, each checked against the scope.
    mine = {"assignments__state__in": [state for state in Assignment.State if state != Assignment.State.RETURNED]}
    if department_id is not None:
        mine["assignments__department_id"] = department_id
    replied = Q(assignments__replied_at__isnull=False)
    with_days = replied & Q(assignments__working_days_to_reply__isnull=False)
    rows = (scope.filter(_in_period(period)).filter(**mine).order_by()
            .values("assignments__department_id", "assignments__department__name").annotate(
        received=Count("pk", distinct=True),
        accepted=Count("pk", distinct=True, filter=~Q(status__in=NOT_ACCEPTED)),
        closed=Count("pk", distinct=True, filter=Q(status=Status.CLOSED)),
        # replies counted on a column their filter holds non-null: `assignment_appeal_kpi` alone (`_reply_days`)
        replied=Count("assignments__replied_at", filter=replied),
        replied_on_time=Count("assignments__replied_at", filter=replied & Q(assignments__replied_on_time=True)),
        reply_days_total=Sum("assignments__working_days_to_reply", filter=with_days),
        reply_days_count=Count("assignments__working_days_to_reply", filter=with_days),
        satisfied=Count("pk", distinct=True, filter=Q(rating=Rating.SATISFIED)),
        basically=Count("pk", distinct=True, filter=Q(rating=Rating.BASICALLY)),
        unsatisfied=Count("pk", distinct=True, filter=Q(rating=Rating.UNSATISFIED)),
    ))
    rows = [{"department_id": row.pop("assignments__department_id"),
             "department__name": row.pop("assignments__department__name"), **row} for row in rows]
    return _department_rows(rows, late_scope if late_scope is not None else scope, today, department_id)


def _department_rows(rows, scope, today, department_id):
    """The departments' rows with their late appeals now (whatever the period), from the assignments, each
    checked against `scope`."""
    held = Assignment.objects.exclude(state=Assignment.State.RETURNED)
    if department_id is not None:
        held = held.filter(department_id=department_id)
    late = (held.filter(assignment_overdue_q(today), Exists(scope.order_by().filter(pk=OuterRef("appeal_id"))))
            .order_by().values("department_id", "department__name").annotate(overdue=Count("appeal_id", distinct=True)))
    found = {}
    for row in [*rows, *late]:
        found.setdefault(row["department_id"], []).append(row)
    result = [_figures(parts[0]["department__name"], key, *parts) for key, parts in sorted(found.items())]
    return [row for row in result if not row.is_empty]


def enterprises_enrolled(user, scope, period, source=None, *, summaries=False):
    """服务企业数: distinct enterprises with an appeal in the scope submitted up to the period end, plus
    the enterprises of the user's member scope with an active enterprise account created by then. From
    the summaries: the enterprises whose first appeal is by then, plus the account holders without one —
    for a chamber its members with a first appeal by then in any federation or an account, one probe per
    member instead of every appeal of its members up to the end (which grows with the years kept)."""
    if role_of(user) == Role.CHAMBER and (summaries or source is not None):
        return _chamber_members_enrolled(user, period).count()
    if source is None:
        return enrolled_enterprises(user, scope, period).count()
    reach = source.reach(period)
    # one row per enterprise and federation, one per enterprise for a department
    many = source.department is None and len(source.federations) > 1
    count = reach.values("enterprise_id").distinct().count() if many else reach.count()
    if role_of(user) in MEMBER_READER_ROLES:
        count += _account_holders(user, period).exclude(
            Exists(reach.filter(enterprise_id=OuterRef("pk")))).count()
    return count


def _chamber_members_enrolled(user, period):
    """The chamber's active members with a first appeal (`AppealReach`, any federation) up to the period end
    or an active enterprise account created by then: the enterprises `enrolled_enterprises` gives a chamber
    (every appeal of its scope is a member's; its member scope is the same members)."""
    from shanglian.members.selectors import chamber_member_ids

    _, end = period.bounds
    reached = AppealReach.objects.filter(enterprise_id=OuterRef("pk"), department__isnull=True,
                                         first_day__lte=period.end)
    accounts = users_in_role(Role.ENTERPRISE, enterprise_id=OuterRef("pk"), date_joined__lt=end)
    return Enterprise.objects.filter(pk__in=chamber_member_ids(user.chamber_id)).filter(
        Q(Exists(reached)) | Q(Exists(accounts)))


def _account_holders(user, period):
    """The enterprises of the user's member scope with an active enterprise account created by the end."""
    from shanglian.members.selectors import enterprises_visible_to

    _, end = period.bounds
    accounts = users_in_role(Role.ENTERPRISE, date_joined__lt=end).values("enterprise_id")
    visible = enterprises_visible_to(user).order_by().filter(pk=OuterRef("pk"))  # checked for the few holders only
    return Enterprise.objects.filter(pk__in=accounts).filter(Exists(visible))


def enrolled_enterprises(user, scope, period):
    """The enterprises `enterprises_enrolled` counts."""
    _, end = period.bounds
    # The distinct enterprises of the scoped appeals, read once (an IN over a subquery the database runs
    # once), not an appeal looked for per enterprise.
    enrolled = Q(pk__in=scope.order_by().filter(submitted_at__lt=end).values("enterprise_id"))
    if role_of(user) in MEMBER_READER_ROLES:  # a department has no member scope
        from shanglian.members.selectors import enterprises_visible_to

        accounts = users_in_role(Role.ENTERPRISE, enterprise_id=OuterRef("pk"), date_joined__lt=end)
        enrolled |= Q(Exists(accounts), pk__in=enterprises_visible_to(user).order_by().values("pk"))
    return Enterprise.objects.filter(enrolled)


# --- the report --------------------------------------------------------------------------------------
@dataclass
class KpiReport:
    period: Period
    overall: Figures
    enterprises_enrolled: int
    by_department: list = field(default_factory=list)
    by_category: list = field(default_factory=list)
    by_month: list = field(default_factory=list)
    scope: object = None  # the KPI scope the figures were counted in (kpi_scope), for what is drawn from it next
    source: Source | None = None  # the same scope in the summaries' terms (kpi_source)
    reply_days: bool = True  # False: 平均答复用时 not counted (nor in the comparisons of `overall_figures`)

    @property
    def headline(self):
        """The four figures Suzhou 12345 publishes."""
        return [("诉求总量", self.overall.received, ""), ("及时处办率", self.overall.on_time_rate, "%"),
                ("办结率", self.overall.closure_rate, "%"), ("满意率", self.overall.satisfaction_rate, "%")]


def _held_by(department_id):
    """Appeals dispatched to the department that it did not return (what its row counts)."""
    return Q(pk__in=Assignment.objects.filter(department_id=department_id).exclude(state=Assignment.State.RETURNED)
             .values("appeal_id"))


def kpi_scope(user, *, per_row=False):
    """The appeals the user's KPIs count (PermissionDenied for roles without any): its visible appeals;
    for a department those dispatched to it that it did not return, as its row counts. KPIs are for the
    federation (whole scope), a chamber (its members' appeals) and a department (its own appeals);
    enterprise users and auditors are refused. `per_row`: the same appeals with the scope tested on each row
    another index reads (`appeals_visible_to(in_order=True)`) — for the late ones, read from the open appeals'
    index instead of every appeal of a chamber's members (SQLite 185 → 13 ms at 1,000,000 appeals)."""
    require_role(user, *READER_ROLES)
    scope = appeals_visible_to(user, in_order=per_row)
    if role_of(user) == Role.DEPARTMENT:
        scope = scope.filter(_held_by(user.department_id))
    return scope


def kpi_source(user, *, category=None, department=None, summaries=True):
    """The user's KPI scope (`kpi_scope`, narrowed as `_narrowed`) in the terms of the maintained
    summaries: a federation role's federations, a chamber's members' appeals, a department's own appeals;
    None (count the appeals themselves) when `summaries` is False."""
    if not summaries:
        return None
    role = role_of(user)
    if role in FEDERATION_ROLES:
        source = Source(federations=tuple(federation_ids_in_scope(user)), category=category)
    elif role == Role.CHAMBER:
        source = Source(chamber=user.chamber_id, category=category)
    elif role == Role.DEPARTMENT:
        source = Source(department=user.department_id, category=category)
    else:
        return None
    if department is not None:
        if role == Role.DEPARTMENT and department != user.department_id:
            return replace(source, empty=True)
        source = replace(source, department=department)
    return source


def kpi_report(user, period, *, today=None, breakdowns=True, summaries=True, enrolled=True, reply_days=True):
    """Every figure of the statistics page for the user's scope (PermissionDenied for roles without
    one). A department user gets its own department's row only. With `summaries` (the default) the
    figures are read from the maintained summaries where the scope has them; without, from the appeals
    (the same figures: tests compare the two). A caller that does not show 服务企业数 (`enrolled=False`:
    None) or 平均答复用时 (`reply_days=False`, overall only: None) saves their queries — on the raw path of a
    chamber's 工作台 the most costly ones."""
    scope = kpi_scope(user)
    source = kpi_source(user, summaries=summaries)
    late_scope = kpi_scope(user, per_row=True) if source is None else None
    today = _today(today)
    categories = months = None
    if breakdowns and source is None:
        categories, months = _categories_and_months(scope, period, today, late_scope)
    elif breakdowns:
        categories = _category_rows(scope, period, today, source)
    report = KpiReport(period=period, overall=overall(scope, period, today=today, source=source,
                                                      reply_days=reply_days or source is not None,
                                                      late_scope=late_scope)
                       if categories is None else _total(categories),
                       enterprises_enrolled=enterprises_enrolled(user, scope, period, source, summaries=summaries)
                       if enrolled else None,
                       scope=scope, source=source, reply_days=reply_days or breakdowns or source is not None)
    if breakdowns:
        own = user.department_id if role_of(user) == Role.DEPARTMENT else None
        report.by_department = by_department(scope, period, today=today, department_id=own, source=source,
                                             late_scope=late_scope)
        report.by_category = [row for row in categories if not row.is_empty]
        report.by_month = months if months is not None else by_month(scope, period, today=today, source=source)
    return report


def department_figures(user, period, *, today=None, summaries=True):
    """A department user's own row (zeros when it has none)."""
    rows = by_department(appeals_visible_to(user), period, today=today, department_id=user.department_id,
                         source=kpi_source(user, summaries=summaries))
    if rows:
        return rows[0]
    return replace(Figures(), label=str(user.department or ""), key=user.department_id)


# --- registered figures (shanglian.ui.figures) ------------------------------------------------------------
# Every overall figure of the desk, for the acting user's KPI scope and a Period of submission dates,
# optionally narrowed to a category or to the appeals a department holds (the breakdowns' rows). The
# records are appeals (enterprises for 服务企业数); for a rate they are the appeals of the denominator.
def _narrowed(user, *, category=None, department=None):
    scope = kpi_scope(user)
    if category is not None:
        scope = scope.filter(category_id=category)
    if department is not None:
        if role_of(user) == Role.DEPARTMENT and department != user.department_id:
            return scope.none()  # a department reads its own row only
        scope = scope.filter(_held_by(department))
    return scope


def _submitted(scope, period, today):
    return scope.filter(_in_period(period))


def _accepted(scope, period, today):
    return _submitted(scope, period, today).exclude(status__in=NOT_ACCEPTED)


def _replied(scope, period, today):
    return _submitted(scope, period, today).filter(replied_on_time__isnull=False)


def _with_reply_days(scope, period, today):
    replied = _assignments_of(scope, period).filter(replied_at__isnull=False, working_days_to_reply__isnull=False)
    return _submitted(scope, period, today).filter(pk__in=replied.values("appeal_id"))


def _rated(scope, period, today):
    return _submitted(scope, period, today).filter(rating__in=RATINGS)


def _overdue(scope, period, today):
    return scope.overdue(today)


# key, label, unit, attribute of `Figures`, records, definition, compared (同比/环比), alert
OVERALL = [
    ("received", "诉求总量", "件", "received", _submitted, "统计期间内提交的诉求", True, False),
    ("accepted", "受理量", "件", "accepted", _accepted, "统计期间内提交、已受理（未被不予受理）的诉求", True, False),
    ("closed", "办结量", "件", "closed", lambda s, p, t: _submitted(s, p, t).filter(status=Status.CLOSED),
     "统计期间内提交、已办结的诉求", True, False),
    ("closure_rate", "办结率", "%", "closure_rate", _accepted, "办结量 ÷ 受理量；记录为已受理的诉求（分母）",
     True, False),
    ("on_time_rate", "按时办理率", "%", "on_time_rate", _replied,
     "按期答复 ÷ 已答复（以诉求最近一次答复计，即及时处办率）；记录为已答复的诉求（分母）", True, False),
    ("average_reply_days", "平均答复用时", "工作日", "average_reply_days", _with_reply_days,
     "各承办部门从派单到答复的工作日数的平均值；记录为有答复的诉求", True, False),
    ("satisfaction_score", "满意度", "分", "satisfaction_score", _rated,
     "满意 100、基本满意 80、不满意 0 分的平均（百分制）；记录为已评价的诉求", True, False),
    ("satisfaction_rate", "满意率", "%", "satisfaction_rate", _rated,
     "（满意 + 基本满意）÷ 已评价；记录为已评价的诉求（分母）", True, False),
    ("overdue", "当前超期", "件", "overdue", _overdue, "今天仍未办结且已过办理期限的诉求，不受统计期间限制", False, True),
]


# A department's row (`by_department`) counts that department's own replies and lateness: the records
# behind those figures are the appeals of its replies, and those whose assignment it holds late.
def _department_replies(scope, period, department):
    return _assignments_of(scope, period).filter(department_id=department, replied_at__isnull=False)


DEPARTMENT_RECORDS = {
    "on_time_rate": lambda s, p, t, d: _submitted(s, p, t).filter(pk__in=_department_replies(s, p, d).values("appeal_id")),
    "average_reply_days": lambda s, p, t, d: _submitted(s, p, t).filter(
        pk__in=_department_replies(s, p, d).filter(working_days_to_reply__isnull=False).values("appeal_id")),
    "overdue": lambda s, p, t, d: s.filter(pk__in=Assignment.objects.filter(department_id=d).overdue(t)
                                          .values("appeal_id")),
}


def _register(key, label, unit, attribute, records, definition, compared, alert):
    @figure(f"appeals.{key}", label=label, unit=unit, definition=definition, compare=compared, alert=alert)
    def overall_figure(*, user, period, today=None, category=None, department=None):
        """Narrowed to a department, the figure is its row of 按部门 (the same definitions) and the records
        those behind that row."""
        scope = _narrowed(user, category=category, department=department)
        source = kpi_source(user, category=category, department=department)
        today = _today(today)
        if department is None:
            return (getattr(overall(scope, period, today=today, source=source), attribute),
                    records(scope, period, today))
        rows = by_department(scope, period, today=today, department_id=department, source=source)
        row = rows[0] if rows else Figures()
        own_records = DEPARTMENT_RECORDS.get(key)
        return (getattr(row, attribute),
                own_records(scope, period, today, department) if own_records else records(scope, period, today))
    return overall_figure


for _row in OVERALL:
    _register(*_row)


@figure("appeals.enterprises_enrolled", label="服务企业数", unit="家",
        definition="统计期末前在服务范围内提交过诉求的企业，加上本范围内已开通有效企业账号的会员企业")
def appeals_enterprises_enrolled(*, user, period):
    return enrolled_enterprises(user, kpi_scope(user), period)


def overall_figures(user, report, *, today=None, compare=True):
    """The registered overall figures of `report` (a `kpi_report` of the user) as `Figure`s with their
    records, compared with the previous period (环比) and the same period a year earlier (同比): two
    more `overall` aggregates when `compare`, one when `compare` is `YEAR_AGO` (同比 only)."""
    today = _today(today)
    scope = report.scope
    period = report.period
    # 当前超期 is not compared (it counts whatever the period): the other periods need no overdue count
    source = report.source
    days = report.reply_days
    year_ago = overall(scope, period.year_ago(), today=today, overdue=False, source=source,
                       reply_days=days) if compare else None
    previous = None
    if compare and compare != YEAR_AGO:
        # a whole year's 环比 and 同比 are the same year: counted once (two aggregates of the raw path less)
        previous = (year_ago if period.previous() == period.year_ago()
                    else overall(scope, period.previous(), today=today, overdue=False, source=source,
                                 reply_days=days))
    result = {}
    for key, _label, _unit, attribute, records, _definition, compared, _alert in OVERALL:
        spec = get(f"appeals.{key}")
        result[key] = Figure(
            label=spec.label, definition=spec.definition, value=getattr(report.overall, attribute), unit=spec.unit,
            records=records(scope, period, today), key=spec.key, period=period, alert=spec.alert,
            previous=getattr(previous, attribute) if previous is not None and compared else None,
            year_ago=getattr(year_ago, attribute) if year_ago is not None and compared else None)
    spec = get("appeals.enterprises_enrolled")
    result["enterprises_enrolled"] = Figure(
        label=spec.label, definition=spec.definition, value=report.enterprises_enrolled, unit=spec.unit,
        records=enrolled_enterprises(user, scope, period), key=spec.key, period=period)
    return result
