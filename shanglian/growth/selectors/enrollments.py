"""Scoped reads of 服务企业（双万双服）: the service enrollments, who may keep them, and the choices of their form.

Every read starts from `scopes.enrollments_visible_to(user)`: the federation's roles every enrollment of their
federations, a chamber secretary those of its active member enterprises, everybody else 403.

Who writes (`enrollments_editable_by`): the editors (sysadmin, staff) every enrollment of their federations; a
leader and a chamber secretary read only. An enrollment is **in force** on a day when it started on or before it
and has not ended before it (`in_force_q`) — the figure "纳入民营企业N家" counts the distinct enterprises so
enrolled (growth/figures/service.py), not a proxy.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from shanglian.accounts.models import User
from shanglian.accounts.roles import EDITOR_ROLES, FEDERATION_ROLES, role_of
from shanglian.accounts.selectors import users_in_role
from shanglian.common.models import DictItem
from shanglian.members.selectors import chamber_member_ids, enterprises_visible_to
from shanglian.orgs.selectors import federation_ids_in_scope

from .scopes import enrollments_visible_to

WRITE_REFUSAL = "您没有修改服务企业名单的权限。"
PROGRAMME_KIND = "service_programme"
STATUSES = {"in_force": "服务中", "ended": "已退出", "upcoming": "未开始"}


def in_force_q(on, prefix=""):
    """The one definition of "in service on a day" (服务中; the figure 纳入服务企业N家, the API, the 360° card): enrolled
    on or before `on` and not yet ended — an enrollment ended on `on` no longer counts that day, as a membership that
    left on a day is not in force on it (`members.selectors.membership_in_force_q`)."""
    p = prefix
    return Q(**{f"{p}enrolled_on__lte": on}) & (Q(**{f"{p}ended_on__isnull": True}) | Q(**{f"{p}ended_on__gt": on}))


def status_of(enrollment, on):
    """服务中/已退出/未开始 of one enrollment on a day, as `in_force_q` reads it."""
    if enrollment.enrolled_on > on:
        return STATUSES["upcoming"]
    if enrollment.ended_on is not None and enrollment.ended_on <= on:
        return STATUSES["ended"]
    return STATUSES["in_force"]


def is_editor(user):
    return role_of(user) in EDITOR_ROLES


def enrollments_editable_by(user):
    """The enrollments the user may change, end or delete: an editor's of its federations; others 403."""
    if not is_editor(user):
        raise PermissionDenied(WRITE_REFUSAL)
    return enrollments_visible_to(user)


def enrollable_enterprises(user):
    """The enterprises an editor may enroll: those of its federations."""
    if not is_editor(user):
        raise PermissionDenied(WRITE_REFUSAL)
    return enterprises_visible_to(user)


def programmes():
    """The service programmes (dictionary `service_programme`), in their order."""
    return DictItem.objects.filter(kind=PROGRAMME_KIND, is_active=True).order_by("order", "id")


def liaisons_for(user):
    """The users who may be named liaison: the federation's active staff, leaders and sysadmins of the user's
    federations (a federation role's scope; nobody for the others)."""
    if role_of(user) not in FEDERATION_ROLES:
        return User.objects.none()
    scope = federation_ids_in_scope(user)
    ids = set()
    for role in FEDERATION_ROLES:
        ids |= set(users_in_role(role, federation_id__in=scope).values_list("pk", flat=True))
    return User.objects.filter(pk__in=ids).order_by("display_name", "username")


def enrollment_list(user, *, filters=None, on):
    """The list: scope first, then the search form's filters — `q` (the enterprise's name or credit code),
    `programme`, `status` (in_force/ended/upcoming on `on`), `liaison` (a User), `street` (a Street), `chamber`
    (a Chamber: its active member enterprises)."""
    filters = filters or {}
    qs = enrollments_visible_to(user).select_related("federation", "enterprise__street")
    q = (filters.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(enterprise__name__icontains=q) | Q(enterprise__uscc__iexact=q.upper()))
    if filters.get("programme") is not None:
        qs = qs.filter(programme=filters["programme"])
    status = filters.get("status")
    if status == "in_force":
        qs = qs.filter(in_force_q(on))
    elif status == "ended":
        qs = qs.filter(ended_on__lt=on)
    elif status == "upcoming":
        qs = qs.filter(enrolled_on__gt=on)
    if filters.get("liaison") is not None:
        qs = qs.filter(liaison=filters["liaison"])
    if filters.get("street") is not None:
        qs = qs.filter(enterprise__street=filters["street"])
    if filters.get("chamber") is not None:
        qs = qs.filter(enterprise_id__in=chamber_member_ids(filters["chamber"].pk))
    return qs


def enterprise_enrollments(user, enterprise):
    """The enterprise's enrollments the user reads, latest first (its 360° page, the enrollment page)."""
    return enrollments_visible_to(user).filter(enterprise=enterprise).order_by("-enrolled_on", "-id")


__all__ = ["STATUSES", "enrollable_enterprises", "enrollment_list", "enrollments_editable_by",
           "enterprise_enrollments", "in_force_q", "is_editor", "liaisons_for", "programmes", "status_of"]
