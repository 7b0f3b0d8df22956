"""Scoped reads of appeals: every list, page, export, KPI and API call starts from `appeals_visible_to`."""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from shanglian.accounts.roles import FEDERATION_ROLES, Role, role_of
from shanglian.common.workdays import add_working_days, working_days_between
from shanglian.members.models import ChamberMembership
from shanglian.orgs.selectors import federation_ids_in_scope

from .models import OPEN_STATES, Appeal, AppealCategory, Assignment, ExtensionRequest, Rating, Status

# Roles that may act on appeals as the federation's service desk.
DESK_ROLES = {Role.SYSADMIN, Role.STAFF}
# Roles that may 督办.
SUPERVISOR_ROLES = {Role.SYSADMIN, Role.STAFF, Role.LEADER}
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


def attachment_visible(user, attachment):
    return attachment.timeline_entry_id is None or note_visible(user, attachment.timeline_entry)


def appeals_visible_to(user):
    """Federation roles: their federation(s); chamber: appeals of its members (read only); department:
    appeals dispatched to it (also those it returned); enterprise: its own. Anyone else: refused."""
    role = role_of(user)
    qs = Appeal.objects.select_related("enterprise", "category", "federation")
    if role in FEDERATION_ROLES:
        return qs.filter(federation_id__in=federation_ids_in_scope(user))
    if role == Role.CHAMBER:
        members = ChamberMembership.objects.filter(
            enterprise_id=OuterRef("enterprise_id"), chamber_id=user.chamber_id,
            status=ChamberMembership.Status.ACTIVE,
        )
        return qs.filter(Exists(members))
    if role == Role.DEPARTMENT:
        mine = Assignment.objects.filter(appeal_id=OuterRef("pk"), department_id=user.department_id)
        return qs.filter(Exists(mine))
    if role == Role.ENTERPRISE:
        return qs.filter(enterprise_id=user.enterprise_id)
    raise PermissionDenied("您没有访问该功能的权限。")


def categories():
    return AppealCategory.objects.filter(is_active=True)


def today():
    return timezone.localdate()


def due_soon_limit(on=None):
    """Appeals with a deadline up to this date (and not before `on`) are 即将超期: one working day left."""
    return add_working_days(on or today(), 1).date


QUEUES = {
    # key: (label, filter)
    "pending_accept": "待受理",
    "pending_dispatch": "待派单",
    "handling": "办理中",
    "due_soon": "即将超期",
    "overdue": "已超期",
    "replied": "待评价/回访",
    "all": "全部",
}


def queue_filter(queue, on=None):
    on = on or today()
    if queue == "pending_accept":
        return Q(status=Status.SUBMITTED)
    if queue == "pending_dispatch":
        return Q(status=Status.ACCEPTED)
    if queue == "handling":
        return Q(status__in=[Status.ASSIGNED, Status.HANDLING, Status.REOPENED])
    if queue == "due_soon":
        return Q(status__in=OPEN_STATES, deadline__gte=on, deadline__lte=due_soon_limit(on))
    if queue == "overdue":
        return overdue_q(on)
    if queue == "replied":
        return Q(status=Status.REPLIED)
    return Q()


def overdue_q(on=None):
    """Open and past its deadline (the deadline day itself is still in time)."""
    return Q(status__in=OPEN_STATES, deadline__lt=on or today())


