"""Scoped reads of appeals: every list, page, export, KPI and API call starts from `appeals_visible_to`."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import connections
from django.db.models import Count, ExpressionWrapper, F, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.lookups import Exact, In
from django.utils import timezone

from shanglian.accounts.roles import FEDERATION_AND_DEPARTMENT_ROLES, FEDERATION_ROLES, Role, role_of
from shanglian.common.workdays import add_working_days, working_days_between
from shanglian.members.selectors import ListedIn, chamber_member_ids
from shanglian.orgs.models import Department
from shanglian.orgs.selectors import federation_ids_in_scope

from . import search
from .models import (
    DEPARTMENT_QUEUES,
    OPEN_STATES,
    QUEUES,
    WITH_DEPARTMENT_STATES,
    Appeal,
    AppealCategory,
    AppealDayStat,
    Assignment,
    ExtensionRequest,
    Status,
    overdue_q,
)
from .workflow import APPEAL_FLOW, ASSIGNMENT_FLOW

# Days the federation waits for the enterprise's own rating before calling back (回访).
CALLBACK_AFTER_WORKING_DAYS = 3


# Timeline notes the enterprise reads (the others are the desk's and the departments' working notes:
# a return reason, an extension request, a 督办 remark).
PUBLIC_NOTES = {"submit", "accept", "reject", "dispatch", "reply", "rate", "reopen", "close"}


def note_visible(user, entry):
    """Whether the user may read a timeline entry's note and its attachments: the enterprise the public
    ones; a department not those of another department's steps (its reply, return, extension)."""
    role = role_of(user)
    if role == Role.ENTERPRISE:
        return entry.action in PUBLIC_NOTES
    if role == Role.DEPARTMENT:
        return entry.department_id in (None, user.department_id)
    return True


def internal_note_visible(user, entry):
    """Whether the user may read a timeline entry's internal note (the desk's 内部意见): federation staff
    and departments only (a department not on another department's steps); never the enterprise or a chamber."""
    return role_of(user) in FEDERATION_AND_DEPARTMENT_ROLES and note_visible(user, entry)


def attachment_visible(user, attachment):
    return attachment.timeline_entry_id is None or note_visible(user, attachment.timeline_entry)


APPEAL_RELATED = ("enterprise", "category", "federation")


def appeals_visible_to(user, *, in_order=False):
    """Federation roles: their federation(s); chamber: appeals of its members (read only); department:
    appeals dispatched to it (also those it returned); enterprise: its own. Anyone else: refused.

    A chamber's and a department's scope is a semi-join on a list read from an index (its active members:
    `chambermember_chamber_status`; its assignments: `assignment_dept_queue`), which counts the scope
    without reading more than the rows in it. `in_order=True` gives the same rows in the form for reading an
    ordered page: the membership tested on each row while the planner walks the index of the list's sort
    (`appeals_appeal_submitted_at` …), so that the first page stops after a few hundred index entries instead of
    joining and sorting every appeal of the scope (issue 19: 73,000 for a department at city scale); a
    department's membership is then a probe of its assignments per appeal (`_dispatched_in`)."""
    role = role_of(user)
    qs = Appeal.objects.select_related(*APPEAL_RELATED)
    if in_order and role in (Role.CHAMBER, Role.DEPARTMENT):
        # the page's enterprises, categories and federations by their ids, not joined: SQLite puts a small
        # joined table (the federations, the categories) outermost and then sorts every row.
        qs = Appeal.objects.prefetch_related(*APPEAL_RELATED)
    if role in FEDERATION_ROLES:
        return qs.filter(federation_id__in=federation_ids_in_scope(user))
    if role == Role.CHAMBER:
        return qs.filter(of_chamber(user.chamber_id, walk=in_order))
    if role == Role.DEPARTMENT:
        return qs.filter(_dispatched_in(department_queue_assignments(user, "all"), walk=in_order))
    if role == Role.ENTERPRISE:
        return qs.filter(enterprise_id=user.enterprise_id)
    raise PermissionDenied("您没有访问该功能的权限。")


