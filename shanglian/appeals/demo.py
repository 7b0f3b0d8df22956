"""Demo appeals: a year of the demo district's service desk (诉求), built on the members demo.

A builder of the demo registry (`shanglian.demo.registry`, step "appeals", run after "members"), in two
steps:

- `generate(members_plan, end=..., seed=...)` draws every appeal's life from one `random.Random`
  into an `AppealsPlan` of plain values. It reads only the category dictionary and the working-day
  calendar; the same members plan, seed and `end` give the same plan (`fingerprint()`), whatever the
  day it runs on.
- `build(result, end=...)` saves a plan with bulk inserts and sets the `SQ<yyyymmdd>` counters.

Each appeal is lived step by step by `_Life`, whose methods replay `services.py` on plain values (the
same statuses, assignment states, deadlines, timeline notes and ratings): every step passes the guards
of the one transition table, `workflow.APPEAL_FLOW` (and `ASSIGNMENT_FLOW` for a department's own
part), and takes its target state from there; only what the services compute (deadlines, who is left
after a reply or a return, the notes) is worked out here. A life stops at `end` 00:01: what would
happen later is not written, so the appeals of the last days are still open — waiting to be
accepted, dispatched, signed for or replied to — and their deadlines straddle `end`. The sweep of
`tasks.py` (every 15 minutes) is lived too: an open appeal is 督办 the night its deadline passes, and
a department late to sign for one gets its reminder.

`seed_demo` passes `end` = the day it runs, so the 即将超期 / 已超期 queues of a fresh demo show
something today; the members demo stays fixed at `members.demo.AS_OF`, which is this module's
default `end`.

Demo logins act where they exist (staff accepts and dispatches, dept1 signs for and replies for
区税务局, ent1 submits and rates, leader supervises); other departments and enterprises have no user
in the demo, so their steps carry the department's contact person or the enterprise's contact as
the actor's name with no user, as an import from another system would.
"""

import hashlib
import random
from array import array
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import accumulate

from django.db import transaction
from django.utils import timezone

from shanglian.accounts.roles import Role
from shanglian.common.numbering import continue_after, last_of_each_day
from shanglian.common.workdays import SOURCE_FALLBACK, WorkdayCalendar, WorkdayResult
from shanglian.demo import logins, orgs
from shanglian.demo.draws import weighted
from shanglian.demo.files import load_toml
from shanglian.demo.names import Names
from shanglian.demo.registry import register
from shanglian.demo.saving import bulk_created_ids, next_id, reset_sequences, write_rows
from shanglian.members import demo as members_demo
from shanglian.members.models import Enterprise, EnterpriseRole, Membership, Person
from shanglian.orgs.models import Department, Street

from . import summaries
from .models import (
    OPEN_STATES,
    Appeal,
    AppealCategory,
    Assignment,
    Channel,
    ExtensionRequest,
    MediationResult,
    Rating,
    RatingRecord,
    Status,
    TimelineEntry,
    Urgency,
)
from .workflow import (
    APPEAL_FLOW,
    ASSIGNMENT_FLOW,
    status_after_rating,
    status_after_reply,
    status_after_return,
)

__all__ = ["AppealsPlan", "build", "counts", "generate"]

DEMO_SEED = members_demo.DEMO_SEED + 4  # the appeals' own stream: the members plan is unchanged
APPEALS_PER_ENTERPRISE = 0.85  # ≈ 1,275 appeals for the default 1,500 enterprises
MIN_APPEALS = 300  # a small demo still has enough for every queue and KPI
DAY_START, DAY_END = time(9), time(17)  # working hours, as in add_working_hours

# --- Shares that make the KPIs (tuned: 满意度 ≈ 97 分, 按时办理率 ≈ 97–98 %) -------------------------
REJECT_SHARE = 0.03
TWO_DEPARTMENTS_SHARE = 0.08  # when the template names more than one department
RETURN_SHARE = 0.025
LATE_SIGN_SHARE = 0.05
EXTENSION_SHARE = 0.06
EXTENSION_APPROVED_SHARE = 0.85
LATE_SHARE = 0.02
LATE_SHARE_RECENT = 0.3  # appeals of the last three weeks: a handful overdue now
LEADER_SUPERVISE_SHARE = 0.012
SELF_RATING = {Channel.PLATFORM: 0.8}  # the enterprise rates on the H5 page; otherwise a 回访 call
SELF_RATING_OTHER = 0.35
RATINGS = [(Rating.SATISFIED, 91), (Rating.BASICALLY, 7.5), (Rating.UNSATISFIED, 1.5)]
RATINGS_AFTER_REOPEN = [(Rating.SATISFIED, 70), (Rating.BASICALLY, 30)]
REOPEN_WHEN_UNSATISFIED = 0.7

CATEGORY_WEIGHTS = {"consult": 14, "finance": 12, "labour": 12, "approval": 12, "utilities": 8, "land": 6,
                    "market": 7, "innovation": 7, "suggestion": 6, "complaint": 6, "rights": 10}
CHANNELS = [(Channel.PLATFORM, 60), (Channel.PHONE, 15), (Channel.VISIT, 10), (Channel.EVENT, 8),
            (Channel.LETTER, 4), (Channel.OTHER, 3)]
# Appeals per month (relative, by month of the year): quiet around 春节 and in August.
MONTH_WEIGHTS = {1: 8, 2: 5, 3: 11, 4: 11, 5: 10, 6: 11, 7: 9, 8: 7, 9: 10, 10: 8, 11: 11, 12: 9}

# --- Texts (shanglian/demo/data/appeals.toml) ------------------------------------------------------
_TEXTS = load_toml("appeals.toml")
# Where appeals taken at a meeting or on a visit were heard. Placeholders: {y} year, {m} month, {n} number, {street}.
EVENT_NOTES = _TEXTS["event_notes"]
VISIT_NOTES = _TEXTS["visit_notes"]
# Per category: (title, content, reply, departments by short name). Placeholders: {ent} enterprise,
# {road} a road of its street, {n} a count, {wan} an amount in 万元, {month}, {dept} the replying
# department (short name).
TEMPLATES = {category: [(row["title"], row["content"], row["reply"], row["departments"]) for row in rows]
             for category, rows in _TEXTS["templates"].items()}
REJECT_REASONS = _TEXTS["reject_reasons"]
RETURN_REASONS = _TEXTS["return_reasons"]
EXTENSION_REASONS = _TEXTS["extension_reasons"]
DENY_NOTES = _TEXTS["deny_notes"]
UNSATISFIED_COMMENTS = _TEXTS["unsatisfied_comments"]
PRAISE_COMMENTS = _TEXTS["praise_comments"]
BASIC_COMMENTS = _TEXTS["basic_comments"]
CLOSE_NOTES = _TEXTS["close_notes"]
REOPEN_REASONS = _TEXTS["reopen_reasons"]
LEADER_NOTES = _TEXTS["leader_notes"]
PERSONS_IN_CASE = _TEXTS["persons_in_case"]


# --- The plan ------------------------------------------------------------------------------------


@dataclass
class StepPlan:
    """One TimelineEntry. `actor` names a demo login ("staff", "dept1" …) or None."""

    at: datetime
    actor: str | None
    actor_name: str
    action: str
    from_status: str
    to_status: str
    department: int | None
    note: str


