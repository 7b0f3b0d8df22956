"""Event figures (DESIGN §4: "培训班30余次，3500多人次", "会员企业参与率100%，全区非公企业参与率60%"), registered
with the figures layer (`shanglian.ui.figures`) with the records behind each, and the grouped reads of the
statistics page (`statistics_views.py`).

Definitions (the same words are each figure's `definition`):

- **活动场次**: events held — neither 草稿 nor 已取消 — whose start (`starts_at`, Asia/Shanghai) falls in
  the period; **培训场次**: those of a training kind (`models.TRAINING_KINDS`: 培训班, 研讨班).
- **签到人次**: the check-ins of those events, invitees and walk-ins (现场登记) alike, one per attendance
  (an invitation is checked in once); **培训人次**: those of the training events.
- **会员企业参与率** = member enterprises with at least one attendance ÷ member enterprises. The member
  enterprises are, for the federation, the enterprise members (`Membership` of kind 企业会员) in force on the
  period's last day; for a chamber secretary, its chamber's members in force then (joined, not left, not
  suspended). An attendance of an enterprise is a check-in naming it (`CheckIn.enterprise`: an invitee
  who came for it; a walk-in names none) at a held event of the period in the user's scope.
- **全区企业参与率** = enterprises of the scope with at least one attendance ÷ the enterprises of the scope
  (the federation: every enterprise of its federations; a chamber: its members, `enterprises_visible_to`).
- **平均出席率** = check-ins of invitees (walk-ins excluded) ÷ places taken (请柬 answered 参加 or 代为参加),
  over the period's held events together; an invitee who came without answering counts among those who
  came, so it can pass 100 %.
- **反馈满意度** (百分制) = the mean of the feedback forms' 总体评价 at 20 points a step (非常满意 100, 满意 80,
  一般 60, 不满意 40, 很不满意 20), over the feedback on check-ins of the period's held events.

Every figure takes `programme=` (a Programme id: only that programme's events), and for the drill-down of a
table row `kind=` (a DictItem id, or its code: "training"), `organiser=` (Event.Organiser) with `federation=`/`chamber=`/`committee=`/
`working_group=`. Ratios keep the denominator's records (enterprises, places) and say so.

Cost (issue 20: the page's queries do not grow with the data): every aggregate is one grouped query. The
events of a range are read through (federation, starts_at) or (chamber, starts_at); each event's check-ins,
invitee check-ins and places are counted by a correlated subquery over one range of an index that starts with
the event (`checkin_event_time`, the partial unique (event, invitation), `invitation_event_status`), so
the grouping sorts events, never check-ins. Participation reads the period's check-ins once for their distinct
firms, each of which probes its membership and its scope by index (`participation`); the federation's member
enterprises are summed from the members' day summary. What grows with the data is that one read of the
period's check-ins and the ten years' per-event counts: bench/bench_event_stats.py measures them.
"""

from dataclasses import dataclass

from django.db.models import Case, Count, Exists, IntegerField, Min, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from shanglian.accounts.roles import FEDERATION_ROLES, Role, role_of
from shanglian.common.models import DictItem
from shanglian.common.periods import Period
from shanglian.common.validators import is_id
from shanglian.members.figures import counts_by_kind_on
from shanglian.members.models import ChamberMembership, Enterprise, Membership
from shanglian.members.selectors import enterprises_visible_to, membership_in_force_q, memberships_visible_to
from shanglian.orgs.models import Committee
from shanglian.orgs.selectors import chambers_in_scope, count_of, federation_ids_in_scope
from shanglian.ui.figures import figure, mean, share

from .models import PLACE_STATUSES, TRAINING_KINDS, ChairDuty, CheckIn, Event, Feedback, Invitation
from .selectors import checkins_visible_to, events_visible_to, programmes_visible_to

NOT_HELD = (Event.Status.DRAFT, Event.Status.CANCELLED)
TRAINING = Q(kind__code__in=TRAINING_KINDS)
FEEDBACK_POINTS = 20  # 百分制 points of one step of the 5-step 总体评价
ORGANISER_LABELS = dict(Event.Organiser.choices)


