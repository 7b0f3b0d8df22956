"""Scoped reads of liaison (包联/帮联) and visits (走访).

Who sees what: staff and the sysadmin every liaison and visit of their federations; a leader only the
liaisons assigned to them and the visits under those (or recorded by them) — their own page 我的包联企业;
nobody else (403). Who corrects a visit: staff and the sysadmin any visit of their federations; a leader only
the visits they recorded themselves (not those the staff recorded under the leader's liaison).

A liaison is *in force* on a day between its start and end (`models.liaison_in_force_q`). Its enterprise is
*overdue for a visit* on a day when the liaison is in force, has been for more than `VISIT_INTERVAL_DAYS`, and
nobody has visited the enterprise in the last `VISIT_INTERVAL_DAYS` (`overdue_q`): the one definition of the
工作台's 待办, the list filter its link opens and the 我的包联企业 page's red mark.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from shanglian.accounts.models import User
from shanglian.accounts.roles import EDITOR_ROLES, VISITOR_ROLES, Role, role_of
from shanglian.accounts.selectors import users_in_role
from shanglian.appeals.models import Appeal, Status
from shanglian.appeals.selectors import appeals_visible_to
from shanglian.common.selectors import filtered
from shanglian.orgs.models import Department
from shanglian.orgs.selectors import federation_ids_in_scope

from ..models import Liaison, Visit, VisitAppeal, liaison_in_force_q

# A liaison's enterprise should be visited at least this often (days); past it the 工作台 reminds.
VISIT_INTERVAL_DAYS = 90
# An appeal still open for an enterprise: anything but 已办结 and 不予受理.
FINISHED_APPEAL_STATES = (Status.CLOSED, Status.REJECTED)
# Roles that may act as a liaison with an account (包联人): the federation's leaders and staff.
LIAISON_USER_ROLES = (Role.LEADER, Role.STAFF)


def liaisons_visible_to(user):
    role = role_of(user)
    qs = Liaison.objects.select_related("enterprise", "user", "department", "street")
    if role in EDITOR_ROLES:
        return qs.filter(federation_id__in=federation_ids_in_scope(user))
    if role == Role.LEADER:
        return qs.filter(federation_id__in=federation_ids_in_scope(user), user=user)
    raise PermissionDenied("您没有访问包联走访的权限。")


def liaisons_editable_by(user):
    """Assignments are the editors' to keep (a leader reads their own)."""
    if role_of(user) not in EDITOR_ROLES:
        raise PermissionDenied("只有工商联工作人员可以维护包联关系。")
    return liaisons_visible_to(user)


def visits_visible_to(user):
    role = role_of(user)
    qs = Visit.objects.select_related("enterprise", "liaison", "recorded_by")
    if role in EDITOR_ROLES:
        return qs.filter(federation_id__in=federation_ids_in_scope(user))
    if role == Role.LEADER:
        return qs.filter(Q(liaison__user=user) | Q(recorded_by=user),
                         federation_id__in=federation_ids_in_scope(user))
    raise PermissionDenied("您没有访问包联走访的权限。")


def visits_editable_by(user):
    """Editors: every visit of their federations; a leader only the visits they recorded themselves."""
    qs = visits_visible_to(user)
    if role_of(user) in EDITOR_ROLES:
        return qs
    return qs.filter(recorded_by=user)


def may_edit_visit(user, visit):
    """Whether `user` may correct `visit`, one they may read — `visits_editable_by` without a query: the
    editors any visit of their federations, a leader the visits they recorded."""
    return role_of(user) in EDITOR_ROLES or (role_of(user) == Role.LEADER and visit.recorded_by_id == user.pk)


def may_raise_appeals(user):
    """Whether `user` may turn a visit's problem into an appeal: the desk registers appeals for an enterprise
    (`appeals.services.submit_appeal` takes EDITOR_ROLES), so a leader's visit goes to the staff for that."""
    return role_of(user) in EDITOR_ROLES


# --- choices of the forms --------------------------------------------------------------------------------
def liaison_users(user):
    """The accounts that may be a liaison (包联人): active leaders and staff of the user's federations."""
    scope = federation_ids_in_scope(user)
    ids = set()
    for role in LIAISON_USER_ROLES:
        ids |= set(users_in_role(role, federation_id__in=scope).values_list("pk", flat=True))
    return User.objects.filter(pk__in=ids).order_by("display_name", "username")


def liaison_departments(user):
    return Department.objects.filter(federation_id__in=federation_ids_in_scope(user), is_active=True).order_by("name")


