"""The seven roles of DESIGN §1 (each a Group of the same name) and the checks built on them."""

from django.core.exceptions import PermissionDenied
from django.db import models


class Role(models.TextChoices):
    SYSADMIN = "sysadmin", "系统管理员"
    STAFF = "staff", "工商联工作人员"
    LEADER = "leader", "工商联领导"
    CHAMBER = "chamber", "商会秘书处"
    DEPARTMENT = "department", "部门承办人"
    ENTERPRISE = "enterprise", "企业用户"
    AUDITOR = "auditor", "审计员"


# The role sets, named once: every app checks against these, never a set of its own.
ALL_ROLES = frozenset(Role)
# Roles that work inside one federation's whole scope (the federation and every one under it).
FEDERATION_ROLES = frozenset({Role.SYSADMIN, Role.STAFF, Role.LEADER})
# Roles that edit the federation's records and run its desk (accept, dispatch, publish, import).
EDITOR_ROLES = frozenset({Role.SYSADMIN, Role.STAFF})
# Roles that may supervise (督办): the editors and the federation's leaders.
SUPERVISOR_ROLES = FEDERATION_ROLES
# Roles that read the business records of a scope: the federation, a chamber, a department.
READER_ROLES = FEDERATION_ROLES | {Role.CHAMBER, Role.DEPARTMENT}
# Roles that read the member registry: the federation and the chambers (a department does not).
MEMBER_READER_ROLES = FEDERATION_ROLES | {Role.CHAMBER}
# The federation and the departments: the roles that work a case handed out to departments (queues, counts).
FEDERATION_AND_DEPARTMENT_ROLES = FEDERATION_ROLES | {Role.DEPARTMENT}
# The editors, and the enterprise for its own records (an enterprise submits and rates its own case).
EDITOR_AND_ENTERPRISE_ROLES = EDITOR_ROLES | {Role.ENTERPRISE}
# 三员分立's two roles (system administrator, auditor): they never hold an API token (accounts/api_auth.py),
# so they always come through the login page, and both must pass the second factor (settings.OTP_REQUIRED_ROLES).
# Nobody holds two roles (accounts/signals.py); the sysadmin never makes an auditor (`manage.py auditor`).
SEPARATED_ROLES = frozenset({Role.SYSADMIN, Role.AUDITOR})
BACK_OFFICE_ROLES = frozenset(ALL_ROLES - {Role.ENTERPRISE})
# Roles that change member records: the editors (their federations' whole registry) and a chamber
# secretary (its own chamber's memberships and member enterprises).
MEMBER_EDITOR_ROLES = EDITOR_ROLES | {Role.CHAMBER}
# Roles that keep the member registry complete day to day (the 待办 of enterprises missing details).
MEMBER_KEEPER_ROLES = frozenset({Role.STAFF, Role.CHAMBER})
# Roles that act for one body under a federation — a chamber, a department, an enterprise — and read
# what their federation and those above it publish (e.g. the live policies).
AFFILIATED_ROLES = frozenset({Role.CHAMBER, Role.DEPARTMENT, Role.ENTERPRISE})
# Roles that organise events (活动): the editors (their federations' events) and a chamber secretary (its
# chamber's own events: invitations, check-in at the door, meetings of its 理事会/会员大会).
ORGANISER_ROLES = EDITOR_ROLES | {Role.CHAMBER}
# Roles that read the events of a scope: the federation (leaders read) and the chambers (their own).
EVENT_READER_ROLES = FEDERATION_ROLES | {Role.CHAMBER}
# Roles that record liaison visits (走访): the editors, and a leader on the enterprises assigned to them (包联).
VISITOR_ROLES = EDITOR_ROLES | {Role.LEADER}
# Roles that keep party-building records: the editors, and a chamber secretary for its own chamber's
# party organisations (their activities, 三会一课).
PARTY_KEEPER_ROLES = EDITOR_ROLES | {Role.CHAMBER}
# Roles that record 光彩公益 (donations, pairings): the editors, and a chamber secretary for its own chamber's.
WELFARE_KEEPER_ROLES = EDITOR_ROLES | {Role.CHAMBER}
# Roles that nominate enterprises for an award programme: the editors, and a chamber secretary its own members.
NOMINATOR_ROLES = EDITOR_ROLES | {Role.CHAMBER}
# Roles a programme's judge (评审委员) may hold: the federation's staff and leaders (a user of a chamber, a
# department or an enterprise is too close to the nominees to sit on the panel).
JUDGE_ROLES = frozenset({Role.STAFF, Role.LEADER})
# Roles that fill in a chamber assessment (五有, 四好商会) and its evidence: the editors, and a chamber secretary its
# own chamber's; staff confirm it.
ASSESSMENT_KEEPER_ROLES = EDITOR_ROLES | {Role.CHAMBER}
# Roles that recruit members (发展会员: prospects, their stages): the editors, and a chamber secretary for its own
# chamber's prospects.
RECRUITER_ROLES = EDITOR_ROLES | {Role.CHAMBER}
# Roles that read the member directory (会员名录) and the supply–demand board (供需对接): the member registry's
# readers, and an enterprise that is a member in force (checked by the selectors).
DIRECTORY_READER_ROLES = MEMBER_READER_ROLES | {Role.ENTERPRISE}
# Roles that send notices (通知公告) and questionnaires (问卷调查): the editors (to their federations' members), and a
# chamber secretary (to its own chamber's members only).
SENDER_ROLES = EDITOR_ROLES | {Role.CHAMBER}


def role_of(user):
    """The user's role, or None for anonymous users and users without one. Cached on the user."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    cached = getattr(user, "_shanglian_role", "unset")
    if cached != "unset":
        return cached
    role = role_from_group_names(user.groups.values_list("name", flat=True))
    user._shanglian_role = role
    return role


def role_from_group_names(names):
    """The role that a set of group names stands for (None if none): `role_of` without the checks of
    a live user, for a list that prefetched the groups (the audit log's actors, who may since be disabled)."""
    names = set(names)
    return next((r for r in Role if r.value in names), None)


def has_role(user, *roles):
    return role_of(user) in set(roles)


def require_role(user, *roles):
    """Refuse (403) unless the user holds one of the roles. Fails closed."""
    if not has_role(user, *roles):
        raise PermissionDenied("您没有访问该功能的权限。")


def enterprise_only(view):
    """A view of the enterprise's own phone pages: logged in, enterprise role (403 otherwise), never cached."""
    from functools import wraps

    from django.contrib.auth.decorators import login_required
    from django.views.decorators.cache import never_cache

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        require_role(request.user, Role.ENTERPRISE)
        return view(request, *args, **kwargs)

    return login_required(never_cache(wrapped))