# --- the rows behind the figures --------------------------------------------------------------------------
def _narrow(user, events, *, prefix="", programme=None, kind=None, organiser=None, federation=None, chamber=None,
            committee=None, working_group=None):
    """`events` (or rows reaching events through `prefix`, "event__") of one programme, kind or organiser.
    An id outside the user's scope is a 404, as any record of another scope is."""
    p, conditions = prefix, {}
    if programme is not None:
        if not programmes_visible_to(user).filter(pk=programme).exists():
            raise Http404("没有该项目。")
        conditions["programme_id"] = programme
    if kind is not None:
        # an id (a table row's drill-down) or a code of the dictionary ("training": stable across databases)
        by_code = isinstance(kind, str) and not kind.strip().isdigit()
        if not by_code and not is_id(kind):
            raise Http404("没有该活动类型。")
        found = Q(code=kind) if by_code else Q(pk=int(kind))
        if not DictItem.objects.filter(found, kind="event_kind").exists():
            raise Http404("没有该活动类型。")
        conditions["kind__code" if by_code else "kind_id"] = kind if by_code else int(kind)
    if organiser is not None:
        if organiser not in ORGANISER_LABELS:
            raise Http404("没有该主办方类型。")
        conditions["organiser"] = organiser
    if federation is not None:
        if federation not in federation_ids_in_scope(user):
            raise Http404("没有该工商联。")
        conditions["federation_id"] = federation
    if chamber is not None:
        if not chambers_in_scope(user).filter(pk=chamber).exists():
            raise Http404("没有该商会。")
        conditions["chamber_id"] = chamber
    if committee is not None:
        if not Committee.objects.filter(pk=committee, federation_id__in=federation_ids_in_scope(user)).exists():
            raise Http404("没有该专门委员会。")
        conditions["committee_id"] = committee
    if working_group is not None:
        conditions["working_group"] = working_group
    return events.filter(**{f"{p}{name}": value for name, value in conditions.items()})


def _in_period(period, prefix=""):
    start, end = period.bounds
    return Q(**{f"{prefix}starts_at__gte": start, f"{prefix}starts_at__lt": end}) & ~Q(
        **{f"{prefix}status__in": NOT_HELD})


def held_events(user, period, **narrowing):
    """The held events (not 草稿, not 已取消) of the user's scope that start in `period`."""
    return _narrow(user, events_visible_to(user).filter(_in_period(period)), **narrowing)


def period_checkins(user, period, **narrowing):
    """The check-ins of `held_events(user, period)`: one per attendance, walk-ins included."""
    checkins = checkins_visible_to(user).filter(_in_period(period, "event__"))
    return _narrow(user, checkins, prefix="event__", **narrowing)


def _member_rows(user, on):
    """The memberships that make the scope's member enterprises on `on`: the federation's enterprise members
    in force (one a firm: `members_membership_one_per_enterprise`), a chamber's members in force."""
    role = role_of(user)
    if role in FEDERATION_ROLES:
        return (Membership.objects.filter(federation_id__in=federation_ids_in_scope(user),
                                          kind=Membership.Kind.ENTERPRISE).filter(membership_in_force_q(on)))
    if role == Role.CHAMBER:
        return (ChamberMembership.objects.filter(chamber_id=user.chamber_id, joined__lte=on)
                .filter(Q(left__isnull=True) | Q(left__gt=on)).exclude(status=ChamberMembership.Status.SUSPENDED))
    events_visible_to(user)  # the refusal (403) of the other roles
    return Membership.objects.none()


def member_enterprises(user, on):
    """The scope's member enterprises on `on` (see the module's docstring), as Enterprise rows."""
    return Enterprise.objects.filter(pk__in=_member_rows(user, on).order_by().values("enterprise_id"))


def member_count(user, on):
    """How many member enterprises the scope has on `on`: for the federation, its enterprise members in force
    summed from the members' day summary (`members.summaries`, a few thousand rows however many members)."""
    if role_of(user) in FEDERATION_ROLES:
        return counts_by_kind_on(memberships_visible_to(user), [on])[on][Membership.Kind.ENTERPRISE]
    return member_enterprises(user, on).count()


