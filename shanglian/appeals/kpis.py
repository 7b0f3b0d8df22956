"""Appeal KPIs (DESIGN §3; issue 4, item 4): the figures of the service desk, per department, category
and month and overall, for a period of submission dates, always inside `selectors.appeals_visible_to(user)`.

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
- **overdue now 当前超期**: open appeals past their deadline today (`selectors.overdue_q`), whatever
  the period. Per department: those of them the department still holds (an assigned or handling
  assignment of the current round); per month: those submitted in that month;
- **enterprises enrolled 服务企业数** (overall only): distinct enterprises with at least one appeal in
  the scope submitted up to the period end, plus enterprises of the user's member scope that have an
  active enterprise-role account created by the period end (a department has no member scope: its
  figure counts the enterprises of its appeals only);
- the four figures Suzhou 12345 publishes: 诉求总量 (received), 及时处办率 (= 按时办理率), 办结率, 满意率.

A department's rows are the appeals dispatched to it that it did not return. Rates are percentages
as `Decimal` with one decimal, rounded half up; a rate, mean or score over nothing is None (shown "—").

Everything is counted by the database (conditional `Count`/`Sum` with GROUP BY): the overall figures
cost three queries, each breakdown one or two, whatever the number of appeals.
"""

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from shanglian.accounts.roles import FEDERATION_ROLES, Role, role_of
from shanglian.members.models import Enterprise
from shanglian.ui.figures import share

from .models import RATING_POINTS, Appeal, Assignment, Rating, Status
from .selectors import appeals_visible_to, overdue_q

_ONE_DECIMAL = Decimal("0.1")
# Roles that may see KPIs: the federation (whole scope), a chamber (its members' appeals) and a
# department (its own appeals). Enterprise users and auditors may not.
KPI_ROLES = (Role.SYSADMIN, Role.STAFF, Role.LEADER, Role.CHAMBER, Role.DEPARTMENT)
NOT_ACCEPTED = (Status.SUBMITTED, Status.REJECTED)
POINTS = {rating: Decimal(points) for rating, points in RATING_POINTS.items()}


def mean(total, count):
    """total ÷ count as a Decimal with one decimal, half up; None when count is 0."""
    if not count:
        return None
    return (Decimal(total or 0) / Decimal(count)).quantize(_ONE_DECIMAL, rounding=ROUND_HALF_UP)


# --- the period --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Period:
    """Submission dates from `start` to `end`, both included (local dates)."""

    start: date
    end: date

    @classmethod
    def year(cls, year):
        return cls(date(year, 1, 1), date(year, 12, 31))

    @property
    def is_whole_year(self):
        return self.start == date(self.start.year, 1, 1) and self.end == date(self.start.year, 12, 31)

    @property
    def label(self):
        if self.is_whole_year:
            return f"{self.start.year}年"
        return f"{self.start:%Y-%m-%d} 至 {self.end:%Y-%m-%d}"

    def bounds(self):
        """[first instant, instant after the last day) in local time, as aware datetimes."""
        tz = timezone.get_current_timezone()
        return (datetime.combine(self.start, time.min, tzinfo=tz),
                datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=tz))

    def months(self):
        """The first day of every month the period touches."""
        months, day = [], self.start.replace(day=1)
        while day <= self.end:
            months.append(day)
            day = (day + timedelta(days=32)).replace(day=1)
        return months


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
    start, end = period.bounds()
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


def _reply_days():
    replied = Q(replied_at__isnull=False, working_days_to_reply__isnull=False)
    return {
        "reply_days_total": Sum("working_days_to_reply", filter=replied),
        "reply_days_count": Count("pk", filter=replied),
    }


def _assignments_of(scope, period):
    """Replied assignments are looked at only for appeals of the scope submitted in the period."""
    return Assignment.objects.filter(_in_period(period, "appeal__"), appeal_id__in=scope.values("pk"))


def _today(today):
    return today or timezone.localdate()


def overall(scope, period, *, today=None):
    """The overall figures of the scoped appeals (three queries with `enterprises_enrolled`)."""
    counts = scope.order_by().aggregate(**_appeal_counts(period, _today(today)))
    days = _assignments_of(scope, period).order_by().aggregate(**_reply_days())
    return _figures("合计", None, counts, days)


def by_category(scope, period, *, today=None):
    """One row per category with any figure (overdue ones count whatever the period): two queries."""
    rows = (scope.order_by().values("category_id", "category__name", "category__order")
            .annotate(**_appeal_counts(period, _today(today))).order_by("category__order", "category_id"))
    days = {row["appeal__category_id"]: row for row in
            _assignments_of(scope, period).order_by().values("appeal__category_id").annotate(**_reply_days())}
    result = [_figures(row["category__name"], row["category_id"], row, days.get(row["category_id"]))
              for row in rows]
    return [row for row in result if not row.is_empty]


def _month_key(value):
    value = timezone.localtime(value) if isinstance(value, datetime) and timezone.is_aware(value) else value
    return date(value.year, value.month, 1)


