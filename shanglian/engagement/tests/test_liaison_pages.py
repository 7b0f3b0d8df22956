"""The liaison (包联) and visit (走访) pages: who may open which, what each shows, bad input answered in Chinese
with nothing written, a visit's problem turned into an appeal from its page."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from shanglian import testing
from shanglian.accounts.roles import Role
from shanglian.appeals.tests.factories import category
from shanglian.audit.models import AuditEvent
from shanglian.engagement.models import Liaison, Visit, VisitAppeal


@pytest.fixture
def world(cast):
    """leader包联ent1 (a visit with problems); a second leader包联ent2 (a visit); the other federation's liaison."""
    today = timezone.localdate()
    cast.users.leader2 = testing.make_user(Role.LEADER, username="leader2", federation=cast.district)
    own = testing.make_liaison(cast.ent1, user=cast.users.leader, start=today - timedelta(days=400))
    theirs = testing.make_liaison(cast.ent2, user=cast.users.leader2, start=today - timedelta(days=400))
    other_leader = testing.make_user(Role.LEADER, username="nk_leader", federation=cast.other)
    other = testing.make_liaison(cast.ent_other, user=other_leader, start=today - timedelta(days=400))
    return {
        "own": own, "theirs": theirs, "other": other,
        "own_visit": testing.make_visit(cast.ent1, liaison=own, visited_on=today - timedelta(days=5),
                                        visitors="区领导王某", problems="厂房租金补贴申请材料被退回三次。\n希望简化流程。"),
        "their_visit": testing.make_visit(cast.ent2, liaison=theirs, visited_on=today - timedelta(days=120),
                                          visitors="区领导赵某"),
        "other_visit": testing.make_visit(cast.ent_other, liaison=other, visitors="南开区领导"),
    }


def shown_count(response):
    return int(re.search(r"共 (\d+) 条", response.content.decode()).group(1))


PAGES = ["engagement:liaisons", "engagement:liaisons_export", "engagement:liaison_create", "engagement:my_liaisons",
         "engagement:visits", "engagement:visits_export", "engagement:visit_create"]
ONE = ["engagement:liaison", "engagement:liaison_edit", "engagement:liaison_delete"]
ONE_VISIT = ["engagement:visit", "engagement:visit_edit", "engagement:visit_raise_appeal"]


@pytest.mark.parametrize("role", ["chamber1", "chamber2", "dept1", "ent1", "auditor"])
def test_chamber_department_enterprise_and_auditor_are_refused_every_liaison_page(world, cast, login, role):
    client = login(getattr(cast.users, role))
    for name in PAGES:
        assert client.get(reverse(name)).status_code == 403, name
    for name in ONE:
        assert client.get(reverse(name, args=[world["own"].pk])).status_code == 403, name
    for name in ONE_VISIT:
        assert client.get(reverse(name, args=[world["own_visit"].pk])).status_code == 403, name
    assert client.post(reverse("engagement:visit_create"), {"enterprise": cast.ent1.pk, "visitors": "x",
                                                            "visited_on": "2025-01-02"}).status_code == 403
    assert Visit.objects.count() == 3


def test_a_leader_sees_their_own_liaison_enterprises_and_visits_not_another_leaders(world, cast, login):
    client = login(cast.users.leader)
    mine = client.get(reverse("engagement:my_liaisons"))
    assert cast.ent1.name in mine.content.decode() and cast.ent2.name not in mine.content.decode()
    assert shown_count(mine) == 1
    visits = client.get(reverse("engagement:visits"))
    assert "区领导王某" in visits.content.decode() and "区领导赵某" not in visits.content.decode()
    assert shown_count(visits) == 1
    assert client.get(reverse("engagement:liaison", args=[world["own"].pk])).status_code == 200
    assert client.get(reverse("engagement:visit", args=[world["own_visit"].pk])).status_code == 200
    # the other leader's: 404, and the attempt audited
    assert client.get(reverse("engagement:liaison", args=[world["theirs"].pk])).status_code == 404
    assert client.get(reverse("engagement:visit", args=[world["their_visit"].pk])).status_code == 404
    denied = AuditEvent.objects.filter(action="denied", username="leader").values_list("object_type", flat=True)
    assert set(denied) == {"engagement.liaison", "engagement.visit"}
    # and the second leader the other way round
    other = login(cast.users.leader2).get(reverse("engagement:my_liaisons")).content.decode()
    assert cast.ent2.name in other and cast.ent1.name not in other