def scope_enterprises(user):
    """The enterprises of the scope: the federation's, or a chamber's members (`enterprises_visible_to`)."""
    events_visible_to(user)  # the refusal (403) of the other roles, before the member registry's own scope
    return enterprises_visible_to(user).select_related(None)


def with_attendances(enterprises, checkins):
    """`enterprises` with `attended`: how many of `checkins` name each (the drill-down's column)."""
    rows = checkins.filter(enterprise_id=OuterRef("pk")).order_by().values("enterprise_id")
    return enterprises.annotate(attended=Coalesce(Subquery(rows.annotate(n=Count("*")).values("n")), 0,
                                                  output_field=IntegerField()))


@dataclass(frozen=True)
class Participation:
    """How many of the member enterprises and of the scope's enterprises attended at least once."""

    members: int = 0
    members_attending: int = 0
    enterprises: int = 0
    enterprises_attending: int = 0

    @property
    def member_rate(self):
        return share(self.members_attending, self.members)

    @property
    def enterprise_rate(self):
        return share(self.enterprises_attending, self.enterprises)


def _attending(checkins):
    return checkins.filter(enterprise_id__isnull=False).order_by().values("enterprise_id")


def participation(user, period, **narrowing):
    """The participation of the period (optionally of one programme …): the two denominators, and both
    numerators in one query — the distinct enterprises of the period's check-ins read once, each tested
    against the members and the scope (reading the check-ins is what costs: ~100,000 rows a year at city scale)."""
    checkins = period_checkins(user, period, **narrowing)
    enterprises = scope_enterprises(user)
    # each attending firm (a few thousand a year) probes its membership and its scope by index: no list of
    # every member or every firm of the district is built
    is_member = Exists(_member_rows(user, period.end).filter(enterprise_id=OuterRef("pk")))
    in_scope = Exists(enterprises.filter(pk=OuterRef("pk")))
    found = Enterprise.objects.filter(pk__in=_attending(checkins).distinct()).aggregate(
        members=Count("pk", filter=Q(is_member)), enterprises=Count("pk", filter=Q(in_scope)))
    return Participation(members=member_count(user, period.end), members_attending=found["members"],
                         enterprises=enterprises.count(), enterprises_attending=found["enterprises"])


# --- the events of a period, grouped ------------------------------------------------------------------------
GROUP_FIELDS = ("kind_id", "kind__label", "kind__code", "kind__order", "organiser", "federation_id",
                "federation__name", "chamber_id", "chamber__name", "committee_id", "committee__name", "working_group",
                "programme_id", "programme__name", "programme__year")


@dataclass(frozen=True)
class Counts:
    """Counts of some events: 场次, their 人次, the invitees among them and the places taken."""

    events: int = 0
    attendance: int = 0
    invitee_checkins: int = 0
    places: int = 0

    def __add__(self, other):
        return Counts(self.events + other.events, self.attendance + other.attendance,
                      self.invitee_checkins + other.invitee_checkins, self.places + other.places)

    @property
    def turnout(self):
        """平均出席率 (%): invitees' check-ins ÷ places taken."""
        return share(self.invitee_checkins, self.places)


def _counts(row):
    return Counts(row["n"], row["attended"] or 0, row["invited_in"] or 0, row["places"] or 0)


def event_groups(events, *fields):
    """`events` grouped by `fields`, each group with its Counts (`n`, `attended`, `invited_in`, `places`):
    one query; each event's check-ins and places are counted on an index range of that event."""
    return (events.order_by().values(*fields).annotate(
        n=Count("pk"),
        attended=Sum(count_of(CheckIn, "event")),
        invited_in=Sum(count_of(CheckIn, "event", invitation__isnull=False)),
        places=Sum(count_of(Invitation, "event", status__in=PLACE_STATUSES)),
    ))


@dataclass(frozen=True)
class Group:
    """One (kind, organiser, programme) group of a period's events."""

    kind: tuple  # (id, label, code, order)
    organiser: tuple  # (type, federation id, chamber id, committee id, working group, name)
    programme: tuple  # (id, name, year) or (None, "", None)
    counts: Counts

    @property
    def is_training(self):
        return self.kind[2] in TRAINING_KINDS


