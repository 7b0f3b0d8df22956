"""专项工作组 pages: the list, one group's page (its lead and members, its projects with their progress), 新增/编辑/
删除; 添加成员/移除成员; one project's page (goal, milestones, the appeals it addresses, outcome), 新增/编辑/删除; and
a milestone's 新增/编辑/删除. Every reader of the member registry reads its federation's groups; the editors keep
them. Thin: parse, call a selector or a service, render."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from shanglian.common.errors import Refused
from shanglian.common.records import history
from shanglian.ui.listing import Action, Column, ListPage, render_list
from shanglian.ui.records import delete_page, edit_page, staff_page
from shanglian.ui.shortcuts import get_visible_or_404

from .forms.groups import GroupForm, GroupSearchForm, MemberForm, MilestoneForm, ProjectForm
from .models import GroupProject, WorkingGroup
from .selectors import groups as selectors
from .selectors.scopes import groups_visible_to
from .services import groups as services

S = GroupProject.Status
PROJECT_TAGS = {S.PLANNED: "tag-muted", S.ACTIVE: "tag-info", S.DONE: "tag-success", S.DROPPED: "tag-warning"}
CRUMBS = [("会员发展与服务", None), ("专项工作组", "growth:groups")]
HISTORY_ROWS = 50


def _today():
    return date.today()


def _crumbs(*tail):
    return [*CRUMBS, *tail]


def _refused_as_error(call):
    """A service call whose `Refused` belongs on the form (a ValidationError for `ui.records.saved`)."""
    def run(*args, **kwargs):
        try:
            return call(*args, **kwargs)
        except Refused as exc:
            raise ValidationError(exc.message) from None

    return run


# --- the list ----------------------------------------------------------------------------------------------------
@never_cache
@login_required
def group_list(request):
    user = request.user
    groups_visible_to(user)  # 403 before anything else for a role without groups
    form = GroupSearchForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        qs = WorkingGroup.objects.none()
        empty = "搜索条件有误：" + "；".join(str(e) for errors in form.errors.values() for e in errors)
    else:
        qs = selectors.group_list(user, filters=form.filters() if form.is_bound else {})
        empty = "没有找到符合条件的专项工作组" if request.GET else "暂无专项工作组"
    editor = selectors.is_group_editor(user)

    def detail(g):
        return reverse("growth:group", args=[g.pk])

    def row_actions(g):
        actions = [Action("查看", detail(g))]
        if editor:
            actions.append(Action("编辑", reverse("growth:group_edit", args=[g.pk])))
        return actions

    page = ListPage(
        title="专项工作组", breadcrumbs=[("会员发展与服务", None), ("专项工作组", None)], search_form=form,
        toolbar=[Action("组建工作组", reverse("growth:group_create"), "primary")] if editor else [],
        columns=[
            Column("工作组", "name", link=detail, wrap=True, sort="name"),
            Column("聚焦的共性问题", "focus", wrap=True),
            Column("组长", "lead_name"),
            Column("成员数", "member_count"),
            Column("项目（已完成）", lambda g: f"{g.project_count}（{g.done_count}）"),
            Column("成立日期", lambda g: g.established.isoformat(), sort="established"),
            Column("状态", lambda g: "已撤销" if _dissolved(g) else "运行中",
                   tag=lambda g: "tag-muted" if _dissolved(g) else "tag-success"),
        ],
        row_actions=row_actions, empty_text=empty, default_sort="established",
    )
    return render_list(request, page, qs)


def _dissolved(group):
    return group.dissolved is not None and group.dissolved <= _today()


# --- create / edit / delete a group ------------------------------------------------------------------------------
@staff_page
def group_create(request):
    selectors.require_group_editor(request.user)
    form = GroupForm(request.POST or None, user=request.user)
    return edit_page(request, form=form,
                     save=lambda f: services.save_group(actor=request.user, data=f.group_data()),
                     title="组建专项工作组", intro="组建后在工作组页面添加组长和成员、设立项目。",
                     breadcrumbs=_crumbs(("组建", None)), cancel_url=reverse("growth:groups"))


@staff_page
def group_edit(request, pk):
    group = get_visible_or_404(selectors.groups_editable_by(request.user), pk)
    form = GroupForm(request.POST or None, user=request.user, instance=group)
    return edit_page(request, form=form,
                     save=lambda f: services.save_group(actor=request.user, data=f.group_data(), group=group),
                     title="编辑专项工作组", subject=str(group), cancel_url=group.get_absolute_url(),
                     breadcrumbs=_crumbs((str(group), None), ("编辑", None)))


@staff_page
def group_delete(request, pk):
    group = get_visible_or_404(selectors.groups_editable_by(request.user), pk)
    return delete_page(request, obj=group, delete=lambda: services.delete_group(actor=request.user, group=group),
                       along=("members",), cancel_url=group.get_absolute_url(), done_url=reverse("growth:groups"),
                       breadcrumbs=_crumbs((str(group), None), ("删除", None)))


# --- one group ---------------------------------------------------------------------------------------------------
@never_cache
@login_required
def group_detail(request, pk):
    user = request.user
    group = get_visible_or_404(groups_visible_to(user).select_related("federation"), pk)
    editor = selectors.is_group_editor(user)
    members = list(selectors.group_members(group))
    return render(request, "growth/groups/detail.html", {
        "group": group,
        "dissolved": _dissolved(group),
        "editor": editor,
        "lead": next((m for m in members if m.is_lead), None),
        "members": members,
        "projects": list(selectors.group_projects(group)),
        "project_tags": PROJECT_TAGS,
        "history": history(group)[:HISTORY_ROWS] if editor else [],
        "breadcrumbs": _crumbs((str(group), None)),
    })


# --- members -----------------------------------------------------------------------------------------------------
@staff_page
def member_add(request, pk):
    group = get_visible_or_404(selectors.groups_editable_by(request.user), pk)
    form = MemberForm(request.POST or None, user=request.user, initial={"joined": _today()})
    add = _refused_as_error(services.add_member)
    return edit_page(request, form=form,
                     save=lambda f: add(actor=request.user, group=group, **f.member_data()),
                     then=lambda member: reverse("growth:group", args=[group.pk]) + "#members",
                     title="添加工作组成员", subject=str(group), submit_label="添加",
                     intro="已是成员的人士勾选“担任组长”即改任组长。" if not _dissolved(group) else "工作组已撤销，不能添加成员。",
                     cancel_url=group.get_absolute_url(),
                     breadcrumbs=_crumbs((str(group), None), ("添加成员", None)))


@staff_page
def member_remove(request, pk):
    member = get_visible_or_404(selectors.members_editable_by(request.user), pk)
    group = member.group
    back = reverse("growth:group", args=[group.pk]) + "#members"
    return delete_page(request, obj=member,
                       delete=lambda: services.remove_member(actor=request.user, member=member),
                       cancel_url=back, done_url=back, title="移除工作组成员",
                       breadcrumbs=_crumbs((str(group), None), ("移除成员", None)))


# --- projects ----------------------------------------------------------------------------------------------------
def _project_crumbs(project, *tail):
    group = project.group
    return _crumbs((str(group), None),
                   (str(project), None), *tail)


@staff_page
def project_create(request, pk):
    group = get_visible_or_404(selectors.groups_editable_by(request.user), pk)
    form = ProjectForm(request.POST or None, user=request.user, group=group)
    save = _refused_as_error(services.save_project)
    return edit_page(request, form=form,
                     save=lambda f: save(actor=request.user, group=group, data=f.project_data(), appeals=f.appeals()),
                     title="新增工作组项目", subject=str(group), cancel_url=group.get_absolute_url(),
                     intro="项目化运作：写明目标和计划完成日期，关联要解决的共性问题（诉求），保存后添加项目节点。",
                     breadcrumbs=_crumbs((str(group), None), ("新增项目", None)))


@staff_page
def project_edit(request, pk):
    project = get_visible_or_404(selectors.projects_editable_by(request.user), pk)
    form = ProjectForm(request.POST or None, user=request.user, group=project.group, instance=project)
    return edit_page(request, form=form,
                     save=lambda f: services.save_project(actor=request.user, group=project.group,
                                                          data=f.project_data(), appeals=f.appeals(),
                                                          project=project),
                     title="编辑工作组项目", subject=str(project), cancel_url=project.get_absolute_url(),
                     breadcrumbs=_project_crumbs(project, ("编辑", None)))


@staff_page
def project_delete(request, pk):
    project = get_visible_or_404(selectors.projects_editable_by(request.user), pk)
    return delete_page(request, obj=project,
                       delete=lambda: services.delete_project(actor=request.user, project=project),
                       along=("milestones",), cancel_url=project.get_absolute_url(),
                       done_url=reverse("growth:group", args=[project.group_id]),
                       breadcrumbs=_project_crumbs(project, ("删除", None)))


@never_cache
@login_required
def project_detail(request, pk):
    user = request.user
    project = get_visible_or_404(selectors.projects_visible_to(user), pk)
    editor = selectors.is_group_editor(user)
    appeals, hidden = selectors.linked_appeals(user, project)
    milestones = selectors.project_milestones(project)
    return render(request, "growth/groups/project.html", {
        "project": project,
        "group": project.group,
        "status_tag": PROJECT_TAGS.get(project.status, ""),
        "editor": editor,
        "milestones": milestones,
        "milestones_done": sum(1 for m in milestones if m.done_on),
        "today": _today(),
        "appeals": appeals,
        "hidden_appeals": hidden,
        "history": history(project)[:HISTORY_ROWS] if editor else [],
        "breadcrumbs": _crumbs((str(project.group), None),
                               (str(project), None)),
    })


# --- milestones --------------------------------------------------------------------------------------------------
@staff_page
def milestone_create(request, pk):
    project = get_visible_or_404(selectors.projects_editable_by(request.user), pk)
    form = MilestoneForm(request.POST or None)
    return edit_page(request, form=form,
                     save=lambda f: services.save_milestone(actor=request.user, project=project,
                                                            data=f.milestone_data()),
                     then=lambda m: reverse("growth:project", args=[project.pk]) + "#milestones",
                     title="新增项目节点", subject=str(project), cancel_url=project.get_absolute_url(),
                     breadcrumbs=_project_crumbs(project, ("新增节点", None)))


@staff_page
def milestone_edit(request, pk):
    milestone = get_visible_or_404(selectors.milestones_editable_by(request.user), pk)
    project = milestone.project
    form = MilestoneForm(request.POST or None, instance=milestone)
    return edit_page(request, form=form,
                     save=lambda f: services.save_milestone(actor=request.user, project=project,
                                                            data=f.milestone_data(), milestone=milestone),
                     then=lambda m: reverse("growth:project", args=[project.pk]) + "#milestones",
                     title="编辑项目节点", subject=str(milestone), cancel_url=project.get_absolute_url(),
                     breadcrumbs=_project_crumbs(project, ("编辑节点", None)))


@staff_page
def milestone_delete(request, pk):
    milestone = get_visible_or_404(selectors.milestones_editable_by(request.user), pk)
    project = milestone.project
    back = reverse("growth:project", args=[project.pk]) + "#milestones"
    return delete_page(request, obj=milestone,
                       delete=lambda: services.delete_milestone(actor=request.user, milestone=milestone),
                       cancel_url=back, done_url=back, breadcrumbs=_project_crumbs(project, ("删除节点", None)))