def of_chamber(chamber_id, *, walk=False):
    """The condition of a chamber's appeals: those of its active members (whatever their federation). Not
    walked, its members' appeals probed member by member (on PostgreSQL too: `ListedIn`); walked, see
    `appeals_visible_to` (`in_order`)."""
    members = chamber_member_ids(chamber_id)
    if not walk:
        return ListedIn("enterprise_id", members)
    return _member_of("enterprise_id", members, walk=True)


def _member_of(field, ids, *, walk):
    """`field IN (ids)`; walked (`walk=True`): `field + 0 IN (ids)`, the same rows, but a condition no index
    serves, so the planner reads the rows through the index of the ORDER BY and tests each against the list
    (built once) — on SQLite, whose planner otherwise drives from the list and sorts all of its rows."""
    if not walk:
        return Q(**{f"{field}__in": ids})
    # (the `__in` lookup drops a subquery's ordering itself; the lookup used as an expression does not)
    return Q(In(ExpressionWrapper(F(field) + 0, output_field=IntegerField()), ids.order_by()))


def _dispatched_in(assignments, *, walk):
    """The appeals of `assignments` (a department's, or those of one of its queues): `pk IN (their appeal
    ids)`; walked (`walk=True`), a probe of the (department, appeal, …) index for each appeal the
    page reads in the order of its sort, so the first page stops after a few hundred probes instead of first
    building the list of every appeal id of the department (73,000 at city scale: SQLite 32 → 2 ms, PostgreSQL
    9 → 4 ms; from page 500 on no slower either)."""
    if not walk:
        return Q(pk__in=assignments.values("appeal_id"))
    # one probe per appeal read, as a scalar subquery: PostgreSQL turns an EXISTS into a semi-join and, for
    # a filtered count (the open ones of the department's page section), hashes every assignment of the
    # department (122,000 at 1,000,000 appeals: 41 ms) instead of probing for the 5,000 open appeals (6 ms)
    first = assignments.order_by().filter(appeal_id=OuterRef("pk")).values("appeal_id")[:1]
    return Q(Exact(Subquery(first), F("pk")))


# The queues whose sets grow with the history (every appeal a department ever answered): read walked in order
# like the whole scope. The others hold work in progress (bounded by the open appeals) and stay semi-joins.
DEPARTMENT_HISTORY_QUEUES = {"replied"}


def categories():
    return AppealCategory.objects.filter(is_active=True)


def today():
    return timezone.localdate()


def due_soon_limit(on=None):
    """Appeals with a deadline up to this date (and not before `on`) are 即将超期: one working day left."""
    return add_working_days(on or today(), 1).date


# Every appeal of a queue of `QUEUES` is in one of these states (work in progress, and replies awaiting their
# rating or callback), but those of `STATELESS_QUEUES` (a pending extension request, whatever the appeal's
# state): tests/test_queues.py holds each queue to it.
QUEUED_STATES = (*OPEN_STATES, Status.REPLIED)
STATELESS_QUEUES = {"extension"}


def queue_filter(queue, on=None):
    on = on or today()
    if queue == "pending_accept":
        return Q(status=Status.SUBMITTED)
    if queue == "pending_dispatch":
        return Q(status=Status.ACCEPTED)
    if queue == "handling":
        return Q(status__in=WITH_DEPARTMENT_STATES)
    if queue == "due_soon":
        return Q(status__in=OPEN_STATES, deadline__gte=on, deadline__lte=due_soon_limit(on))
    if queue == "overdue":
        return overdue_q(on)
    if queue == "replied":
        return Q(status=Status.REPLIED)
    if queue == "extension":  # a department asked for more time and the desk has not decided
        # The pending requests are few: read them, not a lookup per appeal of the federation.
        return Q(pk__in=ExtensionRequest.objects.filter(decision=ExtensionRequest.Decision.PENDING)
                 .values("assignment__appeal_id"))
    if queue == "callback":  # replied, not rated within the working days the enterprise is given
        limit = add_working_days(on, -CALLBACK_AFTER_WORKING_DAYS).date
        # replied on `limit` (local date) or before: a bound on the datetime, not a date computed per row.
        day_after = timezone.make_aware(datetime.datetime.combine(limit + datetime.timedelta(days=1), datetime.time()))
        return Q(status=Status.REPLIED, rating="", replied_at__lt=day_after)
    return Q()