def _organiser(row):
    kind = row["organiser"]
    if kind == Event.Organiser.CHAMBER and row["chamber_id"]:
        name = row["chamber__name"]
    elif kind == Event.Organiser.COMMITTEE and row["committee_id"]:
        name = row["committee__name"]
    elif kind == Event.Organiser.WORKING_GROUP and row["working_group"]:
        name = row["working_group"]
    else:
        name = row["federation__name"]
    return (kind, row["federation_id"], row["chamber_id"], row["committee_id"], row["working_group"], name)


def period_groups(user, period, **narrowing):
    """The held events of the period grouped by kind, organiser and programme, with their Counts."""
    return [Group(kind=(row["kind_id"], row["kind__label"], row["kind__code"], row["kind__order"]),
                  organiser=_organiser(row),
                  programme=(row["programme_id"], row["programme__name"] or "", row["programme__year"]),
                  counts=_counts(row))
            for row in event_groups(held_events(user, period, **narrowing), *GROUP_FIELDS)]


def total(groups, condition=lambda group: True):
    result = Counts()
    for group in groups:
        if condition(group):
            result += group.counts
    return result


def feedback_score(user, period, **narrowing):
    """(百分制 mean, number of forms) of the feedback on the period's check-ins: one query."""
    counts = _feedback(user, period, **narrowing).aggregate(n=Count("pk"), points=Sum("score"))
    return _score(counts["points"], counts["n"]), counts["n"]


def _feedback(user, period, **narrowing):
    """The feedback on the check-ins of the period's held events, reached from the events (each event's
    check-ins through their index, each one's feedback through its unique index)."""
    events = held_events(user, period, **narrowing).order_by().values("pk")
    return Feedback.objects.filter(checkin__event__in=events)


def _score(points, n):
    return mean((points or 0) * FEEDBACK_POINTS, n)


@dataclass
class PeriodReport:
    """What the statistics page shows of one period: its groups, participation (overall, and of one programme
    when asked) and feedback. A dozen queries whatever the data."""

    period: Period
    groups: list
    participation: Participation
    programme: Participation | None = None  # of the programme asked for
    score: object = None
    feedback: int = 0

    @property
    def all(self):
        return total(self.groups)

    @property
    def trainings(self):
        return total(self.groups, lambda group: group.is_training)


def period_report(user, period, *, programme=None):
    """The page's figures of `period` (and the participation of `programme`, a Programme id, when given)."""
    score, feedback = feedback_score(user, period)
    return PeriodReport(period=period, groups=period_groups(user, period), participation=participation(user, period),
                        programme=participation(user, period, programme=programme) if programme else None,
                        score=score, feedback=feedback)


# --- years --------------------------------------------------------------------------------------------------
def year_case(years, prefix=""):
    """The year an event starts in (local), as a CASE over the years' first instants: no date function per
    row (on SQLite a Python call)."""
    whens = []
    for year in years:
        start, end = Period.year(year).bounds
        whens.append(When(**{f"{prefix}starts_at__gte": start, f"{prefix}starts_at__lt": end}, then=Value(year)))
    return Case(*whens, default=Value(0), output_field=IntegerField())


@dataclass(frozen=True)
class YearRow:
    """One year's counts by kind (id → Counts) and by organiser type (type → Counts)."""

    year: int
    by_kind: dict
    by_organiser: dict

    @property
    def all(self):
        return sum(self.by_kind.values(), Counts())


def year_rows(user, years):
    """For each of `years` (a range), its held events by kind and by organiser type, with their 人次: one
    grouped query over the events of those years."""
    first, last = Period.year(years[0]).bounds[0], Period.year(years[-1]).bounds[1]
    events = events_visible_to(user).filter(starts_at__gte=first, starts_at__lt=last).exclude(status__in=NOT_HELD)
    rows = (events.order_by().annotate(year=year_case(years)).values("year", "kind_id", "organiser")
            .annotate(n=Count("pk"), attended=Sum(count_of(CheckIn, "event"))))
    found = {year: ({}, {}) for year in years}
    for row in rows:
        if row["year"] not in found:
            continue
        counts = Counts(row["n"], row["attended"] or 0)
        by_kind, by_organiser = found[row["year"]]
        by_kind[row["kind_id"]] = by_kind.get(row["kind_id"], Counts()) + counts
        by_organiser[row["organiser"]] = by_organiser.get(row["organiser"], Counts()) + counts
    return [YearRow(year, *found[year]) for year in years]