def appeal_list(user, *, filters=None):
    qs = appeals_visible_to(user)
    filters = filters or {}
    queue = filters.get("queue") or "all"
    qs = qs.filter(filter_for_queue(user, queue))
    q = (filters.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(number__iexact=q) | Q(title__icontains=q) | Q(enterprise__name__icontains=q))
    if filters.get("category"):
        qs = qs.filter(category_id=filters["category"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("department"):
        qs = qs.filter(Exists(Assignment.objects.filter(appeal_id=OuterRef("pk"),
                                                       department_id=filters["department"])))
    if filters.get("supervised"):
        qs = qs.filter(is_supervised=True)
    return qs


def queue_counts(user):
    qs = appeals_visible_to(user)
    return {key: qs.filter(filter_for_queue(user, key)).count() for key in queues_for(user) if key != "all"}


def current_assignments(appeal):
    """The assignments of the appeal's current round that were not returned."""
    return appeal.assignments.filter(round=appeal.reopen_count).exclude(state=Assignment.State.RETURNED)


def assignment_of(user, appeal):
    """The department user's assignment in the current round (None if there is none)."""
    if role_of(user) != Role.DEPARTMENT:
        return None
    return (current_assignments(appeal).filter(department_id=user.department_id)
            .select_related("department").first())


def pending_extensions(user):
    return ExtensionRequest.objects.filter(
        decision=ExtensionRequest.Decision.PENDING,
        assignment__appeal__in=appeals_visible_to(user),
    ).select_related("assignment__appeal", "assignment__department")


def awaiting_callback(user, on=None):
    """Replied appeals the enterprise has not rated within 3 working days: the desk calls back (回访)."""
    limit = add_working_days(on or today(), -CALLBACK_AFTER_WORKING_DAYS).date
    return appeals_visible_to(user).filter(status=Status.REPLIED, rating="", replied_at__date__lte=limit)


def unsatisfied_awaiting_decision(user):
    return appeals_visible_to(user).filter(status=Status.REPLIED, rating=Rating.UNSATISFIED)


def working_days_left(appeal, on=None):
    if appeal.deadline is None or not appeal.is_open:
        return None
    on = on or today()
    return working_days_between(on, appeal.deadline)


def available_actions(user, appeal):
    """The actions the user may take on the appeal now (what the detail page offers). The services
    decide again under the row lock; this only keeps refused buttons off the page."""
    role = role_of(user)
    status = appeal.status
    actions = []
    if role in DESK_ROLES:
        if status == Status.SUBMITTED:
            actions += ["accept", "reject"]
        if status == Status.ACCEPTED:
            actions.append("dispatch")
        if status in (Status.ASSIGNED, Status.HANDLING, Status.REOPENED) and ExtensionRequest.objects.filter(
                assignment__appeal=appeal, decision=ExtensionRequest.Decision.PENDING).exists():
            actions.append("decide_extension")
        if status == Status.REPLIED:
            if not appeal.ratings.filter(round=appeal.reopen_count).exists():
                actions.append("rate")
            actions += ["reopen", "close"]
        if status == Status.CLOSED:
            actions.append("reopen")
        if appeal.category.is_rights_case:
            actions.append("update_rights_case")
    if role in SUPERVISOR_ROLES and status in OPEN_STATES:
        actions.append("supervise")
    if role == Role.DEPARTMENT:
        mine = assignment_of(user, appeal)
        if mine is not None and status in (Status.ASSIGNED, Status.HANDLING, Status.REOPENED):
            if mine.state == Assignment.State.ASSIGNED:
                actions.append("department_accept")
            if mine.state == Assignment.State.HANDLING:
                actions.append("reply")
            if mine.state in (Assignment.State.ASSIGNED, Assignment.State.HANDLING):
                if not mine.extensions.filter(decision=ExtensionRequest.Decision.PENDING).exists():
                    actions.append("request_extension")
                actions.append("return")
    return actions


DEPARTMENT_QUEUES = {
    "to_sign": "待签收",
    "handling": "办理中",
    "due_soon": "即将超期",
    "overdue": "已超期",
    "replied": "已答复",
    "all": "全部",
}


def department_queue_filter(user, queue, on=None):
    """Queues of a department handler, by the state of its own assignment in the current round."""
    on = on or today()
    mine = Assignment.objects.filter(appeal_id=OuterRef("pk"), department_id=user.department_id)
    if queue == "to_sign":
        return Q(Exists(mine.filter(state=Assignment.State.ASSIGNED)))
    if queue == "handling":
        return Q(Exists(mine.filter(state=Assignment.State.HANDLING)))
    if queue in ("due_soon", "overdue"):
        open_mine = mine.filter(state__in=[Assignment.State.ASSIGNED, Assignment.State.HANDLING])
        if queue == "overdue":
            return Q(Exists(open_mine.filter(deadline__lt=on)))
        return Q(Exists(open_mine.filter(deadline__gte=on, deadline__lte=due_soon_limit(on))))
    if queue == "replied":
        return Q(Exists(mine.filter(state=Assignment.State.REPLIED)))
    return Q()


def queues_for(user):
    return DEPARTMENT_QUEUES if role_of(user) == Role.DEPARTMENT else QUEUES


def filter_for_queue(user, queue):
    if role_of(user) == Role.DEPARTMENT:
        return department_queue_filter(user, queue)
    return queue_filter(queue)