def visit_liaisons(user, *, enterprise_id=None):
    """The liaisons a visit of `user` may be recorded under: a leader's own, an editor's of the federation
    (of one enterprise when given), newest first."""
    qs = liaisons_visible_to(user)
    if enterprise_id is not None:
        qs = qs.filter(enterprise_id=enterprise_id)
    return qs.order_by("-start", "-id")


def liaison_people(user):
    """The filter's choices of 包联人: ("user:<id>" | "department:<id>", name) of the liaisons in scope."""
    liaisons = liaisons_visible_to(user).order_by()
    users = (User.objects.filter(pk__in=liaisons.filter(user__isnull=False).values("user_id"))
             .order_by("display_name", "username"))
    departments = Department.objects.filter(pk__in=liaisons.filter(department__isnull=False)
                                            .values("department_id")).order_by("name")
    return ([(f"user:{u.pk}", str(u)) for u in users]
            + [(f"department:{d.pk}", d.short_name or d.name) for d in departments])


def _person_q(value, prefix=""):
    """The condition of a 包联人 choice ("user:3" / "department:5")."""
    kind, _, pk = (value or "").partition(":")
    if kind == "user":
        return Q(**{f"{prefix}user_id": int(pk)})
    if kind == "department":
        return Q(**{f"{prefix}department_id": int(pk)})
    return Q()


# --- liaisons ------------------------------------------------------------------------------------------------
def last_visit_of_enterprise(field="enterprise_id"):
    """The day of the latest visit to the outer row's enterprise (by anyone): one probe of
    `engagement_visit_ent_day` per row."""
    return Subquery(Visit.objects.filter(enterprise_id=OuterRef(field)).order_by("-visited_on")
                    .values("visited_on")[:1])


def open_appeals_of_enterprise(user, field="enterprise_id"):
    """How many appeals of the outer row's enterprise, in the user's federations, are not finished."""
    rows = (Appeal.objects.filter(enterprise_id=OuterRef(field), federation_id__in=federation_ids_in_scope(user))
            .exclude(status__in=FINISHED_APPEAL_STATES).order_by().values("enterprise_id"))
    return Coalesce(Subquery(rows.annotate(n=Count("*")).values("n")), 0, output_field=IntegerField())


def enterprise_open_appeals(user, enterprise_id):
    """The appeals of an enterprise, in the user's federations, that are not finished (newest first)."""
    return (appeals_visible_to(user).filter(enterprise_id=enterprise_id, federation_id__in=federation_ids_in_scope(user))
            .exclude(status__in=FINISHED_APPEAL_STATES).order_by("-submitted_at", "-id"))


def with_visit_facts(liaisons, user):
    """`liaisons` with `last_visit` (the enterprise's latest visit day, or None) and `open_appeals`."""
    return liaisons.annotate(last_visit=last_visit_of_enterprise(),
                             open_appeals=open_appeals_of_enterprise(user))


def cutoff(on):
    """The first day that still counts as recent for a visit on `on`."""
    return on - datetime.timedelta(days=VISIT_INTERVAL_DAYS)


def overdue_q(on, prefix=""):
    """Liaisons overdue for a visit on `on`: in force, started more than VISIT_INTERVAL_DAYS ago, and their
    enterprise not visited since `cutoff(on)`."""
    p = prefix
    recent = Visit.objects.filter(enterprise_id=OuterRef(f"{p}enterprise_id"), visited_on__gte=cutoff(on),
                                  visited_on__lte=on)
    return liaison_in_force_q(on, p) & Q(**{f"{p}start__lt": cutoff(on)}) & ~Exists(recent)


def is_overdue(liaison, on):
    """`overdue_q` for one fetched liaison annotated with `last_visit` (the page's red mark)."""
    last = liaison.last_visit
    return liaison.in_force_on(on) and liaison.start < cutoff(on) and (last is None or last < cutoff(on))


def days_since(day, on):
    return (on - day).days if day else None


def _visited_in_year(year):
    return Exists(Visit.objects.filter(enterprise_id=OuterRef("enterprise_id"), visited_on__year=year))