@dataclass
class ExtensionPlan:
    requested_by: str | None
    requested_at: datetime
    days: int
    reason: str
    old_deadline: date
    decision: str = ExtensionRequest.Decision.PENDING
    decided_by: str | None = None
    decided_at: datetime | None = None
    decision_note: str = ""
    new_deadline: date | None = None


@dataclass
class AssignmentPlan:
    department: int
    round: int
    dispatched_by: str | None
    dispatched_at: datetime
    sign_deadline: datetime
    deadline: date
    deadline_provisional: bool
    state: str = Assignment.State.ASSIGNED
    accepted_at: datetime | None = None
    returned_at: datetime | None = None
    return_reason: str = ""
    replied_at: datetime | None = None
    replied_by: str | None = None
    reply: str = ""
    replied_on_time: bool | None = None
    working_days_to_reply: int | None = None
    sign_overdue_notified_at: datetime | None = None
    extensions: list = field(default_factory=list)


@dataclass
class RatingPlan:
    rating: str
    comment: str
    source: str
    rated_by: str | None
    rated_at: datetime
    round: int


@dataclass
class AppealPlan:
    enterprise: int
    person: int | None
    contact_name: str
    submitted_by: str | None
    channel: str
    category: str
    title: str
    content: str
    urgency: str
    source_note: str
    submitted_at: datetime
    counterpart: str = ""
    amount_involved: Decimal | None = None
    legal_aid_given: bool = False
    mediation_result: str = ""
    number: str = ""
    status: str = Status.SUBMITTED
    accepted_at: datetime | None = None
    first_dispatched_at: datetime | None = None
    deadline: date | None = None
    deadline_provisional: bool = False
    replied_at: datetime | None = None
    replied_on_time: bool | None = None
    closed_at: datetime | None = None
    rejected_reason: str = ""
    is_supervised: bool = False
    supervised_at: datetime | None = None
    reopen_count: int = 0
    rating: str = ""
    rated_at: datetime | None = None
    assignments: list = field(default_factory=list)
    ratings: list = field(default_factory=list)
    steps: list = field(default_factory=list)


@dataclass
class AppealsPlan:
    seed: int
    end: date
    appeals: list  # AppealPlan, in number order

    def fingerprint(self):
        """A digest of everything generated, for determinism checks."""
        return hashlib.sha256(repr((self.seed, self.end, self.appeals)).encode()).hexdigest()


# --- Working time --------------------------------------------------------------------------------


class _Clock:
    """Working days and hours in local (Asia/Shanghai) naive datetimes.

    `add_days` and `between` follow `add_working_days` / `working_days_between` step by step, on one
    `WorkdayCalendar` whose answers are kept per day (the project functions build a fresh calendar per
    call, and a year of appeals makes thousands of calls); the tests check every deadline and reply
    time of the demo against the project functions themselves. `advance` is `add_working_hours`
    (9–17 o'clock).
    """

    def __init__(self):
        self.calendar = WorkdayCalendar()
        self._lookups = {}

    def _lookup(self, day):
        if day not in self._lookups:
            self._lookups[day] = self.calendar.lookup(day)
        return self._lookups[day]

    def workday(self, day):
        return self._lookup(day)[0]

    def add_days(self, day, n):
        """add_working_days(day, n) for n >= 0."""
        current, provisional = day, False
        while n:
            current += timedelta(days=1)
            workday, source = self._lookup(current)
            provisional = provisional or source == SOURCE_FALLBACK
            n -= workday
        return WorkdayResult(current, provisional)

    def back(self, day, n):
        """add_working_days(day, -n).date."""
        while n:
            day -= timedelta(days=1)
            n -= self.workday(day)
        return day

    def between(self, start, end):
        """working_days_between(start, end) for start <= end."""
        return sum(self.workday(start + timedelta(days=i)) for i in range(1, (end - start).days + 1))

    def advance(self, start, seconds):
        """`start` plus `seconds` of working time (the semantics of add_working_hours)."""
        remaining, current = timedelta(seconds=seconds), start
        while True:
            day = current.date()
            close = datetime.combine(day, DAY_END)
            if self.workday(day) and current < close:
                current = max(current, datetime.combine(day, DAY_START))
                if remaining <= close - current:
                    return current + remaining
                remaining -= close - current
            current = datetime.combine(day + timedelta(days=1), DAY_START)

    def sign_deadline(self, dispatched_at, hours):
        return self.advance(dispatched_at, hours * 3600)


class _Stop(Exception):
    """The appeal's life reached the end of the demo (or the stage a showcase appeal stops at)."""


def _next_tick(moment, rng):
    """The first run of the 15-minute sweep strictly after `moment` (a few seconds past the quarter)."""
    base = moment.replace(minute=moment.minute - moment.minute % 15, second=0, microsecond=0)
    return base + timedelta(minutes=15, seconds=rng.randint(2, 25))


# --- One appeal's life ---------------------------------------------------------------------------


# The roles of the demo's actors (a department's steps are the department's whatever its actor).
ACTOR_ROLES = {"staff": Role.STAFF, "leader": Role.LEADER, "ent1": Role.ENTERPRISE, "enterprise": Role.ENTERPRISE}