def _tab_as_opened(filters, *, besides=()):
    """The queue of a list with no other filter (a tab as opened: "all" by default) than those named in
    `besides`, None when filtered."""
    filters = filters or {}
    if any(value for key, value in filters.items() if key != "queue" and key not in besides):
        return None
    return filters.get("queue") or "all"


def appeal_list(user, *, filters=None):
    """The appeals of the list page, the API list and the export: the scope and the filters. A chamber's
    and a department's rows are read in order (`appeals_visible_to(in_order=True)`) and counted as a
    semi-join (`AppealQuerySet.counted_as`): the same rows either way."""
    role = role_of(user)
    if role not in (Role.CHAMBER, Role.DEPARTMENT):
        rows = _appeal_list(user, filters, in_order=False)
        if role in FEDERATION_ROLES and _tab_as_opened(filters) == "all":
            return rows.counted_as(ReceivedCount(tuple(federation_ids_in_scope(user))))  # 全部, as opened
        return rows
    rows = _appeal_list(user, filters, in_order=True)
    tab = _tab_as_opened(filters, besides=("q",))
    if role == Role.DEPARTMENT and tab in DEPARTMENT_QUEUES:
        # a queue tab as opened, or searched: its appeals are those of the department's assignments in the
        # queue (every assignment's appeal exists and lies in the scope), counted from the index alone — and
        # those whose appeal the words find (dept1, 贷款 at city scale: 187 → 58 ms), not every appeal of the
        # department read by id and tested against the matches
        assignments = department_queue_assignments(user, tab)
        words = ((filters or {}).get("q") or "").strip()
        if words:
            assignments = assignments.filter(search.search_filter(connections[assignments.db], words,
                                                                  through="appeal"))
        return rows.counted_as(_appeals_of(assignments, tab, department=None if words else user.department_id))
    return rows.counted_as(_appeal_list(user, filters, in_order=False))


@dataclass(frozen=True)
class _DistinctAppeals:
    """The number of distinct appeals of some assignments, as COUNT(DISTINCT appeal_id): a queue of work in
    progress is then read from the index of its conditions (assignment_dept_queue) — a SELECT DISTINCT leads
    SQLite to walk every assignment of the department in appeal order instead (已超期 at 1,000,000 appeals:
    17.7 → 0.4 ms)."""

    assignments: object

    def count(self):
        return self.assignments.order_by().aggregate(n=Count("appeal_id", distinct=True))["n"]


def _appeals_of(assignments, queue, *, department=None):
    """What counts the appeals of a department's `assignments` in `queue`: given the `department`, those of
    a queue whose set grows with the history (全部, 已答复) from the maintained summaries
    (`DepartmentHistoryCount`); else as a SELECT DISTINCT read in appeal order from the department's index
    (a COUNT(DISTINCT) of 120,000 appeal ids sorts them: 11 → 50 ms on SQLite); the others `_DistinctAppeals`."""
    if queue == "all" or queue in DEPARTMENT_HISTORY_QUEUES:
        if department is not None:
            return DepartmentHistoryCount(department, queue)
        return assignments.order_by().values("appeal_id").distinct()
    return _DistinctAppeals(assignments)