def liaison_list(user, *, filters=None, on=None):
    """The liaison list of `user` narrowed by the search form's `filters`: q (enterprise name), level,
    street (the 帮联 street or the enterprise's street), person ("user:<id>"/"department:<id>"), in_force
    ("yes"/"no" on `on`), visited ("yes"/"no": the enterprise visited this year), overdue (True)."""
    filters = filters or {}
    on = on or timezone.localdate()
    qs = filtered(liaisons_visible_to(user), filters, {"level": "level", "q": "enterprise__name__icontains"})
    if filters.get("street"):
        street = filters["street"]
        qs = qs.filter(Q(street=street) | Q(enterprise__street=street))
    if filters.get("person"):
        qs = qs.filter(_person_q(filters["person"]))
    if filters.get("in_force") == "yes":
        qs = qs.filter(liaison_in_force_q(on))
    elif filters.get("in_force") == "no":
        qs = qs.exclude(liaison_in_force_q(on))
    if filters.get("visited") == "yes":
        qs = qs.filter(_visited_in_year(on.year))
    elif filters.get("visited") == "no":
        qs = qs.exclude(_visited_in_year(on.year))
    if filters.get("overdue"):
        qs = qs.filter(overdue_q(on))
    return with_visit_facts(qs, user)


def my_liaisons(user, *, filters=None, on=None):
    """我的包联企业: the liaisons in force assigned to `user` (a leader, or a staff member who is a liaison),
    with the enterprise's last visit and open appeals; `filters`: q, overdue."""
    if role_of(user) not in VISITOR_ROLES:
        raise PermissionDenied("您没有访问包联走访的权限。")
    on = on or timezone.localdate()
    filters = {**(filters or {}), "in_force": "yes"}
    return liaison_list(user, filters=filters, on=on).filter(user=user)


def overdue_liaisons(user, on):
    """The 待办's liaisons: a leader their own, the editors every one of their federations."""
    return liaison_list(user, filters={"overdue": True}, on=on)


def liaison_visits(user, liaison):
    """The visits recorded under `liaison` that `user` may read, newest first."""
    return visits_visible_to(user).filter(liaison=liaison).order_by("-visited_on", "-id")


# --- visits ------------------------------------------------------------------------------------------------
def _raised(visit_field="pk"):
    return Exists(VisitAppeal.objects.filter(visit_id=OuterRef(visit_field)))


def visit_list(user, *, filters=None):
    """The visit list of `user` narrowed by `filters`: q (enterprise name or visitors), enterprise (an
    Enterprise), person (the liaison's 包联人), from/to (visit days), problems ("yes"/"no": problems
    recorded), appeals ("yes"/"no": an appeal opened from the visit)."""
    filters = filters or {}
    qs = visits_visible_to(user).select_related("liaison__user", "liaison__department")
    qs = filtered(qs, filters, {"enterprise": "enterprise", "from": "visited_on__gte", "to": "visited_on__lte"})
    q = (filters.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(enterprise__name__icontains=q) | Q(visitors__icontains=q))
    if filters.get("person"):
        qs = qs.filter(_person_q(filters["person"], "liaison__"))
    if filters.get("problems") == "yes":
        qs = qs.exclude(problems="")
    elif filters.get("problems") == "no":
        qs = qs.filter(problems="")
    if filters.get("appeals") == "yes":
        qs = qs.filter(_raised())
    elif filters.get("appeals") == "no":
        qs = qs.exclude(_raised())
    return qs.annotate(appeal_count=_appeal_count())


def _appeal_count():
    rows = VisitAppeal.objects.filter(visit_id=OuterRef("pk")).order_by().values("visit_id")
    return Coalesce(Subquery(rows.annotate(n=Count("*")).values("n")), 0, output_field=IntegerField())


def visit_appeals(user, visit):
    """The appeals opened from `visit` that `user` may read (newest first), and how many others there are."""
    links = VisitAppeal.objects.filter(visit=visit)
    shown = list(links.filter(appeal__in=appeals_visible_to(user)).select_related(
        "appeal", "appeal__enterprise", "appeal__category").order_by("-id"))
    return shown, links.count() - len(shown)


def enterprise_visits(user, enterprise):
    """The visits to `enterprise` that `user` may read, newest first."""
    return visits_visible_to(user).filter(enterprise=enterprise).order_by("-visited_on", "-id")


def enterprise_liaisons(user, enterprise):
    """The liaisons of `enterprise` that `user` may read, in force first."""
    return liaisons_visible_to(user).filter(enterprise=enterprise).order_by("-start", "-id")


def source_visit(appeal):
    """The visit an appeal was opened from, or None."""
    link = VisitAppeal.objects.filter(appeal=appeal).select_related("visit", "visit__enterprise",
                                                                      "visit__liaison").first()
    return link.visit if link else None