def by_month(scope, period, *, today=None):
    """One row per month of the period (months without appeals too, for a continuous chart): two
    queries. Overdue here: open appeals submitted in that month that are past their deadline."""
    tz = timezone.get_current_timezone()
    rows = {_month_key(row["month"]): row for row in
            scope.filter(_in_period(period)).order_by().annotate(month=TruncMonth("submitted_at", tzinfo=tz))
            .values("month").annotate(**_appeal_counts(period, _today(today))).order_by("month")}
    days = {_month_key(row["month"]): row for row in
            _assignments_of(scope, period).order_by()
            .annotate(month=TruncMonth("appeal__submitted_at", tzinfo=tz)).values("month")
            .annotate(**_reply_days()).order_by("month")}
    return [_figures(f"{month.year}年{month.month}月", month, rows.get(month), days.get(month))
            for month in period.months()]


def by_department(scope, period, *, today=None, department_id=None):
    """One row per department that holds (or held) appeals of the scope: one query over the
    departments' assignments that were not returned. Appeals are counted once per department
    (distinct), replies once per assignment (every round)."""
    p = _in_period(period, "appeal__")
    today = _today(today)
    still_holds = (Q(appeal_id__in=Appeal.objects.filter(overdue_q(today)).values("pk"))
                   & Q(round=F("appeal__reopen_count"))
                   & Q(state__in=[Assignment.State.ASSIGNED, Assignment.State.HANDLING]))
    replied = p & Q(replied_at__isnull=False)
    qs = Assignment.objects.filter(appeal_id__in=scope.values("pk")).exclude(state=Assignment.State.RETURNED)
    if department_id is not None:
        qs = qs.filter(department_id=department_id)
    rows = (qs.order_by().values("department_id", "department__name").annotate(
        received=Count("appeal_id", distinct=True, filter=p),
        accepted=Count("appeal_id", distinct=True, filter=p & ~Q(appeal__status__in=NOT_ACCEPTED)),
        closed=Count("appeal_id", distinct=True, filter=p & Q(appeal__status=Status.CLOSED)),
        replied=Count("pk", filter=replied),
        replied_on_time=Count("pk", filter=replied & Q(replied_on_time=True)),
        reply_days_total=Sum("working_days_to_reply", filter=replied & Q(working_days_to_reply__isnull=False)),
        reply_days_count=Count("pk", filter=replied & Q(working_days_to_reply__isnull=False)),
        satisfied=Count("appeal_id", distinct=True, filter=p & Q(appeal__rating=Rating.SATISFIED)),
        basically=Count("appeal_id", distinct=True, filter=p & Q(appeal__rating=Rating.BASICALLY)),
        unsatisfied=Count("appeal_id", distinct=True, filter=p & Q(appeal__rating=Rating.UNSATISFIED)),
        overdue=Count("appeal_id", distinct=True, filter=still_holds),
    ).order_by("department_id"))
    result = [_figures(row["department__name"], row["department_id"], row) for row in rows]
    return [row for row in result if not row.is_empty]


def enterprises_enrolled(user, scope, period):
    """服务企业数: distinct enterprises with an appeal in the scope submitted up to the period end, plus
    the enterprises of the user's member scope with an active enterprise account created by then."""
    _, end = period.bounds()
    with_appeal = Exists(scope.order_by().filter(enterprise_id=OuterRef("pk"), submitted_at__lt=end))
    enrolled = Q(with_appeal)
    if role_of(user) in FEDERATION_ROLES or role_of(user) == Role.CHAMBER:
        from shanglian.members.selectors import enterprises_visible_to

        accounts = get_user_model().objects.filter(
            enterprise_id=OuterRef("pk"), is_active=True, groups__name=Role.ENTERPRISE.value, date_joined__lt=end)
        enrolled |= Q(Exists(accounts), pk__in=enterprises_visible_to(user).order_by().values("pk"))
    return Enterprise.objects.filter(enrolled).count()


# --- the report --------------------------------------------------------------------------------------
@dataclass
class KpiReport:
    period: Period
    overall: Figures
    enterprises_enrolled: int
    by_department: list = field(default_factory=list)
    by_category: list = field(default_factory=list)
    by_month: list = field(default_factory=list)

    @property
    def headline(self):
        """The four figures Suzhou 12345 publishes."""
        return [("诉求总量", self.overall.received, ""), ("及时处办率", self.overall.on_time_rate, "%"),
                ("办结率", self.overall.closure_rate, "%"), ("满意率", self.overall.satisfaction_rate, "%")]


def kpi_report(user, period, *, today=None, breakdowns=True):
    """Every figure of the statistics page for the user's scope (PermissionDenied for roles without
    one). A department user gets its own department's row only."""
    scope = appeals_visible_to(user)
    if role_of(user) == Role.DEPARTMENT:
        # Its cards count what its row counts: appeals dispatched to it that it did not return.
        scope = scope.filter(Exists(Assignment.objects.filter(appeal_id=OuterRef("pk"), department_id=user.department_id)
                                    .exclude(state=Assignment.State.RETURNED)))
    today = _today(today)
    report = KpiReport(period=period, overall=overall(scope, period, today=today),
                       enterprises_enrolled=enterprises_enrolled(user, scope, period))
    if breakdowns:
        own = user.department_id if role_of(user) == Role.DEPARTMENT else None
        report.by_department = by_department(scope, period, today=today, department_id=own)
        report.by_category = by_category(scope, period, today=today)
        report.by_month = by_month(scope, period, today=today)
    return report


def department_figures(user, period, *, today=None):
    """A department user's own row (zeros when it has none)."""
    rows = by_department(appeals_visible_to(user), period, today=today, department_id=user.department_id)
    if rows:
        return rows[0]
    return replace(Figures(), label=str(user.department or ""), key=user.department_id)
