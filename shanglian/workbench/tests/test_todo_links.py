"""Every 待办 on the 工作台 opens exactly the records it counts: the list its link opens says 共 N 条
with N its count (the one exception, a chamber's own missing details, opens the chamber's page)."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from shanglian import testing
from shanglian.appeals.models import Status
from shanglian.appeals.tests.factories import make_appeal
from shanglian.audit.models import AuditAction, AuditResult
from shanglian.audit.services import record
from shanglian.policies.tests.test_views import make_policy
from shanglian.ui.todos import todos_for

ROLES = ["admin", "staff", "leader", "chamber1", "chamber2", "dept1", "auditor"]
NOT_A_LIST = ("本商会信息待完善",)  # a page to complete


@pytest.fixture
def work(cast):
    """Something in every appeal queue, a draft policy and refused requests for the auditor."""
    with time_machine.travel(timezone.now() - timedelta(days=10)):  # replied long enough ago to call back
        make_appeal(cast, Status.REPLIED)
        make_appeal(cast, Status.HANDLING, deadline=timezone.localdate() + timedelta(days=2))  # overdue now
    for status in (Status.SUBMITTED, Status.ACCEPTED, Status.ASSIGNED):
        make_appeal(cast, status)
    make_appeal(cast, Status.HANDLING, pending_extension=True)
    make_policy(cast, title="河西区支持楼宇经济发展若干措施")  # a draft
    # liaison enterprises not visited for long (engagement): the leader's own and a department's
    testing.make_liaison(cast.ent1, user=cast.users.leader, start=timezone.localdate() - timedelta(days=400))
    testing.make_liaison(cast.ent2, department=cast.dept1, start=timezone.localdate() - timedelta(days=400))
    # chamber assessments (honours): a submitted 五有 with two items waiting for staff's check, and a draft 五有 with
    # an item staff returned for chamber1 to supplement
    submitted = testing.make_assessment(cast.chamber1, year=2025, status="submitted")
    for code in ("sign", "team"):
        testing.claim_item(submitted, code, met=True)
    testing.claim_item(testing.make_assessment(cast.chamber1, year=2024), "funds", met=True, status="returned")
    # an award programme in 评审中 (honours): staff and the leader judge; staff is the legal representative of ent1 as
    # person1 (回避), has scored ent2 fully and has a third nomination to score
    programme = testing.make_programme(cast.district, status="scoring")
    category = programme.categories.get()
    staff_judge = testing.make_judge(programme, cast.users.staff, person=cast.person1)
    testing.make_judge(programme, cast.users.leader)
    testing.make_nomination(category, cast.ent1)
    testing.make_scores(testing.make_nomination(category, cast.ent2), staff_judge, [80, 90])
    testing.make_nomination(category, testing.make_enterprise(cast.district, name="天津河西建设集团"))
    # a membership application waiting for the editors' decision (growth)
    applicant = testing.make_enterprise(cast.district, name="天津新申请科技有限公司")
    testing.make_application(applicant, testing.make_user("enterprise", enterprise=applicant))
    # a suspected duplicate pair waiting for the editors (members)
    testing.make_duplicate(cast.ent1, testing.make_enterprise(cast.district, name="天津友谊科技有限责任公司"))
    for action in (AuditAction.LOGIN_FAILED, AuditAction.DENIED):
        record(action, result=AuditResult.DENIED if action == AuditAction.DENIED else AuditResult.FAILURE)


@pytest.mark.parametrize("role", ROLES)
def test_every_todo_opens_a_list_of_exactly_what_it_counts(work, cast, login, role):
    user = getattr(cast.users, role)
    client = login(user)
    todos = list(todos_for(user))
    for todo in todos:
        if todo.label.startswith(NOT_A_LIST):
            continue
        page = client.get(todo.url).content.decode()
        shown = re.search(r"共 (\d+) 条", page)
        assert shown, f"{todo.label}: {todo.url} is not a list"
        assert int(shown.group(1)) == todo.count, f"{todo.label}: counted {todo.count}, the list shows {shown.group(1)}"


def test_the_desk_is_shown_the_extension_and_callback_todos(work, cast):
    labels = {todo.label: todo.count for todo in todos_for(cast.users.staff)}
    assert labels["待审批延期的诉求"] == 1
    assert labels["待回访的诉求"] == 1


def test_staff_are_shown_the_evidence_to_verify_and_a_chamber_its_items_to_supplement(work, cast):
    assert {todo.label: todo.count for todo in todos_for(cast.users.staff)}["待核实佐证"] == 2
    assert {todo.label: todo.count for todo in todos_for(cast.users.chamber1)}["五有材料待补充"] == 1
    assert not any("待补充" in todo.label or "待核实佐证" in todo.label for todo in todos_for(cast.users.chamber2))
    assert not any(todo.label == "待核实佐证" for todo in todos_for(cast.users.leader))


def test_a_judge_is_shown_the_nominations_left_to_score(work, cast):
    assert {todo.label: todo.count for todo in todos_for(cast.users.staff)}["待评审提名"] == 1
    assert {todo.label: todo.count for todo in todos_for(cast.users.leader)}["待评审提名"] == 3
    assert not any(todo.label == "待评审提名" for todo in todos_for(cast.users.admin))


def test_advice_is_a_notice_not_a_todo(cast, login):
    assert not any("双因素" in todo.label for todo in todos_for(cast.users.staff))
    page = login(cast.users.staff).get("/").content.decode()
    assert 'role="note">建议启用双因素认证' in page and 'href="/accounts/otp/setup/">去设置</a>' in page
    assert "双因素" not in login(cast.users.auditor).get("/").content.decode()