def event_kinds():
    """The event kinds of the dictionary, in its order: [(id, label, code)]."""
    return list(DictItem.objects.filter(kind="event_kind").order_by("order", "pk").values_list("pk", "label", "code"))


# --- registered figures (shanglian.ui.figures) --------------------------------------------------------------
HELD = "活动（不含草稿和已取消的）开始时间在统计期间内"
ATTENDANCE = "的签到人次（受邀签到与现场登记；一份请柬只计一次）"
PARTICIPATING = ("至少有一次出席（签到记录中登记为该企业）统计期间内举办的活动")
MEMBERS = "会员企业（工商联：统计期末在册的企业会员；商会：统计期末在册的本会会员企业）"
ENTERPRISES = "统计范围内的全部企业（工商联：所辖全部企业；商会：本会会员企业）"


def _attendance_records(checkins):
    return checkins.select_related("event", "event__kind", "enterprise")


@figure("events.held", label="活动场次", unit="场", definition=f"{HELD}的活动")
def events_held(*, user, period, **narrowing):
    return with_attendance_counts(held_events(user, period, **narrowing))


def with_attendance_counts(events):
    return events.annotate(attended=count_of(CheckIn, "event"))


@figure("events.trainings", label="培训场次", unit="场", definition=f"{HELD}的培训类活动（培训班、研讨班）")
def trainings_held(*, user, period, **narrowing):
    return with_attendance_counts(held_events(user, period, **narrowing).filter(TRAINING))


@figure("events.attendance", label="签到人次", unit="人次", definition=f"{HELD}的活动{ATTENDANCE}")
def attendance(*, user, period, **narrowing):
    return _attendance_records(period_checkins(user, period, **narrowing))


@figure("events.training_attendance", label="培训人次", unit="人次",
        definition=f"{HELD}的培训类活动（培训班、研讨班）{ATTENDANCE}")
def training_attendance(*, user, period, **narrowing):
    return _attendance_records(period_checkins(user, period, **narrowing).filter(event__kind__code__in=TRAINING_KINDS))


@figure("events.members_attending", label="参与活动的会员企业", unit="家", definition=f"{MEMBERS}中{PARTICIPATING}的")
def members_attending(*, user, period, **narrowing):
    checkins = period_checkins(user, period, **narrowing)
    return with_attendances(member_enterprises(user, period.end).filter(pk__in=_attending(checkins)), checkins)


@figure("events.enterprises_attending", label="参与活动的企业", unit="家", definition=f"{ENTERPRISES}中{PARTICIPATING}的")
def enterprises_attending(*, user, period, **narrowing):
    checkins = period_checkins(user, period, **narrowing)
    return with_attendances(scope_enterprises(user).filter(pk__in=_attending(checkins)), checkins)


@figure("events.member_participation", label="会员企业参与率", unit="%",
        definition=f"{MEMBERS}中{PARTICIPATING}的比例；记录为全部会员企业（分母）及其出席次数")
def member_participation(*, user, period, **narrowing):
    found = participation(user, period, **narrowing)
    records = with_attendances(member_enterprises(user, period.end), period_checkins(user, period, **narrowing))
    return found.member_rate, records


@figure("events.enterprise_participation", label="全区企业参与率", unit="%",
        definition=f"{ENTERPRISES}中{PARTICIPATING}的比例；记录为全部企业（分母）及其出席次数")
def enterprise_participation(*, user, period, **narrowing):
    found = participation(user, period, **narrowing)
    records = with_attendances(scope_enterprises(user), period_checkins(user, period, **narrowing))
    return found.enterprise_rate, records