@dataclass(frozen=True)
class DepartmentHistoryCount:
    """The number of appeals in a department's queue that grows with its history, from the maintained
    summaries (`AppealDayStat`, its month rows, every federation: a few hundred rows, not 120,000 assignments
    at 1,000,000 appeals): 已答复, the appeals whose assignment of it is replied (`department_replied_appeals`);
    全部, those it holds (`received`) and those it only returned (read from its returned assignments, few),
    each probed for one it holds (a scalar subquery: PostgreSQL hashed all 120,000 for an anti-join)."""

    department: int
    queue: str  # "all" or "replied"

    def count(self):
        months = AppealDayStat.objects.filter(department_id=self.department, span=AppealDayStat.Span.MONTH)
        if self.queue == "replied":
            return months.aggregate(n=Sum("department_replied_appeals"))["n"] or 0
        held = months.aggregate(n=Sum("received"))["n"] or 0
        mine = Assignment.objects.filter(department_id=self.department)
        holding = mine.exclude(state=Assignment.State.RETURNED).filter(appeal_id=OuterRef("appeal_id")).order_by()
        returned_only = (mine.filter(state=Assignment.State.RETURNED)
                         .alias(held_by=Subquery(holding.values("appeal_id")[:1])).filter(held_by__isnull=True)
                         .aggregate(n=Count("appeal_id", distinct=True))["n"])
        return held + returned_only


@dataclass(frozen=True)
class ReceivedCount:
    """The number of appeals of `federations` — every appeal, the federation's 全部 — summed from the
    maintained summaries (`AppealDayStat.received` of the month rows without a department: every appeal once,
    kept in the appeal's own transaction, see summaries.py): a sum of a few hundred month rows instead of
    counting 600,000 appeals (issue 19). Stands in for the list's count through `counted_as`."""

    federations: tuple

    def count(self):
        total = (AppealDayStat.objects.filter(department__isnull=True, federation_id__in=self.federations,
                                              span=AppealDayStat.Span.MONTH)
                 .aggregate(total=Sum("received"))["total"])
        return total or 0