def test_a_leader_reads_but_does_not_keep_the_assignments(world, cast, login):
    client = login(cast.users.leader)
    assert client.get(reverse("engagement:liaisons")).status_code == 403
    assert client.get(reverse("engagement:liaison_edit", args=[world["own"].pk])).status_code == 403
    assert client.post(reverse("engagement:liaison_delete", args=[world["own"].pk])).status_code == 403
    assert client.get(reverse("engagement:visit_raise_appeal", args=[world["own_visit"].pk])).status_code == 403
    page = client.get(reverse("engagement:visit", args=[world["own_visit"].pk])).content.decode()
    assert "转为诉求</a>" not in page and "由工商联工作人员转为诉求办理" in page
    assert Liaison.objects.filter(pk=world["own"].pk).exists()


@pytest.mark.parametrize("name", ONE)
def test_another_federations_liaison_is_not_found(world, cast, login, name):
    client = login(cast.users.outsider_staff)
    assert client.get(reverse(name, args=[world["own"].pk])).status_code == 404
    assert client.post(reverse(name, args=[world["own"].pk]), {"action": "end", "end": "2026-01-01"}).status_code == 404
    assert Liaison.objects.get(pk=world["own"].pk).end is None


@pytest.mark.parametrize("name", ONE_VISIT)
def test_another_federations_visit_is_not_found(world, cast, login, name):
    client = login(cast.users.outsider_staff)
    assert client.get(reverse(name, args=[world["own_visit"].pk])).status_code == 404
    assert client.post(reverse(name, args=[world["own_visit"].pk]), {"visitors": "改"}).status_code == 404
    assert Visit.objects.get(pk=world["own_visit"].pk).visitors == "区领导王某" and not VisitAppeal.objects.exists()


