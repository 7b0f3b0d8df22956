"""专项工作组 pages: the list in each user's scope, one group's page with its lead, members and projects, one project's
page with its milestones, outcome and the appeals it addresses (each reader those it may see), the editors' forms
(bad input answered 400 in Chinese, nothing written), and every page of one group, member, project or milestone ×
every role of the cast (readers 200, a refused role 403, another federation 404)."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shanglian import testing
from shanglian.appeals.tests.factories import submit
from shanglian.growth.models import GroupMember, GroupProject, Milestone, WorkingGroup

S = GroupProject.Status
LIST = reverse("growth:groups")
ROLES = ["admin", "staff", "leader", "chamber1", "chamber2", "dept1", "ent1", "auditor", "outsider_staff"]
READERS = {"admin", "staff", "leader", "chamber1", "chamber2"}
EDITORS = {"admin", "staff"}


def count(page):
    return int(re.search(r"共 (\d+) 条", page).group(1))


@pytest.fixture
def group(cast):
    group = testing.make_working_group(cast.district, name="融资服务专项工作组", focus="融资难融资贵",
                                       lead=cast.person1)
    GroupMember.objects.create(group=group, person=cast.person2, enterprise=cast.ent2, joined=date(2025, 2, 1))
    return group


@pytest.fixture
def project(group):
    project = testing.make_group_project(group, name="银企对接专项行动")
    Milestone.objects.create(project=project, title="完成首批企业摸底", due=date(2025, 4, 30))
    return project


def test_the_federation_and_its_chambers_list_their_groups_others_are_refused(cast, group, login):
    testing.make_working_group(cast.other, name="南开区人才工作组")
    for role in ("staff", "leader", "chamber1", "chamber2"):
        page = login(getattr(cast.users, role)).get(LIST).content.decode()
        assert count(page) == 1 and "融资服务专项工作组" in page and "王建国" in page and "南开" not in page, role
    page = login(cast.users.outsider_staff).get(LIST).content.decode()
    assert count(page) == 1 and "南开区人才工作组" in page
    for role in ("dept1", "ent1", "auditor"):
        assert login(getattr(cast.users, role)).get(LIST).status_code == 403
    assert "组建工作组" in login(cast.users.staff).get(LIST).content.decode()
    assert "组建工作组" not in login(cast.users.leader).get(LIST).content.decode()


def test_an_invalid_search_lists_nothing_and_says_why(cast, group, login):
    page = login(cast.users.staff).get(f"{LIST}?status=bogus").content.decode()
    assert count(page) == 0 and "请选择有效的状态" in page


def test_the_group_page_shows_the_lead_members_and_projects(cast, group, project, login):
    page = login(cast.users.chamber1).get(group.get_absolute_url()).content.decode()
    assert "王建国" in page and "陈浙江" in page and "银企对接专项行动" in page
    assert page.count("data-member") == 2 and "添加成员" not in page and "新增项目" not in page
    page = login(cast.users.staff).get(group.get_absolute_url()).content.decode()
    assert "添加成员" in page and "新增项目" in page and page.count("data-member") == 2


def test_the_project_page_shows_each_reader_the_appeals_it_may_see(cast, group, project, login):
    ent2_user = testing.make_user("enterprise", enterprise=cast.ent2)
    mine, theirs = submit(cast, title="贷款审批周期长"), submit(cast, actor=ent2_user, enterprise=cast.ent2,
                                                          title="担保费率偏高")
    project.appeals.set([mine, theirs])
    page = login(cast.users.staff).get(project.get_absolute_url()).content.decode()
    assert "贷款审批周期长" in page and "担保费率偏高" in page and "完成首批企业摸底" in page
    page = login(cast.users.chamber1).get(project.get_absolute_url()).content.decode()
    assert "贷款审批周期长" in page and "担保费率偏高" not in page and "另有 1 件诉求不在您的查看范围内" in page
    assert "新增节点" not in page


def test_an_editor_builds_a_group_through_its_pages(cast, login):
    client = login(cast.users.staff)
    response = client.post(reverse("growth:group_create"), {"name": "人才服务专项工作组", "focus": "招工难、留人难",
                                                            "established": "2025-03-01", "contact": cast.users.leader.pk})
    group = WorkingGroup.objects.get()
    assert response.status_code == 302 and response["Location"] == group.get_absolute_url()
    response = client.post(reverse("growth:group_member_add", args=[group.pk]),
                           {"person": cast.person1.pk, "is_lead": "on", "joined": "2025-03-01"})
    assert response.status_code == 302 and group.members.get().is_lead
    appeal = submit(cast)
    response = client.post(reverse("growth:project_create", args=[group.pk]), {
        "name": "校企合作招聘月", "goal": "帮助会员企业招聘200人", "start": "2025-04-01", "due": "2025-12-31",
        "status": "active", "appeal_numbers": appeal.number, "outcome": "", "finished_on": ""})
    project = GroupProject.objects.get()
    assert response.status_code == 302 and list(project.appeals.all()) == [appeal]
    response = client.post(reverse("growth:milestone_create", args=[project.pk]),
                           {"title": "举办首场招聘会", "due": "2025-05-20", "done_on": "2025-05-20", "note": ""})
    assert response.status_code == 302 and project.milestones.get().done_on == date(2025, 5, 20)
    response = client.get(reverse("growth:project_edit", args=[project.pk]))
    assert appeal.number in response.content.decode()


def test_bad_input_on_the_forms_is_answered_in_chinese_and_nothing_is_written(cast, group, login):
    client = login(cast.users.staff)
    response = client.post(reverse("growth:group_create"), {"name": "融资服务专项工作组", "focus": "重复",
                                                            "established": "2025-03-01"})
    assert response.status_code == 400 and "同名工作组已存在" in response.content.decode()
    response = client.post(reverse("growth:project_create", args=[group.pk]), {
        "name": "项目", "goal": "目标", "start": "2025-04-01", "due": "2025-12-31", "status": "active",
        "appeal_numbers": "SQ-NOPE-1"})
    assert response.status_code == 400 and "未找到诉求编号：SQ-NOPE-1" in response.content.decode()
    response = client.post(reverse("growth:project_create", args=[group.pk]), {
        "name": "项目", "goal": "目标", "start": "2025-04-01", "due": "2025-12-31", "status": "done"})
    assert response.status_code == 400 and "已完成的项目须填写完成日期" in response.content.decode()
    response = client.post(reverse("growth:group_member_add", args=[group.pk]),
                           {"person": cast.person1.pk, "joined": "2025-03-01"})
    assert response.status_code == 400 and "该人士已是本工作组成员" in response.content.decode()
    assert WorkingGroup.objects.count() == 1 and not GroupProject.objects.exists() and group.members.count() == 2


def test_a_dissolved_groups_member_form_says_why_and_adds_nobody(cast, login):
    group = testing.make_working_group(cast.district, dissolved=date(2025, 6, 1))
    response = login(cast.users.staff).post(reverse("growth:group_member_add", args=[group.pk]),
                                            {"person": cast.person1.pk, "joined": "2025-03-01"})
    assert response.status_code == 400 and "工作组已撤销，不能添加成员" in response.content.decode()
    assert not group.members.exists()


def test_deleting_a_group_with_projects_is_refused_and_names_them(cast, group, project, login):
    client = login(cast.users.staff)
    page = client.get(reverse("growth:group_delete", args=[group.pk])).content.decode()
    assert "工作组项目 1 条" in page
    client.post(reverse("growth:group_delete", args=[group.pk]))
    assert WorkingGroup.objects.filter(pk=group.pk).exists()
    client.post(reverse("growth:project_delete", args=[project.pk]))
    assert not GroupProject.objects.exists() and not Milestone.objects.exists()
    response = client.post(reverse("growth:group_delete", args=[group.pk]))
    assert response.status_code == 302 and not WorkingGroup.objects.exists()


def test_removing_a_member_through_its_page(cast, group, login):
    member = group.members.get(person=cast.person2)
    response = login(cast.users.staff).post(reverse("growth:group_member_remove", args=[member.pk]))
    assert response.status_code == 302 and not GroupMember.objects.filter(pk=member.pk).exists()


# --- every page of one record × every role ----------------------------------------------------------------------
def _expected(role, *, write, own=True):
    allowed = EDITORS if write else READERS
    if role == "outsider_staff":
        return 404
    if role not in allowed:
        return 403
    return 200 if own else 404


PAGES = [
    ("growth:group", "group", False), ("growth:group_edit", "group", True), ("growth:group_delete", "group", True),
    ("growth:group_member_add", "group", True), ("growth:group_member_remove", "member", True),
    ("growth:project_create", "group", True), ("growth:project", "project", False),
    ("growth:project_edit", "project", True), ("growth:project_delete", "project", True),
    ("growth:milestone_create", "project", True), ("growth:milestone_edit", "milestone", True),
    ("growth:milestone_delete", "milestone", True),
]
CASES = [(name, target, write, role) for name, target, write in PAGES for role in ROLES]


@pytest.mark.parametrize(("name", "target", "write", "role"), CASES,
                         ids=[f"{n}-{r}" for n, _, _, r in CASES])
def test_every_page_of_one_record_answers_each_role(cast, group, project, login, name, target, write, role):
    objects = {"group": group, "project": project, "member": group.members.get(person=cast.person2),
               "milestone": project.milestones.get()}
    response = login(getattr(cast.users, role)).get(reverse(name, args=[objects[target].pk]))
    assert response.status_code == _expected(role, write=write)


def test_the_leader_posting_to_a_write_page_is_refused_and_nothing_changes(cast, group, login):
    response = login(cast.users.leader).post(reverse("growth:group_edit", args=[group.pk]),
                                             {"name": "改名", "focus": "x", "established": "2025-01-01"})
    assert response.status_code == 403
    group.refresh_from_db()
    assert group.name == "融资服务专项工作组"


def test_the_list_keeps_its_query_count_with_more_rows(cast, login):
    client = login(cast.users.staff)
    testing.make_working_group(cast.district, lead=cast.person1)
    client.get(LIST)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for _ in range(5):
        testing.make_group_project(testing.make_working_group(cast.district, lead=cast.person2))
    with CaptureQueriesContext(connection) as many:
        client.get(LIST)
    assert len(many) == len(few)
