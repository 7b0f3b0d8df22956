"""Scoped reads of working groups (专项工作组), their members (one 组长), projects (项目化运作: goal, milestones,
linked appeals, outcome) and milestones.

Every read starts from `scopes.groups_visible_to(user)`: the federation's roles read every group of their
federations, a chamber secretary those of its federation; other roles are refused (403). The editors (sysadmin,
staff) keep groups, members, projects and milestones (`*_editable_by`: 403 for a reader, the same scope).

The appeals a project addresses are shown to a reader through the appeals app's own scope
(`appeals.selectors.appeals_visible_to`): a chamber secretary reads those of its members and is told how many
others there are; a project links only appeals its editor may see, of the group's federation.
"""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Q, Subquery

from shanglian.accounts.roles import EDITOR_ROLES, Role, role_of
from shanglian.accounts.selectors import users_in_role
from shanglian.appeals.models import Appeal
from shanglian.appeals.selectors import appeals_visible_to
from shanglian.orgs.selectors import count_of

from ..models import GroupMember, GroupProject, Milestone
from .scopes import groups_visible_to

EDITOR_REFUSAL = "只有工商联工作人员可以维护专项工作组。"


def require_group_editor(user):
    if role_of(user) not in EDITOR_ROLES:
        raise PermissionDenied(EDITOR_REFUSAL)


def is_group_editor(user):
    return role_of(user) in EDITOR_ROLES


def groups_editable_by(user):
    require_group_editor(user)
    return groups_visible_to(user)


def active_q(on=None):
    """A group in being on `on` (today by default): not dissolved, or dissolved after that day."""
    on = on or date.today()
    return Q(dissolved__isnull=True) | Q(dissolved__gt=on)


def _lead_name():
    return Subquery(GroupMember.objects.filter(group=OuterRef("pk"), is_lead=True).values("person__name")[:1])


def group_list(user, *, filters=None):
    """The list page: the scope, then `q` (a word of the name or of the focus) and `status` (active / dissolved);
    each row with its lead's name, its number of members and of projects (correlated, for the rows shown)."""
    filters = filters or {}
    qs = groups_visible_to(user).select_related("federation").annotate(
        lead_name=_lead_name(),
        member_count=count_of(GroupMember, "group"),
        project_count=count_of(GroupProject, "group"),
        done_count=count_of(GroupProject, "group", status=GroupProject.Status.DONE))
    q = (filters.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(focus__icontains=q))
    if filters.get("status") == "active":
        qs = qs.filter(active_q())
    elif filters.get("status") == "dissolved":
        qs = qs.exclude(active_q())
    return qs


def group_members(group):
    """The group's members, the lead first."""
    return group.members.select_related("person", "enterprise").order_by("-is_lead", "joined", "id")


def group_lead(group):
    return group.members.select_related("person").filter(is_lead=True).first()


def group_projects(group):
    """The group's projects in order, each with its number of milestones (and of those done) and of linked
    appeals."""
    return (group.projects.order_by("start", "id")
            .annotate(milestone_count=count_of(Milestone, "project"),
                      milestones_done=count_of(Milestone, "project", done_on__isnull=False),
                      appeal_count=count_of(GroupProject.appeals.through, "groupproject")))


def members_editable_by(user):
    require_group_editor(user)
    return GroupMember.objects.select_related("group", "person", "enterprise").filter(
        group__in=groups_visible_to(user).values("pk"))


def projects_visible_to(user):
    return GroupProject.objects.select_related("group", "group__federation").filter(
        group__in=groups_visible_to(user).values("pk"))


def projects_editable_by(user):
    require_group_editor(user)
    return projects_visible_to(user)


def milestones_editable_by(user):
    require_group_editor(user)
    return Milestone.objects.select_related("project", "project__group").filter(
        project__in=projects_visible_to(user).values("pk"))


def project_milestones(project):
    return list(project.milestones.order_by("due", "id"))


def contact_candidates(federation_id):
    """Who may be a group's 工商联联络人: the active staff and leaders of the group's federation."""
    return (users_in_role(Role.STAFF, federation_id=federation_id)
            | users_in_role(Role.LEADER, federation_id=federation_id)).distinct().order_by("username")


def appeal_candidates(user, group):
    """The appeals a project of `group` may address: those the user sees (the appeals app's scope) of the group's
    federation."""
    return appeals_visible_to(user).filter(federation_id=group.federation_id)


def linked_appeals(user, project):
    """The appeals the project addresses that `user` may read (newest first), and how many others there are (a
    chamber secretary reads only its members' appeals). A role that reads no appeal sees the count only."""
    try:
        visible = appeals_visible_to(user)
    except PermissionDenied:
        visible = Appeal.objects.none()
    links = project.appeals.all()
    shown = list(links.filter(pk__in=visible.values("pk")).select_related("enterprise", "category")
                 .order_by("-submitted_at", "-id"))
    return shown, links.count() - len(shown)