def test_staff_list_filters_and_export(world, cast, login):
    client = login(cast.users.staff)
    assert shown_count(client.get(reverse("engagement:liaisons"))) == 2  # the district's
    assert shown_count(client.get(reverse("engagement:liaisons"), {"person": f"user:{cast.users.leader2.pk}"})) == 1
    assert shown_count(client.get(reverse("engagement:liaisons"), {"visited": "no"})) == (
        0 if world["their_visit"].visited_on.year == timezone.localdate().year else 1)
    assert shown_count(client.get(reverse("engagement:visits"), {"problems": "yes"})) == 1
    assert shown_count(client.get(reverse("engagement:visits"), {"enterprise": cast.ent2.pk})) == 1
    response = client.get(reverse("engagement:visits_export"), {"problems": "yes"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    exported = AuditEvent.objects.filter(action="export", object_type="engagement.visit").get()
    assert exported.detail["rows"] == 1
    assert client.get(reverse("engagement:liaisons_export")).status_code == 200


def test_staff_adds_a_liaison_and_an_overlapping_one_is_refused_on_the_form(world, cast, login):
    client = login(cast.users.staff)
    data = {"enterprise": cast.ent1.pk, "level": "district", "user": cast.users.leader.pk,
            "start": (timezone.localdate() - timedelta(days=30)).isoformat()}
    response = client.post(reverse("engagement:liaison_create"), data)
    assert response.status_code == 400 and "包联期间不能重叠" in response.content.decode()
    response = client.post(reverse("engagement:liaison_create"), {**data, "user": "", "department": ""})
    assert response.status_code == 400 and "请在包联人账号与包联部门中选择其一" in response.content.decode()
    response = client.post(reverse("engagement:liaison_create"), {**data, "end": "2000-01-01"})
    assert response.status_code == 400 and "结束日期不能早于起始日期" in response.content.decode()
    assert Liaison.objects.count() == 3
    response = client.post(reverse("engagement:liaison_create"), {**data, "user": "", "department": cast.dept1.pk,
                                                                  "liaison_name": "张局长"})
    created = Liaison.objects.latest("id")
    assert response.status_code == 302 and response["Location"] == created.get_absolute_url()
    assert created.department == cast.dept1 and created.liaison_display == "区税务局（张局长）"


def test_staff_ends_a_liaison_from_its_page(world, cast, login):
    client = login(cast.users.staff)
    url = reverse("engagement:liaison_edit", args=[world["theirs"].pk])
    response = client.post(url, {"action": "end", "end": "2000-01-01"})
    assert response.status_code == 400 and "结束日期不能早于起始日期" in response.content.decode()
    response = client.post(url, {"action": "end", "end": timezone.localdate().isoformat()})
    assert response.status_code == 302
    assert Liaison.objects.get(pk=world["theirs"].pk).end == timezone.localdate()


def test_a_visit_dated_in_the_future_is_refused_on_the_page_and_nothing_is_written(world, cast, login):
    for user, data in ((cast.users.staff, {"enterprise": cast.ent1.pk}), (cast.users.leader, {"liaison": world["own"].pk})):
        client = login(user)
        tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
        response = client.post(reverse("engagement:visit_create"), {**data, "visited_on": tomorrow, "visitors": "某"})
        assert response.status_code == 400 and "走访日期不能晚于今天" in response.content.decode()
    assert Visit.objects.count() == 3


def test_a_leader_records_a_visit_of_their_enterprise_from_their_page(world, cast, login):
    client = login(cast.users.leader)
    form = client.get(reverse("engagement:visit_create"), {"liaison": world["own"].pk}).content.decode()
    assert f'<option value="{world["own"].pk}" selected>' in form and 'name="enterprise"' not in form
    assert client.get(reverse("engagement:visit_create"), {"liaison": world["theirs"].pk}).status_code == 404
    response = client.post(reverse("engagement:visit_create"), {
        "liaison": world["theirs"].pk, "visited_on": "2025-06-01", "visitors": "我"})
    assert response.status_code == 400 and Visit.objects.count() == 3
    response = client.post(reverse("engagement:visit_create"), {
        "liaison": world["own"].pk, "visited_on": timezone.localdate().isoformat(), "visitors": "区领导王某"})
    visit = Visit.objects.latest("id")
    assert response.status_code == 302 and visit.enterprise == cast.ent1 and visit.recorded_by == cast.users.leader


def test_staff_record_a_visit_from_the_enterprise(world, cast, login):
    client = login(cast.users.staff)
    form = client.get(reverse("engagement:visit_create"), {"enterprise": cast.ent1.pk}).content.decode()
    assert f'value="{cast.ent1.pk}"' in form and f'<option value="{world["own"].pk}">' in form
    assert client.get(reverse("engagement:visit_create"), {"enterprise": cast.ent_other.pk}).status_code == 404
    response = client.post(reverse("engagement:visit_create"), {
        "enterprise": cast.ent1.pk, "visited_on": timezone.localdate().isoformat(), "visitors": "工商联李某"})
    assert response.status_code == 302 and Visit.objects.latest("id").liaison == world["own"]


def test_a_leader_edits_only_the_visits_they_recorded(world, cast, login):
    """Under the leader's own liaison: the visit the staff recorded is the leader's to read, not to edit (no 编辑,
    the edit page 403, nothing changed); the one the leader recorded is theirs to edit. The staff edit either."""
    day = (timezone.localdate() - timedelta(days=2)).isoformat()
    by_staff = testing.make_visit(cast.ent1, liaison=world["own"], visitors="工商联李某", recorded_by=cast.users.staff)
    by_leader = testing.make_visit(cast.ent1, liaison=world["own"], visitors="区领导王某", recorded_by=cast.users.leader)
    client = login(cast.users.leader)
    edit = reverse("engagement:visit_edit", args=[by_staff.pk])
    page = client.get(reverse("engagement:visit", args=[by_staff.pk]))
    assert page.status_code == 200 and edit not in page.content.decode()
    assert client.get(edit).status_code == 403
    response = client.post(edit, {"liaison": world["own"].pk, "visited_on": day, "visitors": "改"})
    assert response.status_code == 403 and Visit.objects.get(pk=by_staff.pk).visitors == "工商联李某"
    own_edit = reverse("engagement:visit_edit", args=[by_leader.pk])
    assert own_edit in client.get(reverse("engagement:visit", args=[by_leader.pk])).content.decode()
    response = client.post(own_edit, {"liaison": world["own"].pk, "visited_on": day, "visitors": "区领导王某、秘书"})
    assert response.status_code == 302 and Visit.objects.get(pk=by_leader.pk).visitors == "区领导王某、秘书"
    staff = login(cast.users.staff)
    assert own_edit in staff.get(reverse("engagement:visit", args=[by_leader.pk])).content.decode()
    response = staff.post(own_edit, {"enterprise": cast.ent1.pk, "liaison": world["own"].pk, "visited_on": day,
                                     "visitors": "区领导王某、工商联李某"})
    assert response.status_code == 302 and Visit.objects.get(pk=by_leader.pk).visitors == "区领导王某、工商联李某"


def test_a_visit_problem_becomes_an_appeal_from_the_visit_page_and_each_page_shows_the_other(world, cast, login):
    client = login(cast.users.staff)
    visit = world["own_visit"]
    form = client.get(reverse("engagement:visit_raise_appeal", args=[visit.pk])).content.decode()
    assert "厂房租金补贴申请材料被退回三次。" in form and 'name="enterprise"' not in form and 'name="category"' in form
    response = client.post(reverse("engagement:visit_raise_appeal", args=[visit.pk]), {
        "category": category("consult").pk, "urgency": "normal", "title": "厂房租金补贴申请材料被退回三次。",
        "content": visit.problems})
    link = VisitAppeal.objects.get(visit=visit)
    appeal = link.appeal
    assert response.status_code == 302 and response["Location"] == reverse("appeals:detail", args=[appeal.pk])
    page = client.get(response["Location"]).content.decode()
    assert "来源走访" in page and reverse("engagement:visit", args=[visit.pk]) in page
    assert f"来源：走访（{visit.visited_on:%Y-%m-%d} 走访{cast.ent1.name}，走访人员：区领导王某）" in page
    page = client.get(reverse("engagement:visit", args=[visit.pk])).content.decode()
    assert f'data-appeal="{appeal.number}"' in page and "已提交" in page
    # a department or chamber reads the source's words, without a link to the visit
    chamber_page = login(cast.users.chamber1).get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert "来源走访" in chamber_page and reverse("engagement:visit", args=[visit.pk]) not in chamber_page


def test_a_bad_appeal_form_writes_nothing(world, cast, login):
    client = login(cast.users.staff)
    response = client.post(reverse("engagement:visit_raise_appeal", args=[world["own_visit"].pk]), {
        "category": "", "urgency": "normal", "title": "", "content": "x", "contact_mobile": "123"})
    assert response.status_code == 400 and "请选择诉求类别" in response.content.decode()
    assert not VisitAppeal.objects.exists()


def test_the_enterprise_page_shows_its_liaisons_and_visits_to_those_who_may_see_them(world, cast, login):
    url = reverse("members:enterprise_detail", args=[cast.ent1.pk])
    staff = login(cast.users.staff).get(url).content.decode()
    assert "包联与走访" in staff and "区领导王某" in staff
    leader = login(cast.users.leader).get(url).content.decode()
    assert "包联与走访" in leader and reverse("engagement:liaison", args=[world["own"].pk]) in leader
    assert "包联与走访" not in login(cast.users.leader2).get(url).content.decode()  # not theirs
    assert "包联与走访" not in login(cast.users.chamber1).get(url).content.decode()


def test_the_liaison_page_shows_the_enterprise_last_visit_and_open_appeals(world, cast, login):
    page = login(cast.users.leader).get(reverse("engagement:liaison", args=[world["own"].pk])).content.decode()
    assert f"{world['own_visit'].visited_on:%Y-%m-%d}" in page and "5 天前" in page
    assert "记录走访" in page and "编辑" not in page


def test_the_leader_page_marks_enterprises_not_visited_for_long(world, cast, login):
    client = login(cast.users.leader2)
    page = client.get(reverse("engagement:my_liaisons")).content.decode()
    assert "tag-danger" in page and ">120<" in page.replace(" ", "")
    assert shown_count(client.get(reverse("engagement:my_liaisons"), {"overdue": "on"})) == 1
    assert shown_count(login(cast.users.leader).get(reverse("engagement:my_liaisons"), {"overdue": "on"})) == 0


def test_a_liaison_with_visits_is_not_deleted_from_its_page(world, cast, login):
    client = login(cast.users.staff)
    url = reverse("engagement:liaison_delete", args=[world["own"].pk])
    assert "走访记录" in client.get(url).content.decode()
    client.post(url)
    assert Liaison.objects.filter(pk=world["own"].pk).exists()


def test_old_assignments_leave_the_leader_page(cast, login):
    testing.make_liaison(cast.ent1, user=cast.users.leader, start=date(2020, 1, 1), end=date(2021, 1, 1))
    assert shown_count(login(cast.users.leader).get(reverse("engagement:my_liaisons"))) == 0