@figure("events.turnout", label="平均出席率", unit="%",
        definition=f"{HELD}的活动中，受邀人签到人次（不含现场登记）÷ 报名名额（回复参加或代为参加的请柬），"
                   "各活动合计；未回复而到场的受邀人也计入签到，故可能超过100%；记录为占用名额的请柬（分母）")
def turnout(*, user, period, **narrowing):
    counts = total(period_groups(user, period, **narrowing))
    places = Invitation.objects.filter(status__in=PLACE_STATUSES, event__in=held_events(
        user, period, **narrowing).order_by().values("pk")).select_related("event", "enterprise")
    return counts.turnout, places


@figure("events.satisfaction", label="反馈满意度", unit="分",
        definition=f"{HELD}的活动收到的反馈表“总体评价”平均分，折算百分制（非常满意100、满意80、一般60、"
                   "不满意40、很不满意20）；记录为这些反馈")
def satisfaction(*, user, period, **narrowing):
    score, _ = feedback_score(user, period, **narrowing)
    records = _feedback(user, period, **narrowing).select_related("checkin", "checkin__event")
    return score, records


# --- the rotating chair, the years of trainings -------------------------------------------------------------
DUTIES = ("月份与统计期间有交集的轮值主席排班，每月一人次（工商联本级的轮值主席；指定商会时为该商会的轮值会长；"
          "商会秘书处为本商会的轮值会长）")
TRAINING_YEARS = ("截至统计期末连续举办培训类活动（培训班、研讨班，不含草稿和已取消的）的年数：从统计期末所在年度"
                  "（该年度截至期末尚未举办时从上一年度）往前逐年计算，某年没有举办即中断；记录为计入的各年度培训活动")


def chair_duties_in(user, period, *, chamber=None):
    """The roster months (`ChairDuty`) of the period: the federations' own rosters of a federation role's scope (one
    chamber's with `chamber=`, an id in its scope), a chamber secretary's own chamber's; 403 for the other roles."""
    role = role_of(user)
    months = ChairDuty.objects.filter(month__gte=period.start.replace(day=1), month__lte=period.end)
    if role in FEDERATION_ROLES:
        if chamber is None:
            duties = months.filter(federation_id__in=federation_ids_in_scope(user), chamber__isnull=True)
        elif chambers_in_scope(user).filter(pk=chamber).exists():
            duties = months.filter(chamber_id=chamber)
        else:
            raise Http404("没有该商会。")
    elif role == Role.CHAMBER and user.chamber_id and chamber in (None, user.chamber_id):
        duties = months.filter(chamber_id=user.chamber_id)
    else:
        events_visible_to(user)  # the refusal (403) of the other roles
        raise Http404("没有该商会。")
    return duties.select_related("federation", "chamber", "position", "position__person")


@figure("events.chair_duties", label="轮值主席值班", unit="人次", definition=DUTIES)
def chair_duties(*, user, period, chamber=None):
    return chair_duties_in(user, period, chamber=chamber)


def training_years(user, period, **narrowing):
    """(years, events) of `TRAINING_YEARS`: the run of consecutive years of held trainings up to the period's end
    and the trainings of those years (up to the period's end). Two queries: the first training, then the years."""
    trainings = _narrow(user, events_visible_to(user).exclude(status__in=NOT_HELD).filter(TRAINING), **narrowing)
    trainings = trainings.filter(starts_at__lt=period.bounds[1])
    first = trainings.order_by().aggregate(first=Min("starts_at"))["first"]
    if first is None:
        return 0, with_attendance_counts(trainings)
    years = range(timezone.localtime(first).year, period.end.year + 1)
    held = set(trainings.order_by().annotate(year=year_case(years)).values_list("year", flat=True).distinct())
    last = period.end.year if period.end.year in held else period.end.year - 1
    run = 0
    while last - run in held:
        run += 1
    if not run:
        return 0, with_attendance_counts(trainings.none())
    start = Period.year(last - run + 1).bounds[0]
    return run, with_attendance_counts(trainings.filter(starts_at__gte=start))


@figure("events.training_programmes_years", label="连续举办培训班年数", unit="年", compare=False,
        definition=TRAINING_YEARS)
def training_programmes_years(*, user, period, **narrowing):
    return training_years(user, period, **narrowing)
