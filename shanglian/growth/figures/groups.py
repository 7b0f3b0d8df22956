"""Figures of 专项工作组 (the seeds' "组建6个专项工作组，以项目化运作推动解决共性问题"), registered with the figures
layer with the records behind each, and the groups part of the statistics page (`sections(user=, period=)`).

The groups are those the user reads (`selectors.scopes.groups_visible_to`: the federation's roles their
federations', a chamber secretary its federation's).

- 专项工作组 (`growth.groups`): groups in being on the period's state day (`Period.as_of`): established on or before
  it, not dissolved by then. 新组建专项工作组: established within the period.
- 完成项目: their projects marked 已完成 with a 完成日期 within the period; 推进中项目: their projects now 推进中 (a state
  of today: no 同比).
- 办结的共性问题诉求: the appeals linked to their projects that the user reads (`appeals.selectors.appeals_visible_to`:
  a chamber secretary its members' appeals only) and that were closed (已办结) within the period — each appeal once,
  however many projects link it.
"""

from django.db.models import Count, Q
from django.urls import reverse

from shanglian.appeals.models import Appeal, Status
from shanglian.appeals.selectors import appeals_visible_to
from shanglian.ui import figures as ui
from shanglian.ui.listing import Column

from ..models import GroupMember, GroupProject
from ..selectors.scopes import groups_visible_to
from .links import counted_card

GROUPS = "统计期末（期末晚于今天时为今天）已成立、未撤销的专项工作组"
GROUPS_NEW = "成立日期在统计期间内的专项工作组"
DONE = "完成日期在统计期间内、状态为已完成的专项工作组项目"
ACTIVE = "当前状态为推进中的专项工作组项目（当前状态，不计同比）"
RESOLVED = ("专项工作组项目关联的诉求中，办结时间在统计期间内、状态为已办结的（同一诉求关联多个项目只计一次；"
            "商会秘书处只计本商会会员企业的诉求）")


# --- the rows behind the figures ---------------------------------------------------------------------------------
def groups_on(user, day):
    return groups_visible_to(user).filter(Q(dissolved__isnull=True) | Q(dissolved__gt=day), established__lte=day)


def projects_of(user):
    return GroupProject.objects.filter(group__in=groups_visible_to(user).select_related(None).values("pk")
                                       ).select_related("group")


def resolved_appeals(user, period):
    start, end = period.bounds
    linked = GroupProject.appeals.through.objects.filter(
        groupproject__group__in=groups_visible_to(user).select_related(None).values("pk")).values("appeal_id")
    return appeals_visible_to(user).filter(pk__in=linked, status=Status.CLOSED, closed_at__gte=start,
                                           closed_at__lt=end)


# --- registered figures ------------------------------------------------------------------------------------------
@ui.figure("growth.groups", label="专项工作组", unit="个", definition=GROUPS)
def groups(*, user, period):
    return groups_on(user, period.as_of())


@ui.figure("growth.groups_new", label="新组建专项工作组", unit="个", definition=GROUPS_NEW)
def groups_new(*, user, period):
    return groups_visible_to(user).filter(established__gte=period.start, established__lte=period.end)


@ui.figure("growth.projects_done", label="完成项目", unit="个", definition=DONE)
def projects_done(*, user, period):
    return projects_of(user).filter(status=GroupProject.Status.DONE, finished_on__gte=period.start,
                                    finished_on__lte=period.end)


@ui.figure("growth.projects_active", label="推进中项目", unit="个", definition=ACTIVE, compare=False)
def projects_active(*, user, period):
    return projects_of(user).filter(status=GroupProject.Status.ACTIVE)


@ui.figure("growth.appeals_resolved", label="办结的共性问题诉求", unit="件", definition=RESOLVED)
def appeals_resolved(*, user, period):
    return resolved_appeals(user, period)


