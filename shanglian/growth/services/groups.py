"""Every change of a working group (专项工作组), its members, projects and milestones: acting user first, role (the
editors: sysadmin, staff), the group's row lock, the rules, an audit row — in one transaction. Bad input is a
`ValidationError` by field (Chinese), a rule of the domain a `Refused`; nothing is written then.

- `save_group` / `delete_group`: a group is created in the actor's federation; its name is unique there; it may
  be dissolved (撤销日期, not before it was established). A group with projects is not deleted (its members go
  with it).
- `add_member` / `remove_member`: a person of the group's federation (or one under it), with the enterprise they
  come from (by default their enterprise in the registry); one 组长: adding a lead makes the former lead a member,
  and adding an existing member as lead promotes them. A dissolved group takes no new member.
- `save_project` / `delete_project`: a project (项目化运作) with its goal, period, status and outcome (a project
  已完成 needs its 完成日期 and 成效) and the appeals it addresses — the common problems, chosen among the appeals
  the actor sees (`appeals.selectors.appeals_visible_to`) of the group's federation. Its milestones go with it.
- `save_milestone` / `delete_milestone`: 项目节点 with a date and, once reached, the day it was done.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from shanglian.common.errors import Refused, raise_grouped
from shanglian.common.records import delete_or_refuse, record_saved, snapshot
from shanglian.members.selectors import enterprises_visible_to, persons_visible_to

from ..models import GroupMember, GroupProject, Milestone, WorkingGroup
from ..selectors.groups import (
    appeal_candidates,
    contact_candidates,
    groups_editable_by,
    members_editable_by,
    milestones_editable_by,
    projects_editable_by,
    require_group_editor,
)

S = GroupProject.Status
MAX_NAME = 100
MAX_FOCUS = 300
MAX_DESCRIPTION = 5000
MAX_GOAL = 300
MAX_OUTCOME = 5000
MAX_TITLE = 100
MAX_NOTE = 200
MAX_APPEALS = 50
OUT_OF_SCOPE = "您无权维护该专项工作组。"


# --- helpers -----------------------------------------------------------------------------------------------------
def _text(value):
    return (value or "").strip()


def _is_date(value):
    return isinstance(value, date)


def _locked_group(actor, group):
    """The group re-read under its row lock, if the actor may change it (403 for a reader or out of scope — the
    pages answer 404 before they get here)."""
    editable = groups_editable_by(actor)
    pk = getattr(group, "pk", group)
    locked = WorkingGroup.objects.select_for_update().filter(pk=pk).first()
    if locked is None or not editable.filter(pk=pk).exists():
        raise PermissionDenied(OUT_OF_SCOPE)
    return locked


def _dissolved(group, on=None):
    return group.dissolved is not None and group.dissolved <= (on or date.today())


# --- the group ---------------------------------------------------------------------------------------------------
GROUP_FIELDS = ("name", "focus", "established", "dissolved", "contact", "description")


def group_errors(values, *, federation_id, group=None):
    errors = []
    if not values["name"]:
        errors.append(("name", "请填写工作组名称。"))
    elif len(values["name"]) > MAX_NAME:
        errors.append(("name", f"工作组名称不能超过 {MAX_NAME} 字。"))
    elif WorkingGroup.objects.filter(federation_id=federation_id, name=values["name"]).exclude(
            pk=getattr(group, "pk", None)).exists():
        errors.append(("name", "同名工作组已存在。"))
    if not values["focus"]:
        errors.append(("focus", "请填写工作组聚焦的共性问题。"))
    elif len(values["focus"]) > MAX_FOCUS:
        errors.append(("focus", f"聚焦的共性问题不能超过 {MAX_FOCUS} 字。"))
    if not _is_date(values["established"]):
        errors.append(("established", "请填写成立日期。"))
    elif values["established"] > date.today():
        errors.append(("established", "成立日期不能晚于今天。"))
    dissolved = values["dissolved"]
    if dissolved is not None:
        if not _is_date(dissolved):
            errors.append(("dissolved", "撤销日期格式应为 2026-11-22。"))
        elif _is_date(values["established"]) and dissolved < values["established"]:
            errors.append(("dissolved", "撤销日期不能早于成立日期。"))
    if len(values["description"]) > MAX_DESCRIPTION:
        errors.append(("description", f"工作职责不能超过 {MAX_DESCRIPTION} 字。"))
    contact = values["contact"]
    if contact is not None and not contact_candidates(federation_id).filter(pk=contact.pk).exists():
        errors.append(("contact", "联络人须为本工商联的工作人员或领导。"))
    return errors


def save_group(*, actor, data, group=None):
    """Create (group=None: in the actor's federation) or change a group. `data`: GROUP_FIELDS."""
    require_group_editor(actor)
    if group is None and actor.federation_id is None:
        raise PermissionDenied("您的账号未关联工商联，不能组建专项工作组。")
    values = {name: data.get(name) for name in GROUP_FIELDS}
    for name in ("name", "focus", "description"):
        values[name] = _text(values[name])
    with transaction.atomic():
        before = None
        if group is None:
            group = WorkingGroup(federation_id=actor.federation_id)
        else:
            group = _locked_group(actor, group)
            before = snapshot(group)
        raise_grouped(group_errors(values, federation_id=group.federation_id, group=group if group.pk else None))
        for name, value in values.items():
            setattr(group, name, value)
        try:
            with transaction.atomic():
                group.save()
        except IntegrityError:
            raise ValidationError({"name": ["同名工作组已存在。"]}) from None
        record_saved(actor=actor, obj=group, before=before)
    return group


def delete_group(*, actor, group):
    """A group without projects (its members go with it); one with projects is refused, naming them."""
    with transaction.atomic():
        group = _locked_group(actor, group)
        delete_or_refuse(actor=actor, obj=group, along=("members",))


# --- members -----------------------------------------------------------------------------------------------------
def _default_enterprise(person):
    role = person.enterprise_roles.select_related("enterprise").order_by("id").first()
    return role.enterprise if role else None


def add_member(*, actor, group, person, enterprise=None, is_lead=False, joined=None):
    """A person joins the group (组长 when `is_lead`: the former lead stays as a member). An existing member named
    lead is promoted; named again as a member, refused."""
    require_group_editor(actor)
    with transaction.atomic():
        group = _locked_group(actor, group)
        if _dissolved(group):
            raise Refused("工作组已撤销，不能添加成员。", code="state")
        subtree = group.federation.subtree_ids()
        errors = []
        if person is None or not persons_visible_to(actor).filter(pk=person.pk, federation_id__in=subtree).exists():
            errors.append(("person", "请选择本工商联的人士。"))
        if enterprise is not None and not enterprises_visible_to(actor).filter(
                pk=enterprise.pk, federation_id__in=subtree).exists():
            errors.append(("enterprise", "请选择本工商联的企业。"))
        if not _is_date(joined):
            errors.append(("joined", "请填写加入日期。"))
        elif joined < group.established:
            errors.append(("joined", f"加入日期不能早于工作组成立日期（{group.established.isoformat()}）。"))
        elif joined > date.today():
            errors.append(("joined", "加入日期不能晚于今天。"))
        raise_grouped(errors)
        existing = group.members.select_for_update().filter(person=person).first()
        if existing is not None and (existing.is_lead or not is_lead):
            raise ValidationError({"person": ["该人士已是本工作组成员。"]})
        if is_lead:
            for former in group.members.select_for_update().filter(is_lead=True):
                before = snapshot(former)
                former.is_lead = False
                former.save(update_fields=["is_lead"])
                record_saved(actor=actor, obj=former, before=before, detail={"group": group.pk})
        if existing is not None:  # a member becomes the lead
            before = snapshot(existing)
            existing.is_lead = True
            existing.save(update_fields=["is_lead"])
            record_saved(actor=actor, obj=existing, before=before, detail={"group": group.pk})
            return existing
        member = GroupMember.objects.create(group=group, person=person,
                                            enterprise=enterprise or _default_enterprise(person),
                                            is_lead=bool(is_lead), joined=joined)
        record_saved(actor=actor, obj=member, detail={"group": group.pk})
    return member


def remove_member(*, actor, member):
    editable = members_editable_by(actor)
    with transaction.atomic():
        _locked_group(actor, member.group_id)
        if not editable.filter(pk=member.pk).exists():
            raise PermissionDenied(OUT_OF_SCOPE)
        delete_or_refuse(actor=actor, obj=member, detail={"group": member.group_id})


# --- projects ----------------------------------------------------------------------------------------------------
PROJECT_FIELDS = ("name", "goal", "start", "due", "status", "outcome", "finished_on")


def project_errors(values, *, group, project=None):
    errors = []
    if not values["name"]:
        errors.append(("name", "请填写项目名称。"))
    elif len(values["name"]) > MAX_NAME:
        errors.append(("name", f"项目名称不能超过 {MAX_NAME} 字。"))
    elif group.projects.filter(name=values["name"]).exclude(pk=getattr(project, "pk", None)).exists():
        errors.append(("name", "本工作组已有同名项目。"))
    if not values["goal"]:
        errors.append(("goal", "请填写项目目标。"))
    elif len(values["goal"]) > MAX_GOAL:
        errors.append(("goal", f"项目目标不能超过 {MAX_GOAL} 字。"))
    start, due = values["start"], values["due"]
    if not _is_date(start):
        errors.append(("start", "请填写开始日期。"))
    elif start < group.established:
        errors.append(("start", f"开始日期不能早于工作组成立日期（{group.established.isoformat()}）。"))
    if not _is_date(due):
        errors.append(("due", "请填写计划完成日期。"))
    elif _is_date(start) and due < start:
        errors.append(("due", "计划完成日期不能早于开始日期。"))
    status = values["status"]
    if status not in S.values:
        errors.append(("status", "请选择项目状态。"))
    if len(values["outcome"]) > MAX_OUTCOME:
        errors.append(("outcome", f"成效不能超过 {MAX_OUTCOME} 字。"))
    finished = values["finished_on"]
    if status == S.DONE:
        if finished is None:
            errors.append(("finished_on", "已完成的项目须填写完成日期。"))
        if not values["outcome"]:
            errors.append(("outcome", "已完成的项目须填写成效。"))
    elif finished is not None and status != S.DROPPED:
        errors.append(("finished_on", "只有已完成或已终止的项目填写完成日期。"))
    if finished is not None:
        if not _is_date(finished):
            errors.append(("finished_on", "完成日期格式应为 2026-11-22。"))
        elif _is_date(start) and finished < start:
            errors.append(("finished_on", "完成日期不能早于开始日期。"))
        elif finished > date.today():
            errors.append(("finished_on", "完成日期不能晚于今天。"))
    return errors


def _checked_appeals(actor, group, appeals):
    appeals = list(dict.fromkeys(appeals or ()))
    if len(appeals) > MAX_APPEALS:
        raise ValidationError({"appeals": [f"一个项目最多关联 {MAX_APPEALS} 件诉求。"]})
    allowed = set(appeal_candidates(actor, group).filter(pk__in=[a.pk for a in appeals])
                  .values_list("pk", flat=True))
    outside = [a.number for a in appeals if a.pk not in allowed]
    if outside:
        raise ValidationError({"appeals": [f"以下诉求不在您的管理范围内或不属于本工作组所在工商联：{'、'.join(outside)}。"]})
    return appeals


def save_project(*, actor, group, data, appeals=(), project=None):
    """Create (in `group`) or change a project and set the appeals it addresses. `data`: PROJECT_FIELDS.
    Appeals already linked that the actor does not see stay linked."""
    require_group_editor(actor)
    values = {name: data.get(name) for name in PROJECT_FIELDS}
    for name in ("name", "goal", "outcome"):
        values[name] = _text(values[name])
    values["status"] = values["status"] or S.PLANNED
    with transaction.atomic():
        if project is not None:
            if not projects_editable_by(actor).filter(pk=project.pk).exists():
                raise PermissionDenied(OUT_OF_SCOPE)
            group = project.group
        group = _locked_group(actor, group)
        before = None
        if project is None:
            if _dissolved(group):
                raise Refused("工作组已撤销，不能新增项目。", code="state")
            project = GroupProject(group=group)
        else:
            project = GroupProject.objects.select_for_update().get(pk=project.pk)
            before = snapshot(project)
        raise_grouped(project_errors(values, group=group, project=project if project.pk else None))
        chosen = _checked_appeals(actor, group, appeals)
        for name, value in values.items():
            setattr(project, name, value)
        project.save()
        kept = []
        if before is not None:
            visible = appeal_candidates(actor, group).values("pk")
            kept = list(project.appeals.exclude(pk__in=visible))
        project.appeals.set([*chosen, *kept])
        record_saved(actor=actor, obj=project, before=before, detail={"group": group.pk})
    return project


def delete_project(*, actor, project):
    """The project with its milestones (its links to appeals go; the appeals stay)."""
    with transaction.atomic():
        if not projects_editable_by(actor).filter(pk=project.pk).exists():
            raise PermissionDenied(OUT_OF_SCOPE)
        _locked_group(actor, project.group_id)
        delete_or_refuse(actor=actor, obj=project, along=("milestones",), detail={"group": project.group_id})


# --- milestones --------------------------------------------------------------------------------------------------
MILESTONE_FIELDS = ("title", "due", "done_on", "note")


def milestone_errors(values, *, project):
    errors = []
    if not values["title"]:
        errors.append(("title", "请填写节点名称。"))
    elif len(values["title"]) > MAX_TITLE:
        errors.append(("title", f"节点名称不能超过 {MAX_TITLE} 字。"))
    if not _is_date(values["due"]):
        errors.append(("due", "请填写计划日期。"))
    elif values["due"] < project.start:
        errors.append(("due", f"计划日期不能早于项目开始日期（{project.start.isoformat()}）。"))
    done = values["done_on"]
    if done is not None:
        if not _is_date(done):
            errors.append(("done_on", "完成日期格式应为 2026-11-22。"))
        elif done < project.start:
            errors.append(("done_on", f"完成日期不能早于项目开始日期（{project.start.isoformat()}）。"))
        elif done > date.today():
            errors.append(("done_on", "完成日期不能晚于今天。"))
    if len(values["note"]) > MAX_NOTE:
        errors.append(("note", f"说明不能超过 {MAX_NOTE} 字。"))
    return errors


def save_milestone(*, actor, project, data, milestone=None):
    require_group_editor(actor)
    values = {name: data.get(name) for name in MILESTONE_FIELDS}
    values["title"], values["note"] = _text(values["title"]), _text(values["note"])
    with transaction.atomic():
        if milestone is not None:
            if not milestones_editable_by(actor).filter(pk=milestone.pk).exists():
                raise PermissionDenied(OUT_OF_SCOPE)
            project = milestone.project
        elif not projects_editable_by(actor).filter(pk=project.pk).exists():
            raise PermissionDenied(OUT_OF_SCOPE)
        _locked_group(actor, project.group_id)
        raise_grouped(milestone_errors(values, project=project))
        before = None
        if milestone is None:
            milestone = Milestone(project=project)
        else:
            milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
            before = snapshot(milestone)
        for name, value in values.items():
            setattr(milestone, name, value)
        milestone.save()
        record_saved(actor=actor, obj=milestone, before=before, detail={"project": project.pk})
    return milestone


def delete_milestone(*, actor, milestone):
    with transaction.atomic():
        if not milestones_editable_by(actor).filter(pk=milestone.pk).exists():
            raise PermissionDenied(OUT_OF_SCOPE)
        _locked_group(actor, milestone.project.group_id)
        delete_or_refuse(actor=actor, obj=milestone, detail={"project": milestone.project_id})