class _Life:
    """Replays services.py on an AppealPlan: every method is one service call at time `t`."""

    def __init__(self, gen, appeal, stop_after=None):
        self.gen, self.a, self.rng, self.clock = gen, appeal, gen.rng, gen.clock
        self.stop_after = stop_after
        self.category = gen.categories[appeal.category]

    # Bookkeeping.
    def _at(self, t):
        if t >= self.gen.cutoff:
            raise _Stop
        self.sweep(t)

    def _step(self, t, action, actor, assignment=None):
        """Begin one step at `t`: the sweep first, then the service's guards from the table."""
        self._at(t)
        role = Role.DEPARTMENT if action in ASSIGNMENT_FLOW else ACTOR_ROLES[actor]
        APPEAL_FLOW.check(action, self.a, role=role)
        if assignment is not None:
            ASSIGNMENT_FLOW.check(action, assignment, role=role)

    def _done(self, stage):
        if stage == self.stop_after:
            raise _Stop

    def _log(self, t, actor, action, before, note="", department=None):
        self.a.steps.append(StepPlan(at=t, actor=actor, actor_name=self.gen.actor_name(actor, department, self.a),
                                     action=action, from_status=before, to_status=self.a.status,
                                     department=department, note=note))

    def current(self):
        return [s for s in self.a.assignments if s.round == self.a.reopen_count
                and s.state != Assignment.State.RETURNED]

    def _refresh_deadline(self):
        open_ones = [s for s in self.current() if s.state in Assignment.HELD_STATES]
        if open_ones:
            latest = max(open_ones, key=lambda s: s.deadline)
            self.a.deadline = latest.deadline
            self.a.deadline_provisional = any(s.deadline_provisional for s in open_ones)

    def sweep(self, t):
        """What the 15-minute sweep did before `t`: 督办 once the deadline passed, sign-for reminders."""
        a, rng = self.a, self.rng
        last = a.steps[-1].at if a.steps else a.submitted_at
        if a.status in APPEAL_FLOW["supervise"].sources and not a.is_supervised and a.deadline is not None:
            tick = datetime.combine(a.deadline + timedelta(days=1), time(0, 0, rng.randint(2, 25)))
            if tick < t:
                tick = max(tick, last + timedelta(seconds=1))
                a.is_supervised, a.supervised_at = True, tick
                self._log(tick, None, "supervise", a.status, note="超过办理期限，系统自动督办")
        for s in a.assignments:
            if s.state == Assignment.State.ASSIGNED and s.sign_overdue_notified_at is None:
                tick = _next_tick(s.sign_deadline, rng)
                if tick < t:
                    s.sign_overdue_notified_at = tick

    def staff_after(self, t, lo, hi):
        return self.clock.advance(t, self.rng.randint(lo * 60, hi * 60))

    # The desk.
    def submit(self):
        a = self.a
        self._at(a.submitted_at)
        # as services.submit_appeal writes it: an appeal taken at a visit or an event says where it came from
        source = f"来源：{Channel(a.channel).label}（{a.source_note}）" if a.source_note else ""
        self._log(a.submitted_at, a.submitted_by, "submit", "", note=source)
        self._done("submit")

    def accept(self, t):
        self._step(t, "accept", "staff")
        before, self.a.status, self.a.accepted_at = self.a.status, APPEAL_FLOW.target("accept"), t
        self._log(t, "staff", "accept", before)
        self._done("accept")

    def reject(self, t, reason):
        self._step(t, "reject", "staff")
        before = self.a.status
        self.a.status, self.a.rejected_reason, self.a.closed_at = APPEAL_FLOW.target("reject"), reason, t
        self._log(t, "staff", "reject", before, note=reason)

    def dispatch(self, t, departments):
        self._step(t, "dispatch", "staff")
        a = self.a
        result = self.clock.add_days(t.date(), self.category.reply_days)
        sign = self.clock.sign_deadline(t, self.category.sign_hours)
        for d in sorted(departments):
            a.assignments.append(AssignmentPlan(
                department=d, round=a.reopen_count, dispatched_by="staff", dispatched_at=t, sign_deadline=sign,
                deadline=result.date, deadline_provisional=result.provisional))
        before = a.status
        a.status = APPEAL_FLOW.target("dispatch")
        a.first_dispatched_at = a.first_dispatched_at or t
        a.deadline, a.deadline_provisional = result.date, result.provisional
        names = "、".join(self.gen.departments[d][0] for d in sorted(departments))
        self._log(t, "staff", "dispatch", before, note=f"承办部门：{names}；办理期限：{result.date:%Y-%m-%d}")
        self._done("dispatch")

    # The departments.
    def department_accept(self, t, s):
        self._step(t, "department_accept", None, s)
        s.state, s.accepted_at = ASSIGNMENT_FLOW.target("department_accept"), t
        before, self.a.status = self.a.status, APPEAL_FLOW.target("department_accept")
        self._log(t, self.gen.dept_actor(s.department), "department_accept", before, department=s.department)

    def return_(self, t, s, reason):
        self._step(t, "return", None, s)
        a = self.a
        s.state, s.returned_at, s.return_reason = ASSIGNMENT_FLOW.target("return"), t, reason
        before = a.status
        remaining = self.current()
        after = status_after_return(remaining)
        if after is not None:
            a.status = after
        if after == Status.REPLIED:
            a.replied_at = max(r.replied_at for r in remaining)
            a.replied_on_time = all(r.replied_on_time for r in remaining)
        self._refresh_deadline()
        self._log(t, self.gen.dept_actor(s.department), "return", before, note=reason, department=s.department)

    def request_extension(self, t, s, days, reason):
        self._step(t, "request_extension", None, s)
        s.extensions.append(ExtensionPlan(requested_by=self.gen.dept_actor(s.department), requested_at=t, days=days,
                                          reason=reason, old_deadline=s.deadline))
        self._log(t, self.gen.dept_actor(s.department), "request_extension", self.a.status, department=s.department,
                  note=f"申请延期 {days} 个工作日：{reason}")
        self._done("request_extension")

    def decide_extension(self, t, s, approve, note=""):
        self._step(t, "decide_extension", "staff")
        request = s.extensions[-1]
        request.decided_by, request.decided_at, request.decision_note = "staff", t, note
        if approve:
            moved = self.clock.add_days(request.old_deadline, request.days)
            request.decision, request.new_deadline = ExtensionRequest.Decision.APPROVED, moved.date
            s.deadline, s.deadline_provisional = moved.date, moved.provisional
            text = f"同意延期至 {moved.date:%Y-%m-%d}"
        else:
            request.decision = ExtensionRequest.Decision.DENIED
            text = "不同意延期"
        self._refresh_deadline()
        self._log(t, "staff", "decide_extension", self.a.status, department=s.department,
                  note=text + (f"：{note}" if note else ""))

    def reply(self, t, s, text):
        self._step(t, "reply", None, s)
        a = self.a
        s.state, s.replied_at, s.replied_by, s.reply = (
            ASSIGNMENT_FLOW.target("reply"), t, self.gen.dept_actor(s.department), text)
        s.replied_on_time = t.date() <= s.deadline
        s.working_days_to_reply = max(self.clock.between(s.dispatched_at.date(), t.date()), 0)
        before = a.status
        after = status_after_reply(self.current())
        if after is not None:
            a.status, a.replied_at = after, t
            a.replied_on_time = all(r.replied_on_time for r in self.current())
        self._log(t, self.gen.dept_actor(s.department), "reply", before, note=text, department=s.department)
        if a.status == Status.REPLIED:
            self._done("reply")

    # The enterprise, the desk's callback, closing and supervision.
    def rate(self, t, actor, source, rating, comment):
        self._step(t, "rate", actor)
        a = self.a
        a.ratings.append(RatingPlan(rating=rating, comment=comment, source=source, rated_by=actor, rated_at=t,
                                    round=a.reopen_count))
        before = a.status
        a.rating, a.rated_at = rating, t
        after = status_after_rating(rating)
        if after is not None:
            a.status, a.closed_at = after, t
        label = Rating(rating).label
        self._log(t, actor, "rate", before,
                  note=f"{RatingRecord.Source(source).label}：{label}" + (f"。{comment}" if comment else ""))

    def reopen(self, t, actor, reason):
        self._step(t, "reopen", actor)
        a = self.a
        replied = [s for s in self.current() if s.state == Assignment.State.REPLIED]
        a.reopen_count += 1
        result = self.clock.add_days(t.date(), self.category.reply_days)
        for old in replied:
            a.assignments.append(AssignmentPlan(
                department=old.department, round=a.reopen_count, state=Assignment.State.HANDLING,
                dispatched_by=actor, dispatched_at=t, sign_deadline=t, accepted_at=t,
                deadline=result.date, deadline_provisional=result.provisional))
        before = a.status
        a.status, a.rating, a.rated_at, a.closed_at = APPEAL_FLOW.target("reopen"), "", None, None
        a.replied_at, a.replied_on_time = None, None
        a.deadline, a.deadline_provisional = result.date, result.provisional
        self._log(t, actor, "reopen", before, note=f"{reason}（重办期限 {result.date:%Y-%m-%d}）")

    def close(self, t, note):
        self._step(t, "close", "staff")
        before, self.a.status, self.a.closed_at = self.a.status, APPEAL_FLOW.target("close"), t
        self._log(t, "staff", "close", before, note=note)

    def supervise(self, t, note):
        self._step(t, "supervise", "leader")
        self.a.is_supervised, self.a.supervised_at = True, t
        self._log(t, "leader", "supervise", self.a.status, note=note)

    def update_rights_case(self, t):
        self._step(t, "update_rights_case", "staff")
        a = self.a
        parts = [f"对方当事人：{a.counterpart}"]
        if a.amount_involved is not None:
            parts.append(f"涉及金额：{a.amount_involved:,} 元")
        parts.append("已提供法律援助" if a.legal_aid_given else "未提供法律援助")
        if a.mediation_result:
            parts.append(f"调解结果：{MediationResult(a.mediation_result).label}")
        self._log(t, "staff", "update_rights_case", a.status, note="；".join(parts))