# --- the drill-down's columns ------------------------------------------------------------------------------------
GROUP_COLUMNS = [
    Column("工作组", "name", link=lambda g: reverse("growth:group", args=[g.pk]), wrap=True, sort="name"),
    Column("聚焦的共性问题", "focus", wrap=True),
    Column("成立日期", "established", sort="established"),
    Column("撤销日期", "dissolved"),
]
PROJECT_COLUMNS = [
    Column("项目", "name", link=lambda p: reverse("growth:project", args=[p.pk]), wrap=True, sort="name"),
    Column("工作组", lambda p: p.group.name, wrap=True),
    Column("状态", lambda p: p.get_status_display()),
    Column("计划完成日期", "due", sort="due"),
    Column("完成日期", "finished_on", sort="finished_on"),
]
APPEAL_COLUMNS = [
    Column("诉求编号", "number", link=lambda a: reverse("appeals:detail", args=[a.pk]), sort="number"),
    Column("标题", "title", wrap=True),
    Column("企业", lambda a: a.enterprise.name, wrap=True),
    Column("办结时间", "closed_at", sort="closed_at"),
]
RECORD_COLUMNS = {
    "growth.groups": GROUP_COLUMNS, "growth.groups_new": GROUP_COLUMNS,
    "growth.projects_done": PROJECT_COLUMNS, "growth.projects_active": PROJECT_COLUMNS,
    "growth.appeals_resolved": APPEAL_COLUMNS,
}
NARROWING = {}


# --- the statistics page's sections --------------------------------------------------------------------------------
def _counts(rows, field, **counts):
    return {row[field]: row for row in rows.select_related(None).order_by().values(field).annotate(**counts)}


def sections(*, user, period):
    """The groups part: the groups in being with their members, projects (推进中, completed within the period) and
    linked appeals closed within the period. Eight queries whatever the data."""
    day = period.as_of()
    shown_groups = list(groups_on(user, day).select_related(None).order_by("established", "id"))
    ids = [group.pk for group in shown_groups]
    members = _counts(GroupMember.objects.filter(group_id__in=ids), "group_id", n=Count("pk"))
    projects = _counts(GroupProject.objects.filter(group_id__in=ids), "group_id", n=Count("pk"),
                       active=Count("pk", filter=Q(status=GroupProject.Status.ACTIVE)),
                       done=Count("pk", filter=Q(status=GroupProject.Status.DONE, finished_on__gte=period.start,
                                                 finished_on__lte=period.end)))
    resolved_rows = resolved_appeals(user, period)
    resolved = _counts(Appeal.objects.filter(pk__in=resolved_rows.select_related(None).order_by().values("pk"),
                                             group_projects__group_id__in=ids),
                       "group_projects__group_id", n=Count("pk", distinct=True))
    resolved_total = resolved_rows.count()
    new = groups_new(user=user, period=period).count()
    done_total = projects_done(user=user, period=period).count()

    def n(found, pk, key="n"):
        return found[pk][key] if pk in found else 0

    rows = tuple(ui.Row((group.name, n(members, group.pk), n(projects, group.pk), n(projects, group.pk, "active"),
                         n(projects, group.pk, "done"), n(resolved, group.pk)), label=group.name)
                 for group in shown_groups)
    if rows:
        rows += (ui.Row(("合计", *(sum(row.cells[i] for row in rows) for i in range(1, 5)), resolved_total),
                        label="合计", total=True),)
    return [ui.FigureSection(
        title=f"专项工作组（截至{day:%Y年%-m月%-d日}；项目完成、诉求办结按{period.label}）", dom_id="stats-growth-groups",
        note="表中为统计期末在册的工作组；合计行的办结诉求为去重后的数目，同一诉求关联多个工作组的项目时只计一次；"
             "卡片中的完成项目、办结诉求含已撤销工作组的。",
        figures=[counted_card("growth.groups", len(shown_groups), period),
                 counted_card("growth.groups_new", new, period),
                 counted_card("growth.projects_done", done_total, period),
                 counted_card("growth.appeals_resolved", resolved_total, period)],
        table=ui.FigureTable("专项工作组", (ui.Col("工作组"), ui.Col("成员"), ui.Col("项目"), ui.Col("推进中"),
                                         ui.Col("本期完成"), ui.Col("本期办结诉求")), rows, row_header=True,
                             dom_id="table-growth-groups", empty_text="没有在册的专项工作组"))]


__all__ = ["NARROWING", "RECORD_COLUMNS", "groups_on", "resolved_appeals", "sections"]