def _appeal_list(user, filters, *, in_order):
    qs = appeals_visible_to(user, in_order=in_order)
    filters = filters or {}
    queue = filters.get("queue") or "all"
    qs = qs.filter(filter_for_queue(user, queue, in_order=in_order))
    q = (filters.get("q") or "").strip()
    if q:
        qs = qs.filter(search.search_filter(connections[qs.db], q, few=role_of(user) == Role.CHAMBER))
    if filters.get("category"):
        qs = qs.filter(category_id=filters["category"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("department"):  # appeals dispatched to the department (a history-sized set)
        assigned = Assignment.objects.filter(department_id=filters["department"]).values("appeal_id")
        qs = qs.filter(_member_of("pk", assigned, walk=in_order))
    if filters.get("supervised"):
        qs = qs.filter(is_supervised=True)
    return qs


def queue_counts(user):
    """The number of appeals in each of the user's queues (the list's tabs, the 待办). A chamber's and an
    enterprise's in one pass over their scope. A department's are counted on its own assignments (distinct
    appeals, from its assignment indexes alone): every
    assignment's appeal exists, and a department's queue lies inside its scope, so the number is that of
    the appeals in scope and queue, without reading an appeal row."""
    keys = [key for key in queues_for(user) if key != "all"]
    role = role_of(user)
    if role == Role.DEPARTMENT:
        on = today()
        return {key: _appeals_of(department_queue_assignments(user, key, on), key, department=user.department_id)
                .count() for key in keys}
    qs = appeals_visible_to(user)
    if role == Role.CHAMBER:
        # one pass counting every queue (not one pass per queue) over the appeals in a queue's states only —
        # the city's work in progress and replies awaiting their rating (6,653 of 1,000,000), read from the
        # states' index with the membership tested per row — not every appeal its members ever sent (38,698:
        # PostgreSQL 90 → 7 ms); 待延期审批 (any state) from its few pending requests
        walked = appeals_visible_to(user, in_order=True).order_by()
        counts = walked.filter(status__in=QUEUED_STATES).aggregate(**{
            key: Count("pk", filter=filter_for_queue(user, key)) for key in keys if key not in STATELESS_QUEUES})
        counts.update({key: qs.filter(filter_for_queue(user, key)).count() for key in keys if key in STATELESS_QUEUES})
        return counts
    if role == Role.ENTERPRISE:  # its own appeals, in one pass
        return qs.order_by().aggregate(**{key: Count("pk", filter=filter_for_queue(user, key)) for key in keys})
    return {key: qs.filter(filter_for_queue(user, key)).count() for key in keys}  # each from a status index


def open_appeals(user):
    """The user's appeals that are not finished yet (待受理 to 办理中, reopened ones too), latest first."""
    return appeals_visible_to(user).filter(status__in=OPEN_STATES).order_by("-submitted_at", "-pk")


def pending_extensions(user):
    return ExtensionRequest.objects.filter(
        decision=ExtensionRequest.Decision.PENDING,
        assignment__appeal__in=appeals_visible_to(user),
    ).select_related("assignment__appeal", "assignment__department")


def working_days_left(appeal, on=None):
    if appeal.deadline is None or not appeal.is_open:
        return None
    on = on or today()
    return working_days_between(on, appeal.deadline)


def available_actions(user, appeal):
    """The actions the user may take on the appeal now (what the detail page offers), from
    `workflow.APPEAL_FLOW`. The services decide again under the row lock; this only keeps refused
    buttons off the page."""
    return [t.name for t in APPEAL_FLOW.available(user, appeal, role=role_of(user))]


def awaits(user, appeal):
    """Whether the appeal waits for this user's next step (the list row says 办理, else 查看): a
    transition marked `waits` in the table is open to the user's role from the appeal's state and,
    for a department, from its own assignment's. Uses the prefetched assignments: no query per row."""
    role = role_of(user)
    for t in APPEAL_FLOW:
        if not t.meta.get("waits") or not APPEAL_FLOW.allows(t.name, appeal, role=role):
            continue
        if t.name not in ASSIGNMENT_FLOW:
            return True
        if any(a.department_id == user.department_id and a.is_current
               and ASSIGNMENT_FLOW.allows(t.name, a, role=role) for a in appeal.assignments.all()):
            return True
    return False


def default_deadline(category, start=None):
    """The reply deadline a dispatch gets by default: the category's working days after today."""
    return add_working_days(start or timezone.localdate(), category.reply_days)


def dispatchable_departments(appeal):
    """The departments an appeal may be dispatched to: the active ones of its federation."""
    return Department.objects.filter(federation_id=appeal.federation_id, is_active=True).order_by("id")


# How many departments the dispatch form suggests (its 推荐 group).
USUAL_DEPARTMENTS = 5


def usual_departments(appeal, *, limit=USUAL_DEPARTMENTS):
    """The ids of the departments appeals of this category were usually dispatched to in the appeal's
    federation, most appeals first (ties by id): the dispatch form's 推荐 group. An assignment the
    department returned does not count (it was the wrong department); only departments the appeal may
    still be dispatched to are offered; the appeal's own assignments are left out."""
    counted = (Assignment.objects
               .filter(appeal__federation_id=appeal.federation_id, appeal__category_id=appeal.category_id,
                       department__in=dispatchable_departments(appeal))
               .exclude(state=Assignment.State.RETURNED).exclude(appeal_id=appeal.pk)
               .values("department_id").annotate(appeals=Count("appeal_id", distinct=True))
               .order_by("-appeals", "department_id"))
    return [row["department_id"] for row in counted[:limit]]


def filter_departments(user):
    """The departments the list page filters by: those of the user's federations (federation roles
    only; None for the others, who get no department filter)."""
    if role_of(user) not in FEDERATION_ROLES:
        return None
    return Department.objects.filter(federation__in=federation_ids_in_scope(user)).order_by("id")


def assignments_visible_to(user, appeal):
    """The departments' parts of the appeal the user may read: federation roles and chambers every
    department's; a department its own only; the enterprise the replies."""
    assignments = appeal.assignments.select_related("department").order_by("round", "id")
    role = role_of(user)
    if role == Role.DEPARTMENT:
        return assignments.filter(department_id=user.department_id)
    if role == Role.ENTERPRISE:
        return assignments.filter(state=Assignment.State.REPLIED)
    return assignments


def timeline_for(user, appeal):
    """The timeline with `shown` set on each entry (whether the user may read its note and attachments),
    `shown_internal` (its internal note) and `public` (whether the enterprise reads its note)."""
    entries = list(appeal.timeline.select_related("department").prefetch_related("attachments"))
    for entry in entries:
        entry.shown = note_visible(user, entry)
        entry.shown_internal = internal_note_visible(user, entry)
        entry.public = entry.action in PUBLIC_NOTES  # the enterprise reads this note
    return entries


@dataclass
class AppealDetail:
    """What the detail page shows of one appeal to one user."""

    appeal: Appeal
    actions: list  # names of the transitions offered (workflow.APPEAL_FLOW)
    assignments: object
    extensions: object
    ratings: object
    timeline: list
    attachments: object
    days_left: int | None
    overdue: bool
    default_deadline: object  # WorkdayResult when dispatch is offered, else None


def appeal_detail(user, appeal):
    """The read model of the detail page: the appeal as `user` may see it and the actions offered."""
    actions = available_actions(user, appeal)
    assignments = assignments_visible_to(user, appeal)
    return AppealDetail(
        appeal=appeal,
        actions=actions,
        assignments=assignments,
        extensions=ExtensionRequest.objects.filter(assignment__in=assignments).select_related(
            "assignment__department").order_by("id"),
        ratings=appeal.ratings.order_by("id"),
        timeline=timeline_for(user, appeal),
        attachments=appeal.attachments.filter(timeline_entry__action="submit"),
        days_left=working_days_left(appeal),
        overdue=appeal.is_overdue,
        default_deadline=(default_deadline(appeal.category)
                          if {"dispatch", "accept_dispatch"} & set(actions) else None),
    )


def department_queue_assignments(user, queue, on=None):
    """The department's own assignments behind one of its queues ("all": every one of them, its scope)."""
    on = on or today()
    mine = Assignment.objects.filter(department_id=user.department_id)
    if queue == "to_sign":
        return mine.filter(state=Assignment.State.ASSIGNED)
    if queue == "handling":
        return mine.filter(state=Assignment.State.HANDLING)
    if queue == "overdue":
        return mine.overdue(on)
    if queue == "due_soon":
        return mine.filter(state__in=Assignment.HELD_STATES, deadline__gte=on, deadline__lte=due_soon_limit(on))
    if queue == "replied":
        return mine.filter(state=Assignment.State.REPLIED)
    return mine


def department_queue_filter(user, queue, on=None, *, in_order=False):
    """Queues of a department handler, by the state of its own assignment in the current round: an IN over
    the department's assignments in that state (index `assignment_dept_queue`, the appeal ids read from the
    index alone), not an EXISTS tried on every appeal of its scope (issue 19); a history-sized queue read in
    order (`in_order`) is the probe made only on the appeals the page walks (`_dispatched_in`)."""
    if queue not in DEPARTMENT_QUEUES or queue == "all":
        return Q()
    return _dispatched_in(department_queue_assignments(user, queue, on), walk=in_order and queue in DEPARTMENT_HISTORY_QUEUES)


def queues_for(user):
    return DEPARTMENT_QUEUES if role_of(user) == Role.DEPARTMENT else QUEUES


def filter_for_queue(user, queue, *, in_order=False):
    if role_of(user) == Role.DEPARTMENT:
        return department_queue_filter(user, queue, in_order=in_order)
    return queue_filter(queue)


# --- one appeal as a record: the print page and its xlsx (the same content) -----------------------
@dataclass
class RecordTable:
    title: str
    headers: list
    rows: list


@dataclass
class AppealRecord:
    """One appeal with its full timeline, as `user` may see it (the detail page's scope and rules):
    `fields` are (label, value) pairs, then tables. The enterprise gets what its own pages show: the
    replies, the public notes, no names of staff, no extension requests, no return reasons; nobody
    but federation staff and departments gets an internal note."""

    appeal: Appeal
    fields: list
    tables: list


def _local(value, fmt="%Y-%m-%d %H:%M"):
    return f"{timezone.localtime(value):{fmt}}" if value else ""


def _round(n):
    return f"重办第{n}次" if n else "首次"


def appeal_record(user, appeal, *, contact_mobile):
    """`contact_mobile`: the 联系电话 as this user may see it (masked unless revealed, by the caller)."""
    role = role_of(user)
    enterprise = role == Role.ENTERPRISE
    internal_reader = role in FEDERATION_AND_DEPARTMENT_ROLES
    fields = [
        ("诉求编号", appeal.number), ("诉求标题", appeal.title), ("企业", appeal.enterprise.name),
        ("诉求类别", appeal.category.name), ("来源渠道", appeal.get_channel_display()),
        ("紧急程度", appeal.get_urgency_display()), ("联系人", appeal.contact_name), ("联系电话", contact_mobile),
        ("提交时间", _local(appeal.submitted_at)), ("状态", appeal.get_status_display()),
        ("办理期限", f"{appeal.deadline:%Y-%m-%d}" if appeal.deadline else ""),
        ("评价", appeal.get_rating_display()),
    ]
    if not enterprise:
        fields.insert(4, ("来源活动/走访", appeal.source_note))
        fields.append(("督办", "是" if appeal.is_supervised else "否"))
    if appeal.status == Status.REJECTED:
        fields.append(("不予受理理由", appeal.rejected_reason))
    if appeal.category.is_rights_case:
        fields += [("对方当事人", appeal.counterpart),
                   ("涉及金额（元）", "" if appeal.amount_involved is None else f"{appeal.amount_involved}"),
                   ("法律援助", "已提供" if appeal.legal_aid_given else "未提供"),
                   ("调解结果", appeal.get_mediation_result_display() if appeal.mediation_result else "")]
    fields.append(("诉求内容", appeal.content))

    tables = []
    assignments = assignments_visible_to(user, appeal)
    if enterprise:
        tables.append(RecordTable("部门答复", ["承办部门", "轮次", "答复时间", "答复内容"], [
            [a.department.name, _round(a.round), _local(a.replied_at), a.reply] for a in assignments]))
    else:
        tables.append(RecordTable(
            "承办情况",
            ["承办部门", "轮次", "状态", "派单时间", "答复期限", "签收时间", "答复时间", "按时", "答复内容", "退回理由"],
            [[a.department.name, _round(a.round), a.get_state_display(), _local(a.dispatched_at),
              f"{a.deadline:%Y-%m-%d}", _local(a.accepted_at), _local(a.replied_at),
              "" if a.replied_on_time is None else ("是" if a.replied_on_time else "否"), a.reply, a.return_reason]
             for a in assignments]))
        extensions = ExtensionRequest.objects.filter(assignment__in=assignments).select_related(
            "assignment__department").order_by("id")
        tables.append(RecordTable("延期申请", ["部门", "申请时间", "延期（工作日）", "理由", "原期限", "结果", "审批意见", "新期限"], [
            [e.assignment.department.name, _local(e.requested_at), e.days, e.reason, f"{e.old_deadline:%Y-%m-%d}",
             e.get_decision_display(), e.decision_note, f"{e.new_deadline:%Y-%m-%d}" if e.new_deadline else ""]
            for e in extensions]))
    tables.append(RecordTable("评价", ["轮次", "评价", "方式", "意见", "时间"], [
        [_round(r.round), r.get_rating_display(), r.get_source_display(), r.comment, _local(r.rated_at)]
        for r in appeal.ratings.order_by("id")]))

    headers = ["时间", "操作"] + ([] if enterprise else ["操作人"]) + ["部门", "状态", "说明"]
    if internal_reader:
        headers.append("内部意见（仅内部可见）")
    rows = []
    for entry in timeline_for(user, appeal):
        row = [_local(entry.at), entry.action_label] + ([] if enterprise else [entry.actor_name])
        row += [entry.department.name if entry.department_id else "",
                entry.get_to_status_display() if entry.to_status != entry.from_status else "",
                entry.note if entry.shown else ""]
        if internal_reader:
            row.append(entry.internal_note if entry.shown_internal else "")
        rows.append(row)
    tables.append(RecordTable("办理记录", headers, rows))
    return AppealRecord(appeal=appeal, fields=fields, tables=tables)
