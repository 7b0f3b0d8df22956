"""专项工作组 services: groups in the actor's federation with a unique name, one 组长 (a new lead demotes the former,
an existing member is promoted), projects with their goal, period, outcome and the appeals they address (only those
the editor sees, of the group's federation), milestones; every write audited, readers and other federations
refused, bad input refused in Chinese with nothing written."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shanglian import testing
from shanglian.appeals.tests.factories import submit
from shanglian.audit.models import AuditEvent
from shanglian.common.errors import Refused
from shanglian.growth.models import GroupMember, GroupProject, Milestone, WorkingGroup
from shanglian.growth.selectors import groups as selectors
from shanglian.growth.services import groups as services

S = GroupProject.Status


def group_data(**changes):
    return {"name": "融资服务专项工作组", "focus": "中小企业融资难、融资贵", "established": date(2025, 1, 10),
            "dissolved": None, "contact": None, "description": "", **changes}


def project_data(**changes):
    return {"name": "银企对接专项行动", "goal": "帮助50家会员企业获得贷款", "start": date(2025, 3, 1),
            "due": date(2025, 12, 31), "status": S.ACTIVE, "outcome": "", "finished_on": None, **changes}


def errors_of(exc):
    return {name: [str(m) for m in messages] for name, messages in exc.value.message_dict.items()}


def test_an_editor_creates_a_group_in_its_federation_and_it_is_audited(cast):
    group = services.save_group(actor=cast.users.staff, data=group_data(contact=cast.users.leader))
    assert group.federation == cast.district and group.contact == cast.users.leader
    event = AuditEvent.objects.filter(object_type="growth.workinggroup", object_id=str(group.pk)).get()
    assert event.action == "create" and event.actor == cast.users.staff


@pytest.mark.parametrize("role", ["leader", "chamber1", "dept1", "ent1", "auditor"])
def test_only_editors_create_groups(cast, role):
    with pytest.raises(PermissionDenied):
        services.save_group(actor=getattr(cast.users, role), data=group_data())
    assert not WorkingGroup.objects.exists()


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"name": ""}, "name", "请填写工作组名称"),
    ({"focus": "  "}, "focus", "请填写工作组聚焦的共性问题"),
    ({"established": None}, "established", "请填写成立日期"),
    ({"dissolved": date(2024, 12, 31)}, "dissolved", "撤销日期不能早于成立日期"),
    ({"established": date.today() + timedelta(days=3)}, "established", "成立日期不能晚于今天"),
], ids=["no-name", "no-focus", "no-date", "dissolved-before", "future"])
def test_a_bad_group_is_refused_in_chinese_and_nothing_is_written(cast, changes, field, message):
    with pytest.raises(ValidationError) as exc:
        services.save_group(actor=cast.users.staff, data=group_data(**changes))
    assert any(message in m for m in errors_of(exc)[field])
    assert not WorkingGroup.objects.exists() and not AuditEvent.objects.filter(object_type="growth.workinggroup")


def test_a_group_name_is_unique_in_its_federation_but_not_across(cast):
    services.save_group(actor=cast.users.staff, data=group_data())
    with pytest.raises(ValidationError) as exc:
        services.save_group(actor=cast.users.admin, data=group_data())
    assert errors_of(exc)["name"] == ["同名工作组已存在。"]
    services.save_group(actor=cast.users.outsider_staff, data=group_data())
    assert WorkingGroup.objects.count() == 2


def test_the_contact_must_be_staff_or_a_leader_of_the_groups_federation(cast):
    with pytest.raises(ValidationError) as exc:
        services.save_group(actor=cast.users.staff, data=group_data(contact=cast.users.outsider_staff))
    assert errors_of(exc)["contact"] == ["联络人须为本工商联的工作人员或领导。"]


def test_another_federations_editor_may_not_change_or_delete_a_group(cast):
    group = testing.make_working_group(cast.district)
    with pytest.raises(PermissionDenied):
        services.save_group(actor=cast.users.outsider_staff, data=group_data(), group=group)
    with pytest.raises(PermissionDenied):
        services.delete_group(actor=cast.users.outsider_staff, group=group)
    assert WorkingGroup.objects.filter(pk=group.pk).exists()


def test_a_group_with_projects_is_not_deleted_its_members_go_with_it(cast):
    group = testing.make_working_group(cast.district, lead=cast.person1)
    project = testing.make_group_project(group)
    with pytest.raises(Refused) as exc:
        services.delete_group(actor=cast.users.staff, group=group)
    assert "工作组项目 1 条" in exc.value.message
    project.delete()
    services.delete_group(actor=cast.users.staff, group=group)
    assert not WorkingGroup.objects.exists() and not GroupMember.objects.exists()


# --- members -----------------------------------------------------------------------------------------------------
def test_a_member_joins_with_the_enterprise_of_the_registry_by_default(cast):
    group = testing.make_working_group(cast.district)
    member = services.add_member(actor=cast.users.staff, group=group, person=cast.person1, joined=date(2025, 2, 1))
    assert member.enterprise == cast.ent1 and not member.is_lead
    assert AuditEvent.objects.filter(object_type="growth.groupmember", action="create").count() == 1


def test_a_new_lead_makes_the_former_lead_a_member(cast):
    group = testing.make_working_group(cast.district, lead=cast.person1)
    services.add_member(actor=cast.users.staff, group=group, person=cast.person2, is_lead=True,
                        joined=date(2025, 2, 1))
    leads = list(GroupMember.objects.filter(group=group, is_lead=True).values_list("person", flat=True))
    assert leads == [cast.person2.pk] and group.members.count() == 2


def test_an_existing_member_named_lead_is_promoted_named_again_refused(cast):
    group = testing.make_working_group(cast.district, lead=cast.person1)
    services.add_member(actor=cast.users.staff, group=group, person=cast.person2, joined=date(2025, 2, 1))
    services.add_member(actor=cast.users.staff, group=group, person=cast.person2, is_lead=True,
                        joined=date(2025, 2, 1))
    assert selectors.group_lead(group).person == cast.person2 and group.members.count() == 2
    with pytest.raises(ValidationError) as exc:
        services.add_member(actor=cast.users.staff, group=group, person=cast.person1, joined=date(2025, 2, 1))
    assert errors_of(exc)["person"] == ["该人士已是本工作组成员。"]


def test_a_member_from_another_federation_or_joining_before_the_group_is_refused(cast):
    group = testing.make_working_group(cast.district)
    stranger = testing.make_person(cast.other, name="南开人士")
    with pytest.raises(ValidationError) as exc:
        services.add_member(actor=cast.users.staff, group=group, person=stranger, joined=date(2025, 2, 1))
    assert errors_of(exc)["person"] == ["请选择本工商联的人士。"]
    with pytest.raises(ValidationError) as exc:
        services.add_member(actor=cast.users.staff, group=group, person=cast.person1, joined=date(2024, 2, 1))
    assert "加入日期不能早于工作组成立日期" in errors_of(exc)["joined"][0]
    assert not GroupMember.objects.exists()


def test_a_dissolved_group_takes_no_member_and_no_project(cast):
    group = testing.make_working_group(cast.district, dissolved=date(2025, 6, 30))
    with pytest.raises(Refused, match="工作组已撤销"):
        services.add_member(actor=cast.users.staff, group=group, person=cast.person1, joined=date(2025, 2, 1))
    with pytest.raises(Refused, match="工作组已撤销"):
        services.save_project(actor=cast.users.staff, group=group, data=project_data())
    assert not GroupMember.objects.exists() and not GroupProject.objects.exists()


def test_a_member_is_removed_by_an_editor_of_the_federation_only(cast):
    group = testing.make_working_group(cast.district, lead=cast.person1)
    member = group.members.get()
    with pytest.raises(PermissionDenied):
        services.remove_member(actor=cast.users.outsider_staff, member=member)
    with pytest.raises(PermissionDenied):
        services.remove_member(actor=cast.users.leader, member=member)
    services.remove_member(actor=cast.users.staff, member=member)
    assert not GroupMember.objects.exists()


# --- projects and their appeals ----------------------------------------------------------------------------------
def test_a_project_addresses_appeals_the_editor_sees_of_the_groups_federation(cast):
    group = testing.make_working_group(cast.district)
    appeal = submit(cast, title="贷款审批周期长")
    project = services.save_project(actor=cast.users.staff, group=group, data=project_data(), appeals=[appeal])
    assert list(project.appeals.all()) == [appeal]
    assert list(appeal.group_projects.all()) == [project]
    event = AuditEvent.objects.get(object_type="growth.groupproject", action="create")
    assert any(c["field"] == "关联诉求" and appeal.number in c["new"] for c in event.detail["changes"])


def test_an_appeal_of_another_federation_is_not_linked(cast):
    group = testing.make_working_group(cast.district)
    other_user = testing.make_user("enterprise", enterprise=cast.ent_other)
    foreign = submit(cast, actor=other_user, enterprise=cast.ent_other, title="南开诉求")
    with pytest.raises(ValidationError) as exc:
        services.save_project(actor=cast.users.staff, group=group, data=project_data(), appeals=[foreign])
    assert foreign.number in errors_of(exc)["appeals"][0]
    assert not GroupProject.objects.exists()


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"name": ""}, "name", "请填写项目名称"),
    ({"goal": ""}, "goal", "请填写项目目标"),
    ({"due": date(2025, 2, 1)}, "due", "计划完成日期不能早于开始日期"),
    ({"start": date(2024, 1, 1)}, "start", "开始日期不能早于工作组成立日期"),
    ({"status": S.DONE}, "finished_on", "已完成的项目须填写完成日期"),
    ({"status": S.DONE, "finished_on": date(2025, 11, 1)}, "outcome", "已完成的项目须填写成效"),
    ({"finished_on": date(2025, 11, 1)}, "finished_on", "只有已完成或已终止的项目填写完成日期"),
    ({"status": "bogus"}, "status", "请选择项目状态"),
], ids=["no-name", "no-goal", "due-before-start", "before-group", "done-no-date", "done-no-outcome",
        "finished-while-active", "bad-status"])
def test_a_bad_project_is_refused_in_chinese_and_nothing_is_written(cast, changes, field, message):
    group = testing.make_working_group(cast.district)
    with pytest.raises(ValidationError) as exc:
        services.save_project(actor=cast.users.staff, group=group, data=project_data(**changes))
    assert any(message in m for m in errors_of(exc)[field])
    assert not GroupProject.objects.exists()


def test_a_project_is_finished_with_its_outcome(cast):
    group = testing.make_working_group(cast.district)
    project = services.save_project(actor=cast.users.staff, group=group, data=project_data())
    services.save_project(actor=cast.users.staff, group=group, project=project,
                          data=project_data(status=S.DONE, finished_on=date(2025, 11, 30),
                                            outcome="促成32家企业获得贷款1.2亿元"))
    project.refresh_from_db()
    assert project.status == S.DONE and project.outcome.startswith("促成32家")
    event = AuditEvent.objects.filter(object_type="growth.groupproject", action="update").get()
    assert {c["field"] for c in event.detail["changes"]} >= {"状态", "成效", "完成日期"}


def test_the_leader_and_another_federation_may_not_write_projects(cast):
    group = testing.make_working_group(cast.district)
    for user in (cast.users.leader, cast.users.chamber1, cast.users.outsider_staff):
        with pytest.raises(PermissionDenied):
            services.save_project(actor=user, group=group, data=project_data())
    assert not GroupProject.objects.exists()


def test_a_project_goes_with_its_milestones_and_its_appeals_stay(cast):
    group = testing.make_working_group(cast.district)
    appeal = submit(cast)
    project = services.save_project(actor=cast.users.staff, group=group, data=project_data(), appeals=[appeal])
    services.save_milestone(actor=cast.users.staff, project=project,
                            data={"title": "摸底", "due": date(2025, 4, 1), "done_on": None, "note": ""})
    services.delete_project(actor=cast.users.staff, project=project)
    assert not GroupProject.objects.exists() and not Milestone.objects.exists()
    appeal.refresh_from_db()
    assert appeal.pk


# --- milestones --------------------------------------------------------------------------------------------------
def test_a_milestone_is_kept_within_its_project(cast):
    project = testing.make_group_project(testing.make_working_group(cast.district))
    data = {"title": "完成首批企业摸底", "due": date(2025, 4, 30), "done_on": None, "note": ""}
    milestone = services.save_milestone(actor=cast.users.staff, project=project, data=data)
    services.save_milestone(actor=cast.users.staff, project=project, milestone=milestone,
                            data={**data, "done_on": date(2025, 4, 28)})
    milestone.refresh_from_db()
    assert milestone.done_on == date(2025, 4, 28)
    with pytest.raises(ValidationError) as exc:
        services.save_milestone(actor=cast.users.staff, project=project, data={**data, "due": date(2025, 1, 1)})
    assert "计划日期不能早于项目开始日期" in errors_of(exc)["due"][0]
    with pytest.raises(ValidationError) as exc:
        services.save_milestone(actor=cast.users.staff, project=project,
                                data={**data, "done_on": date.today() + timedelta(days=2)})
    assert errors_of(exc)["done_on"] == ["完成日期不能晚于今天。"]
    with pytest.raises(PermissionDenied):
        services.delete_milestone(actor=cast.users.outsider_staff, milestone=milestone)
    services.delete_milestone(actor=cast.users.staff, milestone=milestone)
    assert not Milestone.objects.exists()


# --- selectors ---------------------------------------------------------------------------------------------------
def test_readers_see_their_federations_groups_and_the_appeals_in_their_own_scope(cast):
    group = testing.make_working_group(cast.district, name="人才服务专项工作组")
    testing.make_working_group(cast.other, name="南开工作组")
    ent2_user = testing.make_user("enterprise", enterprise=cast.ent2)
    mine, theirs = submit(cast), submit(cast, actor=ent2_user, enterprise=cast.ent2)
    project = services.save_project(actor=cast.users.staff, group=group, data=project_data(),
                                    appeals=[mine, theirs])
    for role in ("staff", "leader", "chamber1", "chamber2"):
        names = set(selectors.group_list(getattr(cast.users, role)).values_list("name", flat=True))
        assert names == {"人才服务专项工作组"}, role
    shown, hidden = selectors.linked_appeals(cast.users.chamber1, project)
    assert shown == [mine] and hidden == 1
    shown, hidden = selectors.linked_appeals(cast.users.leader, project)
    assert set(shown) == {mine, theirs} and hidden == 0
    for role in ("dept1", "ent1", "auditor"):
        with pytest.raises(PermissionDenied):
            selectors.group_list(getattr(cast.users, role))


def test_the_list_filters_by_word_and_state_and_counts_members_and_projects(cast):
    active = testing.make_working_group(cast.district, name="融资服务组", focus="融资难", lead=cast.person1)
    testing.make_working_group(cast.district, name="法律服务组", focus="维权", dissolved=date(2025, 6, 1))
    testing.make_group_project(active, status=S.DONE, finished_on=date(2025, 10, 1), outcome="已完成")
    testing.make_group_project(active)
    rows = {g.name: g for g in selectors.group_list(cast.users.staff)}
    assert rows["融资服务组"].lead_name == "王建国" and rows["融资服务组"].member_count == 1
    assert (rows["融资服务组"].project_count, rows["融资服务组"].done_count) == (2, 1)
    assert [g.name for g in selectors.group_list(cast.users.staff, filters={"q": "融资"})] == ["融资服务组"]
    assert [g.name for g in selectors.group_list(cast.users.staff, filters={"status": "dissolved"})] == ["法律服务组"]
    assert [g.name for g in selectors.group_list(cast.users.staff, filters={"status": "active"})] == ["融资服务组"]