# --- Generation ----------------------------------------------------------------------------------


@dataclass
class _Draft:
    """The choices made before an appeal is lived."""

    appeal: AppealPlan
    departments: list
    reply: str
    stop_after: str | None = None
    reject: bool = False
    returned_to: int | None = None
    late: bool = False
    late_sign: bool = False
    extension: bool | None = None  # None: no extension; True/False: approved or denied
    leader: bool = False
    rights_update: tuple | None = None  # (legal aid, mediation result) set by the desk while handling
    self_rating: bool = True
    ratings: tuple = ()


class _Generator:
    years = 1  # of appeals before `end`

    def __init__(self, members_plan, end, seed):
        self.plan, self.end, self.rng = members_plan, end, random.Random(seed)
        self.cutoff = datetime.combine(end, time(0, 1))
        self.clock = _Clock()
        self.categories = {c.code: c for c in AppealCategory.objects.filter(code__in=list(CATEGORY_WEIGHTS))}
        missing = sorted(set(CATEGORY_WEIGHTS) - set(self.categories))
        if missing:
            raise RuntimeError("诉求类别缺少：" + "、".join(missing) + "。请先执行 migrate。")
        self.departments = members_plan.departments  # (name, short, contact, phone)
        self.dept_by_short = {short: i for i, (_n, short, _c, _p) in enumerate(self.departments)}
        self.login_department = members_plan.logins["department"]
        self.login_enterprise = members_plan.logins["enterprise"]
        self.display = dict(members_plan.logins["display"])
        self.display.update({u: d for u, _r, d, _unit in logins.DEMO_LOGINS if d})
        self.names = Names(self.rng)
        self._enterprises()

    # Who acts.
    def dept_actor(self, department):
        return "dept1" if department == self.login_department else None

    def actor_name(self, actor, department, appeal):
        if actor in ("dept1",) or (actor is None and department is not None):
            d = self.departments[department]
            return f"{d[0]} {self.display['dept1'] if actor else d[2]}"
        if actor == "ent1":
            return f"企业 {self.display['ent1']}"
        if actor == "enterprise":  # an enterprise person without a demo login
            return f"企业 {appeal.contact_name}"
        if actor is None:
            return "系统"
        return self.display[actor]

    # Enterprises that may appeal, weighted: members, bigger firms and the login's firm more often.
    def _enterprises(self):
        plan = self.plan
        gone = {m.enterprise for m in plan.members
                if m.enterprise is not None and m.left_reason in members_demo.ENTERPRISE_ENDS}
        member = {m.enterprise for m in plan.members if m.enterprise is not None and m.left is None}
        size = {"large": 3.0, "medium": 2.2, "small": 1.4, "micro": 1.0}
        self.ent_pool, self.ent_weights = [], []
        for i, e in enumerate(plan.enterprises):
            if i in gone:
                continue
            self.ent_pool.append(i)
            self.ent_weights.append(size[e.size] * (2.0 if i in member else 1.0) * (1.0 if e.is_local else 0.7))
        self.persons_of = defaultdict(list)
        for p_idx, p in enumerate(plan.persons):
            for ent, _role in p.roles:
                self.persons_of[ent].append(p_idx)
        self.ent_cum = list(accumulate(self.ent_weights))

    def _pick_enterprise(self, day):
        while True:
            i = self.rng.choices(self.ent_pool, cum_weights=self.ent_cum)[0]
            if self.plan.enterprises[i].founded < day:
                return i

    # Drafting.
    def draft(self, *, submitted_at, enterprise=None, category=None, template=None, channel=None,
              departments=None, stop_after=None):
        rng, plan = self.rng, self.plan
        day = submitted_at.date()
        enterprise = self._pick_enterprise(day) if enterprise is None else enterprise
        e = plan.enterprises[enterprise]
        category = category or weighted(rng, CATEGORY_WEIGHTS.items())
        title, content, reply, dept_names = template or rng.choice(TEMPLATES[category])
        if channel is None:
            channel = weighted(rng, CHANNELS)
        persons = self.persons_of.get(enterprise, [])
        person = rng.choice(persons) if persons and rng.random() < 0.7 else None
        contact = plan.persons[person].name if person is not None else (e.contact_name or e.legal_representative)
        street = orgs.STREETS[e.street] if e.street is not None else rng.choice(orgs.STREETS)
        fills = {"ent": e.name, "road": f"{rng.choice(street[1])}{rng.randrange(1, 400)}号",
                 "n": rng.choice([3, 5, 6, 8, 10, 12, 15, 20, 30]), "wan": rng.choice([30, 50, 80, 120, 200, 300, 500])}
        rights = self.categories[category].is_rights_case
        counterpart, amount = "", None
        if rights:
            if rng.random() < 0.85:
                counterpart = f"天津市{self.names.brand()}{rng.choice(['建设工程', '商贸', '科技', '实业', '置业'])}有限公司"
            else:
                counterpart = f"{rng.choice(PERSONS_IN_CASE)}某某（个人）"
            amount = Decimal(rng.choice([8, 12, 15, 26, 38, 45, 60, 85, 120, 160, 240, 380])) * 10000 + \
                Decimal(rng.randrange(0, 100)) * 100
            fills["wan"] = f"{amount / 10000:.2f}".rstrip("0").rstrip(".")
        fills["counterpart"] = counterpart
        if departments is None:
            choices = [self.dept_by_short[n] for n in dept_names]
            departments = [choices[0]] if len(choices) == 1 else [rng.choice(choices)]
            if len(choices) > 1 and rng.random() < TWO_DEPARTMENTS_SHARE:
                departments = rng.sample(choices, 2)
        note = ""
        if channel == Channel.EVENT:
            note = rng.choice(EVENT_NOTES).format(y=day.year, m=day.month, n=rng.randrange(20, 80))
        elif channel == Channel.VISIT:
            note = rng.choice(VISIT_NOTES).format(street=street[0])
        is_login_firm = enterprise == self.login_enterprise
        if channel == Channel.PLATFORM:
            submitted_by = "ent1" if is_login_firm else "enterprise"
        else:
            submitted_by = "staff"
            submitted_at = self.clock.advance(submitted_at, rng.randint(0, 3600))  # registered in office hours
        appeal = AppealPlan(
            enterprise=enterprise, person=person, contact_name=contact, submitted_by=submitted_by, channel=channel,
            category=category, title=title, content=content.format(**fills), source_note=note,
            urgency=Urgency.URGENT if rng.random() < 0.08 else Urgency.NORMAL, submitted_at=submitted_at,
            counterpart=counterpart, amount_involved=amount,
        )
        draft = _Draft(appeal=appeal, departments=departments, reply=reply, stop_after=stop_after)
        recent = (self.end - day).days <= 21
        draft.reject = rng.random() < REJECT_SHARE
        others = [self.dept_by_short[n] for n in dept_names if self.dept_by_short[n] not in departments]
        if len(departments) == 1 and others and rng.random() < RETURN_SHARE:  # returned to the one that handles it
            draft.returned_to = rng.choice(others)
        draft.late = rng.random() < (LATE_SHARE_RECENT if recent else LATE_SHARE)
        draft.late_sign = rng.random() < LATE_SIGN_SHARE
        if rng.random() < EXTENSION_SHARE and self.categories[category].reply_days > 1:
            draft.extension = rng.random() < EXTENSION_APPROVED_SHARE
        draft.leader = rng.random() < LEADER_SUPERVISE_SHARE
        if rights:
            draft.rights_update = (rng.random() < 0.45, rng.choices(
                [MediationResult.SETTLED, MediationResult.PARTIAL, MediationResult.FAILED,
                 MediationResult.LITIGATION, MediationResult.NONE], weights=[45, 20, 8, 12, 15])[0])
        draft.self_rating = rng.random() < SELF_RATING.get(channel, SELF_RATING_OTHER)
        first = weighted(rng, RATINGS)
        if first == Rating.UNSATISFIED:
            again = weighted(rng, RATINGS_AFTER_REOPEN)
            draft.ratings = (first, again if rng.random() < REOPEN_WHEN_UNSATISFIED else None)
        else:
            draft.ratings = (first,)
        return draft

    # Living.
    def live(self, draft):
        life = _Life(self, draft.appeal, stop_after=draft.stop_after)
        try:
            self._live(life, draft)
        except _Stop:
            pass
        life.sweep(self.cutoff)
        return draft.appeal

    def _reply_text(self, draft, department, again=False):
        text = draft.reply.format(dept=self.departments[department][1])
        return f"（重办）经再次核实并跟进落实。{text}" if again else text

    def _live(self, life, d):
        rng, clock, a = self.rng, self.clock, d.appeal
        life.submit()
        t = life.staff_after(a.submitted_at, 20, 300)
        if d.reject:
            life.reject(t, rng.choice(REJECT_REASONS))
            return
        life.accept(t)
        t = life.staff_after(t, 10, 150)
        life.dispatch(t, d.departments)
        if d.returned_to is not None:
            s = a.assignments[-1]
            t = life.staff_after(t, 15, 100)
            life.return_(t, s, rng.choice(RETURN_REASONS).format(other=self.departments[d.returned_to][1]))
            t = life.staff_after(t, 20, 200)
            life.dispatch(t, [d.returned_to])
        current = life.current()
        for s in current:
            late = d.late_sign and s is current[0]
            t = max(t, clock.advance(s.dispatched_at, rng.randint(130 * 60, 300 * 60) if late
                                     else rng.randint(5 * 60, 110 * 60)))
            life.department_accept(t, s)
        life._done("department_accept")
        if d.leader:
            t = life.staff_after(t, 60, 600)
            life.supervise(t, rng.choice(LEADER_NOTES))
        if d.extension is not None:
            s = current[0]
            ask_day = clock.add_days(s.dispatched_at.date(), max(1, self.categories[a.category].reply_days - 2)).date
            t = max(life.staff_after(t, 30, 240), datetime.combine(ask_day, time(9, rng.randint(5, 55))))
            if t.date() <= s.deadline:
                life.request_extension(t, s, rng.choice([3, 5, 5, 10]), rng.choice(EXTENSION_REASONS))
                t = life.staff_after(t, 30, 300)
                life.decide_extension(t, s, d.extension, "" if d.extension else rng.choice(DENY_NOTES))
        if d.rights_update is not None:
            aid, mediation = d.rights_update
            if aid or mediation:
                a.legal_aid_given, a.mediation_result = aid, mediation
                t = life.staff_after(t, 120, 1200)
                life.update_rights_case(t)
        t = self._replies(life, d, current, t, d.late)
        self._ratings(life, d, t)

    def _replies(self, life, d, assignments, t, late):
        rng, clock = self.rng, self.clock
        for s in assignments:
            if late:
                day = clock.add_days(s.deadline, rng.randint(1, 6)).date
            else:
                span = clock.between(s.dispatched_at.date(), s.deadline)
                day = clock.add_days(s.dispatched_at.date(), rng.randint(min(1, span), span) if span else 0).date
            start = max(t, datetime.combine(day, DAY_START))
            t = clock.advance(start, rng.randint(10 * 60, 420 * 60 if start.time() == DAY_START else 60 * 60))
            life.reply(t, s, self._reply_text(d, s.department, again=s.round > 0))
        return t

    def _ratings(self, life, d, t):
        rng, clock = self.rng, self.clock
        first, *rest = d.ratings
        actor, source, t = self._rater(d, t)
        comment = rng.choice(UNSATISFIED_COMMENTS if first == Rating.UNSATISFIED else
                             PRAISE_COMMENTS if first == Rating.SATISFIED else BASIC_COMMENTS)
        life.rate(t, actor, source, first, comment)
        if first != Rating.UNSATISFIED:
            return
        again = rest[0] if rest else None
        if again is None:
            life.close(life.staff_after(t, 240, 900), rng.choice(CLOSE_NOTES))
            return
        reopener = actor if source == RatingRecord.Source.ENTERPRISE else "staff"
        t = clock.advance(t, rng.randint(5 * 60, 90 * 60)) if reopener != "staff" else life.staff_after(t, 60, 480)
        life.reopen(t, reopener, rng.choice(REOPEN_REASONS))
        t = self._replies(life, d, life.current(), t, late=False)
        actor, source, t = self._rater(d, t)
        life.rate(t, actor, source, again, rng.choice(PRAISE_COMMENTS if again == Rating.SATISFIED else BASIC_COMMENTS))

    def _rater(self, d, replied_at):
        """(actor, source, when): the enterprise within two days, else the desk's 回访 after three working days."""
        rng, clock, a = self.rng, self.clock, d.appeal
        if d.self_rating:
            actor = "ent1" if a.enterprise == self.login_enterprise else "enterprise"
            when = replied_at + timedelta(minutes=rng.randint(20, 2 * 24 * 60))
            if not time(7) <= when.time() <= time(22):
                when = datetime.combine(when.date() + timedelta(days=1), time(8, rng.randint(0, 59)))
            return actor, RatingRecord.Source.ENTERPRISE, when
        day = clock.add_days(replied_at.date(), rng.randint(3, 5)).date
        return "staff", RatingRecord.Source.CALLBACK, datetime.combine(day, time(rng.randint(9, 16), rng.randint(0, 59)))

    # Submission moments.
    def span_days(self):
        """The days appeals are submitted on (the `years` × 365 days before `end`) and their weights."""
        start = self.end - timedelta(days=365 * self.years)
        days = [start + timedelta(days=i) for i in range(365 * self.years)]
        return days, [MONTH_WEIGHTS[d.month] * (1.0 if self.clock.workday(d) else 0.25) for d in days]

    def submission_days(self, n):
        days, weights = self.span_days()
        return sorted(self.rng.choices(days, weights=weights, k=n))

    def moment(self, day):
        rng = self.rng
        minutes = rng.choice([rng.randint(8 * 60, 12 * 60), rng.randint(13 * 60, 18 * 60), rng.randint(19 * 60, 22 * 60)])
        return datetime.combine(day, time(minutes // 60, minutes % 60, rng.randint(0, 59)))

    def workday_back(self, k):
        return self.clock.back(self.end, k)

    def showcase(self):
        """Appeals placed so the demo logins' queues show every state on `end` (stops are the last step)."""
        ent, dept = self.login_enterprise, self.login_department
        tax = [t for c in ("consult", "approval", "finance", "suggestion") for t in TEMPLATES[c]
               if "区税务局" in t[3]]
        tax_cats = [c for c in ("consult", "approval", "finance", "suggestion") for t in TEMPLATES[c]
                    if "区税务局" in t[3]]
        five_day = [(c, t) for c, t in zip(tax_cats, tax, strict=True) if self.categories[c].reply_days >= 5]

        def at(k, hour, minute=0):
            return datetime.combine(self.workday_back(k), time(hour, minute))

        def tax_draft(when, stop, enterprise=None, pick=0, **kw):
            category, template = five_day[pick % len(five_day)]
            return self.draft(submitted_at=when, enterprise=enterprise, category=category, template=template,
                              channel=Channel.PLATFORM, departments=[dept], stop_after=stop, **kw)

        yesterday = self.end - timedelta(days=1)
        drafts = [
            # ent1: waiting to be accepted, waiting to be dispatched, being handled, replied (to rate).
            self.draft(submitted_at=datetime.combine(yesterday, time(20, 17)), enterprise=ent, category="labour",
                       template=TEMPLATES["labour"][0], channel=Channel.PLATFORM, stop_after="submit"),
            self.draft(submitted_at=at(1, 8, 42), enterprise=ent, category="utilities",
                       template=TEMPLATES["utilities"][0], channel=Channel.PLATFORM, stop_after="accept"),
            tax_draft(at(3, 8, 35), "department_accept", enterprise=ent, pick=0),
            self.draft(submitted_at=at(8, 9, 10), enterprise=ent, category="finance",
                       template=TEMPLATES["finance"][0], channel=Channel.PLATFORM, stop_after="reply"),
            # dept1: two to sign for, being handled (one due soon, one overdue), an extension pending.
            tax_draft(at(1, 8, 5), "dispatch", pick=1),
            tax_draft(at(2, 10, 20), "dispatch", pick=2),
            tax_draft(at(2, 8, 50), "department_accept", pick=3),
            tax_draft(at(5, 8, 20), "department_accept", pick=4),
            tax_draft(at(8, 8, 30), "department_accept", pick=5),
            tax_draft(at(4, 8, 15), "request_extension", pick=6),
        ]
        for draft in drafts:  # nothing random may undo what the showcase shows
            draft.reject, draft.returned_to, draft.late_sign, draft.leader = False, None, False, False
            draft.late = False
        drafts[-1].extension = True
        # ent1's history: one rejected, one reopened after 不满意 and then closed.
        old = self.draft(submitted_at=datetime.combine(self.end - timedelta(days=120), time(10, 12)),
                         enterprise=ent, category="market", template=TEMPLATES["market"][0],
                         channel=Channel.PLATFORM)
        old.reject = True
        reopened = self.draft(submitted_at=datetime.combine(self.end - timedelta(days=200), time(15, 3)),
                              enterprise=ent, category="approval", template=TEMPLATES["approval"][0],
                              channel=Channel.PLATFORM)
        reopened.reject, reopened.returned_to, reopened.late = False, None, False
        reopened.self_rating, reopened.ratings = True, (Rating.UNSATISFIED, Rating.SATISFIED)
        return drafts + [old, reopened]


def generate(members_plan, *, end=members_demo.AS_OF, seed=DEMO_SEED, years=1,
             per_enterprise=APPEALS_PER_ENTERPRISE):
    """`years` of appeals (the 365 × `years` days before `end`) of the members plan's district, lived up
    to `end`: `per_enterprise` appeals per firm and year."""
    gen = _Generator(members_plan, end, seed)
    gen.years = years
    n = max(MIN_APPEALS, round(len(members_plan.enterprises) * per_enterprise * years))
    drafts = gen.showcase()
    for day in gen.submission_days(n - len(drafts)):
        drafts.append(gen.draft(submitted_at=gen.moment(day)))
    appeals = [gen.live(d) for d in drafts]
    appeals = [a for a in appeals if a.submitted_at < gen.cutoff]
    appeals.sort(key=lambda a: a.submitted_at)
    per_day = Counter()
    for a in appeals:  # common.numbering.daily_number: SQ + local date + per-day counter
        day = a.submitted_at.date()
        per_day[day] += 1
        a.number = f"SQ{day:%Y%m%d}{per_day[day]:04d}"
    return AppealsPlan(seed=seed, end=end, appeals=appeals)


# --- Saving ----------------------------------------------------------------------------------------


def build(result, *, end=members_demo.AS_OF, seed=DEMO_SEED, plan=None):
    """Save the appeals of the demo district `result` (what the "members" step returned, the demo run's
    `run.results["members"]`) with bulk inserts."""
    plan = plan or generate(result.plan, end=end, seed=seed)
    district, users = result.federation, result.users
    tz = timezone.get_current_timezone()

    def aware(value):
        return value.replace(tzinfo=tz) if value is not None else None

    def user(actor):
        return users.get(actor) if actor else None

    departments = list(Department.objects.filter(federation=district).order_by("pk").values_list("pk", flat=True))
    enterprises = list(Enterprise.objects.filter(federation=district).order_by("pk").values_list("pk", flat=True))
    persons = list(Person.objects.filter(federation=district).order_by("pk").values_list("pk", flat=True))
    categories = dict(AppealCategory.objects.values_list("code", "pk"))

    with transaction.atomic():
        appeal_objs = Appeal.objects.bulk_create([
            Appeal(
                federation=district, number=a.number, enterprise_id=enterprises[a.enterprise],
                person_id=persons[a.person] if a.person is not None else None, contact_name=a.contact_name,
                submitted_by=user(a.submitted_by), channel=a.channel, category_id=categories[a.category],
                title=a.title, content=a.content, urgency=a.urgency, source_note=a.source_note, status=a.status,
                submitted_at=aware(a.submitted_at), accepted_at=aware(a.accepted_at),
                first_dispatched_at=aware(a.first_dispatched_at), deadline=a.deadline,
                deadline_provisional=a.deadline_provisional, replied_at=aware(a.replied_at),
                replied_on_time=a.replied_on_time, closed_at=aware(a.closed_at), rejected_reason=a.rejected_reason,
                is_supervised=a.is_supervised, supervised_at=aware(a.supervised_at), reopen_count=a.reopen_count,
                rating=a.rating, rated_at=aware(a.rated_at), counterpart=a.counterpart,
                amount_involved=a.amount_involved, legal_aid_given=a.legal_aid_given,
                mediation_result=a.mediation_result,
            )
            for a in plan.appeals
        ], batch_size=500)
        appeal_ids = bulk_created_ids(Appeal, appeal_objs, "number")

        pairs = [(appeal_id, s) for appeal_id, a in zip(appeal_ids, plan.appeals, strict=True) for s in a.assignments]
        assignment_objs = Assignment.objects.bulk_create([
            Assignment(
                appeal_id=appeal_id, department_id=departments[s.department], state=s.state, round=s.round,
                dispatched_by=user(s.dispatched_by), dispatched_at=aware(s.dispatched_at),
                sign_deadline=aware(s.sign_deadline), deadline=s.deadline, deadline_provisional=s.deadline_provisional,
                accepted_at=aware(s.accepted_at), returned_at=aware(s.returned_at), return_reason=s.return_reason,
                replied_at=aware(s.replied_at), replied_by=user(s.replied_by), reply=s.reply,
                replied_on_time=s.replied_on_time, working_days_to_reply=s.working_days_to_reply,
                sign_overdue_notified_at=aware(s.sign_overdue_notified_at),
            )
            for appeal_id, s in pairs
        ], batch_size=500)
        assignment_ids = [obj.pk for obj in assignment_objs]
        if None in assignment_ids:  # a backend that does not return ids from bulk inserts
            assignment_ids = list(Assignment.objects.filter(appeal_id__in=appeal_ids).order_by("pk")
                                  .values_list("pk", flat=True))
        ExtensionRequest.objects.bulk_create([
            ExtensionRequest(
                assignment_id=pk, requested_by=user(x.requested_by), requested_at=aware(x.requested_at), days=x.days,
                reason=x.reason, decision=x.decision, decided_by=user(x.decided_by), decided_at=aware(x.decided_at),
                decision_note=x.decision_note, old_deadline=x.old_deadline, new_deadline=x.new_deadline,
            )
            for pk, (_appeal_id, s) in zip(assignment_ids, pairs, strict=True) for x in s.extensions
        ])
        RatingRecord.objects.bulk_create([
            RatingRecord(appeal_id=appeal_id, rating=r.rating, comment=r.comment, source=r.source,
                         rated_by=user(r.rated_by), rated_at=aware(r.rated_at), round=r.round)
            for appeal_id, a in zip(appeal_ids, plan.appeals, strict=True) for r in a.ratings
        ], batch_size=1000)
        TimelineEntry.objects.bulk_create([
            TimelineEntry(appeal_id=appeal_id, at=aware(s.at), actor=user(s.actor), actor_name=s.actor_name,
                          action=s.action, action_label=APPEAL_FLOW.label(s.action), from_status=s.from_status,
                          to_status=s.to_status,
                          department_id=departments[s.department] if s.department is not None else None,
                          note=s.note)
            for appeal_id, a in zip(appeal_ids, plan.appeals, strict=True) for s in a.steps
        ], batch_size=1000)
        continue_after(last_of_each_day(a.number for a in plan.appeals))
    return plan


def counts():
    """What seed_demo prints about the appeals: (label, count)."""
    appeals = Appeal.objects.all()
    return [
        ("诉求", appeals.count()),
        ("诉求（办理中）", appeals.filter(status__in=OPEN_STATES).count()),
        ("诉求（已督办）", appeals.filter(is_supervised=True).count()),
        ("办理记录", TimelineEntry.objects.count()),
    ]


@register("appeals", after=("members",), counts=counts)
def seed(run):
    """`seed_demo`'s step: the appeals' years end today, so the deadline queues have something to show now.
    The core district's appeals are built whole; those of the firms streamed past it, month by month."""
    result = run.results["members"]
    plan = generate(result.plan, end=run.today, years=run.appeal_years, per_enterprise=run.appeal_rate)
    build(result, end=run.today, plan=plan)
    if result.streamed is not None:
        progress = run.progress("诉求")
        stream(result, plan, end=run.today, years=run.appeal_years, per_enterprise=run.appeal_rate,
               progress=progress)
        if run.report is not None:
            run.report(progress.line("  诉求：完成 "))
    summaries.rebuild()  # the rows were bulk-created: no save() kept the KPI summaries in step
    return plan


# --- A larger district, streamed ---------------------------------------------------------------------


class _Record:
    """An enterprise or person read back from the database, with the attributes a draft reads."""

    __slots__ = ("contact_name", "founded", "is_local", "legal_representative", "name", "size", "street")

    def __init__(self, **values):
        for key, value in values.items():
            setattr(self, key, value)


class _Loaded:
    """The stand-in of a members plan while drafting one month of streamed appeals: the firms picked
    that month and their persons, keyed by database id."""

    def __init__(self, plan, enterprises, persons):
        self.departments, self.logins, self.members = plan.departments, plan.logins, plan.members
        self.enterprises, self.persons = enterprises, persons


class _StreamGenerator(_Generator):
    """Appeals of the firms `members.demo.stream` wrote: drawn, lived and written one month at a time,
    the firms picked from compact arrays (id, founding day, cumulative weight) of the whole district
    and read back from the database only for the month's picks. Plans name firms and persons by id."""

    def __init__(self, result, end, seed, years):
        self.result = result
        super().__init__(result.plan, end, seed)
        self.years = years
        self.login_enterprise = None  # the demo login's firm is in the core district
        street_ids = list(Street.objects.filter(federation=result.federation).order_by("pk")
                          .values_list("pk", flat=True))
        self.street_index = {pk: i for i, pk in enumerate(street_ids)}

    def _enterprises(self):
        first = self.result.streamed.first_enterprise
        district = self.result.federation
        memberships = Membership.objects.filter(federation=district, enterprise_id__gte=first)
        gone = set(memberships.filter(left_reason__in=members_demo.ENTERPRISE_ENDS)
                   .values_list("enterprise_id", flat=True))
        member = set(memberships.filter(left__isnull=True).values_list("enterprise_id", flat=True))
        size = {"large": 3.0, "medium": 2.2, "small": 1.4, "micro": 1.0}
        self.ids, self.founded, self.ent_cum = array("q"), array("l"), array("d")
        total = 0.0
        rows = (Enterprise.objects.filter(federation=district, pk__gte=first).order_by("pk")
                .values_list("pk", "size", "is_local", "founded"))
        for pk, ent_size, is_local, founded in rows.iterator(chunk_size=10000):
            if pk in gone:
                continue
            total += size[ent_size] * (2.0 if pk in member else 1.0) * (1.0 if is_local else 0.7)
            self.ids.append(pk)
            self.founded.append(founded.toordinal())
            self.ent_cum.append(total)
        self.positions = range(len(self.ids))

    def _pick_enterprise(self, day):
        ordinal = day.toordinal()
        while True:
            i = self.rng.choices(self.positions, cum_weights=self.ent_cum)[0]
            if self.founded[i] < ordinal:
                return self.ids[i]

    def _load(self, ids):
        """The month's picked firms and their persons, read back (stand-ins of the plan's entries)."""
        enterprises, persons = {}, {}
        self.persons_of = defaultdict(list)
        ids = sorted(set(ids))
        for start in range(0, len(ids), 5000):
            part = ids[start:start + 5000]
            for pk, name, contact, legal, street, founded, ent_size, is_local in (
                    Enterprise.objects.filter(pk__in=part).values_list(
                        "pk", "name", "contact_name", "legal_representative", "street_id", "founded", "size",
                        "is_local")):
                enterprises[pk] = _Record(name=name, contact_name=contact, legal_representative=legal,
                                          street=self.street_index.get(street), founded=founded, size=ent_size,
                                          is_local=is_local)
            for enterprise, person, name in (EnterpriseRole.objects.filter(enterprise_id__in=part)
                                             .order_by("pk").values_list("enterprise_id", "person_id", "person__name")):
                self.persons_of[enterprise].append(person)
                persons[person] = _Record(name=name)
        self.plan = _Loaded(self.result.plan, enterprises, persons)

    def months(self, n):
        """(days of the month, weights, how many appeals) for each month of the span; n appeals in all."""
        days, weights = self.span_days()
        total = sum(weights)
        months, done, acc = [], 0, 0.0
        for start in range(len(days)):
            if start and days[start].day != 1:
                continue
            end = start + 1
            while end < len(days) and days[end].day != 1:
                end += 1
            acc += sum(weights[start:end])
            count = round(n * acc / total) - done
            done += count
            months.append((days[start:end], weights[start:end], count))
        return months


def stream(result, core_plan, *, end, years, per_enterprise, seed=DEMO_SEED + 100, piece=5000, progress=None):
    """The appeals of the firms streamed past the core district (`result.streamed`): `per_enterprise` a
    year for `years`, drawn, lived and written month by month — `piece` appeals at a time, so memory
    holds one piece whatever the size — with explicit ids (`saving.write_rows`: COPY on PostgreSQL).
    Numbers continue each day's sequence after the core district's appeals."""
    gen = _StreamGenerator(result, end, seed, years)
    n = round(result.streamed.enterprises * per_enterprise * years)
    per_day = Counter(last_of_each_day(a.number for a in core_plan.appeals))
    appeal_id, assignment_id = next_id(Appeal), next_id(Assignment)
    writer = _Writer(result)
    for days, weights, count in gen.months(n):
        moments = [gen.moment(day) for day in sorted(gen.rng.choices(days, weights=weights, k=count))]
        for start in range(0, count, piece):  # a month of a million firms' appeals is lived a piece at a time
            part = moments[start:start + piece]
            picks = [gen._pick_enterprise(m.date()) for m in part]
            gen._load(picks)
            appeals = [gen.live(gen.draft(submitted_at=m, enterprise=e)) for m, e in zip(part, picks, strict=True)]
            appeals = sorted((a for a in appeals if a.submitted_at < gen.cutoff), key=lambda a: a.submitted_at)
            for a in appeals:
                key = f"SQ{a.submitted_at.date():%Y%m%d}"
                per_day[key] += 1
                a.number = f"{key}{per_day[key]:04d}"
            appeal_id, assignment_id = writer.write(appeals, appeal_id, assignment_id, progress)
    continue_after(per_day)
    reset_sequences(Appeal, Assignment)


APPEAL_COLUMNS = ["id", "federation", "number", "enterprise", "person", "contact_name", "contact_mobile",
                  "submitted_by", "channel", "category", "title", "content", "urgency", "source_note", "status",
                  "submitted_at", "accepted_at", "first_dispatched_at", "deadline", "deadline_provisional",
                  "replied_at", "replied_on_time", "closed_at", "rejected_reason", "is_supervised", "supervised_at",
                  "reopen_count", "rating", "rated_at", "counterpart", "amount_involved", "legal_aid_given",
                  "mediation_result", "updated_at"]
ASSIGNMENT_COLUMNS = ["id", "appeal", "department", "state", "round", "dispatched_by", "dispatched_at",
                      "sign_deadline", "deadline", "deadline_provisional", "accepted_at", "returned_at",
                      "return_reason", "replied_at", "replied_by", "reply", "replied_on_time",
                      "working_days_to_reply", "sign_overdue_notified_at"]
EXTENSION_COLUMNS = ["assignment", "requested_by", "requested_at", "days", "reason", "decision", "decided_by",
                     "decided_at", "decision_note", "old_deadline", "new_deadline"]
RATING_COLUMNS = ["appeal", "rating", "comment", "source", "rated_by", "rated_at", "round"]
TIMELINE_COLUMNS = ["appeal", "at", "actor", "actor_name", "action", "action_label", "from_status", "to_status",
                    "department", "note", "internal_note"]


class _Writer:
    """Rows of streamed appeal plans (firms and persons named by id) with explicit ids."""

    def __init__(self, result):
        self.district = result.federation.pk
        self.users = {name: user.pk for name, user in result.users.items()}
        self.departments = list(Department.objects.filter(federation=result.federation).order_by("pk")
                                .values_list("pk", flat=True))
        self.categories = dict(AppealCategory.objects.values_list("code", "pk"))
        self.tz = timezone.get_current_timezone()
        self.labels = {}

    def aware(self, value):
        return value.replace(tzinfo=self.tz) if value is not None else None

    def user(self, actor):
        return self.users.get(actor) if actor else None

    def label(self, action):
        if action not in self.labels:
            self.labels[action] = APPEAL_FLOW.label(action)
        return self.labels[action]

    def write(self, appeals, appeal_id, assignment_id, progress):
        aware, user, now = self.aware, self.user, timezone.now()
        appeal_rows, assignment_rows, extension_rows, rating_rows, timeline_rows = [], [], [], [], []
        for a in appeals:
            appeal_rows.append((
                appeal_id, self.district, a.number, a.enterprise, a.person, a.contact_name, "", user(a.submitted_by),
                a.channel, self.categories[a.category], a.title, a.content, a.urgency, a.source_note, a.status,
                aware(a.submitted_at), aware(a.accepted_at), aware(a.first_dispatched_at), a.deadline,
                a.deadline_provisional, aware(a.replied_at), a.replied_on_time, aware(a.closed_at), a.rejected_reason,
                a.is_supervised, aware(a.supervised_at), a.reopen_count, a.rating, aware(a.rated_at), a.counterpart,
                a.amount_involved, a.legal_aid_given, a.mediation_result, now))
            for s in a.assignments:
                assignment_rows.append((
                    assignment_id, appeal_id, self.departments[s.department], s.state, s.round, user(s.dispatched_by),
                    aware(s.dispatched_at), aware(s.sign_deadline), s.deadline, s.deadline_provisional,
                    aware(s.accepted_at), aware(s.returned_at), s.return_reason, aware(s.replied_at),
                    user(s.replied_by), s.reply, s.replied_on_time, s.working_days_to_reply,
                    aware(s.sign_overdue_notified_at)))
                extension_rows.extend(
                    (assignment_id, user(x.requested_by), aware(x.requested_at), x.days, x.reason, x.decision,
                     user(x.decided_by), aware(x.decided_at), x.decision_note, x.old_deadline, x.new_deadline)
                    for x in s.extensions)
                assignment_id += 1
            rating_rows.extend((appeal_id, r.rating, r.comment, r.source, user(r.rated_by), aware(r.rated_at), r.round)
                               for r in a.ratings)
            timeline_rows.extend(
                (appeal_id, aware(s.at), user(s.actor), s.actor_name, s.action, self.label(s.action), s.from_status,
                 s.to_status, self.departments[s.department] if s.department is not None else None, s.note, "")
                for s in a.steps)
            appeal_id += 1
        for label, model, columns, rows in (
                ("诉求", Appeal, APPEAL_COLUMNS, appeal_rows),
                ("交办", Assignment, ASSIGNMENT_COLUMNS, assignment_rows),
                ("延期申请", ExtensionRequest, EXTENSION_COLUMNS, extension_rows),
                ("评价", RatingRecord, RATING_COLUMNS, rating_rows),
                ("办理记录", TimelineEntry, TIMELINE_COLUMNS, timeline_rows)):
            count = write_rows(model, columns, rows)
            if progress is not None:
                progress.add(label, count)
        return appeal_id, assignment_id
